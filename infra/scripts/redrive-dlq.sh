#!/usr/bin/env bash
# Sends the messages of a dead-letter queue back to where they failed.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: infra/scripts/redrive-dlq.sh --stage <stage> --queue <queue> [options]

Sends the messages of a dead-letter queue of the stack intercom-contact-functions-<stage> back:
  - the dead-letter queue of an SQS queue (a RedrivePolicy points at it): its messages are moved back to
    their source queue with `aws sqs start-message-move-task`;
  - a Lambda on-failure destination or a Scheduler dead-letter queue (no source queue): the original event
    of each message (requestPayload of a Lambda invocation record, else the body) is invoked again,
    asynchronously, on the function; the message is deleted once Lambda accepted the invocation.
Fix the cause first (see the logs): a redrive of an unfixed failure only fails again.

Options:
  --stage <stage>       deployed stage (dev, prod, ...)
  --queue <queue>       which dead-letter queue (the stack output that holds its URL in brackets):
                          audit-schedule           schedules Scheduler could not deliver to the audit
                                                   (AuditScheduleDeadLetterQueueUrl)
                          audit-failure            audit runs that failed after their retry (AuditFailureQueueUrl)
                          lead-capture-deferral    queued lead deliveries that failed their attempts
                                                   (LeadCaptureDeferralDeadLetterQueueUrl)
                          identify-merge-deferral  queued identify requests and Intercom notifications that failed
                                                   their attempts (IdentifyMergeDeferralDeadLetterQueueUrl)
  --function <name>     function to invoke again (default for the audit queues: the segment-audit function)
  --max <n>             move or invoke at most n messages (default: all)
  --rate <n>            messages per second for a move task (default: SQS's own)
  --dry-run             show what would be sent back (message ids and sizes only, at most 10), change nothing
  --region <region>     AWS region (default: your AWS CLI configuration)
  --profile <name>      AWS CLI profile
  -h, --help            show this help

Needs: aws, jq.
USAGE
}

# --queue name -> stack output with the queue's URL: the one list of the stack's dead-letter queues
queue_output() {
  case "$1" in
    audit-schedule) echo AuditScheduleDeadLetterQueueUrl ;;
    audit-failure) echo AuditFailureQueueUrl ;;
    lead-capture-deferral) echo LeadCaptureDeferralDeadLetterQueueUrl ;;
    identify-merge-deferral) echo IdentifyMergeDeferralDeadLetterQueueUrl ;;
    *) return 1 ;;
  esac
}

queue="" function="" max="" rate="" dry_run=false
# this script's own options; --stage, --region, --profile and --help: parse_options in lib/common.sh
script_option() {
  case "$1" in
    --queue) queue=${2:?--queue needs a value}; OPTION_ARGS=2 ;;
    --function) function=${2:?--function needs a value}; OPTION_ARGS=2 ;;
    --max) max=${2:?--max needs a value}; OPTION_ARGS=2 ;;
    --rate) rate=${2:?--rate needs a value}; OPTION_ARGS=2 ;;
    --dry-run) dry_run=true; OPTION_ARGS=1 ;;
    *) return 1 ;;
  esac
}

# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
parse_options "$@"
if [ -z "$queue" ]; then usage >&2; exit 2; fi
if ! output=$(queue_output "$queue"); then
  echo "error: unknown queue $queue: one of audit-schedule, audit-failure, lead-capture-deferral," \
    "identify-merge-deferral (see --help)" >&2
  exit 2
fi
need aws jq
stack=$(stack_name "$stage")
sqs=(aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} sqs)

queue_url=$(stack_output "$stack" "$output")
[ -n "$queue_url" ] || die "stack $stack has no output $output: is it deployed (and are --region/--profile right)?"
if [ -z "$function" ] && [[ "$queue" == audit-* ]]; then
  function=$(stack_output "$stack" SegmentAuditFunctionName)
fi

waiting=$("${sqs[@]}" get-queue-attributes --queue-url "$queue_url" \
  --attribute-names ApproximateNumberOfMessages --query 'Attributes.ApproximateNumberOfMessages' --output text)
echo "$queue_url: about $waiting message(s) waiting" >&2

# ---- a dead-letter queue of an SQS queue: move its messages back to the source
sources=$("${sqs[@]}" list-dead-letter-source-queues --queue-url "$queue_url" --query 'queueUrls' --output text)
if [ -n "$sources" ] && [ "$sources" != None ]; then
  arn=$("${sqs[@]}" get-queue-attributes --queue-url "$queue_url" --attribute-names QueueArn \
    --query 'Attributes.QueueArn' --output text)
  if [ "$dry_run" = true ]; then
    echo "would move the messages of $arn back to: $sources" >&2
    exit 0
  fi
  move=("${sqs[@]}" start-message-move-task --source-arn "$arn")
  if [ -n "$rate" ]; then move+=(--max-number-of-messages-per-second "$rate"); fi
  if [ -n "$max" ]; then warn "--max does not apply to a move task: every message is moved"; fi
  "${move[@]}"
  "${sqs[@]}" list-message-move-tasks --source-arn "$arn" --max-results 1
  exit 0
fi

# ---- no source queue: invoke the function again with each message's original event
[ -n "$function" ] || die "$queue_url is no SQS dead-letter queue: say which function to invoke with --function"
payload=$(mktemp)
trap 'rm -f "$payload"' EXIT
sent=0
visibility=120
if [ "$dry_run" = true ]; then visibility=0; fi
while [ -z "$max" ] || [ "$sent" -lt "$max" ]; do
  batch=$("${sqs[@]}" receive-message --queue-url "$queue_url" --max-number-of-messages 10 \
    --visibility-timeout "$visibility" --wait-time-seconds 2 --output json)
  count=$(jq '.Messages // [] | length' <<<"$batch")
  [ "$count" -gt 0 ] || break
  for i in $(seq 0 $((count - 1))); do
    if [ -n "$max" ] && [ "$sent" -ge "$max" ]; then break; fi
    id=$(jq -r ".Messages[$i].MessageId" <<<"$batch")
    receipt=$(jq -r ".Messages[$i].ReceiptHandle" <<<"$batch")
    jq -c ".Messages[$i].Body | (fromjson? // .) | if type == \"object\" and has(\"requestPayload\")
      then .requestPayload else . end" <<<"$batch" >"$payload"
    if [ "$dry_run" = true ]; then
      echo "would invoke $function with message $id ($(wc -c <"$payload") bytes)" >&2
    else
      # the alias, as the schedule does: its EventInvokeConfig (retries, failure queue) is set on `live`
      aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} lambda invoke --function-name "$function" --qualifier live \
        --invocation-type Event --payload "fileb://$payload" /dev/null >/dev/null
      "${sqs[@]}" delete-message --queue-url "$queue_url" --receipt-handle "$receipt"
      echo "invoked $function again with message $id" >&2
    fi
    sent=$((sent + 1))
  done
  # a dry run leaves the messages visible, so a second receive could show them again: one batch only
  if [ "$dry_run" = true ]; then break; fi
done
if [ "$dry_run" = true ]; then
  echo "$sent message(s) would be sent back (a dry run shows at most one batch of 10)" >&2
else
  echo "$sent message(s) sent back" >&2
fi
