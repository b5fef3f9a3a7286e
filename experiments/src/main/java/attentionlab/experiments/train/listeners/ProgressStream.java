package attentionlab.experiments.train.listeners;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Where {@code lab run} and {@code lab resume} report: log lines, and on a terminal one progress bar
 * under them for the whole experiment (me.tongfei:progressbar draws it from a timer thread at the
 * terminal's width; {@link BarRenderer} lays it out: "run k/n", steps/s, elapsed time and the
 * experiment's ETA, padded to the width so it never wraps or leaves stale characters). Every line printed through this stream first erases the bar, which
 * redraws itself below. When it closes it prints the results table of the runs that ended.
 * Thread-safe: runs trained in parallel report to one stream.
 */
public final class ProgressStream extends PrintStream {

    /** ANSI: carriage return, then erase the whole line. */
    private static final String ERASE_LINE = "\r\u001b[2K";

    private final PrintStream target;
    private final boolean terminal;
    private final int runs;
    private final ProgressBar bar;
    private final List<ResultsTable.Row> results = new ArrayList<>();
    private int started;

    private ProgressStream(PrintStream target, boolean terminal, String name, int runs, long steps, long stepsDone) {
        super(target, true, StandardCharsets.UTF_8);
        this.target = target;
        this.terminal = terminal;
        this.runs = runs;
        this.bar = terminal ? bar(target, name, steps, stepsDone) : null;
    }

    /**
     * @param target where lines go (usually System.err); null: nowhere (log.txt only)
     * @param name the experiment, shown in front of the bar
     * @param runs how many runs the experiment trains
     * @param steps how many steps they train in all
     * @return a stream that reports to {@code target}, with a bar when {@code target} is a terminal
     */
    public static ProgressStream of(PrintStream target, String name, int runs, long steps) {
        return resuming(target, name, runs, steps, 0);
    }

    /** Like {@link #of} for a run continued from {@code stepsDone} (speed and ETA count the new steps only). */
    public static ProgressStream resuming(PrintStream target, String name, int runs, long steps, long stepsDone) {
        PrintStream to = target == null ? new PrintStream(PrintStream.nullOutputStream()) : target;
        return new ProgressStream(to, target != null && isTerminal(target), name, runs, steps, stepsDone);
    }

    /** Whether {@code out} is the process' standard output or error and the process is attached to a terminal. */
    public static boolean isTerminal(PrintStream out) {
        return out instanceof ProgressStream p ? p.terminal : (out == System.err || out == System.out) && System.console() != null;
    }

    private static ProgressBar bar(PrintStream target, String name, long steps, long stepsDone) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(Math.max(1, steps)).setUpdateIntervalMillis(200)
                .startsFrom(stepsDone, Duration.ZERO).setRenderer(new BarRenderer()).clearDisplayOnFinish()
                .setConsumer(new ConsoleProgressBarConsumer(target)).build();
    }

    boolean terminal() {
        return terminal;
    }

    /** A run starts: "run k/n" counts it. */
    synchronized void runStarted() {
        started++;
    }

    /** One step done by the run {@code label}; {@code status} (loss, accuracy) goes after "run k/n label". */
    synchronized void stepped(String label, String status) {
        if (bar != null) {
            bar.step();
            bar.setExtraMessage("run " + started + "/" + runs + " " + label + BarRenderer.METRICS + status);
        }
    }

    /**
     * A run ended: its row of the final table; the steps it will not train (it stopped early) count as
     * done, so that the ETA is the remaining runs'.
     */
    synchronized void runEnded(ResultsTable.Row row, int stepsNotTrained) {
        results.add(row);
        if (bar != null && stepsNotTrained > 0) {
            bar.stepBy(stepsNotTrained);
        }
    }

    @Override
    public void println(String line) {
        synchronized (target) {
            target.print((bar != null ? ERASE_LINE : "") + line + System.lineSeparator());
            target.flush();
        }
    }

    @Override
    public void println(Object line) {
        println(String.valueOf(line));
    }

    /** Ends the bar and prints the results table of the runs that ended (the target stays open). */
    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
        if (!results.isEmpty()) {
            ResultsTable.lines(results).forEach(this::println);
            if (results.size() < runs) {
                println(results.size() + " of " + runs + " runs ran");
            }
        }
        flush();
    }
}
