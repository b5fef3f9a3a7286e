package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quick mode says what it did not measure, next to the verdict it weakens, and only there. */
class QuickModeTest {

    @TempDir
    Path tmp;

    private ClaimContext context(boolean quick) {
        return new ClaimContext("x", tmp, quick, new PrintStream(OutputStream.nullOutputStream()));
    }

    private Path config(String train) throws Exception {
        return Files.writeString(tmp.resolve("c.yaml"), """
                experiment: c
                task:  {name: copy, length: 4, vocab: 5}
                model: {d_model: 16, heads: 2, layers: 1, kernel: softmax}
                """ + "train: " + train + "\n");
    }

    @Test
    void quickTrainingIsTheFirstSeedForAtMostQuickStepsAndSaysSo() throws Exception {
        ClaimContext quick = context(true);
        Training.Overrides o = Training.Overrides.of(quick, config("{steps: 400, lr: 0.01, seeds: [3, 5, 7]}"));
        assertThat(o.seed()).isEqualTo(3L);
        assertThat(o.sets()).containsExactly("train.steps=" + Training.QUICK_STEPS);
        assertThat(quick.reductions()).containsExactly("1 of 3 seeds", "150 of 400 steps");

        ClaimContext shortRun = context(true);
        Training.Overrides s = Training.Overrides.of(shortRun, config("{steps: 150, lr: 0.01, seeds: [4]}"));
        assertThat(s.seed()).isEqualTo(4L);
        assertThat(s.sets()).isEmpty();
        assertThat(shortRun.reductions()).isEmpty(); // nothing was left out

        ClaimContext full = context(false);
        Training.Overrides f = Training.Overrides.of(full, config("{steps: 400, lr: 0.01, seeds: [3, 5, 7]}"));
        assertThat(f.seed()).isNull();
        assertThat(f.sets()).isEmpty();
        assertThat(full.reductions()).isEmpty();
    }

    @Test
    void sizesAreReducedOnlyInQuickModeAndItemised() {
        ClaimContext full = context(false);
        assertThat(full.size("pairs", 200, 20)).isEqualTo(200);
        assertThat(full.reductions()).isEmpty();
        ClaimContext quick = context(true);
        assertThat(quick.size("pairs", 200, 20)).isEqualTo(20);
        assertThat(quick.size("draws", 5, 5)).isEqualTo(5);
        assertThat(quick.reductions()).containsExactly("20 of 200 pairs");
    }

    @Test
    void aClaimThatReadsQuickWithoutItemisingIsMarkedAsReduced() {
        ClaimContext quick = context(true);
        assertThat(quick.reductions()).isEmpty();
        assertThat(quick.quick()).isTrue();
        assertThat(quick.reductions()).containsExactly("reduced sizes");
        ClaimContext full = context(false);
        assertThat(full.quick()).isFalse();
        assertThat(full.reductions()).isEmpty();
    }

    @Test
    void theVerdictTextCarriesTheReductions() {
        ClaimResult weakened = new ClaimResult("x", "1", "p", null, "t", Verdict.HOLDS, List.of("1 of 3 seeds", "150 of 400 steps"),
                null, null, List.of(), List.of(), 0);
        assertThat(weakened.verdictText()).isEqualTo("holds (quick: 1 of 3 seeds, 150 of 400 steps)");
        ClaimResult full = new ClaimResult("x", "1", "p", null, "t", Verdict.FAILS, List.of(), null, null, List.of(), List.of(), 0);
        assertThat(full.verdictText()).isEqualTo("fails");
    }
}
