package attentionlab.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Named tensors in the two files PyTorch users exchange weights in, chosen by the file's extension:
 * <ul>
 *   <li>{@code .npz}: numpy's zip of {@code name.npy} arrays ({@code np.savez(path, **state_dict)});</li>
 *   <li>{@code .safetensors}: an 8-byte little-endian header length, a JSON header mapping each name
 *       to its dtype, shape and data offsets, then the raw little-endian data
 *       ({@code safetensors.torch.save_file(state_dict, path)}).</li>
 * </ul>
 * Both are read and written by DJL's own {@link NDList#decode(NDManager, InputStream)} and
 * {@link NDList#encode(OutputStream, NDList.Encoding)}; this class adds the names as map keys and
 * one-line errors that name the file.
 */
public final class TensorFiles {

    /** The file extensions understood, with their dot. */
    public static final String NPZ = ".npz";
    public static final String SAFETENSORS = ".safetensors";

    private TensorFiles() {}

    /**
     * Reads every tensor of the file, in file order, onto {@code manager}.
     *
     * @throws IllegalArgumentException if the extension is neither .npz nor .safetensors, the content
     *     is malformed, or a tensor has no name or a repeated one
     * @throws IOException if the file cannot be read
     */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        encoding(file);
        NDList list;
        try (InputStream in = Files.newInputStream(file)) {
            list = NDList.decode(manager, in);
        } catch (RuntimeException e) { // DJL reports malformed content with assorted unchecked exceptions
            throw new IllegalArgumentException(file + ": not a readable " + extension(file) + " file (" + e.getMessage() + ")", e);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (NDArray array : list) {
            String name = array.getName();
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException(file + ": a tensor of shape " + array.getShape() + " has no name");
            }
            if (tensors.put(name, array) != null) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' appears twice");
            }
        }
        return tensors;
    }

    /**
     * Writes the tensors under their map keys (copies are named, the arrays passed in are not touched).
     *
     * @throws IllegalArgumentException if the extension is neither .npz nor .safetensors
     * @throws IOException if the file cannot be written
     */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        NDList.Encoding encoding = encoding(file);
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException(file + ": no tensors to write");
        }
        try (NDManager scratch = tensors.values().iterator().next().getManager().newSubManager()) {
            NDList named = new NDList();
            tensors.forEach((name, array) -> {
                NDArray copy = array.duplicate();
                copy.attach(scratch);
                copy.setName(name);
                named.add(copy);
            });
            try (OutputStream out = Files.newOutputStream(file)) {
                named.encode(out, encoding);
            }
        }
    }

    private static NDList.Encoding encoding(Path file) {
        return switch (extension(file)) {
            case NPZ -> NDList.Encoding.NPZ;
            case SAFETENSORS -> NDList.Encoding.SAFETENSORS;
            default -> throw new IllegalArgumentException(file + ": unknown weights file type '" + extension(file)
                    + "'; allowed: " + NPZ + ", " + SAFETENSORS);
        };
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot).toLowerCase(Locale.ROOT);
    }
}
