package attentionlab.experiments.layout;

/**
 * The JSON keys of a run's meta.json, summary.json and checkpoint state.json (besides the provenance
 * fields of meta.json, which are {@code io.Provenance}'s).
 */
public final class RunKeys {

    // identity, in meta.json and summary.json
    public static final String EXPERIMENT = "experiment";
    public static final String VARIANT = "variant";
    public static final String SEED = "seed";
    public static final String STATUS = "status";
    public static final String STEPS_COMPLETED = "steps_completed";
    public static final String PARAMETER_COUNT = "parameter_count";

    // meta.json only
    public static final String COMMAND = "command";
    public static final String START_TIME = "start_time";
    public static final String END_TIME = "end_time";
    /** Why a run did not complete (absent when it did). */
    public static final String REASON = "reason";
    /**
     * The config changes resumes were allowed to make ({@code resume --allow-config-change}), in order:
     * [{step, command, time, changes: ["train.lr: 0.003 -> 0.01", ...]}]; absent when there were none.
     */
    public static final String CONFIG_CHANGES = "config_changes";

    // summary.json only
    public static final String TASK = "task";
    public static final String CHANCE_ACCURACY = "chance_accuracy";
    public static final String STEPS_PER_SECOND = "steps_per_second";
    /** {metric: last logged value}. */
    public static final String FINAL = "final";
    /** {metric: lowest loss or highest accuracy}. */
    public static final String BEST = "best";
    /** {parameter: max |gradient| over every step}. */
    public static final String MAX_ABS_GRAD = "max_abs_grad";
    /** [parameters whose final weights equal their initial weights bit for bit]. */
    public static final String UNCHANGED_PARAMETERS = "unchanged_parameters";

    // checkpoints/step-<t>/state.json
    public static final String STATE_STEP = "step";
    public static final String STATE_WALL_TIME = "wall_time_s";
    public static final String STATE_LISTENERS = "listeners";

    private RunKeys() {}
}
