package dev.adapterloop.embedded;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * Read by GraalVM's native-image only (never loaded on the JVM): in the native executable
 * {@link EmbeddedInfrastructure} starts nothing, so the Kafka broker and s3proxy, whose jars the native build leaves
 * out (Maven profile {@code native}, docs/native.md), are unreachable. {@code AdapterloopMain} asks
 * {@link EmbeddedInfrastructure#available()} first and refuses with a message naming the endpoints to configure.
 */
final class NativeImageSubstitutions {

    private NativeImageSubstitutions() {
    }

    @TargetClass(EmbeddedInfrastructure.class)
    static final class Target_EmbeddedInfrastructure {

        @Substitute
        public static boolean available() {
            return false;
        }

        @Substitute
        public static EmbeddedInfrastructure start(EmbeddedInfrastructure.Plan plan) {
            throw new IllegalStateException(EmbeddedInfrastructure.unavailableMessage(plan));
        }

        /** Nothing was started ({@link EmbeddedInfrastructure#none()}): the servers' close paths stay unreachable. */
        @Substitute
        public void close() {
        }
    }
}
