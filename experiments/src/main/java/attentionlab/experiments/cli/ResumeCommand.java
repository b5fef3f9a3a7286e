package attentionlab.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab resume}: not built yet (issue 3). */
@Command(name = "resume", mixinStandardHelpOptions = true, description = "Continue an interrupted run from its last checkpoint. (not built yet)")
public final class ResumeCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserError("'lab resume' is not built yet (issue 3)");
    }
}
