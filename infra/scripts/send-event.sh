#!/usr/bin/env bash
# Posts a sample event to the local run (./mvnw quarkus:dev -Dlocal) and prints the function's answer.
#
#   infra/scripts/send-event.sh infra/events/lead-capture-json.json
#
# The local run's Lambda mock event server is LOCAL_RUN_URL, by default http://localhost:8080 (the port set in
# src/main/resources/application.properties). An API Gateway (HTTP API, payload 2.0) event is signed again first, with
# the current time: X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">, keyed with the first
# secret of WEBHOOK_SIGNING_SECRET, or the local run's default. Any other event (the schedule's) is posted as it is.
# An API Gateway answer is printed as its status code and its JSON body; any other answer as it came.
# Needs bash, jq, openssl, curl, base64.
set -euo pipefail

if [ $# -ne 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "Usage: infra/scripts/send-event.sh <event-file>   (posts to \$LOCAL_RUN_URL, default http://localhost:8080)" >&2
  exit 2
fi
event_file=$1
url=${LOCAL_RUN_URL:-http://localhost:8080}
secret=${WEBHOOK_SIGNING_SECRET:-local-dev-signing-secret}
secret=${secret%%,*}

event=$(cat "$event_file")
if [ "$(jq -r '.requestContext.http != null' <<<"$event")" = "true" ]; then
  body_file=$(mktemp)
  trap 'rm -f "$body_file"' EXIT
  if [ "$(jq -r '.isBase64Encoded' <<<"$event")" = "true" ]; then
    jq -j '.body' <<<"$event" | base64 -d > "$body_file"
  else
    jq -j '.body' <<<"$event" > "$body_file"
  fi
  now=$(date +%s)
  signature=$({ printf '%s.' "$now"; cat "$body_file"; } | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
  event=$(jq --arg sig "t=${now},v1=${signature}" --argjson epoch "$((now * 1000))" \
    --arg time "$(LC_ALL=C date -u -d "@${now}" '+%d/%b/%Y:%H:%M:%S +0000')" \
    '.headers["x-signature"] = $sig | .requestContext.timeEpoch = $epoch | .requestContext.time = $time' <<<"$event")
fi

answer=$(curl -sS -X POST -H 'Content-Type: application/json' --data-binary @- "$url" <<<"$event")
jq 'if type == "object" and has("statusCode") then {statusCode, body: (.body | try fromjson catch .)} else . end' \
  <<<"$answer" 2>/dev/null || printf '%s\n' "$answer"
