package com.logisync.deploy;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import com.logisync.deploy.HelmChartTest.ValueSet;
import com.logisync.deploy.Manifests.Manifest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboards, alerts and scraping as the chart ships them: rendered for the default and production
 * values, the rule file checked and tested alert by alert with the real {@code promtool} (Debian's
 * {@code prometheus} package; {@code .ci/run} installs it), every dashboard expression parsed by
 * promtool as PromQL, and every runbook link resolved in docs/. Grafana cannot run here: dashboards
 * are checked for the structure Grafana loads. That they name only metrics the services expose is
 * {@code MonitoringMetricsIT} in journey-tests, against the running services.
 */
class MonitoringTest {

    static final Path CHART = Platform.chart();
    static final Path RULES = CHART.resolve("rules/logisync-alerts.yaml");
    static final Path RULE_TESTS = NodeTools.REPO.resolve("deploy-tests/src/test/promtool/logisync-alerts-test.yaml");
    static final Path OPERATIONS = NodeTools.REPO.resolve("docs/operations.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<Manifest> render(String name) {
        return HelmChartTest.manifests(HelmChartTest.valueSets().filter(v -> v.name().equals(name)).findFirst()
                .orElseThrow());
    }

    private static List<Manifest> kind(List<Manifest> all, String kind) {
        return all.stream().filter(m -> m.kind().equals(kind)).toList();
    }

    @Test
    void byDefaultNothingNeedsTheOperatorsCrdsButTheScrapersMayReachTheServices() {
        List<Manifest> all = render("default");
        assertThat(kind(all, "PrometheusRule")).isEmpty();
        assertThat(kind(all, "ServiceMonitor")).isEmpty();
        assertThat(HelmChartTest.of(all, ConfigMap.class)).noneMatch(c -> c.getMetadata().getName()
                .startsWith("logisync-dashboard-"));
        assertThat(HelmChartTest.of(all, NetworkPolicy.class)).filteredOn(np -> !np.getMetadata().getName()
                .equals("partner-simulator")).hasSize(4).allSatisfy(np -> assertThat(np.getSpec().getIngress().get(0)
                .getFrom()).anySatisfy(peer -> assertThat(peer.getNamespaceSelector()).isNotNull().satisfies(ns ->
                        assertThat(ns.getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void productionShipsFiveDashboardsTheAlertsAndAServiceMonitorPerService() throws IOException {
        List<Manifest> all = render("production");
        List<ConfigMap> dashboards = HelmChartTest.of(all, ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().startsWith("logisync-dashboard-")).toList();
        assertThat(dashboards).extracting(c -> c.getMetadata().getName()).containsExactlyInAnyOrder(
                "logisync-dashboard-business-transactions", "logisync-dashboard-order-sync-service",
                "logisync-dashboard-milestone-service", "logisync-dashboard-billing-trigger-service",
                "logisync-dashboard-service-view-service");
        Set<String> uids = new HashSet<>();
        for (ConfigMap c : dashboards) {
            assertThat(c.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
            assertThat(c.getMetadata().getAnnotations()).containsEntry("grafana_folder", "LogiSync");
            assertThat(c.getData()).hasSize(1);
            JsonNode d = JSON.readTree(c.getData().values().iterator().next());
            assertThat(uids.add(d.path("uid").asText())).as("unique uid " + d.path("uid")).isTrue();
        }

        Manifest rule = kind(all, "PrometheusRule").get(0);
        assertThat((Map<String, Object>) ((Map<String, Object>) rule.raw().get("metadata")).get("labels"))
                .containsEntry("release", "kube-prometheus-stack");
        List<Map<String, Object>> groups = (List<Map<String, Object>>) ((Map<String, Object>) rule.raw().get("spec"))
                .get("groups");
        List<String> runbooks = new ArrayList<>();
        for (Map<String, Object> g : groups) {
            for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
                runbooks.add((String) ((Map<String, Object>) r.get("annotations")).get("runbook_url"));
            }
        }
        assertThat(runbooks).hasSize(9).allSatisfy(u -> assertThat(u)
                .startsWith("https://logisync.example.com/docs/operations.md#runbook-"));
        assertThat(groups).isEqualTo(rulesWithRunbookBase("https://logisync.example.com/docs/"));

        List<Manifest> monitors = kind(all, "ServiceMonitor");
        Map<String, Service> services = new LinkedHashMap<>();
        HelmChartTest.of(all, Service.class).forEach(s -> services.put(s.getMetadata().getName(), s));
        assertThat(monitors).extracting(Manifest::name).containsExactlyInAnyOrderElementsOf(HelmChartTest.SERVICES);
        for (Manifest m : monitors) {
            Map<String, Object> spec = (Map<String, Object>) m.raw().get("spec");
            Map<String, Object> selector = (Map<String, Object>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
            Service svc = services.get(m.name());
            assertThat(svc.getMetadata().getLabels()).as(m.name() + " selects its Service").containsAllEntriesOf(
                    (Map<String, String>) (Map<?, ?>) selector);
            Map<String, Object> endpoint = ((List<Map<String, Object>>) spec.get("endpoints")).get(0);
            assertThat(svc.getSpec().getPorts()).anyMatch(p -> p.getName().equals(endpoint.get("port")));
            assertThat(endpoint).containsEntry("path", "/q/metrics");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAlertHasASeverityASummaryADescriptionAndARunbookThatExists() throws IOException {
        Set<String> anchors = anchors(Files.readString(OPERATIONS));
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> g : rulesWithRunbookBase("RUNBOOK_BASE/")) {
            alerts.addAll((List<Map<String, Object>>) g.get("rules"));
        }
        assertThat(alerts).extracting(a -> a.get("alert")).containsExactlyInAnyOrder("LogiSyncTransactionsStuck",
                "LogiSyncInvoicesFailing", "LogiSyncPartnerSilent", "LogiSyncDeadLetters", "LogiSyncOutboxBacklogOld",
                "LogiSyncConsumerLagGrowing", "LogiSyncIngestionRefused", "LogiSyncReportsParkedUnmatched",
                "LogiSyncSubscriptionsFailing");
        for (Map<String, Object> a : alerts) {
            Map<String, Object> labels = (Map<String, Object>) a.get("labels");
            Map<String, Object> notes = (Map<String, Object>) a.get("annotations");
            assertThat(labels.get("severity")).as(a.get("alert") + " severity").isIn("warning", "critical");
            assertThat(notes).containsKeys("summary", "description", "runbook_url");
            assertThat((String) notes.get("description")).as(a.get("alert") + " names the count").contains("{{ $value");
            String url = (String) notes.get("runbook_url");
            assertThat(url).startsWith("RUNBOOK_BASE/operations.md#");
            assertThat(anchors).as("docs/operations.md has the runbook " + url).contains(url.substring(url.indexOf('#') + 1));
        }
    }

    @Test
    void theRuleFilePassesPromtoolAndEveryAlertHasAPromtoolTestCase() throws Exception {
        String promtool = promtool();
        assertThat(run(List.of(promtool, "check", "rules", RULES.toString()))).contains("SUCCESS: 9 rules found");
        // The rules as the chart renders them (the runbook base replaced) are valid too.
        List<Manifest> all = render("production");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) kind(all, "PrometheusRule").get(0).raw().get("spec");
        Path rendered = Files.createTempFile("rendered-rules-", ".yaml");
        Files.writeString(rendered, new Dump(DumpSettings.builder().build()).dumpToString(spec));
        assertThat(run(List.of(promtool, "check", "rules", rendered.toString()))).contains("SUCCESS: 9 rules found");
        Files.delete(rendered);

        String tests = Files.readString(RULE_TESTS);
        for (String alert : List.of("LogiSyncTransactionsStuck", "LogiSyncInvoicesFailing", "LogiSyncPartnerSilent",
                "LogiSyncDeadLetters", "LogiSyncOutboxBacklogOld", "LogiSyncConsumerLagGrowing", "LogiSyncIngestionRefused",
                "LogiSyncReportsParkedUnmatched", "LogiSyncSubscriptionsFailing")) {
            assertThat(tests).as("a promtool test case for " + alert).contains("alertname: " + alert);
        }
        assertThat(run(List.of(promtool, "test", "rules", RULE_TESTS.toString()))).contains("SUCCESS");
    }

    @Test
    void everyDashboardHasTheStructureGrafanaLoadsAndEveryExpressionIsPromQl() throws Exception {
        List<String> expressions = new ArrayList<>();
        try (var files = Files.list(CHART.resolve("dashboards"))) {
            for (Path f : files.sorted().toList()) {
                JsonNode d = JSON.readTree(Files.readString(f));
                assertThat(d.path("title").asText()).as(f + " title").startsWith("LogiSync / ");
                assertThat(d.path("uid").asText()).as(f + " uid").matches("[a-z0-9-]{1,40}");
                assertThat(d.path("templating").path("list").get(0).path("type").asText()).isEqualTo("datasource");
                Set<Integer> ids = new HashSet<>();
                assertThat(d.path("panels").size()).as(f + " panels").isGreaterThanOrEqualTo(8);
                for (JsonNode p : d.path("panels")) {
                    String where = f.getFileName() + " panel " + p.path("title").asText();
                    assertThat(ids.add(p.path("id").asInt())).as(where + " id unique").isTrue();
                    assertThat(p.path("title").asText()).as(where).isNotBlank();
                    assertThat(p.path("type").asText()).as(where).isIn("timeseries", "bargauge", "stat", "table");
                    JsonNode pos = p.path("gridPos");
                    assertThat(pos.path("x").asInt() + pos.path("w").asInt()).as(where + " fits 24 columns")
                            .isLessThanOrEqualTo(24);
                    assertThat(p.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                    assertThat(p.path("targets").size()).as(where + " targets").isPositive();
                    for (JsonNode t : p.path("targets")) {
                        assertThat(t.path("refId").asText()).isNotBlank();
                        expressions.add(t.path("expr").asText());
                    }
                }
            }
        }
        assertThat(expressions).hasSizeGreaterThan(50);
        // promtool parses every expression as the expression of a recording rule.
        StringBuilder file = new StringBuilder("groups:\n  - name: dashboards\n    rules:\n");
        for (int i = 0; i < expressions.size(); i++) {
            file.append("      - record: logisync:dashboard_expression:").append(i).append("\n        expr: ")
                    .append(JSON.writeValueAsString(expressions.get(i))).append('\n');
        }
        Path rules = Files.createTempFile("dashboard-expressions-", ".yaml");
        Files.writeString(rules, file);
        assertThat(run(List.of(promtool(), "check", "rules", rules.toString())))
                .contains("SUCCESS: " + expressions.size() + " rules found");
        Files.delete(rules);
    }

    // ------------------------------------------------------------------ helpers

    /** The rule file's groups with RUNBOOK_BASE/ replaced, as the chart does. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rulesWithRunbookBase(String base) throws IOException {
        String text = Files.readString(RULES).replace("RUNBOOK_BASE/", base);
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        return (List<Map<String, Object>>) doc.get("groups");
    }

    /** GitHub's anchors of a Markdown file's headings. */
    static Set<String> anchors(String markdown) {
        Set<String> found = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^#{1,6} (.+)$").matcher(markdown);
        while (m.find()) {
            found.add(m.group(1).trim().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'));
        }
        return found;
    }

    /** promtool from Debian's prometheus package: required in CI, the test skipped elsewhere when absent. */
    static String promtool() {
        for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "promtool"))) {
                return Path.of(dir, "promtool").toString();
            }
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("promtool is missing: .ci/run installs Debian's prometheus package for it");
        }
        Assumptions.abort("promtool is not installed (apt-get install prometheus); CI installs it");
        return null;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + " said:\n" + out).isZero();
        return out;
    }
}
