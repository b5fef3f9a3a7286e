package attentionlab.experiments.bench;

import attentionlab.experiments.io.Json;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One benchmark of {@code lab bench}: how it runs (full or quick size) and how its result is written:
 * {@code <name>.json}, its plots, a section of summary.md, and its targets. {@link BenchSuite} runs every
 * benchmark through {@link #runInto}, the same way.
 *
 * @param <R> the result record, written to {@code <name>.json} as is
 */
record Benchmark<R>(String name, Runner<R> run, BiConsumer<R, Path> plots, Function<R, String> summary,
                    Function<R, List<Target>> targets) {

    /** Runs a benchmark at full or quick size, timing with {@code timer}. */
    interface Runner<R> {
        R run(boolean quick, Sweep.Timer timer, Consumer<String> log);
    }

    /** The benchmarks, in the order {@code lab bench} runs them. */
    static final List<Benchmark<?>> ALL = List.of(
            new Benchmark<>("attention-scaling", (quick, timer, log) -> AttentionScaling.run(quick ? AttentionScaling.Options.quick()
                    : AttentionScaling.Options.full(), timer, log), BenchPlots::attentionScaling, BenchSummary::attentionScaling,
                    AttentionScaling.Result::targets),
            new Benchmark<>("decode", (quick, timer, log) -> DecodeBenchmark.run(quick ? DecodeBenchmark.Options.quick()
                    : DecodeBenchmark.Options.full(), timer, log), BenchPlots::decode, BenchSummary::decode, DecodeBenchmark.Result::targets),
            new Benchmark<>("train", (quick, timer, log) -> TrainBenchmark.run(quick ? TrainBenchmark.Options.quick()
                    : TrainBenchmark.Options.full(), timer, log), BenchPlots::train, BenchSummary::train, TrainBenchmark.Result::targets),
            new Benchmark<>("soak", (quick, timer, log) -> SoakBenchmark.run(quick ? SoakBenchmark.Options.quick()
                    : SoakBenchmark.Options.full(), log), SoakBenchmark::plots, SoakBenchmark::summary, SoakBenchmark.Result::targets),
            new Benchmark<>("jobs", (quick, timer, log) -> JobsBenchmark.run(quick ? JobsBenchmark.Options.quick()
                    : JobsBenchmark.Options.full(), log), (r, dir) -> { }, JobsBenchmark.Result::summary,
                    JobsBenchmark.Result::targets));

    /**
     * Runs the benchmark and writes {@code dir/<name>.json} and its plots.
     *
     * @param summaryOut receives the benchmark's section of summary.md
     * @return its targets
     */
    List<Target> runInto(Path dir, boolean quick, Sweep.Timer timer, Consumer<String> log, StringBuilder summaryOut) {
        R result = run.run(quick, timer, log);
        Json.write(dir.resolve(name + ".json"), result);
        plots.accept(result, dir);
        summaryOut.append(summary.apply(result));
        return targets.apply(result);
    }
}
