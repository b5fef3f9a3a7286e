package attentionlab.experiments.compare;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Comparison#run} wrote.
 *
 * @param figures metric -> its PNG (an SVG with the same base name sits next to it)
 * @param eventFiles TensorBoard event files (empty unless asked for)
 */
public record CompareResult(Path outDir, List<RunGroup> groups, Map<String, Path> figures, Path summary,
                            List<Path> eventFiles) {}
