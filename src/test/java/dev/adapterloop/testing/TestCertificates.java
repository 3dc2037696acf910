package dev.adapterloop.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test CA and a server certificate it signed for 127.0.0.1, made with the JDK's {@code keytool} (the test classpath
 * has no certificate builder: bcprov without bcpkix). Real files, as an operator would have them: the CA as PEM, a
 * PKCS12 trust store holding it, the server's key and chain as a PKCS12 key store.
 *
 * @param caPem       the CA certificate, PEM
 * @param trustStore  a PKCS12 trust store with the CA certificate, password {@link #password}
 * @param serverStore a PKCS12 key store with the server key (alias {@code server}) and its chain, password
 *                    {@link #password}; the certificate names IP 127.0.0.1 and DNS localhost
 */
public record TestCertificates(Path caPem, Path trustStore, Path serverStore, String password) {

    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    /** A fresh CA named {@code caName} and a server certificate it signed, under {@code dir}. */
    public static TestCertificates create(Path dir, String caName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String password = "test-store-password";
        Path caStore = dir.resolve("ca.p12");
        Path caPem = dir.resolve("ca.pem");
        Path serverStore = dir.resolve("server.p12");
        Path csr = dir.resolve("server.csr");
        Path serverPem = dir.resolve("server.pem");
        Path trustStore = dir.resolve("truststore.p12");
        // EC keys: generated in milliseconds, where RSA keys take a noticeable share of a 2-core machine.
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + caName,
                "-ext", "bc:c", "-validity", "2", "-keystore", caStore, "-storetype", "PKCS12", "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore, "-storepass", password, "-file", caPem);
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=127.0.0.1", "-validity", "2", "-keystore", serverStore, "-storetype", "PKCS12", "-storepass",
                password);
        keytool("-certreq", "-alias", "server", "-keystore", serverStore, "-storepass", password, "-file", csr);
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore, "-storepass", password, "-infile", csr,
                "-outfile", serverPem, "-validity", "2", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", serverStore, "-storepass",
                password);
        keytool("-importcert", "-alias", "server", "-file", serverPem, "-keystore", serverStore, "-storepass",
                password);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem, "-keystore", trustStore, "-storetype",
                "PKCS12", "-storepass", password);
        // The server store must hold only the key entry: Jetty and Kafka pick the first key entry and a trusted
        // certificate entry next to it does no harm, but keep the store as an operator's would be.
        keytool("-delete", "-alias", "ca", "-keystore", serverStore, "-storepass", password);
        return new TestCertificates(caPem, trustStore, serverStore, password);
    }

    private static void keytool(Object... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(KEYTOOL.toString());
        for (Object arg : args) {
            command.add(arg.toString());
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + new String(output,
                    StandardCharsets.UTF_8));
        }
    }
}
