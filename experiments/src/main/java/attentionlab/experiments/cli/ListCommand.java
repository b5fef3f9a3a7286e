package attentionlab.experiments.cli;

import attentionlab.experiments.config.ConfigLoader;
import attentionlab.experiments.core.ExitCode;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.tasks.Tasks;
import attentionlab.models.kernel.AttentionKernels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code lab list kernels|tasks|configs}: what the registries and configs/ hold, one line each. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"List what can be named in a config, one line each:",
            "  kernels  model.kernel values and the kernel options each reads",
            "  tasks    task.name values and their keys with defaults",
            "  configs  the configs in configs/ with their runs and first comment line"})
public final class ListCommand implements Callable<Integer> {

    static final List<String> WHAT = List.of("kernels", "tasks", "configs");

    @Parameters(index = "0", paramLabel = "WHAT", description = "kernels, tasks or configs")
    String what;

    @picocli.CommandLine.Option(names = "--dir", paramLabel = "DIR",
            description = "Where the configs are (default: configs/ of the checkout).")
    Path dir;

    @Override
    public Integer call() {
        List<String> lines = switch (what) {
            case "kernels" -> kernels();
            case "tasks" -> tasks();
            case "configs" -> configs(dir != null ? dir : Lab.configsDir());
            default -> throw new UserError("list " + what + ": not something to list; allowed: " + String.join(", ", WHAT));
        };
        lines.forEach(System.out::println);
        return ExitCode.OK.code();
    }

    static List<String> kernels() {
        int width = AttentionKernels.names().stream().mapToInt(String::length).max().orElse(0);
        return AttentionKernels.names().stream().map(name -> {
            List<String> options = AttentionKernels.options(name).stream().filter(o -> !o.equals("scaled")).sorted().toList();
            return pad(name, width) + "  " + (options.isEmpty() ? "no options"
                    : "options: " + options.stream().map(o -> "model." + o).collect(Collectors.joining(", ")));
        }).toList();
    }

    static List<String> tasks() {
        int width = Tasks.names().stream().mapToInt(String::length).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (String name : Tasks.names()) {
            Tasks.Type type = Tasks.type(name);
            List<String> keys = new ArrayList<>();
            for (var component : type.config().getRecordComponents()) {
                var json = component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                String key = json != null ? json.value() : component.getName();
                if (!key.equals("name")) {
                    Object value = type.defaults().get(key);
                    keys.add(value == null ? key + " (required)" : key + "=" + value);
                }
            }
            lines.add(pad(name, width) + "  " + String.join(" ", keys));
        }
        return lines;
    }

    /** Each config file: name, number of runs (or why it does not load), first comment line. */
    static List<String> configs(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        if (files.isEmpty()) {
            throw new UserError(dir + ": no configs (*.yaml) here");
        }
        int width = files.stream().mapToInt(p -> p.getFileName().toString().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            String runs;
            try {
                int n = ConfigLoader.plan(file, List.of(), null).runs().size();
                runs = n + (n == 1 ? " run" : " runs");
            } catch (UserError e) {
                runs = "invalid: " + e.getMessage();
            }
            lines.add(pad(file.getFileName().toString(), width) + "  " + String.format(Locale.ROOT, "%-8s", runs) + "  " + firstComment(file));
        }
        return lines;
    }

    private static String firstComment(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::trim).filter(l -> l.startsWith("#")).map(l -> l.replaceFirst("^#+\\s*", ""))
                    .findFirst().orElse("");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String pad(String s, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s", s);
    }
}
