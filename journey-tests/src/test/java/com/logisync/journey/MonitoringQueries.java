package com.logisync.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL of the chart's dashboards and alert rules, and what each expression names: metric names,
 * the labels its selectors match on, the labels it groups by. A small reader for the subset of PromQL
 * the files use (selectors, aggregations with by/without, on/ignoring, functions, ranges), enough to
 * hold every name against what the services expose.
 */
final class MonitoringQueries {

    /** An expression, where it comes from, and what it names. */
    record Query(String where, String expr, Set<String> metrics, Map<String, Set<String>> matcherLabels,
            Set<String> groupingLabels) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "sum", "min", "max", "avg", "count", "stddev", "stdvar", "topk",
            "bottomk", "quantile", "count_values", "group", "time", "inf", "nan");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final Pattern IDENT = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");

    private MonitoringQueries() {
    }

    /** Every expression of helm/logisync/rules/*.yaml and helm/logisync/dashboards/*.json. */
    static List<Query> all(Path repo) throws IOException {
        List<Query> out = new ArrayList<>();
        Path chart = repo.resolve("helm/logisync");
        Pattern ruleExpr = Pattern.compile("(?m)^\\s*- alert: (\\S+)\\s*\\n(?:\\s*#.*\\n)*\\s*expr: (.+)$");
        try (var rules = Files.list(chart.resolve("rules"))) {
            for (Path f : rules.toList()) {
                Matcher m = ruleExpr.matcher(Files.readString(f));
                while (m.find()) {
                    out.add(parse(f.getFileName() + " " + m.group(1), m.group(2).trim()));
                }
            }
        }
        ObjectMapper json = new ObjectMapper();
        try (var dashboards = Files.list(chart.resolve("dashboards"))) {
            for (Path f : dashboards.sorted().toList()) {
                for (JsonNode panel : json.readTree(f.toFile()).path("panels")) {
                    for (JsonNode t : panel.path("targets")) {
                        out.add(parse(f.getFileName() + " / " + panel.path("title").asText(), t.path("expr").asText()));
                    }
                }
            }
        }
        return out;
    }

    static Query parse(String where, String expr) {
        String rest = expr.replaceAll("\\[[^]]*]", " ");
        Set<String> grouping = new LinkedHashSet<>();
        Matcher g = GROUPING.matcher(rest);
        while (g.find()) {
            for (String label : g.group(2).split(",")) {
                if (!label.isBlank()) {
                    grouping.add(label.trim());
                }
            }
        }
        rest = GROUPING.matcher(rest).replaceAll(" ");
        Set<String> metrics = new LinkedHashSet<>();
        Map<String, Set<String>> matchers = new LinkedHashMap<>();
        Matcher s = SELECTOR.matcher(rest);
        while (s.find()) {
            Set<String> labels = matchers.computeIfAbsent(s.group(1), k -> new LinkedHashSet<>());
            Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                labels.add(m.group(1));
            }
        }
        rest = SELECTOR.matcher(rest).replaceAll(" $1 ");
        rest = rest.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ");
        Matcher i = IDENT.matcher(rest);
        while (i.find()) {
            String name = i.group(1);
            boolean call = i.group(2) != null;
            if (call || KEYWORDS.contains(name.toLowerCase()) || (i.start() > 0 && Character.isDigit(rest.charAt(i.start() - 1)))) {
                continue;
            }
            metrics.add(name);
        }
        metrics.forEach(m -> matchers.computeIfAbsent(m, k -> new LinkedHashSet<>()));
        return new Query(where, expr, metrics, matchers, grouping);
    }
}
