package attentionlab.experiments.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import attentionlab.experiments.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * compare must never mislead (issue 14): a diverged seed among three, two experiments of one name,
 * pooling, damaged metrics files, a std band on a log axis.
 */
class HonestComparisonTest {

    @TempDir
    Path tmp;

    private RunGroup softmax(Path exp) {
        return RunGroup.byVariant(RunLoader.load(List.of(exp))).stream().filter(g -> g.label().equals("softmax")).findFirst()
                .orElseThrow();
    }

    /** The mean goes on after seeds diverge, over the seeds still present, and n says how many. */
    @Test
    void aDivergedSeedLeavesTheMeanWhereItEndedAndNDrops() throws Exception {
        GroupCurve loss = softmax(SyntheticRuns.divergedSeed(tmp)).curve("train/loss", 0, Band.MINMAX);
        assertThat(loss.steps()).hasSize(201); // every step to 200, not cut to the 14 steps all seeds reached
        assertThat(loss.n()[13]).isEqualTo(3);
        assertThat(loss.n()[14]).isEqualTo(2); // seed 1's NaN at step 14 is not a value
        assertThat(loss.n()[117]).isEqualTo(1);
        assertThat(loss.n()[200]).isEqualTo(1);
        assertThat(loss.nChanges()).containsExactly(14, 117);
        // step 100: seeds 0 and 2 present: (1.5 + 1.7) / 2
        assertThat(loss.mean()[100]).isCloseTo(1.6, within(1e-9));
        assertThat(loss.mean()[150]).isCloseTo(1.25, within(1e-9)); // seed 0 alone
        assertThat(loss.lower()[100]).isCloseTo(1.5, within(1e-9));
        assertThat(loss.upper()[100]).isCloseTo(1.7, within(1e-9));
    }

    @Test
    void theFigureDrawsEverySeedAndMarksWhereTheDivergedOnesEnded() throws Exception {
        List<RunGroup> groups = RunGroup.byVariant(RunLoader.load(List.of(SyntheticRuns.divergedSeed(tmp))));
        XYChart chart = MetricPlot.chart("train/loss", groups, 0, Band.MINMAX);
        assertThat(chart.getSeriesMap()).containsKeys("softmax s0", "softmax s1", "softmax s2",
                "softmax (mean of 3 seeds, n shown where fewer)", "argmax (mean of 3 seeds)");
        XYSeries ended = chart.getSeriesMap().get("softmax: diverged s1 @ 14, s2 @ 117");
        assertThat(ended).isNotNull();
        assertThat(ended.getXData()).containsExactly(13, 116); // their last finite points
        assertThat(ended.getYData()).containsExactly(10, 10);
        assertThat(chart.getSeriesMap().get("softmax s1").getXData()).hasSize(14); // steps 0-13, the NaN left out
    }

    @Test
    void theSummaryReportsFinalValuesPerStatusWithTheirStepAndNamesTheExcludedRuns() throws Exception {
        Path exp = SyntheticRuns.divergedSeed(tmp);
        String md = ComparisonSummary.markdown(RunGroup.byVariant(RunLoader.load(List.of(exp))), CompareOptions.of(List.of(exp)));
        assertThat(md).contains("## Final values: completed runs");
        assertThat(md).contains("| softmax | 1 of 3 | 200 | 10 | 1 | 0.7 |"); // seed 0 alone: loss 1 at step 200, 200 steps in 20 s
        assertThat(md).contains("| argmax | 3 of 3 | 200 |");
        assertThat(md).contains("softmax s1 (diverged at step 14: non-finite loss at step 14)",
                "softmax s2 (diverged at step 117: non-finite loss at step 117)");
        assertThat(md).contains("## Final values: diverged runs",
                "| softmax | 2 of 3 | 14, 117 | 10 +- 0 | 10 +- 0 (step 13, 116) | 0.35 +- 0.1768 (step 10, 110) |");
        assertThat(md.indexOf("## Final values: completed")).isLessThan(md.indexOf("## Final values: diverged"));
    }

    /** Two invocations of one config, same experiment name: two groups of one seed each, not one of two. */
    @Test
    void twoExperimentDirectoriesOfOneNameAreNeverMerged() throws Exception {
        Path a = tmp.resolve("toy/20260101-000000");
        Path b = tmp.resolve("toy/20260101-000500");
        SyntheticRuns.config(SyntheticRuns.run(a, "softmax", 0, List.of("0,0,1,0.5,1,0.1"), null), "toy", "softmax", 0, 0.001);
        SyntheticRuns.config(SyntheticRuns.run(b, "softmax", 0, List.of("0,0,3,0.5,1,0.1"), null), "toy", "softmax", 0, 0.001);
        List<RunGroup> groups = RunGroup.of(RunLoader.load(List.of(a, b)), false);
        assertThat(groups).extracting(RunGroup::label)
                .containsExactly("toy@20260101-000000/softmax", "toy@20260101-000500/softmax");
        assertThat(groups).allSatisfy(g -> assertThat(g.runs()).hasSize(1));
        assertThatThrownBy(() -> RunGroup.of(RunLoader.load(List.of(a, b)), true)).isInstanceOf(UserError.class)
                .hasMessageContaining("seed 0 twice");
    }

    @Test
    void poolingMergesRunsThatDifferOnlyInTheSeedAndNamesTheKeysOtherwise() throws Exception {
        Path a = tmp.resolve("toy/20260101-000000");
        Path b = tmp.resolve("toy/20260101-000500");
        Path c = tmp.resolve("toy/20260101-001000");
        SyntheticRuns.config(SyntheticRuns.run(a, "softmax", 0, List.of("0,0,1,0.5,1,0.1"), null), "toy", "softmax", 0, 0.001);
        SyntheticRuns.config(SyntheticRuns.run(b, "softmax", 1, List.of("0,0,3,0.5,1,0.1"), null), "toy", "softmax", 1, 0.001);
        SyntheticRuns.config(SyntheticRuns.run(c, "softmax", 2, List.of("0,0,3,0.5,1,0.1"), null), "toy", "softmax", 2, 0.01);
        List<RunGroup> pooled = RunGroup.of(RunLoader.load(List.of(a, b)), true);
        assertThat(pooled).singleElement().satisfies(g -> {
            assertThat(g.label()).isEqualTo("softmax");
            assertThat(g.seeds()).containsExactly(0, 1);
        });
        assertThatThrownBy(() -> RunGroup.of(RunLoader.load(List.of(a, c)), true)).isInstanceOf(UserError.class)
                .hasMessageContaining("differ in more than the seed: train.lr: 0.001 vs 0.01")
                .hasMessageNotContaining("train.seeds");
    }

    @Test
    void aStdBandOnALogAxisNeverReachesBelowTheLowestSeed() {
        List<Series> seeds = List.of(new Series(new double[] {0}, new double[] {1}), new Series(new double[] {0}, new double[] {100}));
        GroupCurve linear = GroupCurve.of("g", seeds, Band.STD, false);
        GroupCurve log = GroupCurve.of("g", seeds, Band.STD, true);
        double sd = 99 / Math.sqrt(2);
        assertThat(linear.lower()[0]).isCloseTo(50.5 - sd, within(1e-9)); // negative: fine on a linear axis
        assertThat(log.lower()[0]).isEqualTo(1); // the lowest seed, not a clamp to the zero floor
        assertThat(log.upper()[0]).isCloseTo(50.5 + sd, within(1e-9));
    }

    @Test
    void aMetricsFileWithATruncatedHeaderOrOnlyNanIsAnErrorNamingTheFile() throws Exception {
        Path exp = tmp.resolve("toy/20260101-000000");
        Path cut = Files.createDirectories(exp.resolve("softmax-s0")).resolve("metrics.csv");
        Files.writeString(cut, "step,wall_time_s,train/lo\n0,0.0,2.5,0.5\n");
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(exp)))).isInstanceOf(UserError.class)
                .hasMessageStartingWith(cut.toString()).hasMessageContaining("line 2 has 4 cells but the header has 3 columns")
                .hasMessageContaining("header is truncated");
        Files.writeString(cut, "step,wall_time_s,train/lo");
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(exp)))).isInstanceOf(UserError.class)
                .hasMessageContaining("the header is cut short");
        Files.writeString(cut, "step,wall_time_s,train/loss\n0,0.0,NaN\n1,0.1,\n");
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(exp)))).isInstanceOf(UserError.class)
                .hasMessageStartingWith(cut.toString()).hasMessageContaining("no finite value in any metric column");
        assertThat(exp.resolve("comparison")).doesNotExist();
    }

    @Test
    void aRowCutShortByAKilledRunIsLeftOutAndTheRestIsRead() throws Exception {
        Path exp = tmp.resolve("toy/20260101-000000");
        Path csv = Files.createDirectories(exp.resolve("softmax-s0")).resolve("metrics.csv");
        Files.writeString(csv, "step,wall_time_s,train/loss\n0,0.0,2.5\n1,0.1,2.4\n2,0.2,2.");
        assertThat(RunRecord.load(csv.getParent()).metrics().series("train/loss").values()).containsExactly(2.5, 2.4);
    }
}
