package attentionlab.experiments.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The runs of one variant (its seeds), drawn as one curve with a band. Runs are grouped by
 * (experiment directory, variant): two invocations of the same config are two groups, never one group
 * with twice the seeds, unless pooling is asked for ({@link Pooling} then checks that the runs differ
 * in nothing but the seed).
 *
 * @param label the variant, prefixed by its experiment (and, when two directories share an experiment
 *     name, by the directory's name) when several are compared
 */
public record RunGroup(String label, List<RunRecord> runs) {

    /** Groups by (experiment directory, variant), without pooling. */
    public static List<RunGroup> byVariant(List<RunRecord> runs) {
        return of(runs, false);
    }

    /**
     * Groups runs in order of first appearance, seeds sorted within a group.
     *
     * @param pool whether runs of one experiment name and variant from several directories form one group
     * @throws attentionlab.experiments.core.UserError if pooled runs differ in more than the seed, or repeat a seed
     */
    public static List<RunGroup> of(List<RunRecord> runs, boolean pool) {
        Map<Path, String> prefixes = prefixes(runs, pool);
        Map<String, List<RunRecord>> groups = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            String prefix = pool ? prefixes.get(Path.of(run.experiment())) : prefixes.get(run.experimentDir());
            groups.computeIfAbsent(prefix + run.variant(), k -> new ArrayList<>()).add(run);
        }
        List<RunGroup> out = new ArrayList<>();
        groups.forEach((label, members) -> {
            if (pool) {
                Pooling.check(label, members);
            }
            List<RunRecord> sorted = new ArrayList<>(members);
            sorted.sort(Comparator.comparingLong(RunRecord::seed));
            out.add(new RunGroup(label, List.copyOf(sorted)));
        });
        return out;
    }

    /**
     * The label prefix of each source: nothing when there is one; the experiment name when names tell
     * the sources apart; else {@code <experiment>@<directory name>/}. Pooled sources are experiment names.
     */
    private static Map<Path, String> prefixes(List<RunRecord> runs, boolean pool) {
        Map<Path, String> names = new LinkedHashMap<>();
        for (RunRecord run : runs) {
            names.putIfAbsent(pool ? Path.of(run.experiment()) : run.experimentDir(), run.experiment());
        }
        Map<Path, String> prefixes = new LinkedHashMap<>();
        Set<String> distinct = new LinkedHashSet<>(names.values());
        names.forEach((source, name) -> {
            if (names.size() == 1) {
                prefixes.put(source, "");
            } else if (distinct.size() == names.size()) {
                prefixes.put(source, name + "/");
            } else {
                prefixes.put(source, name + "@" + source.getFileName() + "/");
            }
        });
        return prefixes;
    }

    /** This group's curve for one metric, each run smoothed first when {@code smooth > 0}. */
    public GroupCurve curve(String metric, double smooth, Band band) {
        return curve(metric, smooth, band, false);
    }

    /**
     * @param logScale whether the curve is drawn on a log axis (a std band then never reaches below the
     *     lowest seed, see {@link GroupCurve#of})
     */
    public GroupCurve curve(String metric, double smooth, Band band, boolean logScale) {
        return GroupCurve.of(label, series(metric, smooth), band, logScale);
    }

    /** Each run's series of one metric, smoothed first when {@code smooth > 0}, in run order. */
    public List<Series> series(String metric, double smooth) {
        List<Series> series = new ArrayList<>();
        for (RunRecord run : runs) {
            Series s = run.metrics().series(metric);
            series.add(smooth > 0 ? new Series(s.steps(), Smoothing.debiasedEma(s.values(), smooth)) : s);
        }
        return series;
    }

    public long[] seeds() {
        return runs.stream().mapToLong(RunRecord::seed).toArray();
    }
}
