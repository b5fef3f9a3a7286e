package attentionlab.models.kernel;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one registry of attention kernels by name. Unknown names fail with the list of valid ones;
 * registering a name twice fails. Each kernel declares the {@link KernelOptions} it reads (by
 * component name, e.g. {@code temperature}), so that a caller can refuse an option the chosen kernel
 * would silently ignore; a kernel's {@link AttentionKernel#name()} must be its registered name
 * (both checked when it is registered).
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

    /** The names of the {@link KernelOptions} components: the option keys a kernel may declare. */
    private static final Set<String> OPTION_KEYS = Arrays.stream(KernelOptions.class.getRecordComponents())
            .map(RecordComponent::getName).collect(Collectors.toCollection(LinkedHashSet::new));

    private record Entry(Set<String> options, Function<KernelOptions, AttentionKernel> factory) {}

    private static final Map<String, Entry> REGISTRY = new LinkedHashMap<>();

    static {
        register("softmax", Set.of("temperature", "scaled"), SoftmaxKernel::new);
        register("argmax", options -> new ArgmaxKernel());
        register("quadratic", options -> new LinearAttentionKernel("quadratic", new QuadraticFeatureMap()));
        register("argmax-st", Set.of("temperature", "scaled"), StraightThroughArgmaxKernel::new);
        register("linear-elu", options -> new LinearAttentionKernel("linear-elu", new EluFeatureMap()));
        register("sparsemax", options -> new SparsemaxKernel());
        register("entmax15", options -> new Entmax15Kernel());
        register("entmax", Set.of("alpha"), EntmaxKernel::new);
    }

    private AttentionKernels() {}

    /**
     * Adds a kernel that reads no options under a new name.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public static void register(String name, Function<KernelOptions, AttentionKernel> factory) {
        register(name, Set.of(), factory);
    }

    /**
     * Adds a kernel under a new name.
     *
     * @param options the {@link KernelOptions} components the kernel reads, e.g. {@code temperature}
     * @throws IllegalArgumentException if the name is taken, an option is not a {@link KernelOptions}
     *     component, or the kernel the factory makes does not answer {@code name()} with {@code name}
     */
    public static synchronized void register(String name, Set<String> options, Function<KernelOptions, AttentionKernel> factory) {
        if (REGISTRY.containsKey(name)) {
            throw new IllegalArgumentException("attention kernel '" + name + "' is already registered");
        }
        for (String option : options) {
            if (!OPTION_KEYS.contains(option)) {
                throw new IllegalArgumentException("attention kernel '" + name + "' declares option '" + option
                        + "'; kernel options: " + String.join(", ", OPTION_KEYS));
            }
        }
        String says = factory.apply(KernelOptions.DEFAULT).name();
        if (!name.equals(says)) {
            throw new IllegalArgumentException("attention kernel registered as '" + name + "' calls itself '" + says + "'");
        }
        REGISTRY.put(name, new Entry(Set.copyOf(options), factory));
    }

    /**
     * The options kernel {@code name} reads.
     *
     * @throws IllegalArgumentException naming the valid kernels if {@code name} is unknown
     */
    public static synchronized Set<String> options(String name) {
        return entry(name).options();
    }

    /** The registered kernels that read {@code option}, in registration order. */
    public static synchronized List<String> readers(String option) {
        return REGISTRY.entrySet().stream().filter(e -> e.getValue().options().contains(option)).map(Map.Entry::getKey).toList();
    }

    /** Every option some registered kernel reads. */
    public static synchronized Set<String> optionKeys() {
        Set<String> keys = new LinkedHashSet<>();
        REGISTRY.values().forEach(e -> keys.addAll(e.options()));
        return Collections.unmodifiableSet(keys);
    }

    /** The registered names, in registration order. */
    public static synchronized Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(REGISTRY.keySet()));
    }

    public static AttentionKernel create(String name) {
        return create(name, KernelOptions.DEFAULT);
    }

    /**
     * @throws IllegalArgumentException naming the valid kernels if {@code name} is unknown
     */
    public static synchronized AttentionKernel create(String name, KernelOptions options) {
        return entry(name).factory().apply(options);
    }

    private static Entry entry(String name) {
        Entry entry = REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException(
                    "unknown attention kernel '" + name + "'; valid kernels: " + String.join(", ", REGISTRY.keySet()));
        }
        return entry;
    }
}
