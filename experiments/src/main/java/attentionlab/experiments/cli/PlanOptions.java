package attentionlab.experiments.cli;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.config.Overrides;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options that shape an experiment's runs, shared by {@code lab run} and {@code lab sweep submit}. */
final class PlanOptions {

    @Option(names = "--set", paramLabel = "KEY.PATH=VALUE", description = {
        "Override a key for every run; the value is read as YAML (0.01, softmax, [0, 1]). Repeatable.",
        "A key that a variant sets is refused (see --set-all)."})
    List<String> sets = new ArrayList<>();

    @Option(names = "--set-all", paramLabel = "KEY.PATH=VALUE",
            description = "Like --set, and also over the variants that set the key (they then differ only in name).")
    List<String> setAll = new ArrayList<>();

    @Option(names = "--grid", paramLabel = "KEY.PATH=V1,V2", description = {
        "Cross the runs with these values of a key (or =[V1, V2]); adds to or replaces the config's grid: section.",
        "Repeatable: every combination is a point. More than " + ConfigLoader.MAX_RUNS_WITHOUT_YES + " runs need --yes."})
    List<String> grids = new ArrayList<>();

    @Option(names = "--variant", paramLabel = "NAME", description = "Run only this variant (repeatable).")
    List<String> variants = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Train this seed (repeatable; replaces train.seeds).")
    List<Long> seeds = new ArrayList<>();

    @Option(names = "--init-weights", paramLabel = "FILE", description = {
        "Start every run from this model's weights (.npz or .safetensors in PyTorch's layout, e.g. from",
        "'lab weights export') instead of the seed's initialisation; sets train.init_weights."})
    Path initWeights;

    @Option(names = "--yes", description = "Allow a grid of more than " + ConfigLoader.MAX_RUNS_WITHOUT_YES + " runs.")
    boolean yes;

    @Option(names = "--out", paramLabel = "DIR", description = "Runs root (default: ${DEFAULT-VALUE}).")
    Path out = Lab.defaultRunsDir();

    Overrides overrides() {
        return new Overrides(sets, setAll, grids, variants, seeds, initWeights, yes);
    }
}
