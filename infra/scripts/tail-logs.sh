#!/usr/bin/env bash
# Follows the logs of one function (or of the webhook API's access log) of a deployed stage.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: infra/scripts/tail-logs.sh --stage <stage> [options]

Follows the CloudWatch logs of one function of the stack intercom-contact-functions-<stage>.

Options:
  --stage <stage>       deployed stage (dev, prod, ...)
  --function <name>     lead-capture (default), identify-merge, segment-audit, or api (HTTP API access log)
  --since <duration>    how far back to start, e.g. 10m, 2h, 1d (default 10m)
  --filter <pattern>    CloudWatch Logs filter pattern, e.g. ERROR or '"intercom_unavailable"'
  --no-follow           print and exit instead of following
  --region <region>     AWS region (default: your AWS CLI configuration)
  --profile <name>      AWS CLI profile
  -h, --help            show this help

Needs: aws (AWS CLI v2, for `aws logs tail`).
USAGE
}

function=lead-capture since=10m filter="" follow=true
# this script's own options; --stage, --region, --profile and --help: parse_options in lib/common.sh
script_option() {
  case "$1" in
    --function) function=${2:?--function needs a value}; OPTION_ARGS=2 ;;
    --since) since=${2:?--since needs a value}; OPTION_ARGS=2 ;;
    --filter) filter=${2:?--filter needs a value}; OPTION_ARGS=2 ;;
    --no-follow) follow=false; OPTION_ARGS=1 ;;
    *) return 1 ;;
  esac
}

# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
parse_options "$@"
need aws
stack=$(stack_name "$stage")

case "$function" in
  lead-capture) group="/aws/lambda/$(stack_output "$stack" LeadCaptureFunctionName)" ;;
  identify-merge) group="/aws/lambda/$(stack_output "$stack" IdentifyMergeFunctionName)" ;;
  segment-audit) group="/aws/lambda/$(stack_output "$stack" SegmentAuditFunctionName)" ;;
  api) group=$(stack_resource "$stack" WebhookApiAccessLogGroup) ;;
  *) die "unknown function $function (lead-capture, identify-merge, segment-audit, api)" ;;
esac
[ "$group" != "/aws/lambda/" ] || die "stack $stack has no output for $function: is it deployed?"

tail=(aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} logs tail "$group" --since "$since" --format short)
if [ -n "$filter" ]; then tail+=(--filter-pattern "$filter"); fi
if [ "$follow" = true ]; then tail+=(--follow); fi
echo "log group $group" >&2
exec "${tail[@]}"
