package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunLayout;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.kernel.AttentionKernels;
import attentionlab.experiments.io.Format;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an experiment config strictly and expands it into runs ({@link RunPlanner}: variants x grid
 * points x seeds).
 *
 * <p>Order of resolution for each run: the file, then the variant's {@code key.path: value}
 * overrides, then the grid point's values, then every {@code --set} / {@code --set-all key.path=value}
 * (values read as YAML: {@code 0.01}, {@code softmax}, {@code [0, 1]}), then {@code --init-weights},
 * then {@code --seed}, then the defaults of keys left out ({@link ConfigDefaults}). The result is bound
 * to immutable records with unknown keys, wrong types and missing required keys rejected, then checked
 * by {@link ConfigValidator}. Every error is one {@link UserError} line naming the key path, the value
 * and what is allowed. All runs are resolved before anything is created.
 */
public final class ConfigLoader {

    /** YAML in and out: strict binding, no scalar coercion except numbers written like {@code 1e-3}. */
    static final YAMLMapper YAML = strictMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigLoader() {}

    /** A grid of more runs than this needs {@code --yes}: a typo in a grid should not start a week of training. */
    public static final int MAX_RUNS_WITHOUT_YES = 64;

    /**
     * One run: a variant (with the grid point's values in its name), a seed, and its fully resolved config
     * (variant name set, one seed, no variants, no grid).
     *
     * @param grid the grid point: key path -> value (empty without a grid)
     */
    public record RunSpec(String variant, long seed, ExperimentConfig config, Map<String, JsonNode> grid) {

        public RunSpec {
            grid = grid == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
        }

        /** The run directory's name, {@code <variant>-s<seed>}. */
        public String name() {
            return RunLayout.name(variant, seed);
        }
    }

    /**
     * The runs of an experiment: variants in file order, then grid points (first key slowest), then seeds in
     * the order given.
     *
     * @param grid key path -> values (empty without a grid)
     */
    public record Plan(String experiment, List<RunSpec> runs, Map<String, List<JsonNode>> grid) {}

    /**
     * @param file the YAML config
     * @param sets {@code key.path=value} overrides applied to every run
     * @param seed if not null, replaces {@code train.seeds} with this one seed
     * @throws UserError on any problem, naming the key path, the value and what is allowed
     */
    public static Plan plan(Path file, List<String> sets, Long seed) {
        return plan(file, Overrides.of(sets, seed));
    }

    /**
     * The runs of a config file with the command line's overrides, variants, grid and seeds (see
     * {@link RunPlanner}); every run is bound and validated.
     *
     * @throws UserError on any problem, naming the key path, the value, what is allowed and where it came from
     */
    public static Plan plan(Path file, Overrides overrides) {
        return RunPlanner.plan(readTree(file), file.toAbsolutePath().getParent(), overrides);
    }

    /** Reads a single resolved run config (a run directory's {@code config.yaml}). */
    public static ExperimentConfig loadRun(Path file) {
        return loadRun(readTree(file), file.toAbsolutePath().getParent(), file.toString());
    }

    /**
     * Binds the resolved config of one run held in a tree (e.g. a manifest entry, {@link #toTree}).
     *
     * @param where names the tree's place in messages
     * @throws UserError as {@link #plan}, or if the tree describes more than one run
     */
    public static ExperimentConfig loadRun(JsonNode tree, Path dir, String where) {
        if (!(tree instanceof ObjectNode object)) {
            throw new UserError(where + ": expected the config of one run, got " + ConfigErrors.show(tree));
        }
        Plan plan = RunPlanner.plan(object.deepCopy(), dir, Overrides.none());
        if (plan.runs().size() != 1) {
            throw new UserError(where + ": expected the config of one run (one seed, no variants), found "
                    + plan.runs().size() + " runs");
        }
        return plan.runs().get(0).config();
    }

    /**
     * The YAML text of a resolved config; reading it back gives an equal config. Kernel options the
     * config's kernel does not read are left out (they hold their defaults and would be refused on reading).
     */
    public static String toYaml(ExperimentConfig config) {
        try {
            return YAML.writeValueAsString(toTree(config));
        } catch (IOException e) {
            throw new IllegalStateException("cannot write config as YAML", e);
        }
    }

    /** The tree {@link #toYaml} writes: reading it back ({@link #loadRun(JsonNode, Path, String)}) gives an equal config. */
    public static ObjectNode toTree(ExperimentConfig config) {
        ObjectNode tree = YAML.valueToTree(config);
        if (tree.get("model") instanceof ObjectNode model) {
            Set<String> read = AttentionKernels.options(config.model().kernel());
            AttentionKernels.optionKeys().stream().filter(k -> !read.contains(k)).forEach(model::remove);
        }
        return tree;
    }

    // ---- reading -----------------------------------------------------------------------------

    private static ObjectNode readTree(Path file) {
        JsonNode node = YamlReader.read(YAML, YamlReader.text(file), "", file.toString());
        if (node == null || !node.isObject()) {
            throw new UserError(file + ": expected a YAML map with keys experiment, task, model, train[, variants]");
        }
        return (ObjectNode) node;
    }

    static Map<String, Map<String, JsonNode>> variants(JsonNode node) {
        Map<String, Map<String, JsonNode>> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new UserError("variants: expected a map of variant name -> {key.path: value}, got " + ConfigErrors.show(node));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!ConfigValidator.NAME.matcher(e.getKey()).matches()) {
                throw new UserError("variants." + e.getKey() + ": invalid variant name; allowed: letters, digits, '.', '_', '-'");
            }
            Map<String, JsonNode> overrides = new LinkedHashMap<>();
            if (e.getValue() != null && !e.getValue().isNull()) {
                if (!e.getValue().isObject()) {
                    throw new UserError("variants." + e.getKey() + ": expected a map of key.path: value, got " + ConfigErrors.show(e.getValue()));
                }
                flatten("", e.getValue(), overrides);
            }
            for (String path : overrides.keySet()) {
                if (path.equals("variants") || path.equals("variant") || path.startsWith("variants.")) {
                    throw new UserError("variants." + e.getKey() + "." + path + ": a variant cannot set variant names");
                }
            }
            out.put(e.getKey(), overrides);
        }
        return out;
    }

    /** {model: {kernel: x}} and {model.kernel: x} both become model.kernel -> x. */
    static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        node.fields().forEachRemaining(e -> {
            String path = prefix + e.getKey();
            if (e.getValue().isObject()) {
                flatten(path + ".", e.getValue(), out);
            } else {
                out.put(path, e.getValue());
            }
        });
    }

    /**
     * {@code key.path=value} options, the value read as YAML; later ones replace earlier ones.
     *
     * @param option the option's name in messages ({@code --set}, {@code --set-all})
     */
    static Map<String, JsonNode> parseSets(List<String> sets, String option) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String set : sets == null ? List.<String>of() : sets) {
            int eq = set.indexOf('=');
            if (eq <= 0) {
                throw new UserError(option + " '" + Format.clip(set) + "': expected key.path=value, e.g. " + option + " train.lr=0.01");
            }
            String path = set.substring(0, eq).trim();
            String text = set.substring(eq + 1);
            JsonNode value = text.isBlank() ? NODES.nullNode() : YamlReader.read(YAML, text, path, option + " " + Format.clip(set));
            if (value == null || value.isMissingNode()) {
                value = NODES.nullNode();
            }
            if (path.equals("variants") || path.startsWith("variants.") || path.equals("grid") || path.startsWith("grid.")) {
                throw new UserError(option + " " + set + ": variants and the grid cannot be set this way; "
                        + "set the key a variant overrides (e.g. model.kernel), or use --variant NAME / --grid key=v1,v2");
            }
            out.put(path, value);
        }
        return out;
    }

    /** Sets {@code path} in the tree, creating missing sections; a path through a scalar is an error. */
    static void apply(ObjectNode tree, String path, JsonNode value, String origin) {
        String[] parts = path.split("\\.", -1);
        ObjectNode node = tree;
        StringBuilder seen = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (part.isEmpty()) {
                throw new UserError(origin + ": '" + path + "' is not a valid key path (empty segment)");
            }
            if (seen.length() > 0) {
                seen.append('.');
            }
            seen.append(part);
            if (i == parts.length - 1) {
                node.set(part, value);
                return;
            }
            JsonNode child = node.get(part);
            if (child == null || child.isNull()) {
                child = node.putObject(part);
            } else if (!child.isObject()) {
                throw new UserError(origin + ": " + seen + " is " + ConfigErrors.show(child) + ", not a section, so "
                        + path + " does not exist");
            }
            node = (ObjectNode) child;
        }
    }

    // ---- defaults and binding ------------------------------------------------------------------

    /**
     * @param dir the config file's directory, which relative paths in the config are relative to
     */
    static ExperimentConfig bind(ObjectNode tree, Map<String, String> origins, Path dir) {
        JsonNode givenModel = tree.path("model").deepCopy(); // before defaults: the model keys the config sets
        ConfigDefaults.fill(tree);
        ConfigErrors.rejectUnknownKeys(tree, origins);
        ExperimentConfig config;
        try {
            config = YAML.treeToValue(tree, ExperimentConfig.class);
        } catch (JacksonException e) {
            throw new UserError(ConfigErrors.explain(e, tree, origins));
        } catch (IllegalArgumentException e) {
            throw new UserError(ConfigErrors.firstLine(e.getMessage()));
        }
        ConfigValidator.validate(config, origins, givenModel);
        return InitWeights.resolve(config.withTask(config.task().resolvedAgainst(dir)), dir, origins);
    }

    private static YAMLMapper strictMapper() {
        YAMLMapper mapper = YAMLMapper.builder(YAMLFactory.builder()
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .disable(YAMLGenerator.Feature.USE_NATIVE_TYPE_ID)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        mapper.registerSubtypes(Tasks.configTypes().toArray(NamedType[]::new)); // task.name -> its config record
        // YAML 1.1 reads 1e-3 (no dot) as text: accept text for floating-point keys only.
        mapper.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

}
