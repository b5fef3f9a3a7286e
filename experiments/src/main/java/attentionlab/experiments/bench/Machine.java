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
