/**
 * Incremental decoding (homework 4): {@link attentionlab.models.decode.CachedSelfAttention} appends tokens to a
 * {@link attentionlab.models.decode.DecodeState}, a preallocated {@link attentionlab.models.decode.KvCache} for
 * kernels that weigh keys explicitly or a fixed-size {@link attentionlab.models.decode.RecurrentState} for
 * linear attention; {@link attentionlab.models.decode.DecodeCost} counts a softmax step's FLOPs and bytes.
 */
package attentionlab.models.decode;
