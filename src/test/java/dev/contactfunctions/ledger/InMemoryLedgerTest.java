package dev.contactfunctions.ledger;

import dev.contactfunctions.sandbox.MutableClock;
import java.util.Collections;
import java.util.List;

class InMemoryLedgerTest extends LedgerContractTest {

    @Override
    List<Ledger> instancesSharingOneStore(int count, MutableClock clock) {
        // one warm instance's memory is the whole store: every "instance" is the same object
        return Collections.nCopies(count, new InMemoryLedger(clock));
    }
}
