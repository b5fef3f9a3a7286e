package attentionlab.experiments.bench;

import attentionlab.experiments.io.Json;
import attentionlab.experiments.layout.RunKeys;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.plot.Charts;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.train.RunResult;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;

/**
 * Long runs in one JVM, through the real run machinery ({@link ExperimentRunner}: listeners, metrics.csv,
 * checkpoints): one long run, and a sweep of many short runs (one seed each) one after the other. The
 * process's resident memory (VmRSS) is sampled during the long run every {@code sampleEvery} steps and
 * before each run of the sweep. Reported: RSS growth from the end of the warm-up (the first 10% of the
 * steps or runs) to the end, and the throughput of the last tenth against the first tenth after the
 * warm-up (steps/s of the long run; the sweep's runs' own steps_per_second). Targets (issue 8): growth
 * under 50 MB, end throughput within 10% of the start.
 */
final class SoakBenchmark {

    static final double MAX_GROWTH_MIB = 50;
    static final double MIN_RATE_RATIO = 0.9;

    private SoakBenchmark() {}

    /**
     * @param config the run config (YAML) of both phases; its train.steps and train.seeds are set here
     * @param longSteps steps of the long run
     * @param sweepRuns runs of the sweep
     * @param sweepSteps steps of each sweep run
     * @param sampleEvery steps between RSS samples in the long run
     */
    record Options(String config, int longSteps, int sweepRuns, int sweepSteps, int sampleEvery) {

        /** A small recall model (d_model 32, 2 heads, 1 layer), validation every 500 steps, a checkpoint every 1000. */
        static final String CONFIG = """
                experiment: soak
                task:  {name: associative-recall, pairs: 4, vocab: 8, train_examples: 2048, val_examples: 128}
                model: {d_model: 32, heads: 2, layers: 1, kernel: softmax}
                train: {steps: 1, batch_size: 32, lr: 0.001, eval_every: 500, checkpoint_every: 1000}
                """;

        static Options full() {
            return new Options(CONFIG, 20_000, 30, 200, 100);
        }

        static Options quick() {
            return new Options(CONFIG, 200, 3, 10, 10);
        }
    }

    /** RSS at a point of the soak: after {@code x} steps (long run) or before run {@code x} (sweep). */
    record Sample(int x, double seconds, @JsonProperty("rss_mib") double rssMiB) {}

    /**
     * One phase's figures.
     *
     * @param warmup steps (long run) or runs (sweep) left out as warm-up
     * @param rateStart steps/s over the first tenth after the warm-up
     * @param rateEnd steps/s over the last tenth
     */
    record Phase(String name, int length, int warmup, List<Sample> samples,
                 @JsonProperty("rss_after_warmup_mib") double rssAfterWarmupMiB, @JsonProperty("rss_end_mib") double rssEndMiB,
                 @JsonProperty("rss_max_mib") double rssMaxMiB, @JsonProperty("rss_growth_mib") double rssGrowthMiB,
                 @JsonProperty("rate_start") double rateStart, @JsonProperty("rate_end") double rateEnd) {

        double rateRatio() {
            return rateEnd / rateStart;
        }
    }

    record Result(Options options, @JsonProperty("long_run") Phase longRun, Phase sweep) {

        List<Target> targets() {
            List<Target> t = new ArrayList<>();
            for (Phase p : List.of(longRun, sweep)) {
                t.add(Target.atMost(p.name() + ": RSS growth after warm-up (MiB)", p.rssGrowthMiB(), MAX_GROWTH_MIB));
                t.add(Target.atLeast(p.name() + ": steps/s at the end / at the start", p.rateRatio(), MIN_RATE_RATIO));
            }
            return t;
        }
    }

    static Result run(Options o, Consumer<String> log) {
        Path scratch = null;
        try {
            scratch = Files.createTempDirectory("lab-soak");
            log.accept("  long run: " + o.longSteps() + " steps");
            Phase longRun = longRun(o, scratch);
            log.accept(String.format(Locale.ROOT, "  long run: RSS %.0f -> %.0f MiB after warm-up, %.1f -> %.1f steps/s",
                    longRun.rssAfterWarmupMiB(), longRun.rssEndMiB(), longRun.rateStart(), longRun.rateEnd()));
            log.accept("  sweep: " + o.sweepRuns() + " runs of " + o.sweepSteps() + " steps");
            Phase sweep = sweep(o, scratch);
            log.accept(String.format(Locale.ROOT, "  sweep: RSS %.0f -> %.0f MiB after warm-up, %.1f -> %.1f steps/s",
                    sweep.rssAfterWarmupMiB(), sweep.rssEndMiB(), sweep.rateStart(), sweep.rateEnd()));
            return new Result(o, longRun, sweep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the soak's runs", e);
        } finally {
            delete(scratch);
        }
    }

    /** The long run, sampled every sampleEvery steps through the check the loop makes before each step. */
    private static Phase longRun(Options o, Path scratch) throws IOException {
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        int[] checks = {0};
        BooleanSupplier sampler = () -> {
            int done = checks[0]++ - 1; // the runner checks once before the run, the loop before each step
            if (done >= 0 && done % o.sampleEvery() == 0) {
                samples.add(new Sample(done, (System.nanoTime() - start) / 1e9, Machine.rssBytes() / 1048576.0));
            }
            return false;
        };
        train(o, scratch.resolve("long"), o.longSteps(), List.of("train.seeds=[0]"), sampler);
        samples.add(new Sample(o.longSteps(), (System.nanoTime() - start) / 1e9, Machine.rssBytes() / 1048576.0));
        int warmup = o.longSteps() / 10;
        List<Sample> after = samples.stream().filter(s -> s.x() >= warmup).toList();
        int tenth = Math.max(1, after.size() / 10);
        return phase("long run", o.longSteps(), warmup, samples, after, rate(after.subList(0, tenth + 1)),
                rate(after.subList(after.size() - tenth - 1, after.size())));
    }

    /** The sweep: one run per seed; RSS before each run, each run's own steps/s from its summary.json. */
    private static Phase sweep(Options o, Path scratch) throws IOException {
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        int[] checks = {0};
        BooleanSupplier sampler = () -> {
            if (checks[0]++ % (o.sweepSteps() + 1) == 0) { // the runner's check before each run
                samples.add(new Sample(samples.size(), (System.nanoTime() - start) / 1e9, Machine.rssBytes() / 1048576.0));
            }
            return false;
        };
        String seeds = "train.seeds=" + java.util.stream.IntStream.range(0, o.sweepRuns()).boxed().toList();
        ExperimentResult result = train(o, scratch.resolve("sweep"), o.sweepSteps(), List.of(seeds), sampler);
        samples.add(new Sample(o.sweepRuns(), (System.nanoTime() - start) / 1e9, Machine.rssBytes() / 1048576.0));
        List<Double> rates = new ArrayList<>();
        for (RunResult r : result.runs()) {
            rates.add(Json.read(new RunLayout(r.runDir()).summary(), JsonNode.class).path(RunKeys.STEPS_PER_SECOND).asDouble());
        }
        int warmup = Math.max(1, o.sweepRuns() / 10);
        List<Sample> after = samples.stream().filter(s -> s.x() >= warmup).toList();
        List<Double> measured = rates.subList(Math.min(warmup, rates.size() - 1), rates.size());
        int tenth = Math.max(1, measured.size() / 10);
        return phase("sweep", o.sweepRuns(), warmup, samples, after, mean(measured.subList(0, tenth)),
                mean(measured.subList(measured.size() - tenth, measured.size())));
    }

    private static ExperimentResult train(Options o, Path root, int steps, List<String> sets, BooleanSupplier sampler)
            throws IOException {
        Files.createDirectories(root);
        Path config = Files.writeString(root.resolve("soak.yaml"), o.config());
        List<String> all = new ArrayList<>(sets);
        all.add("train.steps=" + steps);
        ExperimentResult result = ExperimentRunner.run(new RunRequest(config, all, null, root, null, sampler));
        if (!result.allCompleted()) {
            throw new IllegalStateException("soak: a run did not complete: " + result.runs());
        }
        return result;
    }

    private static Phase phase(String name, int length, int warmup, List<Sample> samples, List<Sample> after, double rateStart,
                               double rateEnd) {
        double first = after.get(0).rssMiB();
        double last = after.get(after.size() - 1).rssMiB();
        double max = after.stream().mapToDouble(Sample::rssMiB).max().orElse(Double.NaN);
        return new Phase(name, length, warmup, List.copyOf(samples), first, last, max, last - first, rateStart, rateEnd);
    }

    /** Steps per second between the first and last of these samples. */
    private static double rate(List<Sample> s) {
        Sample a = s.get(0);
        Sample b = s.get(s.size() - 1);
        return (b.x() - a.x()) / (b.seconds() - a.seconds());
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    static String summary(Result r) {
        StringBuilder s = new StringBuilder("## soak\n\n| phase | length | warm-up | RSS after warm-up MiB | RSS end MiB | RSS max MiB"
                + " | growth MiB | steps/s start | steps/s end | end / start |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : List.of(r.longRun(), r.sweep())) {
            s.append(String.format(Locale.ROOT, "| %s | %d %s | %d | %.0f | %.0f | %.0f | %.1f | %.1f | %.1f | %.3f |\n", p.name(),
                    p.length(), p.name().equals("sweep") ? "runs" : "steps", p.warmup(), p.rssAfterWarmupMiB(), p.rssEndMiB(),
                    p.rssMaxMiB(), p.rssGrowthMiB(), p.rateStart(), p.rateEnd(), p.rateRatio()));
        }
        return s.append("\nRSS: VmRSS of this JVM (heap and native). Long run: sampled every ").append(r.options().sampleEvery())
                .append(" steps; sweep: before each run, each run's steps/s from its summary.json.\n\n").toString();
    }

    static void plots(Result r, Path dir) {
        XYChart chart = Charts.lineChart("Resident memory during the soak", "step (long run) / run (sweep)", "RSS (MiB)");
        int i = 0;
        for (Phase p : List.of(r.longRun(), r.sweep())) {
            Charts.line(chart, p.name(), p.samples().stream().mapToDouble(Sample::x).toArray(),
                    p.samples().stream().mapToDouble(Sample::rssMiB).toArray(), Charts.color(i++));
        }
        Charts.save(chart, dir, "soak-rss");
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a temporary directory; the figures are what matters
        }
    }
}
