package attentionlab.experiments.plot;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes XChart's SVG (written by VectorGraphics2D) a few times smaller without changing the picture:
 * XChart draws a curve as one {@code <line>} element per segment, with the full style each time, and
 * writes coordinates with 15 digits. Here consecutive segments of one style that join end to start
 * become one {@code <path>}, and every number is rounded to 2 decimals (a hundredth of a pixel).
 */
final class SvgCompaction {

    private static final Pattern LINE = Pattern.compile(
            "<line style=\"([^\"]*)\" x1=\"([^\"]*)\" x2=\"([^\"]*)\" y1=\"([^\"]*)\" y2=\"([^\"]*)\"/>");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+\\.\\d{3,}");

    private SvgCompaction() {}

    static String compact(String svg) {
        return roundNumbers(joinLines(svg));
    }

    /** Runs of {@code <line>} elements, separated by white space only, of one style and joined end to start. */
    static String joinLines(String svg) {
        Matcher m = LINE.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length());
        int copied = 0;
        String style = null;
        String endX = null;
        String endY = null;
        StringBuilder path = null;
        while (m.find()) {
            String between = svg.substring(copied, m.start());
            boolean continues = path != null && between.isBlank() && m.group(1).equals(style)
                    && m.group(2).equals(endX) && m.group(4).equals(endY);
            if (continues) {
                path.append(" L").append(m.group(3)).append(',').append(m.group(5));
            } else {
                flush(out, path, style);
                out.append(between);
                style = m.group(1);
                path = new StringBuilder("M").append(m.group(2)).append(',').append(m.group(4)).append(" L")
                        .append(m.group(3)).append(',').append(m.group(5));
            }
            endX = m.group(3);
            endY = m.group(5);
            copied = m.end();
        }
        flush(out, path, style);
        return out.append(svg, copied, svg.length()).toString();
    }

    private static void flush(StringBuilder out, StringBuilder path, String style) {
        if (path != null) {
            out.append("<path style=\"").append(style).append("\" d=\"").append(path).append("\"/>");
        }
    }

    /** Every decimal number with more than two decimals, rounded to two. */
    static String roundNumbers(String svg) {
        Matcher m = NUMBER.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length());
        while (m.find()) {
            double v = Double.parseDouble(m.group());
            String rounded = java.math.BigDecimal.valueOf(Math.round(v * 100) / 100.0).stripTrailingZeros().toPlainString();
            m.appendReplacement(out, rounded.equals("-0") ? "0" : rounded);
        }
        m.appendTail(out);
        return out.toString();
    }
}
