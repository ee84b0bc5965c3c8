package io.jenkins.plugins.inkit.client;

import okhttp3.Call;

/**
 * A way to stop a request in flight from another thread: an aborted build must free the request
 * thread at once, not when a slow or trickling server is done with it. It also knows whether the
 * request in flight may have reached the server, which a launch must know to never send twice.
 */
public final class Cancellation {

    private Call call;
    private boolean cancelled;
    private volatile boolean mayHaveSent;

    /** Cancels the request in flight, if any, and every request started afterwards. */
    public void cancel() {
        Call c;
        synchronized (this) {
            cancelled = true;
            c = call;
            call = null;
        }
        if (c != null) {
            c.cancel();
        }
    }

    public synchronized boolean isCancelled() {
        return cancelled;
    }

    /**
     * Remembers the call about to be executed, which has sent nothing yet; cancels it at once if this
     * was cancelled already.
     */
    public void track(Call c) {
        boolean already;
        synchronized (this) {
            mayHaveSent = false;
            already = cancelled;
            if (!already) {
                call = c;
            }
        }
        if (already) {
            c.cancel();
        }
    }

    /** Forgets a call that ended. */
    public synchronized void done(Call c) {
        if (call == c) {
            call = null;
        }
    }

    /** Called by the HTTP layer once the tracked request may be written: a connection to the server is in hand. */
    public void requestMayHaveBeenSent() {
        mayHaveSent = true;
    }

    /** Whether the last tracked request may have reached the server. */
    public boolean mayHaveSent() {
        return mayHaveSent;
    }
}
