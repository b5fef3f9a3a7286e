package attentionlab.experiments.claims.homework;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.AttentionMask;
import attentionlab.models.kernel.FeatureMap;
import attentionlab.models.kernel.LinearAttentionKernel;
import attentionlab.models.kernel.QuadraticFeatureMap;
import attentionlab.models.ops.Scalars;
import attentionlab.models.reference.QuadraticAttention;

/**
 * Wrong implementations of the quadratic kernel, registered in tests only: each computes correct
 * attention outputs (or nearly) at the wrong cost, so only a claim that measures cost can catch it.
 */
final class PlantedKernels {

    /** Materialises the N x M similarity (q.k + 1)^2: O(N M D) time and O(N M) memory. */
    static final String MATERIALISED = "planted-materialised-quadratic";
    /** The quadratic map repeated D times (F D features): the same normalised attention at D times the cost. */
    static final String WIDE_MAP = "planted-wide-map";
    /** A map of width D + 1, [1, x^2]: linear attention, not the quadratic kernel, at O(N D M). */
    static final String NARROW_MAP = "planted-narrow-map";
    /** Softmax that reads each cached key/value head h times: K, V copied once per query head of the group. */
    static final String PER_HEAD_READ = "planted-per-head-read";

    private PlantedKernels() {}

    static synchronized void register() {
        if (AttentionKernels.names().contains(MATERIALISED)) {
            return;
        }
        AttentionKernels.register(MATERIALISED, options -> new Materialised());
        AttentionKernels.register(WIDE_MAP, options -> new LinearAttentionKernel(WIDE_MAP, new WideMap()));
        AttentionKernels.register(NARROW_MAP, options -> new LinearAttentionKernel(NARROW_MAP, new NarrowMap()));
        AttentionKernels.register(PER_HEAD_READ, options -> new PerHeadRead());
    }

    private static final class Materialised implements AttentionKernel {
        @Override
        public String name() {
            return MATERIALISED;
        }

        @Override
        public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
            return QuadraticAttention.forward(q, k, v, mask);
        }

        @Override
        public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class WideMap implements FeatureMap {
        private final QuadraticFeatureMap quadratic = new QuadraticFeatureMap();

        @Override
        public String name() {
            return WIDE_MAP;
        }

        @Override
        public long featureDim(long d) {
            return d * quadratic.featureDim(d);
        }

        @Override
        public NDArray apply(NDArray x) {
            NDArray phi = quadratic.apply(x);
            NDList copies = new NDList();
            for (long i = 0; i < x.getShape().getLastDimension(); i++) {
                copies.add(phi);
            }
            return NDArrays.concat(copies, -1); // [..., D F]: similarity D (q.k + 1)^2, normalised away
        }

        @Override
        public boolean nonNegative() {
            return true;
        }
    }

    private static final class NarrowMap implements FeatureMap {
        @Override
        public String name() {
            return NARROW_MAP;
        }

        @Override
        public long featureDim(long d) {
            return d + 1;
        }

        @Override
        public NDArray apply(NDArray x) {
            NDArray one = Scalars.add(x.get("..., 0:1").zerosLike(), 1); // [..., 1]
            return NDArrays.concat(new NDList(one, x.square()), -1); // [..., D+1]
        }

        @Override
        public boolean nonNegative() {
            return true;
        }
    }

    /**
     * Softmax over q [B,g,r,D] (r query heads per cached head) and k, v [B,g,n,D]: copies k and v to
     * [B,g,r,n,D] first, so every cached head is read r times, as an implementation without grouping would.
     */
    private static final class PerHeadRead implements AttentionKernel {
        private final AttentionKernel softmax = AttentionKernels.create("softmax");

        @Override
        public String name() {
            return PER_HEAD_READ;
        }

        @Override
        public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
            long r = q.getShape().get(q.getShape().dimension() - 2);
            if (q.getShape().dimension() != 4 || mask.causal() || mask.keyValid() != null) {
                return softmax.attend(q, k, v, mask);
            }
            NDArray kr = k.expandDims(2).repeat(2, r); // [B,g,r,n,D]: each head copied r times
            NDArray vr = v.expandDims(2).repeat(2, r);
            double scale = Math.sqrt(q.getShape().get(3));
            NDArray scores = q.expandDims(3).div(scale).matMul(kr.transpose(0, 1, 2, 4, 3)); // [B,g,r,1,n]
            return scores.softmax(-1).matMul(vr).squeeze(3); // [B,g,r,1,D] -> [B,g,r,D]
        }

        @Override
        public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
            return softmax.weights(q, k, mask);
        }
    }
}
