#!/usr/bin/env bash
# Builds target/function.zip and deploys one stage of the stack with SAM.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: infra/scripts/deploy.sh --stage <stage> [options]

Builds target/function.zip and deploys the stack intercom-contact-functions-<stage> with
infra/parameters/<stage>.json. Secret ARNs not given in that file are looked up under
intercom-contact-functions/<stage>/... (see create-secrets.sh). Secret values are never read.

Options:
  --stage <stage>     stage to deploy (dev, prod, ...): picks the parameter file and the stack name
  --jvm | --native    runtime variant; default: RuntimeVariant of the parameter file, else jvm
  --skip-build        deploy the existing target/function.zip
  --skip-tests        build without running the tests (-DskipTests)
  --yes               do not ask to confirm the change set
  --region <region>   AWS region (default: your AWS CLI configuration)
  --profile <name>    AWS CLI profile
  -h, --help          show this help

Builds: native = ./mvnw package -Dnative -Dquarkus.native.container-build=true (needs Docker or Podman);
        jvm    = ./mvnw package.
Needs: sam, aws, jq, unzip; Docker or Podman only for the native build.
USAGE
}

variant="" skip_build=false skip_tests=false confirm=true
# this script's own options; --stage, --region, --profile and --help: parse_options in lib/common.sh
script_option() {
  case "$1" in
    --jvm) variant=jvm; OPTION_ARGS=1 ;;
    --native) variant=native; OPTION_ARGS=1 ;;
    --skip-build) skip_build=true; OPTION_ARGS=1 ;;
    --skip-tests) skip_tests=true; OPTION_ARGS=1 ;;
    --yes) confirm=false; OPTION_ARGS=1 ;;
    *) return 1 ;;
  esac
}

# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
parse_options "$@"
params_file="$REPO_ROOT/infra/parameters/${stage}.json"
[ -f "$params_file" ] || die "no parameter file $params_file (copy dev.json and adapt it)"
need sam aws jq unzip
cd "$REPO_ROOT"

if [ -z "$variant" ]; then
  variant=$(jq -r '.Parameters.RuntimeVariant // "jvm"' "$params_file")
fi
[ "$variant" = native ] || [ "$variant" = jvm ] || die "RuntimeVariant must be native or jvm, not $variant"
if [ "$variant" = native ] && [ "$skip_build" = false ]; then
  need_one "the native build (in a container)" docker podman
fi

# ---- build
if [ "$skip_build" = false ]; then
  build=(./mvnw -B package)
  if [ "$variant" = native ]; then build+=(-Dnative -Dquarkus.native.container-build=true); fi
  if [ "$skip_tests" = true ]; then build+=(-DskipTests); fi
  echo "building ($variant): ${build[*]}"
  "${build[@]}"
fi
zip=target/function.zip
[ -f "$zip" ] || die "$zip is missing: build first (or drop --skip-build)"
if unzip -Z1 "$zip" | grep -qx bootstrap; then built=native; else built=jvm; fi
[ "$built" = "$variant" ] || die "$zip holds a $built build but the $variant variant is being deployed"

# ---- parameters: the stage file, the variant, and the secret ARNs
overrides=()
while IFS=$'\t' read -r key value; do
  overrides+=("$key=\"${value//\"/\\\"}\"")
done < <(jq -r '.Parameters | to_entries[]
    | select(.key != "RuntimeVariant" and ((.key | endswith("SecretArn")) and .value == "" | not))
    | [.key, (.value | tostring)] | @tsv' "$params_file")
overrides+=("RuntimeVariant=\"$variant\"")

for entry in IntercomTokenSecretArn:intercom-token:required \
             WebhookSigningSecretArn:webhook-signing-secret:optional \
             IdentifySigningSecretArn:identify-signing-secret:optional \
             IntercomClientSecretArn:intercom-client-secret:optional \
             TypeformSigningSecretArn:typeform-signing-secret:optional \
             TallySigningSecretArn:tally-signing-secret:optional \
             WebflowSigningSecretArn:webflow-client-secret:optional \
             WebflowUrlTokenSecretArn:webflow-url-token:optional; do
  IFS=: read -r parameter name need_it <<<"$entry"
  arn=$(jq -r --arg p "$parameter" '.Parameters[$p] // ""' "$params_file")
  if [ -z "$arn" ]; then
    arn=$(secret_arn "$(secret_name "$stage" "$name")")
    if [ -z "$arn" ] && [ "$need_it" = required ]; then
      die "no secret $(secret_name "$stage" "$name"): run infra/scripts/create-secrets.sh --stage $stage"
    fi
    [ -n "$arn" ] || warn "no secret $(secret_name "$stage" "$name"): $parameter stays empty (its route refuses requests)"
    overrides+=("$parameter=\"$arn\"")
  fi
done

tags=()
while IFS=$'\t' read -r key value; do
  tags+=("$key=\"$value\"")
done < <(jq -r '(.Tags // {}) | to_entries[] | [.key, .value] | @tsv' "$params_file")

# ---- deploy (the template itself, not a stale .aws-sam/build copy)
stack=$(stack_name "$stage")
deploy=(sam deploy --template-file template.yaml --stack-name "$stack" --capabilities CAPABILITY_IAM
  --resolve-s3 --s3-prefix "$stack" --no-fail-on-empty-changeset --parameter-overrides "${overrides[@]}")
if [ ${#tags[@]} -gt 0 ]; then deploy+=(--tags "${tags[@]}"); fi
if [ "$confirm" = true ]; then deploy+=(--confirm-changeset); else deploy+=(--no-confirm-changeset); fi
deploy+=(${AWS_OPTS[@]+"${AWS_OPTS[@]}"})
"${deploy[@]}"

aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} cloudformation describe-stacks --stack-name "$stack" \
  --query 'Stacks[0].Outputs[].[OutputKey, OutputValue]' --output table
