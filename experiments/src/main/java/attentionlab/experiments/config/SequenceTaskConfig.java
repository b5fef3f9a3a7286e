package attentionlab.experiments.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code task: {name: copy|reverse|sort, ...}}.
 *
 * @param length number of input symbols (and of output positions)
 * @param vocab number of possible symbols
 */
@JsonPropertyOrder({"name", "length", "vocab", "train_examples", "val_examples"})
public record SequenceTaskConfig(
        @JsonProperty("name") String name,
        @JsonProperty("length") int length,
        @JsonProperty("vocab") int vocab,
        @JsonProperty("train_examples") int trainExamples,
        @JsonProperty("val_examples") int valExamples) implements TaskConfig {
}
