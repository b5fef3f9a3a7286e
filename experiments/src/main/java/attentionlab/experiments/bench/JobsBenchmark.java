package attentionlab.experiments.bench;

import attentionlab.experiments.config.Overrides;
import attentionlab.experiments.sweep.ExperimentResult;
import attentionlab.experiments.sweep.ExperimentRunner;
import attentionlab.experiments.sweep.RunRequest;
import attentionlab.experiments.sweep.Workers;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code lab bench jobs}: the wall time of one experiment trained with {@code --jobs 1} (one JVM, every
 * core for the engine) and with {@code --jobs N} (N worker JVMs, cores / N engine threads each), paired
 * in one invocation: each is a fresh JVM (start-up included, as a user waits for it) timed end to end,
 * alternated 1, N, N, 1 so that a drift in machine load hits both alike. Speed-up = total time of
 * {@code --jobs 1} / total time of {@code --jobs N}; the target is 1.6 for N = 2 on 2 cores.
 */
final class JobsBenchmark {

    private JobsBenchmark() {}

    /**
     * @param config the experiment (configs/argmax-stall.yaml: 12 small runs)
     * @param sets overrides (quick: fewer steps)
     * @param jobs N, the workers compared with one JVM
     * @param pairs how many (1, N) pairs, alternated
     */
    record Options(Path config, List<String> sets, int jobs, int pairs) {
        static Options full() {
            return new Options(configs().resolve("argmax-stall.yaml"), List.of(), 2, 2);
        }

        static Options quick() {
            return new Options(configs().resolve("argmax-stall.yaml"), List.of("train.steps=60"), 2, 1);
        }
    }

    /** One timed invocation: {@code jobs} at a time, {@code threads} engine threads per run. */
    record Timing(int jobs, int threads, double seconds, @JsonProperty("all_completed") boolean allCompleted) {}

    /** Other processes' load (busy cores, {@link MachineLoad#now}) above which the speed-up is not judged. */
    static final double BUSY = 0.5;

    /**
     * @param loadBefore other processes' load before the first invocation ({@link MachineLoad#now})
     * @param loadAfter the same after the last
     */
    record Result(String config, List<String> sets, int cores, List<Timing> timings, double speedup,
                  @JsonProperty("other_load_before") double loadBefore, @JsonProperty("other_load_after") double loadAfter) {

        /**
         * The speed-up against 1.6; not measured when other processes kept more than {@link #BUSY} of a core
         * busy before or after (the runs use every core, so the ratio would measure the other load).
         */
        List<Target> targets() {
            int n = timings.stream().mapToInt(Timing::jobs).max().orElse(1);
            String name = "--jobs " + n + " speed-up over --jobs 1 (wall time)";
            double others = Math.max(loadBefore, loadAfter);
            if (others > BUSY) {
                return List.of(Target.notMeasured(name, ">= 1.6", String.format(Locale.ROOT,
                        "machine busy (other processes' load %.2f on %d cores; the comparison needs every core, <= %.1f);"
                                + " measured %.2f", others, cores, BUSY, speedup)));
            }
            return List.of(Target.atLeast(name, speedup, 1.6));
        }

        String summary() {
            StringBuilder s = new StringBuilder("## jobs\n\n`lab run " + config + (sets.isEmpty() ? "" : " --set "
                    + String.join(" --set ", sets)) + "` on " + cores + " cores, each invocation a fresh JVM timed end to end"
                    + String.format(Locale.ROOT, " (other processes' load %.2f before, %.2f after).\n\n", loadBefore, loadAfter)
                    + "| order | --jobs | engine threads per run | wall s | all runs completed |\n|---|---|---|---|---|\n");
            for (int i = 0; i < timings.size(); i++) {
                Timing t = timings.get(i);
                s.append(String.format(Locale.ROOT, "| %d | %d | %d | %.1f | %s |\n", i + 1, t.jobs(), t.threads(), t.seconds(),
                        t.allCompleted() ? "yes" : "NO"));
            }
            return s.append(String.format(Locale.ROOT, "\nSpeed-up (sum of --jobs 1 times / sum of --jobs N times): %.2f\n\n", speedup))
                    .toString();
        }
    }

    static Result run(Options o, Consumer<String> log) {
        int cores = Runtime.getRuntime().availableProcessors();
        double loadBefore = MachineLoad.now();
        List<Timing> timings = new ArrayList<>();
        Path out;
        try {
            out = Files.createTempDirectory("lab-bench-jobs");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch directory", e);
        }
        try {
            for (int pair = 0; pair < o.pairs(); pair++) {
                List<Integer> order = pair % 2 == 0 ? List.of(1, o.jobs()) : List.of(o.jobs(), 1);
                for (int jobs : order) {
                    Timing t = time(o, jobs, jobs == 1 ? cores : Math.max(1, cores / jobs), out.resolve("p" + pair + "-j" + jobs));
                    log.accept(String.format(Locale.ROOT, "  --jobs %d (%d engine thread(s) per run): %.1f s%s", t.jobs(),
                            t.threads(), t.seconds(), t.allCompleted() ? "" : " (NOT every run completed)"));
                    timings.add(t);
                }
            }
        } finally {
            deleteTree(out);
        }
        double one = timings.stream().filter(t -> t.jobs() == 1).mapToDouble(Timing::seconds).sum();
        double many = timings.stream().filter(t -> t.jobs() != 1).mapToDouble(Timing::seconds).sum();
        return new Result(o.config().toString(), o.sets(), cores, timings, one / many, loadBefore, MachineLoad.now());
    }

    /** Times one fresh JVM that trains the experiment ({@link #main}). */
    private static Timing time(Options o, int jobs, int threads, Path out) {
        List<String> args = new ArrayList<>(List.of(o.config().toString(), out.toString(), Integer.toString(jobs)));
        args.addAll(o.sets());
        List<String> command = Workers.javaCommand(jobs == 1 ? threads : 1, JobsBenchmark.class, args);
        long start = System.nanoTime();
        try {
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.HOURS)) {
                p.destroyForcibly();
                throw new IllegalStateException("lab run --jobs " + jobs + " did not end within 2 hours");
            }
            return new Timing(jobs, threads, (System.nanoTime() - start) / 1e9, p.exitValue() == 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for --jobs " + jobs, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing --jobs " + jobs, e);
        }
    }

    /** Child entry point: {@code CONFIG OUT JOBS [SET...]}; exit 0 when every run completed. */
    public static void main(String[] args) {
        List<String> sets = List.of(args).subList(3, args.length);
        ExperimentResult r = ExperimentRunner.run(new RunRequest(Path.of(args[0]), Overrides.of(sets, null), Path.of(args[1]),
                Integer.parseInt(args[2]), null, null, null));
        System.exit(r.allCompleted() ? 0 : 1);
    }

    private static Path configs() {
        return Path.of(System.getenv().getOrDefault("LAB_HOME", "."), "configs");
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }
}
