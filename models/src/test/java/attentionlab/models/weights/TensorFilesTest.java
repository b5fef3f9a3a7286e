package attentionlab.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** .npz and .safetensors files: round trips, files written by numpy and to the safetensors spec, errors. */
class TensorFilesTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"w.npz", "w.safetensors"})
    void roundTripKeepsNamesOrderShapesTypesAndValues(String file) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("layers.0.attention.in_proj_weight", m.arange(0f, 6f).reshape(3, 2).div(m.create(3f)));
            tensors.put("out_proj.bias", m.create(new double[] {0.25, -1e-300, 7}));
            tensors.put("scale", m.create(new float[] {2.5f}));
            Path path = dir.resolve(file);
            TensorFiles.write(path, tensors);
            Map<String, NDArray> back = TensorFiles.read(path, m);
            assertThat(back.keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
            tensors.forEach((name, expected) -> {
                NDArray actual = back.get(name);
                assertThat(actual.getShape()).as(name).isEqualTo(expected.getShape());
                assertThat(actual.getDataType()).as(name).isEqualTo(expected.getDataType());
                assertThat(actual.contentEquals(expected)).as(name).isTrue();
            });
            assertThat(tensors.get("scale").getName()).as("the caller's arrays are not renamed").isNull();
        }
    }

    /** A file numpy wrote ({@code make_numpy_fixture.py} in the test resources). */
    @Test
    void readsANpzFileWrittenByNumpy() throws IOException {
        Path path = dir.resolve("numpy_state_dict.npz");
        try (InputStream in = getClass().getResourceAsStream("/weights/numpy_state_dict.npz")) {
            Files.copy(in, path);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = TensorFiles.read(path, m);
            assertThat(tensors.keySet()).containsExactly("in_proj_weight", "out_proj.bias");
            NDArray w = tensors.get("in_proj_weight");
            assertThat(w.getShape()).isEqualTo(new Shape(6, 2));
            assertThat(w.toFloatArray()).containsExactly(0f, 0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f);
            assertThat(tensors.get("out_proj.bias").getDataType()).isEqualTo(DataType.FLOAT64);
            assertThat(tensors.get("out_proj.bias").toDoubleArray()).containsExactly(0.5, -1.5);
        }
    }

    /**
     * Bytes laid out by hand as the safetensors spec says and as the reference writer does it: keys
     * sorted, a {@code __metadata__} entry, the header padded with spaces to a multiple of 8 bytes.
     */
    @Test
    void readsASafetensorsFileLaidOutByTheSpec() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"k_proj.weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"v_proj.bias\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[16,32]}}";
        byte[] json = (header + " ".repeat((8 - header.length() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        data.putFloat(1f).putFloat(-2f).putFloat(3.5f).putFloat(4f).putDouble(0.125).putDouble(-8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        bytes.write(json);
        bytes.write(data.array());
        Path path = dir.resolve("spec.safetensors");
        Files.write(path, bytes.toByteArray());
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> tensors = TensorFiles.read(path, m);
            assertThat(tensors.keySet()).containsExactlyInAnyOrder("k_proj.weight", "v_proj.bias");
            assertThat(tensors.get("k_proj.weight").getShape()).isEqualTo(new Shape(2, 2));
            assertThat(tensors.get("k_proj.weight").toFloatArray()).containsExactly(1f, -2f, 3.5f, 4f);
            assertThat(tensors.get("v_proj.bias").toDoubleArray()).containsExactly(0.125, -8.0);
        }
    }

    @Test
    void anUnknownExtensionIsRejectedWithTheAllowedOnes() {
        Path path = dir.resolve("weights.pt");
        assertThatThrownBy(() -> TensorFiles.read(path, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("weights.pt").hasMessageContaining("'.pt'")
                .hasMessageContaining(".npz, .safetensors");
    }

    @Test
    void malformedContentNamesTheFile() throws IOException {
        Path path = dir.resolve("broken.safetensors");
        Files.write(path, "not a tensor file at all".getBytes(StandardCharsets.UTF_8));
        try (NDManager m = NDManager.newBaseManager()) {
            assertThatThrownBy(() -> TensorFiles.read(path, m)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("broken.safetensors").hasMessageContaining("not a readable .safetensors file");
        }
    }
}
