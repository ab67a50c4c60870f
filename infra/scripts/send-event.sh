#!/usr/bin/env bash
# Posts a sample event to the local run (./mvnw quarkus:dev -Dlocal) and prints the function's answer.
#
#   infra/scripts/send-event.sh infra/events/lead-capture-json.json
#
# The local run's Lambda mock event server is LOCAL_RUN_URL, by default http://localhost:8080 (the port set in
# src/main/resources/application.properties). An API Gateway (HTTP API, payload 2.0) event is signed again first, with
# the current time: X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">, keyed with the first
# secret of the route's key: IDENTIFY_SIGNING_SECRET for /webhooks/identify, WEBHOOK_SIGNING_SECRET for the others,
# or the local run's defaults. An Intercom notification (an event with an X-Hub-Signature header) is sent as Intercom
# would send it now: its created_at and first_sent_at set to the current time, and
# X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body> keyed with INTERCOM_CLIENT_SECRET, or the local run's default.
# Any other event (the schedule's) is posted as it is.
# An API Gateway answer is printed as its status code and its JSON body; any other answer as it came.
#
# Exit status: 0 when the function answered 2xx (an API Gateway answer's statusCode; for other events, the mock event
# server's HTTP status, 500 when the function threw); 1 with one line on stderr when it did not (the answer is
# printed first), when the event file cannot be read or is not a JSON object, when nothing listens at LOCAL_RUN_URL,
# or when a tool is missing; 2 for a wrong command line. --allow-error exits 0 on a non-2xx answer.
# Needs bash, jq, openssl, curl, base64.
set -euo pipefail

usage() {
  echo "Usage: infra/scripts/send-event.sh [--allow-error] <event-file>   (posts to \$LOCAL_RUN_URL," \
    "default http://localhost:8080; --allow-error: exit 0 on a non-2xx answer)" >&2
}

die() {
  echo "error: $*" >&2
  exit 1
}

allow_error=false
event_file=""
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 2 ;;
    --allow-error) allow_error=true ;;
    -*) echo "unknown option: $1" >&2; usage; exit 2 ;;
    *) if [ -n "$event_file" ]; then usage; exit 2; fi; event_file=$1 ;;
  esac
  shift
done
if [ -z "$event_file" ]; then usage; exit 2; fi

for tool in jq openssl curl base64; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not installed (not found in PATH)"
done
url=${LOCAL_RUN_URL:-http://localhost:8080}
client_secret=${INTERCOM_CLIENT_SECRET:-local-dev-intercom-client-secret}

[ -f "$event_file" ] && [ -r "$event_file" ] || die "cannot read the event file $event_file"
event=$(cat "$event_file")
[ -n "${event//[[:space:]]/}" ] || die "$event_file is empty: an event is one JSON object"
kind=$(jq -r 'type' 2>/dev/null <<<"$event") \
  || die "$event_file is not JSON: $(jq . 2>&1 >/dev/null <<<"$event" | head -n 1)"
[ "$kind" = object ] || die "$event_file holds a JSON $kind: an event is one JSON object"
if [ "$(jq -r '.requestContext.http != null' <<<"$event")" = "true" ]; then
  body_file=$(mktemp)
  trap 'rm -f "$body_file"' EXIT
  if [ "$(jq -r '.isBase64Encoded' <<<"$event")" = "true" ]; then
    jq -j '.body' <<<"$event" | base64 -d > "$body_file" 2>/dev/null \
      || die "$event_file: isBase64Encoded is true but its body is not base64"
  else
    jq -j '.body' <<<"$event" > "$body_file"
  fi
  # one key per sender: identify's is the application's own
  if [[ "$(jq -r '.rawPath // ""' <<<"$event")" == */webhooks/identify ]]; then
    secret=${IDENTIFY_SIGNING_SECRET:-local-dev-identify-signing-secret}
  else
    secret=${WEBHOOK_SIGNING_SECRET:-local-dev-signing-secret}
  fi
  secret=${secret%%,*}
  now=$(date +%s)
  if [ "$(jq -r '.headers["x-hub-signature"] != null' <<<"$event")" = "true" ]; then
    # a notification older than the function's replay window would be ignored: date it now, as Intercom does
    dated=$(jq -c --argjson now "$now" '.created_at = $now | .first_sent_at = $now' "$body_file") \
      || die "$event_file: its body is not a JSON notification"
    printf '%s' "$dated" > "$body_file"
    hub=$(openssl dgst -sha1 -hmac "$client_secret" -r < "$body_file" | cut -d' ' -f1)
    event=$(jq --rawfile body "$body_file" --arg sig "sha1=${hub}" --arg length "$(wc -c < "$body_file" | tr -d ' ')" \
      '.body = $body | .isBase64Encoded = false | .headers["x-hub-signature"] = $sig
       | .headers["content-length"] = $length' <<<"$event")
  fi
  # a form tool's own signature, with that route's own secret (Typeform and Tally sign the body, Webflow the time too)
  if [ "$(jq -r '.headers["typeform-signature"] != null' <<<"$event")" = "true" ]; then
    key=${TYPEFORM_SIGNING_SECRET:-local-dev-signing-secret}
    sig=$(openssl dgst -sha256 -hmac "${key%%,*}" -binary < "$body_file" | base64 | tr -d '\n')
    event=$(jq --arg sig "sha256=${sig}" '.headers["typeform-signature"] = $sig' <<<"$event")
  fi
  if [ "$(jq -r '.headers["tally-signature"] != null' <<<"$event")" = "true" ]; then
    key=${TALLY_SIGNING_SECRET:-local-dev-signing-secret}
    sig=$(openssl dgst -sha256 -hmac "${key%%,*}" -binary < "$body_file" | base64 | tr -d '\n')
    event=$(jq --arg sig "$sig" '.headers["tally-signature"] = $sig' <<<"$event")
  fi
  if [ "$(jq -r '.headers["x-webflow-signature"] != null' <<<"$event")" = "true" ]; then
    key=${WEBFLOW_SIGNING_SECRET:-local-dev-signing-secret}
    sig=$({ printf '%s000:' "$now"; cat "$body_file"; } | openssl dgst -sha256 -hmac "${key%%,*}" -r | cut -d' ' -f1)
    event=$(jq --arg sig "$sig" --arg ts "${now}000" \
      '.headers["x-webflow-signature"] = $sig | .headers["x-webflow-timestamp"] = $ts' <<<"$event")
  fi
  signature=$({ printf '%s.' "$now"; cat "$body_file"; } | openssl dgst -sha256 -hmac "$secret" -r | cut -d' ' -f1)
  event=$(jq --arg sig "t=${now},v1=${signature}" --argjson epoch "$((now * 1000))" \
    --arg time "$(LC_ALL=C date -u -d "@${now}" '+%d/%b/%Y:%H:%M:%S +0000')" \
    '.headers["x-signature"] = $sig | .requestContext.timeEpoch = $epoch | .requestContext.time = $time' <<<"$event")
fi

answer_file=$(mktemp)
trap 'rm -f "$answer_file" ${body_file:+"$body_file"}' EXIT
http_status=$(curl -sS -o "$answer_file" -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data-binary @- "$url" <<<"$event" 2>/dev/null) \
  || die "nothing answers at $url: start the local run (./mvnw quarkus:dev -Dlocal) or set LOCAL_RUN_URL"
answer=$(cat "$answer_file")
jq 'if type == "object" and has("statusCode") then {statusCode, body: (.body | try fromjson catch .)} else . end' \
  <<<"$answer" 2>/dev/null || printf '%s\n' "$answer"

status=$http_status
what="the local run answered HTTP $http_status"
if [[ "$http_status" == 2* ]]; then
  function_status=$(jq -r 'if type == "object" and has("statusCode") then .statusCode else empty end' \
    <<<"$answer" 2>/dev/null || true)
  if [ -n "$function_status" ]; then
    status=$function_status
    what="the function answered statusCode $function_status"
  fi
fi
if [[ "$status" != 2* ]] && [ "$allow_error" = false ]; then
  die "$what (--allow-error to exit 0 on it)"
fi
