package attentionlab.experiments.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.io.Provenance;
import attentionlab.models.decode.CachedSelfAttention;
import attentionlab.models.decode.DecodeCost;
import attentionlab.models.decode.DecoderDims;
import attentionlab.models.decode.DecoderWeights;
import attentionlab.models.decode.KvCache;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Per-token decoding (homework 4): time of one {@link CachedSelfAttention#step} with n tokens cached,
 * and cache bytes, for multi-head (g = h), grouped-query (g = h/4) and multi-query (g = 1) attention,
 * next to the cost model ({@link DecodeCost}). Variants are interleaved at each n so that their ratio
 * is measured under the same machine load.
 */
public final class DecodeBenchmark {

    private DecodeBenchmark() {}

    /**
     * @param batch B
     * @param modelDim d
     * @param heads h (k = v = d / h)
     * @param lengths cache lengths n
     */
    public record Options(int batch, int modelDim, int heads, List<Integer> lengths, int warmup, int repeats,
                          boolean measureMemory) {

        public static Options full() {
            return new Options(8, 512, 8, List.of(512, 1024, 2048, 4096, 8192), 10, 60, true);
        }

        public static Options quick() {
            return new Options(8, 512, 8, List.of(1024, 4096), 5, 20, false);
        }

        /** MHA (g = h), GQA (g = h / 4, when that lies strictly between 1 and h) and MQA (g = 1). */
        public List<DecoderDims> variants() {
            return Stream.of(heads, Math.max(1, heads / 4), 1).distinct()
                    .map(g -> DecoderDims.of(modelDim, heads, g)).toList();
        }
    }

    /**
     * @param n tokens attended by the timed step
     * @param cacheBytes bytes the cache holds for n tokens (reported by the cache)
     * @param achievedGbs cost-model bytes read and written per second
     * @param achievedGflops cost-model FLOPs per second
     * @param appendSeconds time of writing one token's keys and values into the cache alone: constant in
     *                      n when the write is in place
     * @param loadAverage the machine's 1-minute load average when the variants were timed
     * @param peakBytes peak memory of a fresh JVM holding the cache and taking one step (largest n only)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(String variant, @JsonProperty("kv_heads") int kvHeads, int n, RepeatStats seconds,
                      @JsonProperty("cache_bytes") long cacheBytes, DecodeCost cost,
                      @JsonProperty("achieved_gbs") double achievedGbs, @JsonProperty("achieved_gflops") double achievedGflops,
                      @JsonProperty("append_seconds") RepeatStats appendSeconds, @JsonProperty("load_average") double loadAverage,
                      @JsonProperty("peak_bytes") Long peakBytes) {}

    /**
     * @param mhaOverMqa per n: MHA step time / MQA step time of each back-to-back pair of steps
     */
    public record Result(Provenance provenance, Options options, @JsonProperty("load_before") double loadBefore,
                         @JsonProperty("load_after") double loadAfter, List<Row> rows,
                         @JsonProperty("mha_over_mqa_paired") Map<Integer, RepeatStats> mhaOverMqa, List<Target> targets) {}

    public static Result run(Options o, Consumer<String> log) {
        double loadBefore = Machine.loadAverage();
        List<Row> rows = new ArrayList<>();
        Map<Integer, RepeatStats> paired = new TreeMap<>();
        int largest = o.lengths().stream().mapToInt(Integer::intValue).max().orElseThrow();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int n : o.lengths()) {
                try (NDManager m = manager.newSubManager()) {
                    List<DecoderDims> variants = o.variants();
                    List<KvCache> caches = new ArrayList<>();
                    List<Runnable> steps = new ArrayList<>();
                    for (DecoderDims dims : variants) {
                        CachedSelfAttention attention = new CachedSelfAttention(DecoderWeights.random(m, dims));
                        KvCache cache = filledCache(m, attention, o.batch(), n - 1, 2 * (o.warmup() + o.repeats()) + 1);
                        caches.add(cache);
                        steps.add(() -> step(m, attention, cache, o.batch()));
                    }
                    double load = Machine.loadAverage();
                    double[][] raw = RepeatStats.roundRobin(o.warmup(), o.repeats(), steps); // variants round-robin
                    List<RepeatStats> times = Arrays.stream(raw).map(RepeatStats::of).toList();
                    if (variants.get(0).kvHeads() == o.heads() && variants.get(variants.size() - 1).kvHeads() == 1) {
                        paired.put(n, RepeatStats.pairedRatio(raw[0], raw[variants.size() - 1])); // MHA / MQA, back to back
                    }
                    for (int i = 0; i < variants.size(); i++) {
                        DecoderDims dims = variants.get(i);
                        KvCache cache = caches.get(i);
                        RepeatStats seconds = times.get(i);
                        long cacheBytes = cache.sizeBytes() / cache.capacity() * n;
                        DecodeCost cost = DecodeCost.ofStep(dims, o.batch(), n);
                        Long peak = o.measureMemory() && n == largest
                                ? PeakMemory.measure(List.of("decode", "" + dims.kvHeads(), "" + o.batch(),
                                "" + o.modelDim(), "" + o.heads(), "" + n), 600).peakBytes()
                                : null;
                        double gbs = (cost.bytesRead() + cost.bytesWritten()) / seconds.median() / 1e9;
                        RepeatStats append = appendTime(m, dims, cache, o);
                        double gflops = cost.flops() / seconds.median() / 1e9;
                        log.accept(String.format(Locale.ROOT, "  %-3s g=%-2d n=%-5d %8.3f ms/token (spread %3.0f%%)  cache %7.1f MiB  %5.1f GB/s  %5.1f GFLOP/s  append %.3f ms%s",
                                dims.variant(), dims.kvHeads(), n, seconds.median() * 1e3, seconds.relativeSpread() * 100,
                                cacheBytes / 1048576.0, gbs, gflops, append.median() * 1e3,
                                peak == null ? "" : String.format(Locale.ROOT, "  peak %.0f MiB", peak / 1048576.0)));
                        rows.add(new Row(dims.variant(), dims.kvHeads(), n, seconds, cacheBytes, cost, gbs, gflops, append, load, peak));
                        cache.close();
                    }
                }
            }
        }
        return new Result(Provenance.current(), o, loadBefore, Machine.loadAverage(), rows, paired,
                targets(rows, paired.get(largest), largest, o.heads()));
    }

    /** A cache of capacity filled + spare whose first {@code filled} rows hold random keys and values. */
    private static KvCache filledCache(NDManager m, CachedSelfAttention attention, int batch, int filled, int spare) {
        DecoderDims dims = attention.dims();
        KvCache cache = attention.newCache(m, batch, filled + spare);
        try (NDManager tmp = m.newSubManager()) {
            cache.append(tmp.randomNormal(new Shape(batch, dims.kvHeads(), filled, dims.keyDim())),
                    tmp.randomNormal(new Shape(batch, dims.kvHeads(), filled, dims.valueDim())));
        }
        return cache;
    }

    /** Times {@link KvCache#append} of one token alone (uses warmup + repeats rows of spare capacity). */
    private static RepeatStats appendTime(NDManager m, DecoderDims dims, KvCache cache, Options o) {
        try (NDManager tmp = m.newSubManager()) {
            var k = tmp.randomNormal(new Shape(o.batch(), dims.kvHeads(), 1, dims.keyDim()));
            var v = tmp.randomNormal(new Shape(o.batch(), dims.kvHeads(), 1, dims.valueDim()));
            return RepeatStats.time(o.warmup(), o.repeats(), () -> cache.append(k, v));
        }
    }

    private static void step(NDManager m, CachedSelfAttention attention, KvCache cache, int batch) {
        try (NDManager step = m.newSubManager()) {
            attention.step(step.randomNormal(new Shape(batch, attention.dims().modelDim())), cache);
        }
    }

    /** Child-JVM entry: {@code G B D H N}. */
    static void probe(NDManager manager, String[] args, boolean tiny) {
        int g = Integer.parseInt(args[0]);
        int b = Integer.parseInt(args[1]);
        int n = tiny ? 16 : Integer.parseInt(args[4]);
        DecoderDims dims = DecoderDims.of(Integer.parseInt(args[2]), Integer.parseInt(args[3]), g);
        try (NDManager m = manager.newSubManager()) {
            CachedSelfAttention attention = new CachedSelfAttention(DecoderWeights.random(m, dims));
            try (KvCache cache = filledCache(m, attention, b, n - 1, 1)) {
                step(m, attention, cache, b);
            }
        }
    }

    private static List<Target> targets(List<Row> rows, RepeatStats paired, int n, int heads) {
        Row mha = find(rows, "MHA", n);
        Row mqa = find(rows, "MQA", n);
        List<Target> targets = new ArrayList<>();
        if (mha != null && mqa != null && paired != null) {
            targets.add(Target.atLeast("MHA / MQA decode step time at n = " + n + " (paired median)", paired.median(), 3));
            double cacheRatio = mqa.cacheBytes() / (double) mha.cacheBytes();
            targets.add(new Target("MQA / MHA cache bytes at n = " + n, cacheRatio, "== 1/" + heads,
                    mqa.cacheBytes() * (long) heads == mha.cacheBytes()));
        }
        return targets;
    }

    private static Row find(List<Row> rows, String variant, int n) {
        return rows.stream().filter(r -> r.variant().equals(variant) && r.n() == n).findFirst().orElse(null);
    }
}
