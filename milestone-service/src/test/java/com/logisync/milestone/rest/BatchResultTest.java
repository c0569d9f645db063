package com.logisync.milestone.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.runtime.rest.Problem;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch answer written by hand ({@link BatchResult#toJson()}) is, character for character, what the mapper writes. */
class BatchResultTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void anAnswerOfEveryOutcomeIsWrittenAsTheMapperWritesIt() throws Exception {
        BatchResult result = BatchResult.of(List.of(
                new BatchResult.Item(0, BatchResult.Outcome.RECORDED, "REST_API:SWIFT:ev-1", "SHP-1", -15L, false, true, null),
                new BatchResult.Item(1, BatchResult.Outcome.REJECTED, null, null, null, null, null,
                        List.of(new Problem.FieldError("eventTime", "Timed", "must give eventTime (with offset) or"
                                + " localEventTime"), new Problem.FieldError("$", "wrong-type", null))),
                new BatchResult.Item(2, BatchResult.Outcome.AMBIGUOUS, "REST_API:SWIFT:ev-3", null, null, null, null, null,
                        List.of("SHP-2", "SHP-3")),
                new BatchResult.Item(3, BatchResult.Outcome.PARKED, "REST_API:SWIFT:\"quoted\"\\ \u00e9\u4e2d\n", null,
                        null, null, null, null)));
        assertThat(result.toJson()).isEqualTo(MAPPER.writeValueAsString(result)).isEqualTo("{\"received\":4,"
                + "\"recorded\":1,\"parked\":1,\"duplicates\":0,\"rejected\":1,\"ambiguous\":1,\"items\":["
                + "{\"index\":0,\"outcome\":\"RECORDED\",\"eventId\":\"REST_API:SWIFT:ev-1\",\"shipmentId\":\"SHP-1\","
                + "\"delayMinutes\":-15,\"late\":false,\"outOfOrder\":true},"
                + "{\"index\":1,\"outcome\":\"REJECTED\",\"errors\":[{\"field\":\"eventTime\",\"code\":\"Timed\","
                + "\"message\":\"must give eventTime (with offset) or localEventTime\"},{\"field\":\"$\",\"code\":\"wrong-type\"}]},"
                + "{\"index\":2,\"outcome\":\"AMBIGUOUS\",\"eventId\":\"REST_API:SWIFT:ev-3\",\"candidates\":[\"SHP-2\",\"SHP-3\"]},"
                + "{\"index\":3,\"outcome\":\"PARKED\",\"eventId\":\"REST_API:SWIFT:\\\"quoted\\\"\\\\ \u00e9\u4e2d\\n\"}]}");
    }

    @Test
    void randomAnswersAreWrittenAsTheMapperWritesThem() throws Exception {
        Random random = new Random(20261204L);
        for (int n = 0; n < 2_000; n++) {
            List<BatchResult.Item> items = new ArrayList<>();
            for (int i = 0, size = random.nextInt(6); i < size; i++) {
                BatchResult.Outcome outcome = BatchResult.Outcome.values()[random.nextInt(BatchResult.Outcome.values().length)];
                List<Problem.FieldError> errors = random.nextInt(3) != 0 ? null : new ArrayList<>();
                for (int e = 0; errors != null && e < random.nextInt(3); e++) {
                    errors.add(new Problem.FieldError(text(random), text(random), text(random)));
                }
                List<String> candidates = random.nextInt(3) != 0 ? null
                        : random.nextBoolean() ? List.of() : List.of(text(random) + "x", "SHP-" + random.nextInt(99));
                items.add(new BatchResult.Item(i, random.nextInt(10) == 0 ? null : outcome, text(random), text(random),
                        random.nextBoolean() ? null : random.nextLong(), random.nextBoolean() ? null : random.nextBoolean(),
                        random.nextBoolean() ? null : random.nextBoolean(), errors, candidates));
            }
            BatchResult result = new BatchResult(random.nextInt(1001), random.nextInt(1001), random.nextInt(1001),
                    random.nextInt(1001), random.nextInt(1001), random.nextInt(1001), items);
            assertThat(result.toJson()).as("answer %d", n).isEqualTo(MAPPER.writeValueAsString(result));
        }
    }

    private static String text(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "SHP-" + random.nextInt(10_000);
            case 3 -> "a\"b\\c\u0001\t\u00e9\uD83D\uDE9A";
            default -> "REST_API:SWIFT:ev-" + random.nextInt(1_000_000);
        };
    }
}
