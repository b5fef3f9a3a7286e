package attentionlab.experiments.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One invocation of the real command line ({@link Lab#commandLine()}) with picocli's streams captured,
 * where the error handlers print. What commands print on System.out / System.err is not captured.
 */
public record LabCli(int code, String out, String err) {

    public static LabCli execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = Lab.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        int code = cli.execute(args);
        return new LabCli(code, out.toString(), err.toString());
    }

    /** The longest error line {@code lab} prints. */
    public static int maxLine() {
        return Lab.MAX_LINE;
    }
}
