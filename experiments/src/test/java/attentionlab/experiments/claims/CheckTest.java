package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.layout.RunStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each kind of check on both sides of its boundary (values exact in binary), and on NaN. */
class CheckTest {

    @Test
    void closeIsInclusiveOfItsTolerance() {
        assertThat(Check.close("x", 1, 1.25, 0.25, "").passed()).isTrue();
        assertThat(Check.close("x", 1, 0.75, 0.25, "").passed()).isTrue();
        assertThat(Check.close("x", 1, Math.nextUp(1.25), 0.25, "").passed()).isFalse();
        assertThat(Check.close("x", 1, Math.nextDown(0.75), 0.25, "").passed()).isFalse();
        assertThat(Check.close("x", 1, Double.NaN, 0.25, "").passed()).isFalse();
        assertThat(Check.close("x", 1, 1, 0.25, "why").tolerance()).isEqualTo("|measured - predicted| <= 0.25 (why)");
        assertThat(Check.close("x", 1, 1, 0.25, "").tolerance()).isEqualTo("|measured - predicted| <= 0.25");
    }

    @Test
    void withinStandardErrorsIsInclusiveAndRejectsAZeroOrMissingError() {
        assertThat(Check.withinStandardErrors("x", 2, 2.75, 0.25, 3).passed()).isTrue(); // z = 3
        assertThat(Check.withinStandardErrors("x", 2, 1.25, 0.25, 3).passed()).isTrue(); // z = -3
        assertThat(Check.withinStandardErrors("x", 2, Math.nextUp(2.75), 0.25, 3).passed()).isFalse();
        assertThat(Check.withinStandardErrors("x", 2, Math.nextDown(1.25), 0.25, 3).passed()).isFalse();
        assertThat(Check.withinStandardErrors("x", 2, 2.5, 0, 3).passed()).isFalse(); // z infinite
        assertThat(Check.withinStandardErrors("x", 2, 2, 0, 3).passed()).isFalse(); // z = 0 / 0
        assertThat(Check.withinStandardErrors("x", 2, Double.NaN, 0.25, 3).passed()).isFalse();
        Check c = Check.withinStandardErrors("x", 2, 2.5, 0.25, 3);
        assertThat(c.measured()).isEqualTo("2.5 (SE 0.25, z = +2.00)");
        assertThat(c.tolerance()).isEqualTo("within 3 standard errors");
    }

    @Test
    void boundsAreInclusiveExceptAbove() {
        assertThat(Check.atMost("x", "p", 0.5, 0.5, "").passed()).isTrue();
        assertThat(Check.atMost("x", "p", Math.nextUp(0.5), 0.5, "").passed()).isFalse();
        assertThat(Check.atMost("x", "p", Double.NaN, 0.5, "").passed()).isFalse();
        assertThat(Check.atLeast("x", "p", 0.5, 0.5, "").passed()).isTrue();
        assertThat(Check.atLeast("x", "p", Math.nextDown(0.5), 0.5, "").passed()).isFalse();
        assertThat(Check.atLeast("x", "p", Double.NaN, 0.5, "").passed()).isFalse();
        assertThat(Check.above("x", "p", Double.MIN_VALUE, 0).passed()).isTrue();
        assertThat(Check.above("x", "p", 0, 0).passed()).isFalse();
        assertThat(Check.above("x", "p", Double.NaN, 0).passed()).isFalse();
        assertThat(Check.atMost("x", "p", 1, 2, "why").tolerance()).isEqualTo("<= 2 (why)");
        assertThat(Check.atLeast("x", "p", 1, 2, "").tolerance()).isEqualTo(">= 2");
        assertThat(Check.above("x", "p", 1, 2).tolerance()).isEqualTo("> 2");
    }

    @Test
    void completedNeedsEveryRunAndAtLeastOne() {
        assertThat(Check.completed("x", List.of(RunStatus.COMPLETED, RunStatus.COMPLETED)).passed()).isTrue();
        assertThat(Check.completed("x", List.of(RunStatus.COMPLETED, RunStatus.DIVERGED)).passed()).isFalse();
        assertThat(Check.completed("x", List.of(RunStatus.FAILED, RunStatus.COMPLETED)).passed()).isFalse();
        assertThat(Check.completed("x", List.of()).passed()).isFalse();
        assertThat(Check.completed("x", List.of(RunStatus.COMPLETED, RunStatus.INTERRUPTED)).measured()).isEqualTo("completed, interrupted");
    }

    @Test
    void aVerdictHoldsOnlyWithChecksThatAllPass() {
        Check pass = Check.that("a", "p", "m", true);
        Check fail = Check.that("b", "p", "m", false);
        assertThat(ClaimResult.verdictOf(List.of(pass, pass))).isEqualTo(Verdict.HOLDS);
        assertThat(ClaimResult.verdictOf(List.of(pass, fail))).isEqualTo(Verdict.FAILS);
        assertThat(ClaimResult.verdictOf(List.of(fail, pass))).isEqualTo(Verdict.FAILS);
        assertThat(ClaimResult.verdictOf(List.of())).isEqualTo(Verdict.FAILS);
    }
}
