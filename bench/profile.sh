#!/usr/bin/env bash
# Profiles of `watcher run` on the fixtureweb yardstick: one fresh database,
# the scenarios cold, warm and incremental, each with --cpuprofile and
# --memprofile, and the top of each profile printed.
#
#   bench/profile.sh [feed|list] [NxK]        (default: feed 500x50)
#
# Profiles go to $OUT/<mode>-<size>-<scenario>.{cpu,mem}.pprof; look at one
# with `go tool pprof -top FILE` or `go tool pprof -http :0 FILE`. Settings:
# CHANGED (fixtureweb -changed, default 1), WATCHER_BIN (default: built from
# this repository into $BIN), WORK=/tmp/watcher-bench, OUT=$WORK/profiles.
set -uo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
YARDSTICK=${YARDSTICK:-$REPO/../shared/bench}
MODE=${1:-feed}
SIZE=${2:-500x50}
export WORK=${WORK:-/tmp/watcher-bench}
export BIN=${BIN:-$WORK/bin}
export OUT=${OUT:-$WORK/profiles}
source "$YARDSTICK/peers/lib.sh"
check_prereqs
WATCHER_BIN=${WATCHER_BIN:-}
if [[ -z $WATCHER_BIN ]]; then
	WATCHER_BIN=$BIN/watcher
	mkdir -p "$BIN"
	(cd "$REPO" && go build -o "$WATCHER_BIN" ./cmd/watcher) || exit 1
fi
kind=feed
[[ $MODE == list ]] && kind=list
mkdir -p "$OUT"
trap fw_stop EXIT

d=$WORK/profile-$MODE-$SIZE
rm -rf "$d" && mkdir -p "$d"
fw_start "${SIZE%x*}" "${SIZE#*x}"
fw_urls "$kind" >"$d/urls"
awk -v urls="$d/urls" '
	BEGIN { n = 0; while ((getline u < urls) > 0) U[n++] = u }
	/^#each/ { inblk = 1; blk = ""; next }
	/^#end/  { inblk = 0; for (i = 0; i < n; i++) { b = blk; gsub(/\{\{I\}\}/, i, b); gsub(/\{\{URL\}\}/, U[i], b); printf "%s", b }; next }
	inblk    { blk = blk $0 "\n"; next }
	         { print }
' "$REPO/bench/watcher-$MODE.yaml.tmpl" >"$d/sources.yaml"

run() {
	local scen=$1 p=$OUT/$MODE-$SIZE-$1
	fw_reset
	/usr/bin/time -f "$scen: wall %e s, user %U s, sys %S s, max RSS %M KiB" \
		"$WATCHER_BIN" run --config "$d/sources.yaml" --db "$d/watcher.db" \
		--cpuprofile "$p.cpu.pprof" --memprofile "$p.mem.pprof" >"$d/$scen.out" 2>"$d/$scen.err"
	tail -n 1 "$d/$scen.err"
	curl -sf "$FW/_stats" | jq -c '{requests, bytes, status}'
	go tool pprof -top -nodecount "${TOP:-25}" "$WATCHER_BIN" "$p.cpu.pprof" 2>/dev/null | sed -n '1,/^ *flat/d;p' | head -n "${TOP:-25}" >"$p.cpu.top"
	go tool pprof -top -sample_index alloc_space -nodecount "${TOP:-25}" "$WATCHER_BIN" "$p.mem.pprof" 2>/dev/null \
		| sed -n '1,/^ *flat/d;p' | head -n "${TOP:-25}" >"$p.alloc.top"
	echo "  cpu top: $p.cpu.top, allocations top: $p.alloc.top"
}

fw_prewarm "$kind"
run cold
run warm
fw_bump
fw_prewarm "$kind"
run incremental
