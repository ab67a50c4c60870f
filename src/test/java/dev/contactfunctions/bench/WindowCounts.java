package dev.contactfunctions.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The calls the sandbox answered 200 in each rate-limit window while a run lasts, read from its counters just after
 * every window boundary (windows are aligned to 10 s of the clock): a full window is one the quota bounded, a window
 * well below the limit one that something else (the round trip, the machine, the end of a phase) bounded.
 */
final class WindowCounts implements AutoCloseable {

    private final SandboxControl sandbox;
    private final Thread sampler;
    private final List<Long> perWindow = new ArrayList<>();

    private WindowCounts(SandboxControl sandbox) {
        this.sandbox = sandbox;
        this.sampler = new Thread(this::sample, "window-counts");
        this.sampler.setDaemon(true);
    }

    static WindowCounts start(SandboxControl sandbox) {
        WindowCounts counts = new WindowCounts(sandbox);
        counts.sampler.start();
        return counts;
    }

    private void sample() {
        long windowMillis = (long) (PackagedAudit.WINDOW_SECONDS * 1000);
        long before = -1;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.currentTimeMillis();
                Thread.sleep(windowMillis - now % windowMillis + 20);
                long ok = sandbox.counts().ok();
                synchronized (perWindow) {
                    if (before >= 0 && ok >= before) {
                        perWindow.add(ok - before);
                    }
                }
                before = ok;
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** The counts of the whole windows seen so far (a counter reset in between drops that window). */
    List<Long> perWindow() {
        synchronized (perWindow) {
            return List.copyOf(perWindow);
        }
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
