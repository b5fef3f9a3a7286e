package attentionlab.experiments.maps;

import attentionlab.experiments.io.Format;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.plot.Heatmaps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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
        return Heatmaps.saveGrid(panels(steps, examples, layer, example), steps.get(0).heads(), dir, name);
    }

    /** The panels of {@link #draw}: for each snapshot, one per head. */
    static List<HeatMapChart> panels(List<Snapshot> steps, SnapshotExamples examples, int layer, int example) {
        List<String> positions = examples.positions().get(example);
        int query = examples.targetQuery().get(example);
        int key = examples.targetKey().get(example);
        boolean target = examples.hasTarget(example);
        List<String> keys = new ArrayList<>(positions);
        if (target) {
            keys.set(key, keys.get(key) + MATCH_MARK);
        }
        String xTitle = target ? "key  (" + MATCH_MARK.trim() + " matches query " + positions.get(query) + "; grey: exactly 0)"
                : "key  (grey: exactly 0)";
        List<HeatMapChart> panels = new ArrayList<>();
        int heads = steps.get(0).heads();
        for (Snapshot s : steps) {
            for (int h = 0; h < heads; h++) {
                float[][] map = s.map(layer, example, h); // [N][M]
                String title = "step " + s.step() + ", layer " + layer + " head " + h
                        + (target ? ", on match " + Format.number(map[query][key]) : "");
                panels.add(Heatmaps.heatmap(title, xTitle, "query", keys, positions, map, h == heads - 1));
            }
        }
        return panels;
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

    /**
     * {@link #initialAndFinal} of example 0 for each run directory, named {@code <run dir name>-layer<L>}
     * (prefixed by the experiment directory's name when two runs share a name); runs without snapshots
     * are skipped.
     *
     * @return the PNG of each figure
     */
    public static List<Path> forRuns(List<Path> runDirs, Path dir) {
        Map<String, Long> names = runDirs.stream().collect(Collectors.groupingBy(r -> r.getFileName().toString(), Collectors.counting()));
        List<Path> pngs = new ArrayList<>();
        for (Path run : runDirs) {
            String name = run.getFileName().toString();
            Path parent = run.toAbsolutePath().normalize().getParent();
            String prefix = names.get(name) > 1 && parent != null ? parent.getFileName() + "-" + name : name; // runs of two experiments
            pngs.addAll(initialAndFinal(run, 0, dir, prefix));
        }
        return pngs;
    }
}
