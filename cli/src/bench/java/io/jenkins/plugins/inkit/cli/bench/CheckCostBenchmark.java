package io.jenkins.plugins.inkit.cli.bench;

import io.jenkins.plugins.inkit.cli.simulator.InkitSimulator;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one check (request and parse) against a local server: with the one shared client
 * this project keeps, and with a new client per request, as several plugins do.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CheckCostBenchmark {

    static final TokenSource TOKEN = TokenSource.of("bench-token-0123456789", "the benchmark token");
    static final Duration BUDGET = Duration.ofSeconds(10);

    InkitSimulator simulator;
    InkitClient shared;

    @Setup(Level.Trial)
    public void start() throws Exception {
        simulator = new InkitSimulator(0, 60, 2);
        shared = new InkitClient(
                InkitClient.configure(new OkHttpClient.Builder()).build(), simulator.url());
    }

    @TearDown(Level.Trial)
    public void stop() {
        simulator.close();
    }

    @Benchmark
    public Batch sharedClient() throws Exception {
        return shared.fetchBatch(InkitSimulator.COMPLETED, TOKEN, BUDGET);
    }

    @Benchmark
    public Batch newClientPerRequest() throws Exception {
        OkHttpClient http = InkitClient.configure(new OkHttpClient.Builder()).build();
        try {
            return new InkitClient(http, simulator.url()).fetchBatch(InkitSimulator.COMPLETED, TOKEN, BUDGET);
        } finally {
            // What a careful plugin would do; most do not, and leak the pool's threads until they idle out.
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }
}
