#!/usr/bin/env bash
# Re-signs an API Gateway (HTTP API, payload 2.0) event with the current time and posts it to the local run.
#
#   infra/scripts/send-event.sh infra/events/lead-capture-json.json [url]
#
# The body is signed as X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">, with the first
# secret of WEBHOOK_SIGNING_SECRET, or the local run's documented default. The url defaults to the Lambda mock
# event server of `./mvnw quarkus:dev -Dlocal` (http://localhost:8080). Needs bash, jq, openssl, curl, base64.
set -euo pipefail

event_file=${1:?usage: send-event.sh <event-file> [url]}
url=${2:-http://localhost:8080}
secret=${WEBHOOK_SIGNING_SECRET:-local-dev-signing-secret}
secret=${secret%%,*}

body_file=$(mktemp)
trap 'rm -f "$body_file"' EXIT
if [ "$(jq -r '.isBase64Encoded' "$event_file")" = "true" ]; then
  jq -j '.body' "$event_file" | base64 -d > "$body_file"
else
  jq -j '.body' "$event_file" > "$body_file"
fi

now=$(date +%s)
signature=$({ printf '%s.' "$now"; cat "$body_file"; } | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)

jq --arg sig "t=${now},v1=${signature}" --argjson epoch "$((now * 1000))" \
   --arg time "$(LC_ALL=C date -u -d "@${now}" '+%d/%b/%Y:%H:%M:%S +0000')" \
   '.headers["x-signature"] = $sig | .requestContext.timeEpoch = $epoch | .requestContext.time = $time' \
   "$event_file" \
  | curl -sS -X POST -H 'Content-Type: application/json' --data-binary @- "$url"
echo
