#!/usr/bin/env bash
# The local run's port check (LocalRunSetup), run by ./mvnw before Maven starts and by the local profile of pom.xml
# before anything is compiled. Arguments: the command line's settings (-Dkey=value; anything else is ignored).
# A taken port: one line on stderr naming the port and the setting that moves it, exit 1.
#
# The class is compiled once into target/local/port-check/<checksum of the source>/ and then only started (a
# fraction of a second), rather than compiled on every start in source-file mode (seconds on a busy machine).
set -euo pipefail

base_dir=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$base_dir"
source=src/sandbox/java/dev/contactfunctions/sandbox/local/LocalRunSetup.java
java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}
classes="target/local/port-check/$(cksum <"$source" | cut -d' ' -f1)"

if [ ! -d "$classes" ]; then
  mkdir -p target/local/port-check
  work=$(mktemp -d target/local/port-check/compiling.XXXXXX)
  trap 'rm -rf "$work"' EXIT
  "${java_bin}javac" -J-XX:TieredStopAtLevel=1 --release 17 -d "$work" "$source"
  # a run started at the same moment may have won the race: either copy is the same class
  mv -T "$work" "$classes" 2>/dev/null || true
fi

"${java_bin}java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$classes" dev.contactfunctions.sandbox.local.LocalRunSetup "$@"
