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
        assertThat(err.toString().strip()).isEqualTo("lab: unknown benchmark 'nope'; valid: attention-scaling, decode, train");
    }

    /** The quick decode benchmark end to end: structure and exact bytes, never speed. */
    @Test
    void decodeBenchmarkMeasuresEveryVariantAndTheRecurrentStateIsFlat() {
        Engine.getInstance().setRandomSeed(0);
        DecodeBenchmark.Options quick = DecodeBenchmark.Options.quick();
        DecodeBenchmark.Result r = DecodeBenchmark.run(quick, line -> { });
        assertThat(r.rows()).extracting(DecodeBenchmark.Row::variant)
                .containsExactly("MHA", "GQA", "MQA", "recurrent", "MHA", "GQA", "MQA", "recurrent");
        DecodeBenchmark.Row mha = DecodeBenchmark.find(r.rows(), "MHA", 128);
        DecodeBenchmark.Row mqa = DecodeBenchmark.find(r.rows(), "MQA", 128);
        assertThat(mha.stateBytes()).isEqualTo(2L * 8 * 128 * (8 + 8) * 4); // K and V: B=2, g=8, n=128, k=v=8, float32
        assertThat(mqa.stateBytes() * 8).isEqualTo(mha.stateBytes());
        long f = 1 + 8 + 8 * 9 / 2; // quadratic map of k = 8
        assertThat(DecodeBenchmark.find(r.rows(), "recurrent", 32).stateBytes())
                .isEqualTo(DecodeBenchmark.find(r.rows(), "recurrent", 128).stateBytes()).isEqualTo(2L * 8 * f * 9 * 4);
        assertThat(r.rows()).allSatisfy(row -> assertThat(row.seconds().count()).isEqualTo(1));
        assertThat(r.targets()).anySatisfy(t -> {
            assertThat(t.name()).isEqualTo("recurrent state bytes exponent in n");
            assertThat(t.status()).startsWith("not judged: 2 points"); // quick: two sizes, no interval
        });
        assertThat(r.chunked().profile().unaccounted()).isEmpty();
        assertThat(r.chunked().chunkedPeak()).isNotNull(); // measured in a child JVM (tiny here: may be below the RSS resolution)
        assertThat(r.targets()).extracting(Target::name).anyMatch(n -> n.startsWith("chunked vs prefix sums"))
                .anyMatch(n -> n.startsWith("chunked fraction of its roofline bound"));
    }
}
