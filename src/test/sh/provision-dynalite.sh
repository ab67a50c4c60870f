#!/usr/bin/env bash
# Run by the build (pom.xml, phase validate) before any test: installs dynalite, the DynamoDB-compatible server the
# ledger tests run on, with npm into a cache folder outside the repository (DYNALITE_HOME, default
# ~/.cache/dynalite), unless the wanted version is already there. The tests start it from that folder.
# Usage: provision-dynalite.sh <version>. On failure, says on stderr in one line what is missing and how to get it.
set -uo pipefail

version="$1"
home="${DYNALITE_HOME:-$HOME/.cache/dynalite}"
installed="$home/node_modules/dynalite/package.json"

fail() {
  echo "$*" >&2
  exit 1
}

for tool in node npm; do
  command -v "$tool" >/dev/null 2>&1 || fail "The tests need Node.js with npm (for dynalite, the DynamoDB emulator)," \
    "and '$tool' is not on PATH: install Node.js 20 or later (https://nodejs.org, or your system's nodejs and npm" \
    "packages), or skip the tests with -DskipTests"
done

node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] 2>/dev/null || fail "The tests need Node.js 20 or later (for dynalite, the DynamoDB emulator)," \
  "and this is Node.js $(node --version): install a newer one (https://nodejs.org), or skip the tests with -DskipTests"

installed_version() {
  node -p 'require(process.argv[1]).version' "$1" 2>/dev/null
}

if [ -x "$home/node_modules/.bin/dynalite" ] && [ "$(installed_version "$installed")" = "$version" ]; then
  exit 0
fi

# installed beside the cache folder first, then moved in: an interrupted install never looks complete
mkdir -p "$home" || fail "Cannot create $home for dynalite (set DYNALITE_HOME to a writable folder)"
staging="$(mktemp -d "$home/.install.XXXXXX")" || fail "Cannot write to $home (set DYNALITE_HOME to a writable folder)"
trap 'rm -rf "$staging"' EXIT
echo "Installing dynalite $version (the DynamoDB emulator of the tests) into $home"
npm install --prefix "$staging" --no-audit --no-fund --no-save --loglevel=error "dynalite@$version" \
  || fail "npm could not install dynalite@$version into $home (see npm's message above)"
if [ "$(installed_version "$installed")" != "$version" ]; then
  rm -rf "$home/node_modules"
  mv "$staging/node_modules" "$home/node_modules" || fail "Cannot move dynalite into $home/node_modules"
fi
