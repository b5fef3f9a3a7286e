package attentionlab.experiments.config;

import attentionlab.experiments.config.ConfigLoader.Plan;
import attentionlab.experiments.config.ConfigLoader.RunSpec;
import attentionlab.experiments.core.UserError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Expands a config tree into runs: chosen variants x grid points x seeds, each resolved in the order
 * file, variant, grid point, {@code --set} / {@code --set-all}, {@code --init-weights}, {@code --seed},
 * defaults, and bound and validated like any config ({@link ConfigLoader}).
 *
 * <p>An override that would silently erase what distinguishes runs is refused, naming the key and who
 * sets it: {@code --set} of a key a chosen variant sets (every variant would then train the same thing
 * under its own name; {@code --set-all} says that on purpose), and a grid key that a variant, {@code --set}
 * or {@code --set-all} also sets.
 */
final class RunPlanner {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** One {@code --set}, {@code --set-all} or {@code --init-weights}: key path, value, how it was written. */
    private record Override(String path, JsonNode value, String origin, boolean overVariants) {}

    private RunPlanner() {}

    /**
     * @param dir the config file's directory (relative paths in the config are relative to it)
     */
    static Plan plan(ObjectNode root, Path dir, Overrides o) {
        Map<String, Map<String, JsonNode>> variants = ConfigLoader.variants(root.remove("variants"));
        if (!variants.isEmpty() && root.has("variant")) {
            throw new UserError("variant: '" + root.get("variant").asText() + "' cannot be combined with variants; "
                    + "remove one of them");
        }
        Grid grid = Grid.of(root.remove("grid"), o.grids());
        Map<String, Map<String, JsonNode>> chosen = choose(variants, o.variants());
        List<Override> overrides = overrides(o);
        checkCollisions(chosen, grid, overrides);
        int seeds = Math.max(1, o.seeds().isEmpty() ? root.path("train").path("seeds").size() : o.seeds().size());
        checkSize(grid, chosen.size(), seeds, o.yes());

        List<RunSpec> runs = new ArrayList<>();
        String experiment = null;
        for (Map.Entry<String, Map<String, JsonNode>> v : chosen.entrySet()) {
            for (Map<String, JsonNode> point : grid.points()) {
                ExperimentConfig config = resolve(root, v.getKey(), v.getValue(), grid, point, overrides, o.seeds(), dir);
                experiment = config.experiment();
                boolean namedByKernel = v.getKey().isEmpty() && !root.has("variant");
                String base = config.variant();
                if (variants.isEmpty() && !o.variants().isEmpty() && !o.variants().contains(base)) {
                    throw new UserError("--variant " + o.variants().get(0) + ": the config has no variants; its run is named '"
                            + base + "'");
                }
                String label = grid.label(base, point, namedByKernel ? "model.kernel" : null);
                for (long seed : config.train().seeds()) {
                    runs.add(new RunSpec(label, seed, config.forRun(label, seed), point));
                }
            }
        }
        checkDistinctNames(runs, grid);
        if (!grid.isEmpty() && runs.size() > ConfigLoader.MAX_RUNS_WITHOUT_YES && !o.yes()) { // variants with more seeds
            throw new UserError("grid: " + runs.size() + " runs, more than " + ConfigLoader.MAX_RUNS_WITHOUT_YES
                    + "; pass --yes to run them all, or narrow the grid, --variant or --seed");
        }
        return new Plan(experiment, List.copyOf(runs), grid.values());
    }

    /** The variants to run: all, or those named by {@code --variant} in the file's order. "" stands for "no variants". */
    private static Map<String, Map<String, JsonNode>> choose(Map<String, Map<String, JsonNode>> variants, List<String> names) {
        if (variants.isEmpty()) {
            return Map.of("", Map.of());
        }
        for (String name : names) {
            if (!variants.containsKey(name)) {
                throw new UserError("--variant " + name + ": no such variant; the config's variants: "
                        + String.join(", ", variants.keySet()));
            }
        }
        if (names.isEmpty()) {
            return variants;
        }
        Map<String, Map<String, JsonNode>> chosen = new LinkedHashMap<>();
        variants.forEach((name, overrides) -> {
            if (names.contains(name)) {
                chosen.put(name, overrides);
            }
        });
        return chosen;
    }

    private static List<Override> overrides(Overrides o) {
        List<Override> list = new ArrayList<>();
        ConfigLoader.parseSets(o.sets(), "--set").forEach((path, value) ->
                list.add(new Override(path, value, "--set " + path + "=" + value.asText(), false)));
        ConfigLoader.parseSets(o.setAll(), "--set-all").forEach((path, value) ->
                list.add(new Override(path, value, "--set-all " + path + "=" + value.asText(), true)));
        if (o.initWeights() != null) {
            list.add(new Override("train.init_weights", NODES.textNode(o.initWeights().toAbsolutePath().normalize().toString()),
                    "--init-weights " + o.initWeights(), false));
        }
        return list;
    }

    private static void checkCollisions(Map<String, Map<String, JsonNode>> chosen, Grid grid, List<Override> overrides) {
        for (Override s : overrides) {
            for (String key : grid.keys()) {
                if (overlaps(s.path(), key)) {
                    throw new UserError(s.origin() + ": " + key + " is a grid key " + grid.values().get(key)
                            + "; change the grid instead, e.g. --grid " + key + "=" + s.value().asText());
                }
            }
            List<String> setters = setters(chosen, s.path());
            if (!s.overVariants() && !setters.isEmpty()) {
                throw new UserError(s.origin() + ": " + s.path() + " is set by variant" + (setters.size() > 1 ? "s " : " ")
                        + String.join(", ", setters) + ", so every run would get " + ConfigErrors.show(s.value())
                        + " under its variant's name; run a subset with --variant NAME, or override the variants too with"
                        + " --set-all " + s.path() + "=" + s.value().asText());
            }
        }
        for (String key : grid.keys()) {
            List<String> setters = setters(chosen, key);
            if (!setters.isEmpty()) {
                throw new UserError("grid " + key + ": " + key + " is set by variant" + (setters.size() > 1 ? "s " : " ")
                        + String.join(", ", setters) + "; a key can be a grid key or a variant key, not both");
            }
        }
    }

    /** The chosen variants that set {@code path}, a section holding it, or a key inside it. */
    private static List<String> setters(Map<String, Map<String, JsonNode>> chosen, String path) {
        List<String> names = new ArrayList<>();
        chosen.forEach((name, overrides) -> {
            if (overrides.keySet().stream().anyMatch(p -> overlaps(p, path))) {
                names.add(name);
            }
        });
        return names;
    }

    private static boolean overlaps(String a, String b) {
        return a.equals(b) || a.startsWith(b + ".") || b.startsWith(a + ".");
    }

    private static ExperimentConfig resolve(ObjectNode root, String variant, Map<String, JsonNode> variantOverrides, Grid grid,
                                            Map<String, JsonNode> point, List<Override> overrides, List<Long> seeds, Path dir) {
        ObjectNode tree = root.deepCopy();
        if (!variant.isEmpty()) {
            tree.put("variant", variant);
        }
        Map<String, String> origins = new LinkedHashMap<>();
        variantOverrides.forEach((path, value) -> {
            ConfigLoader.apply(tree, path, value, "variants." + variant + "." + path);
            origins.put(path, "variants." + variant);
        });
        point.forEach((path, value) -> {
            String origin = grid.origin(path, value);
            ConfigLoader.apply(tree, path, value, origin);
            origins.put(path, origin);
        });
        for (Override s : overrides) {
            ConfigLoader.apply(tree, s.path(), s.value(), s.origin());
            origins.put(s.path(), s.origin());
        }
        if (!seeds.isEmpty()) {
            var list = NODES.arrayNode();
            seeds.forEach(list::add);
            ConfigLoader.apply(tree, "train.seeds", list, "--seed");
            origins.put("train.seeds", "--seed " + seeds.stream().map(String::valueOf).reduce((a, b) -> a + " --seed " + b).orElse(""));
        }
        return ConfigLoader.bind(tree, origins, dir);
    }

    private static void checkDistinctNames(List<RunSpec> runs, Grid grid) {
        Set<String> names = new HashSet<>();
        for (RunSpec r : runs) {
            if (!names.add(r.name())) {
                throw new UserError("grid: two runs would be named '" + r.name() + "' (grid keys " + String.join(", ", grid.keys())
                        + "); make the values differ in letters, digits, '.', '_' or '-'");
            }
        }
    }

    /** Refuses a grid of more than {@link ConfigLoader#MAX_RUNS_WITHOUT_YES} runs unless {@code yes}, before any is resolved. */
    private static void checkSize(Grid grid, int variants, int seeds, boolean yes) {
        long points = grid.size();
        long runs = points > Long.MAX_VALUE / variants / seeds ? Long.MAX_VALUE : points * variants * seeds;
        if (!grid.isEmpty() && runs > ConfigLoader.MAX_RUNS_WITHOUT_YES && !yes) {
            throw new UserError("grid: " + points + " points x " + variants + " variant(s) x " + seeds + " seed(s) = " + runs
                    + " runs, more than " + ConfigLoader.MAX_RUNS_WITHOUT_YES + "; pass --yes to run them all, or narrow the"
                    + " grid, --variant or --seed");
        }
    }
}
