package attentionlab.experiments.claims;

import attentionlab.experiments.claims.report.ReportWriter;
import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Format;
import attentionlab.experiments.io.OutputDirectory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code lab reproduce}: measures every claim (or one), runs the studies beyond the homework, and
 * writes claims.json, report.md and report.html into a new {@code <out>/<yyyyMMdd-HHmmss>[-N]/}
 * ({@link OutputDirectory}).
 * claims.json is written last, so a directory without it is an interrupted invocation.
 */
public final class Reproduction {

    private Reproduction() {}

    public static ReproduceResult run(ReproduceOptions options) {
        List<Claim<?>> claims = Claims.all();
        List<Study<?>> studies = Claims.studies();
        if (options.only() != null) {
            claims = claims.stream().filter(c -> c.id().equals(options.only())).toList();
            studies = studies.stream().filter(s -> s.id().equals(options.only())).toList();
            if (claims.isEmpty() && studies.isEmpty()) {
                throw new UserError("--only '" + options.only() + "' is not a claim or study; allowed: "
                        + String.join(", ", Stream.concat(Claims.all().stream().map(Claim::id), Claims.studies().stream().map(Study::id)).toList()));
            }
        }
        Path dir = OutputDirectory.create(options.out());
        PrintStream out = options.progress();
        out.println("reproduce" + (options.quick() ? " --quick" : "") + ": " + claims.size() + " claims, " + studies.size()
                + " studies -> " + dir);
        int total = claims.size() + studies.size();
        int i = 0;
        List<ClaimResult> claimResults = new ArrayList<>();
        for (Claim<?> claim : claims) {
            out.printf("[%d/%d] %s (homework %s) ...%n", ++i, total, claim.id(), claim.homeworkPart());
            out.flush();
            ClaimResult r = ClaimResult.evaluate(claim, new ClaimContext(claim.id(), dir, options.quick(), out, options.jobs()));
            out.printf("      -> %s (%.1f s)%s%n", r.verdictText(), r.seconds(), r.reason() == null ? "" : ": " + r.reason());
            claimResults.add(r);
        }
        List<StudyResult> studyResults = new ArrayList<>();
        for (Study<?> study : studies) {
            out.printf("[%d/%d] %s (beyond the homework) ...%n", ++i, total, study.id());
            out.flush();
            StudyResult r = StudyResult.evaluate(study, new ClaimContext(study.id(), dir, options.quick(), out, options.jobs()));
            out.printf("      -> %s (%.1f s)%n", r.error() == null ? "measured" + Reductions.suffix(r.quickReductions()) + ": "
                    + r.findings() : r.error(), r.seconds());
            studyResults.add(r);
        }
        ReproduceResult result = new ReproduceResult(dir, claimResults, studyResults);
        ReportWriter.write(result, options);
        out.println(result.summary());
        out.println("report: " + dir.resolve("report.html") + " (total " + Format.number(
                claimResults.stream().mapToDouble(ClaimResult::seconds).sum() + studyResults.stream().mapToDouble(StudyResult::seconds).sum())
                + " s)");
        return result;
    }
}
