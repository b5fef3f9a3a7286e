package attentionlab.experiments.claims.report;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A report written once, as GitHub-flavoured Markdown (report.md); {@link MarkdownHtml} renders the
 * same text as self-contained HTML (report.html). Text may hold Markdown (links, bold); a {@code <}
 * that would start an HTML tag is escaped, so text shows as written in both.
 */
final class Document {

    private static final Pattern TAG_START = Pattern.compile("<(?=[A-Za-z/!?])");

    private final StringBuilder md = new StringBuilder();

    /** A heading; {@code anchor}, if not null, is its id for in-page links (an empty HTML anchor before it). */
    void heading(int level, String text, String anchor) {
        if (anchor != null) {
            md.append("<a id=\"").append(anchor).append("\"></a>\n\n");
        }
        md.append("#".repeat(level)).append(' ').append(text(text)).append("\n\n");
    }

    void paragraph(String text) {
        md.append(text(text)).append("\n\n");
    }

    /** A paragraph whose leading label is emphasised: "**label** text". */
    void labelled(String label, String text) {
        md.append("**").append(text(label)).append("** ").append(text(text)).append("\n\n");
    }

    void table(List<String> headers, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", headers.stream().map(Document::cell).toList())).append(" |\n|");
        headers.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row.stream().map(Document::cell).toList())).append(" |\n");
        }
        md.append('\n');
    }

    void bullets(List<String> items) {
        items.forEach(i -> md.append("- ").append(text(i)).append('\n'));
        md.append('\n');
    }

    /** A figure file (PNG) with a caption; {@code relative} is its path relative to the report (HTML inlines the file). */
    void figure(Path file, String relative, String caption) {
        md.append("![").append(text(caption)).append("](").append(relative).append(")\n*").append(text(caption))
                .append("* (").append(relative).append(")\n\n");
    }

    /** A short inline verdict marker for tables: bold text, which the HTML colours by verdict. */
    String verdict(String verdict) {
        return "**" + verdict + "**";
    }

    /** A link to a section of this report. */
    String link(String text, String anchor) {
        return "[" + text + "](#" + anchor + ")";
    }

    String render() {
        return md.toString();
    }

    private static String text(String s) {
        return s == null ? "" : TAG_START.matcher(s).replaceAll("\\\\<");
    }

    private static String cell(String s) {
        return text(s).replace("|", "\\|").replace("\n", " ");
    }
}
