package attentionlab.experiments.tasks;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.nio.file.Path;

/**
 * The {@code task:} section of a config. {@code name} selects the task and with it the record that
 * binds the section (and so the allowed keys); the names and their records are registered in
 * {@link Tasks}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "name", visible = true)
public sealed interface TaskConfig permits AssociativeRecallConfig, SequenceTaskConfig, SequenceFileConfig {

    String name();

    /** This config with relative file paths resolved against {@code dir} (the config file's directory). */
    default TaskConfig resolvedAgainst(Path dir) {
        return this;
    }
}
