package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.Claim;
import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.io.Format;
import attentionlab.models.attention.MultiHeadAttention;
import attentionlab.models.reference.ParameterNames;
import attentionlab.models.reference.PerHeadAttention;
import attentionlab.models.reference.RelativeError;
import attentionlab.models.reference.Samples;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Homework 3(a): W_q, W_k, W_v, W_o are all d_model x d_model; heads split d_model into H x d_k after
 * the projection; scores Q K^T / sqrt(d_k), softmax over keys, times V; combine, then W_o.
 *
 * <p>Measured on the project's block (d_model 64, 4 heads, random biases): parameter shapes, the split
 * shape and split/combine round trip, and the block's output against the obvious per-head loop built
 * from the same weights (full, causal and padded inputs).
 */
public final class MhaShapesClaim implements Claim<MhaShapesClaim.Measured> {

    static final int MODEL_DIM = 64;
    static final int HEADS = 4;
    /** float32 rounding of sums over 64 terms. */
    public static final double MAX_RELATIVE_ERROR = 1e-5;

    /**
     * @param weightShapes projection -> weight shape as DJL stores it, [out, in]
     * @param splitShape splitHeads of [B,N,d_model]
     * @param roundTripError max |combine(split(x)) - x|
     * @param loopRelativeError mask case -> max |block - loop| / max |loop|
     */
    public record Measured(int modelDim, int heads, Map<String, long[]> weightShapes, long[] splitShape,
                           double roundTripError, Map<String, Double> loopRelativeError) {}

    @Override
    public String id() {
        return "mha-shapes";
    }

    @Override
    public String homeworkPart() {
        return "3(a)";
    }

    @Override
    public String prediction() {
        return "W_q, W_k, W_v, W_o are all Linear(d_model, d_model); heads split d_model into H x d_k after projection;"
                + " softmax(Q K^T / sqrt(d_k)) V per head, combined, then W_o";
    }

    @Override
    public String tolerance() {
        return "shapes exact; block vs per-head loop: relative error <= 1e-5 (float32)";
    }

    @Override
    public Measured measure(ClaimContext context) {
        int b = 2;
        int n = 7;
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, Double> errors = new LinkedHashMap<>();
            NDArray x = Samples.normal(m, 11, DataType.FLOAT32, b, n, MODEL_DIM);
            for (String mask : List.of("none", "causal", "padding")) {
                MultiHeadAttention mha = MultiHeadAttention.builder().setModelDim(MODEL_DIM).setHeads(HEADS)
                        .optCausal(mask.equals("causal")).build();
                mha.setInitializer(new NormalInitializer(0.5f), Parameter.Type.BIAS); // non-zero biases are part of the check
                ai.djl.engine.Engine.getInstance().setRandomSeed(3);
                mha.initialize(m, DataType.FLOAT32, new Shape(b, n, MODEL_DIM));
                if (shapes.isEmpty()) {
                    for (String w : List.of("W_q", "W_k", "W_v", "W_o")) {
                        shapes.put(w, ParameterNames.find(mha, w + "_weight").getArray().getShape().getShape());
                    }
                }
                NDArray keyValid = mask.equals("padding")
                        ? m.create(new boolean[] {true, true, true, true, true, false, false, true, true, true, true, true, true, true})
                                .reshape(b, n)
                        : null;
                NDList input = keyValid == null ? new NDList(x) : new NDList(x, keyValid);
                NDArray block = mha.forward(new ParameterStore(m, false), input, false).head(); // [B,N,d_model]
                NDArray loop = PerHeadAttention.forward(mha, x, keyValid);
                errors.put(mask, RelativeError.of(block, loop));
            }
            NDArray split = MultiHeadAttention.splitHeads(x, HEADS); // [B,H,N,d_k]
            double roundTrip = MultiHeadAttention.combineHeads(split).sub(x).abs().max().getFloat();
            context.log("weight shapes " + describe(shapes) + "; block vs loop relative error " + errors);
            return new Measured(MODEL_DIM, HEADS, shapes, split.getShape().getShape(), roundTrip, errors);
        }
    }

    @Override
    public List<Check> judge(Measured measured) {
        List<Check> checks = new ArrayList<>();
        long d = measured.modelDim();
        long[] square = {d, d};
        measured.weightShapes().forEach((w, shape) -> checks.add(Check.that(w + " weight shape [out, in]",
                Arrays.toString(square), Arrays.toString(shape), Arrays.equals(square, shape))));
        long[] split = {2, measured.heads(), 7, d / measured.heads()};
        checks.add(Check.that("split_heads([B,N,d_model]) shape", Arrays.toString(split), Arrays.toString(measured.splitShape()),
                Arrays.equals(split, measured.splitShape())));
        checks.add(Check.that("combine_heads(split_heads(x)) == x", "0", Format.number(measured.roundTripError()),
                measured.roundTripError() == 0));
        measured.loopRelativeError().forEach((mask, err) -> checks.add(Check.atMost(
                "block vs per-head loop (mask: " + mask + "), relative error", "equal", err, MAX_RELATIVE_ERROR, "float32")));
        return checks;
    }

    private static String describe(Map<String, long[]> shapes) {
        List<String> parts = new ArrayList<>();
        shapes.forEach((w, s) -> parts.add(w + " " + Arrays.toString(s)));
        return String.join(", ", parts);
    }
}
