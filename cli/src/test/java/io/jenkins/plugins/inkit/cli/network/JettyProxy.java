package io.jenkins.plugins.inkit.cli.network;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's ConnectHandler in the test JVM, on a free loopback port: a real forward proxy that tunnels
 * CONNECT only to the destinations allowed (403 otherwise, after the credentials, as tinyproxy and
 * squid do), wants {@link #USER} and {@link #PASSWORD}, and resolves the host names it is given, as
 * a corporate proxy resolves Inkit's name for the machines behind it.
 */
final class JettyProxy implements ForwardProxy {

    private static final String CREDENTIALS =
            "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));

    private final Server server;
    private final int refusal;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private JettyProxy(int refusal) {
        this.refusal = refusal;
        this.server = new Server();
    }

    /**
     * @param refusal what a CONNECT without the right credentials gets: 407, or 401 as tinyproxy answers
     * @param hosts names the proxy resolves itself, to addresses
     * @param allowed the destinations ("host:port") it tunnels to
     */
    static JettyProxy start(int refusal, Map<String, InetAddress> hosts, List<String> allowed) throws Exception {
        JettyProxy proxy = new JettyProxy(refusal);
        ServerConnector connector = new ServerConnector(proxy.server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        proxy.server.addConnector(connector);
        ConnectHandler handler = proxy.new Handler(hosts);
        handler.getWhiteListHosts().addAll(allowed);
        proxy.server.setHandler(handler);
        proxy.server.start();
        return proxy;
    }

    private final class Handler extends ConnectHandler {

        private final Map<String, InetAddress> hosts;

        Handler(Map<String, InetAddress> hosts) {
            this.hosts = hosts;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            boolean connect = HttpMethod.CONNECT.is(request.getMethod());
            requests.add(
                    request.getMethod() + " " + (connect ? request.getHttpURI().getAuthority() : request.getHttpURI()));
            if (!connect) {
                // A forward proxy for plain http is not what the command needs: say so, never forward.
                Response.writeError(request, response, callback, 405);
                return true;
            }
            return super.handle(request, response, callback);
        }

        @Override
        protected void handleConnect(Request request, Response response, Callback callback, String serverAddress) {
            if (refusal == 401 && !authorised(request)) {
                Response.writeError(request, response, callback, 401);
                return;
            }
            super.handleConnect(request, response, callback, serverAddress);
        }

        /** The hook ConnectHandler asks before it connects: false makes it answer 407. */
        @Override
        protected boolean handleAuthentication(Request request, Response response, String address) {
            if (authorised(request)) {
                return true;
            }
            response.getHeaders().put("Proxy-Authenticate", "Basic realm=\"inkit-test\"");
            return false;
        }

        @Override
        protected InetSocketAddress newConnectAddress(String host, int port) {
            InetAddress address = hosts.get(host);
            return address == null ? super.newConnectAddress(host, port) : new InetSocketAddress(address, port);
        }
    }

    private static boolean authorised(Request request) {
        return CREDENTIALS.equals(request.getHeaders().get("Proxy-Authorization"));
    }

    @Override
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public long requests() {
        return requests.size();
    }

    @Override
    public long connects(String target) {
        return requests.stream().filter(r -> r.equals("CONNECT " + target)).count();
    }

    @Override
    public int refusalStatus() {
        return refusal;
    }

    @Override
    public String log() {
        return String.join("\n", requests);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the proxy did not stop", e);
        }
    }
}
