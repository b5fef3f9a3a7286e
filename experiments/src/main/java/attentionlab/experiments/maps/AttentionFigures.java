package attentionlab.experiments.maps;

import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.plot.Heatmaps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.HeatMapChart;

/**
 * Heatmaps of saved attention snapshots: one figure per layer and example, a row of panels per
 * step and a panel per head, queries down and keys across, labelled with the example's tokens; the
 * key matching the example's query is marked with {@code *}, exact zeros are grey.
 */
public final class AttentionFigures {

    /** What marks the matching key's label. */
    public static final String MATCH_MARK = " *";

    private AttentionFigures() {}

    /**
     * Draws layer {@code layer} of example {@code example} at each snapshot (one row each) into
     * {@code dir/name.png} and {@code .svg}.
     *
     * @return the two files, PNG first
     */
    public static List<Path> draw(List<Snapshot> steps, SnapshotExamples examples, int layer, int example, Path dir, String name) {
        List<String> positions = examples.positions().get(example);
        int query = examples.targetQuery().get(example);
        int key = examples.targetKey().get(example);
        List<String> keys = new ArrayList<>(positions);
        if (examples.hasTarget(example)) {
            keys.set(key, keys.get(key) + MATCH_MARK);
        }
        String xTitle = examples.hasTarget(example) ? "key  (" + MATCH_MARK.trim() + " matches query " + positions.get(query)
                + "; grey: exactly 0)" : "key  (grey: exactly 0)";
        List<HeatMapChart> panels = new ArrayList<>();
        int heads = steps.get(0).heads();
        for (Snapshot s : steps) {
            for (int h = 0; h < heads; h++) {
                float[][] map = s.map(layer, example, h);
                String title = "step " + s.step() + ", layer " + layer + " head " + h
                        + (examples.hasTarget(example) ? ", on match " + Format.number(map[query][key]) : "");
                panels.add(Heatmaps.heatmap(title, xTitle, "query", keys, positions, map, h == heads - 1));
            }
        }
        return Heatmaps.saveGrid(panels, heads, dir, name);
    }

    /**
     * For each layer, the figure of example {@code example} at initialisation and at the run's last
     * snapshot, {@code dir/<prefix>-layer<L>.png} (and .svg).
     *
     * @return the PNG of each layer, or an empty list when the run saved no snapshots
     */
    public static List<Path> initialAndFinal(Path runDir, int example, Path dir, String prefix) {
        RunLayout run = new RunLayout(runDir);
        List<Integer> saved = AttentionSnapshots.steps(run);
        if (saved.isEmpty()) {
            return List.of();
        }
        SnapshotExamples examples = AttentionSnapshots.examples(run);
        List<Snapshot> steps = new ArrayList<>();
        steps.add(AttentionSnapshots.read(run, saved.get(0)));
        if (saved.size() > 1) {
            steps.add(AttentionSnapshots.read(run, saved.get(saved.size() - 1)));
        }
        List<Path> pngs = new ArrayList<>();
        for (int l = 0; l < steps.get(0).layers().size(); l++) {
            pngs.add(draw(steps, examples, l, example, dir, prefix + "-layer" + l).get(0));
        }
        return pngs;
    }
}
