package com.logisync.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rendered Kubernetes YAML, parsed twice: as plain maps (for the schema validator and for
 * assertions on raw fields) and as fabric8's typed model, strictly: fabric8 parses leniently and
 * keeps unknown fields in {@code additionalProperties}, so any such field (a misspelled
 * {@code replcas}) is reported as an error here.
 */
public final class Manifests {

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** One rendered object: where it came from, as a map, and typed. */
    public record Manifest(String source, Map<String, Object> raw, KubernetesResource typed) {

        public String kind() {
            return (String) raw.get("kind");
        }

        public String apiVersion() {
            return (String) raw.get("apiVersion");
        }

        public String name() {
            return ((HasMetadata) typed).getMetadata().getName();
        }

        @SuppressWarnings("unchecked")
        public <T> T as(Class<T> type) {
            return (T) typed;
        }

        @Override
        public String toString() {
            return source + ": " + kind() + "/" + (raw.get("metadata") instanceof Map<?, ?> m ? m.get("name") : "?");
        }
    }

    private Manifests() {
    }

    @SuppressWarnings("unchecked")
    public static List<Manifest> parse(String source, String yaml) {
        List<Manifest> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (doc == null) {
                continue;
            }
            if (!(doc instanceof Map<?, ?> map) || map.get("kind") == null || map.get("apiVersion") == null) {
                throw new AssertionError(source + ": a document that is not a Kubernetes object: " + doc);
            }
            Map<String, Object> raw = (Map<String, Object>) map;
            KubernetesResource typed = SERIALIZATION.convertValue(raw, KubernetesResource.class);
            if (!(typed instanceof HasMetadata)) {
                throw new AssertionError(source + ": " + raw.get("kind") + " did not parse as an object with metadata");
            }
            out.add(new Manifest(source, raw, typed));
        }
        return out;
    }

    /** Every field fabric8's typed model does not know, as {@code path: field}, for built-in kinds. */
    public static List<String> unknownFields(Manifest m) {
        List<String> found = new ArrayList<>();
        if (!(m.typed() instanceof GenericKubernetesResource)) {
            walk(m.typed(), m.kind(), found, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        return found;
    }

    private static void walk(Object node, String path, List<String> found, Set<Object> seen) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(o, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = getter.invoke(node);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + ": " + k));
                }
                continue;
            }
            walk(value, path + "." + decapitalize(getter.getName().substring(3)), found, seen);
        }
    }

    private static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    public static String toJson(Object o) {
        return SERIALIZATION.asJson(o);
    }
}
