package attentionlab.experiments.maps;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code attention/examples.json}: which validation examples a run's attention snapshots hold, in
 * snapshot order, with what a figure needs to label them.
 *
 * @param indices the examples' indices in the validation set
 * @param positions per example, the name of each of the N positions (query and key tokens)
 * @param targetQuery per example, the query position whose matching key is known (-1: none)
 * @param targetKey per example, that matching key's position (-1: none)
 */
public record SnapshotExamples(
        @JsonProperty("indices") List<Integer> indices,
        @JsonProperty("positions") List<List<String>> positions,
        @JsonProperty("target_query") List<Integer> targetQuery,
        @JsonProperty("target_key") List<Integer> targetKey) {

    public SnapshotExamples {
        if (positions.size() != indices.size() || targetQuery.size() != indices.size() || targetKey.size() != indices.size()) {
            throw new IllegalArgumentException("examples.json lists " + indices.size() + " examples but " + positions.size()
                    + " position lists and " + targetKey.size() + " targets");
        }
    }

    public int count() {
        return indices.size();
    }

    /** Whether example e has a matching key. */
    public boolean hasTarget(int e) {
        return targetKey.get(e) >= 0;
    }
}
