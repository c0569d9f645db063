package com.logisync.runtime;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.logisync.contracts.event.MilestoneRecorded;
import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.Enrichment;
import com.logisync.contracts.milestone.EventTime;
import com.logisync.contracts.milestone.Location;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.milestone.ProofOfDelivery;
import com.logisync.contracts.milestone.Reason;
import com.logisync.contracts.milestone.Source;
import com.logisync.contracts.milestone.SourceSystem;
import com.logisync.contracts.milestone.TimeResolution;
import com.logisync.contracts.model.Address;
import com.logisync.contracts.model.Correlation;
import com.logisync.contracts.model.ExternalReference;
import com.logisync.contracts.model.ReferenceType;
import com.logisync.contracts.model.StopType;
import com.logisync.contracts.model.TimeWindow;
import com.logisync.runtime.json.FastTimeModule;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random {@link MilestoneRecorded} events of every shape: each part present or absent, nulls inside them, texts with
 * every kind of character Jackson escapes or passes through, instants and local times with and without fractions,
 * whole and fractional coordinates. For the tests that compare the hand-written JSON reader and writer with the mapper.
 */
public final class RandomMilestoneEvents {

    private static final String[] TEXTS = {null, "", "plain", "Zoë's \"dock\" \\ 3", "tab\tline\nend", "日本語", "\u0001ctl",
            "\u007f\u2028\ud83d\ude9a end", "\u001f\b\f\r/", "SHP-00042"};

    private RandomMilestoneEvents() {
    }

    /** A mapper as Quarkus configures the services' own: unknown properties ignored, ISO times, the fast time module last. */
    public static ObjectMapper mapper() {
        return JsonMapper.builder().addModule(new JavaTimeModule()).addModule(new FastTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .build();
    }

    public static MilestoneRecorded next(Random r) {
        List<ExternalReference> refs = null;
        int n = r.nextInt(4) - 1;
        if (n >= 0) {
            refs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                refs.add(new ExternalReference(pick(r, ReferenceType.values()), text(r)));
            }
        }
        Correlation correlation = r.nextInt(20) == 0 ? null
                : new Correlation("SHP-" + r.nextInt(100_000), text(r), text(r), text(r), text(r), refs);
        EventTime time = r.nextInt(5) == 0 ? null : new EventTime(instant(r), local(r), text(r), pick(r, TimeResolution.values()));
        Location location = r.nextInt(3) == 0 ? null : new Location(text(r), text(r),
                r.nextBoolean() ? null : new Address(text(r), text(r), text(r), text(r), text(r)),
                r.nextBoolean() ? null : (r.nextBoolean() ? r.nextInt(180) - 90 : (r.nextDouble() - 0.5) * 180),
                r.nextBoolean() ? null : (r.nextDouble() - 0.5) * 360, r.nextBoolean() ? null : r.nextInt(20) - 2,
                pick(r, StopType.values()));
        Reason reason = r.nextInt(3) == 0 ? null : new Reason(text(r), text(r), text(r), text(r));
        Source source = r.nextInt(10) == 0 ? null : new Source(pick(r, SourceSystem.values()), text(r), text(r), text(r));
        ProofOfDelivery pod = r.nextBoolean() ? null : new ProofOfDelivery(text(r), instant(r), text(r), text(r),
                r.nextBoolean() ? null : r.nextBoolean(), text(r));
        Enrichment enrichment = r.nextInt(3) == 0 ? null : new Enrichment(text(r), r.nextBoolean() ? null : r.nextInt(9),
                r.nextBoolean() ? null : new TimeWindow(instant(r), instant(r)),
                r.nextBoolean() ? 0 : r.nextLong() >> r.nextInt(64), r.nextBoolean());
        return new MilestoneRecorded(text(r), r.nextInt(5) == 0 ? r.nextInt() : r.nextInt(4), correlation,
                pick(r, MilestoneType.values()), pick(r, Classifier.values()), time, instant(r), location, reason, source,
                pod, enrichment, r.nextBoolean());
    }

    private static String text(Random r) {
        return TEXTS[r.nextInt(TEXTS.length)];
    }

    /** One of the values, or null now and then. */
    private static <T> T pick(Random r, T[] values) {
        return r.nextInt(values.length + 1) == 0 ? null : values[r.nextInt(values.length)];
    }

    private static Instant instant(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> null;
            case 1 -> Instant.ofEpochSecond(1_764_000_000L + r.nextInt(10_000_000));
            case 2 -> Instant.ofEpochSecond(1_764_000_000L + r.nextInt(10_000_000), r.nextInt(1_000_000_000));
            default -> Instant.ofEpochMilli(1_764_000_000_000L + r.nextInt(1_000_000_000));
        };
    }

    private static LocalDateTime local(Random r) {
        return switch (r.nextInt(3)) {
            case 0 -> null;
            case 1 -> LocalDateTime.of(2026, 1 + r.nextInt(12), 1 + r.nextInt(28), r.nextInt(24), r.nextInt(60), r.nextInt(60));
            default -> LocalDateTime.of(2026, 12, 3, r.nextInt(24), r.nextInt(60), r.nextInt(60), r.nextInt(1_000_000_000));
        };
    }
}
