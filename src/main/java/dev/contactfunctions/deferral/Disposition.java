package dev.contactfunctions.deferral;

/** What became of one queued message: done (delete it) or retry (leave it on the queue, reported as a batch item failure). */
public enum Disposition {
    DONE, RETRY
}
