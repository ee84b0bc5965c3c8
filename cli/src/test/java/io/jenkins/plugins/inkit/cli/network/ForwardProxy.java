package io.jenkins.plugins.inkit.cli.network;

/**
 * A real forward proxy the tests run the jar through, wanting {@link #USER} and {@link #PASSWORD}: Jetty's
 * ConnectHandler everywhere, tinyproxy where it is installed.
 */
interface ForwardProxy extends AutoCloseable {

    String USER = "inkit-user";
    /** tinyproxy's configuration takes only letters, digits, '-', '.' and '_' in a password. */
    String PASSWORD = "corp-PASS-5ecret.x";

    int port();

    /** {@code http://user:password@127.0.0.1:port} with the user information as given, or none for {@code null}. */
    default String url(String userInfo) {
        return "http://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port();
    }

    /** How many requests of any kind the proxy has received so far. */
    long requests();

    /** How many times the proxy was asked to CONNECT to {@code target} ("host:port"). */
    long connects(String target);

    /** What it answers to a CONNECT with credentials it refuses: 407, as most proxies do, or 401. */
    int refusalStatus();

    /** What it logged, for failure messages. */
    String log();

    @Override
    void close();
}
