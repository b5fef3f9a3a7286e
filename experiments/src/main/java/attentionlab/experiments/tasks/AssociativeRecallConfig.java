package attentionlab.experiments.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * {@code task: {name: associative-recall, ...}}.
 *
 * @param encoding {@code fused} (one token per pair, key + value embeddings summed) or {@code interleaved}
 *     (k1 v1 k2 v2 ... ? kq, one id per token)
 * @param pairs number of (key, value) pairs per sequence
 * @param vocab number of possible keys and of possible values (keys are distinct within a sequence)
 * @param trainExamples training examples generated from the run's seed
 * @param valExamples validation examples, the same for every seed
 */
@JsonPropertyOrder({"name", "encoding", "pairs", "vocab", "train_examples", "val_examples"})
public record AssociativeRecallConfig(
        @JsonProperty("name") String name,
        @JsonProperty("encoding") String encoding,
        @JsonProperty("pairs") int pairs,
        @JsonProperty("vocab") int vocab,
        @JsonProperty("train_examples") int trainExamples,
        @JsonProperty("val_examples") int valExamples) implements TaskConfig {

    public static final List<String> ENCODINGS = List.of("fused", "interleaved");
}
