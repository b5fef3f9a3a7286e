package attentionlab.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab run}: not built yet (issue 3). */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Train every variant x seed of an experiment config. (not built yet)")
public final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserError("'lab run' is not built yet (issue 3)");
    }
}
