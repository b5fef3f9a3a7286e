package attentionlab.experiments.claims.beyond;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import attentionlab.experiments.compare.MetricsTable;
import attentionlab.experiments.compare.RunRecord;
import attentionlab.experiments.compare.Series;
import attentionlab.experiments.maps.Snapshot;
import attentionlab.experiments.maps.SyntheticSnapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sparse-spectrum study's measurements on synthetic inputs with known answers: exact zeros,
 * one-key rows and top-key changes of snapshots, gradient norms over training, attention on the
 * matching key, and all of them read from one synthetic run directory.
 */
class SparseSpectrumMeasuresTest {

    /** One layer, one example, two heads, N = M = 2: rows [1,0] [.5,.5] | [0,1] [1e-9,1]. */
    static final float[] START = {1, 0, 0.5f, 0.5f, 0, 1, 1e-9f, 1};
    /** Rows [0,1] [.6,.4] | [0,1] [1,0]. */
    static final float[] END = {0, 1, 0.6f, 0.4f, 0, 1, 1, 0};

    static Snapshot snapshot(int step, float[] weights) {
        return new Snapshot(step, List.of(weights), 1, 2, 2, 2);
    }

    @TempDir
    Path tmp;

    /** Planted bugs caught: counting tiny weights (1e-9) as zero, a fraction over rows instead of weights. */
    @Test
    void exactZeroFractionCountsOnlyExactZeros() {
        assertThat(snapshot(0, START).exactZeroFraction()).isEqualTo(2 / 8.0);
        assertThat(snapshot(9, END).exactZeroFraction()).isEqualTo(3 / 8.0);
        Snapshot twoLayers = new Snapshot(0, List.of(START, new float[8]), 1, 2, 2, 2);
        assertThat(twoLayers.exactZeroFraction()).isEqualTo(10 / 16.0);
    }

    /** Planted bugs caught: a row with a tiny second weight counted as one-key, the last index winning ties. */
    @Test
    void oneKeyRowsAndTopKeyChanges() {
        assertThat(snapshot(0, START).oneKeyRowFraction()).isEqualTo(2 / 4.0);
        assertThat(snapshot(9, END).oneKeyRowFraction()).isEqualTo(3 / 4.0);
        // top keys: start 0, 0 (tie: the first), 1, 1; end 1, 0, 1, 0
        assertThat(snapshot(0, START).topKeyChangedFraction(snapshot(9, END))).isEqualTo(2 / 4.0);
        assertThat(snapshot(0, START).topKeyChangedFraction(snapshot(0, START))).isZero();
    }

    /** Planted bugs caught: "late" including the 3/4 boundary step, zero steps counted with a tolerance. */
    @Test
    void gradientOverTraining() {
        Series norm = new Series(new double[] {1, 2, 3, 4, 5, 6, 7, 8}, new double[] {8, 0, 4, 0, 2, 2, 0, 6});
        SparseSpectrumStudy.Gradient g = SparseSpectrumStudy.gradient(norm);
        assertThat(g.mean()).isEqualTo(22 / 8.0);
        assertThat(g.late()).isEqualTo(3.0); // steps 7 and 8: (0 + 6) / 2
        assertThat(g.zeroSteps()).isEqualTo(3 / 8.0);
        assertThat(SparseSpectrumStudy.gradient(new Series(new double[] {1, 2}, new double[] {1e-30, 0})).zeroSteps()).isEqualTo(0.5);
        assertThat(SparseSpectrumStudy.bothZero(new Series(new double[] {1, 2, 3}, new double[] {0, 1, 0}),
                new Series(new double[] {1, 2, 3}, new double[] {0, 0, 2}))).isEqualTo(1 / 3.0);
    }

    /**
     * Planted bugs caught: the W_q norm mixing in W_k or bias columns, or summing instead of the root of
     * the sum of squares over layers; the best head's attention taken from the best row instead of the last.
     */
    @Test
    void projectionNormAndAttentionOnTheMatchingKeyFromMetrics() throws IOException {
        Path csv = Files.writeString(tmp.resolve("metrics.csv"), """
                step,wall_time_s,grad_norm/layer0_attention_W_q_weight,grad_norm/layer0_attention_W_q_bias,\
                grad_norm/layer1_attention_W_q_weight,grad_norm/layer0_attention_W_k_weight,attn_target/layer0_head0,attn_target/layer0_head1
                1,0.1,3,100,4,7,,
                2,0.2,0,100,0,7,0.95,0.5
                3,0.3,6,100,8,7,0.2,0.9
                """);
        MetricsTable metrics = MetricsTable.read(csv);
        Series wq = SparseSpectrumStudy.projectionNorm(metrics, "W_q");
        assertThat(wq.steps()).containsExactly(1, 2, 3);
        assertThat(wq.values()).containsExactly(5, 0, 10);
        assertThat(SparseSpectrumStudy.bestHeadOnTarget(metrics)).isEqualTo(0.9);
        Path none = Files.writeString(tmp.resolve("none.csv"), "step,wall_time_s,val/accuracy\n1,0.1,0.5\n");
        assertThat(SparseSpectrumStudy.bestHeadOnTarget(MetricsTable.read(none))).isNaN();
    }

    /** Planted bug caught: the snapshot of a middle step read as the start or the end. */
    @Test
    void aRunIsMeasuredFromItsFiles() throws IOException {
        Path dir = SyntheticSnapshots.run(tmp.resolve("sparse-spectrum/20260101-000000/sparsemax-s2"), """
                        step,wall_time_s,val/accuracy,grad_norm/layer0_attention_W_q_weight,grad_norm/layer0_attention_W_k_weight,attn_target/layer0_head0,attn_target/layer0_head1
                        0,0,0.1,,,0.3,0.2
                        1,0.1,,2,0,,
                        2,0.2,,0,0,,
                        3,0.3,,0,1,,
                        4,0.4,0.75,4,3,0.4,0.6
                        """, SyntheticSnapshots.untargeted(1, 2), 2, 2,
                Map.of(0, List.of(START), 2, List.of(new float[8]), 4, List.of(END)));
        SparseSpectrumStudy.Run run = SparseSpectrumStudy.measureRun(RunRecord.load(dir));
        assertThat(run.seed()).isEqualTo(2);
        assertThat(run.keys()).isEqualTo(2);
        assertThat(run.zerosAtStart()).isEqualTo(0.25);
        assertThat(run.zerosAtEnd()).isEqualTo(0.375);
        assertThat(run.oneKeyRows()).isEqualTo(0.75);
        assertThat(run.topKeyChanged()).isEqualTo(0.5);
        assertThat(run.finalValAccuracy()).isEqualTo(0.75);
        assertThat(run.onTarget()).isEqualTo(0.6);
        assertThat(run.gradWq().mean()).isEqualTo(1.5);
        assertThat(run.gradWk().mean()).isEqualTo(1.0);
        assertThat(run.zeroGradSteps()).isEqualTo(0.25);

        SparseSpectrumStudy.Kernel kernel = SparseSpectrumStudy.kernel("sparsemax", List.of(run, run));
        assertThat(kernel.zerosAtEnd()).isEqualTo(0.375);
        assertThat(kernel.meanGradWq()).isCloseTo(1.5, within(1e-12));
        assertThat(new SparseSpectrumStudy().findings(new SparseSpectrumStudy.Measured(null, true, 4, 0.0625, List.of(kernel))))
                .contains("sparsemax: 37.5% exact zeros (25.0% at step 0), 75.0% of rows on one key, accuracy 0.750",
                        "quick mode", "2 seeds");
    }
}
