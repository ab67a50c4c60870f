package dev.contactfunctions.identity;

/** The outcome of an identify event: the person's one user, whether it was created now, and the merge. */
public record IdentifyResult(boolean userCreated, MergeResult merge) {

    public String userId() {
        return merge.userId();
    }
}
