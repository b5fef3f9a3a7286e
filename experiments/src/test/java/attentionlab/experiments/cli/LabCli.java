package attentionlab.experiments.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The {@code lab} command line with its output and error streams captured, for command tests. */
final class LabCli {

    final StringWriter err = new StringWriter();
    final StringWriter out = new StringWriter();

    /** Runs {@code lab args...} and returns its exit code. */
    int execute(String... args) {
        CommandLine cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }
}
