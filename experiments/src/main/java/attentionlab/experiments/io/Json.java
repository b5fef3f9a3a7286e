package attentionlab.experiments.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** The one JSON mapper of the project: pretty-printed, written atomically (temp file + move). */
public final class Json {

    public static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /**
     * Writes {@code value} to {@code file} so that readers never see a half-written file ({@link AtomicFiles}).
     *
     * @throws UncheckedIOException "cannot write FILE: CAUSE", nothing left behind
     */
    public static void write(Path file, Object value) {
        AtomicFiles.write(file, bytes(value));
    }

    /** The JSON text of {@code value}, as {@link #write} writes it. */
    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public static <T> T read(Path file, Class<T> type) {
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
