#!/usr/bin/env bash
# Creates (or updates) the four secrets of a stage in Secrets Manager, asking for each value without echoing it.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: infra/scripts/create-secrets.sh --stage <stage> [options]

Creates, or puts a new value into, these Secrets Manager secrets (plain strings):
  intercom-contact-functions/<stage>/intercom-token          the Intercom access token (Developer Hub >
                                                             your app > Authentication)
  intercom-contact-functions/<stage>/webhook-signing-secret  the HMAC key of /webhooks/leads (form relays);
                                                             several keys comma-separated during a rotation;
                                                             leave empty to generate 32 random bytes (hex)
  intercom-contact-functions/<stage>/identify-signing-secret the HMAC key of /webhooks/identify, for your
                                                             application alone (never a form's); as above
  intercom-contact-functions/<stage>/intercom-client-secret  the Intercom app's client secret (Basic Info page),
                                                             which signs /webhooks/intercom
and, one at a time with --only, the optional keys of the form tools' routes (docs/lead-capture.md):
  intercom-contact-functions/<stage>/typeform-signing-secret the secret of the Typeform webhook (generated when
                                                             left empty; paste it into Typeform)
  intercom-contact-functions/<stage>/tally-signing-secret    the signing secret of the Tally webhook (as above)
  intercom-contact-functions/<stage>/webflow-client-secret   the client secret of the Webflow OAuth application
  intercom-contact-functions/<stage>/webflow-url-token       the token of unsigned Webflow site webhooks (as above)
The key that hashes email addresses and external ids at rest is not one of them: the stack generates it
(PrivacyHashKeySecret) and keeps it when the stack is deleted.
Each value is read from the terminal without echo and handed to the AWS CLI on its standard input, never as a
command-line argument; nothing is printed but the ARNs. Press Enter on a prompt to keep the secret as it is
(or, for the signing secret, to generate one when it does not exist yet).

Options:
  --stage <stage>       stage (dev, prod, ...)
  --only <name>         only this secret: intercom-token, webhook-signing-secret, identify-signing-secret,
                        intercom-client-secret, typeform-signing-secret, tally-signing-secret,
                        webflow-client-secret or webflow-url-token
  --region <region>     AWS region (default: your AWS CLI configuration)
  --profile <name>      AWS CLI profile
  -h, --help            show this help

Needs: aws; openssl to generate a signing secret. Read a secret back with
  aws secretsmanager get-secret-value --secret-id <name> --query SecretString --output text
USAGE
}

only=""
# this script's own options; --stage, --region, --profile and --help: parse_options in lib/common.sh
script_option() {
  case "$1" in
    --only) only=${2:?--only needs a value}; OPTION_ARGS=2 ;;
    *) return 1 ;;
  esac
}

# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
parse_options "$@"
case "$only" in
  ""|intercom-token|webhook-signing-secret|identify-signing-secret|intercom-client-secret) ;;
  typeform-signing-secret|tally-signing-secret|webflow-client-secret|webflow-url-token) ;;
  *) die "unknown secret $only" ;;
esac
need aws
[ -t 0 ] || [ -r /dev/tty ] || die "run this from a terminal: it asks for the secret values"
secrets=(aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} secretsmanager)

# store <name> <description> <value>: creates the secret or puts a new version; the value goes through stdin.
store() {
  local name=$1 description=$2 value=$3
  if [ -n "$(secret_arn "$name")" ]; then
    printf '%s' "$value" | "${secrets[@]}" put-secret-value --secret-id "$name" \
      --secret-string file:///dev/stdin >/dev/null
    echo "updated $name" >&2
  else
    printf '%s' "$value" | "${secrets[@]}" create-secret --name "$name" --description "$description" \
      --secret-string file:///dev/stdin \
      --tags "Key=application,Value=$APP" "Key=stage,Value=$stage" >/dev/null
    echo "created $name" >&2
  fi
}

# ask <prompt>: reads one line from the terminal without echo into $answer.
ask() {
  answer=""
  IFS= read -r -s -p "$1: " answer </dev/tty || true
  echo >&2
}

core_secrets=(intercom-token webhook-signing-secret identify-signing-secret intercom-client-secret)
for secret in "${core_secrets[@]}" typeform-signing-secret tally-signing-secret webflow-client-secret \
              webflow-url-token; do
  if [ -n "$only" ] && [ "$only" != "$secret" ]; then continue; fi
  # the form tools' keys are optional: asked for only by name
  if [ -z "$only" ] && [[ " ${core_secrets[*]} " != *" $secret "* ]]; then continue; fi
  name=$(secret_name "$stage" "$secret")
  exists=no
  if [ -n "$(secret_arn "$name")" ]; then exists=yes; fi
  case "$secret" in
    intercom-token) ask "Intercom access token for $stage (Enter keeps the current one)";
      description="Intercom access token of the $stage contact functions" ;;
    webhook-signing-secret) ask "Signing secret of /webhooks/leads for $stage (Enter: keep, or generate if none)";
      description="HMAC key(s) of /webhooks/leads ($stage)" ;;
    identify-signing-secret) ask "Signing secret of /webhooks/identify for $stage (Enter: keep, or generate if none)";
      description="HMAC key(s) of /webhooks/identify, the application's alone ($stage)" ;;
    intercom-client-secret) ask "Intercom app client secret for $stage (Enter keeps the current one)";
      description="Intercom app client secret, signs /webhooks/intercom ($stage)" ;;
    typeform-signing-secret) ask "Secret of the Typeform webhook for $stage (Enter: keep, or generate if none)";
      description="HMAC key(s) of /webhooks/leads/typeform ($stage)" ;;
    tally-signing-secret) ask "Signing secret of the Tally webhook for $stage (Enter: keep, or generate if none)";
      description="HMAC key(s) of /webhooks/leads/tally ($stage)" ;;
    webflow-client-secret) ask "Client secret of the Webflow OAuth application for $stage (Enter keeps it)";
      description="Webflow OAuth client secret(s), sign /webhooks/leads/webflow ($stage)" ;;
    webflow-url-token) ask "URL token of unsigned Webflow site webhooks for $stage (Enter: keep, or generate if none)";
      description="URL token(s) of unsigned /webhooks/leads/webflow deliveries ($stage)" ;;
  esac
  generated=no
  case "$secret" in *-signing-secret|webflow-url-token) generated=yes ;; esac
  value=$answer
  if [ -z "$value" ] && [ "$generated" = yes ] && [ "$exists" = no ]; then
    need openssl
    value=$(openssl rand -hex 32)
    case "$secret" in
      webhook-signing-secret) holder="your form relays" ;;
      identify-signing-secret) holder="your application only" ;;
      webflow-url-token) holder="the Webflow site webhook's URL (?token=...)" ;;
      *) holder="the ${secret%%-*} webhook's settings" ;;
    esac
    echo "generated $secret; give it to $holder (see --help to read it back)" >&2
  fi
  if [ -z "$value" ]; then
    if [ "$exists" = yes ]; then echo "kept $name unchanged" >&2; else echo "did not create $name" >&2; fi
    continue
  fi
  if [[ "$value" =~ [[:space:]] ]] && [ "$generated" = no ]; then
    die "the value for $name contains white space: paste it again"
  fi
  store "$name" "$description" "$value"
  unset value answer
done

echo
echo "ARNs (parameters of template.yaml; infra/scripts/deploy.sh looks them up by name):"
for entry in IntercomTokenSecretArn:intercom-token WebhookSigningSecretArn:webhook-signing-secret \
             IdentifySigningSecretArn:identify-signing-secret IntercomClientSecretArn:intercom-client-secret \
             TypeformSigningSecretArn:typeform-signing-secret TallySigningSecretArn:tally-signing-secret \
             WebflowSigningSecretArn:webflow-client-secret WebflowUrlTokenSecretArn:webflow-url-token; do
  IFS=: read -r parameter secret <<<"$entry"
  arn=$(secret_arn "$(secret_name "$stage" "$secret")")
  # a form tool's key only once it exists
  if [ -z "$arn" ] && [[ " ${core_secrets[*]} " != *" $secret "* ]]; then continue; fi
  echo "  $parameter=$arn"
done
