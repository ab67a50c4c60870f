package dev.contactfunctions.audit;

import static dev.contactfunctions.audit.TestContacts.NOW;
import static dev.contactfunctions.audit.TestContacts.lead;
import static dev.contactfunctions.audit.TestContacts.user;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.sqs.model.SqsException;

import dev.contactfunctions.deferral.DeferralException;
import dev.contactfunctions.identity.IdentifyMergeService;
import dev.contactfunctions.intercom.CallBudget;
import dev.contactfunctions.intercom.IntercomClient;
import dev.contactfunctions.intercom.IntercomException;
import dev.contactfunctions.ledger.IdentityBusyException;
import dev.contactfunctions.sandbox.Endpoint;
import dev.contactfunctions.sandbox.IntercomSandbox;
import dev.contactfunctions.sandbox.SandboxContact;
import dev.contactfunctions.sandbox.SeedContact;
import dev.contactfunctions.testsupport.TestPseudonyms;

/**
 * A fix-mode audit against the Intercom sandbox (its search lagging, its clock), through the production reading and
 * merging path, hit by one fault in the middle of its fixes, then run again with the fault gone: what each of the two
 * invocations answered, what the first left behind (checkpoint, partial report), and every write Intercom received.
 * Three leads to merge into their users, a missing tag to create and three users to tag: seven fixes; the fault hits
 * the second merge. Intercom's faults (401, 403) come from the sandbox; the ledger's and AWS's from the merge step.
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

    /** The merge the fault hits: the second. */
    static final int FAULTY_MERGE = 2;
    public static final int PLANNED_FIXES = 7;
    /** In memory: the second merge, after segments, tags, one page of segment members, one of contacts and the first merge. */
    static final int FAULTY_CALL = 6;
    static final List<String> LEADS = List.of("bbbbbbbbbbbbbbbbbbbbbb01", "bbbbbbbbbbbbbbbbbbbbbb02",
            "bbbbbbbbbbbbbbbbbbbbbb03");
    static final List<String> USERS = List.of("aaaaaaaaaaaaaaaaaaaaaa01", "aaaaaaaaaaaaaaaaaaaaaa02",
            "aaaaaaaaaaaaaaaaaaaaaa03");

    /**
     * @param firstFailure what the first invocation threw, if it did
     * @param firstSummary what it answered, if it did not throw
     * @param checkpointAfterFirst whether a checkpoint was saved by the first invocation
     * @param partialReport the report the first invocation wrote
     * @param second what the second invocation (fault gone) answered
     * @param finalReport the report of the second invocation
     * @param writes every write Intercom carried out (answered 200), in order
     * @param leads the leads planted, users the users planted (the leads' emails)
     * @param leadsLeft the leads still in the workspace at the end
     * @param taggedUsers the users carrying the rule's tag at the end
     */
    public record Outcome(Optional<RuntimeException> firstFailure, Optional<AuditSummary> firstSummary,
            boolean checkpointAfterFirst, AuditReport partialReport, AuditSummary second, AuditReport finalReport,
            List<String> writes, List<String> leads, List<String> users, List<String> leadsLeft,
            List<String> taggedUsers, boolean checkpointAfterSecond) {

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

    private FixModeFaults() {
    }

    public static Outcome run(Fault fault, Path store, IntercomSandbox sandbox, IntercomClient intercom,
            IdentifyMergeService identity, CallBudget budget) {
        String mark = fault.name().toLowerCase().replace('_', '-');
        String plan = "fixmode-" + mark;
        String tagName = "enterprise-" + mark;
        String segmentName = "Enterprise " + mark;
        sandbox.defineSegment(segmentName, "user",
                "{\"field\":\"custom_attributes.plan\",\"operator\":\"=\",\"value\":\"" + plan + "\"}");
        List<String> users = new ArrayList<>();
        List<String> leads = new ArrayList<>();
        for (String name : List.of("alice", "bob", "carol")) {
            String email = name + "+" + mark + "@example.com";
            users.add(sandbox.addContact(SeedContact.user("ext-" + name + "-" + mark, email).attribute("plan", plan)));
            leads.add(sandbox.addContact(SeedContact.lead(email)));
        }
        sandbox.stats().reset();

        FaultyMerges workspace = new FaultyMerges(new IntercomAuditWorkspace(intercom, identity, budget,
                Double.parseDouble(AuditConfig.DEFAULT_LIVE_TRAFFIC_SHARE)), fault,
                sandbox);
        // the second invocation comes within the search lag of the first one's merges
        Invocations runs = invokeTwice(workspace, sandbox.clock(), store, List.of(segmentName), segmentName, tagName,
                () -> sandbox.faults().clear());
        List<String> tagged = users.stream().filter(u -> sandbox.contact(u).map(SandboxContact::tagNames)
                .orElse(List.of()).contains(tagName)).toList();
        List<String> writes = new ArrayList<>();
        for (int i = 0; i < sandbox.stats().calls(Endpoint.CREATE_OR_UPDATE_TAG, 200); i++) {
            writes.add("create-tag " + tagName + (i == 0 ? "" : " again"));
        }
        leads.forEach(lead -> sandbox.mergedInto(lead).ifPresent(user -> writes.add("merge-lead " + lead + " " + user)));
        for (long i = leads.stream().filter(l -> sandbox.mergedInto(l).isPresent()).count();
                i < sandbox.stats().calls(Endpoint.MERGE_CONTACTS, 200); i++) {
            writes.add("merge-lead again");
        }
        tagged.forEach(user -> writes.add("add-tag " + user));
        for (long i = tagged.size(); i < sandbox.stats().calls(Endpoint.TAG_CONTACT, 200); i++) {
            writes.add("add-tag again");
        }
        return runs.outcome(writes, leads, users, leads.stream().filter(l -> sandbox.contact(l).isPresent()).toList(),
                tagged);
    }

    /** In memory, without lag: for the report's schema (a partial report of fix mode). */
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
        Invocations runs = invokeTwice(workspace, Clock.fixed(NOW, ZoneOffset.UTC), store, List.of(), "Enterprise",
                "enterprise", () -> { });
        List<String> tagged = workspace.tags.values().stream().filter(t -> t.name().equals("enterprise")).findFirst()
                .map(tag -> USERS.stream().filter(u -> workspace.tagsOfContact.getOrDefault(u, java.util.Set.of())
                        .contains(tag.id())).toList())
                .orElse(List.of());
        return runs.outcome(List.copyOf(workspace.writes), LEADS, USERS,
                LEADS.stream().filter(workspace.contacts::containsKey).toList(), tagged);
    }

    /** The production workspace whose second merge meets the fault. */
    private static final class FaultyMerges extends DelegatingAuditWorkspace {
        private final AuditWorkspace intercom;
        private final Fault fault;
        private final IntercomSandbox sandbox;
        private int merges;

        FaultyMerges(AuditWorkspace intercom, Fault fault, IntercomSandbox sandbox) {
            super(intercom);
            this.intercom = intercom;
            this.fault = fault;
            this.sandbox = sandbox;
        }

        @Override
        public MergeOutcome mergeLeadIntoUser(String leadId, String userId) {
            if (++merges != FAULTY_MERGE) {
                return intercom.mergeLeadIntoUser(leadId, userId);
            }
            if (fault.configurationProblem()) { // Intercom's own answer
                int status = fault == Fault.UNAUTHORIZED_401 ? 401 : 403;
                sandbox.faults().next(1, Endpoint.MERGE_CONTACTS, dev.contactfunctions.sandbox.Fault.status(status));
                return intercom.mergeLeadIntoUser(leadId, userId);
            }
            if (!fault.afterMerge) {
                throw fault.failure.get();
            }
            intercom.mergeLeadIntoUser(leadId, userId);
            throw fault.failure.get();
        }
    }

    /** What the two invocations of a fix-mode audit answered and left behind. */
    private record Invocations(Optional<RuntimeException> thrown, Optional<AuditSummary> first,
            boolean checkpointAfterFirst, AuditReport partial, AuditSummary second, AuditReport last,
            boolean checkpointAfterSecond) {

        Outcome outcome(List<String> writes, List<String> leads, List<String> users, List<String> leadsLeft,
                List<String> taggedUsers) {
            return new Outcome(thrown, first, checkpointAfterFirst, partial, second, last, writes, leads, users,
                    leadsLeft, taggedUsers, checkpointAfterSecond);
        }
    }

    /** Fix mode on the segments {@code include}, tagging {@code segment}'s members; {@code faultGone} between runs. */
    private static Invocations invokeTwice(AuditWorkspace workspace, Clock clock, Path store, List<String> include,
            String segment, String tag, Runnable faultGone) {
        AuditOptions options = new AuditOptions(AuditMode.FIX, false, new AuditOptions.Segments(include, List.of()),
                new AuditRules(Map.of(), Map.of(segment, List.of(tag))), new AuditOptions.Caps(10, 10), 90, 100);
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
        faultGone.run();
        Optional<AuditCheckpoint> checkpoint = archive.checkpoint();
        AuditReport partial = runReport(store, checkpoint.map(AuditCheckpoint::runId).orElse(null));
        AuditSummary second = service.get().run(options, Deadline.never());
        return new Invocations(thrown, first, checkpoint.isPresent(), partial, second,
                archive.latestReport().orElseThrow(), archive.checkpoint().isPresent());
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
