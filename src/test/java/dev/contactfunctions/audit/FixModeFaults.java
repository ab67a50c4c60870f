package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.NOW;
import static dev.contactfunctions.audit.TestContacts.lead;
import static dev.contactfunctions.audit.TestContacts.user;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import dev.contactfunctions.testsupport.TestPseudonyms;
import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.ledger.IdentityBusyException;

/**
 * A fix-mode audit hit by one fault in the middle of its fixes, then run again with the fault gone: what each of
 * the two invocations answered, what the first left behind (checkpoint, partial report), and every write Intercom
 * received. Three leads to merge into their users, a missing tag to create and three users to tag: seven fixes; the
 * fault hits the second merge.
 */
public final class FixModeFaults {

    /** Where the fault is: every one the fix path can meet. */
    public enum Fault {
        IDENTITY_BUSY(false, () -> new IdentityBusyException("email:0123456789abcdef")),
        DYNAMODB_ERROR(false, () -> DynamoDbException.builder().statusCode(500).message("Internal server error")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InternalServerError").build()).build()),
        /** DynamoDB fails after Intercom merged the lead (remembering the user): the merge landed, the fix did not end. */
        DYNAMODB_ERROR_AFTER_MERGE(true, () -> DynamoDbException.builder().statusCode(400)
                .message("Throughput exceeds the current capacity")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ProvisionedThroughputExceededException").build())
                .build()),
        SQS_ERROR(false, () -> new DeferralException("The delivery could not be queued: SqsException",
                SqsException.builder().statusCode(500).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode("InternalError").build()).build())),
        UNAUTHORIZED_401(false, () -> new IntercomException.Unauthorized(401, "unauthorized", "Access Token Invalid",
                "req-401")),
        FORBIDDEN_403(false, () -> new IntercomException.Unauthorized(403, "api_plan_restricted",
                "Active subscription needed", "req-403"));

        final boolean afterMerge;
        final Supplier<RuntimeException> failure;

        Fault(boolean afterMerge, Supplier<RuntimeException> failure) {
            this.afterMerge = afterMerge;
            this.failure = failure;
        }

        /** A refused token: the invocation fails (its alarm calls) after saving; the others answer partial. */
        public boolean configurationProblem() {
            return this == UNAUTHORIZED_401 || this == FORBIDDEN_403;
        }
    }

    /** The second merge: after segments, tags, one page of segment members, one of contacts and the first merge. */
    static final int FAULTY_CALL = 6;
    public static final List<String> LEADS = List.of("bbbbbbbbbbbbbbbbbbbbbb01", "bbbbbbbbbbbbbbbbbbbbbb02",
            "bbbbbbbbbbbbbbbbbbbbbb03");
    public static final List<String> USERS = List.of("aaaaaaaaaaaaaaaaaaaaaa01", "aaaaaaaaaaaaaaaaaaaaaa02",
            "aaaaaaaaaaaaaaaaaaaaaa03");

    /**
     * @param firstFailure what the first invocation threw, if it did
     * @param firstSummary what it answered, if it did not throw
     * @param checkpointAfterFirst whether a checkpoint was saved by the first invocation
     * @param partialReport the report the first invocation wrote
     * @param second what the second invocation (fault gone) answered
     * @param finalReport the report of the second invocation
     * @param writes every write Intercom received, in order
     * @param leadsLeft the leads still in the workspace at the end
     * @param taggedUsers the users carrying the rule's tag at the end
     */
    public record Outcome(Optional<RuntimeException> firstFailure, Optional<AuditSummary> firstSummary,
            boolean checkpointAfterFirst, AuditReport partialReport, AuditSummary second, AuditReport finalReport,
            List<String> writes, List<String> leadsLeft, List<String> taggedUsers, boolean checkpointAfterSecond) {

        public List<AuditReport.Change> partialChanges() {
            return partialReport.fixes().changes();
        }

        public String partialReportJson() {
            try {
                return AuditJson.MAPPER.writeValueAsString(partialReport);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static final int PLANNED_FIXES = 7;

    private FixModeFaults() {
    }

    public static Outcome run(Fault fault, Path store) {
        InMemoryWorkspace workspace = new InMemoryWorkspace();
        workspace.segment("seg-ent", "Enterprise", "user", c -> c.isUser());
        String[] names = { "alice", "bob", "carol" };
        for (int i = 0; i < 3; i++) {
            workspace.add(user(USERS.get(i), names[i] + "@example.com").build());
            workspace.add(lead(LEADS.get(i), names[i] + "@example.com").build());
        }
        if (fault.afterMerge) {
            workspace.failAfterMergeCall = FAULTY_CALL;
            workspace.failureAfterMerge = fault.failure.get();
        } else {
            workspace.failAtCall = FAULTY_CALL;
            workspace.failure = fault.failure.get();
        }
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        AuditOptions options = new AuditOptions(AuditMode.FIX, false, new AuditOptions.Segments(List.of(), List.of()),
                new AuditRules(Map.of(), Map.of("Enterprise", List.of("enterprise"))), new AuditOptions.Caps(10, 10),
                90, 100);
        AuditArchive archive = new AuditArchive(new LocalReportStore(store));
        Supplier<SegmentAuditService> service = () -> new SegmentAuditService(workspace, archive,
                new AuditMetrics("Test", clock, line -> { }), clock, Duration.ofHours(12), TestPseudonyms.LOCAL);

        Optional<RuntimeException> thrown = Optional.empty();
        Optional<AuditSummary> first = Optional.empty();
        try {
            first = Optional.of(service.get().run(options, Deadline.never()));
        } catch (RuntimeException e) {
            thrown = Optional.of(e);
        }
        Optional<AuditRun> checkpoint = archive.checkpoint();
        AuditReport partial = runReport(store, checkpoint.map(r -> r.runId).orElse(null));

        AuditSummary second = service.get().run(options, Deadline.never());
        AuditReport last = archive.latestReport().orElseThrow();
        List<String> tagged = workspace.tags.values().stream().filter(t -> t.name().equals("enterprise")).findFirst()
                .map(tag -> USERS.stream().filter(u -> workspace.tagsOfContact.getOrDefault(u, java.util.Set.of())
                        .contains(tag.id())).toList())
                .orElse(List.of());
        return new Outcome(thrown, first, checkpoint.isPresent(), partial, second, last,
                List.copyOf(workspace.writes), LEADS.stream().filter(workspace.contacts::containsKey).toList(), tagged,
                archive.checkpoint().isPresent());
    }

    private static AuditReport runReport(Path store, String runId) {
        if (runId == null) {
            return null;
        }
        return new LocalReportStore(store).read(AuditArchive.RUNS + runId + "/" + AuditArchive.JSON).map(json -> {
            try {
                return AuditJson.MAPPER.readValue(json, AuditReport.class);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }).orElseThrow();
    }
}
