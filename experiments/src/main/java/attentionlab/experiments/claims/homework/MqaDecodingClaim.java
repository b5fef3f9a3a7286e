package attentionlab.experiments.claims.homework;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.ClaimNotRunnable;
import attentionlab.experiments.io.Format;
import attentionlab.models.decode.CachedSelfAttention;
import attentionlab.models.decode.DecoderDims;
import attentionlab.models.decode.DecoderWeights;
import attentionlab.models.decode.KvCache;
import attentionlab.models.reference.RelativeError;
import attentionlab.models.reference.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Homework 4(a-g), multi-query attention: W_q [h,d,q], W_k [d,k], W_v [d,v], W_o [h,v,d]; the einsums
 * of (c-e); incremental decoding with a KV cache equals the full causal forward; the cache is h
 * times smaller than multi-head's; per step, compute stays O(b d^2 + b n d) while memory access
 * drops from O(d^2 + b d + b n d) to O(d^2 + b d + b n d / h).
 *
 * <p>Cache bytes are the bytes the cache arrays hold. The O() claims (e-g) are judged on what a
 * decoding step executed ({@link MqaCost}: FLOPs and bytes of every op from PyTorch's profiler, over
 * a grid of b and n) and on the time per step against n and b (the JMH engine); the recurrent
 * quadratic-linear form is measured beside MQA.
 */
public final class MqaDecodingClaim implements Claim<MqaDecodingClaim.Measured> {

    public static final double MAX_RELATIVE_ERROR = 1e-5;

    /**
     * @param weightShapes MQA weights W_q, W_k, W_v, W_o
     * @param einsumRelativeError (c-e) einsum written per head vs the flattened matMul, max relative error
     * @param decodeRelativeError variant (MHA, GQA, MQA) -> token-by-token decoding vs full causal forward
     * @param cacheBytesPerToken variant -> cache bytes per cached token (measured from the arrays, B = 1)
     * @param cost per-step operation counts and times (e-g)
     */
    public record Measured(int modelDim, int heads, Map<String, long[]> weightShapes, double einsumRelativeError,
                           Map<String, Double> decodeRelativeError, Map<String, Long> cacheBytesPerToken, MqaCost.Result cost) {}

    private final MqaCost.Plan plan;

    /** The claim of {@code lab reproduce}: full or quick plan by the context. */
    public MqaDecodingClaim() {
        this(null);
    }

    /** A claim with a fixed cost plan (tests: a planted kernel, no timing). */
    public MqaDecodingClaim(MqaCost.Plan plan) {
        this.plan = plan;
    }

    @Override
    public String id() {
        return "mqa-decoding";
    }

    @Override
    public String homeworkPart() {
        return "4(a-g)";
    }

    @Override
    public String prediction() {
        return "MQA: W_q [h,d,q], W_k [d,k], W_v [d,v], W_o [h,v,d]; cached decoding equals the full causal forward;"
                + " compute O(b d^2 + b n d) as MHA; memory access O(d^2 + b d + b n d / h) vs MHA's O(d^2 + b d + b n d)";
    }

    @Override
    public String tolerance() {
        return "shapes exact; decoding vs full forward relative error <= 1e-5 (float32); cache ratio MHA/MQA = h exactly; "
                + MqaCost.TOLERANCE;
    }

    @Override
    public Measured measure(ClaimContext context) throws ClaimNotRunnable {
        int d = 64;
        int h = 8;
        Decoding decoding = decoding(d, h, context.quick() ? 12 : 32);
        context.log("decode vs full forward " + decoding.errors() + "; cache bytes/token " + decoding.cacheBytesPerToken());
        MqaCost.Result cost = MqaCost.measure(plan != null ? plan : context.quick() ? MqaCost.Plan.quick() : MqaCost.Plan.full(),
                context);
        return new Measured(d, h, decoding.weightShapes(), decoding.einsumError(), decoding.errors(),
                decoding.cacheBytesPerToken(), cost);
    }

    @Override
    public String note(Measured m) {
        return MqaCost.note(m.cost());
    }

    /** What decoding measures: MQA shapes, the einsums, cached vs full forward per variant, cache bytes per token. */
    private record Decoding(Map<String, long[]> weightShapes, double einsumError, Map<String, Double> errors,
                            Map<String, Long> cacheBytesPerToken) {}

    /** (a-d): MQA weight shapes and einsums; MHA, GQA, MQA decoded token by token over n tokens against the full forward. */
    private static Decoding decoding(int d, int h, int n) {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, Double> errors = new LinkedHashMap<>();
        Map<String, Long> cachePerToken = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(4);
            DecoderWeights mqa = DecoderWeights.random(m, DecoderDims.of(d, h, 1));
            shapes.put("W_q", mqa.wq().getShape().getShape());
            shapes.put("W_k", mqa.wk().getShape().getShape());
            shapes.put("W_v", mqa.wv().getShape().getShape());
            shapes.put("W_o", mqa.wo().getShape().getShape());
            double einsum = einsumError(m, mqa);
            NDArray x = Samples.normal(m, 9, DataType.FLOAT32, 2, n, d); // [B,N,d]
            for (int g : new int[] {h, 2, 1}) {
                DecoderDims dims = DecoderDims.of(d, h, g);
                Engine.getInstance().setRandomSeed(4 + g);
                CachedSelfAttention attention = new CachedSelfAttention(DecoderWeights.random(m, dims));
                NDArray full = attention.fullForward(x); // [B,N,d]
                NDList steps = new NDList();
                try (KvCache cache = attention.newCache(m, 2, n)) {
                    for (int t = 0; t < n; t++) {
                        steps.add(attention.step(x.get(new NDIndex(":, {}", t)), cache).expandDims(1)); // [B,1,d]
                    }
                }
                errors.put(dims.variant(), RelativeError.of(NDArrays.concat(steps, 1), full));
                try (KvCache one = attention.newCache(m, 1, n)) {
                    cachePerToken.put(dims.variant(), one.sizeBytes() / n);
                }
            }
            return new Decoding(shapes, einsum, errors, cachePerToken);
        }
    }

    /** (c-e): the homework's einsums, one head (or one matrix) at a time, against the layer's flattened matMul. */
    private static double einsumError(NDManager m, DecoderWeights w) {
        DecoderDims dims = w.dims();
        NDArray x = Samples.normal(m, 10, DataType.FLOAT32, 3, dims.modelDim()); // [b,d]
        NDList perHead = new NDList();
        for (int i = 0; i < dims.heads(); i++) {
            perHead.add(x.matMul(w.wq().get(i)).expandDims(1)); // "bd,dq->bq" for head i -> [b,1,q]
        }
        NDArray q = NDArrays.concat(perHead, 1); // [b,h,q] = einsum("bd,hdq->bhq")
        NDArray qFlat = x.matMul(w.wq().transpose(1, 0, 2).reshape(dims.modelDim(), (long) dims.heads() * dims.keyDim()))
                .reshape(3, dims.heads(), dims.keyDim());
        NDArray k = x.matMul(w.wk()); // einsum("bd,dk->bk"): [b,k]
        NDArray v = x.matMul(w.wv()); // einsum("bd,dv->bv"): [b,v]
        boolean shapesOk = k.getShape().equals(new Shape(3, dims.keyDim())) && v.getShape().equals(new Shape(3, dims.valueDim()));
        return shapesOk ? RelativeError.of(qFlat, q) : Double.POSITIVE_INFINITY;
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        long d = measured.modelDim();
        long h = measured.heads();
        long k = d / h;
        Map<String, long[]> expected = new LinkedHashMap<>();
        expected.put("W_q", new long[] {h, d, k});
        expected.put("W_k", new long[] {d, k});
        expected.put("W_v", new long[] {d, k});
        expected.put("W_o", new long[] {h, k, d});
        expected.forEach((w, shape) -> {
            long[] got = measured.weightShapes().get(w);
            checks.add(Check.that(w + " shape (MQA)", Arrays.toString(shape), Arrays.toString(got), Arrays.equals(shape, got)));
        });
        checks.add(Check.atMost("einsum bd,hdq->bhq per head vs flattened matMul (k, v as bd,dk->bk), relative error",
                "equal", measured.einsumRelativeError(), MAX_RELATIVE_ERROR, "float32"));
        measured.decodeRelativeError().forEach((variant, err) -> checks.add(Check.atMost(
                variant + ": cached decoding vs full causal forward, relative error", "equal", err, MAX_RELATIVE_ERROR, "float32")));
        Long mha = measured.cacheBytesPerToken().get("MHA");
        Long mqa = measured.cacheBytesPerToken().get("MQA");
        checks.add(Check.that("cache bytes per token MHA / MQA", String.valueOf(h),
                mha + " / " + mqa + " = " + (mqa == null || mqa == 0 ? "n/a" : Format.number((double) mha / mqa)),
                mha != null && mqa != null && mha == h * mqa));
        checks.addAll(MqaCost.judge(measured.cost()));
        return checks;
    }
}
