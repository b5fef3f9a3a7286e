package attentionlab.experiments.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab bench}: not built yet (issue  attention-scaling, decode, train.:5). */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks: attention-scaling, decode, train (not built yet)")
public final class BenchCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", hidden = true)
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserError("'lab bench' is not built yet (issue  attention-scaling, decode, train.:5)");
    }
}
