/** Multi-head attention: the projections W_q, W_k, W_v, W_o and the head split/merge around a kernel. */
package attentionlab.models.attention;
