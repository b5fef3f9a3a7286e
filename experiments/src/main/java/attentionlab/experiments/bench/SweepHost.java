package attentionlab.experiments.bench;

import attentionlab.experiments.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.annotations.Mode;

/**
 * The child JVM of a {@link Sweep}: reads the spec, runs JMH once per round and point (one fork each),
 * prints a progress line per run and writes every iteration's seconds per call to the result file.
 * Loads no engine itself; the forks do.
 */
public final class SweepHost {

    /** Prefix of the progress lines the parent passes on. */
    static final String PROGRESS = "sweep: ";

    private SweepHost() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("jmh.ignoreLock", "true");
        Sweep.Spec spec = Json.read(Path.of(args[0]), Sweep.Spec.class);
        Sweep.Settings s = spec.settings();
        List<Sweep.RoundResult> results = new ArrayList<>();
        int total = s.rounds() * spec.points().size();
        int done = 0;
        for (int round = 0; round < s.rounds(); round++) {
            for (int p = 0; p < spec.points().size(); p++) {
                Sweep.Point point = spec.points().get(p);
                Sweep.RoundResult r = runOne(spec, round, p);
                results.add(r);
                done++;
                System.out.println(PROGRESS + String.format(Locale.ROOT, "[%d/%d] round %d %s: %s", done, total, round + 1,
                        point.describe(), r.error() != null ? "failed: " + r.error()
                                : Sweep.millis(java.util.Arrays.stream(r.seconds()).average().orElse(Double.NaN)) + " per call"));
                System.out.flush();
            }
        }
        Json.write(Path.of(spec.resultFile()), results);
        System.exit(0);
    }

    private static Sweep.RoundResult runOne(Sweep.Spec spec, int round, int index) {
        Sweep.Settings s = spec.settings();
        Sweep.Point point = spec.points().get(index);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + Pattern.quote(SweepHost.class.getPackageName() + "." + point.benchmark() + ".") + "\\w+$")
                .forks(1)
                .jvmArgs(spec.forkFlags().toArray(String[]::new))
                .warmupIterations(s.warmupIterations())
                .measurementIterations(s.iterations())
                .timeUnit(TimeUnit.NANOSECONDS)
                .timeout(TimeValue.seconds(s.pointTimeoutSeconds()))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        if (s.iterationSeconds() > 0) {
            TimeValue t = TimeValue.milliseconds(Math.max(1, Math.round(s.iterationSeconds() * 1000)));
            options.mode(Mode.AverageTime).warmupTime(t).measurementTime(t);
        } else {
            options.mode(Mode.SingleShotTime).warmupBatchSize(s.batch()).measurementBatchSize(s.batch());
        }
        point.params().forEach(options::param);
        try {
            Collection<RunResult> runs = new Runner(options.build()).run();
            if (runs.isEmpty()) {
                return new Sweep.RoundResult(round, index, new double[0], "JMH found no benchmark " + point.benchmark());
            }
            return new Sweep.RoundResult(round, index, secondsPerCall(runs.iterator().next()), null);
        } catch (RunnerException | RuntimeException e) {
            String message = rootCause(e).toString();
            return new Sweep.RoundResult(round, index, new double[0], message.lines().findFirst().orElse(message));
        }
    }

    /** The innermost cause; JMH wraps the benchmark's own exception as a suppressed one. */
    static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (true) {
            if (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            } else if (t.getSuppressed().length > 0) {
                t = t.getSuppressed()[0];
            } else {
                return t;
            }
        }
    }

    /** Seconds per benchmark call of each measured iteration (single-shot scores are per batch of calls). */
    static double[] secondsPerCall(RunResult run) {
        List<Double> seconds = new ArrayList<>();
        for (BenchmarkResult b : run.getBenchmarkResults()) {
            BenchmarkParams params = b.getParams();
            double perScore = params.getMode() == Mode.SingleShotTime ? params.getMeasurement().getBatchSize() : 1;
            for (IterationResult it : b.getIterationResults()) {
                seconds.add(it.getPrimaryResult().getScore() / 1e9 / perScore);
            }
        }
        return seconds.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
