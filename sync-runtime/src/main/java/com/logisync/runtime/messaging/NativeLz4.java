package com.logisync.runtime.messaging;

import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Loads lz4-java's JNI library at start, in JVM mode, so that the Kafka client's LZ4 codec (the relay's compressed
 * batches, every consumer's fetches) runs the C implementation instead of the pure-Java one.
 *
 * <p>lz4-java's {@code LZ4Factory.fastestInstance()} and {@code XXHashFactory.fastestInstance()} use the JNI library
 * only when it is already loaded or when lz4-java itself was loaded by the system class loader. Under Quarkus it is
 * loaded by the application's class loader, so the Kafka client got the pure-Java codec
 * ({@code LZ4JavaSafeCompressor}): 7.4 % of milestone-service's CPU in the disjoint batch phase of the benchmark,
 * about 3 µs per published milestone, and {@code LZ4JavaSafeSafeDecompressor} 2.2 % of service-view's
 * (async-profiler, docs/benchmark-log.md, forty-fourth session). On 64-KiB blocks of milestone events the JNI
 * compressor took 0.3-0.5 µs per event against 1.5-4.3 for the Java one, and decompressed in 0.06-0.24 µs against
 * 0.6-1.7. The output is the same LZ4 format either way: a consumer of either kind reads a producer of either kind.
 *
 * <p>Loaded before the messaging channels start ({@code PLATFORM_BEFORE}, ahead of SmallRye Reactive Messaging's
 * {@code LIBRARY_BEFORE}): the client's decompressor is chosen once, when its class is first used, and its
 * compressor with every batch. {@code Native.load()} copies the library for the platform out of the jar into
 * {@code java.io.tmpdir} (the chart mounts an {@code emptyDir} there; the root filesystem is read-only) and loads
 * it. Where that fails (an unsupported platform, a {@code /tmp} mounted {@code noexec}) the pure-Java codec stays and
 * the service says so once; nothing else changes. A native executable (the production target) has no JNI library
 * to load and keeps the pure-Java codec registered by {@link Lz4InNativeImage}. {@code logisync.messaging.lz4-jni}
 * ({@code LOGISYNC_MESSAGING_LZ4_JNI=false}) turns the loading off.
 */
@ApplicationScoped
public class NativeLz4 {

    private static final Logger LOG = Logger.getLogger(NativeLz4.class);

    @ConfigProperty(name = "logisync.messaging.lz4-jni", defaultValue = "true")
    boolean enabled;

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        if (!enabled) {
            LOG.infof("LZ4 codec: %s (logisync.messaging.lz4-jni=false)", codec());
            return;
        }
        if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            return;
        }
        load();
    }

    /** Loads the JNI library if it is not yet, and says which codec the Kafka client gets from now on. */
    static void load() {
        try {
            net.jpountz.util.Native.load();
            LOG.infof("LZ4 codec: %s", codec());
        } catch (Throwable e) { // UnsatisfiedLinkError, an I/O error copying the library, an unsupported platform
            LOG.warnf("LZ4 codec: %s; the JNI library could not be loaded (%s)", codec(), e.toString());
        }
    }

    /** {@code LZ4Factory:JNI} or {@code LZ4Factory:JavaSafe}: what {@code fastestInstance()} answers now. */
    public static String codec() {
        return net.jpountz.lz4.LZ4Factory.fastestInstance().toString();
    }
}
