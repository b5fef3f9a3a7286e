package attentionlab.experiments.bench;

import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one timing engine of {@code lab bench} and the claims, built on JMH (OpenJDK's harness for
 * exactly this: forked JVMs, warm-up, iterations, parameters, per-iteration results). A sweep is a
 * list of points, each a JMH benchmark ({@link AttentionBench}, {@link DecodeBench}, {@link RooflineBench},
 * {@link TrainBench}) with its {@code @Param} values. It runs in rounds: every round runs every point once, in the given
 * order, each in its own JMH fork (a fresh JVM with the engine's flags and the {@link Timer}'s engine
 * threads): warm-up iterations, then measured iterations. A point's repeats are its rounds, so
 * the repeat variance includes JVM-to-JVM variation, and points adjacent in the list are measured back
 * to back in every round (a paired ratio of two points compares runs taken under the same load).
 *
 * <p>Why JMH fits, and where it is not used: its forks isolate a point from the JIT profile, heap and
 * native allocator state that an earlier (larger) point left behind; warm-up iterations run right
 * before the measured ones, so memory that the VM's free page reporting handed back to the host is
 * backed again before it is timed (see the README note on timing: a first pass over 2.3 GB ran at
 * 0.4 GB/s, later ones at 14 GB/s); iteration and batch control replace the hand-written loops. What
 * JMH does not give: a time limit on a hung native call (its iteration timeout only interrupts the
 * benchmark thread, which a native op does not notice) and round-robin interleaving of different
 * benchmarks. So the JMH runner itself runs in a {@link ChildJvm} with a timeout (the forks are its
 * children and are killed with it), and {@link SweepHost} loops over rounds and points, one JMH run per
 * point and round. JMH's lock file is ignored: this engine checks the machine's load itself
 * ({@link MachineLoad}), and concurrent test JVMs must not refuse to run. Peak memory is not JMH's
 * business: {@link PeakMemory} measures it in a fresh child JVM.
 *
 * <p>Benchmarks and claims take a {@link Timer}: {@link #engine} in use, a fake in tests, which then
 * check what is done with the times (fits, ratios, targets, verdicts) without timing anything.
 */
public final class Sweep {

    private Sweep() {}

    /** Where timings come from: {@link #engine}, or a fake in tests. */
    public interface Timer {

        /** Runs every point {@code settings.rounds()} times; one {@link Measured} per point, in order. */
        List<Measured> run(List<Point> points, Settings settings, Consumer<String> log);

        /** Other processes' load now, in busy cores ({@link MachineLoad#now}; -1 where unknown). */
        double otherLoad();

        /** Engine threads of every timed call. */
        int threads();
    }

    /**
     * The engine: {@link #run} with {@code threads} engine threads per fork (intra-op; inter-op is 1),
     * the load of other processes sampled from /proc/stat.
     */
    public static Timer engine(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a timer needs at least 1 engine thread, got " + threads);
        }
        return new Timer() {
            @Override
            public List<Measured> run(List<Point> points, Settings settings, Consumer<String> log) {
                return Sweep.run(points, settings, threads, log);
            }

            @Override
            public double otherLoad() {
                return MachineLoad.now();
            }

            @Override
            public int threads() {
                return threads;
            }
        };
    }

    /**
     * How every point of a sweep is run.
     *
     * @param rounds repeats of every point, each in a fresh fork
     * @param warmupIterations untimed iterations before the measured ones, in each fork
     * @param iterations measured iterations in each fork
     * @param iterationSeconds minimum length of an iteration (time mode; at least one call); 0: single-shot mode
     * @param batch calls per single-shot iteration (single-shot mode)
     * @param pointTimeoutSeconds the longest one point may take in one round; the whole sweep is allowed
     *                            rounds x points x this, plus a minute
     */
    public record Settings(int rounds, int warmupIterations, int iterations, double iterationSeconds, int batch,
                           long pointTimeoutSeconds) {

        public Settings {
            if (rounds < 1 || iterations < 1 || warmupIterations < 0 || batch < 1) {
                throw new IllegalArgumentException("sweep settings need rounds, iterations, batch >= 1 and warm-up >= 0, got " + this);
            }
        }

        /** Time mode: iterations of at least {@code iterationSeconds}. */
        public static Settings timed(int rounds, int warmupIterations, int iterations, double iterationSeconds, long pointTimeoutSeconds) {
            return new Settings(rounds, warmupIterations, iterations, iterationSeconds, 1, pointTimeoutSeconds);
        }

        /** Single-shot mode: iterations of {@code batch} calls each. */
        public static Settings singleShot(int rounds, int warmupIterations, int iterations, int batch, long pointTimeoutSeconds) {
            return new Settings(rounds, warmupIterations, iterations, 0, batch, pointTimeoutSeconds);
        }
    }

    /**
     * One benchmark with its parameters.
     *
     * @param benchmark the JMH benchmark class (simple name: AttentionBench, DecodeBench, RooflineBench, TrainBench)
     * @param params its {@code @Param} values
     */
    public record Point(String benchmark, Map<String, String> params) {

        /** "softmax n=1024 d=16". */
        public String describe() {
            StringBuilder s = new StringBuilder(benchmark);
            params.forEach((k, v) -> s.append(' ').append(k).append('=').append(v));
            return s.toString();
        }
    }

    /** What the host is asked to do (written as JSON for it). */
    record Spec(Settings settings, List<Point> points, List<String> forkFlags, String resultFile) {}

    /**
     * One point and round as the host measured it.
     *
     * @param seconds seconds per call in each measured iteration (NaN entries never occur; empty on error)
     * @param error why the point failed in this round, or null
     */
    record RoundResult(int round, int point, double[] seconds, String error) {}

    /**
     * A point's measurements.
     *
     * @param rounds seconds per call of each round (the mean over its measured iterations); empty if it failed
     * @param iterations seconds per call of every measured iteration, [round][iteration]
     * @param error why it failed (in any round), or null
     */
    public record Measured(Point point, double[] rounds, double[][] iterations, String error) {

        /** Median and spread over rounds; null when failed. */
        public RepeatStats stats() {
            return rounds.length == 0 ? null : RepeatStats.of(rounds);
        }

        @JsonIgnore
        public boolean ok() {
            return error == null && rounds.length > 0;
        }
    }

    /**
     * Runs every point {@code settings.rounds()} times, rounds outermost, in one child JVM with a timeout.
     *
     * @param threads engine threads of each fork
     * @param log receives one line per point and round
     * @return one {@link Measured} per point, in order
     * @throws ChildJvm.TimeoutException if the sweep outlives its time limit
     * @throws IllegalStateException if the host JVM fails
     */
    static List<Measured> run(List<Point> points, Settings settings, int threads, Consumer<String> log) {
        return ChildJvm.withTempFile("attention-lab-sweep-spec", spec -> ChildJvm.withTempFile("attention-lab-sweep-result", result -> {
            Json.write(spec, new Spec(settings, points, ChildJvm.engineFlags("1g", threads), result.toString()));
            long timeout = settings.rounds() * points.size() * settings.pointTimeoutSeconds() + 60;
            ChildJvm.Output out = ChildJvm.run("sweep of " + points.size() + " points x " + settings.rounds() + " rounds",
                    ChildJvm.engineFlags("256m", threads), SweepHost.class, List.of(spec.toString()), Map.of(), timeout,
                    line -> {
                        if (line.startsWith(SweepHost.PROGRESS)) {
                            log.accept(line.substring(SweepHost.PROGRESS.length()));
                        }
                    });
            if (out.exitCode() != 0 || result.toFile().length() == 0) {
                throw new IllegalStateException("sweep host JVM exited with " + out.exitCode() + ": " + out.tail());
            }
            return collect(points, settings.rounds(), Arrays.asList(Json.read(result, RoundResult[].class)));
        }));
    }

    /** Groups the host's results by point. */
    static List<Measured> collect(List<Point> points, int rounds, List<RoundResult> results) {
        List<Measured> out = new ArrayList<>();
        for (int p = 0; p < points.size(); p++) {
            double[] perRound = new double[rounds];
            double[][] iterations = new double[rounds][];
            String error = null;
            int found = 0;
            for (RoundResult r : results) {
                if (r.point() != p) {
                    continue;
                }
                if (r.error() != null) {
                    error = r.error();
                } else {
                    perRound[r.round()] = Arrays.stream(r.seconds()).average().orElse(Double.NaN);
                    iterations[r.round()] = r.seconds();
                    found++;
                }
            }
            if (error == null && found != rounds) {
                error = "measured in " + found + " of " + rounds + " rounds";
            }
            out.add(error == null ? new Measured(points.get(p), perRound, iterations, null)
                    : new Measured(points.get(p), new double[0], new double[0][], error));
        }
        return out;
    }

    /** Parameters in order, for {@link Point}. */
    public static Map<String, String> params(Object... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], String.valueOf(keyValues[i + 1]));
        }
        return map;
    }

    /** "1.234 ms" for a log line. */
    static String millis(double seconds) {
        return String.format(Locale.ROOT, "%.4g ms", seconds * 1e3);
    }
}
