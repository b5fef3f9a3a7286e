package attentionlab.experiments.compare;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.layout.RunLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Turns the paths given to {@code lab compare} (run or experiment directories) into runs. */
public final class RunLoader {

    private RunLoader() {}

    /**
     * @param dirs run directories (holding metrics.csv) or experiment directories (holding run directories)
     * @return every run once, in argument order, runs of an experiment in name order
     * @throws UserError if a path does not exist or holds no run
     */
    public static List<RunRecord> load(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new UserError("give at least one run or experiment directory");
        }
        Map<Path, RunRecord> runs = new LinkedHashMap<>();
        for (Path dir : dirs) {
            for (Path runDir : runDirs(dir)) {
                runs.computeIfAbsent(runDir.toAbsolutePath().normalize(), k -> RunRecord.load(runDir));
            }
        }
        return new ArrayList<>(runs.values());
    }

    /** The run directories at {@code dir}: itself if it is one, else its children that are. */
    public static List<Path> runDirs(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new UserError("no such directory: " + dir);
        }
        if (RunLayout.isRunDir(dir)) {
            return List.of(dir);
        }
        try (Stream<Path> children = Files.list(dir)) {
            List<Path> found = children.filter(Files::isDirectory).filter(RunLayout::isRunDir).sorted().toList();
            if (found.isEmpty()) {
                throw new UserError(dir + " is neither a run directory (no " + RunLayout.METRICS + ") nor an experiment"
                        + " directory (no <variant>-s<seed>/" + RunLayout.METRICS + " inside)");
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** The experiment directory of a path given to compare: the path itself, or a run's parent. */
    public static Path experimentDir(Path dir) {
        Path parent = dir.toAbsolutePath().normalize().getParent();
        return RunLayout.isRunDir(dir) && parent != null ? parent : dir;
    }
}
