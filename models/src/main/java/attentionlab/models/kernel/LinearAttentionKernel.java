package attentionlab.models.kernel;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import attentionlab.models.ops.Scalars;

/**
 * Kernelized attention in linear form (homework 6b-iii), for a feature map phi with
 * sim(q, k) = phi(q) . phi(k) >= 0:
 * <pre>
 *   V'_i = phi(Q_i) (sum_j phi(K_j)^T V_j) / (phi(Q_i) sum_j phi(K_j)^T)
 * </pre>
 * The sums over keys are formed once ([F, Dv] and [F]), so no N x M matrix exists: time
 * O(N F Dv), memory O(N F + F Dv) (homework 6d; F = O(D^2) for the quadratic map).
 *
 * <p>Causal, three forms of one recurrence (Katharopoulos et al. 2020, "Transformers are RNNs"):
 * with the state S_i = sum_{j<=i} phi(K_j)^T V_j [F, Dv] and z_i = sum_{j<=i} phi(K_j) [F],
 * V'_i = phi(Q_i) S_i / phi(Q_i) z_i.
 * <ul>
 *   <li>prefix sums ({@code chunkSize} 0): S_i and z_i for every i at once, [N, F, Dv] in memory;</li>
 *   <li>chunked ({@code chunkSize} C > 0, the default): N split into chunks of C positions; inside a
 *       chunk the C x C form phi(Q_c) phi(K_c)^T (lower triangle) times [V_c | 1], plus phi(Q_c) times
 *       [S | z] of all earlier chunks. Only one state per chunk exists (N/C of them, the exclusive sum
 *       of the chunks' phi(K_c)^T [V_c | 1]), never one per position: memory O(N F + N C + (N/C) F Dv)
 *       instead of O(N F Dv), time O(N C F + N F Dv). All chunks run as one batched product;</li>
 *   <li>recurrent: the chunked form with C = 1, one token at a time, the state updated in place
 *       ({@link attentionlab.models.decode.RecurrentState}).</li>
 * </ul>
 * The carried state is kept as one array [S | z] [F, Dv+1] by appending a column of ones to V, so
 * numerator and denominator come out of one product.
 *
 * <p>Guard: the denominator is sum_j sim(Q_i, K_j) >= 0. It is 0 only when every visible key has
 * sim = 0 (for the quadratic kernel, q.k = -1 for all of them); then the numerator is 0 too, and
 * dividing by max(denominator, {@value #MIN_DENOMINATOR}) returns 0 instead of NaN. Padded keys get
 * phi(K_j) = 0. A feature map whose similarity can be negative is rejected at construction, since its
 * denominator can cross 0 with a non-zero numerator (homework 6a).
 */
public final class LinearAttentionKernel implements AttentionKernel {

    /** Smallest denominator divided by; rows below it have (numerator, denominator) ~ (0, 0). */
    public static final float MIN_DENOMINATOR = 1e-6f;

    /**
     * Chunk size of the causal form when none is given (0 would be the prefix-sum form). Memory per
     * position is about 2F + C + F (Dv+1) / C floats, smallest near C = sqrt(F (Dv+1)) (51 for the
     * quadratic map at D = Dv = 16); a rough forward+backward test at N = 16384 found 32 to 128 alike.
     */
    public static final int DEFAULT_CHUNK_SIZE = 64;

    private final String name;
    private final FeatureMap featureMap;
    private final int chunkSize;

    /** A kernel whose causal form is chunked with {@link #DEFAULT_CHUNK_SIZE}. */
    public LinearAttentionKernel(String name, FeatureMap featureMap) {
        this(name, featureMap, DEFAULT_CHUNK_SIZE);
    }

    /**
     * @param chunkSize C of the causal chunked form, or 0 for the prefix-sum form
     * @throws IllegalArgumentException if the map's similarity can be negative or chunkSize < 0
     */
    public LinearAttentionKernel(String name, FeatureMap featureMap, int chunkSize) {
        if (!featureMap.nonNegative()) {
            throw new IllegalArgumentException("kernel '" + name + "': feature map '" + featureMap.name()
                    + "' gives a similarity that can be negative; linear attention needs sim(q,k) >= 0 so that"
                    + " its normaliser sum_j sim(q,k_j) stays positive (homework 6a)");
        }
        if (chunkSize < 0) {
            throw new IllegalArgumentException("kernel '" + name + "': chunk size must be >= 0 (0 = prefix sums), got "
                    + chunkSize);
        }
        this.name = name;
        this.featureMap = featureMap;
        this.chunkSize = chunkSize;
    }

    @Override
    public String name() {
        return name;
    }

    public FeatureMap featureMap() {
        return featureMap;
    }

    /** C of the causal chunked form; 0 for the prefix-sum form. */
    public int chunkSize() {
        return chunkSize;
    }

    /** The same kernel with another causal form: C > 0 chunked, 0 prefix sums. */
    public LinearAttentionKernel withChunkSize(int c) {
        return new LinearAttentionKernel(name, featureMap, c);
    }

    @Override
    public NDArray attend(NDArray q, NDArray k, NDArray v, AttentionMask mask) {
        if (mask.causal()) {
            requireSquare(q, k);
            return chunkSize == 0
                    ? prefixSums(featureMap.apply(q), keyFeatures(k, mask.keyValid()), v)
                    : chunked(q, k, v, mask.keyValid());
        }
        NDArray phiQ = featureMap.apply(q); // [B,H,N,F]
        NDArray phiK = keyFeatures(k, mask.keyValid()); // [B,H,M,F]
        // The column of ones after V turns the two key sums into one product, and the numerator and the
        // denominator into another: phi(K) and phi(Q), the wide arrays, are each read once.
        NDArray both = phiQ.matMul(stateOf(phiK, withOnes(v))); // [B,H,N,F] x [B,H,F,Dv+1] -> [B,H,N,Dv+1]
        return divide(both);
    }

    /** Prefix-sum form: S_i = sum_{j<=i} phi(K_j)^T V_j, z_i = sum_{j<=i} phi(K_j). */
    private NDArray prefixSums(NDArray phiQ, NDArray phiK, NDArray v) {
        NDArray outer = phiK.expandDims(-1).mul(v.expandDims(-2)); // [B,H,N,F,1] * [B,H,N,1,Dv] -> [B,H,N,F,Dv]
        NDArray s = outer.cumSum(2); // [B,H,N,F,Dv]
        NDArray z = phiK.cumSum(2); // [B,H,N,F]
        NDArray numerator = phiQ.expandDims(-2).matMul(s).squeeze(-2); // [B,H,N,1,F] x [B,H,N,F,Dv] -> [B,H,N,Dv]
        NDArray denominator = phiQ.mul(z).sum(new int[] {-1}, true); // [B,H,N,1]
        return numerator.div(Scalars.maximum(denominator, MIN_DENOMINATOR));
    }

    /**
     * Chunked form: N split into N_c = ceil(N / C) chunks, all chunks at once. U_c = phi(K_c)^T [V_c | 1]
     * is each chunk's contribution [F, Dv+1]; the state before chunk c is the exclusive sum of the
     * U of earlier chunks (one [S | z] per chunk, N_c of them, never one per position); then every
     * chunk runs {@link #causalChunk} against its state.
     */
    private NDArray chunked(NDArray q, NDArray k, NDArray v, NDArray keyValid) {
        Shape s = q.getShape();
        long n = s.get(2);
        long dv = v.getShape().getLastDimension();
        if (n <= chunkSize) {
            return causalChunk(q, keyFeatures(k, keyValid), withOnes(v), null); // one chunk, no earlier state
        }
        long chunks = (n + chunkSize - 1) / chunkSize;
        long padded = chunks * chunkSize;
        // Positions N..padded-1 come after every real one, so causality keeps them out of real outputs.
        NDArray qc = inChunks(padEnd(q, padded), chunks); // [B,H,Nc,C,D]
        NDArray valid = keyValid == null ? null : padEnd(keyValid.expandDims(1), padded).squeeze(1); // [B,padded]
        NDArray phiK = inChunks(keyFeatures(padEnd(k, padded), valid), chunks); // [B,H,Nc,C,F]
        NDArray v1 = inChunks(withOnes(padEnd(v, padded)), chunks); // [B,H,Nc,C,Dv+1]
        NDArray totals = stateOf(phiK, v1).cumSum(2); // [B,H,Nc,F,Dv+1]: state after chunk c
        NDArray before = NDArrays.concat(new NDList(totals.get(":, :, 0:1").zerosLike(),
                totals.get(":, :, 0:{}", chunks - 1)), 2); // [B,H,Nc,F,Dv+1]: state before chunk c
        NDArray out = causalChunk(qc, phiK, v1, before); // [B,H,Nc,C,Dv]
        return out.reshape(s.get(0), s.get(1), padded, dv).get(":, :, 0:{}", n); // [B,H,N,Dv]
    }

    /** [B,H,N,...] -> [B,H,padded,...] with zeros (false) after position N. */
    private static NDArray padEnd(NDArray x, long padded) {
        Shape s = x.getShape();
        long[] tail = s.getShape().clone();
        tail[2] = padded - s.get(2);
        return NDArrays.concat(new NDList(x, x.getManager().zeros(new Shape(tail), x.getDataType())), 2);
    }

    /** [B,H,Nc*C,W] -> [B,H,Nc,C,W]. */
    private static NDArray inChunks(NDArray x, long chunks) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), chunks, s.get(2) / chunks, s.get(3));
    }

    /**
     * Causal linear attention of C consecutive positions given the state of all earlier ones: every
     * chunk of the chunked form, and for C = 1 the recurrent decoding step.
     * <pre>
     *   [num | den]_i = phi(Q_i) [S | z] + sum_{j <= i, j in the chunk} (phi(Q_i) . phi(K_j)) [V_j | 1]
     *   out_i = num_i / max(den_i, MIN_DENOMINATOR)
     * </pre>
     * Leading axes (written ...) broadcast, so R query heads can share one key/value head by giving
     * the keys, values and state a 1 where the queries have R.
     *
     * @param q queries [..., C, D]
     * @param phiK key features [..., C, F] from {@link #keyFeatures} (padded keys zero)
     * @param v1 values with a column of ones [..., C, Dv+1] from {@link #withOnes}
     * @param state [S | z] [..., F, Dv+1] of the earlier positions, or null when there are none
     * @return [..., C, Dv]
     */
    public NDArray causalChunk(NDArray q, NDArray phiK, NDArray v1, NDArray state) {
        long c = q.getShape().get(q.getShape().dimension() - 2);
        NDArray phiQ = featureMap.apply(q); // [..., C, F]
        NDArray sim = phiQ.matMul(phiK.swapAxes(-1, -2)); // [..., C, F] x [..., F, C] -> [..., C, C]
        if (c > 1) {
            NDArray allowed = AttentionMask.CAUSAL.allowed(sim, c, c); // [1,1,C,C]: j <= i
            sim = sim.mul(allowed.toType(sim.getDataType(), false));
        }
        NDArray both = sim.matMul(v1); // [..., C, C] x [..., C, Dv+1] -> [..., C, Dv+1]
        if (state != null) {
            both = both.add(phiQ.matMul(state)); // [..., C, F] x [..., F, Dv+1]
        }
        return divide(both);
    }

    /**
     * The recurrent read-out against a state that already holds every visible key:
     * out = phi(Q) S / max(phi(Q) z, MIN_DENOMINATOR).
     *
     * @param q queries [..., R, D]
     * @param state [S | z] [..., F, Dv+1]
     * @return [..., R, Dv]
     */
    public NDArray readOut(NDArray q, NDArray state) {
        return divide(featureMap.apply(q).matMul(state)); // [..., R, F] x [..., F, Dv+1] -> [..., R, Dv+1]
    }

    /**
     * phi(K) with padded keys zeroed: [B,G,M,D] -> [B,G,M,F].
     *
     * @param keyValid [B,M], true for real keys; null when nothing is padded
     */
    public NDArray keyFeatures(NDArray k, NDArray keyValid) {
        NDArray phiK = featureMap.apply(k);
        if (keyValid == null) {
            return phiK;
        }
        Shape s = keyValid.getShape();
        NDArray valid = keyValid.toType(phiK.getDataType(), false).reshape(s.get(0), 1, s.get(1), 1);
        return phiK.mul(valid); // [B,G,M,F] * [B,1,M,1]
    }

    /** [V | 1]: [..., M, Dv] -> [..., M, Dv+1]. */
    public static NDArray withOnes(NDArray v) {
        return NDArrays.concat(new NDList(v, v.get("..., 0:1").onesLike()), -1);
    }

    /** The state these keys add: phi(K)^T [V | 1] = [S | z], [..., M, F] x [..., M, Dv+1] -> [..., F, Dv+1]. */
    public static NDArray stateOf(NDArray phiK, NDArray v1) {
        return phiK.swapAxes(-1, -2).matMul(v1);
    }

    /** [num | den] [..., Dv+1] -> num / max(den, MIN_DENOMINATOR) [..., Dv]. */
    private static NDArray divide(NDArray both) {
        long dv = both.getShape().getLastDimension() - 1;
        NDArray numerator = both.get("..., :{}", dv); // [..., Dv]
        NDArray denominator = both.get("..., {}:", dv); // [..., 1]
        return numerator.div(Scalars.maximum(denominator, MIN_DENOMINATOR));
    }

    private void requireSquare(NDArray q, NDArray k) {
        if (q.getShape().get(2) != k.getShape().get(2)) {
            throw new IllegalArgumentException("kernel '" + name + "': the causal linear form needs as many queries"
                    + " as keys, got " + q.getShape().get(2) + " queries and " + k.getShape().get(2) + " keys");
        }
    }

    @Override
    public NDArray weights(NDArray q, NDArray k, AttentionMask mask) {
        NDArray sim = featureMap.apply(q).matMul(featureMap.apply(k).transpose(0, 1, 3, 2)); // [B,H,N,M]
        NDArray allowed = mask.allowed(q, q.getShape().get(2), k.getShape().get(2));
        if (allowed != null) {
            sim = sim.mul(allowed.toType(sim.getDataType(), false));
        }
        return sim.div(Scalars.maximum(sim.sum(new int[] {-1}, true), MIN_DENOMINATOR));
    }
}
