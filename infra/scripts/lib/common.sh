# shellcheck shell=bash
# Shared by the scripts in infra/scripts (sourced, not run). Bash only.
# Naming conventions, kept in one place:
#   stack            intercom-contact-functions-<stage>          (samconfig.toml uses the same names)
#   secrets          intercom-contact-functions/<stage>/<name>   (create-secrets.sh creates them)

APP=intercom-contact-functions
# shellcheck disable=SC2034  # used by the scripts that source this file
REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)

# AWS CLI options common to every call (--region / --profile given to a script). Expanded as
# ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} so that an empty array is fine under `set -u` in old bash (macOS).
AWS_OPTS=()

die() {
  echo "error: $*" >&2
  exit 1
}

warn() {
  echo "warning: $*" >&2
}

# need <tool>...: ends the script with one line naming the first tool that is not in PATH.
need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is required but not installed (not found in PATH)"
  done
}

# need_one <why> <tool>...: ends the script unless at least one of the tools is in PATH.
need_one() {
  local why=$1 tool
  shift
  for tool in "$@"; do
    if command -v "$tool" >/dev/null 2>&1; then return 0; fi
  done
  die "$why needs one of: $* (none found in PATH)"
}

stack_name() {
  echo "${APP}-$1"
}

secret_name() {
  echo "${APP}/$1/$2"
}

# stack_output <stack> <output key>: the value of one stack output, or nothing.
stack_output() {
  aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} cloudformation describe-stacks --stack-name "$1" \
    --query "Stacks[0].Outputs[?OutputKey=='$2'].OutputValue | [0]" --output text 2>/dev/null | grep -v '^None$' || true
}

# stack_resource <stack> <logical id>: the physical id of one stack resource.
stack_resource() {
  aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} cloudformation describe-stack-resource --stack-name "$1" --logical-resource-id "$2" \
    --query 'StackResourceDetail.PhysicalResourceId' --output text
}

# secret_arn <secret name>: the ARN of an existing secret, or nothing.
secret_arn() {
  aws ${AWS_OPTS[@]+"${AWS_OPTS[@]}"} secretsmanager describe-secret --secret-id "$1" --query ARN --output text 2>/dev/null || true
}

# parse_options "$@": the options every operations script takes, and the script's own.
#   --stage <stage>               sets $stage (required: without it, the usage and exit 2)
#   --region <r> / --profile <p>  go into AWS_OPTS
#   -h, --help                    prints the script's `usage` and exits 0, before anything touches AWS
# Any other option goes to the script's `script_option "$@"`, which sets its variable and OPTION_ARGS to the number
# of arguments it took (1 for a flag, 2 with a value), or returns 1 for an option it does not know: then the usage
# goes to stderr and the script exits 2.
parse_options() {
  stage=""
  while [ $# -gt 0 ]; do
    OPTION_ARGS=0
    case "$1" in
      --stage) stage=${2:?--stage needs a value}; OPTION_ARGS=2 ;;
      --region|--profile) AWS_OPTS+=("$1" "${2:?$1 needs a value}"); OPTION_ARGS=2 ;;
      -h|--help) usage; exit 0 ;;
      *) if ! script_option "$@"; then echo "unknown option: $1" >&2; usage >&2; exit 2; fi ;;
    esac
    shift "$OPTION_ARGS"
  done
  if [ -z "$stage" ]; then usage >&2; exit 2; fi
}
