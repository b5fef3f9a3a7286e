package attentionlab.experiments.claims.report;

import static org.assertj.core.api.Assertions.assertThat;

import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report written once as Markdown and rendered to HTML by commonmark; claims.json's numbers. */
class ReportRenderingTest {

    @TempDir
    Path tmp;

    @Test
    void theHtmlIsTheMarkdownRenderedSelfContainedWithVerdictsAnchorsAndTables() throws Exception {
        Path png = Files.write(Files.createDirectories(tmp.resolve("figures")).resolve("f.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Document doc = new Document();
        doc.heading(1, "Title", null);
        doc.table(List.of("claim", "verdict"), List.of(List.of(doc.link("scaling", "claim-scaling"), doc.verdict("holds")),
                List.of("a | b", doc.verdict("fails"))));
        doc.heading(2, "scaling", "claim-scaling");
        doc.paragraph("E[q.k] < 0 is false; <variant>-s<seed> shows as written");
        doc.figure(png, "figures/f.png", "the figure");
        String md = doc.render();
        assertThat(md).contains("| [scaling](#claim-scaling) | **holds** |", "| a \\| b | **fails** |", "![the figure](figures/f.png)");
        String html = MarkdownHtml.render(md, "T", tmp);
        assertThat(html).contains("<table>", "<a href=\"#claim-scaling\">scaling</a>", "<a id=\"claim-scaling\"></a>")
                .contains("<strong class=\"verdict holds\">holds</strong>", "<strong class=\"verdict fails\">fails</strong>")
                .contains("<td>a | b</td>")
                .contains("E[q.k] &lt; 0 is false; &lt;variant&gt;-s&lt;seed&gt; shows as written")
                .contains("src=\"data:image/png;base64,iVBORw==\"")
                .doesNotContain("figures/f.png\"").doesNotContain("<script");
    }

    @Test
    void checkValuesAreJsonNumbersInClaimsJson() throws Exception {
        JsonNode tree = Json.MAPPER.readTree("""
                {"claims": [{"checks": [
                  {"predicted": "153", "measured": "1.234e-05", "tolerance": "<= 1e-05"},
                  {"predicted": "[8, 64, 8]", "measured": "[8, 64, 8]"},
                  {"predicted": "1", "measured": "1.004 (SE 0.01, z = +0.40)"},
                  {"predicted": "completed", "measured": "completed, diverged"},
                  {"predicted": "100", "measured": "n/a"}
                ]}]}""");
        JsonNode checks = ClaimsJson.withNumbers(tree).path("claims").get(0).path("checks");
        assertThat(checks.get(0).get("predicted").isNumber()).isTrue();
        assertThat(checks.get(0).get("predicted").asInt()).isEqualTo(153);
        assertThat(checks.get(0).get("measured").asDouble()).isEqualTo(1.234e-5);
        assertThat(checks.get(0).get("tolerance").isTextual()).isTrue();
        assertThat(checks.get(1).get("measured").isArray()).isTrue();
        assertThat(checks.get(1).get("measured").get(1).asInt()).isEqualTo(64);
        assertThat(checks.get(2).get("measured").asDouble()).isEqualTo(1.004);
        assertThat(checks.get(2).get("measured_detail").asText()).isEqualTo("SE 0.01, z = +0.40");
        assertThat(checks.get(3).get("measured").asText()).isEqualTo("completed, diverged");
        assertThat(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(checks.get(4))).isEqualTo("{\"predicted\":100,\"measured\":\"n/a\"}"); // not 1E+2
    }
}
