package attentionlab.experiments.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.core.UserError;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryTest {

    @TempDir
    Path root;

    @Test
    void directoriesAreNamedByTimeAndNeverReused() throws Exception {
        LocalDateTime t = LocalDateTime.of(2026, 1, 2, 3, 4, 5);
        Path first = OutputDirectory.create(root, t);
        Files.writeString(first.resolve("keep.txt"), "x");
        Path second = OutputDirectory.create(root, t);
        Path third = OutputDirectory.create(root, t);
        assertThat(List.of(first, second, third)).extracting(p -> p.getFileName().toString())
                .containsExactly("20260102-030405", "20260102-030405-1", "20260102-030405-2");
        assertThat(first.resolve("keep.txt")).hasContent("x");
    }

    @Test
    void aParentThatCannotHoldDirectoriesIsAUserError() throws Exception {
        Path file = Files.writeString(root.resolve("file"), "x");
        assertThatThrownBy(() -> OutputDirectory.create(file.resolve("sub")))
                .isInstanceOf(UserError.class).hasMessageContaining("cannot create a directory under " + file.resolve("sub"));
    }
}
