package com.logisync.deploy;

import com.logisync.deploy.HelmChartTest.ValueSet;
import com.logisync.deploy.Manifests.Manifest;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway the chart ships (an Ingress or a Gateway API HTTPRoute): every operation of the four
 * committed OpenAPI documents, routed the way the gateway routes it (the longest matching path prefix,
 * element by element), reaches the service that serves it; and that service's NetworkPolicy admits the
 * gateway's proxies.
 */
class GatewayTest {

    /** A path prefix and the Service it leads to. */
    record Route(String prefix, String service, int port) {
        /** Prefix matching as Ingress {@code Prefix} and HTTPRoute {@code PathPrefix} define it: whole path elements. */
        boolean matches(String path) {
            return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
        }
    }

    static final Map<String, Object> GATEWAY_NAMESPACE = Map.of("kubernetes.io/metadata.name", "envoy-gateway-system");

    static ValueSet valueSet(String kind) {
        String file = java.nio.file.Path.of("src/test/resources/gateway-" + kind + ".yaml").toAbsolutePath().toString();
        return new ValueSet("gateway " + kind, List.of("values-native.yaml", "values-prod.yaml", file),
                Map.of("image.registry", "registry-mirror:5000"));
    }

    @SuppressWarnings("unchecked")
    static List<Route> routes(List<Manifest> manifests) {
        List<Route> routes = new ArrayList<>();
        for (Manifest m : manifests) {
            Map<String, Object> spec = (Map<String, Object>) m.raw().get("spec");
            if (m.kind().equals("Ingress")) {
                for (Map<String, Object> rule : (List<Map<String, Object>>) spec.get("rules")) {
                    assertThat(rule.get("host")).isEqualTo("api.logisync.example.com");
                    for (Map<String, Object> p : (List<Map<String, Object>>) ((Map<String, Object>) rule.get("http")).get("paths")) {
                        assertThat(p.get("pathType")).isEqualTo("Prefix");
                        Map<String, Object> svc = (Map<String, Object>) ((Map<String, Object>) p.get("backend")).get("service");
                        routes.add(new Route((String) p.get("path"), (String) svc.get("name"),
                                (Integer) ((Map<String, Object>) svc.get("port")).get("number")));
                    }
                }
            } else if (m.kind().equals("HTTPRoute")) {
                assertThat((List<Object>) spec.get("hostnames")).containsExactly("api.logisync.example.com");
                for (Map<String, Object> rule : (List<Map<String, Object>>) spec.get("rules")) {
                    List<Map<String, Object>> backends = (List<Map<String, Object>>) rule.get("backendRefs");
                    assertThat(backends).hasSize(1);
                    for (Map<String, Object> match : (List<Map<String, Object>>) rule.get("matches")) {
                        Map<String, Object> path = (Map<String, Object>) match.get("path");
                        assertThat(path.get("type")).isEqualTo("PathPrefix");
                        routes.add(new Route((String) path.get("value"), (String) backends.get(0).get("name"),
                                (Integer) backends.get(0).get("port")));
                    }
                }
            }
        }
        return routes;
    }

    /** The service the gateway sends a request for {@code path} to: the longest matching prefix wins. */
    static Route route(List<Route> routes, String path) {
        return routes.stream().filter(r -> r.matches(path))
                .max(java.util.Comparator.comparingInt(r -> r.prefix().length())).orElse(null);
    }

    /** Each service's committed OpenAPI document: path to the methods it serves, with their deprecation. */
    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Map<String, Boolean>>> documents() throws IOException {
        Map<String, Map<String, Map<String, Boolean>>> docs = new LinkedHashMap<>();
        for (String service : HelmChartTest.SERVICES) {
            Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(
                    Files.readString(NodeTools.REPO.resolve(service).resolve("src/main/openapi/openapi.yaml")));
            Map<String, Map<String, Boolean>> paths = new LinkedHashMap<>();
            ((Map<String, Map<String, Object>>) doc.get("paths")).forEach((path, ops) -> ops.forEach((method, op) -> {
                if (Set.of("get", "put", "post", "delete", "patch").contains(method)) {
                    paths.computeIfAbsent(path, k -> new LinkedHashMap<>()).put(method,
                            Boolean.TRUE.equals(((Map<String, Object>) op).get("deprecated")));
                }
            }));
            docs.put(service, paths);
        }
        return docs;
    }

    @ParameterizedTest(name = "every operation reaches the service that serves it: {0}")
    @ValueSource(strings = {"ingress", "httproute"})
    void everyOperationOfTheFourContractsIsRoutedToTheServiceThatServesIt(String kind) throws Exception {
        List<Manifest> manifests = HelmChartTest.manifests(valueSet(kind));
        List<Route> routes = routes(manifests);
        assertThat(routes).as("the %s's routes", kind).hasSizeGreaterThanOrEqualTo(20);
        Map<String, Map<String, Map<String, Boolean>>> docs = documents();
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (var doc : docs.entrySet()) {
            for (var path : doc.getValue().entrySet()) {
                String sample = path.getKey().replaceAll("\\{[^}]+}", "X-1");
                Route r = route(routes, sample);
                for (var method : path.getValue().entrySet()) {
                    checked++;
                    String what = method.getKey().toUpperCase() + " " + path.getKey() + " (" + doc.getKey() + ")";
                    if (r == null) {
                        wrong.add(what + ": not routed");
                    } else if (!r.service().equals(doc.getKey())) {
                        // A deprecated alias left outside its service's prefixes must still reach a service that
                        // serves the same operation (order-sync redirects the moved customer shipment list).
                        boolean servedThere = docs.get(r.service()).getOrDefault(path.getKey(), Map.of())
                                .containsKey(method.getKey());
                        if (!(method.getValue() && servedThere)) {
                            wrong.add(what + ": routed to " + r.service() + " by " + r.prefix());
                        }
                    } else if (r.port() != Platform.httpPort(doc.getKey())) {
                        wrong.add(what + ": routed to port " + r.port() + " where the service listens on "
                                + Platform.httpPort(doc.getKey()));
                    }
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(checked).as("operations checked").isGreaterThan(60);
        // The ops console is a page, not an API operation: it is routed too.
        assertThat(route(routes, "/console/index.html").service()).isEqualTo("service-view-service");
        // Health and metrics stay inside the cluster.
        assertThat(route(routes, "/q/metrics")).isNull();
    }

    @ParameterizedTest(name = "the NetworkPolicies admit the gateway's proxies: {0}")
    @ValueSource(strings = {"ingress", "httproute"})
    void theNetworkPolicyOfEveryRoutedServiceAdmitsTheGatewayController(String kind) {
        List<Manifest> manifests = HelmChartTest.manifests(valueSet(kind));
        Set<String> routed = new java.util.TreeSet<>();
        routes(manifests).forEach(r -> routed.add(r.service()));
        assertThat(routed).containsExactlyInAnyOrderElementsOf(HelmChartTest.SERVICES);
        for (String service : routed) {
            NetworkPolicy np = manifests.stream().filter(m -> m.kind().equals("NetworkPolicy") && m.name().equals(service))
                    .findFirst().orElseThrow().as(NetworkPolicy.class);
            assertThat(np.getSpec().getIngress()).anySatisfy(rule -> assertThat(rule.getFrom())
                    .anySatisfy(peer -> assertThat(peer.getNamespaceSelector() == null ? null
                            : peer.getNamespaceSelector().getMatchLabels()).isEqualTo(GATEWAY_NAMESPACE)));
        }
    }

    @Test
    void noGatewayIsRenderedByDefault() {
        assertThat(HelmChartTest.manifests(new ValueSet("default", List.of(), Map.of())))
                .noneMatch(m -> m.kind().equals("Ingress") || m.kind().equals("HTTPRoute"));
    }
}
