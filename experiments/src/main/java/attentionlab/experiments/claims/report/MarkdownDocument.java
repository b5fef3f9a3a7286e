package attentionlab.experiments.claims.report;

import java.nio.file.Path;
import java.util.List;

/** report.md: GitHub-flavoured Markdown; figures referenced by relative path. */
final class MarkdownDocument implements Document {

    private final StringBuilder md = new StringBuilder();

    @Override
    public void heading(int level, String text, String anchor) {
        md.append("#".repeat(level)).append(' ').append(text).append("\n\n");
    }

    @Override
    public void paragraph(String text) {
        md.append(text).append("\n\n");
    }

    @Override
    public void labelled(String label, String text) {
        md.append("**").append(label).append("** ").append(text).append("\n\n");
    }

    @Override
    public void table(List<String> headers, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", headers.stream().map(MarkdownDocument::cell).toList())).append(" |\n|");
        headers.forEach(h -> md.append("---|"));
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row.stream().map(MarkdownDocument::cell).toList())).append(" |\n");
        }
        md.append('\n');
    }

    @Override
    public void bullets(List<String> items) {
        items.forEach(i -> md.append("- ").append(i).append('\n'));
        md.append('\n');
    }

    @Override
    public void figure(Path file, String relative, String caption) {
        md.append("![").append(caption).append("](").append(relative).append(")\n\n");
    }

    @Override
    public String verdict(String verdict) {
        return "**" + verdict + "**";
    }

    @Override
    public String link(String text, String anchor) {
        return "[" + text + "](#" + anchor + ")";
    }

    private static String cell(String s) {
        return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
    }

    @Override
    public String render() {
        return md.toString();
    }
}
