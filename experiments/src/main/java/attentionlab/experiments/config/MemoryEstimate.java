package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.AvailableMemory;
import attentionlab.experiments.tasks.TaskSize;
import attentionlab.models.kernel.AttentionKernel;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.models.kernel.KernelOptions;
import attentionlab.models.kernel.LinearAttentionKernel;
import java.util.Locale;
import java.util.Map;

/**
 * The memory one run needs, estimated from its config before anything is built, so that a run that
 * cannot fit is refused with the estimate and the limit instead of failing hours in (or the machine
 * swapping). Float32 (4 bytes), in double arithmetic so that no size overflows. With B = train.batch_size,
 * N the sequence length, T = B N, d = d_model, f = ffn_hidden, H heads, G kv_heads, L layers, V_in / V_out
 * the vocabularies, F the feature width of a feature-map kernel:
 * <ul>
 *   <li><b>parameters</b> P, exactly as {@code SequenceModel} creates them: embeddings (V_in + N) d;
 *       per layer two LayerNorms 4d, W_q d^2 + d, W_k and W_v d G d_h + G d_h each (d_h = d/H and
 *       value_dim/H), W_o value_dim d + d, feed-forward 2 d f + f + d; final LayerNorm 2d; read-out
 *       d V_out + V_out. Native floats: {@value #PARAMETER_COPIES} P (weights, gradients, Adam's m and v,
 *       |g| while the gradient statistics are read, and the direct-buffer copies DJL makes to save a
 *       checkpoint or read weights into Java, which live until the garbage collector frees them) plus
 *       {@value #LARGEST_PARAMETER_COPIES} times the largest parameter (Adam's temporaries, made one
 *       parameter at a time, and the embedding's dense gradient buffers).</li>
 *   <li><b>activations</b> of one training step (what the forward keeps for backward, and backward's
 *       own arrays), per layer: {@value #WIDTH_ARRAYS} arrays of T d (LayerNorms, Q, K, V, their
 *       head-split copies, outputs, residuals and their gradients), {@value #FFN_ARRAYS} of T f; for a
 *       kernel with weights, k arrays of B H N^2 with k measured per kernel ({@link #WEIGHT_ARRAYS}:
 *       4 for softmax, 82 for entmax's bisection); for a feature-map kernel {@value #FEATURE_ARRAYS}
 *       arrays of B H N F (phi(Q), phi(K), the pieces they are built from, their gradients), over N
 *       padded to whole chunks when causal, and the states [F, d_h + 1] per head: 2, or
 *       {@value #CHUNK_STATE_ARRAYS} per chunk of {@code LinearAttentionKernel.DEFAULT_CHUNK_SIZE} when
 *       causal. Plus the embeddings (C + 2) T d and the read-out and loss {@value #LOGIT_ARRAYS} T V_out
 *       (logits, log-softmax, one-hot labels, products, gradients).</li>
 *   <li><b>Java heap</b>: the examples (N C tokens, N labels and one position per example, ints)
 *       and the initial weights kept for {@code unchanged_parameters} (4 P bytes).</li>
 * </ul>
 * Not included: the JVM and the PyTorch libraries themselves (a fixed few hundred MB the process has
 * before any run) and the validation pass (no gradients, smaller than a training step). The counts
 * were fitted to the peak resident memory of real 3-step runs, one config per term (MemoryProbe, in
 * a JVM with a pre-touched heap); MemoryEstimateTest checks other configs: the measured growth of the
 * peak resident memory stays within {@code MemoryEstimateTest.FACTOR} of the estimate either way.
 *
 * @param parameters P
 * @param parameterBytes native bytes of the parameters and their copies
 * @param activationBytes native bytes of one training step's activations
 * @param attentionBytes the part of activationBytes in the kernel's N x N or N x F arrays
 * @param dataBytes Java heap bytes: examples and initial weights
 * @param largestPart the config keys (with their values) behind the largest term, for messages
 */
public record MemoryEstimate(double parameters, double parameterBytes, double activationBytes, double attentionBytes,
                             double dataBytes, String largestPart) {

    static final int FLOAT = 4;
    static final int INT = 4;
    static final int PARAMETER_COPIES = 7;
    static final int LARGEST_PARAMETER_COPIES = 6;
    static final int WIDTH_ARRAYS = 16;
    static final int FFN_ARRAYS = 3;
    static final int FEATURE_ARRAYS = 9;
    static final int CHUNK_STATE_ARRAYS = 6;
    static final int LOGIT_ARRAYS = 8;

    /**
     * N x N arrays per head and layer that one training step of each kernel holds, measured (softmax,
     * argmax: scores, weights, gradients; the sparse kernels sort, cumulate and bisect); a kernel not
     * listed gets the largest count.
     */
    static final Map<String, Integer> WEIGHT_ARRAYS = Map.of("softmax", 4, "argmax", 4, "argmax-st", 8, "sparsemax", 15,
            "entmax15", 25, "entmax", 82);

    /** The estimate of a resolved run config whose task has these sizes. */
    public static MemoryEstimate of(ModelConfig m, TrainConfig t, TaskSize task) {
        double d = m.dModel();
        double f = m.ffnHidden();
        double valueWidth = (double) m.valueDim() / m.heads();
        double kv = m.kvHeads() * (d / m.heads() + valueWidth); // W_k and W_v outputs
        double perLayer = 4 * d + (d * d + d) + (d * kv + kv) + ((double) m.valueDim() * d + d) + (2 * d * f + f + d);
        double embeddings = ((double) task.inputVocab() + task.length()) * d + d * task.outputVocab() + task.outputVocab();
        double parameters = embeddings + m.layers() * perLayer + 2 * d;
        double largest = Math.max(Math.max((double) task.inputVocab(), task.outputVocab()) * d,
                Math.max(d * f, Math.max(d * d, (double) m.valueDim() * d)));

        double tokens = (double) t.batchSize() * task.length();
        double attention = m.layers() * attentionArrays(m, t.batchSize(), task.length(), valueWidth);
        double layers = m.layers() * (WIDTH_ARRAYS * tokens * d + FFN_ARRAYS * tokens * f) + (task.channels() + 2) * tokens * d;
        double logits = LOGIT_ARRAYS * tokens * task.outputVocab();
        double data = ((double) task.trainExamples() + task.valExamples()) * task.intsPerExample() * INT + FLOAT * parameters;

        String batch = "train.batch_size " + t.batchSize() + ", " + task.lengthKeys() + " (N = " + task.length() + ")";
        String width = "model.d_model " + m.dModel() + ", model.ffn_hidden " + m.ffnHidden() + ", model.layers " + m.layers();
        String vocab = task.vocabKeys() + " (" + task.inputVocab() + " input ids, " + task.outputVocab() + " outputs)";
        Map<String, Double> parts = Map.of(
                vocab + ", model.d_model " + m.dModel(), PARAMETER_COPIES * embeddings,
                width, PARAMETER_COPIES * (parameters - embeddings),
                batch + ", model.heads " + m.heads() + ", model.layers " + m.layers() + ", model.kernel " + m.kernel(), attention,
                batch + ", " + width, layers,
                batch + ", " + vocab, logits);
        String blamed = parts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        return new MemoryEstimate(parameters, FLOAT * (PARAMETER_COPIES * parameters + LARGEST_PARAMETER_COPIES * largest),
                FLOAT * (attention + layers + logits), FLOAT * attention, data, blamed);
    }

    /** Floats in one layer's kernel arrays: N x N weights, or N x F features and the states. */
    private static double attentionArrays(ModelConfig m, double b, double n, double valueWidth) {
        AttentionKernel kernel = AttentionKernels.create(m.kernel(), new KernelOptions(m.temperature(), true));
        double bh = b * m.heads();
        if (kernel instanceof LinearAttentionKernel linear) {
            double f = linear.featureMap().featureDim(m.dModel() / m.heads());
            double state = f * (valueWidth + 1);
            if (!m.causal()) {
                return bh * (FEATURE_ARRAYS * n * f + 2 * state);
            }
            double c = LinearAttentionKernel.DEFAULT_CHUNK_SIZE;
            double chunks = Math.ceil(n / c);
            double padded = n <= c ? n : chunks * c;
            return bh * (FEATURE_ARRAYS * padded * f + CHUNK_STATE_ARRAYS * chunks * state + 2 * padded * Math.min(n, c));
        }
        int arrays = WEIGHT_ARRAYS.getOrDefault(m.kernel(), java.util.Collections.max(WEIGHT_ARRAYS.values()));
        return bh * arrays * n * n;
    }

    /**
     * Refuses a run that cannot fit this machine now, or whose sizes exceed what Java arrays and ints
     * index (2^31 - 1).
     *
     * @throws UserError naming the keys, the estimate and the limit
     */
    public static void check(ExperimentConfig config, TaskSize task) {
        of(config.model(), config.train(), task).requireFits(task, AvailableMemory.now());
        requireIntSizes(task);
    }

    private static void requireIntSizes(TaskSize task) {
        long max = Integer.MAX_VALUE - 8; // the largest Java array
        if (task.inputVocab() > max) {
            throw new UserError(task.vocabKeys() + ": gives " + task.inputVocab() + " input ids; allowed: at most " + max);
        }
        if (task.length() > max) {
            throw new UserError(task.lengthKeys() + ": gives sequences of " + task.length() + " positions; allowed: at most " + max);
        }
        double ints = (double) Math.max(task.trainExamples(), task.valExamples()) * task.length() * task.channels();
        if (ints > max) {
            throw new UserError(task.examplesKeys() + ": " + String.format(Locale.ROOT, "%.4g", ints) + " token ids in one"
                    + " array; allowed: examples x N x C at most " + max + " (N = " + task.length() + ", C = "
                    + task.channels() + ")");
        }
    }

    /** Native bytes: parameters and their copies, and the activations. */
    public double nativeBytes() {
        return parameterBytes + activationBytes;
    }

    /**
     * Refuses the run when it cannot fit: native bytes above what the machine has available, or Java
     * bytes above what the heap can still hold.
     *
     * @throws UserError naming the keys behind the largest part, the estimate and the limit
     */
    public void requireFits(TaskSize task, AvailableMemory available) {
        if (nativeBytes() > available.nativeBytes()) {
            throw new UserError(largestPart + ": the run needs about " + bytes(nativeBytes()) + " (parameters, gradients and"
                    + " Adam moments " + bytes(parameterBytes) + ", activations of one batch " + bytes(activationBytes)
                    + " of which attention " + bytes(attentionBytes) + ") but " + bytes(available.nativeBytes())
                    + " is available (" + available.source() + "); allowed: at most that, so reduce these keys");
        }
        if (dataBytes > available.heapBytes()) {
            throw new UserError(task.examplesKeys() + ": the examples and initial weights need about " + bytes(dataBytes)
                    + " of Java heap but " + bytes(available.heapBytes()) + " is free (max heap "
                    + bytes(Runtime.getRuntime().maxMemory()) + "); allowed: fewer examples, or a larger heap"
                    + " (LAB_JAVA_OPTS=-Xmx...)");
        }
    }

    /** Bytes in binary units with three significant digits: {@code 1.50 GiB}. */
    static String bytes(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        double v = bytes;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? String.format(Locale.ROOT, "%.0f B", v) : String.format(Locale.ROOT, "%.3g %s", v, units[u]);
    }
}
