package attentionlab.experiments.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The user's own sequences from a CSV file: vocabulary, layout, split, and bad rows named by file, line and column. */
class SequenceFileTaskTest {

    @TempDir
    Path dir;

    SequenceFileTask task(String csv, int val) throws Exception {
        Path file = Files.writeString(dir.resolve("data.csv"), csv);
        return new SequenceFileTask(new SequenceFileConfig("sequence-file", file.toString(), val));
    }

    /** Vocabulary d b c a (first appearance); L_in = 3, L_out = 2; PAD 4, SEP 5, SLOT 6. */
    @Test
    void rowsBecomeInputPaddingSeparatorAndLabelledSlots() throws Exception {
        SequenceFileTask task = task("input,target\nd b c,b c\na,a\n\"c  b\",b\n", 1);
        assertThat(task.vocabulary()).containsExactly("d", "b", "c", "a");
        assertThat(task.length()).isEqualTo(6);
        assertThat(task.inputVocab()).isEqualTo(7);
        assertThat(task.outputVocab()).isEqualTo(4);
        Examples train = task.training(0);
        assertThat(train.count()).isEqualTo(2);
        assertThat(train.tokensOf(0)).containsExactly(0, 1, 2, 5, 6, 6);
        assertThat(train.labelsOf(0)).containsExactly(-1, -1, -1, -1, 1, 2);
        assertThat(train.tokensOf(1)).containsExactly(3, 4, 4, 5, 6, 6);
        assertThat(train.labelsOf(1)).containsExactly(-1, -1, -1, -1, 3, -1);
        Examples val = task.validation();
        assertThat(val.count()).isEqualTo(1);
        assertThat(val.tokensOf(0)).containsExactly(2, 1, 4, 5, 6, 6);
        assertThat(task.training(7).tokens()).isEqualTo(train.tokens()); // the seed only orders batches
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("source,target\na,a\nb,b\n", List.of("line 1", "no column 'input'")),
                Arguments.of("input,target\na,a\nb\nc,c\n", List.of("line 3", "1 cells", "2 columns")),
                Arguments.of("input,target\na,a\n\nb, \nc,c\n", List.of("line 4", "column 'target'", "empty")),
                Arguments.of("input,target\n\"a\nb\",a\n ,b\nc,c\n", List.of("line 4", "column 'input'", "empty")),
                Arguments.of("input,target\n", List.of("no rows")));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void badRowsNameTheFileTheLineAndTheColumn(String csv, List<String> fragments) throws Exception {
        assertThatThrownBy(() -> task(csv, 1)).isInstanceOf(UserError.class).satisfies(e -> {
            assertThat(e.getMessage()).contains(dir.resolve("data.csv").toString()).doesNotContain("\n");
            fragments.forEach(f -> assertThat(e.getMessage()).contains(f));
        });
    }

    @Test
    void aMissingFileOrTooManyValidationRowsIsAUserError() throws Exception {
        assertThatThrownBy(() -> new SequenceFileTask(new SequenceFileConfig("sequence-file", dir.resolve("nope.csv").toString(), 1)))
                .isInstanceOf(UserError.class).hasMessageContaining("task.path").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> task("input,target\na,a\nb,b\n", 2)).isInstanceOf(UserError.class)
                .hasMessageContaining("task.val_examples: 2").hasMessageContaining("1 to 1");
    }

    @Test
    void theExampleFileReadsAsSortedLetters() {
        SequenceFileTask task = new SequenceFileTask(new SequenceFileConfig("sequence-file",
                Path.of("../configs/data/sort-letters.csv").toAbsolutePath().toString(), 200));
        assertThat(task.vocabulary()).hasSize(8);
        assertThat(task.training(0).count()).isEqualTo(1000);
        Examples val = task.validation();
        for (int e = 0; e < val.count(); e++) {
            int[] x = Arrays.stream(Arrays.copyOf(val.tokensOf(e), 6)).filter(t -> t < 8).map(t -> task.vocabulary().get(t).charAt(0)).sorted().toArray();
            int[] y = Arrays.stream(val.labelsOf(e)).filter(t -> t >= 0).map(t -> task.vocabulary().get(t).charAt(0)).toArray();
            assertThat(y).isEqualTo(x);
        }
    }
}
