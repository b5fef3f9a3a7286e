/**
 * Attention kernels: per-head Q [B,H,N,D], K [B,H,M,D], V [B,H,M,Dv] -> [B,H,N,Dv], one class per
 * kernel, each registered by name in {@link attentionlab.models.kernel.AttentionKernels}.
 */
package attentionlab.models.kernel;
