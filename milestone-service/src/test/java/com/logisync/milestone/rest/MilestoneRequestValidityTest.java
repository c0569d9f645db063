package com.logisync.milestone.rest;

import com.logisync.contracts.milestone.MilestoneType;
import jakarta.validation.Constraint;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.Size;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch endpoint's hand check ({@link MilestoneRequest#plainlyValid()}) says "valid" exactly where Bean
 * Validation finds no violation: on every edge of every constraint (null, empty, blank in the several ways
 * {@code String#isBlank} knows, at the limit and one past it), in random combinations.
 */
class MilestoneRequestValidityTest {

    private static ValidatorFactory factory;
    private static Validator validator;

    @BeforeAll
    static void validator() {
        factory = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory();
        validator = factory.getValidator();
    }

    @AfterAll
    static void close() {
        factory.close();
    }

    private static final OffsetDateTime AT = OffsetDateTime.parse("2026-12-04T10:00:00-06:00");

    @Test
    void aTypicalReportIsPlainlyValidAndEachSingleSlipSendsItToTheValidator() {
        MilestoneRequest ok = request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, null, null,
                new MilestoneRequest.Keys(null, null, "LD-1", null, null, null), null, null);
        assertThat(ok.plainlyValid()).isTrue();
        assertThat(validator.validate(ok)).isEmpty();

        List<MilestoneRequest> slips = List.of(
                request(" ", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, null, null, keys("LD-1"), null, null),
                request("ev-1", "\u2003", MilestoneType.ARRIVED_DELIVERY, AT, null, null, keys("LD-1"), null, null),
                request("ev-1", "SWIFT", null, AT, null, null, keys("LD-1"), null, null),
                request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, null, null, null, keys("LD-1"), null, null),
                request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, "x".repeat(21), null, keys("LD-1"), null, null),
                request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, null, null, null, null, null),
                request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, null, null, keys(" "), null, null),
                request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, null, null, keys("x".repeat(65)), null, null),
                request("ev-1", "SWIFT", MilestoneType.DELIVERED, AT, null, null, keys("LD-1"),
                        new MilestoneRequest.Pod("", AT, null, null), null),
                request("ev-1", "SWIFT", MilestoneType.DELIVERED, AT, null, null, keys("LD-1"),
                        new MilestoneRequest.Pod("J. Doe", null, null, null), null),
                request("ev-1", "SWIFT", MilestoneType.ARRIVED_DELIVERY, AT, null, null, keys("LD-1"), null,
                        "x".repeat(65)));
        for (MilestoneRequest slip : slips) {
            assertThat(slip.plainlyValid()).as("%s", slip).isFalse();
            assertThat(validator.validate(slip)).as("%s", slip).hasSize(1);
        }
    }

    @Test
    void theHandCheckAndTheValidatorAgreeOnEveryEdgeInRandomCombinations() {
        Random random = new Random(20261204L);
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            MilestoneRequest r = request(notBlank(random, 100), notBlank(random, 40),
                    random.nextInt(8) == 0 ? null : MilestoneType.values()[random.nextInt(MilestoneType.values().length)],
                    random.nextInt(4) == 0 ? null : AT, sized(random, 20),
                    random.nextInt(3) == 0 ? LocalDateTime.parse("2026-12-04T10:00:00") : null,
                    random.nextInt(10) == 0 ? null : new MilestoneRequest.Keys(key(random), key(random), key(random),
                            key(random), key(random), key(random)),
                    random.nextInt(3) != 0 ? null : new MilestoneRequest.Pod(notBlank(random, 120),
                            random.nextInt(5) == 0 ? null : AT, sized(random, 120), sized(random, 1000)),
                    sized(random, 64));
            boolean none = validator.validate(r).isEmpty();
            assertThat(r.plainlyValid()).as("report %d: %s, violations %s", i, r, validator.validate(r)).isEqualTo(none);
            valid += none ? 1 : 0;
        }
        // Both outcomes are well represented, or the agreement would prove little.
        assertThat(valid).isBetween(1_000, 19_000);
    }

    /**
     * The constraints the hand check knows. A constraint added to the report, its keys or its POD fails this test
     * until {@link MilestoneRequest#plainlyValid()} checks it too and it is listed here.
     */
    @Test
    void theHandCheckKnowsEveryConstraintOfTheReport() {
        TreeSet<String> found = new TreeSet<>();
        for (Class<?> type : List.of(MilestoneRequest.class, MilestoneRequest.Keys.class, MilestoneRequest.Pod.class)) {
            constraints(type.getSimpleName(), type, found);
            for (var f : type.getDeclaredFields()) {
                constraints(type.getSimpleName() + "." + f.getName(), f, found);
            }
            java.util.Set<String> components = java.util.Arrays.stream(type.getRecordComponents())
                    .map(java.lang.reflect.RecordComponent::getName).collect(java.util.stream.Collectors.toSet());
            for (var m : type.getDeclaredMethods()) {
                if (m.getParameterCount() == 0 && components.contains(m.getName())) {
                    continue; // a component's accessor carries the component's annotations, as its field does
                }
                constraints(type.getSimpleName() + "." + m.getName() + "()", m, found);
            }
        }
        assertThat(found).containsExactlyInAnyOrder(
                "MilestoneRequest@Timed",
                "MilestoneRequest.sourceEventId@NotBlank", "MilestoneRequest.sourceEventId@Size(100)",
                "MilestoneRequest.partnerId@NotBlank", "MilestoneRequest.partnerId@Size(40)",
                "MilestoneRequest.milestone@NotNull",
                "MilestoneRequest.sourceStatusCode@Size(20)",
                "MilestoneRequest.references@NotNull", "MilestoneRequest.references@Valid",
                "MilestoneRequest.pod@Valid",
                "MilestoneRequest.localTimeZone@Size(64)",
                "Keys.shipmentId@Size(64)", "Keys.orderId@Size(64)", "Keys.loadId@Size(64)", "Keys.bol@Size(64)",
                "Keys.pro@Size(64)", "Keys.po@Size(64)", "Keys.isAnyKey()@AssertTrue",
                "Pod.signedBy@NotBlank", "Pod.signedBy@Size(120)", "Pod.signedAt@NotNull", "Pod.documentRef@Size(120)",
                "Pod.osdNotes@Size(1000)");
    }

    private static void constraints(String where, AnnotatedElement element, TreeSet<String> found) {
        for (Annotation a : element.getAnnotations()) {
            Class<? extends Annotation> type = a.annotationType();
            if (type == Valid.class || type.isAnnotationPresent(Constraint.class)) {
                found.add(where + "@" + type.getSimpleName() + (a instanceof Size s ? "(" + s.max() + ")" : ""));
            }
        }
    }

    private static MilestoneRequest request(String sourceEventId, String partnerId, MilestoneType milestone,
            OffsetDateTime eventTime, String sourceStatusCode, LocalDateTime localEventTime, MilestoneRequest.Keys keys,
            MilestoneRequest.Pod pod, String zone) {
        return new MilestoneRequest(sourceEventId, null, partnerId, milestone, null, eventTime, sourceStatusCode, keys,
                null, null, pod, localEventTime, zone);
    }

    private static MilestoneRequest.Keys keys(String loadId) {
        return new MilestoneRequest.Keys(null, null, loadId, null, null, null);
    }

    /** Every edge of {@code @NotBlank @Size(max)}. */
    private static String notBlank(Random random, int max) {
        List<String> edges = new ArrayList<>(List.of(" a ", "x".repeat(max), "x".repeat(max + 1),
                " ".repeat(max + 1), "", " ", "\t\n", "\u2003", "\u00a0"));
        edges.add(null);
        for (int i = 0; i < 30; i++) {
            edges.add("a"); // mostly valid, so that both outcomes are common
        }
        return edges.get(random.nextInt(edges.size()));
    }

    /** Every edge of {@code @Size(max)}. */
    private static String sized(Random random, int max) {
        List<String> edges = new ArrayList<>(List.of("", " ", "x".repeat(max), "x".repeat(max + 1)));
        for (int i = 0; i < 12; i++) {
            edges.add(null);
        }
        return edges.get(random.nextInt(edges.size()));
    }

    private static String key(Random random) {
        List<String> edges = new ArrayList<>(List.of("", " ", "K-1", "x".repeat(64), "x".repeat(65), "\u2003"));
        for (int i = 0; i < 8; i++) {
            edges.add(null);
        }
        return edges.get(random.nextInt(edges.size()));
    }
}
