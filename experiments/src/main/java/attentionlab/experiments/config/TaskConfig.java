package attentionlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The {@code task:} section. {@code name} selects the task and with it the allowed keys:
 * {@link AssociativeRecallConfig} for {@code associative-recall}, {@link SequenceTaskConfig} for
 * {@code copy}, {@code reverse} and {@code sort}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "name", visible = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = AssociativeRecallConfig.class, name = "associative-recall"),
    @JsonSubTypes.Type(value = SequenceTaskConfig.class, name = "copy"),
    @JsonSubTypes.Type(value = SequenceTaskConfig.class, name = "reverse"),
    @JsonSubTypes.Type(value = SequenceTaskConfig.class, name = "sort")
})
public sealed interface TaskConfig permits AssociativeRecallConfig, SequenceTaskConfig {

    /** The task names, in the order the docs list them. */
    java.util.List<String> NAMES = java.util.List.of("associative-recall", "copy", "reverse", "sort");

    String name();

    int trainExamples();

    int valExamples();
}
