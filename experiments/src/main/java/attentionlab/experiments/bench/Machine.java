package attentionlab.experiments.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What Linux says about this process and machine: resident memory, peak, available memory, load. */
public final class Machine {

    private Machine() {}

    /** Peak resident set size of this process (VmHWM), bytes. */
    public static long peakRssBytes() {
        return statusKb("VmHWM:") * 1024;
    }

    /** Current resident set size of this process (VmRSS), bytes. */
    public static long rssBytes() {
        return statusKb("VmRSS:") * 1024;
    }

    /**
     * Resets this process's peak RSS to its current RSS (writes 5 to /proc/self/clear_refs).
     *
     * @return false where the kernel does not allow it (the peak then includes earlier work)
     */
    public static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** MemAvailable from /proc/meminfo, bytes; Long.MAX_VALUE where unknown. */
    public static long availableMemoryBytes() {
        long kb = fieldKb(Path.of("/proc/meminfo"), "MemAvailable:");
        return kb < 0 ? Long.MAX_VALUE : kb * 1024;
    }

    /**
     * How many cores processes other than this JVM (and its child processes) keep busy, sampled over
     * {@code window}: the machine's busy CPU time (/proc/stat: user, nice, system, irq, softirq, steal)
     * less this process tree's CPU time, divided by the window; -1 where unknown. Unlike the load
     * average, which decays over minutes, it does not count work this process has just finished (a
     * training run before a timing) as another process' load.
     */
    public static double otherProcessesLoad(java.time.Duration window) {
        try {
            long[] before = cpuTicks();
            double ownBefore = ownCpuSeconds();
            long t0 = System.nanoTime();
            Thread.sleep(window.toMillis());
            long[] after = cpuTicks();
            double ownAfter = ownCpuSeconds();
            double seconds = (System.nanoTime() - t0) / 1e9;
            long total = after[1] - before[1];
            if (total <= 0 || seconds <= 0) {
                return -1;
            }
            int cores = Runtime.getRuntime().availableProcessors();
            double busyCores = cores * (double) (after[0] - before[0]) / total;
            return Math.max(0, busyCores - (ownAfter - ownBefore) / seconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** {busy, total} ticks of the aggregate "cpu" line of /proc/stat. */
    private static long[] cpuTicks() throws IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        long busy = user + nice + system + irq + softirq + steal;
        return new long[] {busy, busy + idle + iowait};
    }

    /** CPU seconds used so far by this process and its live descendants. */
    private static double ownCpuSeconds() {
        ProcessHandle self = ProcessHandle.current();
        long nanos = java.util.stream.Stream.concat(java.util.stream.Stream.of(self), self.descendants())
                .mapToLong(p -> p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L)).sum();
        return nanos / 1e9;
    }

    /** The 1-minute load average, or -1 where unknown. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusKb(String field) {
        long kb = fieldKb(Path.of("/proc/self/status"), field);
        if (kb < 0) {
            throw new IllegalStateException("cannot read " + field + " from /proc/self/status (Linux only)");
        }
        return kb;
    }

    private static long fieldKb(Path file, String field) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (String line : lines) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
