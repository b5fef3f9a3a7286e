package attentionlab.experiments.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * {@code task: {name: copy|reverse|sort, ...}}.
 *
 * @param length number of input symbols (and of output positions)
 * @param vocab number of possible symbols
 * @param trainExamples training examples generated from the run's seed
 * @param valExamples validation examples, the same for every seed
 */
@JsonPropertyOrder({"name", "length", "vocab", "train_examples", "val_examples"})
public record SequenceTaskConfig(
        @JsonProperty("name") String name,
        @JsonProperty("length") int length,
        @JsonProperty("vocab") int vocab,
        @JsonProperty("train_examples") int trainExamples,
        @JsonProperty("val_examples") int valExamples) implements TaskConfig {
}
