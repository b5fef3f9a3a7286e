package attentionlab.experiments.layout;

import attentionlab.experiments.core.UserError;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * metrics.csv in and out, with jackson-dataformat-csv (RFC 4180: a cell holding a comma, a quote or a
 * line break is quoted, so every column name round-trips). The one writer (training) and the one
 * reader (compare, claims, TensorBoard export) of the file; {@link MetricColumns} names the columns.
 * An empty cell means "not logged at this step".
 */
public final class MetricsCsv {

    /** Quotes a cell only when it must (a comma, a quote, a line break), not every long one as jackson's default does. */
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
    private static final CsvSchema ROWS = CsvSchema.emptySchema().withLineSeparator("\n");

    /**
     * The file as read: the header and every complete row, cells parsed as numbers.
     *
     * @param rows one array per row, in file order, as long as the header; null = not logged (a logged NaN stays NaN)
     */
    public record Table(Path file, List<String> columns, List<Double[]> rows) {}

    private MetricsCsv() {}

    /** Appends rows to a writer (the header is a row too), each written and flushed whole. */
    public static final class Appender implements AutoCloseable {

        private final SequenceWriter out;

        private Appender(Writer writer) throws IOException {
            out = MAPPER.writerFor(List.class).with(ROWS).writeValues(writer);
        }

        /** Appends one row and flushes it, so that a killed run leaves whole rows only. */
        public void append(List<String> cells) throws IOException {
            out.write(cells);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** An appender at the end of {@code file} (created if missing). */
    public static Appender appendTo(Path file) throws IOException {
        return new Appender(Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND));
    }

    /** One row as CSV text, with its line separator (quoting where needed). */
    public static String line(List<String> cells) {
        StringWriter text = new StringWriter();
        try (Appender a = new Appender(text)) {
            a.append(cells);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** A metric value as the shortest text that reads back as the same number (float precision when it is a float). */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        float f = (float) v;
        return (double) f == v ? Float.toString(f) : Double.toString(v);
    }

    /** A wall time in seconds, to the millisecond. */
    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.3f", s);
    }

    /**
     * Reads a metrics file. A last line without its line break is a row cut short by a killed run and
     * is left out; any other damage is an error.
     *
     * @throws UserError naming the file and what is wrong: empty, a header cut short, not starting with
     *     {@code step}, a row with more or fewer cells than the header, a cell that is not a number
     */
    public static Table read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")");
        }
        if (text.isBlank()) {
            throw new UserError(file + ": empty metrics file (expected a header starting with '" + MetricColumns.STEP + "')");
        }
        boolean lastLineWhole = text.endsWith("\n");
        List<List<String>> lines = parse(file, text);
        List<String> columns = lines.get(0);
        if (lines.size() == 1 && !lastLineWhole) {
            throw new UserError(file + ": the header is cut short (no line break after '" + String.join(",", columns)
                    + "'); the file was truncated");
        }
        if (!columns.get(0).equals(MetricColumns.STEP)) {
            throw new UserError(file + ": first column is '" + columns.get(0) + "', expected '" + MetricColumns.STEP + "'");
        }
        List<Double[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            List<String> cells = lines.get(i);
            boolean partial = i == lines.size() - 1 && !lastLineWhole;
            if (partial) {
                continue;
            }
            if (cells.size() != columns.size()) {
                throw new UserError(file + ": line " + (i + 1) + " has " + cells.size() + " cells but the header has "
                        + columns.size() + " columns" + (cells.size() > columns.size() ? ": the header is truncated or the row has extra cells" : ""));
            }
            rows.add(numbers(file, i + 1, columns, cells));
        }
        return new Table(file, List.copyOf(columns), rows);
    }

    /**
     * Keeps the header and the rows up to {@code step} (a resumed run recomputes the rows after its
     * checkpoint); a row cut short by a killed run goes too.
     */
    public static void keepUpTo(Path file, int step) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        List<List<String>> lines = parse(file, text);
        StringBuilder kept = new StringBuilder(line(lines.get(0)));
        for (int i = 1; i < lines.size(); i++) {
            boolean partial = i == lines.size() - 1 && !text.endsWith("\n");
            List<String> cells = lines.get(i);
            if (!partial && !cells.get(0).isBlank() && Double.parseDouble(cells.get(0)) <= step) {
                kept.append(line(cells));
            }
        }
        Files.writeString(file, kept, StandardCharsets.UTF_8);
    }

    private static List<List<String>> parse(Path file, String text) {
        List<List<String>> lines = new ArrayList<>();
        try (MappingIterator<List<String>> it = MAPPER.readerForListOf(String.class).with(CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(text)) {
            while (it.hasNextValue()) {
                lines.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not a readable CSV file (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        return lines;
    }

    private static Double[] numbers(Path file, int line, List<String> columns, List<String> cells) {
        Double[] row = new Double[cells.size()];
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c).trim();
            try {
                row[c] = cell.isEmpty() ? null : Double.valueOf(cell);
            } catch (NumberFormatException e) {
                throw new UserError(file + ": line " + line + ", column '" + columns.get(c) + "': '" + cell + "' is not a number");
            }
        }
        return row;
    }
}
