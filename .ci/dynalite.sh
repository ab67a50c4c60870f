# Sourced by .ci/run: dynalite, a DynamoDB-compatible server for the ledger tests.
# Installed once into a cache folder outside the repository, started on a free local port for this run, stopped at
# exit. The tests read DYNALITE_ENDPOINT; without it they start dynalite from DYNALITE_HOME themselves, or skip.
DYNALITE_VERSION=4.0.0
export DYNALITE_HOME="${DYNALITE_HOME:-$HOME/.cache/dynalite}"
dynalite_bin="$DYNALITE_HOME/node_modules/.bin/dynalite"
installed_version() {
  node -p "require(process.argv[1]).version" "$DYNALITE_HOME/node_modules/dynalite/package.json" 2>/dev/null || true
}
if [ ! -x "$dynalite_bin" ] || [ "$(installed_version)" != "$DYNALITE_VERSION" ]; then
  npm install --prefix "$DYNALITE_HOME" --no-audit --no-fund --loglevel=error "dynalite@$DYNALITE_VERSION"
fi
dynalite_port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
dynalite_log="$(mktemp)"
"$dynalite_bin" --host 127.0.0.1 --port "$dynalite_port" --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 \
  >"$dynalite_log" 2>&1 &
dynalite_pid=$!
trap 'kill "$dynalite_pid" 2>/dev/null || true; rm -f "$dynalite_log"' EXIT
for _ in $(seq 1 100); do
  grep -q listening "$dynalite_log" && break
  kill -0 "$dynalite_pid" 2>/dev/null || { cat "$dynalite_log" >&2; echo "dynalite did not start" >&2; exit 1; }
  sleep 0.1
done
grep -q listening "$dynalite_log" || { echo "dynalite did not start within 10 s" >&2; exit 1; }
export DYNALITE_ENDPOINT="http://127.0.0.1:$dynalite_port"
echo "dynalite $DYNALITE_VERSION listening at $DYNALITE_ENDPOINT"
