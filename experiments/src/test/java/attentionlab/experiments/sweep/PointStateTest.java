package attentionlab.experiments.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.layout.RunStatus;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Where a point stands, from its run's status, its lock, a live lab process and Slurm's state (docs/slurm.md's table). */
class PointStateTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                // run status, point locked, experiment held by a live lab, Slurm state -> state
                Arguments.of(null, false, false, null, PointState.NOT_STARTED),      // Ctrl-C before it began
                Arguments.of(null, false, true, null, PointState.PENDING),           // a live lab run will start it
                Arguments.of(null, false, false, "PENDING", PointState.PENDING),
                Arguments.of(null, false, false, "RUNNING", PointState.RUNNING),     // the task's JVM is starting
                Arguments.of(null, true, false, null, PointState.RUNNING),           // its process holds the point
                Arguments.of(null, false, false, "FAILED", PointState.NOT_STARTED),  // the task failed before the run began
                Arguments.of(null, false, false, "CANCELLED", PointState.NOT_STARTED),
                Arguments.of(RunStatus.RUNNING, true, false, null, PointState.RUNNING),
                Arguments.of(RunStatus.RUNNING, false, false, "RUNNING", PointState.RUNNING),
                Arguments.of(RunStatus.RUNNING, false, false, null, PointState.LOST),         // SIGKILL, out of memory
                Arguments.of(RunStatus.RUNNING, false, false, "FAILED", PointState.LOST),     // kill -9 under Slurm
                Arguments.of(RunStatus.UNKNOWN, false, false, null, PointState.LOST),         // meta.json not readable
                Arguments.of(RunStatus.INTERRUPTED, false, false, "CANCELLED", PointState.INTERRUPTED),
                Arguments.of(RunStatus.INTERRUPTED, false, false, "TIMEOUT", PointState.INTERRUPTED),
                Arguments.of(RunStatus.INTERRUPTED, false, false, "PENDING", PointState.PENDING),   // resubmitted
                Arguments.of(RunStatus.INTERRUPTED, true, false, null, PointState.RUNNING),         // being resumed
                Arguments.of(RunStatus.COMPLETED, false, false, "RUNNING", PointState.DONE),        // final before the JVM exits
                Arguments.of(RunStatus.COMPLETED, true, false, null, PointState.DONE),
                Arguments.of(RunStatus.FAILED, false, false, "FAILED", PointState.FAILED),
                Arguments.of(RunStatus.DIVERGED, false, false, null, PointState.DIVERGED),
                Arguments.of(RunStatus.DIVERGED, true, false, null, PointState.RUNNING));           // retried with --point
    }

    @ParameterizedTest
    @MethodSource("cases")
    void stateFollowsTheRunTheLocksAndTheQueue(RunStatus run, boolean locked, boolean queuedByLab, String queue, PointState expected) {
        assertThat(PointState.of(run, locked, queuedByLab, queue)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void resumeActsOnPointsNobodyWillFinish() {
        assertThat(PointState.RESUMABLE).containsExactlyInAnyOrder(PointState.NOT_STARTED, PointState.INTERRUPTED, PointState.LOST);
    }
}
