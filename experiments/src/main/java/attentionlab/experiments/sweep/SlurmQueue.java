package attentionlab.experiments.sweep;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What Slurm says about a sweep's array tasks: per point index, the state of its newest task. From
 * {@code squeue -t all} (pending, running, and finished tasks for MinJobAge, 300 s by default) and,
 * for tasks squeue has forgotten, {@code sacct} when the cluster keeps accounting (it exits non-zero
 * without it, and is then ignored). Later submissions override earlier ones; within one, the task with
 * the largest own job id is the newest (a requeued task gets a new one).
 */
final class SlurmQueue {

    private SlurmQueue() {}

    /** Point index -> newest Slurm state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...); empty without Slurm. */
    static Map<Integer, String> states(Path experimentDir) {
        List<String> jobs = Slurm.jobs(experimentDir);
        Map<Integer, String> states = new TreeMap<>();
        if (jobs.isEmpty()) {
            return states;
        }
        for (String job : jobs) {
            Map<Integer, String> fromSacct = Commands.onPath("sacct") ? sacct(job) : Map.of();
            Map<Integer, String> fromSqueue = Commands.onPath("squeue") ? squeue(job) : Map.of();
            states.putAll(fromSacct);
            states.putAll(fromSqueue); // squeue is current; sacct may lag behind it
        }
        return states;
    }

    /** {@code squeue -h -t all -r -j JOB -o '%K %A %T'}: array index, the task's own job id, state. */
    private static Map<Integer, String> squeue(String job) {
        Commands.Output out = Commands.run(List.of("squeue", "-h", "-t", "all", "-r", "-j", job, "-o", "%K %A %T"), 30);
        Map<Integer, String> states = new HashMap<>();
        Map<Integer, Long> newest = new HashMap<>();
        if (!out.ok()) {
            return states; // e.g. "Invalid job id specified" once the job has left squeue's memory
        }
        for (String line : out.out().lines().toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].matches("\\d+") && f[1].matches("\\d+")) {
                int index = Integer.parseInt(f[0]);
                long id = Long.parseLong(f[1]);
                if (id >= newest.getOrDefault(index, -1L)) {
                    newest.put(index, id);
                    states.put(index, f[2]);
                }
            }
        }
        return states;
    }

    /** {@code sacct -X -n -P -j JOB --format=JobID,State}: lines {@code 12_3|COMPLETED}; ranges of pending tasks are skipped. */
    private static Map<Integer, String> sacct(String job) {
        Commands.Output out = Commands.run(List.of("sacct", "-X", "-n", "-P", "-j", job, "--format=JobID,State"), 30);
        Map<Integer, String> states = new HashMap<>();
        if (!out.ok()) {
            return states; // "Slurm accounting storage is disabled"
        }
        for (String line : out.out().lines().toList()) {
            String[] f = line.trim().split("\\|");
            if (f.length >= 2 && f[0].matches(job + "_\\d+")) {
                states.put(Integer.parseInt(f[0].substring(job.length() + 1)), f[1].split("\\s+")[0]);
            }
        }
        return states;
    }
}
