package attentionlab.experiments.bench;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.Provenance;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Runs named benchmarks into a new directory {@code <root>/<yyyyMMdd-HHmmss>[-N]/} (never an existing
 * one): {@code <name>.json} and plots per benchmark, {@code summary.md} with every target, and
 * {@code index.json} written last with the status ({@code completed} or {@code failed: ...}).
 */
public final class BenchSuite {

    public static final List<String> NAMES = List.of("attention-scaling", "decode", "train");

    private BenchSuite() {}

    /**
     * @param directory where everything was written
     * @param targets every target of every benchmark run, in order
     */
    public record Outcome(Path directory, List<Target> targets) {}

    record Index(List<String> benchmarks, boolean quick, String status, Provenance provenance,
                 @JsonProperty("load_before") double loadBefore, @JsonProperty("load_after") double loadAfter,
                 @JsonProperty("start_time") String startTime, @JsonProperty("end_time") String endTime) {}

    /**
     * @param names benchmarks to run (from {@link #NAMES})
     * @param root parent directory of the timestamped run directory
     * @throws IllegalArgumentException naming the valid benchmarks if a name is unknown
     */
    public static Outcome run(List<String> names, boolean quick, Path root, Consumer<String> log) {
        for (String name : names) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown benchmark '" + name + "'; valid: " + String.join(", ", NAMES));
            }
        }
        Path dir = newRunDirectory(root, LocalDateTime.now());
        String start = LocalDateTime.now().toString();
        double loadBefore = Machine.loadAverage();
        log.accept("bench: writing to " + dir + " (load average " + loadBefore + ", " + Runtime.getRuntime().availableProcessors()
                + " cores)");
        List<Target> targets = new ArrayList<>();
        StringBuilder summary = new StringBuilder("# Benchmarks" + (quick ? " (quick)" : "") + "\n\n");
        String status = "completed";
        try {
            for (String name : names) {
                log.accept(name + ":");
                List<Target> t = runOne(name, quick, dir, log, summary);
                targets.addAll(t);
            }
        } catch (RuntimeException e) {
            status = "failed: " + e;
            throw e;
        } finally {
            summary.append("\nLoad average before ").append(loadBefore).append(", after ").append(Machine.loadAverage())
                    .append(" (").append(Runtime.getRuntime().availableProcessors()).append(" cores).\n");
            write(dir.resolve("summary.md"), summary.toString());
            Json.write(dir.resolve("index.json"), new Index(names, quick, status, Provenance.current(), loadBefore,
                    Machine.loadAverage(), start, LocalDateTime.now().toString()));
        }
        return new Outcome(dir, targets);
    }

    private static List<Target> runOne(String name, boolean quick, Path dir, Consumer<String> log, StringBuilder summary) {
        List<Target> targets;
        switch (name) {
            case "attention-scaling" -> {
                AttentionScaling.Result r = AttentionScaling.run(quick ? AttentionScaling.Options.quick()
                        : AttentionScaling.Options.full(), log);
                Json.write(dir.resolve(name + ".json"), r);
                BenchPlots.attentionScaling(r, dir);
                summary.append(BenchSummary.attentionScaling(r));
                targets = r.targets();
            }
            case "decode" -> {
                DecodeBenchmark.Result r = DecodeBenchmark.run(quick ? DecodeBenchmark.Options.quick()
                        : DecodeBenchmark.Options.full(), log);
                Json.write(dir.resolve(name + ".json"), r);
                BenchPlots.decode(r, dir);
                summary.append(BenchSummary.decode(r));
                targets = r.targets();
            }
            case "train" -> {
                TrainBenchmark.Result r = TrainBenchmark.run(quick ? TrainBenchmark.Options.quick()
                        : TrainBenchmark.Options.full(), log);
                Json.write(dir.resolve(name + ".json"), r);
                BenchPlots.train(r, dir);
                summary.append(BenchSummary.train(r));
                targets = r.targets();
            }
            default -> throw new IllegalArgumentException(name);
        }
        for (Target t : targets) {
            log.accept(String.format(Locale.ROOT, "  target %-60s %10.3f  %-8s %s", t.name(), t.measured(), t.goal(),
                    t.met() ? "met" : "MISSED"));
        }
        summary.append(BenchSummary.targets(targets));
        return targets;
    }

    /** Creates {@code root/yyyyMMdd-HHmmss}, or {@code -1}, {@code -2}, ... if taken. */
    static Path newRunDirectory(Path root, LocalDateTime now) {
        String stamp = now.format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        try {
            Files.createDirectories(root);
            for (int i = 0; ; i++) {
                Path dir = root.resolve(i == 0 ? stamp : stamp + "-" + i);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    // taken: try the next suffix
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under " + root + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
