package com.logisync.runtime.messaging;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The classes the Kafka client's LZ4 codec loads by name, kept in the native image.
 *
 * <p>The outbox relay's producer compresses its batches with LZ4 (sync-runtime's
 * {@code mp.messaging.outgoing.logisync-events.compression.type}), and every consumer decompresses them. The
 * client gets its codec from lz4-java's {@code LZ4Factory.fastestInstance()} and its checksum from
 * {@code XXHashFactory.fastestInstance()}. They use the JNI library only when it is loaded or lz4-java was loaded by
 * the system class loader; in JVM mode {@link NativeLz4} loads it at start, but a native image carries no
 * {@code liblz4-java.so}: there the services run the pure-Java codec. Each factory loads its implementations by a
 * name it builds at run time ({@code "net.jpountz.lz4.LZ4" + impl + "Compressor"}) and reads their public
 * {@code INSTANCE} field. The
 * native image's analysis cannot follow such names, so without this registration no LZ4 batch could be read or
 * written there. Quarkus' Kafka extension registers Snappy's classes, not these.
 *
 * <p>Which pure-Java variant a factory picks, safe or unsafe, depends on lz4-java's version and the platform; both
 * are registered. Checked on the Quarkus side with {@code -Dnative -Dquarkus.native.sources-only=true} (every
 * service's generated reflection configuration lists them); a native executable cannot be built on the
 * development machine, so the codec has not run natively.
 */
@RegisterForReflection(fields = true, methods = false, classNames = {
        "net.jpountz.lz4.LZ4JavaUnsafeCompressor",
        "net.jpountz.lz4.LZ4HCJavaUnsafeCompressor",
        "net.jpountz.lz4.LZ4JavaUnsafeFastDecompressor",
        "net.jpountz.lz4.LZ4JavaUnsafeSafeDecompressor",
        "net.jpountz.lz4.LZ4JavaSafeCompressor",
        "net.jpountz.lz4.LZ4HCJavaSafeCompressor",
        "net.jpountz.lz4.LZ4JavaSafeFastDecompressor",
        "net.jpountz.lz4.LZ4JavaSafeSafeDecompressor",
        "net.jpountz.xxhash.XXHash32JavaUnsafe",
        "net.jpountz.xxhash.XXHash64JavaUnsafe",
        "net.jpountz.xxhash.StreamingXXHash32JavaUnsafe$Factory",
        "net.jpountz.xxhash.StreamingXXHash64JavaUnsafe$Factory",
        "net.jpountz.xxhash.XXHash32JavaSafe",
        "net.jpountz.xxhash.XXHash64JavaSafe",
        "net.jpountz.xxhash.StreamingXXHash32JavaSafe$Factory",
        "net.jpountz.xxhash.StreamingXXHash64JavaSafe$Factory"})
final class Lz4InNativeImage {

    private Lz4InNativeImage() {
    }
}
