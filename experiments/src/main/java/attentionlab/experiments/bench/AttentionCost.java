package attentionlab.experiments.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * FLOPs and the bytes a forward pass must move, from the shapes, for N queries and N keys of width D
 * and values of width M (one head; a multiply-add is 2 FLOPs).
 * <pre>
 *   softmax:   FLOPs = N^2 (2D + 2M + 5)         QK^T, one scaling pass, softmax (4), weights x V
 *              bytes = 4 (2ND + 2NM) + 4 (4 N^2)  Q, K, V, output; the N x N scores written by QK^T,
 *                                                 read and written by softmax, read by the product with V
 *   quadratic: F = 1 + D + D(D+1)/2, P = D(D+1)/2
 *              FLOPs = N (4FM + 3F + 4P + 2D + 2M)  phi(Q), phi(K); phi(K)^T V, sum phi(K); phi(Q) S,
 *                                                 phi(Q) z; guard and divide
 *              bytes = 4 (2ND + 2NM) + 4 (4NF) + 4 (2FM)  inputs, output; phi(Q), phi(K) written and read
 * </pre>
 * Softmax grows as N^2 and quadratic-linear as N (times F M ~ D^3 / 2 at M = D): the FLOP model's
 * crossover is N* = (4FM + 3F + 4P + 2D + 2M) / (2D + 2M + 5).
 *
 * @param flops floating-point operations of one forward pass
 * @param bytes bytes the forward pass must read and write
 */
public record AttentionCost(double flops, double bytes) {

    private static final int FLOAT = 4;

    public static AttentionCost of(String kernel, double n, double d, double m) {
        return switch (kernel) {
            case "softmax" -> new AttentionCost(n * n * softmaxPerPair(d, m),
                    FLOAT * (2 * n * d + 2 * n * m) + FLOAT * 4 * n * n);
            case "quadratic" -> new AttentionCost(n * quadraticPerToken(d, m),
                    FLOAT * (2 * n * d + 2 * n * m) + FLOAT * 4 * n * features(d) + FLOAT * 2 * features(d) * m);
            default -> throw new IllegalArgumentException("no cost model for kernel '" + kernel
                    + "'; modelled: softmax, quadratic");
        };
    }

    /** The N at which the two FLOP counts are equal (D query/key width, M value width). */
    public static double flopCrossover(double d, double m) {
        return quadraticPerToken(d, m) / softmaxPerPair(d, m);
    }

    /** FLOPs per byte. */
    @JsonProperty("arithmetic_intensity")
    public double arithmeticIntensity() {
        return flops / bytes;
    }

    static double features(double d) {
        return 1 + d + d * (d + 1) / 2;
    }

    private static double softmaxPerPair(double d, double m) {
        return 2 * d + 2 * m + 5;
    }

    private static double quadraticPerToken(double d, double m) {
        double f = features(d);
        double p = d * (d + 1) / 2;
        return 4 * f * m + 3 * f + 4 * p + 2 * d + 2 * m;
    }
}
