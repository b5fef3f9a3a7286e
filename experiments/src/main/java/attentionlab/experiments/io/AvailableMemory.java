package attentionlab.experiments.io;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How much memory a new run may still use, read when it is asked for.
 *
 * @param nativeBytes memory the process may still take from the machine: {@code MemAvailable} of
 *     /proc/meminfo (the kernel's estimate of what can be allocated without swapping), lowered to the
 *     container's remaining limit when a cgroup sets one (v2 {@code memory.max - memory.current}, v1
 *     {@code memory.limit_in_bytes - memory.usage_in_bytes}); elsewhere the OS's free memory
 * @param heapBytes what the JVM heap may still grow to hold: max heap minus the heap in use
 * @param source where {@code nativeBytes} came from, for messages
 */
public record AvailableMemory(long nativeBytes, long heapBytes, String source) {

    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final List<Path[]> CGROUP_LIMITS = List.of(
            new Path[] {Path.of("/sys/fs/cgroup/memory.max"), Path.of("/sys/fs/cgroup/memory.current")},
            new Path[] {Path.of("/sys/fs/cgroup/memory/memory.limit_in_bytes"),
                Path.of("/sys/fs/cgroup/memory/memory.usage_in_bytes")});

    /** The memory available now. */
    public static AvailableMemory now() {
        Runtime rt = Runtime.getRuntime();
        long heap = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long bytes = memAvailable();
        String source = "MemAvailable in " + MEMINFO;
        if (bytes < 0) {
            bytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getFreeMemorySize();
            source = "the operating system's free memory";
        }
        for (Path[] limit : CGROUP_LIMITS) {
            long max = number(limit[0]);
            long used = number(limit[1]);
            if (max > 0 && used >= 0 && max - used < bytes) {
                bytes = max - used;
                source = "the container's memory limit " + limit[0] + " less its use";
            }
        }
        return new AvailableMemory(bytes, heap, source);
    }

    /** MemAvailable in bytes, or -1 where /proc/meminfo has none. */
    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024; // "MemAvailable:  24082112 kB"
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: the caller falls back
        }
        return -1;
    }

    /** A file holding one number ("max" means no limit), or -1. */
    private static long number(Path file) {
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }
}
