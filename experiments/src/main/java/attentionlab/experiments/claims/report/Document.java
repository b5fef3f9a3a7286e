package attentionlab.experiments.claims.report;

import java.nio.file.Path;
import java.util.List;

/** The few building blocks a report is made of, rendered as Markdown or as self-contained HTML. */
interface Document {

    void heading(int level, String text, String anchor);

    void paragraph(String text);

    /** A paragraph whose leading label is emphasised: "<b>label</b> text". */
    void labelled(String label, String text);

    void table(List<String> headers, List<List<String>> rows);

    void bullets(List<String> items);

    /** A figure file (PNG) with a caption; {@code relative} is its path relative to the report. */
    void figure(Path file, String relative, String caption);

    /** A short inline verdict marker for tables. */
    String verdict(String verdict);

    /** A link to a section of this report. */
    String link(String text, String anchor);

    String render();
}
