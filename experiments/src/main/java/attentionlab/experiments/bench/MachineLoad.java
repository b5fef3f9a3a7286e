package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The load of other processes around a timing: how many cores they kept busy just before it and just
 * after it ({@link Machine#otherProcessesLoad}, sampled over {@link #WINDOW}), the number of cores, and
 * whether the machine was too busy for the timing to mean anything.
 *
 * <p>Rule: timing is meaningful when the other processes leave every timing thread a core of its own,
 * i.e. their load is at most {@code cores - threads}. Beyond that a timing thread waits for a core for
 * part of each scheduler period and the time measures the queue, not the work (with one engine thread
 * on 2 cores, other load above 1 already steals whole time slices). The samples exclude this process
 * and its children, so training that {@code lab reproduce} did just before a timing is not mistaken for
 * another process (the 1-minute load average still held it for minutes: every timing claim after the
 * training claims read "machine busy" on an idle machine). Timing uses one engine thread by default
 * ({@link Sweep.Timer#threads}) so that this leaves room on a small machine; a parallel region of several
 * threads waits for its slowest one, so one busy core would slow every op.
 *
 * @param start other processes' load at the start, in busy cores (-1 where unknown)
 * @param end other processes' load at the end, in busy cores (-1 where unknown)
 * @param threads engine threads of the timing
 * @param seconds how long the timing took
 */
public record MachineLoad(@JsonProperty("load_start") double start, @JsonProperty("load_end") double end, int cores,
                          int threads, double seconds) {

    /** How long other processes' load is sampled for. */
    public static final java.time.Duration WINDOW = java.time.Duration.ofSeconds(2);

    /** Other processes' load now, sampled over {@link #WINDOW}; -1 where unknown. */
    public static double now() {
        return Machine.otherProcessesLoad(WINDOW);
    }

    /** The machine's cores. */
    public static int machineCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The load from {@code start} (taken at {@code startNanos}, System.nanoTime) until now, by the timer's account. */
    public static MachineLoad since(Sweep.Timer timer, double start, long startNanos) {
        return new MachineLoad(start, timer.otherLoad(), machineCores(), timer.threads(), (System.nanoTime() - startNanos) / 1e9);
    }

    /** "not measured: machine busy ..." when the load now leaves the timer's threads no free cores, else null. */
    public static String busyNow(Sweep.Timer timer) {
        return busyReason(timer.otherLoad(), timer.threads());
    }

    /** "not measured: machine busy ..." when other processes' load {@code load} leaves {@code threads} no free cores, else null. */
    public static String busyReason(double load, int threads) {
        return busyAt(load, machineCores(), threads) ? reason(load, machineCores(), threads) : null;
    }

    /** Whether other processes' load exceeded {@code cores - threads} at the start or at the end. */
    @JsonProperty("busy")
    public boolean busy() {
        return busyAt(start, cores, threads) || busyAt(end, cores, threads);
    }

    /** Whether a load of {@code load} (other processes) leaves fewer than {@code threads} cores free. */
    public static boolean busyAt(double load, int cores, int threads) {
        return load > cores - threads;
    }

    /** "machine busy (load X on N cores)" when {@link #busy}, else null. */
    @JsonIgnore
    public String busyReason() {
        return busy() ? reason(Math.max(start, end), cores, threads) : null;
    }

    /** The verdict text for a busy machine. */
    public static String reason(double load, int cores, int threads) {
        return String.format(Locale.ROOT, "not measured: machine busy (other processes' load %.2f on %d cores; timing needs <= %d)",
                load, cores, cores - threads);
    }

    /** "other load 0.31 -> 0.02 on 2 cores". */
    public String describe() {
        return String.format(Locale.ROOT, "other load %.2f -> %.2f on %d cores", start, end, cores);
    }
}
