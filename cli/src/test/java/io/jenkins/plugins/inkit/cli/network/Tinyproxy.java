package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's tinyproxy, a forward proxy that wants a user name and password, on a free loopback port with
 * its own configuration file, in the foreground so that it ends with the test. Where it is not
 * installed, the tests that use it are skipped ({@link #binary()} is {@code null}); the same tests run
 * against {@link JettyProxy} everywhere.
 *
 * <p>What tinyproxy 1.11 does, which the tests rely on: a CONNECT without credentials gets 407, one with
 * wrong credentials 401; each request is logged as {@code Request (file descriptor N): CONNECT host:port}.
 */
final class Tinyproxy implements ForwardProxy {

    private final Process process;
    private final Path log;
    private final int port;

    private Tinyproxy(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts tinyproxy on 127.0.0.1, allowing CONNECT to {@code connectPort} only, and waits until it listens. */
    static Tinyproxy start(Path dir, int connectPort) throws IOException, InterruptedException {
        String binary = binary();
        if (binary == null) {
            throw new IllegalStateException("no tinyproxy binary: callers check binary() first");
        }
        int port = freePort();
        Path config = dir.resolve("tinyproxy.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "Port " + port,
                        "Listen 127.0.0.1",
                        "Allow 127.0.0.1",
                        "Timeout 30",
                        "MaxClients 20",
                        "LogLevel Connect",
                        "BasicAuth " + USER + " " + PASSWORD,
                        "ConnectPort " + connectPort,
                        ""),
                StandardCharsets.US_ASCII);
        Path log = dir.resolve("tinyproxy.log");
        Process process = new ProcessBuilder(binary, "-d", "-c", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        Tinyproxy proxy = new Tinyproxy(process, log, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!process.isAlive()) {
                fail("tinyproxy ended at once (exit " + process.exitValue() + "): " + proxy.log());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
                return proxy;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    proxy.close();
                    fail("tinyproxy did not listen on 127.0.0.1:" + port + " within 15 s: " + proxy.log());
                }
                process.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Where tinyproxy is installed, or {@code null}. */
    static String binary() {
        for (String candidate : List.of("/usr/bin/tinyproxy", "/usr/sbin/tinyproxy", "/usr/local/bin/tinyproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "tinyproxy"))) {
                    return Path.of(dir, "tinyproxy").toString();
                }
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no log)";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many requests the proxy has received so far: its "Request (file descriptor N): ..." lines. */
    @Override
    public long requests() {
        return log().lines().filter(l -> l.contains("Request (file descriptor")).count();
    }

    /** How many times the proxy was asked to CONNECT to {@code target} ("host:port"). */
    @Override
    public long connects(String target) {
        return log().lines()
                .filter(l -> l.contains("Request (file descriptor") && l.contains(": CONNECT " + target + " "))
                .count();
    }

    @Override
    public int refusalStatus() {
        return 401;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
