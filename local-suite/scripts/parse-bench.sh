#!/bin/bash
# Jackson's parser of bytes against its parser of characters on milestone events as the topic holds them
# (docs/benchmark-log.md, forty-seventh session: why MilestoneRecordedReader parses a record's text as UTF-8 bytes).
#
#   local-suite/scripts/parse-bench.sh [EVENTS]
#
# Takes EVENTS (2,000) payloads from the local suite's milestone database (run it after ./logisync bench, with the
# suite or its PostgreSQL up; needs a psql client, PSQL) and walks each one field by field, as the reader does, both
# ways, 60 rounds alternating which goes first; prints the medians of rounds 20-59 per event and their ratio.
set -euo pipefail
N=${1:-2000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}
export PGPASSWORD=${PGPASSWORD:-postgres}
JAR=$(ls "$ROOT"/service-view-service/target/quarkus-app/lib/main/com.fasterxml.jackson.core.jackson-core-*.jar | head -1)
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
$PSQL -h localhost -p 15432 -U postgres -X -At -d milestone -c "select payload from milestone order by random() limit $N" \
  > "$DIR/samples.txt"
cat > "$DIR/ParseBench.java" <<'JAVA'
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

public class ParseBench {
    static long object(JsonParser p) throws Exception {
        long h = 0;
        for (String n = p.nextFieldName(); n != null; n = p.nextFieldName()) {
            h += n.length();
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                h += object(p);
            } else if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    h += t == JsonToken.START_OBJECT ? object(p) : p.getText().length();
                }
            } else if (t == JsonToken.VALUE_STRING) {
                h += p.getText().length();
            } else if (t == JsonToken.VALUE_NUMBER_INT) {
                h += p.getLongValue();
            } else if (t == JsonToken.VALUE_NUMBER_FLOAT) {
                h += (long) p.getDoubleValue();
            }
        }
        return h;
    }

    static long run(JsonFactory f, List<String> events, boolean bytes) throws Exception {
        long h = 0;
        for (String json : events) {
            try (JsonParser p = bytes ? f.createParser(json.getBytes(StandardCharsets.UTF_8)) : f.createParser(json)) {
                p.nextToken();
                h += object(p);
            }
        }
        return h;
    }

    public static void main(String[] args) throws Exception {
        List<String> events = Files.readAllLines(Path.of(args[0]));
        JsonFactory f = new JsonFactory();
        double[] chars = new double[60];
        double[] bytes = new double[60];
        long h = 0;
        for (int round = 0; round < 60; round++) {
            for (int w = 0; w < 2; w++) {
                boolean asBytes = (w == 0) == (round % 2 == 0);
                long t0 = System.nanoTime();
                for (int k = 0; k < 20; k++) {
                    h += run(f, events, asBytes);
                }
                double ns = (System.nanoTime() - t0) / (20.0 * events.size());
                (asBytes ? bytes : chars)[round] = ns;
            }
        }
        double[] c = Arrays.copyOfRange(chars, 20, 60);
        double[] b = Arrays.copyOfRange(bytes, 20, 60);
        Arrays.sort(c);
        Arrays.sort(b);
        System.out.printf("%d events, median of rounds 20-59: characters %.0f ns, bytes %.0f ns per event;"
                + " bytes/characters %.3f (checksum %d)%n", events.size(), c[20], b[20], b[20] / c[20], h % 1000);
    }
}
JAVA
javac -d "$DIR" -cp "$JAR" "$DIR/ParseBench.java"
java -cp "$JAR:$DIR" ParseBench "$DIR/samples.txt"
