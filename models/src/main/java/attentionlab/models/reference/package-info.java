/**
 * The obvious forms that fast code is checked against, in one place for tests and claims: the
 * per-head attention loop, explicit N x N quadratic-kernel attention, one relative-error definition,
 * seeded normal samples and parameter lookup by readable name. Nothing here is fast; everything here
 * is written so that it is easy to read as correct.
 */
package attentionlab.models.reference;
