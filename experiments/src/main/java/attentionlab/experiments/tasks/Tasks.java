package attentionlab.experiments.tasks;

import attentionlab.experiments.tasks.SequenceTransformTask.Transform;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one registry of tasks by name: each name comes with the record that binds its {@code task:}
 * section, the defaults of its optional keys, and how to build the task. Unknown names fail with the
 * list of valid ones; registering a name twice fails.
 * <ul>
 *   <li>{@code associative-recall}: look up the value of a queried key (fused or interleaved encoding)</li>
 *   <li>{@code copy}, {@code reverse}, {@code sort}: transform a sequence of symbols</li>
 *   <li>{@code sequence-file}: the user's own input/target sequences from a CSV file</li>
 * </ul>
 */
public final class Tasks {

    /**
     * One registered task.
     *
     * @param config the record its {@code task:} section binds to (its components are the allowed keys)
     * @param defaults values of the optional keys left out
     */
    public record Type(String name, Class<? extends TaskConfig> config, Map<String, Object> defaults,
                       Function<TaskConfig, Task> factory) {}

    private static final Map<String, Type> REGISTRY = new LinkedHashMap<>();

    static {
        Map<String, Object> generated = Map.of("train_examples", 8192, "val_examples", 1024);
        Map<String, Object> recall = new LinkedHashMap<>(Map.of("encoding", "fused", "pairs", 6, "vocab", 16));
        recall.putAll(generated);
        register("associative-recall", AssociativeRecallConfig.class, recall, AssociativeRecallTask::new);
        Map<String, Object> sequence = new LinkedHashMap<>(Map.of("length", 8, "vocab", 10));
        sequence.putAll(generated);
        register("copy", SequenceTaskConfig.class, sequence, c -> new SequenceTransformTask(Transform.COPY, c));
        register("reverse", SequenceTaskConfig.class, sequence, c -> new SequenceTransformTask(Transform.REVERSE, c));
        register("sort", SequenceTaskConfig.class, sequence, c -> new SequenceTransformTask(Transform.SORT, c));
        register("sequence-file", SequenceFileConfig.class, Map.of(), SequenceFileTask::new);
    }

    private Tasks() {}

    /**
     * Adds a task under a new name.
     *
     * @throws IllegalArgumentException if the name is taken
     */
    public static synchronized <C extends TaskConfig> void register(String name, Class<C> config, Map<String, Object> defaults,
                                                                   Function<C, Task> factory) {
        if (REGISTRY.containsKey(name)) {
            throw new IllegalArgumentException("task '" + name + "' is already registered");
        }
        REGISTRY.put(name, new Type(name, config, Collections.unmodifiableMap(new LinkedHashMap<>(defaults)),
                c -> factory.apply(config.cast(c))));
    }

    /** The registered names, in registration order. */
    public static synchronized List<String> names() {
        return List.copyOf(REGISTRY.keySet());
    }

    /** The registered task of that name, or null. */
    public static synchronized Type type(String name) {
        return REGISTRY.get(name);
    }

    /** Every name with its config record, for Jackson's polymorphic binding of {@code task:}. */
    public static synchronized List<NamedType> configTypes() {
        return REGISTRY.values().stream().map(t -> new NamedType(t.config(), t.name())).toList();
    }

    /**
     * Builds the task a config names.
     *
     * @throws IllegalArgumentException naming the valid tasks if the name is unknown
     * @throws attentionlab.experiments.core.UserError if the task's data cannot be read (sequence-file)
     */
    public static Task create(TaskConfig config) {
        Type type = type(config.name());
        if (type == null) {
            throw new IllegalArgumentException("unknown task '" + config.name() + "'; valid tasks: " + String.join(", ", names()));
        }
        return type.factory().apply(config);
    }
}
