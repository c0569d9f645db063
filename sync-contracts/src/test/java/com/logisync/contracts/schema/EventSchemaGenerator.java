package com.logisync.contracts.schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.logisync.contracts.EventType;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON Schema (2020-12) of each event payload, derived from its Java record the way Jackson writes
 * it: every component a property; {@code @JsonInclude(NON_NULL)} components optional, the others
 * always present (possibly null); times as ISO-8601 strings; no other properties.
 */
public final class EventSchemaGenerator {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    public static final ObjectMapper JSON = new ObjectMapper();

    private EventSchemaGenerator() {
    }

    public static ObjectNode schemaOf(EventType type) {
        Map<String, ObjectNode> defs = new TreeMap<>();
        ObjectNode root = F.objectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.put("$id", "urn:logisync:schema:" + type.ceType());
        root.put("title", type.payloadType().getSimpleName());
        root.put("description", "The data of a CloudEvent of type " + type.ceType() + " on topic " + type.topic()
                + " (binary mode: the CloudEvents attributes are Kafka headers, the record key is " + keyOf(type) + ").");
        root.setAll(recordSchema(type.payloadType(), defs));
        ObjectNode d = root.putObject("$defs");
        defs.forEach(d::set);
        return root;
    }

    private static String keyOf(EventType type) {
        return switch (type) {
            case CUSTOMER_UPDATED -> "customer:<customerId>, the latest of which compaction keeps";
            case CONTRACT_UPDATED -> "contract:<contractId>:<erpVersion>, so compaction keeps every version";
            default -> "the shipment id";
        };
    }

    /** The properties as Jackson writes them: the record's components and any getters such as {@code isSigned()}. */
    private static ObjectNode recordSchema(Class<?> record, Map<String, ObjectNode> defs) {
        ObjectNode s = F.objectNode();
        s.put("type", "object");
        ObjectNode props = s.putObject("properties");
        ArrayNode required = F.arrayNode();
        JsonInclude include = record.getAnnotation(JsonInclude.class);
        boolean omitNulls = include != null && include.value() != JsonInclude.Include.ALWAYS;
        com.fasterxml.jackson.databind.BeanDescription bean = JSON.getSerializationConfig()
                .introspect(JSON.constructType(record));
        for (com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition p : bean.findProperties()) {
            if (!p.couldSerialize() || p.getAccessor() == null) {
                continue;
            }
            java.lang.reflect.Member member = p.getAccessor().getMember();
            Type type = member instanceof java.lang.reflect.Method m ? m.getGenericReturnType()
                    : ((java.lang.reflect.Field) member).getGenericType();
            boolean primitive = p.getAccessor().getRawType().isPrimitive();
            props.set(p.getName(), typeSchema(type, !primitive, defs));
            if (primitive || !omitNulls) {
                required.add(p.getName());
            }
        }
        if (!required.isEmpty()) {
            s.set("required", required);
        }
        s.put("additionalProperties", false);
        return s;
    }

    private static ObjectNode typeSchema(Type type, boolean nullable, Map<String, ObjectNode> defs) {
        ObjectNode s = F.objectNode();
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (raw == String.class) {
            type(s, "string", nullable);
        } else if (raw == Instant.class || raw == OffsetDateTime.class) {
            type(s, "string", nullable);
            s.put("format", "date-time");
        } else if (raw == LocalDateTime.class) {
            type(s, "string", nullable);
            s.put("description", "local date and time, ISO-8601 without offset");
        } else if (raw == LocalDate.class) {
            type(s, "string", nullable);
            s.put("format", "date");
        } else if (raw == int.class || raw == long.class || raw == short.class || raw == Integer.class
                || raw == Long.class || raw == Short.class || raw == BigInteger.class) {
            type(s, "integer", nullable);
        } else if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class) {
            type(s, "number", nullable);
        } else if (raw == boolean.class || raw == Boolean.class) {
            type(s, "boolean", nullable);
        } else if (raw.isEnum()) {
            ArrayNode values = s.putArray("enum");
            for (Object v : raw.getEnumConstants()) {
                values.add(((Enum<?>) v).name());
            }
            if (nullable) {
                values.addNull();
            }
        } else if (Collection.class.isAssignableFrom(raw)) {
            type(s, "array", nullable);
            s.set("items", typeSchema(((ParameterizedType) type).getActualTypeArguments()[0], true, defs));
        } else if (Map.class.isAssignableFrom(raw)) {
            type(s, "object", nullable);
            s.set("additionalProperties", typeSchema(((ParameterizedType) type).getActualTypeArguments()[1], true, defs));
        } else if (raw.isRecord()) {
            String name = raw.getName().substring(raw.getPackageName().length() + 1).replace('$', '.');
            if (!defs.containsKey(name)) {
                defs.put(name, F.objectNode()); // placeholder against recursion
                defs.put(name, recordSchema(raw, defs));
            }
            ObjectNode ref = F.objectNode().put("$ref", "#/$defs/" + name);
            if (!nullable) {
                return ref;
            }
            s.putArray("anyOf").add(ref).add(F.objectNode().put("type", "null"));
        } else {
            throw new IllegalArgumentException("No JSON Schema rule for " + type);
        }
        return s;
    }

    private static void type(ObjectNode s, String type, boolean nullable) {
        if (nullable) {
            s.putArray("type").add(type).add("null");
        } else {
            s.put("type", type);
        }
    }
}
