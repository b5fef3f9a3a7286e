package attentionlab.experiments.sweep;

import attentionlab.experiments.layout.RunStatus;
import attentionlab.experiments.train.RunResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code jobs} worker JVMs that train the points of an experiment, so that small models, which use
 * few cores each, use every core together. Each worker is the same code on the same class path
 * ({@link Worker}), with its own engine thread count; it reads point names on its standard input and
 * answers each with one line on its standard output when the point has ended; its progress lines
 * (standard error) are passed on. A point is given to a worker when it is free, so the queue drains
 * however long each run takes.
 *
 * <p>A failed or diverged run is that run's status; the other points go on. A worker that dies (killed,
 * out of memory) leaves its point as its run directory says (lost, resumable) and is replaced while points
 * remain. On stop (Ctrl-C in the terminal reaches the workers too; SIGTERM to this process is passed on
 * to them as SIGTERM) no further point is given out, every running point checkpoints and is marked
 * interrupted by its worker, and this returns once every worker has exited.
 */
public final class Workers {

    /** The worker's answer when a point has ended: {@code lab-worker done <run> <status>}. */
    static final String DONE = "lab-worker done ";
    /** The worker's answer when it could not take a point: {@code lab-worker skipped <run> <reason>}. */
    static final String SKIPPED = "lab-worker skipped ";

    private final Path experimentDir;
    private final int jobs;
    private final int threads;
    private final PrintStream progress;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

    /** What a worker said or did: answered a point, or exited. */
    private record Event(Child child, String line, int exitCode) {}

    /** One worker process and the point it trains now (null when idle). */
    private final class Child {
        final Process process;
        final Writer input;
        final Deque<String> lastErrors = new ArrayDeque<>();
        Thread errorReader;
        Manifest.Point current;

        Child(Process process) {
            this.process = process;
            this.input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        void give(Manifest.Point point) {
            current = point;
            try {
                input.write(point.run() + "\n");
                input.flush();
            } catch (IOException e) {
                // the worker has died; its exit event reports the point
            }
        }

        /** No more points: end of input, the worker exits when its current point has ended. */
        void finish() {
            try {
                input.close();
            } catch (IOException e) {
                // already gone
            }
        }

        synchronized void rememberError(String line) {
            lastErrors.addLast(line);
            if (lastErrors.size() > 3) {
                lastErrors.removeFirst();
            }
        }

        synchronized String lastError() {
            return lastErrors.isEmpty() ? "no output" : lastErrors.getLast();
        }
    }

    /**
     * @param threads engine threads of each worker
     * @param progress where the workers' progress lines go (null: nowhere)
     */
    Workers(Path experimentDir, int jobs, int threads, PrintStream progress) {
        this.experimentDir = experimentDir.toAbsolutePath();
        this.jobs = jobs;
        this.threads = threads;
        this.progress = progress;
    }

    /**
     * Trains the points, {@code jobs} at a time, until all have ended or {@code stop} turns true.
     *
     * @param notes receives a line per point that could not be trained (and why)
     * @return run name -> result, for every point that ran
     */
    Map<String, RunResult> run(List<Manifest.Point> points, BooleanSupplier stop, List<String> notes) {
        Deque<Manifest.Point> queue = new ArrayDeque<>(points);
        Map<String, RunResult> results = new LinkedHashMap<>();
        List<Child> live = new ArrayList<>();
        int starts = 0;
        while (live.size() < jobs && !queue.isEmpty()) {
            Child c = start();
            starts++;
            live.add(c);
            c.give(queue.poll());
        }
        boolean stopping = false;
        try {
            while (!live.isEmpty()) {
                if (!stopping && stop.getAsBoolean()) {
                    stopping = true;
                    live.forEach(c -> {
                        c.finish();
                        // SIGTERM: the worker checkpoints its run, marks it interrupted and answers. Through the
                        // handle, because Process.destroy() also closes our ends of its pipes, losing the answer.
                        c.process.toHandle().destroy();
                    });
                }
                Event e = events.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                Child c = e.child();
                if (e.line() != null) {
                    answered(c, e.line(), results, notes);
                    if (!stopping && !queue.isEmpty()) {
                        c.give(queue.poll());
                    } else {
                        c.finish();
                    }
                    continue;
                }
                live.remove(c);
                if (c.current != null) {
                    lost(c, e.exitCode(), stopping, results, notes);
                }
                if (!stopping && !queue.isEmpty() && starts < points.size() + jobs) {
                    Child replacement = start();
                    starts++;
                    live.add(replacement);
                    replacement.give(queue.poll());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            live.forEach(c -> c.process.toHandle().destroy());
        }
        return results;
    }

    private void answered(Child c, String line, Map<String, RunResult> results, List<String> notes) {
        Manifest.Point p = c.current;
        c.current = null;
        if (line.startsWith(SKIPPED)) {
            notes.add(p.run() + ": " + line.substring(SKIPPED.length() + p.run().length() + 1));
        } else {
            String status = line.substring(DONE.length() + p.run().length() + 1).trim();
            results.put(p.run(), new RunResult(experimentDir.resolve(p.run()), p.variant(), p.seed(), RunStatus.of(status)));
        }
    }

    /** A worker ended while training a point: the point is what its run directory says. */
    private void lost(Child c, int exitCode, boolean stopping, Map<String, RunResult> results, List<String> notes) {
        Manifest.Point p = c.current;
        Path runDir = experimentDir.resolve(p.run());
        if (java.nio.file.Files.isDirectory(runDir)) {
            RunStatus status = PointStates.runStatus(runDir);
            results.put(p.run(), new RunResult(runDir, p.variant(), p.seed(), status));
            Manifest.updateStatus(experimentDir, p.run(), status.label());
        } else if (stopping) {
            return; // stopped before it began: reported as not started
        }
        notes.add(p.run() + ": its worker exited with code " + exitCode + " (" + c.lastError() + ")"
                + "; continue it with: lab resume " + experimentDir);
    }

    private Child start() {
        List<String> command = javaCommand(threads, Worker.class, List.of(experimentDir.toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker JVM (" + command.get(0) + ")", e);
        }
        Child child = new Child(process);
        child.errorReader = daemon(() -> errors(child), "lab-worker-err");
        daemon(() -> answers(child), "lab-worker-out");
        return child;
    }

    /**
     * The command that starts {@code main} in a JVM like this one (same java, class path and options, see
     * {@link #jvmOptions}) with {@code threads} engine threads.
     */
    public static List<String> javaCommand(int threads, Class<?> main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions(threads));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(args);
        return command;
    }

    /**
     * This JVM's system properties and memory options, offline mode, headless and the log level, with the
     * engine's thread counts set for a worker (intra-op {@code threads}, inter-op 1).
     */
    static List<String> jvmOptions(int threads) {
        List<String> options = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            boolean engineThreads = arg.startsWith("-Dai.djl.pytorch.num_threads=") || arg.startsWith("-Dai.djl.pytorch.num_interop_threads=");
            if ((arg.startsWith("-D") || arg.startsWith("-Xmx") || arg.startsWith("-Xss")) && !engineThreads) {
                options.add(arg);
            }
        }
        for (String property : List.of("ai.djl.offline", "java.awt.headless", "org.slf4j.simpleLogger.defaultLogLevel")) {
            String value = System.getProperty(property, property.startsWith("org.") ? null : "true");
            if (value != null && options.stream().noneMatch(o -> o.startsWith("-D" + property + "="))) {
                options.add("-D" + property + "=" + value); // e.g. set by the build tool after the JVM started
            }
        }
        options.add("-Dai.djl.pytorch.num_threads=" + threads);
        options.add("-Dai.djl.pytorch.num_interop_threads=1");
        return options;
    }

    private void answers(Child child) {
        try (BufferedReader in = reader(child.process.getInputStream())) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith(DONE) || line.startsWith(SKIPPED)) {
                    events.add(new Event(child, line, 0));
                }
            }
        } catch (IOException e) {
            // the worker's output ended with it
        }
        int code;
        try {
            code = child.process.waitFor();
            child.errorReader.join(5000); // its last lines (e.g. "interrupted at step t") are passed on first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        events.add(new Event(child, null, code));
    }

    private void errors(Child child) {
        try (BufferedReader in = reader(child.process.getErrorStream())) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                child.rememberError(line);
                if (progress != null) {
                    synchronized (progress) {
                        progress.println(line);
                        progress.flush();
                    }
                }
            }
        } catch (IOException e) {
            // the worker's error stream ended with it
        }
    }

    private static BufferedReader reader(InputStream in) {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    private static Thread daemon(Runnable body, String name) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
