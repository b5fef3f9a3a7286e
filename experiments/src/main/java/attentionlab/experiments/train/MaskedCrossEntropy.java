package attentionlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import attentionlab.models.ops.Scalars;

/**
 * Cross-entropy on the positions that carry a label (label >= 0), averaged over those positions:
 * <pre>
 *   logits [B,N,V], labels [B,N] (-1 = no loss)
 *   loss = - sum_{b,n: label >= 0} log softmax(logits[b,n])[label[b,n]] / #{label >= 0}
 * </pre>
 */
public final class MaskedCrossEntropy extends Loss {

    public MaskedCrossEntropy() {
        super("masked_cross_entropy");
    }

    /** labels: NDList(labels [B,N]); predictions: NDList(logits [B,N,V]). Returns a scalar. */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.head(); // [B,N]
        NDArray logits = predictions.head(); // [B,N,V]
        int classes = (int) logits.getShape().getLastDimension();
        NDArray mask = y.gte(0).toType(DataType.FLOAT32, false); // [B,N]
        NDArray picked = Scalars.maximum(y, 0).toType(DataType.INT64, false).oneHot(classes, DataType.FLOAT32); // [B,N,V]
        NDArray nll = logits.logSoftmax(-1).mul(picked).sum(new int[] {-1}).neg(); // [B,N]
        return nll.mul(mask).sum().div(mask.sum());
    }

    /**
     * Correct predictions on labelled positions.
     *
     * @return {correct tokens, labelled tokens, fully correct sequences}
     */
    public static long[] correct(NDArray logits, NDArray labels) {
        NDArray mask = labels.gte(0); // [B,N]
        NDArray hit = logits.argMax(-1).eq(labels.toType(DataType.INT64, false)).logicalAnd(mask); // [B,N]
        NDArray missed = mask.logicalAnd(hit.logicalNot()).toType(DataType.INT32, false).sum(new int[] {1}); // [B]
        long tokens = hit.toType(DataType.INT64, false).sum().getLong();
        long total = mask.toType(DataType.INT64, false).sum().getLong();
        long sequences = missed.eq(0).toType(DataType.INT64, false).sum().getLong();
        return new long[] {tokens, total, sequences};
    }
}
