package attentionlab.experiments.cli;

import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Format;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code ./lab}: the command line of attention-lab. Each subcommand is a thin shell over a function
 * that tests call directly.
 *
 * <p>Exit codes ({@link ExitCode}): 0 success, 1 a run failed or a claim does not hold, 2 bad input
 * ({@link UserError}), 3 an internal error (message printed; stack trace only with {@code LAB_DEBUG=1}).
 */
@Command(name = "lab", mixinStandardHelpOptions = true, version = "attention-lab 0.1.0",
        description = "Run, compare and check attention experiments (DJL, PyTorch engine, CPU).",
        subcommands = {
            RunCommand.class,
            ResumeCommand.class,
            CompareCommand.class,
            InspectCommand.class,
            ReproduceCommand.class,
            BenchCommand.class,
            ListCommand.class,
            SweepCommand.class,
            WeightsCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Lab implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Bare {@code ./lab}: the usage on standard error and exit 2, since no command was given. */
    @Override
    public Integer call() {
        return missingCommand(spec);
    }

    /** A command group called without its subcommand: its usage on standard error, exit 2. */
    static int missingCommand(CommandLine.Model.CommandSpec spec) {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.BAD_INPUT.code();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests). */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Lab());
        cli.registerConverter(Path.class, Lab::path);
        cli.registerConverter(Long.class, s -> integer(s, Long::valueOf));
        cli.registerConverter(Integer.class, s -> integer(s, Integer::valueOf));
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            cmd.getErr().println(line("lab: " + e.getMessage() + "; see 'lab " + cmd.getCommandSpec().qualifiedName(" ")
                    .replaceFirst("^lab ?", "") + (cmd.getCommandSpec().parent() == null ? "" : " ") + "--help'"));
            return ExitCode.BAD_INPUT.code();
        });
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UserError) {
                cmd.getErr().println(line("lab: " + e.getMessage()));
                return ExitCode.BAD_INPUT.code();
            }
            cmd.getErr().println(line("lab: internal error: " + e) + " (set LAB_DEBUG=1 for the stack trace)");
            if (System.getenv("LAB_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            }
            return ExitCode.INTERNAL.code();
        });
        return cli;
    }

    /** Longest error line printed; a longer message is cut (values in messages are clipped where they are made). */
    static final int MAX_LINE = 400;

    /** A message as one line of at most {@link #MAX_LINE} characters. */
    static String line(String message) {
        String one = message.replaceAll("\\R", " ");
        return one.length() <= MAX_LINE ? one : one.substring(0, MAX_LINE - 4) + " ...";
    }

    /** A path option or parameter: an empty one would silently mean the current directory. */
    private static Path path(String text) {
        if (text.isBlank()) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a path; give a file or directory name");
        }
        return Path.of(text);
    }

    private static <T> T integer(String text, java.util.function.Function<String, T> parse) {
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + Format.clip(text) + "' is not an integer");
        }
    }

    /** configs/ of the checkout: {@code $LAB_HOME/configs} when the launcher set LAB_HOME, else {@code ./configs}. */
    public static Path configsDir() {
        return attentionlab.experiments.claims.Training.configsDir();
    }

    /** Where runs go by default: {@code $LAB_HOME/runs} when the launcher set LAB_HOME, else {@code ./runs}. */
    public static Path defaultRunsDir() {
        String home = System.getenv("LAB_HOME");
        return home == null ? Path.of("runs") : Path.of(home, "runs");
    }
}
