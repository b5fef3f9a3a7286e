package attentionlab.experiments.config;

import java.nio.file.Path;
import java.util.List;

/**
 * What the command line asks of a config file beyond the file itself ({@link ConfigLoader#plan(Path, Overrides)}).
 *
 * @param sets {@code key.path=value} for every run; an error if a chosen variant or the grid sets that key
 * @param setAll {@code key.path=value} for every run, also over the variants that set that key
 * @param grids {@code key.path=v1,v2,...} (or {@code key.path=[v1, v2]}): adds or replaces a grid key
 * @param variants the variants to run (empty: all)
 * @param seeds the seeds to train, replacing {@code train.seeds} (empty: the config's)
 * @param initWeights if not null, {@code train.init_weights} for every run (a .npz or .safetensors file)
 * @param yes allow a grid of more than {@link ConfigLoader#MAX_RUNS_WITHOUT_YES} runs
 */
public record Overrides(List<String> sets, List<String> setAll, List<String> grids, List<String> variants,
                        List<Long> seeds, Path initWeights, boolean yes) {

    public Overrides {
        sets = sets == null ? List.of() : List.copyOf(sets);
        setAll = setAll == null ? List.of() : List.copyOf(setAll);
        grids = grids == null ? List.of() : List.copyOf(grids);
        variants = variants == null ? List.of() : List.copyOf(variants);
        seeds = seeds == null ? List.of() : List.copyOf(seeds);
    }

    /** No overrides: the config as written. */
    public static Overrides none() {
        return new Overrides(null, null, null, null, null, null, false);
    }

    /** {@code --set} overrides and, if not null, one seed. */
    public static Overrides of(List<String> sets, Long seed) {
        return new Overrides(sets, null, null, null, seed == null ? null : List.of(seed), null, false);
    }

    public Overrides withGrids(List<String> newGrids) {
        return new Overrides(sets, setAll, newGrids, variants, seeds, initWeights, yes);
    }

    public Overrides withVariants(List<String> newVariants) {
        return new Overrides(sets, setAll, grids, newVariants, seeds, initWeights, yes);
    }

    public Overrides withSetAll(List<String> newSetAll) {
        return new Overrides(sets, newSetAll, grids, variants, seeds, initWeights, yes);
    }

    public Overrides withSeeds(List<Long> newSeeds) {
        return new Overrides(sets, setAll, grids, variants, newSeeds, initWeights, yes);
    }

    public Overrides withInitWeights(Path file) {
        return new Overrides(sets, setAll, grids, variants, seeds, file, yes);
    }

    public Overrides withYes(boolean newYes) {
        return new Overrides(sets, setAll, grids, variants, seeds, initWeights, newYes);
    }

    /** The options as they are written on the command line (after the config file), for meta.json's command. */
    public String commandLine() {
        StringBuilder b = new StringBuilder();
        sets.forEach(s -> b.append(" --set ").append(shellWord(s)));
        setAll.forEach(s -> b.append(" --set-all ").append(shellWord(s)));
        grids.forEach(g -> b.append(" --grid ").append(shellWord(g)));
        variants.forEach(v -> b.append(" --variant ").append(shellWord(v)));
        seeds.forEach(s -> b.append(" --seed ").append(s));
        if (initWeights != null) {
            b.append(" --init-weights ").append(shellWord(initWeights.toString()));
        }
        if (yes) {
            b.append(" --yes");
        }
        return b.toString();
    }

    /** {@code word} as one shell word: as is when it is plain, else in single quotes. */
    public static String shellWord(String word) {
        return word.matches("[A-Za-z0-9._=/:,+@%-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
