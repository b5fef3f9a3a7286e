package attentionlab.experiments.tasks;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Path;

/**
 * {@code task: {name: sequence-file, path: ..., val_examples: ...}}: the user's own sequences (see
 * {@link SequenceFileTask}).
 *
 * @param path the CSV file, relative to the config file's directory (resolved to an absolute path when
 *     the config is read, so a run's config.yaml names the file wherever it is read from)
 * @param valExamples the file's last rows held out for validation; the rows before them train
 */
@JsonPropertyOrder({"name", "path", "val_examples"})
public record SequenceFileConfig(
        @JsonProperty("name") String name,
        @JsonProperty("path") String path,
        @JsonProperty("val_examples") int valExamples) implements TaskConfig {

    @Override
    public SequenceFileConfig resolvedAgainst(Path dir) {
        Path file = Path.of(path);
        return file.isAbsolute() ? this : new SequenceFileConfig(name, dir.resolve(file).toAbsolutePath().normalize().toString(),
                valExamples);
    }
}
