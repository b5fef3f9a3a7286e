package attentionlab.experiments.maps;

import java.util.List;

/**
 * The attention weights a run saved at one step for its fixed validation examples: per layer an
 * array [E,H,N,M] (examples, heads, queries, keys), row-major.
 *
 * @param step the optimizer step (0: the initial weights)
 * @param layers per layer, E x H x N x M weights
 */
public record Snapshot(int step, List<float[]> layers, int examples, int heads, int queries, int keys) {

    public Snapshot {
        layers = List.copyOf(layers);
        for (float[] layer : layers) {
            if (layer.length != examples * heads * queries * keys) {
                throw new IllegalArgumentException("a layer of " + layer.length + " weights is not [" + examples + "," + heads
                        + "," + queries + "," + keys + "]");
            }
        }
    }

    /** The weight query i of example e puts on key j in head h of layer l. */
    public float weight(int layer, int example, int head, int i, int j) {
        return layers.get(layer)[((example * heads + head) * queries + i) * keys + j];
    }

    /** One head's map of one example: [N][M]. */
    public float[][] map(int layer, int example, int head) {
        float[][] map = new float[queries][keys];
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < keys; j++) {
                map[i][j] = weight(layer, example, head, i, j);
            }
        }
        return map;
    }

    /** Every saved attention row (query) as (layer, example, head, query), in order. */
    private int rows() {
        return layers.size() * examples * heads * queries;
    }

    /** Row r's weight on key j, rows numbered as in {@link #rows()}. */
    private float rowWeight(int r, int j) {
        int perLayer = examples * heads * queries;
        return layers.get(r / perLayer)[(r % perLayer) * keys + j];
    }

    /** The key with the largest weight in row r (the first on ties). */
    private int topKey(int r) {
        int top = 0;
        for (int j = 1; j < keys; j++) {
            if (rowWeight(r, j) > rowWeight(r, top)) {
                top = j;
            }
        }
        return top;
    }

    /**
     * The fraction of saved rows (every layer, example, head and query) with exactly one non-zero
     * weight: a one-key support, which passes no gradient to the scores (like argmax).
     */
    public double oneKeyRowFraction() {
        int one = 0;
        for (int r = 0; r < rows(); r++) {
            int nonZero = 0;
            for (int j = 0; j < keys; j++) {
                nonZero += rowWeight(r, j) != 0 ? 1 : 0;
            }
            one += nonZero == 1 ? 1 : 0;
        }
        return (double) one / rows();
    }

    /**
     * The fraction of rows whose top key (largest weight, first on ties) differs between this snapshot
     * and {@code other} (of the same run, same shape).
     */
    public double topKeyChangedFraction(Snapshot other) {
        if (other.layers.size() != layers.size() || other.rows() != rows() || other.keys != keys) {
            throw new IllegalArgumentException("snapshots of steps " + step + " and " + other.step + " differ in shape");
        }
        int changed = 0;
        for (int r = 0; r < rows(); r++) {
            changed += topKey(r) != other.topKey(r) ? 1 : 0;
        }
        return (double) changed / rows();
    }

    /**
     * The fraction of all saved weights (every layer, example, head, query and key) that are exactly 0.
     * Keys a mask hides count too (they are 0 by construction).
     */
    public double exactZeroFraction() {
        long zeros = 0;
        long total = 0;
        for (float[] layer : layers) {
            for (float w : layer) {
                zeros += w == 0 ? 1 : 0;
            }
            total += layer.length;
        }
        return (double) zeros / total;
    }
}
