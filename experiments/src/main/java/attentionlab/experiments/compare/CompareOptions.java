package attentionlab.experiments.compare;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Comparison#run} draws.
 *
 * @param dirs run or experiment directories
 * @param metrics metric columns to plot (names; '*' matches any characters); empty = the defaults
 * @param smooth TensorBoard smoothing weight in [0, 1); 0 = raw values
 * @param band what the band shows
 * @param out output directory, which must not exist or be empty; null = a new
 *     {@code <first experiment dir>/comparison/<yyyyMMdd-HHmmss>[-N]}
 * @param tensorboard whether to also write TensorBoard event files under {@code out/tensorboard}
 * @param pool whether a variant's runs from several experiment directories of one experiment form one
 *     group (only when their configs differ in nothing but the seed)
 */
public record CompareOptions(List<Path> dirs, List<String> metrics, double smooth, Band band, Path out,
                             boolean tensorboard, boolean pool) {

    public static CompareOptions of(List<Path> dirs) {
        return new CompareOptions(dirs, List.of(), 0, Band.MINMAX, null, false, false);
    }

    public CompareOptions withMetrics(List<String> selected) {
        return new CompareOptions(dirs, selected, smooth, band, out, tensorboard, pool);
    }

    public CompareOptions withPool(boolean pooled) {
        return new CompareOptions(dirs, metrics, smooth, band, out, tensorboard, pooled);
    }

    public CompareOptions withOut(Path dir) {
        return new CompareOptions(dirs, metrics, smooth, band, dir, tensorboard, pool);
    }
}
