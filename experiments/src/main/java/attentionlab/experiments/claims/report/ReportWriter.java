package attentionlab.experiments.claims.report;

import attentionlab.experiments.claims.Check;
import attentionlab.experiments.claims.ClaimResult;
import attentionlab.experiments.claims.Reductions;
import attentionlab.experiments.claims.ReproduceOptions;
import attentionlab.experiments.claims.ReproduceResult;
import attentionlab.experiments.claims.StudyResult;
import attentionlab.experiments.claims.Verdict;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.io.Json;
import attentionlab.experiments.io.Provenance;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the three report files of a reproduce invocation: report.md (the claim table first, then one
 * section per claim with its checks and figures, then the studies), report.html rendered from it
 * ({@link MarkdownHtml}), and claims.json (snake_case keys, numbers as JSON numbers: {@link ClaimsJson}),
 * which is written last.
 */
public final class ReportWriter {

    /** claims.json uses snake_case keys throughout, including inside each claim's measurement. */
    static final ObjectMapper CLAIMS_JSON = Json.MAPPER.copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ReportWriter() {}

    public static void write(ReproduceResult result, ReproduceOptions options) {
        Provenance provenance = Provenance.current();
        String created = OffsetDateTime.now().withNano(0).toString();
        Path dir = result.dir();
        Document doc = new Document();
        render(doc, result, options, provenance, created);
        String markdown = doc.render();
        try {
            Files.writeString(dir.resolve("report.md"), markdown, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"),
                    MarkdownHtml.render(markdown, "attention-lab: homework claims reproduced", dir), StandardCharsets.UTF_8);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("created", created);
            json.put("command", "lab reproduce" + (options.quick() ? " --quick" : "") + (options.only() == null ? "" : " --only " + options.only()));
            json.put("quick", options.quick());
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("claims", result.claims().size());
            summary.put("holds", result.count(Verdict.HOLDS));
            summary.put("fails", result.count(Verdict.FAILS));
            summary.put("not_run", result.count(Verdict.NOT_RUN));
            summary.put("all_hold", result.allHold());
            summary.put("studies", result.studies().size());
            summary.put("studies_completed", result.studiesCompleted());
            json.put("summary", summary);
            json.put("provenance", provenance);
            json.put("claims", result.claims());
            json.put("studies", result.studies());
            Path tmp = dir.resolve("claims.json.tmp");
            CLAIMS_JSON.writeValue(tmp.toFile(), ClaimsJson.withNumbers(CLAIMS_JSON.valueToTree(json)));
            Files.move(tmp, dir.resolve("claims.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report in " + dir, e);
        }
    }

    static void render(Document doc, ReproduceResult result, ReproduceOptions options, Provenance p, String created) {
        doc.heading(1, "attention-lab: the homework's claims, measured", null);
        doc.paragraph(created + " - `lab reproduce" + (options.quick() ? " --quick" : "") + (options.only() == null ? "" : " --only " + options.only())
                + "` - commit " + p.gitCommit() + (p.gitDirty() ? " (dirty)" : "") + " - DJL " + p.djlVersion() + ", " + p.engine() + " "
                + p.engineVersion() + " - " + p.os() + ", " + p.cores() + " cores, threads " + p.threads());
        doc.paragraph(result.claims().isEmpty()
                ? "No claim was judged in this invocation: `--only " + options.only() + "` names a study, which is measured and"
                        + " has no verdict."
                : "Every verdict is computed by its claim's judge from measurements taken in this invocation (no file of an"
                        + " earlier run is read: training runs are made under training/ and read back from there), compared with the"
                        + " homework's prediction within the tolerance written beside it. " + result.count(Verdict.HOLDS) + " of "
                        + result.claims().size() + " claims hold, " + result.count(Verdict.FAILS) + " fail, "
                        + result.count(Verdict.NOT_RUN) + " were not run"
                        + (options.quick() ? " (quick mode: reduced sizes, same logic and tolerances; each verdict it weakens says"
                        + " what was not measured)." : "."));
        List<List<String>> rows = new ArrayList<>();
        for (ClaimResult c : result.claims()) {
            long passed = c.checks().stream().filter(Check::passed).count();
            String measured = c.verdict() == Verdict.NOT_RUN ? c.reason() : passed + " of " + c.checks().size() + " checks within tolerance";
            rows.add(List.of(doc.link(c.id(), anchor(c.id())), c.homeworkPart(), c.prediction(), measured, c.tolerance(),
                    doc.verdict(c.verdict().label()) + Reductions.suffix(c.quickReductions())));
        }
        doc.table(List.of("claim", "homework", "prediction", "measured", "tolerance", "verdict"), rows);
        for (ClaimResult c : result.claims()) {
            doc.heading(2, c.id() + " - homework " + c.homeworkPart() + ": " + c.verdictText(), anchor(c.id()));
            doc.labelled("Prediction.", c.prediction());
            doc.labelled("Tolerance.", c.tolerance());
            if (c.reason() != null) {
                doc.labelled(c.verdict() == Verdict.NOT_RUN ? "Not run." : "Failing.", c.reason());
            }
            if (c.note() != null) {
                doc.labelled("Note.", c.note());
            }
            if (!c.checks().isEmpty()) {
                List<List<String>> checks = new ArrayList<>();
                for (Check k : c.checks()) {
                    checks.add(List.of(k.what(), k.predicted(), k.measured(), k.tolerance(), doc.verdict(k.passed() ? "holds" : "fails")));
                }
                doc.table(List.of("check", "predicted", "measured", "tolerance", ""), checks);
            }
            evidence(doc, result.dir(), c.evidence());
            doc.paragraph("Measured in " + Format.number(c.seconds()) + " s.");
        }
        if (!result.studies().isEmpty()) {
            doc.heading(2, "Beyond the homework (measured, no verdict)", "beyond");
            for (StudyResult s : result.studies()) {
                doc.heading(3, s.title(), anchor(s.id()));
                doc.labelled("Question.", s.question());
                doc.labelled(s.error() == null ? s.findingsLabel() : "Did not complete.", s.error() == null ? s.findings() : s.error());
                evidence(doc, result.dir(), s.evidence());
                doc.paragraph("Measured in " + Format.number(s.seconds()) + " s.");
            }
        }
    }

    private static void evidence(Document doc, Path dir, List<String> evidence) {
        List<String> other = new ArrayList<>();
        for (String e : evidence) {
            Path file = dir.resolve(e);
            if (e.endsWith(".png") && Files.isRegularFile(file)) {
                doc.figure(file, e, e.substring(e.lastIndexOf('/') + 1).replace(".png", "").replace('-', ' '));
            } else {
                other.add(e);
            }
        }
        if (!other.isEmpty()) {
            doc.labelled("Evidence:", "");
            doc.bullets(other);
        }
    }

    static String anchor(String id) {
        return "claim-" + id;
    }
}
