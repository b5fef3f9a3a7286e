package attentionlab.experiments.bench;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one executed ATen op costs, from the input shapes PyTorch's profiler recorded (see
 * {@link OpProfile}). A multiply-add is 2 FLOPs; elements are counted as float32 (4 bytes: masks are
 * 1-byte booleans and are slightly over-counted). Shapes: A [m,k], B [k,n], batched [b,m,k] x [b,k,n].
 * <pre>
 *   mm, matmul's 2-d case     A [m,k] x B [k,n]        FLOPs 2 m k n          read mk + kn, write mn
 *   bmm                       [b,m,k] x [b,k,n]        FLOPs 2 b m k n        read b(mk + kn), write bmn
 *   addmm, baddbmm            C + A B                  FLOPs 2 (b) m k n + (b) m n  read C too
 *   elementwise (mul, div, add, sub, exp, pow, maximum, where, comparisons, masked_fill, ...,
 *     in place or not)        output = broadcast of the tensor inputs   FLOPs 1 per output element,
 *                                                      read every input, write the output
 *   reductions (sum, mean, amax, max, cumsum, ...)     FLOPs 1 per input element, read the input,
 *                                                      write what the op allocated (cumsum: the input's size)
 *   _softmax (and backward)   FLOPs 4 per element (max, exp(x - max), sum, divide), read and write each
 *   copies (copy_, cat, index, gather, flip, fill_, zero_, ...)   FLOPs 0; bytes read and written
 *   views, allocations without a fill, dtype queries   FLOPs 0, bytes 0
 *   composites (matmul, linear, softmax, square, clone, to, reshape, autograd nodes, ...) cost
 *     nothing themselves: their nested ops are counted
 * </pre>
 * An op in none of these lists is reported as unaccounted (a new op must get a formula before its
 * cost can be hidden from a count), and so is a compute composite (matmul, linear, einsum, softmax,
 * square) whose nested ops were not recorded.
 */
public final class OpCosts {

    private OpCosts() {}

    /** How an op is counted. */
    enum Kind { PRODUCT, ELEMENTWISE, REDUCTION, SOFTMAX, COPY, FILL, FREE, COMPOSITE, COMPUTE_COMPOSITE }

    private static final Map<String, Kind> KINDS = Stream.of(
            names(Kind.PRODUCT, "mm", "bmm", "addmm", "baddbmm"),
            names(Kind.ELEMENTWISE, "add", "add_", "sub", "sub_", "rsub", "mul", "mul_", "div", "div_", "neg", "neg_", "exp", "exp_",
                    "log", "log_", "pow", "pow_", "sqrt", "rsqrt", "maximum", "minimum", "clamp", "clamp_", "clamp_min", "clamp_min_",
                    "clamp_max", "clamp_max_", "where", "eq", "ne", "lt", "le", "gt", "ge", "masked_fill", "masked_fill_", "sigmoid",
                    "relu", "relu_", "elu", "elu_", "abs", "sign", "reciprocal", "tanh", "logical_and", "logical_or", "logical_not",
                    "threshold_backward", "elu_backward", "sigmoid_backward", "tanh_backward", "addcmul", "addcmul_", "addcdiv",
                    "addcdiv_", "lerp_", "sgn", "bitwise_and", "bitwise_or", "bitwise_not"),
            names(Kind.REDUCTION, "sum", "mean", "amax", "amin", "max", "min", "argmax", "argmin", "cumsum", "logsumexp", "norm",
                    "linalg_vector_norm", "prod", "all", "any", "var", "std"),
            names(Kind.SOFTMAX, "_softmax", "_log_softmax", "_softmax_backward_data", "_log_softmax_backward_data"),
            names(Kind.COPY, "copy_", "cat", "index", "index_select", "gather", "scatter", "scatter_", "scatter_add", "scatter_add_",
                    "index_put_", "_index_put_impl_", "index_add_", "index_copy_", "flip", "roll", "narrow_copy", "masked_select",
                    "take", "embedding", "embedding_dense_backward", "slice_backward", "select_backward", "tril", "triu", "one_hot"),
            names(Kind.FILL, "fill_", "zero_", "arange", "normal_", "uniform_", "random_", "bernoulli_", "resize_"),
            names(Kind.FREE, "view", "_reshape_alias", "_unsafe_view", "as_strided", "expand", "slice", "select", "narrow",
                    "transpose", "t", "permute", "squeeze", "unsqueeze", "alias", "detach", "detach_", "resolve_conj", "resolve_neg",
                    "result_type", "empty", "empty_strided", "empty_like", "new_empty_strided", "unbind", "split", "split_with_sizes", "chunk",
                    "lift_fresh", "numpy_T", "expand_as", "view_as", "unflatten", "flatten", "_has_compatible_shallow_copy_type",
                    "is_nonzero", "item", "_local_scalar_dense", "set_", "requires_grad_", "_to_dense", "movedim", "swapaxes"),
            names(Kind.COMPUTE_COMPOSITE, "matmul", "linear", "einsum", "softmax", "log_softmax", "square", "dot", "tensordot"),
            names(Kind.COMPOSITE, "to", "_to_copy", "clone", "contiguous", "reshape", "ones", "zeros", "full", "ones_like",
                    "zeros_like", "full_like", "new_zeros", "new_ones", "new_empty", "new_full", "repeat", "stack", "hstack",
                    "expand_copy", "randn", "rand", "normal", "randint", "scalar_tensor", "type_as", "broadcast_to",
                    "sum_to_size", "_sum_to_size", "index_put", "repeat_interleave", "tile", "reshape_as", "concat",
                    "concatenate"))
            .flatMap(m -> m.entrySet().stream())
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));

    private static Map<String, Kind> names(Kind kind, String... ops) {
        return Stream.of(ops).collect(Collectors.toMap(op -> "aten::" + op, op -> kind, (a, b) -> a));
    }

    /** The kind of an op by its profiler name; null when none is known (unaccounted). */
    static Kind kind(String name) {
        Kind kind = KINDS.get(name);
        if (kind != null) {
            return kind;
        }
        if (name.startsWith("autograd::") || name.endsWith("Backward0") || name.endsWith("Backward1")
                || name.equals("torch::autograd::AccumulateGrad") || name.equals("detach")) {
            return Kind.COMPOSITE; // autograd's nodes: the ATen ops they call are recorded inside them
        }
        return null;
    }

    /** Whether an op of this kind has a cost of its own (then its nested ops are not counted again). */
    static boolean counted(Kind kind) {
        return kind == Kind.PRODUCT || kind == Kind.ELEMENTWISE || kind == Kind.REDUCTION || kind == Kind.SOFTMAX
                || kind == Kind.COPY || kind == Kind.FILL;
    }

    /**
     * FLOPs, bytes read and bytes written of one op.
     *
     * @param shapes the recorded input shapes ([] for a scalar or a list of tensors, which the profiler does not record)
     * @param allocatedBytes what the op allocated ("cpu mem"), used where the output's shape is not recorded
     * @return {flops, bytesRead, bytesWritten}
     */
    static double[] cost(Kind kind, String name, List<long[]> shapes, long allocatedBytes) {
        List<long[]> tensors = shapes.stream().filter(s -> s.length > 0).toList();
        double in = tensors.stream().mapToDouble(OpCosts::elements).sum();
        return switch (kind) {
            case PRODUCT -> product(name, tensors);
            case ELEMENTWISE -> {
                double out = elements(broadcast(tensors));
                yield new double[] {out, 4 * in, 4 * out};
            }
            case REDUCTION -> new double[] {in, 4 * in, name.equals("aten::cumsum") ? 4 * in : allocatedBytes};
            case SOFTMAX -> new double[] {4 * elements(first(tensors)), 4 * in, 4 * elements(first(tensors))};
            case COPY -> name.equals("aten::copy_") && tensors.size() >= 2
                    ? new double[] {0, 4 * elements(tensors.get(1)), 4 * elements(tensors.get(0))}
                    : new double[] {0, tensors.isEmpty() ? allocatedBytes : 4 * in, Math.max(allocatedBytes, 4 * elements(first(tensors)))};
            case FILL -> new double[] {0, 0, Math.max(allocatedBytes, 4 * elements(first(tensors)))};
            default -> new double[] {0, 0, 0};
        };
    }

    /** mm [m,k] x [k,n]; bmm [b,m,k] x [b,k,n]; addmm / baddbmm: C + A B. */
    private static double[] product(String name, List<long[]> t) {
        boolean add = name.equals("aten::addmm") || name.equals("aten::baddbmm");
        long[] a = t.get(add ? 1 : 0);
        long[] b = t.get(add ? 2 : 1);
        double batch = a.length == 3 ? a[0] : 1;
        double m = a[a.length - 2];
        double k = a[a.length - 1];
        double n = b[b.length - 1];
        double out = batch * m * n;
        double flops = 2 * batch * m * k * n + (add ? out : 0);
        double read = elements(a) + elements(b) + (add ? elements(t.get(0)) : 0);
        return new double[] {flops, 4 * read, 4 * out};
    }

    private static long[] first(List<long[]> tensors) {
        return tensors.isEmpty() ? new long[0] : tensors.get(0);
    }

    static double elements(long[] shape) {
        double e = 1;
        for (long s : shape) {
            e *= s;
        }
        return shape.length == 0 ? 0 : e;
    }

    /** NumPy broadcasting of the shapes (aligned at the last axis). */
    static long[] broadcast(List<long[]> shapes) {
        int rank = shapes.stream().mapToInt(s -> s.length).max().orElse(0);
        long[] out = new long[rank];
        java.util.Arrays.fill(out, 1);
        for (long[] s : shapes) {
            for (int i = 0; i < s.length; i++) {
                int j = rank - s.length + i;
                out[j] = Math.max(out[j], s[i]);
            }
        }
        return out;
    }

    /** The known op names (for tests). */
    static Set<String> known() {
        return KINDS.keySet();
    }
}
