package dev.contactfunctions.ledger;

/** Both ledgers in one store (one DynamoDB table): the type the CDI producer hands out. */
public interface Ledger extends IdentityLedger, DeliveryLedger {
}
