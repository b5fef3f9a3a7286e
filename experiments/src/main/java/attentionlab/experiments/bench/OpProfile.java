package attentionlab.experiments.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Operation counts of what the engine actually executed: runs an action under PyTorch's profiler
 * ({@code JniUtils.startProfile(false, true, true)}: input shapes and memory recorded), reads the
 * Chrome trace it writes, and adds up the cost of every op by {@link OpCosts}. Ops nest (aten::matmul
 * holds aten::bmm, an autograd node holds the ops of its backward): an op with a cost of its own is
 * counted, and the ops nested in it are not counted again.
 *
 * <p>{@code allocatedBytes} is what the profiled call left allocated: the sum of the "cpu mem" of the
 * outermost ops (each op's net allocation, nested ops included). DJL frees nothing before the arrays'
 * manager closes, so this is every intermediate the call made, which is what a backward pass could read;
 * the profiler prints it with 3 significant digits ("1.25 Mb"), so it is exact to about 0.5%.
 *
 * @param flops FLOPs of every counted op (a multiply-add is 2)
 * @param bytesRead bytes the counted ops read (their recorded inputs)
 * @param bytesWritten bytes the counted ops wrote
 * @param allocatedBytes bytes left allocated by the call
 * @param ops counted ops by name: how many, their FLOPs, bytes and seconds
 * @param unaccounted ops with no formula in {@link OpCosts} (a count with any is incomplete)
 */
public record OpProfile(double flops, @JsonProperty("bytes_read") double bytesRead,
                        @JsonProperty("bytes_written") double bytesWritten, @JsonProperty("allocated_bytes") double allocatedBytes,
                        Map<String, OpTotal> ops, List<String> unaccounted) {

    /**
     * One op name's totals over its counted calls.
     *
     * @param bytes bytes read and written
     * @param seconds the profiler's wall time of the calls (nested ops included; profiler overhead is
     *                microseconds per call)
     */
    public record OpTotal(int calls, double flops, double bytes, double seconds) {

        /** Bytes moved per second. */
        @JsonIgnore
        public double bytesPerSecond() {
            return bytes / seconds;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One profiler event: an op with its interval (microseconds) and what it recorded. */
    record Event(String name, double start, double end, long tid, List<long[]> shapes, long allocatedBytes) {}

    /** Multiply-adds: FLOPs / 2. */
    @JsonIgnore
    public double multiplyAdds() {
        return flops / 2;
    }

    /** Bytes read and written. */
    @JsonIgnore
    public double bytesMoved() {
        return bytesRead + bytesWritten;
    }

    /** Runs {@code action} once under the profiler and counts what it executed. */
    public static OpProfile of(Runnable action) {
        return ChildJvm.withTempFile("attention-lab-profile", trace -> {
            JniUtils.startProfile(false, true, true);
            try {
                action.run();
            } finally {
                JniUtils.stopProfile(trace.toString());
            }
            return count(read(trace));
        });
    }

    /** The events of a Chrome trace written by {@code JniUtils.stopProfile}. */
    static List<Event> read(Path trace) {
        try {
            JsonNode root = JSON.readTree(trace.toFile());
            List<Event> events = new ArrayList<>();
            for (JsonNode e : root) {
                if (!"X".equals(e.path("ph").asText())) {
                    continue;
                }
                List<long[]> shapes = new ArrayList<>();
                for (JsonNode s : e.path("shape")) {
                    long[] dims = new long[s.size()];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = s.get(i).asLong();
                    }
                    shapes.add(dims);
                }
                double start = e.path("ts").asDouble();
                events.add(new Event(e.path("name").asText(), start, start + e.path("dur").asDouble(), e.path("tid").asLong(),
                        shapes, bytes(e.path("cpu mem").asText("0 b"))));
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the profiler trace " + trace, e);
        }
    }

    /** Adds up the events' costs; nesting from their intervals on each thread. */
    static OpProfile count(List<Event> events) {
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::tid).thenComparingDouble(Event::start)
                .thenComparing(Comparator.comparingDouble(Event::end).reversed()));
        double[] total = new double[4]; // flops, read, written, allocated
        Map<String, OpTotal> ops = new TreeMap<>();
        List<String> unaccounted = new ArrayList<>();
        Deque<Event> open = new ArrayDeque<>(); // enclosing events of the current one
        Deque<Boolean> countedAbove = new ArrayDeque<>(); // whether an enclosing event was counted
        for (int i = 0; i < sorted.size(); i++) {
            Event e = sorted.get(i);
            while (!open.isEmpty() && (open.peek().tid() != e.tid() || open.peek().end() < e.end())) {
                open.pop();
                countedAbove.pop();
            }
            if (open.isEmpty()) {
                total[3] += e.allocatedBytes();
            }
            boolean insideCounted = !countedAbove.isEmpty() && countedAbove.peek();
            OpCosts.Kind kind = OpCosts.kind(e.name());
            boolean hasChildren = i + 1 < sorted.size() && sorted.get(i + 1).tid() == e.tid() && sorted.get(i + 1).end() <= e.end();
            if (!insideCounted && (kind == null || (kind == OpCosts.Kind.COMPUTE_COMPOSITE && !hasChildren))) {
                unaccounted.add(e.name() + shapesText(e.shapes()));
            } else if (!insideCounted && OpCosts.counted(kind)) {
                double[] c = OpCosts.cost(kind, e.name(), e.shapes(), e.allocatedBytes());
                for (int j = 0; j < 3; j++) {
                    total[j] += c[j];
                }
                ops.merge(e.name(), new OpTotal(1, c[0], c[1] + c[2], (e.end() - e.start()) / 1e6),
                        (a, b) -> new OpTotal(a.calls() + b.calls(), a.flops() + b.flops(), a.bytes() + b.bytes(), a.seconds() + b.seconds()));
            }
            open.push(e);
            countedAbove.push(insideCounted || (kind != null && OpCosts.counted(kind)));
        }
        return new OpProfile(total[0], total[1], total[2], total[3], ops, unaccounted);
    }

    /** "1.25 Kb" (the profiler's format: b, Kb, Mb, Gb in powers of 1024, negative for frees) -> bytes. */
    static long bytes(String text) {
        String[] p = text.trim().split("\\s+");
        double value = Double.parseDouble(p[0]);
        double unit = switch (p.length > 1 ? p[1] : "b") {
            case "Kb" -> 1024;
            case "Mb" -> 1024.0 * 1024;
            case "Gb" -> 1024.0 * 1024 * 1024;
            default -> 1;
        };
        return Math.round(value * unit);
    }

    private static String shapesText(List<long[]> shapes) {
        return shapes.stream().map(Arrays::toString).toList().toString();
    }

    /** "1.23 GFLOP, 45.6 MB moved, 7.8 MB allocated". */
    public String describe() {
        return String.format(Locale.ROOT, "%.4g GFLOP, %.4g MB moved, %.4g MB allocated%s", flops / 1e9, bytesMoved() / 1e6,
                allocatedBytes / 1e6, unaccounted.isEmpty() ? "" : ", " + unaccounted.size() + " ops unaccounted");
    }
}
