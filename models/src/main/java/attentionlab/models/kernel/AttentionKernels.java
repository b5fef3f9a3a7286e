package attentionlab.models.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The one registry of attention kernels by name. Unknown names fail with the list of valid ones;
 * registering a name twice fails.
 *
 * <ul>
 *   <li>{@code softmax}: scaled dot product, with temperature (homework 1, 3)</li>
 *   <li>{@code argmax}: hard argmax, no gradient to W_q/W_k (homework 2)</li>
 *   <li>{@code quadratic}: (q.k + 1)^2 in linear form (homework 6b)</li>
 *   <li>{@code argmax-st}: straight-through argmax (beyond the homework)</li>
 *   <li>{@code linear-elu}: elu(x)+1 feature map in linear form (beyond the homework)</li>
 *   <li>{@code sparsemax}: Euclidean projection of the scores onto the simplex, exact zeros (beyond the homework)</li>
 *   <li>{@code entmax15}: 1.5-entmax, between softmax and sparsemax (beyond the homework)</li>
 *   <li>{@code entmax}: alpha-entmax with option alpha in (1, 2] (beyond the homework)</li>
 * </ul>
 */
public final class AttentionKernels {

    private static final Map<String, Function<KernelOptions, AttentionKernel>> REGISTRY = new LinkedHashMap<>();

    static {
        register("softmax", SoftmaxKernel::new);
        register("argmax", options -> new ArgmaxKernel());
        register("quadratic", options -> new LinearAttentionKernel("quadratic", new QuadraticFeatureMap()));
        register("argmax-st", StraightThroughArgmaxKernel::new);
        register("linear-elu", options -> new LinearAttentionKernel("linear-elu", new EluFeatureMap()));
        register("sparsemax", options -> new SparsemaxKernel());
        register("entmax15", options -> new Entmax15Kernel());
        register("entmax", EntmaxKernel::new);
    }

    private AttentionKernels() {}

    /**
     * Adds a kernel under a new name.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public static synchronized void register(String name, Function<KernelOptions, AttentionKernel> factory) {
        if (REGISTRY.containsKey(name)) {
            throw new IllegalArgumentException("attention kernel '" + name + "' is already registered");
        }
        REGISTRY.put(name, factory);
    }

    /** The registered names, in registration order. */
    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(REGISTRY.keySet()));
    }

    public static AttentionKernel create(String name) {
        return create(name, KernelOptions.DEFAULT);
    }

    /**
     * @throws IllegalArgumentException naming the valid kernels if {@code name} is unknown
     */
    public static synchronized AttentionKernel create(String name, KernelOptions options) {
        Function<KernelOptions, AttentionKernel> factory = REGISTRY.get(name);
        if (factory == null) {
            throw new IllegalArgumentException(
                    "unknown attention kernel '" + name + "'; valid kernels: " + String.join(", ", REGISTRY.keySet()));
        }
        return factory.apply(options);
    }
}
