package attentionlab.experiments.bench;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.OutputDirectory;
import attentionlab.experiments.io.Provenance;
import attentionlab.experiments.layout.RunStatus;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs named benchmarks into a new directory {@code <root>/<yyyyMMdd-HHmmss>[-N]/} ({@link OutputDirectory}): {@code <name>.json} and plots per benchmark, {@code summary.md} with every target, and
 * {@code index.json} written last with the status ({@code completed} or {@code failed: ...}).
 */
public final class BenchSuite {

    public static final List<String> NAMES = Benchmark.ALL.stream().map(Benchmark::name).toList();

    private BenchSuite() {}

    /**
     * @param directory where everything was written
     * @param targets every target of every benchmark run, in order
     */
    public record Outcome(Path directory, List<Target> targets) {}

    record Index(List<String> benchmarks, boolean quick, String status, Provenance provenance,
                 Map<String, String> environment,
                 @JsonProperty("load_before") double loadBefore, @JsonProperty("load_after") double loadAfter,
                 @JsonProperty("start_time") String startTime, @JsonProperty("end_time") String endTime) {}

    /**
     * @param names benchmarks to run (from {@link #NAMES})
     * @param timer times every benchmark ({@link Sweep#engine})
     * @param root parent directory of the timestamped run directory
     * @throws IllegalArgumentException naming the valid benchmarks if a name is unknown
     */
    public static Outcome run(List<String> names, boolean quick, Sweep.Timer timer, Path root, Consumer<String> log) {
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "'; valid: " + String.join(", ", NAMES));
            }
        }
        Path dir = OutputDirectory.create(root);
        String start = LocalDateTime.now().toString();
        double loadBefore = Machine.loadAverage();
        double others = timer.otherLoad(); // sampled once: it takes MachineLoad.WINDOW
        log.accept("bench: writing to " + dir + " (load average " + loadBefore + ", other processes' load "
                + String.format(java.util.Locale.ROOT, "%.2f", others) + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + environment() + ")");
        String busy = MachineLoad.busyReason(others, timer.threads());
        if (busy != null) {
            log.accept("bench: WARNING " + busy.replace("not measured: ", "") + ": timing targets will be reported as not measured");
        }
        List<Target> targets = new ArrayList<>();
        StringBuilder summary = new StringBuilder("# Benchmarks" + (quick ? " (quick)" : "") + "\n\n");
        String status = RunStatus.COMPLETED.label();
        try {
            for (String name : names) {
                log.accept(name + ":");
                List<Target> t = runOne(benchmark(name), quick, timer, dir, log, summary);
                targets.addAll(t);
            }
        } catch (RuntimeException e) {
            status = RunStatus.FAILED.label() + ": " + e;
            throw e;
        } finally {
            summary.append("\nLoad average before ").append(loadBefore).append(", after ").append(Machine.loadAverage())
                    .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores).\n");
            write(dir.resolve("summary.md"), summary.toString());
            Json.write(dir.resolve("index.json"), new Index(names, quick, status, Provenance.current(), environment(), loadBefore,
                    Machine.loadAverage(), start, LocalDateTime.now().toString()));
        }
        return new Outcome(dir, targets);
    }

    private static Benchmark<?> benchmark(String name) {
        return Benchmark.ALL.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<Target> runOne(Benchmark<?> benchmark, boolean quick, Sweep.Timer timer, Path dir, Consumer<String> log,
                                       StringBuilder summary) {
        List<Target> targets = benchmark.runInto(dir, quick, timer, log, summary);
        for (Target t : targets) {
            log.accept(String.format(Locale.ROOT, "  target %-60s %10.3f %s %-8s %s", t.name(), t.measured(),
                    t.interval() == null ? "" : t.interval(), t.goal(), t.status()));
        }
        summary.append(BenchSummary.targets(targets));
        return targets;
    }

    /** Settings that change the measured speed: allocator, thread counts, transparent huge pages. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("THP_MEM_ALLOC_ENABLE", "OMP_NUM_THREADS", "MKL_NUM_THREADS")) {
            env.put(name, System.getenv().getOrDefault(name, "(unset)"));
        }
        for (String property : List.of("ai.djl.pytorch.num_threads", "ai.djl.pytorch.num_interop_threads")) {
            env.put(property, System.getProperty(property, "(engine default)"));
        }
        try {
            env.put("transparent_hugepage", Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled")).trim());
        } catch (IOException e) {
            env.put("transparent_hugepage", "(unknown)");
        }
        return env;
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
