/**
 * Weights in PyTorch's names and layout ({@link attentionlab.models.weights.PyTorchWeights}) and the .npz /
 * .safetensors files they travel in ({@link attentionlab.models.weights.TensorFiles}); see docs/weights.md.
 */
package attentionlab.models.weights;
