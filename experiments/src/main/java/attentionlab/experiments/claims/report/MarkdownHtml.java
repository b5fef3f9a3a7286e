package attentionlab.experiments.claims.report;

import attentionlab.experiments.claims.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Image;
import org.commonmark.node.Node;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.AttributeProvider;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * report.html from report.md with commonmark (GFM tables): one self-contained file, figures inlined as
 * data URIs, verdicts coloured, no scripts, no network.
 */
final class MarkdownHtml {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Set<String> VERDICTS = Arrays.stream(Verdict.values()).map(Verdict::label).collect(Collectors.toSet());

    private static final String STYLE = "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1100px;margin:2em auto;"
            + "padding:0 1em;color:#222;line-height:1.45}\n"
            + "table{border-collapse:collapse;margin:1em 0;font-size:0.92em}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;"
            + "vertical-align:top}\nth{background:#f3f3f3}.verdict{font-weight:bold;padding:1px 6px;border-radius:3px}\n"
            + ".holds{background:#d8f0dc;color:#185c25}.fails{background:#f8d7d7;color:#8a1c1c}.not-run{background:#fbeccc;color:#7a5200}\n"
            + "img{max-width:100%;border:1px solid #eee}em{font-size:0.9em;color:#555}\n";

    private MarkdownHtml() {}

    /**
     * @param dir the report's directory: image paths are relative to it and inlined from there
     */
    static String render(String markdown, String title, Path dir) {
        Node document = Parser.builder().extensions(EXTENSIONS).build().parse(markdown);
        HtmlRenderer renderer = HtmlRenderer.builder().extensions(EXTENSIONS)
                .attributeProviderFactory(context -> attributes(dir)).build();
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + renderer.render(document) + "</body>\n</html>\n";
    }

    /** Inlines images as data URIs and marks bold verdicts ("**holds**") with their class. */
    private static AttributeProvider attributes(Path dir) {
        return (Node node, String tag, Map<String, String> attributes) -> {
            if (node instanceof Image && attributes.containsKey("src")) {
                attributes.put("src", dataUri(dir.resolve(attributes.get("src"))));
            } else if (node instanceof StrongEmphasis && node.getFirstChild() instanceof Text text
                    && node.getFirstChild() == node.getLastChild() && VERDICTS.contains(text.getLiteral())) {
                attributes.put("class", "verdict " + text.getLiteral());
            }
        };
    }

    private static String dataUri(Path png) {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot inline figure " + png, e);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
