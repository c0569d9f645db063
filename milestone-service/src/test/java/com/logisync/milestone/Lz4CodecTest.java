package com.logisync.milestone;

import com.logisync.runtime.messaging.NativeLz4;
import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka client's LZ4 codec is lz4-java's JNI library once the service has started ({@link NativeLz4}), though
 * lz4-java is loaded by the application's class loader, for which it would pick its pure-Java codec; and the two
 * codecs read each other's blocks (a JVM replica and a native one side by side during a rollout).
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class Lz4CodecTest {

    @Test
    void kafkasLz4CodecIsTheJniLibraryAfterStart() throws Exception {
        // Without the start-up hook lz4-java would choose its Java codec: it is not on the system class loader.
        assertThat(LZ4Factory.class.getClassLoader()).isNotSameAs(ClassLoader.getSystemClassLoader());
        assertThat(NativeLz4.codec()).isEqualTo("LZ4Factory:JNI");
        assertThat(XXHashFactory.fastestInstance().toString()).isEqualTo("XXHashFactory:JNI");

        // What the relay's producer does with a batch: Kafka's LZ4 stream, written and read back.
        byte[] batch = milestones(200);
        ByteBufferOutputStream compressed = new ByteBufferOutputStream(1024);
        try (OutputStream out = Compression.lz4().build().wrapForOutput(compressed, RecordBatch.MAGIC_VALUE_V2)) {
            out.write(batch);
        }
        ByteBuffer written = compressed.buffer().flip();
        assertThat(written.remaining()).isLessThan(batch.length / 4);
        try (InputStream in = Compression.lz4().build().wrapForInput(written, RecordBatch.MAGIC_VALUE_V2,
                BufferSupplier.NO_CACHING)) {
            assertThat(in.readAllBytes()).isEqualTo(batch);
        }
    }

    @Test
    void theJniAndJavaCodecsReadEachOthersBlocks() {
        byte[] block = milestones(80);
        for (LZ4Factory writer : new LZ4Factory[] {LZ4Factory.nativeInstance(), LZ4Factory.safeInstance()}) {
            for (LZ4Factory reader : new LZ4Factory[] {LZ4Factory.nativeInstance(), LZ4Factory.safeInstance()}) {
                byte[] out = new byte[writer.fastCompressor().maxCompressedLength(block.length)];
                int length = writer.fastCompressor().compress(block, 0, block.length, out, 0, out.length);
                byte[] back = new byte[block.length];
                int read = reader.safeDecompressor().decompress(out, 0, length, back, 0);
                assertThat(read).as(writer + " read by " + reader).isEqualTo(block.length);
                assertThat(Arrays.equals(back, block)).as(writer + " read by " + reader).isTrue();
            }
        }
    }

    /** Milestone events as the relay publishes them, each with its own ids. */
    private static byte[] milestones(int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append("{\"eventId\":\"REST_API:BENCH:bench-").append(1_000_000 + i * 7919)
                    .append("\",\"revision\":1,\"correlation\":{\"shipmentId\":\"SHP-")
                    .append(Integer.toHexString(i * 104729))
                    .append("\",\"customerId\":\"CUST-ACME\"},\"milestone\":\"DEPARTED_PICKUP\",")
                    .append("\"classifier\":\"ACTUAL\",\"eventTime\":{\"utc\":\"2026-12-06T17:28:0").append(i % 10)
                    .append(".441517985Z\"},\"location\":{\"name\":\"Acme DC Dallas\",\"locationCode\":\"USDAL\",")
                    .append("\"stopSequence\":1}}");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }
}
