package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link ForwardProxyContract} against tinyproxy, a proxy outside the JVM that answers a refused
 * password with 401, where it is installed; skipped where it is not (the same tests run against Jetty
 * in {@link CorporateNetworkIT} everywhere). tinyproxy resolves names with the system's resolver, so
 * Inkit's stand-in listens on this machine's own network address, which is not loopback, and the jar
 * is given that address. {@code -Dinkit.test.tinyproxy=skip} skips them anyway.
 */
class TinyproxyIT extends ForwardProxyContract {

    private InetAddress address;
    /** Why these tests cannot run here, or {@code null}: each test is then skipped, saying so. */
    private String skipped;

    /** Overrides the contract's start, and so must say it is one: JUnit does not run an overridden one. */
    @Override
    @BeforeAll
    void start() throws Exception {
        address = networkAddress();
        if ("skip".equals(System.getProperty("inkit.test.tinyproxy"))) {
            skipped = "skipped with -Dinkit.test.tinyproxy=skip";
        } else if (Tinyproxy.binary() == null) {
            skipped = "no tinyproxy on this machine: to run these tests against it too, install it (apt-get install"
                    + " tinyproxy); the same tests ran against Jetty's proxy in CorporateNetworkIT";
        } else if (address == null) {
            skipped = "this machine has no network address besides loopback for tinyproxy to reach";
        } else {
            super.start();
        }
    }

    @BeforeEach
    void onlyWithTinyproxy() {
        assumeTrue(skipped == null, skipped);
    }

    @Override
    InetAddress inkitAddress() {
        return address;
    }

    @Override
    String inkitHost() {
        return address.getHostAddress();
    }

    @Override
    ForwardProxy startProxy(Path dir, String allowed, int inkitPort) throws Exception {
        return Tinyproxy.start(dir, inkitPort);
    }

    /** An IPv4 address of an interface that is up and not loopback, or {@code null}. */
    private static InetAddress networkAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        return null;
    }
}
