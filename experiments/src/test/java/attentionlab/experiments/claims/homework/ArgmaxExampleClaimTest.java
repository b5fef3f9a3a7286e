package attentionlab.experiments.claims.homework;

import static attentionlab.experiments.claims.homework.ClaimFixtures.failing;
import static attentionlab.experiments.claims.homework.ClaimFixtures.measureAndJudge;
import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** argmax-example measures the project's kernels: it holds on the registered ones and fails on planted wrong ones. */
class ArgmaxExampleClaimTest {

    @TempDir
    Path tmp;

    private static final AttentionKernel ARGMAX = AttentionKernels.create("argmax");
    private static final AttentionKernel UNSCALED = AttentionKernels.create("softmax", new KernelOptions(1.0, false));

    @Test
    void holdsOnTheRegisteredKernels() throws Exception {
        assertThat(failing(measureAndJudge(new ArgmaxExampleClaim(), tmp))).isEmpty();
    }

    @Test
    void softmaxInPlaceOfArgmaxFailsTheOutput() throws Exception {
        assertThat(failing(measureAndJudge(new ArgmaxExampleClaim(AttentionKernels.create("softmax"), UNSCALED), tmp)))
                .containsExactly("argmax attention output");
    }

    /** Straight-through argmax has argmax's forward pass: the same output, so it holds (the claim is about outputs). */
    @Test
    void straightThroughArgmaxGivesTheSameOutput() throws Exception {
        assertThat(failing(measureAndJudge(new ArgmaxExampleClaim(AttentionKernels.create("argmax-st"), UNSCALED), tmp))).isEmpty();
    }

    @Test
    void scoresDividedBySqrtDFailEveryScore() throws Exception {
        assertThat(failing(measureAndJudge(new ArgmaxExampleClaim(ARGMAX, AttentionKernels.create("softmax")), tmp)))
                .hasSize(4).allMatch(c -> c.startsWith("score q.k_"));
    }

    /** Weights that are not a softmax (argmax's one-hot) give no logits: every score fails. */
    @Test
    void scoresFromAKernelThatIsNotASoftmaxFail() throws Exception {
        assertThat(failing(measureAndJudge(new ArgmaxExampleClaim(ARGMAX, ARGMAX), tmp))).hasSize(4);
    }
}
