package attentionlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.cli.Lab;
import java.io.PrintWriter;
import java.io.StringWriter;
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
        assertThat(err.toString().strip()).isEqualTo("lab: unknown benchmark 'nope'; valid: attention-scaling, decode, train, soak, jobs");
    }
}
