package attentionlab.experiments.config;

import attentionlab.experiments.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code train.init_weights}: resolved against the config file's directory (so a run's config.yaml names
 * the file wherever it is read from) and checked to be an existing .npz or .safetensors file. Whether its
 * tensors fit the model is checked when the runs are planned, by loading them into the model.
 */
final class InitWeights {

    private InitWeights() {}

    static ExperimentConfig resolve(ExperimentConfig config, Path dir, Map<String, String> origins) {
        String given = config.train().initWeights();
        if (given == null || given.isEmpty()) {
            return config;
        }
        Path file = dir.resolve(given).toAbsolutePath().normalize();
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String origin = origins.get("train.init_weights");
        String from = origin == null ? "" : " (from " + origin + ")";
        if (!name.endsWith(".npz") && !name.endsWith(".safetensors")) {
            throw new UserError("train.init_weights: '" + given + "' is invalid; allowed: a .npz or .safetensors file" + from);
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("train.init_weights: " + file + " does not exist" + from);
        }
        return config.withTrain(config.train().withInitWeights(file.toString()));
    }
}
