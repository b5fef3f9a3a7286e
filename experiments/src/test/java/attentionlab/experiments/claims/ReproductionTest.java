package attentionlab.experiments.claims;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import attentionlab.experiments.core.UserError;
import attentionlab.experiments.io.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lab reproduce end to end on fast claims: claims.json schema, report files, figures, not-run handling. */
class ReproductionTest {

    @TempDir
    Path tmp;

    private ReproduceResult reproduce(String only) {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ReproduceResult r = Reproduction.run(new ReproduceOptions(true, only, tmp, new PrintStream(progress, true, StandardCharsets.UTF_8)));
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("[1/1] " + only);
        return r;
    }

    @Test
    void claimsJsonHasTheContractFieldsAndTheReportReferencesExistingFigures() throws Exception {
        ReproduceResult r = reproduce("scaling-stats");
        assertThat(r.allHold()).isTrue();
        JsonNode json = Json.MAPPER.readTree(r.dir().resolve("claims.json").toFile());
        assertThat(json.path("summary").path("all_hold").asBoolean()).isTrue();
        assertThat(json.path("provenance").path("djl_version").asText()).isNotBlank();
        JsonNode claim = json.path("claims").get(0);
        for (String field : List.of("id", "homework_part", "prediction", "measured", "tolerance", "verdict", "evidence", "checks")) {
            assertThat(claim.has(field)).as(field).isTrue();
        }
        assertThat(claim.path("id").asText()).isEqualTo("scaling-stats");
        assertThat(claim.path("homework_part").asText()).isEqualTo("1(a-c)");
        assertThat(claim.path("verdict").asText()).isEqualTo("holds");
        assertThat(claim.path("measured").path("cases").get(0).has("var_dot")).isTrue();
        assertThat(claim.path("checks").get(0).path("passed").asBoolean()).isTrue();
        assertThat(claim.path("quick_reductions").get(0).asText()).isEqualTo("20000 of 200000 pairs per case");
        // numbers are JSON numbers: "0.98 (SE 0.01, z = -0.2)" is 0.98 plus its detail
        assertThat(claim.path("checks").get(0).path("predicted").isNumber()).isTrue();
        assertThat(claim.path("checks").get(0).path("measured").isNumber()).isTrue();
        assertThat(claim.path("checks").get(0).path("measured_detail").asText()).startsWith("SE ");
        String evidence = claim.path("evidence").get(0).asText();
        assertThat(r.dir().resolve(evidence)).isRegularFile();

        String md = Files.readString(r.dir().resolve("report.md"));
        Matcher images = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(md);
        int count = 0;
        while (images.find()) {
            assertThat(r.dir().resolve(images.group(1))).isRegularFile();
            count++;
        }
        assertThat(count).isPositive();
        assertThat(md.indexOf("| claim | homework |")).isLessThan(md.indexOf("## scaling-stats"));
        assertThat(md).contains("## scaling-stats - homework 1(a-c): holds (quick: 20000 of 200000 pairs per case)")
                .contains("**holds** (quick: 20000 of 200000 pairs per case) |")
                .contains("Every verdict is computed by its claim's judge from measurements taken in this invocation");

        String html = Files.readString(r.dir().resolve("report.html"));
        assertThat(html).contains("data:image/png;base64,").doesNotContain("src=\"http").doesNotContain("<script");
        assertThat(html.indexOf("<table>")).isLessThan(html.indexOf("id=\"claim-scaling-stats\""));
    }

    /** The claims that need only the models module measure in seconds and must hold on any machine. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"argmax-example", "mha-shapes", "mqa-decoding", "kernel-positivity",
        "quadratic-kernel"})
    void modelOnlyClaimsHold(String id) {
        ReproduceResult r = reproduce(id);
        assertThat(r.claims()).singleElement().satisfies(c -> {
            assertThat(c.verdict()).as(c.reason()).isEqualTo(Verdict.HOLDS);
            assertThat(c.checks()).isNotEmpty();
        });
    }

    @Test
    void temperatureSweepEndsAtArgmaxsExactZero() {
        ReproduceResult r = reproduce("temperature-sweep");
        StudyResult s = r.studies().get(0);
        assertThat(s.error()).isNull();
        var m = (attentionlab.experiments.claims.beyond.TemperatureSweepStudy.Measured) s.measured();
        assertThat(m.argmax().gradWq()).isZero();
        assertThat(m.argmax().gradWv()).isPositive();
        assertThat(m.softmax().get(0).gradWq()).isPositive();
        assertThat(r.dir().resolve(s.evidence().get(0))).isRegularFile();
    }

    /** A study is measured with no verdict: --only <study> judges no claim, says so, and succeeds when the study completes. */
    @Test
    void onlyAStudyJudgesNoClaimAndSaysSo() throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ReproduceResult r = Reproduction.run(new ReproduceOptions(true, "temperature-sweep", tmp,
                new PrintStream(progress, true, StandardCharsets.UTF_8)));
        assertThat(r.claims()).isEmpty();
        assertThat(r.allHold()).isFalse();
        assertThat(r.succeeded()).isTrue();
        assertThat(r.summary()).startsWith("no claim judged");
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("no claim judged").contains("studies: 1 of 1 completed")
                .contains("measured (quick: 3 of 10 draws per temperature): ");
        JsonNode summary = Json.MAPPER.readTree(r.dir().resolve("claims.json").toFile()).path("summary");
        assertThat(summary.path("claims").asInt()).isZero();
        assertThat(summary.path("all_hold").asBoolean()).isFalse();
        assertThat(summary.path("studies_completed").asBoolean()).isTrue();
        assertThat(Files.readString(r.dir().resolve("report.md"))).contains("No claim was judged in this invocation")
                .doesNotContain("Every verdict").contains("**Findings (quick: 3 of 10 draws per temperature).**");
    }

    @Test
    void theOutcomeNeedsEveryClaimRunToHoldAndEveryStudyToComplete() {
        ClaimResult holds = result(Verdict.HOLDS);
        StudyResult done = new StudyResult("s", "t", "q", null, "f", List.of(), null, List.of(), 0);
        StudyResult broken = new StudyResult("s", "t", "q", null, null, List.of(), "measurement failed", List.of(), 0);
        assertThat(new ReproduceResult(tmp, List.of(holds, holds), List.of(done)).succeeded()).isTrue();
        assertThat(new ReproduceResult(tmp, List.of(holds, holds), List.of(done)).allHold()).isTrue();
        assertThat(new ReproduceResult(tmp, List.of(holds, result(Verdict.FAILS)), List.of(done)).succeeded()).isFalse();
        assertThat(new ReproduceResult(tmp, List.of(result(Verdict.NOT_RUN), holds), List.of()).succeeded()).isFalse();
        assertThat(new ReproduceResult(tmp, List.of(holds), List.of(done, broken)).succeeded()).isFalse();
        assertThat(new ReproduceResult(tmp, List.of(holds), List.of(done, broken)).allHold()).isTrue();
        assertThat(new ReproduceResult(tmp, List.of(), List.of(broken)).succeeded()).isFalse();
        assertThat(new ReproduceResult(tmp, List.of(holds, result(Verdict.FAILS), result(Verdict.NOT_RUN)), List.of(done, broken))
                .summary()).isEqualTo("claims: 1 of 3 hold, 1 fail, 1 not run; studies: 1 of 2 completed");
    }

    private static ClaimResult result(Verdict verdict) {
        return new ClaimResult("c", "1", "p", null, "t", verdict, List.of(), null, null, List.of(), List.of(), 0);
    }

    @Test
    void everyInvocationGetsItsOwnDirectory() {
        ReproduceResult first = reproduce("argmax-example");
        ReproduceResult second = reproduce("argmax-example");
        assertThat(first.dir()).isNotEqualTo(second.dir());
        assertThat(first.dir().resolve("claims.json")).isRegularFile();
        assertThat(second.dir().resolve("claims.json")).isRegularFile();
    }

    @Test
    void aClaimThatCannotRunIsNotRunAndDoesNotHold() {
        Claim<String> unavailable = new Claim<>() {
            public String id() {
                return "needs-training";
            }

            public String homeworkPart() {
                return "2(b)";
            }

            public String prediction() {
                return "p";
            }

            public String tolerance() {
                return "t";
            }

            public String measure(ClaimContext context) throws ClaimNotRunnable {
                throw new ClaimNotRunnable("training is not built");
            }

            public List<Check> judge(String measured) {
                return List.of(Check.that("x", "y", "y", true));
            }
        };
        ClaimResult r = ClaimResult.evaluate(unavailable, new ClaimContext("needs-training", tmp, true, System.out));
        assertThat(r.verdict()).isEqualTo(Verdict.NOT_RUN);
        assertThat(r.reason()).isEqualTo("training is not built");
        assertThat(new ReproduceResult(tmp, List.of(r), List.of()).allHold()).isFalse();
    }

    @Test
    void unknownClaimIdIsAUserErrorListingTheValidOnes() {
        assertThatThrownBy(() -> Reproduction.run(new ReproduceOptions(true, "nope", tmp, System.out)))
                .isInstanceOf(UserError.class).hasMessageContaining("'nope'").hasMessageContaining("scaling-stats");
    }
}
