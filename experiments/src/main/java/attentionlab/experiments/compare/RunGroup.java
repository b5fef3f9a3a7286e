package attentionlab.experiments.compare;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runs of one variant (its seeds), drawn as one curve with a band.
 *
 * @param label the variant, prefixed by its experiment when several experiments are compared
 */
public record RunGroup(String label, List<RunRecord> runs) {

    /**
     * Groups runs by (experiment, variant), in order of first appearance; seeds sorted within a group.
     */
    public static List<RunGroup> byVariant(List<RunRecord> runs) {
        boolean severalExperiments = runs.stream().map(RunRecord::experiment).distinct().count() > 1;
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            String label = severalExperiments ? run.experiment() + "/" + run.variant() : run.variant();
            groups.computeIfAbsent(label, k -> new ArrayList<>()).add(run);
        }
        List<RunGroup> out = new ArrayList<>();
        groups.forEach((label, members) -> {
            List<RunRecord> sorted = new ArrayList<>(members);
            sorted.sort(Comparator.comparingLong(RunRecord::seed));
            out.add(new RunGroup(label, List.copyOf(sorted)));
        });
        return out;
    }

    /** This group's curve for one metric, each run smoothed first when {@code smooth > 0}. */
    public GroupCurve curve(String metric, double smooth, Band band) {
        List<Series> series = new ArrayList<>();
        for (RunRecord run : runs) {
            Series s = run.metrics().series(metric);
            series.add(smooth > 0 ? new Series(s.steps(), Smoothing.debiasedEma(s.values(), smooth)) : s);
        }
        return GroupCurve.of(label, series, band);
    }

    public long[] seeds() {
        return runs.stream().mapToLong(RunRecord::seed).toArray();
    }
}
