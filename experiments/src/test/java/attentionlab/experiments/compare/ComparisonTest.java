package attentionlab.experiments.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.tensorboard.RunScalars;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab compare on synthetic run directories: grouping, bands, smoothing, outputs. */
class ComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void groupsSeedsOfAVariantTogetherInSeedOrder() throws Exception {
        List<RunGroup> groups = RunGroup.byVariant(RunLoader.load(List.of(SyntheticRuns.experiment(tmp))));
        assertThat(groups).extracting(RunGroup::label).containsExactly("argmax", "softmax");
        assertThat(groups.get(1).seeds()).containsExactly(0L, 1L);
        assertThat(groups.get(1).runs().get(0).status()).isEqualTo(RunStatus.COMPLETED);
        assertThat(groups.get(0).runs().get(0).status()).isEqualTo(RunStatus.UNKNOWN);
    }

    @Test
    void labelsGroupsWithTheirExperimentWhenSeveralAreCompared() throws Exception {
        Path a = SyntheticRuns.experiment(tmp.resolve("a"));
        Path other = tmp.resolve("other").resolve("20260101-000000");
        SyntheticRuns.run(other, "softmax", 0, List.of("0,0,1,0.5,1,0.1"), null);
        List<RunGroup> groups = RunGroup.byVariant(RunLoader.load(List.of(a, other.resolve("softmax-s0"))));
        assertThat(groups).extracting(RunGroup::label).containsExactly("toy/argmax", "toy/softmax", "other/softmax");
    }

    @Test
    void bandIsMinMaxOrMeanPlusMinusSampleStd() throws Exception {
        RunGroup softmax = RunGroup.byVariant(RunLoader.load(List.of(SyntheticRuns.experiment(tmp)))).get(1);
        GroupCurve minmax = softmax.curve("train/loss", 0, Band.MINMAX);
        assertThat(minmax.steps()).containsExactly(0, 10, 20);
        assertThat(minmax.mean()).containsExactly(2, 3, 4);
        assertThat(minmax.lower()).containsExactly(1, 2, 3);
        assertThat(minmax.upper()).containsExactly(3, 4, 5);
        GroupCurve std = softmax.curve("train/loss", 0, Band.STD);
        double sd = Math.sqrt(2); // values 1 and 3: sum of squares 2, divided by n - 1 = 1
        assertThat(std.lower()[0]).isCloseTo(2 - sd, within(1e-12));
        assertThat(std.upper()[0]).isCloseTo(2 + sd, within(1e-12));
    }

    @Test
    void meanAtEachStepIsOverTheSeedsPresentThere() throws Exception {
        RunGroup softmax = RunGroup.byVariant(RunLoader.load(List.of(SyntheticRuns.experiment(tmp)))).get(1);
        GroupCurve acc = softmax.curve("val/accuracy", 0, Band.MINMAX); // seed 0 has no value at step 10
        assertThat(acc.steps()).containsExactly(0, 10, 20);
        assertThat(acc.n()).containsExactly(2, 1, 2);
        assertThat(acc.mean()[0]).isCloseTo(0.15, within(1e-12));
        assertThat(acc.mean()[1]).isCloseTo(0.5, within(1e-12)); // seed 1 alone
        assertThat(acc.mean()[2]).isCloseTo(0.95, within(1e-12));
        assertThat(acc.nChanges()).containsExactly(1, 2);
    }

    @Test
    void smoothingIsTensorBoardsDebiasedEma() {
        // w = 0.5: last = 0.5, 1.25, 2.125; debias 1 - 0.5^t = 0.5, 0.75, 0.875
        double[] s = Smoothing.debiasedEma(new double[] {1, 2, Double.NaN, 3}, 0.5);
        assertThat(s[0]).isCloseTo(1.0, within(1e-12));
        assertThat(s[1]).isCloseTo(1.25 / 0.75, within(1e-12));
        assertThat(s[2]).isNaN();
        assertThat(s[3]).isCloseTo(2.125 / 0.875, within(1e-12));
        assertThat(Smoothing.debiasedEma(new double[] {4, 4, 4}, 0.9)).containsExactly(4, 4, 4);
        assertThat(Smoothing.debiasedEma(new double[] {1, 5}, 0)).containsExactly(1, 5);
        assertThatThrownBy(() -> Smoothing.debiasedEma(new double[] {1}, 1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void smoothingAppliesPerRunBeforeAveraging() throws Exception {
        RunGroup softmax = RunGroup.byVariant(RunLoader.load(List.of(SyntheticRuns.experiment(tmp)))).get(1);
        GroupCurve c = softmax.curve("train/loss", 0.5, Band.MINMAX);
        // seed 0: 1, 1.25/0.75, 2.125/0.875; seed 1: 3, 4.75/... -> mean of the two smoothed series
        double s0 = 1.25 / 0.75;
        double s1 = (0.5 * 1.5 + 0.5 * 4) / 0.75;
        assertThat(c.mean()[1]).isCloseTo((s0 + s1) / 2, within(1e-12));
    }

    @Test
    void writesPngAndSvgPerMetricAndASummaryInANewDirectoryNextToTheExperiment() throws Exception {
        Path exp = SyntheticRuns.experiment(tmp);
        CompareResult r = Comparison.run(new CompareOptions(List.of(exp), List.of(), 0.6, Band.STD, null, true, false));
        assertThat(r.outDir().getParent()).isEqualTo(exp.toAbsolutePath().normalize().resolve("comparison"));
        assertThat(r.figures()).containsOnlyKeys("train/loss", "val/accuracy", "grad_norm/layer0_attention_W_q_weight");
        for (Path png : r.figures().values()) {
            assertThat(png).isRegularFile();
            assertThat(Files.size(png)).isGreaterThan(1000);
            assertThat(png.resolveSibling(png.getFileName().toString().replace(".png", ".svg"))).isRegularFile();
        }
        String summary = Files.readString(r.summary());
        // final loss 3 and 5 (last logged values, step 20); steps/s 20 and 10 from summary.json
        assertThat(summary).contains("| softmax | 2 of 2 | 20 | 15 +- 7.071 | 4 +- 1.414 |");
        assertThat(summary).contains("## Final values: unknown runs", "| argmax | 1 of 1 | 20 | 10 | 2 | 0.2 |");
        assertThat(summary).contains("| argmax | 0 of 1 | - | n/a | n/a | n/a |"); // no completed argmax run
        assertThat(r.eventFiles()).hasSize(3).allSatisfy(f -> assertThat(f).isRegularFile());
    }

    @Test
    void neverOverwritesAComparison() throws Exception {
        Path exp = SyntheticRuns.experiment(tmp);
        CompareResult first = Comparison.run(CompareOptions.of(List.of(exp)));
        CompareResult second = Comparison.run(CompareOptions.of(List.of(exp)));
        assertThat(second.outDir()).isNotEqualTo(first.outDir()).isDirectory();
        assertThat(first.summary()).isRegularFile();
        Path out = tmp.resolve("mine");
        assertThat(Comparison.run(CompareOptions.of(List.of(exp)).withOut(out)).outDir()).isEqualTo(out);
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(exp)).withOut(out)))
                .isInstanceOf(UserError.class).hasMessageContaining("--out " + out).hasMessageContaining("never overwrites");
    }

    @Test
    void aRunDirectoryAloneWritesNextToItsExperiment() throws Exception {
        Path exp = SyntheticRuns.experiment(tmp);
        CompareResult r = Comparison.run(CompareOptions.of(List.of(exp.resolve("argmax-s0"))).withMetrics(List.of("grad_norm/*W_q*")));
        assertThat(r.outDir().getParent()).isEqualTo(exp.toAbsolutePath().normalize().resolve("comparison"));
        assertThat(r.figures()).containsOnlyKeys("grad_norm/layer0_attention_W_q_weight");
    }

    @Test
    void metricPatternsMatchStarsAnywhereAndEverythingElseLiterally() {
        assertThat(Comparison.glob("grad_norm/*W_q*").matcher("grad_norm/layer0_attention_W_q_weight").matches()).isTrue();
        assertThat(Comparison.glob("grad_norm/*W_q*").matcher("grad_norm/layer0_attention_W_k_weight").matches()).isFalse();
        assertThat(Comparison.glob("val/accuracy").matcher("val/accuracy").matches()).isTrue();
        assertThat(Comparison.glob("val.accuracy").matcher("val/accuracy").matches()).isFalse(); // '.' is literal
        assertThat(Comparison.glob("*").matcher("anything").matches()).isTrue();
    }

    @Test
    void badInputIsAUserErrorNamingTheValue() throws Exception {
        Path exp = SyntheticRuns.experiment(tmp);
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(exp)).withMetrics(List.of("val/nope"))))
                .isInstanceOf(UserError.class).hasMessageContaining("val/nope").hasMessageContaining("train/loss");
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(tmp.resolve("missing")))))
                .isInstanceOf(UserError.class).hasMessageContaining("no such directory");
        assertThatThrownBy(() -> Comparison.run(CompareOptions.of(List.of(tmp))))
                .isInstanceOf(UserError.class).hasMessageContaining("neither a run directory");
    }

    /** The TensorBoard export gets each run's logged points (empty cells skipped) under experiment/variant-s<seed>. */
    @Test
    void runsBecomeTensorBoardScalarsWithTheirWallTimes() throws Exception {
        Path exp = tmp.resolve("toy").resolve("20260101-000000").resolve("softmax-s0");
        Files.createDirectories(exp);
        Files.writeString(exp.resolve("metrics.csv"), "step,wall_time_s,train/loss\n0,0.0,2.5\n10,1.0,\n20,2.0,1.5\n");
        List<RunScalars> runs = Comparison.scalars(List.of(RunRecord.load(exp)), List.of("train/loss"));
        assertThat(runs).singleElement().satisfies(r -> {
            assertThat(r.relativeDir()).isEqualTo(Path.of("toy", "softmax-s0"));
            assertThat(r.wallSteps()).containsExactly(0, 10, 20);
            assertThat(r.wallTimes()).containsExactly(0, 1, 2);
            assertThat(r.scalars()).singleElement().satisfies(s -> {
                assertThat(s.tag()).isEqualTo("train/loss");
                assertThat(s.steps()).containsExactly(0, 20);
                assertThat(s.values()).containsExactly(2.5, 1.5);
            });
        });
    }
}
