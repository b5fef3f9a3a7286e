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

    /** Longest user value echoed whole in a message; longer ones are clipped by {@link #clip}. */
    public static final int MAX_ECHO = 80;

    /**
     * A user's value as messages show it: whole up to {@value #MAX_ECHO} characters, else its start and
     * its length ({@code "aaaa... (100092 characters)"}), and never more than one line.
     */
    public static String clip(String s) {
        if (s == null) {
            return "null";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        if (line.length() <= MAX_ECHO && nl < 0) {
            return line;
        }
        return line.substring(0, Math.min(line.length(), MAX_ECHO / 2)) + "... (" + s.length() + " characters)"; // short enough to pass a second clip as is
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
