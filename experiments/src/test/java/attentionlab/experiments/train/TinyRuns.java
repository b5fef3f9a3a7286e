package attentionlab.experiments.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tiny configs (seconds to train) and metrics.csv readers shared by the training tests. */
final class TinyRuns {

    static final String RECALL = """
            experiment: tiny
            task:  {name: associative-recall, pairs: 3, vocab: 6, train_examples: 256, val_examples: 64}
            model: {d_model: 16, heads: 2, layers: 1, ffn_hidden: 32, kernel: softmax}
            train: {steps: 12, batch_size: 16, lr: 0.003, eval_every: 4, seeds: [0]}
            """;

    private TinyRuns() {}

    static Path config(Path dir, String yaml) {
        try {
            Path file = Files.createTempFile(dir, "config", ".yaml");
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> header(Path metrics) {
        return Arrays.asList(lines(metrics).get(0).split(",", -1));
    }

    /** The cells of one column, row by row ("" = not logged). */
    static List<String> column(Path metrics, String name) {
        List<String> lines = lines(metrics);
        int index = header(metrics).indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + metrics);
        }
        List<String> cells = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            cells.add(line.split(",", -1)[index]);
        }
        return cells;
    }
}
