package io.jenkins.plugins.inkit;

import hudson.Extension;
import hudson.ProxyConfiguration;
import hudson.init.Terminator;
import hudson.model.listeners.ItemListener;
import hudson.security.ACL;
import hudson.util.ClassLoaderSanityThreadFactory;
import hudson.util.DaemonThreadFactory;
import hudson.util.NamingThreadFactory;
import hudson.util.Secret;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.http.ProxyAuthentication;
import io.jenkins.plugins.inkit.client.watch.Scheduler;
import io.jenkins.plugins.okhttp.api.JenkinsOkHttpClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import jenkins.security.ImpersonatingExecutorService;
import jenkins.util.Timer;
import okhttp3.OkHttpClient;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;

/**
 * What every Inkit step shares: one OkHttpClient that follows Jenkins' proxy settings; a pool for
 * the requests, so that no request ever blocks Jenkins' timer, whose ten threads all of Jenkins
 * shares; a thread for saving builds, so that a slow disk never holds a request thread; and the
 * waits and launches in progress, which are let go quietly when Jenkins shuts down, so that a
 * restart resumes them instead of failing them.
 */
@Restricted(NoExternalUse.class) // public only so that Jenkins can call the @Terminator
public final class InkitHttp {

    /**
     * Requests run at most this many at once. A request holds its thread while Inkit answers, and an
     * Inkit that answers slowly must not make waits queue behind each other here (60 waits on an Inkit
     * that takes 5 s an answer all look on time); the threads end after a minute without work.
     */
    static final int REQUEST_THREADS = 64;

    private static OkHttpClient client;
    private static ThreadPoolExecutor pool;
    private static ExecutorService requests;
    private static ExecutorService saves;
    /** Waits and launches in progress, let go of when Jenkins shuts down. */
    private static final Set<Scheduler.Cancellable> WATCHES = ConcurrentHashMap.newKeySet();

    private InkitHttp() {}

    /**
     * The client: Jenkins' proxy selector (host, port, no-proxy hosts) from okhttp-api, and the
     * proxy's user name and password sent with the first CONNECT. Both read Jenkins' proxy settings
     * at each request, so a change applies without a restart. An API on this machine is reached
     * directly, whatever the settings say (see InkitClient).
     */
    static synchronized OkHttpClient client() {
        if (client == null) {
            OkHttpClient.Builder builder = JenkinsOkHttpClient.newClientBuilder(new OkHttpClient());
            ProxyAuthentication.apply(builder, InkitHttp::jenkinsProxyLogin);
            client = InkitClient.configure(builder).build();
        }
        return client;
    }

    /** The login Jenkins' proxy settings give for {@code proxy}, or {@code null}. */
    static ProxyAuthentication.Login jenkinsProxyLogin(InetSocketAddress proxy) {
        // On OkHttp's threads, and possibly while Jenkins shuts down: no Jenkins, no proxy login.
        Jenkins jenkins = Jenkins.getInstanceOrNull();
        ProxyConfiguration settings = jenkins == null ? null : jenkins.getProxy();
        if (settings == null
                || settings.getUserName() == null
                || !ProxyAuthentication.sameProxy(proxy, settings.name, settings.port)) {
            return null;
        }
        return new ProxyAuthentication.Login(settings.getUserName(), Secret.toString(settings.getSecretPassword()));
    }

    /** The Jenkins that is shutting down, if this one is: from then on no request is started, no pool made anew. */
    private static volatile Jenkins closing;

    /** Whether Jenkins is shutting down: a launch must then not be sent, since the build's state may be saved already. */
    static boolean isClosing() {
        Jenkins current = Jenkins.getInstanceOrNull();
        return current == null || current == closing;
    }

    /** The request pool, running as SYSTEM like Jenkins' timer; credentials are looked up with the build's own authentication. */
    static synchronized ExecutorService requests() {
        if (isClosing()) {
            throw new RejectedExecutionException("Jenkins is shutting down");
        }
        if (requests == null) {
            pool = pool(REQUEST_THREADS, "InkitRequests");
            requests = new ImpersonatingExecutorService(pool, ACL.SYSTEM2);
        }
        return requests;
    }

    /** One thread that saves builds and their programs, in the order asked; inline only when Jenkins is shutting down. */
    static synchronized ExecutorService saves() {
        if (saves == null) {
            saves = new ImpersonatingExecutorService(pool(1, "InkitSaves"), ACL.SYSTEM2);
        }
        return saves;
    }

    /** How many requests are under way now, for tests. */
    static synchronized int activeRequests() {
        return pool == null ? 0 : pool.getActiveCount();
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        ThreadPoolExecutor p = new ThreadPoolExecutor(
                threads,
                threads,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                new NamingThreadFactory(new ClassLoaderSanityThreadFactory(new DaemonThreadFactory()), name));
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    /** Schedules on Jenkins' timer, asked for each time since tests restart Jenkins in one JVM. */
    static Scheduler.Cancellable scheduleOnTimer(Runnable task, Duration delay) {
        return Scheduler.of(Timer.get()).schedule(task, delay);
    }

    static void remember(Scheduler.Cancellable watch) {
        WATCHES.add(watch);
    }

    static void forget(Scheduler.Cancellable watch) {
        if (watch != null) {
            WATCHES.remove(watch);
        }
    }

    /** Marks Jenkins as shutting down at the very start, before Pipelines save their state for the restart. */
    @Extension
    @Restricted(NoExternalUse.class)
    public static final class ShutdownListener extends ItemListener {
        @Override
        public void onBeforeShutdown() {
            closing = Jenkins.getInstanceOrNull();
        }
    }

    /**
     * Lets go of every wait without ending its step, then stops the request pool; onResume() picks
     * the waits up. The saves already asked for are let finish on their daemon thread.
     */
    @Terminator
    public static synchronized void shutDown() {
        closing = Jenkins.getInstanceOrNull();
        for (Scheduler.Cancellable watch : WATCHES) {
            watch.cancel();
        }
        WATCHES.clear();
        BuildSaves.reset();
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
            requests = null;
        }
    }
}
