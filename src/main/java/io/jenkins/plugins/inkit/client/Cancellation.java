package io.jenkins.plugins.inkit.client;

import okhttp3.Call;

/**
 * A way to stop a request in flight from another thread: an aborted build must free the request
 * thread at once, not when a slow or trickling server is done with it.
 */
public final class Cancellation {

    private Call call;
    private boolean cancelled;

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

    /** Remembers the call about to be executed; cancels it at once if this was cancelled already. */
    void track(Call c) {
        boolean already;
        synchronized (this) {
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
    synchronized void done(Call c) {
        if (call == c) {
            call = null;
        }
    }
}
