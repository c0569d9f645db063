package com.logisync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.restassured.RestAssured.given;

/**
 * The published contract of a service: the OpenAPI document it serves must equal the one committed
 * in {@code src/main/openapi/openapi.yaml} (no silent contract change), and must not break the
 * committed baseline of the last released version ({@code src/main/openapi/baseline.yaml}) unless
 * the API's major version was raised on purpose.
 *
 * <p>After an intended change, rewrite the committed document with
 * {@code mvn -pl <service> test -Dtest=ApiContractTest -Dopenapi.write=true} and review the diff.
 */
public final class OpenApiContract {

    public static final Path COMMITTED = Path.of("src/main/openapi/openapi.yaml");
    public static final Path BASELINE = Path.of("src/main/openapi/baseline.yaml");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private OpenApiContract() {
    }

    /** The document the running service serves, as YAML text. */
    public static String served() {
        return given().accept("application/yaml").get("/q/openapi").asString();
    }

    /**
     * Null when the served document equals the committed one (or was just written on request),
     * else what differs.
     */
    public static String differenceFromCommitted() throws IOException {
        String served = served();
        if (Boolean.getBoolean("openapi.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, served, StandardCharsets.UTF_8);
            return null;
        }
        if (!Files.exists(COMMITTED)) {
            return COMMITTED + " is missing; write it with -Dopenapi.write=true";
        }
        String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
        if (committed.equals(served)) {
            return null;
        }
        String[] a = committed.split("\n", -1);
        String[] b = served.split("\n", -1);
        int i = 0;
        while (i < Math.min(a.length, b.length) && a[i].equals(b[i])) {
            i++;
        }
        return "The served OpenAPI document differs from " + COMMITTED + " at line " + (i + 1) + ":\n  committed: "
                + (i < a.length ? a[i] : "<end>") + "\n  served:    " + (i < b.length ? b[i] : "<end>")
                + "\nIf the change is intended, rewrite it with -Dopenapi.write=true and commit it.";
    }

    public static JsonNode read(Path yaml) throws IOException {
        return YAML.readTree(yaml.toFile());
    }

    public static JsonNode parse(String yaml) throws IOException {
        return YAML.readTree(yaml);
    }

    /** The major version of {@code info.version} ("1.2.0" → 1). */
    public static int major(JsonNode doc) {
        String v = doc.path("info").path("version").asText("0");
        try {
            return Integer.parseInt(v.split("\\.")[0]);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What in {@code current} breaks a consumer written against {@code baseline}: a removed path or
     * operation, a removed response field, a response field whose type changed, a new required
     * request field or parameter, a request field whose type changed or whose allowed values shrank.
     */
    public static List<String> breakingChanges(JsonNode baseline, JsonNode current) {
        List<String> found = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = baseline.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            JsonNode now = current.path("paths").path(path.getKey());
            if (now.isMissingNode()) {
                found.add("removed path " + path.getKey());
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!Set.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                    continue;
                }
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode opNow = now.path(op.getKey());
                if (opNow.isMissingNode()) {
                    found.add("removed operation " + where);
                    continue;
                }
                compareParameters(where, op.getValue(), opNow, found);
                JsonNode bodyBefore = firstSchema(op.getValue().path("requestBody"));
                JsonNode bodyNow = firstSchema(opNow.path("requestBody"));
                if (bodyNow != null) {
                    compareRequest(where + " request", resolve(baseline, bodyBefore), resolve(current, bodyNow),
                            baseline, current, found, 0);
                }
                for (Iterator<Map.Entry<String, JsonNode>> rs = op.getValue().path("responses").fields(); rs.hasNext(); ) {
                    Map.Entry<String, JsonNode> r = rs.next();
                    JsonNode before = firstSchema(r.getValue());
                    JsonNode after = firstSchema(opNow.path("responses").path(r.getKey()));
                    if (before != null && after == null && !opNow.path("responses").has(r.getKey())) {
                        if (r.getKey().startsWith("2")) { // one error fewer breaks nobody; a success gone does
                            found.add(where + " no longer answers " + r.getKey());
                        }
                    } else if (before != null && after != null) {
                        compareResponse(where + " " + r.getKey(), resolve(baseline, before), resolve(current, after),
                                baseline, current, found, 0);
                    }
                }
            }
        }
        return found;
    }

    private static void compareParameters(String where, JsonNode before, JsonNode now, List<String> found) {
        Set<String> had = new TreeSet<>();
        before.path("parameters").forEach(p -> had.add(p.path("in").asText() + ":" + p.path("name").asText()));
        now.path("parameters").forEach(p -> {
            String key = p.path("in").asText() + ":" + p.path("name").asText();
            if (p.path("required").asBoolean() && !had.contains(key)) {
                found.add(where + ": new required parameter " + key);
            }
        });
    }

    private static void compareResponse(String where, JsonNode before, JsonNode after, JsonNode baseDoc,
            JsonNode curDoc, List<String> found, int depth) {
        if (before == null || after == null || depth > 6) {
            return;
        }
        if (!sameType(before, after)) {
            found.add(where + ": type changed from " + type(before) + " to " + type(after));
            return;
        }
        if ("array".equals(type(before))) {
            compareResponse(where + "[]", resolve(baseDoc, before.path("items")), resolve(curDoc, after.path("items")),
                    baseDoc, curDoc, found, depth + 1);
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> props = before.path("properties").fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> p = props.next();
            JsonNode now = after.path("properties").path(p.getKey());
            if (now.isMissingNode()) {
                found.add(where + ": removed response field " + p.getKey());
            } else {
                compareResponse(where + "." + p.getKey(), resolve(baseDoc, p.getValue()), resolve(curDoc, now), baseDoc,
                        curDoc, found, depth + 1);
            }
        }
    }

    private static void compareRequest(String where, JsonNode before, JsonNode after, JsonNode baseDoc,
            JsonNode curDoc, List<String> found, int depth) {
        if (after == null || depth > 6) {
            return;
        }
        Set<String> requiredBefore = new TreeSet<>();
        if (before != null) {
            before.path("required").forEach(r -> requiredBefore.add(r.asText()));
        }
        after.path("required").forEach(r -> {
            if (!requiredBefore.contains(r.asText())) {
                found.add(where + ": new required field " + r.asText());
            }
        });
        if (before == null) {
            return;
        }
        if (!sameType(before, after)) {
            found.add(where + ": type narrowed from " + type(before) + " to " + type(after));
            return;
        }
        if (before.has("enum")) {
            Set<String> allowed = new TreeSet<>();
            after.path("enum").forEach(v -> allowed.add(v.asText()));
            before.path("enum").forEach(v -> {
                if (after.has("enum") && !allowed.contains(v.asText())) {
                    found.add(where + ": value " + v.asText() + " no longer accepted");
                }
            });
        }
        for (Iterator<Map.Entry<String, JsonNode>> props = after.path("properties").fields(); props.hasNext(); ) {
            Map.Entry<String, JsonNode> p = props.next();
            JsonNode was = before.path("properties").path(p.getKey());
            if (!was.isMissingNode()) {
                compareRequest(where + "." + p.getKey(), resolve(baseDoc, was), resolve(curDoc, p.getValue()), baseDoc,
                        curDoc, found, depth + 1);
            }
        }
    }

    private static JsonNode firstSchema(JsonNode withContent) {
        Iterator<JsonNode> media = withContent.path("content").elements();
        return media.hasNext() ? media.next().path("schema") : null;
    }

    private static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; s != null && s.has("$ref") && i < 10; i++) {
            String ref = s.get("$ref").asText();
            s = doc.at(ref.substring(1));
        }
        if (s != null && s.has("allOf") && s.get("allOf").size() == 1) {
            return resolve(doc, s.get("allOf").get(0));
        }
        return s == null || s.isMissingNode() ? null : s;
    }

    private static String type(JsonNode s) {
        if (s.has("type")) {
            return s.get("type").isArray() ? s.get("type").toString() : s.get("type").asText();
        }
        return s.has("properties") ? "object" : "any";
    }

    private static boolean sameType(JsonNode before, JsonNode after) {
        String a = type(before);
        String b = type(after);
        return a.equals(b) || "any".equals(b) || ("integer".equals(a) && "number".equals(b) && false);
    }
}
