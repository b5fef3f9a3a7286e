/** The trainable model: embeddings, pre-LN transformer layers, read-out. */
package attentionlab.models.stack;
