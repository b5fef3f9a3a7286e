package attentionlab.experiments.bench;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A {@link Sweep.Timer} that times nothing, for tests of what is done with times: seconds per call of
 * every point and round from a formula, a fixed load average, and a record of what was asked. So that a
 * fake timing cannot hide a point the engine could not run, the first point of each JMH benchmark in a
 * sweep is run once in this JVM ({@link #runInProcess}): its parameters must name the benchmark's
 * {@code @Param} fields, and its setup, call and teardown must work.
 */
public final class FakeTimer implements Sweep.Timer {

    /** Seconds per call of a point in a round. */
    public interface Seconds {
        double of(Sweep.Point point, int round);
    }

    private final Seconds seconds;
    private final double load;
    /** Every sweep asked for, in order. */
    public final List<List<Sweep.Point>> sweeps = new ArrayList<>();
    /** The settings of every sweep asked for, in order. */
    public final List<Sweep.Settings> settings = new ArrayList<>();

    public FakeTimer(Seconds seconds, double load) {
        this.seconds = seconds;
        this.load = load;
    }

    /** An idle machine (load 0.1). */
    public static FakeTimer idle(Seconds seconds) {
        return new FakeTimer(seconds, 0.1);
    }

    /** A busy machine (load 5 on any core count of this test machine up to 5). */
    public static FakeTimer busy(Seconds seconds) {
        return new FakeTimer(seconds, Math.max(5, MachineLoad.machineCores() + 1));
    }

    /** A point's integer parameter. */
    public static int param(Sweep.Point p, String name) {
        return Integer.parseInt(p.params().get(name));
    }

    /** Round r's factor around 1, so that a fit over rounds has residuals: 0.97, 1.0, 1.03, 0.98, ... */
    public static double noise(int round) {
        return 1 + 0.03 * ((round % 3) - 1) - 0.01 * (round / 3);
    }

    @Override
    public List<Sweep.Measured> run(List<Sweep.Point> points, Sweep.Settings s, Consumer<String> log) {
        sweeps.add(points);
        settings.add(s);
        Set<String> benchmarks = new HashSet<>();
        points.stream().filter(p -> benchmarks.add(p.benchmark())).forEach(FakeTimer::runInProcess);
        List<Sweep.Measured> out = new ArrayList<>();
        for (Sweep.Point p : points) {
            double[] rounds = new double[s.rounds()];
            double[][] iterations = new double[s.rounds()][];
            for (int r = 0; r < s.rounds(); r++) {
                rounds[r] = seconds.of(p, r);
                iterations[r] = new double[] {rounds[r]};
            }
            out.add(new Sweep.Measured(p, rounds, iterations, null));
        }
        return out;
    }

    /**
     * Runs a point's JMH benchmark once in this JVM, as a fork would: {@code @Param} fields set from the
     * point, trial and iteration {@code @Setup}, one {@code @Benchmark} call, {@code @TearDown}.
     *
     * @throws AssertionError if a parameter names no {@code @Param} field or the benchmark fails
     */
    public static void runInProcess(Sweep.Point point) {
        try {
            Class<?> type = Class.forName(Sweep.class.getPackageName() + "." + point.benchmark());
            Object bench = type.getConstructor().newInstance();
            for (String name : point.params().keySet()) {
                if (!type.getField(name).isAnnotationPresent(Param.class)) {
                    throw new AssertionError(point.describe() + ": " + name + " is not a @Param");
                }
            }
            for (Field field : type.getFields()) {
                if (field.isAnnotationPresent(Param.class)) { // the point's value, else the @Param default, as JMH does
                    String v = point.params().getOrDefault(field.getName(), field.getAnnotation(Param.class).value()[0]);
                    Class<?> t = field.getType();
                    field.set(bench, t == int.class ? Integer.valueOf(v) : t == long.class ? Long.valueOf(v)
                            : t == boolean.class ? Boolean.valueOf(v) : v);
                }
            }
            invoke(bench, m -> m.isAnnotationPresent(Setup.class) && m.getAnnotation(Setup.class).value() == Level.Trial);
            invoke(bench, m -> m.isAnnotationPresent(Setup.class) && m.getAnnotation(Setup.class).value() == Level.Iteration);
            invoke(bench, m -> m.isAnnotationPresent(Benchmark.class));
            invoke(bench, m -> m.isAnnotationPresent(TearDown.class));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(point.describe() + " cannot run: " + (e.getCause() != null ? e.getCause() : e), e);
        }
    }

    private static void invoke(Object bench, Predicate<Method> which) throws ReflectiveOperationException {
        for (Method m : bench.getClass().getMethods()) {
            if (which.test(m)) {
                m.invoke(bench);
            }
        }
    }

    @Override
    public double otherLoad() {
        return load;
    }

    @Override
    public int threads() {
        return 1;
    }
}
