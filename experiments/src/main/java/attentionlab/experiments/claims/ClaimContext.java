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
 */
public final class ClaimContext {

    private final String id;
    private final Path reportDir;
    private final boolean quick;
    private final PrintStream progress;
    private final List<Path> evidence = new ArrayList<>();

    public ClaimContext(String id, Path reportDir, boolean quick, PrintStream progress) {
        this.id = id;
        this.reportDir = reportDir;
        this.quick = quick;
        this.progress = progress;
    }

    public String id() {
        return id;
    }

    /** The directory of this reproduce invocation (runs/reproduce/<timestamp>). */
    public Path reportDir() {
        return reportDir;
    }

    /** Whether to measure at reduced size ({@code --quick}); the logic and tolerances stay the same. */
    public boolean quick() {
        return quick;
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
