package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.maps.Inspection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab inspect}: a thin shell over {@link Inspection#run}. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Draw the attention maps a run saved: every layer and head of a fixed validation example, at",
            "initialisation and at each evaluation, queries down and keys across, labelled with the example's tokens;",
            "* marks the key that matches the query, grey cells are exactly 0. One PNG and one SVG per step and layer,",
            "in a new timestamped directory. Reads files only."})
public final class InspectCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR", description = "A run directory (<experiment dir>/<variant>-s<seed>).")
    Path runDir;

    @Option(names = "--step", paramLabel = "S", description = "Draw only this saved step (repeatable). Default: every saved step.")
    List<Integer> steps = new ArrayList<>();

    @Option(names = "--example", paramLabel = "I", defaultValue = "0",
            description = "Which saved validation example to draw, 0..3 (default: ${DEFAULT-VALUE}).")
    int example;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Directory to create the timestamped output directory in (default: RUN_DIR/inspect).")
    Path out;

    @Override
    public Integer call() {
        Inspection.Result result = Inspection.run(new Inspection.Options(runDir, steps, example, out));
        System.out.println("inspected " + runDir + ": " + result.figures().size() + " figures (PNG + SVG)");
        System.out.println(result.outDir());
        return ExitCode.OK.code();
    }
}
