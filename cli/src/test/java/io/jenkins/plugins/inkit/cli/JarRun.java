package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The built jar, run as a user runs it: a process with a clean environment, its output in files. */
public final class JarRun {

    /** Every variable that could send the jar through a proxy the test did not choose. */
    public static final List<String> PROXY_VARIABLES = List.of(
            "HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    /** What a finished run printed, and its exit code. */
    public record Run(int exit, String out, String err) {
        public String all() {
            return out + err;
        }
    }

    /** A started run, for tests that stop it: its output goes to files read when it ends. */
    public record Started(Process process, File out, File err) {
        public String errSoFar() throws IOException {
            return Files.readString(err.toPath(), StandardCharsets.UTF_8);
        }

        /** Waits at most 90 seconds for the end; the process is killed if it does not come. */
        public Run finish() throws Exception {
            try {
                assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the jar ended in time");
            } finally {
                process.destroyForcibly();
            }
            Run run = new Run(
                    process.exitValue(),
                    Files.readString(out.toPath(), StandardCharsets.UTF_8),
                    Files.readString(err.toPath(), StandardCharsets.UTF_8));
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
            assertFalse(run.all().contains("\tat "), "no stack trace: " + run);
            return run;
        }
    }

    private JarRun() {}

    public static String jar() {
        return System.getProperty("inkit.cli.jar", "target/inkit-batch-status.jar");
    }

    /**
     * Starts the jar with the token (none when {@code null}) and the environment given, and no other
     * token or proxy variable.
     */
    public static Started start(String token, Map<String, String> env, List<String> jvmOptions, String... args)
            throws IOException {
        return start(token, env, jvmOptions, ProcessBuilder.Redirect.from(new File("/dev/null")), args);
    }

    /** {@link #start(String, Map, List, String...)} with standard input as given: a pipe, say. */
    public static Started start(
            String token,
            Map<String, String> env,
            List<String> jvmOptions,
            ProcessBuilder.Redirect stdin,
            String... args)
            throws IOException {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("INKIT_API_TOKEN");
        PROXY_VARIABLES.forEach(pb.environment()::remove);
        if (token != null) {
            pb.environment().put("INKIT_API_TOKEN", token);
        }
        pb.environment().putAll(env);
        File out = File.createTempFile("cli", ".out");
        File err = File.createTempFile("cli", ".err");
        pb.redirectOutput(out).redirectError(err).redirectInput(stdin);
        return new Started(pb.start(), out, err);
    }

    /** Runs the jar to its end, asserting that no secret given and no stack trace was printed. */
    public static Run run(String token, Map<String, String> env, List<String> jvmOptions, String... args)
            throws Exception {
        Run run = start(token, env, jvmOptions, args).finish();
        if (token != null) {
            assertFalse(run.all().contains(token), "the token never appears: " + run);
        }
        return run;
    }
}
