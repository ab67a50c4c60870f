# Sourced by .ci/run: ElasticMQ, an SQS-compatible server for the deferral queue tests (visibility timeouts, receive
# counts, redrive to a dead-letter queue, FIFO groups and deduplication). Runs the tests' own launcher
# (src/test/java/dev/contactfunctions/deferral/ElasticMqServer.java) as a java source program, with the project's test
# classpath as Maven resolves it, on a free local port; stopped at exit. The tests read ELASTICMQ_ENDPOINT; without it
# they start ElasticMQ themselves.
elasticmq_classpath="$(mktemp)"
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$elasticmq_classpath" >/dev/null
elasticmq_log="$(mktemp)"
java -Xmx192m -XX:+UseSerialGC -cp "$(cat "$elasticmq_classpath")" \
  src/test/java/dev/contactfunctions/deferral/ElasticMqServer.java 0 >"$elasticmq_log" 2>&1 &
elasticmq_pid=$!
stop_elasticmq() { kill "$elasticmq_pid" 2>/dev/null || true; rm -f "$elasticmq_log" "$elasticmq_classpath"; }
# keeps whatever an earlier sourced script (dynalite.sh) does at exit
elasticmq_previous_exit="$(trap -p EXIT | sed "s/^trap -- '\(.*\)' EXIT$/\1/")"
trap "stop_elasticmq; $elasticmq_previous_exit" EXIT
for _ in $(seq 1 600); do
  grep -q '^elasticmq listening on ' "$elasticmq_log" && break
  kill -0 "$elasticmq_pid" 2>/dev/null || { cat "$elasticmq_log" >&2; echo "ElasticMQ did not start" >&2; exit 1; }
  sleep 0.1
done
grep -q '^elasticmq listening on ' "$elasticmq_log" || { echo "ElasticMQ did not start within 60 s" >&2; exit 1; }
export ELASTICMQ_ENDPOINT="http://127.0.0.1:$(sed -n 's/^elasticmq listening on //p' "$elasticmq_log" | head -1)"
echo "ElasticMQ listening at $ELASTICMQ_ENDPOINT"
