package io.jenkins.plugins.inkit;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.jenkins.plugins.inkit.InkitApiStubs.CREDENTIALS_ID;
import static io.jenkins.plugins.inkit.InkitApiStubs.TOKEN;
import static io.jenkins.plugins.inkit.InkitApiStubs.batch;
import static io.jenkins.plugins.inkit.InkitApiStubs.batchRequest;
import static io.jenkins.plugins.inkit.InkitApiStubs.dest;
import static io.jenkins.plugins.inkit.InkitApiStubs.path;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import hudson.ProxyConfiguration;
import hudson.model.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/** Jenkins' proxy settings (host, port, user name, password, no-proxy hosts) on every request, tunnels included. */
@WithJenkins
class InkitProxyTest {

    static final String PROXY_USER = "proxy-user";
    static final String PROXY_PASSWORD = "proxy-SECRET-pw-5e6f";
    static final String BASIC = "Basic "
            + Base64.getEncoder().encodeToString((PROXY_USER + ":" + PROXY_PASSWORD).getBytes(StandardCharsets.UTF_8));

    @RegisterExtension
    static final WireMockExtension INKIT = InkitApiStubs.server();

    /** Plays the proxy for plain-http requests: they arrive whole, with the target in the request line. */
    @RegisterExtension
    static final WireMockExtension PROXY = InkitApiStubs.server();

    private JenkinsRule j;
    private ConnectRecorder tunnelProxy;

    @BeforeEach
    void setUp(JenkinsRule rule) throws Exception {
        j = rule;
        InkitApiStubs.addTokenCredential(j.jenkins);
        tunnelProxy = new ConnectRecorder();
    }

    @AfterEach
    void tearDown() throws IOException {
        tunnelProxy.close();
    }

    private WorkflowRun build(Result expected, String batchId, String apiUrl) throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class);
        p.setDefinition(new CpsFlowDefinition(
                "inkitBatchStatus(batchId: '" + batchId + "', credentialsId: '" + CREDENTIALS_ID + "', apiUrl: '"
                        + apiUrl + "')",
                true));
        WorkflowRun b = j.buildAndAssertStatus(expected, p);
        j.assertLogNotContains(PROXY_PASSWORD, b);
        j.assertLogNotContains(TOKEN, b);
        return b;
    }

    @Test
    void plainHttpToThisMachineNeverGoesThroughTheProxy() throws Exception {
        // Plain http is allowed only to this machine, so that the token never crosses a network in
        // clear text: even a proxy whose no-proxy list does not name the host is not used.
        j.jenkins.setProxy(new ProxyConfiguration("localhost", PROXY.getPort(), PROXY_USER, PROXY_PASSWORD));
        PROXY.stubFor(get(urlEqualTo(path("fb_local")))
                .willReturn(okJson(batch("fb_local", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        INKIT.stubFor(batchRequest("fb_local")
                .willReturn(okJson(batch("fb_local", "Completed", 1, dest("inkit_storage", 1, 1, 0, 0)))));
        build(Result.SUCCESS, "fb_local", "http://127.0.0.1:" + INKIT.getPort());
        build(Result.SUCCESS, "fb_local", "http://localhost:" + INKIT.getPort());
        INKIT.verify(2, getRequestedFor(urlEqualTo(path("fb_local"))).withHeader("Proxy-Authorization", absent()));
        assertTrue(PROXY.getAllServeEvents().isEmpty(), "the proxy saw nothing, the token least of all");
    }

    @Test
    void aTunnelIsAskedForWithTheCredentialsAndTheHostNameLeftToTheProxy() throws Exception {
        j.jenkins.setProxy(new ProxyConfiguration("127.0.0.1", tunnelProxy.port(), PROXY_USER, PROXY_PASSWORD));
        // The host does not exist: resolving it here would fail before the proxy is ever asked.
        WorkflowRun b = build(Result.FAILURE, "fb_tunnel", "https://inkit.example.invalid");
        j.assertLogContains(
                "The proxy at 127.0.0.1:" + tunnelProxy.port()
                        + " refused to open a connection to inkit.example.invalid:443 (HTTP 403)",
                b);
        List<List<String>> asked = tunnelProxy.requests();
        assertEquals(1, asked.size(), "refused, so not retried: " + asked);
        List<String> connect = asked.get(0);
        assertEquals("CONNECT inkit.example.invalid:443 HTTP/1.1", connect.get(0));
        assertTrue(connect.contains("Proxy-Authorization: " + BASIC), "credentials with the first CONNECT: " + connect);
        assertTrue(connect.stream().noneMatch(h -> h.contains(TOKEN)), "the token never goes to the proxy");
    }

    @Test
    void hostsExcludedInJenkinsSettingsAreReachedDirectly() throws Exception {
        j.jenkins.setProxy(new ProxyConfiguration(
                "127.0.0.1", tunnelProxy.port(), PROXY_USER, PROXY_PASSWORD, "*.internal.invalid"));
        // The same host through the proxy is asked of it (the test above); excluded, it is looked up
        // here, where .invalid never resolves, so the step fails without the proxy hearing of it.
        // What the resolver says is the machine's business: the test asserts only that Inkit was
        // tried directly and that the proxy heard nothing.
        WorkflowRun b = build(Result.FAILURE, "fb_direct", "https://inkit.internal.invalid");
        j.assertLogContains("Could not reach Inkit at https://inkit.internal.invalid", b);
        j.assertLogNotContains("through the proxy", b);
        assertTrue(tunnelProxy.requests().isEmpty(), "the proxy saw nothing: " + tunnelProxy.requests());
    }

    /**
     * A stand-in proxy that records each request's head and refuses it with 403, as a proxy whose
     * rules do not allow the destination does. Nothing is forwarded anywhere.
     */
    static final class ConnectRecorder implements AutoCloseable {

        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<List<String>> requests = new CopyOnWriteArrayList<>();
        private final Thread acceptor = new Thread(this::serve, "ConnectRecorder");

        ConnectRecorder() throws IOException {
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        List<List<String>> requests() {
            return List.copyOf(requests);
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.setSoTimeout(10_000);
                    BufferedReader in =
                            new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    List<String> head = new ArrayList<>();
                    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                        head.add(line);
                    }
                    requests.add(head);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // closed at the end of the test, or a client that went away: nothing to record
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
