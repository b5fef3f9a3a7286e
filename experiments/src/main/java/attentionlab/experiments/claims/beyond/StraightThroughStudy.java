package attentionlab.experiments.claims.beyond;

import attentionlab.experiments.claims.ClaimContext;
import attentionlab.experiments.claims.Study;
import attentionlab.experiments.claims.Training;
import attentionlab.experiments.claims.homework.ArgmaxStallClaim;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.MetricColumns;
import java.util.List;
import java.util.Map;

/**
 * Straight-through argmax (kernel {@code argmax-st}): the forward pass is argmax's hard one-hot, the
 * backward pass softmax's gradient. Does a hard-attention model learn the lookup that plain argmax
 * cannot? Read from the same argmax-stall runs as claim 2(b) (trained once per invocation).
 */
public final class StraightThroughStudy implements Study<StraightThroughStudy.Measured> {

    /** @param variants argmax-stall variant -> its seeds' summary */
    public record Measured(String experimentDir, double chance, Map<String, ArgmaxStallClaim.Variant> variants) {}

    @Override
    public String id() {
        return "straight-through";
    }

    @Override
    public String title() {
        return "Straight-through argmax: hard attention in the forward pass that still learns";
    }

    @Override
    public String question() {
        return "With argmax's one-hot forward pass and softmax's gradient in the backward pass (argmax-st), do W_q and W_k"
                + " receive gradient and does the model solve the associative recall that argmax cannot?";
    }

    @Override
    public Measured measure(ClaimContext context) throws Exception {
        List<RunRecord> runs = Training.run(context, ArgmaxStallClaim.CONFIG);
        ArgmaxStallClaim.Measured read = ArgmaxStallClaim.fromRuns(runs);
        if (!runs.isEmpty()) {
            Training.compare(context, runs.get(0).dir().getParent(), List.of(MetricColumns.VAL_ACCURACY,
                    MetricColumns.gradNorm("*W_q_weight")));
        }
        return new Measured(read.experimentDir(), read.chance(), read.variants());
    }

    @Override
    public String findings(Measured m) {
        ArgmaxStallClaim.Variant st = m.variants().get("argmax-st");
        ArgmaxStallClaim.Variant argmax = m.variants().get("argmax");
        ArgmaxStallClaim.Variant softmax = m.variants().get("softmax");
        if (st == null) {
            return "the argmax-stall config has no argmax-st variant; nothing to report";
        }
        return "argmax-st reaches a final validation accuracy of " + Format.number(st.finalValAccuracy())
                + (argmax == null ? "" : " against argmax's " + Format.number(argmax.finalValAccuracy()))
                + (softmax == null ? "" : " and softmax's " + Format.number(softmax.finalValAccuracy()))
                + " (chance " + Format.number(m.chance()) + "); its W_q gets gradient (max |grad| " + Format.number(st.maxAbsGrad().get("W_q"))
                + ", argmax " + Format.number(argmax == null ? Double.NaN : argmax.maxAbsGrad().get("W_q")) + ") and its W_q weights "
                + (st.unchanged().get("W_q") ? "never change." : "move during training.");
    }
}
