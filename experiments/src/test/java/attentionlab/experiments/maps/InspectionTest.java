package attentionlab.experiments.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunLayout;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.HeatMapChart;

/**
 * {@code lab inspect} on a synthetic run (2 layers, 3 heads, N = 3, 2 examples, snapshots at steps 0 and
 * 10): a PNG and an SVG per step and layer, a panel per head holding that head's map, the matching key
 * marked, exact zeros left undrawn; bad input is one line naming what exists, and creates nothing.
 */
class InspectionTest {

    static final int HEADS = 3;
    static final int N = 3;

    @TempDir
    Path tmp;

    Path run;
    SnapshotExamples examples;

    /** Layer l, head h, query i of example e at step 10: one-hot on key (i + h + l + e) mod 3; uniform at step 0. */
    static float[] weights(int step, int layer) {
        float[] w = new float[2 * HEADS * N * N];
        for (int e = 0; e < 2; e++) {
            for (int h = 0; h < HEADS; h++) {
                for (int i = 0; i < N; i++) {
                    for (int j = 0; j < N; j++) {
                        w[((e * HEADS + h) * N + i) * N + j] = step == 0 ? 1f / N : (j == (i + h + layer + e) % N ? 1 : 0);
                    }
                }
            }
        }
        return w;
    }

    @BeforeEach
    void synthetic() throws IOException {
        examples = new SnapshotExamples(List.of(0, 1), List.of(List.of("k1 v2", "k0 v1", "k0 ?"), List.of("a", "b", "c")),
                List.of(2, -1), List.of(1, -1));
        run = SyntheticSnapshots.run(tmp.resolve("exp/20260101-000000/softmax-s0"), "step,wall_time_s,train/loss\n0,0,1\n",
                examples, HEADS, N, Map.of(0, List.of(weights(0, 0), weights(0, 1)), 10, List.of(weights(10, 0), weights(10, 1))));
    }

    /** Planted bug caught: a figure per step only (a layer missing), or no SVG beside a PNG. */
    @Test
    void writesAPngAndAnSvgForEveryStepAndLayer() throws IOException {
        Inspection.Result result = Inspection.run(new Inspection.Options(run, List.of(), 0, null));
        assertThat(result.outDir().getParent()).isEqualTo(run.resolve("inspect"));
        assertThat(result.outDir().getFileName().toString()).matches("\\d{8}-\\d{6}(-\\d+)?");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(result.outDir())) {
            files.forEach(f -> names.add(f.getFileName().toString()));
        }
        List<String> expected = new ArrayList<>();
        for (String stem : List.of("step-0-layer0-example0", "step-0-layer1-example0", "step-10-layer0-example0",
                "step-10-layer1-example0")) {
            expected.add(stem + ".png");
            expected.add(stem + ".svg");
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        for (Path png : result.figures()) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isGreaterThan(image.getHeight()); // three panels side by side
            assertThat(Files.readString(png.resolveSibling(png.getFileName().toString().replace(".png", ".svg")))).contains("<svg");
        }
        Inspection.Result again = Inspection.run(new Inspection.Options(run, List.of(10), 1, tmp.resolve("elsewhere")));
        assertThat(again.outDir().getParent()).isEqualTo(tmp.resolve("elsewhere"));
        assertThat(again.figures()).extracting(p -> p.getFileName().toString())
                .containsExactly("step-10-layer0-example1.png", "step-10-layer1-example1.png");
    }

    /**
     * Planted bugs caught: one head drawn for every panel, the map transposed (queries across), exact
     * zeros drawn, the matching key not marked or marked on the wrong key.
     */
    @Test
    void eachPanelHoldsOneHeadsMapWithTheMatchingKeyMarked() {
        Snapshot step10 = AttentionSnapshots.read(new RunLayout(run), 10);
        List<HeatMapChart> panels = AttentionFigures.panels(List.of(step10), examples, 1, 0);
        assertThat(panels).hasSize(HEADS);
        for (int h = 0; h < HEADS; h++) {
            HeatMapChart panel = panels.get(h);
            assertThat(panel.getTitle()).contains("step 10", "layer 1 head " + h, "on match");
            assertThat(new ArrayList<Object>(panel.getHeatMapSeries().getXData())).containsExactly("k1 v2", "k0 v1 *", "k0 ?");
            assertThat(new ArrayList<Object>(panel.getHeatMapSeries().getYData())).containsExactly("k0 ?", "k0 v1", "k1 v2"); // bottom to top
            List<Number[]> cells = new ArrayList<>(panel.getHeatMapSeries().getHeatData());
            List<String> drawn = cells.stream()
                    .map(c -> c[0].intValue() + "," + c[1].intValue() + "=" + c[2].floatValue()).toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < N; i++) {
                int key = (i + h + 1) % N; // layer 1, example 0
                expected.add(key + "," + (N - 1 - i) + "=1.0"); // only the non-zero cell of each query row
            }
            assertThat(drawn).containsExactlyInAnyOrderElementsOf(expected);
        }
        assertThat(new ArrayList<Object>(AttentionFigures.panels(List.of(step10), examples, 0, 1).get(0).getHeatMapSeries().getXData()))
                .containsExactly("a", "b", "c"); // no matching key: nothing marked
    }

    @Test
    void badInputIsOneLineNamingWhatExistsAndCreatesNothing() throws IOException {
        assertThatThrownBy(() -> Inspection.run(new Inspection.Options(run, List.of(5), 0, null)))
                .isInstanceOf(UserError.class).hasMessage("--step 5: no attention snapshot at this step; saved steps: 0, 10");
        assertThatThrownBy(() -> Inspection.run(new Inspection.Options(run, List.of(), 2, null)))
                .isInstanceOf(UserError.class).hasMessageStartingWith("--example 2: not saved; saved examples: 0..1");
        assertThatThrownBy(() -> Inspection.run(new Inspection.Options(tmp, List.of(), 0, null)))
                .isInstanceOf(UserError.class).hasMessageContaining("not a run directory");
        Path old = tmp.resolve("exp/20260101-000000/argmax-s0");
        Files.createDirectories(old);
        Files.writeString(old.resolve("metrics.csv"), "step,wall_time_s,train/loss\n0,0,1\n");
        assertThatThrownBy(() -> Inspection.run(new Inspection.Options(old, List.of(), 0, null)))
                .isInstanceOf(UserError.class).hasMessageContaining("no saved attention maps").hasMessageNotContaining("\n");
        assertThat(run.resolve("inspect")).doesNotExist();
        assertThat(old.resolve("inspect")).doesNotExist();
    }
}
