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
