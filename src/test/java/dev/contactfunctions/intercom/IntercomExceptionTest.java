package dev.contactfunctions.intercom;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import jakarta.ws.rs.ProcessingException;

import org.junit.jupiter.api.Test;

import dev.contactfunctions.intercom.IntercomException.Unavailable.Reason;

/** Which failed writes may have been carried out all the same: only those that reached Intercom without an answer. */
class IntercomExceptionTest {

    @Test
    void aServerErrorOrNoAnswerAfterSendingMayHaveWritten() {
        assertThat(new IntercomException.ServerError(504, "gateway_timeout", "Gateway timeout", null).mayHaveWritten())
                .isTrue();
        assertThat(new IntercomException.Unavailable(Reason.TIMEOUT, "read timed out",
                new ProcessingException(new SocketTimeoutException("Read timed out"))).mayHaveWritten()).isTrue();
        assertThat(new IntercomException.Unavailable(Reason.IO_ERROR, "reset",
                new ProcessingException(new java.io.IOException("Connection reset"))).mayHaveWritten()).isTrue();
    }

    @Test
    void aConnectionThatWasNeverMadeOrACallNeverSentOrRefusedWroteNothing() {
        assertThat(new IntercomException.Unavailable(Reason.IO_ERROR, "refused",
                new ProcessingException(new ConnectException("Connection refused"))).mayHaveWritten()).isFalse();
        assertThat(new IntercomException.Unavailable(Reason.TIMEOUT, "connect timed out",
                new ProcessingException(new ConnectException("connection timed out"))).mayHaveWritten()).isFalse();
        assertThat(new IntercomException.Unavailable(Reason.IO_ERROR, "dns",
                new ProcessingException(new UnknownHostException("api.intercom.io"))).mayHaveWritten()).isFalse();
        assertThat(new IntercomException.Unavailable(Reason.BUDGET_SPENT, "no time left", null).mayHaveWritten())
                .isFalse();
        assertThat(new IntercomException.Unavailable(Reason.CIRCUIT_OPEN, "open", null).mayHaveWritten()).isFalse();
        assertThat(new IntercomException.InvalidRequest(400, "parameter_invalid", null, "Invalid", null)
                .mayHaveWritten()).isFalse();
        assertThat(new IntercomException.RateLimited("slow down", null, null).mayHaveWritten()).isFalse();
    }
}
