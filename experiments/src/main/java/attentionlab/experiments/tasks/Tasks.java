package attentionlab.experiments.tasks;

import attentionlab.experiments.config.AssociativeRecallConfig;
import attentionlab.experiments.config.SequenceTaskConfig;
import attentionlab.experiments.config.TaskConfig;

/** Builds the task a config names (the one place that maps task configs to tasks). */
public final class Tasks {

    private Tasks() {}

    public static Task create(TaskConfig config) {
        if (config instanceof AssociativeRecallConfig ar) {
            return new AssociativeRecallTask(ar.encoding(), ar.pairs(), ar.vocab());
        }
        SequenceTaskConfig s = (SequenceTaskConfig) config;
        return new SequenceTransformTask(s.name(), s.length(), s.vocab());
    }
}
