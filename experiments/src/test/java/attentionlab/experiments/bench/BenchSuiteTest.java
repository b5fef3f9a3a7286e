package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import attentionlab.experiments.cli.Lab;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchSuiteTest {

    @Test
    void unknownBenchmarkIsAOneLineUserError() {
        CommandLine cli = Lab.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench", "nope");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("lab: unknown benchmark 'nope'; valid: attention-scaling, decode, train, jobs");
    }

    @Test
    void decodeBenchmarkReportsCacheBytesInTheRatioOneOverH() {
        Engine.getInstance().setRandomSeed(0);
        DecodeBenchmark.Options tiny = new DecodeBenchmark.Options(2, 16, 8, List.of(8, 16), 0, 1, false);
        DecodeBenchmark.Result r = DecodeBenchmark.run(tiny, line -> { });
        assertThat(r.rows()).extracting(DecodeBenchmark.Row::variant).containsExactly("MHA", "GQA", "MQA", "MHA", "GQA", "MQA");
        DecodeBenchmark.Row mha = r.rows().get(3);
        DecodeBenchmark.Row mqa = r.rows().get(5);
        assertThat(mha.cacheBytes()).isEqualTo(2L * 2 * 8 * 16 * 2 * 4); // K and V, B=2, g=8, n=16, k=2, float32
        assertThat(mqa.cacheBytes() * 8).isEqualTo(mha.cacheBytes());
        assertThat(mha.cost().cacheReadBytes()).isEqualTo(mha.cacheBytes());
        assertThat(r.targets()).anySatisfy(t -> {
            assertThat(t.name()).startsWith("MQA / MHA cache bytes");
            assertThat(t.met()).isTrue();
        });
    }
}
