package attentionlab.experiments.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** metrics.csv written and read with jackson-dataformat-csv: quoting where needed, whole rows only. */
class MetricsCsvTest {

    @TempDir
    Path tmp;

    @Test
    void aColumnNameWithACommaOrAQuoteRoundTrips() throws Exception {
        Path file = tmp.resolve("metrics.csv");
        List<String> columns = List.of("step", "wall_time_s", "grad_norm/a,b", "say \"hi\"", "train/loss");
        Files.writeString(file, MetricsCsv.line(columns));
        try (MetricsCsv.Appender out = MetricsCsv.appendTo(file)) {
            out.append(List.of("0", "0.000", "1.5", "", MetricsCsv.number(Double.NaN)));
            out.append(List.of("1", "0.125", "", "2", MetricsCsv.number(0.1f)));
        }
        assertThat(Files.readString(file)).startsWith("step,wall_time_s,\"grad_norm/a,b\",\"say \"\"hi\"\"\",train/loss\n");
        MetricsCsv.Table table = MetricsCsv.read(file);
        assertThat(table.columns()).isEqualTo(columns);
        assertThat(table.rows()).hasSize(2);
        assertThat(table.rows().get(0)).containsExactly(0.0, 0.0, 1.5, null, Double.NaN);
        assertThat(table.rows().get(1)).containsExactly(1.0, 0.125, null, 2.0, 0.1); // a float is written as its shortest text
    }

    @Test
    void resumingKeepsTheRowsUpToTheCheckpointAndDropsACutRow() throws Exception {
        Path file = tmp.resolve("metrics.csv");
        Files.writeString(file, "step,wall_time_s,\"a,b\"\n0,0.0,1\n1,0.1,2\n2,0.2,3\n3,0.3,4\n4,0.");
        MetricsCsv.keepUpTo(file, 2);
        assertThat(Files.readString(file)).isEqualTo("step,wall_time_s,\"a,b\"\n0,0.0,1\n1,0.1,2\n2,0.2,3\n");
    }
}
