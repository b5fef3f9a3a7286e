/**
 * Engine-safe helpers for the ops that build autograd graphs: constants and index arrays in memory
 * the engine owns (see {@link attentionlab.models.ops.Scalars} for the DJL defect this avoids).
 */
package attentionlab.models.ops;
