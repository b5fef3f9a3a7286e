package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ClaimResult.evaluate on fabricated claims: what the verdict, the reason, the note and the reductions become. */
class ClaimResultTest {

    @TempDir
    Path tmp;

    /** A claim whose measurement is a number and whose judge is given. */
    private record Fixed(double value, List<Check> checks, Exception failure) implements Claim<Double> {

        public String id() {
            return "fixed";
        }

        public String homeworkPart() {
            return "0";
        }

        public String prediction() {
            return "p";
        }

        public String tolerance() {
            return "t";
        }

        public Double measure(ClaimContext context) throws Exception {
            if (failure != null) {
                throw failure;
            }
            context.size("samples", 10, 5);
            return value;
        }

        @Override
        public String note(Double measured) {
            return "measured " + measured;
        }

        public List<Check> judge(Double measured) {
            return checks;
        }
    }

    private ClaimResult evaluate(Fixed claim, boolean quick) {
        return ClaimResult.evaluate(claim, new ClaimContext("fixed", tmp, quick, new PrintStream(OutputStream.nullOutputStream())));
    }

    @Test
    void aClaimWhoseChecksPassHoldsWithNoReason() {
        ClaimResult r = evaluate(new Fixed(2.5, List.of(Check.that("a", "1", "1", true)), null), true);
        assertThat(r.verdict()).isEqualTo(Verdict.HOLDS);
        assertThat(r.reason()).isNull();
        assertThat(r.note()).isEqualTo("measured 2.5");
        assertThat(r.measured()).isEqualTo(2.5);
        assertThat(r.quickReductions()).containsExactly("5 of 10 samples");
        assertThat(r.verdictText()).isEqualTo("holds (quick: 5 of 10 samples)");
        assertThat(evaluate(new Fixed(2.5, List.of(Check.that("a", "1", "1", true)), null), false).verdictText()).isEqualTo("holds");
    }

    @Test
    void aFailingClaimNamesItsFailingChecks() {
        ClaimResult r = evaluate(new Fixed(1, List.of(Check.that("a", "1", "1", true), Check.that("b", "1", "2", false),
                Check.that("c", "1", "3", false)), null), false);
        assertThat(r.verdict()).isEqualTo(Verdict.FAILS);
        assertThat(r.reason()).isEqualTo("outside tolerance: b; c");
    }

    @Test
    void aClaimWithoutChecksFails() {
        ClaimResult r = evaluate(new Fixed(1, List.of(), null), false);
        assertThat(r.verdict()).isEqualTo(Verdict.FAILS);
        assertThat(r.reason()).isEqualTo("no checks were made");
    }

    @Test
    void aMeasurementThatThrowsIsNotRunWithTheCause() {
        ClaimResult broken = evaluate(new Fixed(1, List.of(Check.that("a", "1", "1", true)), new IllegalStateException("engine gone")), true);
        assertThat(broken.verdict()).isEqualTo(Verdict.NOT_RUN);
        assertThat(broken.reason()).isEqualTo("measurement failed: java.lang.IllegalStateException: engine gone");
        assertThat(broken.measured()).isNull();
        assertThat(broken.quickReductions()).isEmpty();
        assertThat(broken.checks()).isEmpty();
        ClaimResult missing = evaluate(new Fixed(1, List.of(), new ClaimNotRunnable("no configs")), false);
        assertThat(missing.verdict()).isEqualTo(Verdict.NOT_RUN);
        assertThat(missing.reason()).isEqualTo("no configs");
        assertThat(missing.verdictText()).isEqualTo("not-run");
    }
}
