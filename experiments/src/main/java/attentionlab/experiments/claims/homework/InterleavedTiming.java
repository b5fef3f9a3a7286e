package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDManager;
import attentionlab.experiments.bench.AttentionWorkload;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Wall time per attention call, robust to a busy machine. The timing runs in a fresh child JVM with
 * one engine thread (a 2-thread parallel region waits for its slowest thread, so a single busy core
 * can multiply its time), every size is timed in each of R rounds (sizes interleaved, so a burst of
 * load hits all of them alike), each sample repeats the call until it lasts at least
 * {@code minSampleSeconds}, and the minimum over rounds is kept: other processes only ever add time.
 *
 * <p>Each sample is preceded by one untimed call of the same size. On this kind of virtual machine the
 * guest reports free 2 MiB blocks to the host (free page reporting, {@code page_reporting_order} 9),
 * and touching such memory again costs a host-side fault that the guest's fault counters do not show:
 * a C loop that allocates, memsets and frees 2.3 GB measured 0.4 GB/s on its first pass and 14 GB/s on
 * the next ones. Softmax forward+backward at N = 12288 allocates 2.3 GB per call; timed after other
 * sizes it took 3.5-4.1 s instead of 0.9 s, which is the VM re-backing memory, not the O(N^2) work.
 * The untimed call re-backs the pages the timed call then reuses.
 */
public final class InterleavedTiming {

    private static final String RESULT = "timing ";

    /** One configuration: sweep "N" or "D", kernel, mode ("forward" or "forward+backward"), sizes. */
    public record Size(String sweep, String kernel, String mode, int n, int d) {

        String arg() {
            return sweep + ":" + kernel + ":" + mode + ":" + n + ":" + d;
        }

        static Size parse(String arg) {
            String[] p = arg.split(":");
            return new Size(p[0], p[1], p[2], Integer.parseInt(p[3]), Integer.parseInt(p[4]));
        }
    }

    /**
     * @param seconds minimum over rounds of the mean time per call within a sample
     * @param threads engine threads used while timing
     */
    public record Point(Size size, double seconds, int callsPerSample, int rounds, int threads) {}

    private InterleavedTiming() {}

    /** Times every size in a child JVM with one engine thread; {@code log} receives one line per size. */
    public static List<Point> measure(List<Size> sizes, int rounds, double minSampleSeconds, Consumer<String> log) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of("-Xmx1g", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", System.getProperty("java.class.path"),
                InterleavedTiming.class.getName(), String.valueOf(rounds), String.valueOf(minSampleSeconds)));
        sizes.forEach(s -> command.add(s.arg()));
        List<Point> points = new ArrayList<>();
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            List<String> other = new ArrayList<>();
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith(RESULT)) {
                        String[] p = line.substring(RESULT.length()).split(" ");
                        Point point = new Point(Size.parse(p[0]), Double.parseDouble(p[1]), Integer.parseInt(p[2]), rounds, 1);
                        points.add(point);
                        log.accept(String.format(Locale.ROOT, "time %-9s %-16s N=%-5d D=%-3d %10.4f ms (min of %d rounds x %d calls, 1 thread)",
                                point.size().kernel(), point.size().mode(), point.size().n(), point.size().d(), point.seconds() * 1e3,
                                rounds, point.callsPerSample()));
                    } else {
                        other.add(line);
                    }
                }
            }
            int exit = child.waitFor();
            if (exit != 0 || points.size() != sizes.size()) {
                throw new IllegalStateException("timing child JVM exited with " + exit + " after " + points.size() + " of " + sizes.size()
                        + " sizes: " + String.join(" | ", other.subList(Math.max(0, other.size() - 3), other.size())));
            }
            return points;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the timing JVM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while timing", e);
        }
    }

    /** Child entry: {@code ROUNDS MIN_SAMPLE_SECONDS SWEEP:KERNEL:MODE:N:D ...}; prints {@code timing <size> <seconds> <calls>}. */
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        double minSample = Double.parseDouble(args[1]);
        List<Size> sizes = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            sizes.add(Size.parse(args[i]));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            List<AttentionWorkload> workloads = new ArrayList<>();
            int[] calls = new int[sizes.size()];
            double[] best = new double[sizes.size()];
            for (int i = 0; i < sizes.size(); i++) {
                Size s = sizes.get(i);
                AttentionWorkload w = new AttentionWorkload(manager, s.kernel(), s.n(), s.d(), s.d(), s.mode().equals("forward+backward"));
                workloads.add(w);
                long warm = System.nanoTime();
                w.run(); // warm-up
                double once = (System.nanoTime() - warm) / 1e9;
                for (int c = 0; c < 3 && once < minSample; c++) { // calibrate short calls on the fastest of 3
                    long start = System.nanoTime();
                    w.run();
                    once = Math.min(once, (System.nanoTime() - start) / 1e9);
                }
                calls[i] = (int) Math.max(1, Math.ceil(minSample / Math.max(once, 1e-6)));
                best[i] = Double.POSITIVE_INFINITY;
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < sizes.size(); i++) {
                    workloads.get(i).run(); // untimed: back the freed pages again (see the class comment)
                    long start = System.nanoTime();
                    for (int c = 0; c < calls[i]; c++) {
                        workloads.get(i).run();
                    }
                    best[i] = Math.min(best[i], (System.nanoTime() - start) / 1e9 / calls[i]);
                }
            }
            workloads.forEach(AttentionWorkload::close);
            for (int i = 0; i < sizes.size(); i++) {
                System.out.println(RESULT + sizes.get(i).arg() + " " + best[i] + " " + calls[i]);
            }
        }
        System.exit(0);
    }
}
