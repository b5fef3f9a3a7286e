package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The machine's load around a timing: the 1-minute load average (/proc/loadavg) and the number of
 * cores, at the start and at the end, and whether the machine was too busy for the timing to mean
 * anything.
 *
 * <p>Rule: timing is meaningful when the other processes leave every timing thread a core of its own,
 * i.e. their load is at most {@code cores - threads}. Beyond that a timing thread waits for a core for
 * part of each scheduler period and the time measures the queue, not the work (with one engine thread
 * on 2 cores, other load above 1 already steals whole time slices). The start's load average is the
 * other processes' load; at the end the average also holds our own {@code threads}, weighted by the
 * exponential average's 1 - exp(-elapsed / 60 s), which is subtracted. Timing uses one engine thread
 * by default ({@link Sweep.Timer#threads}) so that this leaves room on a small machine; a parallel region
 * of several threads waits for its slowest one, so one busy core would slow every op.
 *
 * @param start load average at the start (-1 where unknown)
 * @param end load average at the end (-1 where unknown)
 * @param threads engine threads of the timing
 * @param seconds how long the timing took
 */
public record MachineLoad(@JsonProperty("load_start") double start, @JsonProperty("load_end") double end, int cores,
                          int threads, double seconds) {

    /** The load average now, -1 where unknown. */
    public static double now() {
        return Machine.loadAverage();
    }

    /** The machine's cores. */
    public static int machineCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The load from {@code start} (taken at {@code startNanos}, System.nanoTime) until now, by the timer's account. */
    public static MachineLoad since(Sweep.Timer timer, double start, long startNanos) {
        return new MachineLoad(start, timer.loadAverage(), machineCores(), timer.threads(), (System.nanoTime() - startNanos) / 1e9);
    }

    /** "not measured: machine busy ..." when the load now leaves the timer's threads no free cores, else null. */
    public static String busyNow(Sweep.Timer timer) {
        double load = timer.loadAverage();
        return busyAt(load, machineCores(), timer.threads()) ? reason(load, machineCores(), timer.threads()) : null;
    }

    /** Other processes' load at the end: the end's average less our own threads' share of it. */
    @JsonProperty("others_at_end")
    public double othersAtEnd() {
        return Math.max(0, end - threads * (1 - Math.exp(-seconds / 60)));
    }

    /** Whether other processes' load exceeded {@code cores - threads} at the start or at the end. */
    @JsonProperty("busy")
    public boolean busy() {
        return busyAt(start, cores, threads) || (end >= 0 && othersAtEnd() > cores - threads);
    }

    /** Whether a load of {@code load} (other processes) leaves fewer than {@code threads} cores free. */
    public static boolean busyAt(double load, int cores, int threads) {
        return load > cores - threads;
    }

    /** "machine busy (load X on N cores)" when {@link #busy}, else null. */
    @JsonIgnore
    public String busyReason() {
        return busy() ? reason(Math.max(start, othersAtEnd()), cores, threads) : null;
    }

    /** The verdict text for a busy machine. */
    public static String reason(double load, int cores, int threads) {
        return String.format(Locale.ROOT, "not measured: machine busy (load %.2f on %d cores; timing needs other load <= %d)",
                load, cores, cores - threads);
    }

    /** "load 0.31 -> 1.02 on 2 cores". */
    public String describe() {
        return String.format(Locale.ROOT, "load %.2f -> %.2f on %d cores", start, end, cores);
    }
}
