package dev.contactfunctions.intercom.search;

/** A search query Intercom would refuse; raised before anything is sent. */
public class InvalidSearchQueryException extends IllegalArgumentException {

    public InvalidSearchQueryException(String message) {
        super(message);
    }
}
