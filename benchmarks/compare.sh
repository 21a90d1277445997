#!/usr/bin/env bash
# Side-by-side load test of CNCF Distribution (docker-registry) and Bulwark on this machine.
#
# Starts each server on a free 127.0.0.1 port with storage in a temp directory, measures its RSS while a
# single large blob (1 GiB by default) is pushed, runs bulwark-load against it, and prints markdown tables.
# Everything it starts is stopped and every temp directory removed on exit, however it exits.
#
# Settings (environment variables):
#   TARGETS          which servers to run: distribution,bulwark (default both)
#   DURATION         time bound per load run (default 5s); REQUESTS: operation bound per run (default 100000)
#   SIZES            blob sizes (default 1MiB,10MiB,100MiB)
#   CONCURRENCY      worker counts (default 1,10)
#   SCENARIOS        load tool scenarios (default: all)
#   RSS_BLOB_SIZE    blob pushed for the RSS measurement (default 1GiB); RSS_ONLY=1 skips the load runs
#   BULWARK_DLL      a built bulwark.dll to use instead of building src/Bulwark.Cli in Release
#   BULWARK_CREDS    USER:PASSWORD for Bulwark when it requires auth (else read from its first-start log)
#   OUT_DIR          keep the JSON reports, server logs and the markdown there (default: discarded)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=${TARGETS:-distribution,bulwark}
DURATION=${DURATION:-5s}
REQUESTS=${REQUESTS:-100000}
SIZES=${SIZES:-1MiB,10MiB,100MiB}
CONCURRENCY=${CONCURRENCY:-1,10}
SCENARIOS=${SCENARIOS:-blob-push,blob-push-chunked,blob-pull,manifest-put,manifest-get}
RSS_BLOB_SIZE=${RSS_BLOB_SIZE:-1GiB}
RSS_ONLY=${RSS_ONLY:-0}
READY_TIMEOUT_S=60

WORK=$(mktemp -d -t bulwark-compare.XXXXXX)
SERVER_PIDS=()

cleanup() {
    local status=$?
    trap - EXIT INT TERM
    for pid in "${SERVER_PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "${OUT_DIR:-}" ]]; then
        mkdir -p "$OUT_DIR"
        cp -f "$WORK"/*.json "$WORK"/*.log "$WORK"/*.md "$WORK"/*.txt "$OUT_DIR"/ 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { printf '%s\n' "$*" >&2; }

# A loopback TCP port nobody listens on (a small race with other processes is accepted).
free_port() {
    local port
    for _ in $(seq 1 200); do
        port=$((20000 + RANDOM % 40000))
        if ! ss -Htln "( sport = :$port )" | grep -q .; then
            echo "$port"
            return 0
        fi
    done
    log "no free port found"
    return 1
}

# Waits until GET /v2/ answers 200 or 401 (auth required), or the process dies, or the timeout passes.
wait_ready() {
    local name=$1 pid=$2 url=$3 logfile=$4 code
    for _ in $(seq 1 $((READY_TIMEOUT_S * 5))); do
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited during start-up; its log:"
            tail -n 30 "$logfile" >&2 || true
            return 1
        fi
        code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url/v2/" || true)
        if [[ "$code" == 200 || "$code" == 401 ]]; then
            echo "$code"
            return 0
        fi
        sleep 0.2
    done
    log "$name did not answer $url/v2/ within ${READY_TIMEOUT_S}s"
    return 1
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }

# Runs the load tool; credentials, if any, travel in the environment rather than on the command line.
load_tool() {
    local url=$1; shift
    local user_args=()
    if [[ -n "${CREDS_USER:-}" ]]; then user_args=(--user "$CREDS_USER"); fi
    REGISTRY_PASSWORD="${CREDS_PASSWORD:-}" dotnet "$WORK/loadtool/bulwark-load.dll" --registry "$url" "${user_args[@]}" "$@"
}

# Peak RSS of server $2 while one $RSS_BLOB_SIZE blob is pushed, after a warm-up push so that start-up
# costs (JIT, pools, caches) are not counted. Peak = VmHWM when it rose during the push (exact), else the
# highest 20 ms sample of VmRSS. Writes "before peak increase seconds MiB/s" to $WORK/$1-rss.txt, the
# last two as the load tool measured the push.
measure_rss() {
    local name=$1 pid=$2 url=$3 before peak sample hwm_before hwm_after lt_pid seconds rate
    log "[$name] RSS: warm-up push"
    load_tool "$url" --repo "rss/warmup" --scenarios blob-push --sizes 1MiB --concurrency 1 --requests 3 --json \
        > "$WORK/$name-rss-warmup.json" 2>> "$WORK/$name-loadtool.log" || true
    sleep 0.5
    before=$(rss_kib "$pid"); peak=$before; hwm_before=$(hwm_kib "$pid")
    log "[$name] RSS before: $((before / 1024)) MiB; pushing one $RSS_BLOB_SIZE blob"
    load_tool "$url" --repo "rss/large" --scenarios blob-push --sizes "$RSS_BLOB_SIZE" --concurrency 1 --requests 1 \
        --duration 10m --json > "$WORK/$name-rss.json" 2>> "$WORK/$name-loadtool.log" &
    lt_pid=$!
    while kill -0 "$lt_pid" 2>/dev/null; do
        sample=$(rss_kib "$pid" || echo 0)
        if ((sample > peak)); then peak=$sample; fi
        sleep 0.02
    done
    if ! wait "$lt_pid"; then
        log "[$name] the $RSS_BLOB_SIZE push reported errors: $(jq -c '.results[0].errorSamples' "$WORK/$name-rss.json" 2>/dev/null)"
    fi
    hwm_after=$(hwm_kib "$pid")
    if ((hwm_after > hwm_before && hwm_after > peak)); then peak=$hwm_after; fi
    seconds=$(jq -r '.results[0].elapsedSeconds // "?"' "$WORK/$name-rss.json" 2>/dev/null || echo "?")
    rate=$(jq -r '.results[0].mibPerSecond // "?"' "$WORK/$name-rss.json" 2>/dev/null || echo "?")
    echo "$((before / 1024)) $((peak / 1024)) $(((peak - before) / 1024)) $seconds $rate" > "$WORK/$name-rss.txt"
    log "[$name] RSS peak: $((peak / 1024)) MiB (+$(((peak - before) / 1024)) MiB)"
}

run_load() {
    local name=$1 url=$2
    if [[ "$RSS_ONLY" == 1 ]]; then return 0; fi
    log "[$name] load: scenarios=$SCENARIOS sizes=$SIZES concurrency=$CONCURRENCY duration=$DURATION"
    if ! load_tool "$url" --repo "load/$name" --scenarios "$SCENARIOS" --sizes "$SIZES" --concurrency "$CONCURRENCY" \
        --duration "$DURATION" --requests "$REQUESTS" --json > "$WORK/$name.json" 2> >(tee -a "$WORK/$name-loadtool.log" >&2); then
        log "[$name] the load tool reported errors (see the errors column)"
    fi
}

start_distribution() {
    local port url
    if ! command -v docker-registry > /dev/null; then
        log "[distribution] docker-registry not installed (apt-get install docker-registry); skipped"
        return 0
    fi
    port=$(free_port)
    url="http://127.0.0.1:$port"
    mkdir -p "$WORK/distribution-data"
    cat > "$WORK/distribution-config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $WORK/distribution-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: compare-sh-local-only
EOF
    docker-registry serve "$WORK/distribution-config.yml" > "$WORK/distribution.log" 2>&1 &
    local pid=$!
    SERVER_PIDS+=("$pid")
    wait_ready distribution "$pid" "$url" "$WORK/distribution.log" > /dev/null || return 1
    log "[distribution] $(docker-registry --version | head -1) on $url, pid $pid"
    CREDS_USER="" CREDS_PASSWORD="" measure_rss distribution "$pid" "$url"
    CREDS_USER="" CREDS_PASSWORD="" run_load distribution "$url"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$WORK/distribution-data"
}

start_bulwark() {
    local dll=${BULWARK_DLL:-} port url code
    if [[ -z "$dll" ]]; then
        if [[ ! -f "$ROOT/src/Bulwark.Cli/Bulwark.Cli.csproj" ]]; then
            log "[bulwark] src/Bulwark.Cli does not exist on this branch yet; Bulwark skipped"
            return 0
        fi
        log "[bulwark] building src/Bulwark.Cli (Release)"
        dotnet build "$ROOT/src/Bulwark.Cli/Bulwark.Cli.csproj" -c Release -o "$WORK/bulwark-bin" -v quiet -nologo > "$WORK/bulwark-build.log" 2>&1 \
            || { log "[bulwark] build failed:"; tail -n 20 "$WORK/bulwark-build.log" >&2; return 1; }
        dll="$WORK/bulwark-bin/bulwark.dll"
    fi
    port=$(free_port)
    url="http://127.0.0.1:$port"
    mkdir -p "$WORK/bulwark-data"
    # The server runs inside the dotnet host process, so $! is the process whose RSS is measured.
    (cd "$WORK" && exec dotnet "$dll" serve --listen "127.0.0.1:$port" --data "$WORK/bulwark-data") > "$WORK/bulwark.log" 2>&1 &
    local pid=$!
    SERVER_PIDS+=("$pid")
    code=$(wait_ready bulwark "$pid" "$url" "$WORK/bulwark.log") || return 1
    log "[bulwark] $dll on $url, pid $pid"
    local user="" password=""
    if [[ "$code" == 401 ]]; then
        if [[ -n "${BULWARK_CREDS:-}" ]]; then
            user=${BULWARK_CREDS%%:*}; password=${BULWARK_CREDS#*:}
        else
            # First start prints the admin account's one-time password.
            user=admin
            password=$(sed -nE 's/.*[Pp]assword[^:=]*[:=][[:space:]]*"?([^"[:space:]]+)"?.*/\1/p' "$WORK/bulwark.log" | head -n 1)
            if [[ -z "$password" ]]; then
                log "[bulwark] requires auth and no password was found in its log; set BULWARK_CREDS=user:password"
                return 1
            fi
        fi
    fi
    CREDS_USER=$user CREDS_PASSWORD=$password measure_rss bulwark "$pid" "$url"
    CREDS_USER=$user CREDS_PASSWORD=$password run_load bulwark "$url"
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$WORK/bulwark-data"
}

for tool in dotnet curl jq ss awk; do
    command -v "$tool" > /dev/null || { log "compare.sh needs $tool"; exit 2; }
done

log "building the load tool (Release)"
dotnet build "$ROOT/benchmarks/Bulwark.LoadTool/Bulwark.LoadTool.csproj" -c Release -o "$WORK/loadtool" -v quiet -nologo > "$WORK/loadtool-build.log" 2>&1 \
    || { tail -n 20 "$WORK/loadtool-build.log" >&2; exit 1; }

# One server at a time, so that neither competes with the other for the CPUs.
# A server that fails to start or build is reported and left out; the other still runs.
if [[ ",$TARGETS," == *",distribution,"* ]]; then start_distribution || log "[distribution] not measured"; fi
if [[ ",$TARGETS," == *",bulwark,"* ]]; then start_bulwark || log "[bulwark] not measured"; fi

for name in distribution bulwark; do
    [[ -f "$WORK/$name.json" ]] || echo '{"results":[]}' > "$WORK/$name.json"
done

{
    echo "### Load ($(nproc) CPUs, client and server on one machine; DURATION=$DURATION per run)"
    echo
    echo "| scenario | size | conc | Distribution ops/s | MiB/s | p50 ms | p99 ms | err | Bulwark ops/s | MiB/s | p50 ms | p99 ms | err |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    jq -rn --slurpfile d "$WORK/distribution.json" --slurpfile b "$WORK/bulwark.json" '
        def key: "\(.scenario)|\(.size // "-")|\(.concurrency)";
        def r1: (. * 10 | round) / 10 | tostring | if test("\\.") then . else . + ".0" end;
        def cells(r): if r == null then "— | — | — | — | —"
            elif r.failure != null then "failed | | | | "
            else "\(r.operationsPerSecond | r1) | \(r.mibPerSecond | r1) | \(r.latencyMs.p50 | r1) | \(r.latencyMs.p99 | r1) | \(r.errors)" end;
        ($d[0].results | map({key: key, value: .}) | from_entries) as $dm
        | ($b[0].results | map({key: key, value: .}) | from_entries) as $bm
        | ($d[0].results + $b[0].results | map(key) | reduce .[] as $k ([]; if index([$k]) then . else . + [$k] end))[]
        | . as $k | ($dm[$k] // $bm[$k]) as $any
        | "| \($any.scenario) | \($any.size // "-") | \($any.concurrency) | \(cells($dm[$k])) | \(cells($bm[$k])) |"'
    echo
    echo "### Server RSS while pushing one $RSS_BLOB_SIZE blob (monolithic PUT)"
    echo
    echo "| server | RSS before MiB | peak during push MiB | increase MiB | push s | push MiB/s |"
    echo "|---|---:|---:|---:|---:|---:|"
    for name in distribution bulwark; do
        if [[ -f "$WORK/$name-rss.txt" ]]; then
            read -r before peak increase seconds rate < "$WORK/$name-rss.txt"
            echo "| $name | $before | $peak | $increase | $seconds | $rate |"
        else
            echo "| $name | — | — | — | — | — |"
        fi
    done
} | tee "$WORK/compare.md"
