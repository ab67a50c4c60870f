#!/usr/bin/env bash
# Run by the build (pom.xml, profile test-forks) before a full test run: lists the test classes that start Quarkus
# (annotated @QuarkusTest, @QuarkusMainTest or @QuarkusIntegrationTest) among those surefire runs, one path a line.
# Surefire runs them in one JVM (default-test) and every other test in two JVMs side by side (plain-tests).
# Usage: quarkus-test-classes.sh <test source folder> <file to write>
set -euo pipefail

sources="$1"
out="$2"
mkdir -p "$(dirname "$out")"
cd "$sources"
grep -rlE '^@Quarkus(Main|Integration)?Test\b' --include='*Test.java' --include='*Tests.java' --include='Test*.java' \
  --include='*TestCase.java' . | sed 's|^\./||' | LC_ALL=C sort > "$out"
