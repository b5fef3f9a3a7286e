package attentionlab.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab compare}: not built yet (issue 4). */
@Command(name = "compare", mixinStandardHelpOptions = true, description = "Overlay the curves of runs or experiments. (not built yet)")
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserError("'lab compare' is not built yet (issue 4)");
    }
}
