package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.train.RunWeights;
import attentionlab.models.weights.PyTorchWeights;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lab weights export RUN_DIR --out FILE}: a thin shell over {@link RunWeights#export}. */
@Command(name = "weights", mixinStandardHelpOptions = true,
        description = {"A run's weights in PyTorch's names and layout (docs/weights.md).",
            "Load them into a new run with: lab run CONFIG --init-weights FILE"},
        subcommands = WeightsCommand.Export.class)
public final class WeightsCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        return Lab.missingCommand(spec);
    }

    @Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Write the model (or one layer's attention block) of a run's checkpoint to a .npz or"
                    + " .safetensors file: what torch's load_state_dict reads (np.load / safetensors.torch.load_file)."},
            footer = {"", "Examples:",
                "  lab weights export runs/sort/20261123-125330/softmax-s0 --out w.safetensors",
                "  lab weights export RUN_DIR --out block.npz --attention-layer 0",
                "  lab run configs/sort.yaml --init-weights w.safetensors"})
    static final class Export implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "RUN_DIR", description = "A run directory.")
        Path runDir;

        @Option(names = "--out", required = true, paramLabel = "FILE",
                description = "The file to write, .npz or .safetensors (must not exist).")
        Path out;

        @Option(names = "--layout", paramLabel = "packed|separate", defaultValue = "packed", description = {
            "packed: nn.MultiheadAttention's in_proj_weight [3 d_model, d_model] (default);",
            "separate: q_proj, k_proj, v_proj, out_proj (needed with value_dim != d_model)."})
        String layout;

        @Option(names = "--step", paramLabel = "N", description = "The checkpoint of step N (default: the newest).")
        Integer step;

        @Option(names = "--attention-layer", paramLabel = "L",
                description = "Only layer L's attention block, named as nn.MultiheadAttention names it (no prefix).")
        Integer attentionLayer;

        @Override
        public Integer call() {
            PyTorchWeights.Layout kind = switch (layout) {
                case "packed" -> PyTorchWeights.Layout.PACKED;
                case "separate" -> PyTorchWeights.Layout.SEPARATE;
                default -> throw new UserError("--layout '" + layout + "' is not allowed; allowed: packed, separate");
            };
            RunWeights.Exported e = RunWeights.export(runDir, step, kind, attentionLayer, out);
            System.err.println("wrote " + e.tensors() + " tensors of checkpoint step-" + e.step() + " (" + layout + " layout)");
            System.out.println(e.file());
            return ExitCode.OK.code();
        }
    }
}
