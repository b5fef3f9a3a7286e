package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.claims.homework.ArgmaxStallClaim;
import attentionlab.experiments.layout.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The argmax-stall judge on fabricated run summaries: one that holds, then each measured value moved
 * just across its boundary, which must turn the verdict to fails (and the values just inside keep it).
 */
class ArgmaxStallJudgeTest {

    private static final ArgmaxStallClaim CLAIM = new ArgmaxStallClaim();

    /** A softmax and an argmax variant that satisfy every check; edits replace one field. */
    private record Runs(List<RunStatus> softmaxStatuses, List<RunStatus> argmaxStatuses, double softmaxAccuracy, double argmaxAccuracy,
                        Map<String, Double> argmaxMaxAbs, Map<String, Double> argmaxLogged, Map<String, Boolean> argmaxUnchanged) {

        static Runs holding() {
            return new Runs(List.of(RunStatus.COMPLETED, RunStatus.COMPLETED), List.of(RunStatus.COMPLETED, RunStatus.COMPLETED),
                    1.0, 0.25, grads(0, 0, 0.5, 0.25), grads(0, 0, 0.5, 0.25), Map.of("W_q", true, "W_k", true, "W_v", false, "W_o", false));
        }

        ArgmaxStallClaim.Measured measured() {
            Map<String, Double> moving = grads(0.1, 0.1, 0.5, 0.25);
            Map<String, Boolean> changed = Map.of("W_q", false, "W_k", false, "W_v", false, "W_o", false);
            Map<String, ArgmaxStallClaim.Variant> variants = new LinkedHashMap<>();
            variants.put("softmax", new ArgmaxStallClaim.Variant("softmax", softmaxStatuses, softmaxAccuracy, 0, moving, moving, changed));
            variants.put("argmax", new ArgmaxStallClaim.Variant("argmax", argmaxStatuses, argmaxAccuracy, 0, argmaxMaxAbs, argmaxLogged,
                    argmaxUnchanged));
            return new ArgmaxStallClaim.Measured("dir", 0.0625, variants);
        }

        Runs maxAbs(String w, double v) {
            return new Runs(softmaxStatuses, argmaxStatuses, softmaxAccuracy, argmaxAccuracy, with(argmaxMaxAbs, w, v), argmaxLogged,
                    argmaxUnchanged);
        }

        Runs logged(String w, double v) {
            return new Runs(softmaxStatuses, argmaxStatuses, softmaxAccuracy, argmaxAccuracy, argmaxMaxAbs, with(argmaxLogged, w, v),
                    argmaxUnchanged);
        }

        Runs unchanged(String w, boolean v) {
            return new Runs(softmaxStatuses, argmaxStatuses, softmaxAccuracy, argmaxAccuracy, argmaxMaxAbs, argmaxLogged,
                    with(argmaxUnchanged, w, v));
        }

        Runs accuracies(double softmax, double argmax) {
            return new Runs(softmaxStatuses, argmaxStatuses, softmax, argmax, argmaxMaxAbs, argmaxLogged, argmaxUnchanged);
        }

        Runs statuses(List<RunStatus> softmax, List<RunStatus> argmax) {
            return new Runs(softmax, argmax, softmaxAccuracy, argmaxAccuracy, argmaxMaxAbs, argmaxLogged, argmaxUnchanged);
        }
    }

    private static Map<String, Double> grads(double q, double k, double v, double o) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("W_q", q);
        m.put("W_k", k);
        m.put("W_v", v);
        m.put("W_o", o);
        return m;
    }

    private static <T> Map<String, T> with(Map<String, T> map, String key, T value) {
        Map<String, T> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Verdict verdict(Runs runs) {
        return ClaimResult.verdictOf(CLAIM.judge(runs.measured()));
    }

    private static Verdict verdict(UnaryOperator<Runs> edit) {
        return verdict(edit.apply(Runs.holding()));
    }

    @Test
    void holdsOnRunsThatShowTheStall() {
        assertThat(verdict(Runs.holding())).isEqualTo(Verdict.HOLDS);
        assertThat(CLAIM.judge(Runs.holding().measured())).hasSize(12);
    }

    @Test
    void anyGradientReachingWqOrWkFails() {
        for (String w : List.of("W_q", "W_k")) {
            assertThat(verdict(r -> r.maxAbs(w, Double.MIN_VALUE))).as("max |grad %s|", w).isEqualTo(Verdict.FAILS);
            assertThat(verdict(r -> r.maxAbs(w, Double.NaN))).as("max |grad %s| NaN", w).isEqualTo(Verdict.FAILS);
            assertThat(verdict(r -> r.logged(w, Double.MIN_VALUE))).as("logged ||grad %s||", w).isEqualTo(Verdict.FAILS);
            assertThat(verdict(r -> r.logged(w, Double.NaN))).as("logged ||grad %s|| NaN", w).isEqualTo(Verdict.FAILS);
            assertThat(verdict(r -> r.unchanged(w, false))).as("%s changed", w).isEqualTo(Verdict.FAILS);
        }
    }

    @Test
    void wvAndWoMustGetSomeGradient() {
        for (String w : List.of("W_v", "W_o")) {
            assertThat(verdict(r -> r.maxAbs(w, Double.MIN_VALUE))).as("%s tiny", w).isEqualTo(Verdict.HOLDS);
            assertThat(verdict(r -> r.maxAbs(w, 0))).as("%s zero", w).isEqualTo(Verdict.FAILS);
            assertThat(verdict(r -> r.maxAbs(w, Double.NaN))).as("%s NaN", w).isEqualTo(Verdict.FAILS);
        }
    }

    @Test
    void everyRunOfBothVariantsMustComplete() {
        List<RunStatus> mixed = List.of(RunStatus.COMPLETED, RunStatus.DIVERGED);
        List<RunStatus> done = List.of(RunStatus.COMPLETED);
        assertThat(verdict(r -> r.statuses(mixed, done))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(r -> r.statuses(done, mixed))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(r -> r.statuses(done, List.of()))).isEqualTo(Verdict.FAILS);
    }

    @Test
    void softmaxMustSolveAndArgmaxStayFarBelow() {
        double solved = ArgmaxStallClaim.SOLVED;
        assertThat(verdict(r -> r.accuracies(solved, 0.25))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(r -> r.accuracies(Math.nextDown(solved), 0.25))).isEqualTo(Verdict.FAILS);
        double gapEdge = 1.0 - ArgmaxStallClaim.GAP;
        assertThat(verdict(r -> r.accuracies(1.0, gapEdge))).isEqualTo(Verdict.HOLDS);
        assertThat(verdict(r -> r.accuracies(1.0, Math.nextUp(gapEdge)))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(r -> r.accuracies(Double.NaN, 0.25))).isEqualTo(Verdict.FAILS);
        assertThat(verdict(r -> r.accuracies(1.0, Double.NaN))).isEqualTo(Verdict.FAILS);
    }

    @Test
    void aMissingVariantFails() {
        ArgmaxStallClaim.Measured both = Runs.holding().measured();
        for (String missing : List.of("softmax", "argmax")) {
            Map<String, ArgmaxStallClaim.Variant> one = new LinkedHashMap<>(both.variants());
            one.remove(missing);
            List<Check> checks = CLAIM.judge(new ArgmaxStallClaim.Measured("dir", 0.0625, one));
            assertThat(ClaimResult.verdictOf(checks)).as("without %s", missing).isEqualTo(Verdict.FAILS);
        }
    }
}
