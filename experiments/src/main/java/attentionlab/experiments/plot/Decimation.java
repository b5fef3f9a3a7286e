package attentionlab.experiments.plot;

import java.util.BitSet;

/**
 * Fewer points for long curves, without losing their spikes: the x range is cut into B buckets and,
 * per bucket, the points holding the lowest and the highest value of each curve are kept (plus the
 * first and the last point). A plot 800 pixels wide cannot show more than that, and every point
 * costs bytes in the SVG.
 */
public final class Decimation {

    /** Buckets per curve: two points per bucket is about one point per 1.5 pixels of an 800-pixel figure. */
    public static final int BUCKETS = 200;

    private Decimation() {}

    /**
     * @param x ascending positions
     * @param curves values over {@code x} (same length); non-finite values are kept as they are (gaps)
     * @return the indices to keep, ascending; all of them when there are at most 2 B points
     */
    public static int[] keep(double[] x, double[]... curves) {
        int n = x.length;
        if (n <= 2 * BUCKETS) {
            return java.util.stream.IntStream.range(0, n).toArray();
        }
        BitSet kept = new BitSet(n);
        kept.set(0);
        kept.set(n - 1);
        double lo = x[0];
        double width = (x[n - 1] - lo) / BUCKETS;
        int start = 0;
        while (start < n) {
            int bucket = width > 0 ? Math.min(BUCKETS - 1, (int) ((x[start] - lo) / width)) : 0;
            int end = start;
            while (end < n && (width > 0 ? Math.min(BUCKETS - 1, (int) ((x[end] - lo) / width)) : 0) == bucket) {
                end++;
            }
            for (double[] y : curves) {
                keepExtremes(y, start, end, kept);
            }
            start = end;
        }
        return kept.stream().toArray();
    }

    /** The values at the kept indices. */
    public static double[] pick(double[] values, int[] indices) {
        double[] out = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }

    private static void keepExtremes(double[] y, int start, int end, BitSet kept) {
        int min = -1;
        int max = -1;
        for (int i = start; i < end; i++) {
            if (!Double.isFinite(y[i])) {
                kept.set(i); // a gap or a divergence stays visible
                continue;
            }
            if (min < 0 || y[i] < y[min]) {
                min = i;
            }
            if (max < 0 || y[i] > y[max]) {
                max = i;
            }
        }
        if (min >= 0) {
            kept.set(min);
            kept.set(max);
        }
    }
}
