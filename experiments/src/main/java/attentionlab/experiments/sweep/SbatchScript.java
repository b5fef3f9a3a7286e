package attentionlab.experiments.sweep;

import java.nio.file.Path;

/**
 * The job-array script of a sweep: one array task per point; task i runs {@code ./lab resume
 * EXPERIMENT_DIR --point i} in the checkout, which starts the point or continues it from its newest
 * checkpoint. The task refuses to run another build than the one submitted (its hash) and never builds
 * ({@code LAB_NO_BUILD=1}); the engine gets the CPUs Slurm allocated ({@code SLURM_CPUS_PER_TASK}, which
 * Slurm sets only with {@code --cpus-per-task}; else one). Paths are written into the script, so it
 * runs the same way when resubmitted with another {@code --array}.
 */
final class SbatchScript {

    private SbatchScript() {}

    static String text(String experiment, Path experimentDir, Path labHome, Slurm.Options options) {
        Path slurm = experimentDir.resolve(Slurm.DIR);
        StringBuilder b = new StringBuilder("#!/bin/bash\n");
        b.append("#SBATCH --job-name=lab-").append(experiment).append('\n');
        b.append("#SBATCH --output=").append(slurm.resolve("%A_%a.out")).append('\n');
        if (options.partition() != null) {
            b.append("#SBATCH --partition=").append(options.partition()).append('\n');
        }
        if (options.time() != null) {
            b.append("#SBATCH --time=").append(options.time()).append('\n');
        }
        if (options.cpusPerTask() != null) {
            b.append("#SBATCH --cpus-per-task=").append(options.cpusPerTask()).append('\n');
        }
        options.extra().forEach(o -> b.append("#SBATCH ").append(o).append('\n'));
        b.append("""
                # Written by lab sweep submit. One array task per point of manifest.json: task i starts point i or
                # continues it from its newest checkpoint, with the build whose hash is in jar.sha256 (never building).
                # Resubmit what did not complete with: lab sweep submit --resume EXPERIMENT_DIR
                set -euo pipefail
                """);
        b.append("experiment=").append(quote(experimentDir.toString())).append('\n');
        b.append("lab_home=").append(quote(labHome.toString())).append('\n');
        b.append("""
                i="${SLURM_ARRAY_TASK_ID:?submit this script with sbatch --array}"
                cd "$lab_home"
                if ! sha256sum --check --status "$experiment/slurm/jar.sha256"; then
                  echo "sweep: the jar in $lab_home changed since the sweep was submitted; points would mix builds" >&2
                  exit 2
                fi
                threads="${SLURM_CPUS_PER_TASK:-1}"
                export LAB_JAVA_OPTS="${LAB_JAVA_OPTS:-} -Dai.djl.pytorch.num_threads=$threads -Dai.djl.pytorch.num_interop_threads=1"
                export LAB_NO_BUILD=1
                echo "sweep: point $i (job ${SLURM_ARRAY_JOB_ID}_$i, $threads engine thread(s) on $(hostname))"
                exec ./lab resume "$experiment" --point "$i"
                """);
        return b.toString();
    }

    /** A shell word in single quotes. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
