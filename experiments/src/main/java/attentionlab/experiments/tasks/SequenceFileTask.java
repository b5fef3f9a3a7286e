package attentionlab.experiments.tasks;

import ai.djl.basicdataset.tabular.CsvDataset;
import ai.djl.basicdataset.tabular.utils.Feature;
import attentionlab.experiments.core.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The user's own sequences: a CSV file with a header and the columns {@code input} and {@code target},
 * each cell a sequence of tokens separated by spaces, read through DJL's {@link CsvDataset}. The
 * vocabulary is every distinct token of the file, in order of first appearance (input before target,
 * row by row). Each row becomes one example laid out like the copy/reverse/sort tasks:
 * <pre>
 *   tokens: x_1 .. x_L  PAD .. PAD  SEP  SLOT .. SLOT        N = L_in + 1 + L_out
 *   labels:  -   ..  -   -  ..  -    -   y_1 .. y_M  - ..     (-1 = no loss)
 * </pre>
 * L_in and L_out are the longest input and target of the file; V symbols have ids 0..V-1, PAD = V,
 * SEP = V + 1, SLOT = V + 2. The last {@code val_examples} rows validate; the rows before them train
 * (the same for every seed). Example (configs/data/sort-letters.csv): {@code "d b c","b c d"}.
 *
 * <p>A file that is missing, has no such column, or has a row with an empty cell or a different number
 * of cells than the header is a {@link UserError} naming the file, the line and the column.
 */
public final class SequenceFileTask implements Task {

    public static final String INPUT = "input";
    public static final String TARGET = "target";

    private final String name;
    private final Map<String, Integer> vocabulary = new LinkedHashMap<>();
    private final int inputLength;
    private final int targetLength;
    private final Examples training;
    private final Examples validation;

    public SequenceFileTask(SequenceFileConfig c) {
        this.name = c.name();
        Path file = Path.of(c.path());
        List<String[][]> rows = read(file);
        if (c.valExamples() < 1 || c.valExamples() >= rows.size()) {
            throw new UserError("task.val_examples: " + c.valExamples() + " is invalid; " + file + " has " + rows.size()
                    + " rows, so allowed: 1 to " + (rows.size() - 1) + " (the rows before them train)");
        }
        rows.forEach(r -> Arrays.stream(r).flatMap(Arrays::stream).forEach(t -> vocabulary.putIfAbsent(t, vocabulary.size())));
        this.inputLength = rows.stream().mapToInt(r -> r[0].length).max().orElse(0);
        this.targetLength = rows.stream().mapToInt(r -> r[1].length).max().orElse(0);
        int split = rows.size() - c.valExamples();
        this.training = examples(rows.subList(0, split));
        this.validation = examples(rows.subList(split, rows.size()));
    }

    /** Every row as {input tokens, target tokens}. */
    private static List<String[][]> read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("task.path: " + file + " does not exist");
        }
        Rows csv = new Rows(file);
        try {
            csv.prepare(null);
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not a readable CSV file: " + e.getMessage());
        }
        if (csv.records().isEmpty()) {
            throw new UserError(file + ": no rows after the header; expected a header 'input,target' and one row per example");
        }
        List<String> columns = csv.getColumnNames();
        for (String column : List.of(INPUT, TARGET)) {
            if (!columns.contains(column)) {
                throw new UserError(file + ": line 1: no column '" + column + "'; the header must name the columns "
                        + INPUT + " and " + TARGET + ", got " + columns);
            }
        }
        String text = readText(file);
        List<String[][]> rows = new ArrayList<>();
        for (CSVRecord record : csv.records()) {
            int line = lineOf(text, record.getCharacterPosition());
            if (record.size() != columns.size()) {
                throw new UserError(file + ": line " + line + ": " + record.size() + " cells, but the header has "
                        + columns.size() + " columns");
            }
            rows.add(new String[][] {tokens(file, line, record, INPUT), tokens(file, line, record, TARGET)});
        }
        return rows;
    }

    private static String[] tokens(Path file, int line, CSVRecord record, String column) {
        String cell = record.get(column).trim();
        if (cell.isEmpty()) {
            throw new UserError(file + ": line " + line + ", column '" + column + "': empty; give tokens separated by spaces");
        }
        return cell.split("\\s+");
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The 1-based line of the file where the record read from character {@code position} on starts
     * (the parser's position can precede blank lines it skipped).
     */
    private static int lineOf(String text, long position) {
        int start = Math.toIntExact(position);
        while (start < text.length() && (text.charAt(start) == '\n' || text.charAt(start) == '\r')) {
            start++;
        }
        int line = 1;
        for (int i = 0; i < start; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private Examples examples(List<String[][]> rows) {
        int n = length();
        int v = vocabulary.size();
        int[] tokens = new int[rows.size() * n];
        int[] labels = new int[rows.size() * n];
        int[] target = new int[rows.size()];
        Arrays.fill(labels, -1);
        Arrays.fill(target, -1);
        for (int e = 0; e < rows.size(); e++) {
            int base = e * n;
            String[] x = rows.get(e)[0];
            String[] y = rows.get(e)[1];
            Arrays.fill(tokens, base, base + inputLength, v); // PAD
            for (int i = 0; i < x.length; i++) {
                tokens[base + i] = vocabulary.get(x[i]);
            }
            tokens[base + inputLength] = v + 1; // SEP
            Arrays.fill(tokens, base + inputLength + 1, base + n, v + 2); // output slots
            for (int i = 0; i < y.length; i++) {
                labels[base + inputLength + 1 + i] = vocabulary.get(y[i]);
            }
        }
        return new Examples(rows.size(), n, 1, tokens, labels, target);
    }

    @Override
    public String name() {
        return name;
    }

    /** The file's tokens in id order. */
    public List<String> vocabulary() {
        return List.copyOf(vocabulary.keySet());
    }

    /** The file's token, PAD, SEP or _ (an output slot). */
    @Override
    public String tokenName(int id) {
        List<String> symbols = vocabulary();
        int v = symbols.size();
        return id < v ? symbols.get(id) : id == v ? "PAD" : id == v + 1 ? "SEP" : "_";
    }

    @Override
    public int inputVocab() {
        return vocabulary.size() + 3;
    }

    @Override
    public int outputVocab() {
        return vocabulary.size();
    }

    @Override
    public int length() {
        return inputLength + 1 + targetLength;
    }

    @Override
    public TaskSize size() {
        return new TaskSize(inputVocab(), outputVocab(), length(), 1, training.count(), validation.count(), "the tokens of task.path",
                "the longest input and target of task.path", "the rows of task.path");
    }

    /** The rows before the last val_examples; the seed does not change them (the batch order does). */
    @Override
    public Examples training(long seed) {
        return training;
    }

    @Override
    public Examples validation() {
        return validation;
    }

    /** The file through DJL's CsvDataset: the header names the columns, cells stay text. */
    private static final class Rows extends CsvDataset {

        Rows(Path file) {
            super(CsvDataset.builder().optCsvFile(file)
                    .setCsvFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build())
                    .addFeature(new Feature(INPUT, false)).addLabel(new Feature(TARGET, false))
                    .setSampling(1, false));
        }

        List<CSVRecord> records() {
            return csvRecords;
        }

        /** Cells are token sequences that {@link SequenceFileTask} maps to ids with the whole file's vocabulary. */
        @Override
        protected void prepareFeaturizers() {
            // no per-column featurizers: see above
        }
    }
}
