package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak at its quick size (200 steps, a sweep of 3 runs), through the suite like every benchmark: the figures are there and sane. */
class SoakBenchmarkTest {

    @Test
    void quickSoakWritesItsFiguresLikeTheOtherBenchmarks(@TempDir Path tmp) throws Exception {
        List<String> log = new ArrayList<>();
        BenchSuite.Outcome outcome = BenchSuite.run(List.of("soak"), true, Sweep.engine(1), tmp, log::add);
        Path dir = outcome.directory();
        JsonNode soak = Json.read(dir.resolve("soak.json"), JsonNode.class);
        JsonNode longRun = soak.get("long_run");
        assertThat(longRun.get("length").asInt()).isEqualTo(200);
        assertThat(longRun.get("warmup").asInt()).isEqualTo(20);
        // a sample before steps 0, 10, ..., 190, and one after the last
        assertThat(longRun.get("samples")).hasSize(21);
        assertThat(longRun.get("samples").get(20).get("x").asInt()).isEqualTo(200);
        for (JsonNode phase : List.of(longRun, soak.get("sweep"))) {
            assertThat(phase.get("rss_after_warmup_mib").asDouble()).isPositive();
            assertThat(phase.get("rss_growth_mib").asDouble())
                    .isEqualTo(phase.get("rss_end_mib").asDouble() - phase.get("rss_after_warmup_mib").asDouble());
            assertThat(phase.get("rate_start").asDouble()).isPositive().isFinite();
            assertThat(phase.get("rate_end").asDouble()).isPositive().isFinite();
        }
        assertThat(soak.get("sweep").get("samples")).hasSize(4); // before each of the 3 runs, and after the last
        assertThat(outcome.targets()).extracting(Target::name).containsExactly(
                "long run: RSS growth after warm-up (MiB)", "long run: steps/s at the end / at the start",
                "sweep: RSS growth after warm-up (MiB)", "sweep: steps/s at the end / at the start");
        assertThat(Files.readString(dir.resolve("summary.md"))).contains("## soak", "| long run | 200 steps |", "| sweep | 3 runs |");
        assertThat(dir.resolve("soak-rss.png")).exists();
        assertThat(Json.read(dir.resolve("index.json"), JsonNode.class).get("status").asText()).isEqualTo("completed");
    }
}
