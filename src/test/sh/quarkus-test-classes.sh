#!/usr/bin/env bash
# Run by the build (pom.xml, profile test-forks) before a full test run compiles its tests: lists the test classes
# that start Quarkus (annotated @QuarkusTest, @QuarkusMainTest or @QuarkusIntegrationTest) among those surefire runs,
# one path a line, and writes two JUnit suites that hold them between them:
# - QuarkusSuite1Scenarios: the tests whose profile is one of the reliability scenarios' (declared in the reliability
#   package: the fleets on dynalite and ElasticMQ, the burst, the slow batch); the reliability total line adds up
#   the scenario figures of one JVM, so every test that prints them belongs here;
# - QuarkusSuite2Functions: every other one.
# Surefire runs the two suites in two JVMs side by side, each suite in one JVM (so that each application, a test
# profile with its test resources, starts once), and every other test in whichever JVM is free. The scenarios come
# first: the JVMs take turns to build their applications (QuarkusDiscoveryLock), and theirs is the longer suite.
# Usage: quarkus-test-classes.sh <test source folder> <list to write> <folder to write the suites' sources in>
set -euo pipefail

sources="$1"
out="$2"
suites="$3"
mkdir -p "$(dirname "$out")" "$suites/dev/contactfunctions"
cd "$sources"
grep -rlE '^@Quarkus(Main|Integration)?Test\b' --include='*Test.java' --include='*Tests.java' --include='Test*.java' \
  --include='*TestCase.java' . | sed 's|^\./||' | LC_ALL=C sort > "$out"

# the simple names of the profiles declared in the reliability package, as an alternation: A|B|C
scenario_profiles=$(grep -lE 'implements QuarkusTestProfile' dev/contactfunctions/reliability/*.java \
  | xargs -n1 basename | sed 's/\.java$//' | LC_ALL=C sort | paste -sd'|')

scenarios=()
functions=()
while IFS= read -r path; do
  class=$(printf '%s' "${path%.java}" | tr / .)
  if [ -n "$scenario_profiles" ] && grep -qE "^@TestProfile\((${scenario_profiles})\.class\)" "$path"; then
    scenarios+=("$class")
  else
    functions+=("$class")
  fi
done < "$out"

# suite <name> <what it holds> <class>...
suite() {
  local name="$1" holds="$2"
  shift 2
  {
    printf 'package dev.contactfunctions;\n\n'
    printf 'import org.junit.platform.suite.api.SelectClasses;\n'
    printf 'import org.junit.platform.suite.api.Suite;\n\n'
    printf '/** %s. Written by src/test/sh/quarkus-test-classes.sh for a full test run. */\n' "$holds"
    printf '@Suite(failIfNoTests = false)\n'
    printf '@SelectClasses(names = {'
    local first=1 class
    for class in "$@"; do
      if [ $first = 1 ]; then first=0; else printf ','; fi
      printf '\n        "%s"' "$class"
    done
    printf '})\n'
    printf 'public class %s {\n}\n' "$name"
  } > "$suites/dev/contactfunctions/$name.java"
}

suite QuarkusSuite1Scenarios "The Quarkus tests of the reliability scenarios' profiles" ${scenarios[@]+"${scenarios[@]}"}
suite QuarkusSuite2Functions "The Quarkus tests of every other profile" ${functions[@]+"${functions[@]}"}
