package attentionlab.experiments.claims;

import attentionlab.experiments.plot.Charts;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;

/**
 * What a claim (or study) may use while measuring: the report directory, the size mode, a progress
 * stream, and a list of the evidence files it wrote (paths are recorded relative to the report).
 *
 * <p>Quick mode measures less, and a verdict must not claim more than was measured: every reduction is
 * recorded here ({@link #size}, {@link #reduced}) and printed next to the verdict, e.g.
 * "holds (quick: 1 of 3 seeds, 150 of 400 steps)". A claim that reads {@link #quick()} without itemising
 * what it reduced is reported as "quick: reduced sizes".
 */
public final class ClaimContext {

    private final String id;
    private final Path reportDir;
    private final boolean quick;
    private final PrintStream progress;
    private final int jobs;
    private final List<Path> evidence = new ArrayList<>();
    private final List<String> reductions = new ArrayList<>();
    private boolean quickRead;

    /** A context whose training runs one worker JVM per core. */
    public ClaimContext(String id, Path reportDir, boolean quick, PrintStream progress) {
        this(id, reportDir, quick, progress, Runtime.getRuntime().availableProcessors());
    }

    /** @param jobs how many runs training trains at once ({@code lab reproduce --jobs}) */
    public ClaimContext(String id, Path reportDir, boolean quick, PrintStream progress, int jobs) {
        this.id = id;
        this.reportDir = reportDir;
        this.quick = quick;
        this.progress = progress;
        this.jobs = jobs;
    }

    /** How many runs the claims' training trains at once. */
    public int jobs() {
        return jobs;
    }

    public String id() {
        return id;
    }

    /** The directory of this reproduce invocation (runs/reproduce/<timestamp>). */
    public Path reportDir() {
        return reportDir;
    }

    /**
     * Whether to measure at reduced size ({@code --quick}); the logic and tolerances stay the same. Reading
     * it in quick mode marks the verdict as weakened by quick mode (itemise with {@link #size} or {@link #reduced}).
     */
    public boolean quick() {
        quickRead |= quick;
        return quick;
    }

    /** Quick mode, without marking the verdict (for code of this package that itemises what it reduces). */
    boolean quickMode() {
        return quick;
    }

    /**
     * The size to measure at: {@code full}, or in quick mode {@code quick}, recorded as
     * "{@code <quick> of <full> <what>}" when it is smaller.
     *
     * @param what what is counted, plural, e.g. "pairs per case"
     */
    public int size(String what, int full, int quick) {
        if (!this.quick) {
            return full;
        }
        if (quick < full) {
            reduced(quick + " of " + full + " " + what);
        }
        return Math.min(quick, full);
    }

    /** Records one thing quick mode measured less of than a full run, e.g. "1 of 3 seeds". */
    public void reduced(String what) {
        reductions.add(what);
    }

    /**
     * What quick mode left unmeasured, in the order recorded: empty for a full run and for a claim that
     * quick mode does not reduce.
     */
    public List<String> reductions() {
        if (reductions.isEmpty() && quickRead) {
            return List.of("reduced sizes");
        }
        return List.copyOf(reductions);
    }

    /** The progress stream, for tools that print their own lines (training). */
    public PrintStream progress() {
        return progress;
    }

    /** Prints one indented progress line. */
    public void log(String line) {
        progress.println("      " + line);
        progress.flush();
    }

    /** Saves a figure as figures/<id>-<name>.png and .svg and records the PNG as evidence. */
    public Path figure(XYChart chart, String name) {
        Path png = Charts.save(chart, reportDir.resolve("figures"), id + "-" + name).get(0);
        evidence(png);
        return png;
    }

    /** Records a file or directory as evidence. */
    public void evidence(Path file) {
        evidence.add(file.toAbsolutePath().normalize());
    }

    /** Evidence paths relative to the report directory, in the order recorded. */
    public List<String> evidence() {
        Path base = reportDir.toAbsolutePath().normalize();
        return evidence.stream().map(p -> p.startsWith(base) ? base.relativize(p).toString() : p.toString()).toList();
    }
}
