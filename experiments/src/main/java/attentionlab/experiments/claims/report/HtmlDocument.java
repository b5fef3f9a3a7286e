package attentionlab.experiments.claims.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/** report.html: one self-contained file, figures inlined as data URIs, no scripts, no network. */
final class HtmlDocument implements Document {

    private final StringBuilder body = new StringBuilder();
    private final String title;

    HtmlDocument(String title) {
        this.title = title;
    }

    @Override
    public void heading(int level, String text, String anchor) {
        body.append("<h").append(level).append(anchor == null ? "" : " id=\"" + escape(anchor) + "\"").append('>')
                .append(inline(text)).append("</h").append(level).append(">\n");
    }

    @Override
    public void paragraph(String text) {
        body.append("<p>").append(inline(text)).append("</p>\n");
    }

    @Override
    public void labelled(String label, String text) {
        body.append("<p><b>").append(escape(label)).append("</b> ").append(inline(text)).append("</p>\n");
    }

    @Override
    public void table(List<String> headers, List<List<String>> rows) {
        body.append("<table>\n<tr>");
        headers.forEach(h -> body.append("<th>").append(inline(h)).append("</th>"));
        body.append("</tr>\n");
        for (List<String> row : rows) {
            body.append("<tr>");
            row.forEach(c -> body.append("<td>").append(inline(c)).append("</td>"));
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    @Override
    public void bullets(List<String> items) {
        body.append("<ul>\n");
        items.forEach(i -> body.append("<li>").append(inline(i)).append("</li>\n"));
        body.append("</ul>\n");
    }

    @Override
    public void figure(Path file, String relative, String caption) {
        try {
            String data = Base64.getEncoder().encodeToString(Files.readAllBytes(file));
            body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,").append(data)
                    .append("\"><figcaption>").append(escape(caption)).append(" (").append(escape(relative))
                    .append(")</figcaption></figure>\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inline figure " + file, e);
        }
    }

    // Markers the other methods turn into HTML after escaping: verdict badges and in-page links.
    private static final String OPEN = "\u0001";
    private static final String CLOSE = "\u0002";

    @Override
    public String verdict(String verdict) {
        return OPEN + "v:" + verdict + CLOSE;
    }

    @Override
    public String link(String text, String anchor) {
        return OPEN + "a:" + anchor + ":" + text + CLOSE;
    }

    /** Escapes text, then expands the verdict and link markers. */
    private static String inline(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int open = text.indexOf(OPEN, at);
            if (open < 0) {
                out.append(escape(text.substring(at)));
                return out.toString();
            }
            int close = text.indexOf(CLOSE, open);
            out.append(escape(text.substring(at, open)));
            String marker = text.substring(open + 1, close);
            if (marker.startsWith("v:")) {
                String v = marker.substring(2);
                out.append("<span class=\"verdict ").append(escape(v)).append("\">").append(escape(v)).append("</span>");
            } else {
                String[] parts = marker.substring(2).split(":", 2);
                out.append("<a href=\"#").append(escape(parts[0])).append("\">").append(escape(parts[1])).append("</a>");
            }
            at = close + 1;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    public String render() {
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title) + "</title>\n<style>\n"
                + "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}\n"
                + "table{border-collapse:collapse;margin:1em 0;font-size:0.92em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}\n"
                + "th{background:#f3f3f3}.verdict{font-weight:bold;padding:1px 6px;border-radius:3px}\n"
                + ".holds{background:#d8f0dc;color:#185c25}.fails{background:#f8d7d7;color:#8a1c1c}.not-run{background:#fbeccc;color:#7a5200}\n"
                + "figure{margin:1em 0}img{max-width:100%;border:1px solid #eee}figcaption{font-size:0.85em;color:#555}\n"
                + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }
}
