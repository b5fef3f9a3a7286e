package attentionlab.models.decode;

/**
 * Sizes of a decoding attention layer (homework 4): d model width, h query heads, g key/value heads
 * (g = h: multi-head, g = 1: multi-query, 1 < g < h: grouped-query), k key width and v value width per
 * head. Each of the g key/value heads is shared by r = h / g query heads.
 */
public record DecoderDims(int modelDim, int heads, int kvHeads, int keyDim, int valueDim) {

    public DecoderDims {
        if (modelDim <= 0 || heads <= 0 || kvHeads <= 0 || keyDim <= 0 || valueDim <= 0) {
            throw new IllegalArgumentException("decoder sizes must be > 0, got d=" + modelDim + ", h=" + heads
                    + ", g=" + kvHeads + ", k=" + keyDim + ", v=" + valueDim);
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException("query heads h=" + heads + " must be divisible by key/value heads g="
                    + kvHeads);
        }
    }

    /** The usual choice k = v = d / h. */
    public static DecoderDims of(int modelDim, int heads, int kvHeads) {
        if (modelDim % heads != 0) {
            throw new IllegalArgumentException("d=" + modelDim + " is not divisible by h=" + heads);
        }
        return new DecoderDims(modelDim, heads, kvHeads, modelDim / heads, modelDim / heads);
    }

    /** r = h / g: query heads per key/value head. */
    public int groupSize() {
        return heads / kvHeads;
    }

    /** MHA (g = h), MQA (g = 1) or GQA. */
    public String variant() {
        if (kvHeads == heads) {
            return "MHA";
        }
        return kvHeads == 1 ? "MQA" : "GQA";
    }

    /** The same layer with another number of key/value heads. */
    public DecoderDims withKvHeads(int g) {
        return new DecoderDims(modelDim, heads, g, keyDim, valueDim);
    }
}
