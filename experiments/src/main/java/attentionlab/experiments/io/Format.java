package attentionlab.experiments.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How numbers are printed in tables and reports: one place, so every table reads the same. */
public final class Format {

    private Format() {}

    /** Four significant digits, trailing zeros dropped, exponent form only below 1e-3 or from 1e6; "n/a" if not finite. */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "n/a" : (v > 0 ? "inf" : "-inf");
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        return new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** Numbers joined as "[a, b, c]". */
    public static String numbers(double... values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ", ").append(number(values[i]));
        }
        return s.append(']').toString();
    }
}
