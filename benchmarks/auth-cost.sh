#!/usr/bin/env bash
# Issue 3's authentication budget on one build: token issue rate, and manifest GET throughput for an
# anonymous caller of a public repository vs. a Bearer-token caller vs. an HTTP Basic caller of the same
# manifest. Starts Bulwark on a free 127.0.0.1 port in a temp directory, creates a pusher `bench`, pushes a
# small image with curl, makes `bench/**` public, then runs wrk. Prints a markdown table.
#
# Every measurement is preceded by an unrecorded WARMUP run of the same requests (JIT tiering, caches, pools).
#
# Settings: DURATION (default 10s), WARMUP (default 10s), CONNECTIONS (default "1 10"), BULWARK_DLL (a built bulwark.dll instead of
# building src/Bulwark.Cli in Release). Needs curl, wrk, python3, sha256sum.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-"1 10"}
WORK=$(mktemp -d -t bulwark-auth-cost.XXXXXX)
ADMIN_PASSWORD="bench-admin-password-$RANDOM$RANDOM"
BENCH_PASSWORD="bench-user-password-$RANDOM$RANDOM"
PID=""

cleanup() {
    local status=$?
    trap - EXIT
    if [[ -n "$PID" ]] && kill -0 "$PID" 2>/dev/null; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$status"
}
trap cleanup EXIT

dll=${BULWARK_DLL:-}
if [[ -z "$dll" ]]; then
    dotnet build "$ROOT/src/Bulwark.Cli/Bulwark.Cli.csproj" -c Release -o "$WORK/bin" -v quiet -nologo > "$WORK/build.log" 2>&1 \
        || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
    dll="$WORK/bin/bulwark.dll"
fi

port=$((20000 + RANDOM % 40000))
url="http://127.0.0.1:$port"
(cd "$WORK" && BULWARK_ADMIN_PASSWORD="$ADMIN_PASSWORD" exec dotnet "$dll" serve --listen "127.0.0.1:$port" --data "$WORK/data") \
    > "$WORK/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 300); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$url/v2/" || true)
    [[ "$code" == 401 || "$code" == 200 ]] && break
    kill -0 "$PID" 2>/dev/null || { tail -n 30 "$WORK/server.log" >&2; exit 1; }
    sleep 0.2
done

admin=(-s -f -u "admin:$ADMIN_PASSWORD" -H 'Content-Type: application/json')
curl "${admin[@]}" -X POST "$url/api/v1/users" -d "{\"name\":\"bench\",\"password\":\"$BENCH_PASSWORD\"}" > /dev/null
curl "${admin[@]}" -X POST "$url/api/v1/role-assignments" -d '{"principal":"bench","role":"pusher","pattern":"bench/**"}' > /dev/null
curl "${admin[@]}" -X POST "$url/api/v1/public-repositories" -d '{"pattern":"bench/**"}' > /dev/null

# A one-layer image, pushed with Basic credentials.
printf '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}' > "$WORK/config.json"
head -c 1024 /dev/urandom > "$WORK/layer.bin"
push_blob() {
    local file=$1 digest
    digest="sha256:$(sha256sum "$file" | cut -d' ' -f1)"
    curl -s -f -u "bench:$BENCH_PASSWORD" -X POST -H 'Content-Type: application/octet-stream' --data-binary "@$file" \
        "$url/v2/bench/app/blobs/uploads/?digest=$digest" > /dev/null
    echo "$digest"
}
config=$(push_blob "$WORK/config.json")
layer=$(push_blob "$WORK/layer.bin")
cat > "$WORK/manifest.json" <<JSON
{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"$config","size":$(stat -c %s "$WORK/config.json")},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"$layer","size":1024}]}
JSON
curl -s -f -u "bench:$BENCH_PASSWORD" -X PUT -H 'Content-Type: application/vnd.oci.image.manifest.v1+json' \
    --data-binary "@$WORK/manifest.json" "$url/v2/bench/app/manifests/v1" > /dev/null

basic=$(printf 'bench:%s' "$BENCH_PASSWORD" | base64 -w0)
token=$(curl -s -f -H "Authorization: Basic $basic" "$url/auth/token?service=bulwark&scope=repository:bench/app:pull" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
accept='Accept: application/vnd.oci.image.manifest.v1+json'

# Server CPU time so far (user + system), in clock ticks.
server_ticks() {
    awk '{print $14 + $15}' "/proc/$PID/stat"
}

# "requests/s|mean latency|server CPU µs per request" of one wrk run. The CPU figure is the server's own cost per
# request, which (unlike requests/s) hardly moves when other processes compete for the cores.
run_wrk() {
    local connections=$1; shift
    local threads=$(( connections < 2 ? 1 : 2 ))
    wrk -t"$threads" -c"$connections" -d"$WARMUP" "$@" > /dev/null 2>&1
    sleep 3 # let background (tier-1) compilation and the audit queue settle
    local before after
    before=$(server_ticks)
    wrk -t"$threads" -c"$connections" -d"$DURATION" "$@" > "$WORK/wrk.out" 2>&1
    sleep 1 # the audit writer commits what is still queued
    after=$(server_ticks)
    awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" \
        '/^ +[0-9]+ requests in/ {n=$1} /Requests\/sec/ {rps=$2} /^ +Latency/ {lat=$2}
         END {printf "%s|%s|%.0f\n", rps, lat, (n > 0 ? ticks / hz * 1e6 / n : 0)}' "$WORK/wrk.out"
}

echo "| measurement | connections | requests/s | mean latency | server CPU µs/request |"
echo "|---|---:|---:|---:|---:|"
IFS='|' read -r rps lat cpu < <(run_wrk 16 -H "Authorization: Basic $basic" "$url/auth/token?service=bulwark&scope=repository:bench/app:pull,push")
echo "| token issue (GET /auth/token, Basic) | 16 | $rps | $lat | $cpu |"
for c in $CONNECTIONS; do
    IFS='|' read -r rps lat cpu < <(run_wrk "$c" -H "$accept" "$url/v2/bench/app/manifests/v1")
    echo "| manifest GET, anonymous (public pattern) | $c | $rps | $lat | $cpu |"
    IFS='|' read -r rps lat cpu < <(run_wrk "$c" -H "$accept" -H "Authorization: Bearer $token" "$url/v2/bench/app/manifests/v1")
    echo "| manifest GET, Bearer token | $c | $rps | $lat | $cpu |"
    IFS='|' read -r rps lat cpu < <(run_wrk "$c" -H "$accept" -H "Authorization: Basic $basic" "$url/v2/bench/app/manifests/v1")
    echo "| manifest GET, HTTP Basic | $c | $rps | $lat | $cpu |"
done
