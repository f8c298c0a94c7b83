package dev.llmunit.junit.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmunit.core.cost.Usd;
import dev.llmunit.junit.BudgetResult;
import dev.llmunit.junit.Reducer;
import dev.llmunit.junit.Repetitions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The {@code report.json} layout, both ways. Field names are the public contract; costs are decimal
 * strings so they stay exact, and an unknown cost is {@code null} next to {@code costKnown: false}.
 */
final class ReportJson {

    private static final String FIX = "llmunit writes this file; run the tests again to rewrite it, or delete it";

    private ReportJson() {}

    static ObjectNode toTree(LlmReport report) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", 1);
        root.put("runKey", report.runKey());
        ArrayNode tests = root.putArray("tests");
        report.tests().forEach(test -> tests.add(test(test)));
        root.set("totals", totals(report.totals()));
        ArrayNode missing = root.putArray("missingFixtures");
        for (ReportMissingFixture fixture : report.missingFixtures()) {
            ObjectNode node = missing.addObject();
            node.put("provider", fixture.provider());
            node.put("model", fixture.model());
            node.put("lastUserMessage", fixture.lastUserMessage());
            node.put("url", fixture.url());
            node.put("closestFixture", fixture.closestFixture());
            node.put("difference", fixture.difference());
        }
        if (report.suiteBudget() != null) {
            root.set("suiteBudget", budget(report.suiteBudget()));
        }
        if (!report.classBudgets().isEmpty()) {
            ArrayNode classes = root.putArray("classBudgets");
            for (ReportClassBudget classBudget : report.classBudgets()) {
                ObjectNode node = budget(classBudget.budget());
                node.put("class", classBudget.className());
                classes.add(node);
            }
        }
        if (report.baseline() != null) {
            root.set("baseline", baseline(report.baseline()));
        }
        return root;
    }

    private static ObjectNode test(ReportTest test) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("id", test.id());
        node.put("displayName", test.displayName());
        node.put("status", test.status().jsonName());
        node.put("failure", test.failure());
        cost(node, test.cost());
        node.put("callCount", test.callCount());
        node.put("latencyP95Ms", test.latencyP95Ms());
        ArrayNode calls = node.putArray("calls");
        test.calls().forEach(call -> calls.add(call(call)));
        ArrayNode budgets = node.putArray("budgets");
        test.budgets().forEach(budget -> budgets.add(budget(budget)));
        if (test.repetitions() != null) {
            node.set("repetitions", repetitions(test.repetitions()));
        }
        if (!test.ensembles().isEmpty()) {
            ArrayNode ensembles = node.putArray("ensembles");
            test.ensembles().forEach(run -> ensembles.add(ensemble(run)));
        }
        return node;
    }

    private static ObjectNode ensemble(ReportEnsemble run) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sequence", run.sequence());
        node.put("ensemble", run.ensemble());
        node.put("strategy", run.strategy());
        node.put("answerKey", run.answerKey());
        node.put("chosen", run.chosen());
        node.put("confidence", run.confidence());
        node.put("rawConfidence", run.rawConfidence());
        node.put("calibrated", run.calibrated());
        node.put("agreement", run.agreement());
        cost(node, run.cost());
        node.put("latencyMs", run.latencyMs());
        node.put("error", run.error());
        node.put("fallbackReason", run.fallbackReason());
        node.put("prompt", run.prompt());
        node.put("answer", run.answer());
        ArrayNode members = node.putArray("members");
        for (ReportEnsemble.Member member : run.members()) {
            ObjectNode item = members.addObject();
            item.put("id", member.id());
            item.put("member", member.member());
            item.put("outcome", member.outcome());
            item.put("weight", member.weight());
            item.put("key", member.key());
            item.put("reason", member.reason());
            item.put("answer", member.answer());
            item.put("callSequence", member.callSequence());
            cost(item, member.cost());
            item.put("latencyMs", member.latencyMs());
            item.put("fixture", member.fixture());
        }
        ArrayNode clusters = node.putArray("clusters");
        for (ReportEnsemble.Cluster cluster : run.clusters()) {
            ObjectNode item = clusters.addObject();
            item.put("key", cluster.key());
            ArrayNode ids = item.putArray("members");
            cluster.members().forEach(ids::add);
            item.put("votes", cluster.votes());
            item.put("weight", cluster.weight());
            item.put("share", cluster.share());
        }
        return node;
    }

    /** A repeated test's runs: the reducer, its verdict, the pass rate with its Wilson 95 % interval, the label, each run. */
    private static ObjectNode repetitions(Repetitions repetitions) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("reducer", repetitions.reducer().toString());
        node.put("verdict", repetitions.passed() ? "passed" : "failed");
        node.put("label", repetitions.label());
        node.put("runs", repetitions.runs().size());
        node.put("passedRuns", repetitions.passedRuns());
        node.put("passRate", rounded(repetitions.passRate()));
        node.put("wilsonLower", rounded(repetitions.wilsonLower()));
        node.put("wilsonUpper", rounded(repetitions.wilsonUpper()));
        node.put("measure", rounded(repetitions.reducer().measure(repetitions.passedRuns(), repetitions.runs().size())));
        ArrayNode runs = node.putArray("outcomes");
        for (Repetitions.Run run : repetitions.runs()) {
            ObjectNode item = runs.addObject();
            item.put("run", run.index());
            item.put("passed", run.passed());
            item.put("failure", run.failure());
        }
        return node;
    }

    /** Four decimals: enough for a rate, and the same text on every machine. */
    static BigDecimal rounded(double value) {
        return BigDecimal.valueOf(value).setScale(4, java.math.RoundingMode.HALF_UP);
    }

    private static ObjectNode call(ReportCall call) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("sequence", call.sequence());
        node.put("source", call.source());
        node.put("provider", call.provider());
        node.put("model", call.model());
        node.put("inputTokens", call.inputTokens());
        node.put("outputTokens", call.outputTokens());
        node.put("cachedTokens", call.cachedTokens());
        node.put("cacheWriteTokens", call.cacheWriteTokens());
        node.put("reasoningTokens", call.reasoningTokens());
        cost(node, call.cost());
        node.put("latencyMs", call.latencyMs());
        node.set("overheadMs", DecimalNode.valueOf(call.overheadMs()));
        node.put("latencyRecorded", call.latencyRecorded());
        node.put("attempts", call.attempts());
        ArrayNode fallbacks = node.putArray("fallbacks");
        call.fallbacks().forEach(fallbacks::add);
        node.put("retries", call.retries());
        node.put("confidence", call.confidence());
        node.put("error", call.error());
        node.put("fixture", call.fixture());
        node.put("prompt", call.prompt());
        node.put("answer", call.answer());
        if (call.streamed()) {
            // Only streamed calls carry these, so a plain call's entry stays as it always was.
            node.put("timeToFirstTokenMs", call.timeToFirstTokenMs());
            node.set("tokensPerSecond", call.tokensPerSecond() == null ? null : DecimalNode.valueOf(call.tokensPerSecond()));
        }
        return node;
    }

    private static void cost(ObjectNode node, @Nullable Usd cost) {
        node.put("costUsd", cost == null ? null : cost.toPlainString());
        node.put("costKnown", cost != null);
    }

    private static ObjectNode budget(BudgetResult budget) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("kind", budget.kind());
        node.put("limit", budget.limit());
        node.put("actual", budget.actual());
        node.put("passed", budget.passed());
        ArrayNode offending = node.putArray("offendingCalls");
        budget.offendingCalls().forEach(offending::add);
        return node;
    }

    private static ObjectNode totals(ReportTotals totals) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("tests", totals.tests());
        node.put("passed", totals.passed());
        node.put("failed", totals.failed());
        node.put("skipped", totals.skipped());
        node.put("calls", totals.calls());
        node.put("costUsd", totals.cost().toPlainString());
        node.put("costKnown", totals.costKnown());
        node.put("unpricedCalls", totals.unpricedCalls());
        node.put("latencyP50Ms", totals.latencyP50Ms());
        node.put("latencyP95Ms", totals.latencyP95Ms());
        node.put("budgetBreaches", totals.budgetBreaches());
        node.put("missingFixtures", totals.missingFixtures());
        node.set("overheadMs", DecimalNode.valueOf(totals.overheadMs()));
        return node;
    }

    private static ObjectNode baseline(BaselineComparison comparison) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("file", comparison.file());
        node.put("costTolerance", Formats.plain(comparison.costTolerance()));
        node.put("latencyTolerance", Formats.plain(comparison.latencyTolerance()));
        ArrayNode regressions = node.putArray("regressions");
        for (Regression regression : comparison.regressions()) {
            ObjectNode item = regressions.addObject();
            item.put("id", regression.testId());
            item.put("metric", regression.metric().name().toLowerCase(Locale.ROOT));
            item.put("before", regression.before());
            item.put("after", regression.after());
            item.put("description", regression.description());
        }
        ArrayNode tests = node.putArray("tests");
        for (BaselineComparison.TestComparison test : comparison.tests()) {
            ObjectNode item = tests.addObject();
            item.put("id", test.id());
            item.put("status", test.status().name().toLowerCase(Locale.ROOT));
            entry(item, "before", test.before());
            entry(item, "after", test.after());
        }
        return node;
    }

    private static void entry(ObjectNode parent, String field, Baseline.@Nullable Entry entry) {
        if (entry == null) {
            parent.putNull(field);
            return;
        }
        ObjectNode node = parent.putObject(field);
        node.put("costUsd", entry.cost() == null ? null : entry.cost().toPlainString());
        node.put("calls", entry.calls());
        node.put("latencyP95Ms", entry.latencyP95Ms());
        if (entry.passRateLower() != null) {
            node.put("passRateLower", rounded(entry.passRateLower()));
        }
    }

    static LlmReport read(Path file) {
        JsonNode root = JsonFiles.readTree(file, "report", FIX);
        return fromTree(root, new JsonFields("report " + file, FIX));
    }

    /** Reads the run key alone, so a stale part of another run can be recognised without reading it all. */
    static @Nullable String runKey(Path file) {
        JsonNode root = JsonFiles.readTree(file, "report part", "delete it; the next run writes its own parts");
        JsonNode key = root.path("runKey");
        return key.isTextual() ? key.textValue() : null;
    }

    static LlmReport fromTree(JsonNode root, JsonFields json) {
        ObjectNode object = json.object(root, "$");
        String runKey = json.textOr(object, "runKey", "$", LlmReport.MERGED_RUN_KEY);
        var tests = json.list(object, "tests", "$", (node, path) -> test(json, node, path));
        var missing = json.list(object, "missingFixtures", "$", (node, path) -> {
            ObjectNode fixture = json.object(node, path);
            return new ReportMissingFixture(json.text(fixture, "provider", path), json.text(fixture, "model", path),
                    json.textOr(fixture, "lastUserMessage", path, ""), json.textOr(fixture, "url", path, ""),
                    json.textOrNull(fixture, "closestFixture", path), json.textOrNull(fixture, "difference", path));
        });
        var classes = json.list(object, "classBudgets", "$", (node, path) ->
                new ReportClassBudget(json.text(json.object(node, path), "class", path), budget(json, node, path)));
        // Suite budget and baseline are not read back: they judged one run and are judged again after a merge.
        try {
            return new LlmReport(runKey, tests, missing, null, null, classes);
        } catch (IllegalArgumentException e) {
            throw json.error("$.tests", "a list of distinct test ids (" + e.getMessage() + ")", null);
        }
    }

    private static ReportTest test(JsonFields json, JsonNode node, String path) {
        ObjectNode test = json.object(node, path);
        String status = json.text(test, "status", path);
        TestStatus parsed = switch (status) {
            case "passed" -> TestStatus.PASSED;
            case "failed" -> TestStatus.FAILED;
            case "skipped" -> TestStatus.SKIPPED;
            default -> throw json.error(path + ".status", "passed, failed or skipped", test.path("status"));
        };
        String id = json.text(test, "id", path);
        Repetitions repetitions = test.has("repetitions") && !test.get("repetitions").isNull()
                ? repetitions(json, test.get("repetitions"), path + ".repetitions") : null;
        return new ReportTest(id, json.textOr(test, "displayName", path, id), parsed, json.textOr(test, "failure", path, ""),
                json.list(test, "calls", path, (call, at) -> call(json, call, at)),
                json.list(test, "budgets", path, (budget, at) -> budget(json, budget, at)), repetitions,
                json.list(test, "ensembles", path, (run, at) -> ensemble(json, run, at)));
    }

    private static Repetitions repetitions(JsonFields json, JsonNode node, String path) {
        ObjectNode object = json.object(node, path);
        Reducer reducer;
        try {
            reducer = Reducer.parse(json.text(object, "reducer", path));
        } catch (IllegalArgumentException e) {
            throw json.error(path + ".reducer", "a reducer such as minPassRate(0.8)", object.path("reducer"));
        }
        List<Repetitions.Run> runs = json.list(object, "outcomes", path, (run, at) -> {
            ObjectNode item = json.object(run, at);
            long index = json.whole(item, "run", at);
            if (index < 1 || index > Integer.MAX_VALUE) {
                throw json.error(at + ".run", "a whole number from 1", item.path("run"));
            }
            return new Repetitions.Run((int) index, json.bool(item, "passed", at), json.textOr(item, "failure", at, ""));
        });
        return Repetitions.judge(reducer, runs);
    }

    private static ReportEnsemble ensemble(JsonFields json, JsonNode node, String path) {
        ObjectNode run = json.object(node, path);
        long sequence = json.whole(run, "sequence", path);
        if (sequence < 1 || sequence > Integer.MAX_VALUE) {
            throw json.error(path + ".sequence", "a whole number from 1", run.path("sequence"));
        }
        List<ReportEnsemble.Member> members = json.list(run, "members", path, (member, at) -> {
            ObjectNode item = json.object(member, at);
            long call = json.wholeOr(item, "callSequence", at, 0);
            return new ReportEnsemble.Member(json.text(item, "id", at), json.textOr(item, "member", at, json.text(item, "id", at)),
                    json.text(item, "outcome", at), json.decimalOr(item, "weight", at, BigDecimal.ONE).doubleValue(),
                    json.textOrNull(item, "key", at), json.textOrNull(item, "reason", at), json.textOr(item, "answer", at, ""),
                    call == 0 ? null : (int) call, json.usdOrNull(item, "costUsd", at), json.wholeOr(item, "latencyMs", at, 0),
                    json.textOrNull(item, "fixture", at));
        });
        List<ReportEnsemble.Cluster> clusters = json.list(run, "clusters", path, (cluster, at) -> {
            ObjectNode item = json.object(cluster, at);
            return new ReportEnsemble.Cluster(json.text(item, "key", at), json.strings(item, "members", at), json.count(item, "votes", at),
                    json.decimalOr(item, "weight", at, BigDecimal.ZERO).doubleValue(),
                    java.util.Objects.requireNonNullElse(json.fractionOrNull(item, "share", at), 0.0));
        });
        return new ReportEnsemble((int) sequence, json.text(run, "ensemble", path), json.textOr(run, "strategy", path, ""),
                json.textOr(run, "answerKey", path, ""), json.textOrNull(run, "chosen", path), json.fractionOrNull(run, "confidence", path),
                json.fractionOrNull(run, "rawConfidence", path), json.boolOr(run, "calibrated", path, false),
                java.util.Objects.requireNonNullElse(json.fractionOrNull(run, "agreement", path), 0.0), json.usdOrNull(run, "costUsd", path),
                json.wholeOr(run, "latencyMs", path, 0), json.textOrNull(run, "error", path), json.textOrNull(run, "fallbackReason", path),
                json.textOr(run, "prompt", path, ""), json.textOr(run, "answer", path, ""), members, clusters);
    }

    private static ReportCall call(JsonFields json, JsonNode node, String path) {
        ObjectNode call = json.object(node, path);
        Usd cost = json.usdOrNull(call, "costUsd", path);
        if (cost == null && json.boolOr(call, "costKnown", path, false)) {
            throw json.error(path + ".costUsd", "a decimal string when costKnown is true", call.path("costUsd"));
        }
        long sequence = json.whole(call, "sequence", path);
        if (sequence < 1 || sequence > Integer.MAX_VALUE) {
            throw json.error(path + ".sequence", "a whole number from 1", call.path("sequence"));
        }
        return new ReportCall((int) sequence, json.textOr(call, "source", path, ""), json.textOrNull(call, "provider", path),
                json.textOrNull(call, "model", path), json.whole(call, "inputTokens", path), json.whole(call, "outputTokens", path),
                json.wholeOr(call, "cachedTokens", path, 0), json.wholeOr(call, "cacheWriteTokens", path, 0),
                json.wholeOr(call, "reasoningTokens", path, 0), cost, json.whole(call, "latencyMs", path),
                json.decimalOr(call, "overheadMs", path, BigDecimal.ZERO), json.boolOr(call, "latencyRecorded", path, false),
                json.countOr(call, "attempts", path, 1), json.strings(call, "fallbacks", path),
                json.countOr(call, "retries", path, 0), json.fractionOrNull(call, "confidence", path),
                json.textOrNull(call, "error", path), json.textOrNull(call, "fixture", path),
                json.textOr(call, "prompt", path, ""), json.textOr(call, "answer", path, ""),
                json.wholeOrNull(call, "timeToFirstTokenMs", path), json.decimalOrNull(call, "tokensPerSecond", path));
    }

    private static BudgetResult budget(JsonFields json, JsonNode node, String path) {
        ObjectNode budget = json.object(node, path);
        return new BudgetResult(json.text(budget, "kind", path), json.text(budget, "limit", path),
                json.text(budget, "actual", path), json.bool(budget, "passed", path),
                json.strings(budget, "offendingCalls", path));
    }
}
