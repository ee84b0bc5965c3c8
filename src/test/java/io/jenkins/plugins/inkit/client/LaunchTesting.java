package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.json.PipelineFlows;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.SocketFactory;

/** What the launch tests share: a request with personal data, answers, and connections that are refused. */
public final class LaunchTesting {

    public static final String PII_NAME = "Ada Launchperson";
    public static final String PII_EMAIL = "ada.launchperson@example.org";

    /** One document's merge parameters, holding the made-up personal data. */
    public static Map<String, Object> customer() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("customer_name", PII_NAME);
        m.put("email", PII_EMAIL);
        return m;
    }

    private LaunchTesting() {}

    public static LaunchRequest request() throws InkitException {
        return PipelineFlows.read(List.of(
                        Map.of("flowId", "flow_1", "mergeParameters", List.of(customer())),
                        Map.of(
                                "flowId",
                                "flow_2",
                                "name",
                                "Letter",
                                "mergeParameters",
                                List.of(customer(), customer()))))
                .withName("November statements");
    }

    public static String launched(String id) {
        return "{\"id\": \"" + id + "\", \"name\": \"November statements\", \"description\": null, \"flows_data\": ["
                + "{\"id\": \"rend_1\", \"document_id\": \"doc_1\"}, {\"id\": \"rend_2\", \"document_id\": \"doc_2\"},"
                + " {\"id\": \"rend_3\", \"document_id\": \"doc_3\"}]}";
    }

    /** Sockets whose first {@code refusals} connections are refused, as by a host where nothing listens. */
    public static final class RefusingSockets extends SocketFactory {
        final AtomicInteger refusals;
        public final AtomicInteger attempts = new AtomicInteger();

        public RefusingSockets(int refusals) {
            this.refusals = new AtomicInteger(refusals);
        }

        @Override
        public Socket createSocket() {
            return new Socket() {
                @Override
                public void connect(SocketAddress endpoint, int timeout) throws IOException {
                    attempts.incrementAndGet();
                    if (refusals.getAndDecrement() > 0) {
                        throw new ConnectException("Connection refused");
                    }
                    super.connect(endpoint, timeout);
                }
            };
        }

        @Override
        public Socket createSocket(String host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress host, int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
            throw new UnsupportedOperationException();
        }
    }
}
