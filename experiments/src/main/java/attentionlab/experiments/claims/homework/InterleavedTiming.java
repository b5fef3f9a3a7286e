package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDManager;
import attentionlab.experiments.bench.AttentionWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Wall time per attention call, robust to a busy machine: every size is timed in each of R rounds
 * (sizes interleaved, so a burst of load hits all of them alike), each sample repeats the call until
 * it lasts at least {@code minSampleSeconds}, and the minimum over rounds is kept: other processes
 * only ever add time.
 */
public final class InterleavedTiming {

    /** One configuration: sweep "N" or "D", kernel, mode ("forward" or "forward+backward"), sizes. */
    public record Size(String sweep, String kernel, String mode, int n, int d) {}

    /** @param seconds minimum over rounds of the mean time per call within a sample */
    public record Point(Size size, double seconds, int callsPerSample, int rounds) {}

    private InterleavedTiming() {}

    static List<Point> measure(List<Size> sizes, int rounds, double minSampleSeconds, Consumer<String> log) {
        List<Point> points = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            List<AttentionWorkload> workloads = new ArrayList<>();
            int[] calls = new int[sizes.size()];
            double[] best = new double[sizes.size()];
            try {
                for (int i = 0; i < sizes.size(); i++) {
                    Size s = sizes.get(i);
                    AttentionWorkload w = new AttentionWorkload(manager, s.kernel(), s.n(), s.d(), s.d(), s.mode().equals("forward+backward"));
                    workloads.add(w);
                    long warm = System.nanoTime();
                    w.run(); // warm-up
                    double once = (System.nanoTime() - warm) / 1e9;
                    for (int c = 0; c < 3 && once < minSampleSeconds; c++) { // calibrate short calls on the fastest of 3
                        long start = System.nanoTime();
                        w.run();
                        once = Math.min(once, (System.nanoTime() - start) / 1e9);
                    }
                    calls[i] = (int) Math.max(1, Math.ceil(minSampleSeconds / Math.max(once, 1e-6)));
                    best[i] = Double.POSITIVE_INFINITY;
                }
                for (int r = 0; r < rounds; r++) {
                    for (int i = 0; i < sizes.size(); i++) {
                        long start = System.nanoTime();
                        for (int c = 0; c < calls[i]; c++) {
                            workloads.get(i).run();
                        }
                        best[i] = Math.min(best[i], (System.nanoTime() - start) / 1e9 / calls[i]);
                    }
                }
            } finally {
                workloads.forEach(AttentionWorkload::close);
            }
            for (int i = 0; i < sizes.size(); i++) {
                Size s = sizes.get(i);
                points.add(new Point(s, best[i], calls[i], rounds));
                log.accept(String.format(java.util.Locale.ROOT, "time %-9s %-16s N=%-5d D=%-3d %10.4f ms (min of %d rounds x %d calls)",
                        s.kernel(), s.mode(), s.n(), s.d(), best[i] * 1e3, rounds, calls[i]));
            }
        }
        return points;
    }
}
