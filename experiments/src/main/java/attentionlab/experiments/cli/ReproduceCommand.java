package attentionlab.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab reproduce}: not built yet (issue 4). */
@Command(name = "reproduce", mixinStandardHelpOptions = true, description = "Re-check every homework claim and write a report. (not built yet)")
public final class ReproduceCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserError("'lab reproduce' is not built yet (issue 4)");
    }
}
