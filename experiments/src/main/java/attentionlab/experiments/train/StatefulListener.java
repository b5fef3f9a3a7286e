package attentionlab.experiments.train;

import com.fasterxml.jackson.databind.JsonNode;

/** A listener whose accumulated state goes into checkpoints, so that a resumed run continues it. */
public interface StatefulListener extends StepListener {

    /** Key of this listener's state in a checkpoint's state.json. */
    String stateKey();

    JsonNode saveState();

    void restoreState(JsonNode state);
}
