#!/usr/bin/env bash
# End-to-end benchmark of `watcher run` on the shared fixtureweb yardstick
# (../shared/bench beside the repository), side by side with the peers.
#
#   bench/run.sh            the table: watcher (feed and list sources) at SIZES,
#                           cold/warm/warm2/incremental, REPS repetitions, also
#                           with CHANGED_VARIANT; then PEERS in the same session
#   bench/run.sh scale      the scale curve: feed sources at SCALE_SIZES
#   bench/run.sh micro      the micro-benchmarks (go test -bench, -benchmem)
#
# Every figure is written under OUT (default /tmp/watcher-bench/results):
# results.tsv (one row per run, the peers' format), table.md (medians, by
# the yardstick's benchtable) and dbsize.tsv (database size per stored item).
#
# Settings (environment):
#   SIZES="50x50 500x50"   N×K sizes of the table
#   REPS=3                 repetitions (medians are reported)
#   MODES="feed list"      watcher source kinds: feed sources, or html listings
#                          with every new item's page followed
#   LIST_SIZES=$SIZES      sizes of the list mode (it fetches N×K item pages cold)
#   CHANGED_VARIANT=0.2    also run the watcher with fixtureweb -changed 0.2
#                          (5% new items concentrated in 20% of the sources);
#                          empty: skip
#   PEERS="urlwatch-list urlwatch-feed newsboat-t1"
#                          peers to run in the same session (Debian packages
#                          urlwatch and newsboat); empty: skip. Miniflux needs a
#                          binary this machine cannot build: its figures are
#                          quoted from the yardstick's PEERS.md.
#   SCALE_SIZES="50x50 500x50 5000x50", SCALE_REPS=1, SCALE_MODES=feed
#   BUILD=1                build the watcher and fixtureweb first (0: reuse)
#   WORK=/tmp/watcher-bench, BIN=$WORK/bin, YARDSTICK=<repo>/../shared/bench
#
# The templates bench/watcher-feed.yaml.tmpl and bench/watcher-list.yaml.tmpl
# lift the per-host delay, which only a loopback yardstick justifies (every
# fixtureweb site shares one host); the shipped configuration keeps 2 s.
set -uo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
YARDSTICK=${YARDSTICK:-$REPO/../shared/bench}
YARDSTICK=$(cd "$YARDSTICK" && pwd) || { echo "no yardstick at $YARDSTICK" >&2; exit 2; }
WORK=${WORK:-/tmp/watcher-bench}
BIN=${BIN:-$WORK/bin}
OUT=${OUT:-$WORK/results}
REPS=${REPS:-3}
SIZES=${SIZES:-"50x50 500x50"}
MODES=${MODES:-"feed list"}
LIST_SIZES=${LIST_SIZES:-$SIZES}
CHANGED_VARIANT=${CHANGED_VARIANT-0.2}
PEERS=${PEERS-"urlwatch-list urlwatch-feed newsboat-t1"}
SCALE_SIZES=${SCALE_SIZES:-"50x50 500x50 5000x50"}
SCALE_REPS=${SCALE_REPS:-1}
SCALE_MODES=${SCALE_MODES:-feed}
BUILD=${BUILD:-1}
WATCHER_BIN=$BIN/watcher
export BIN

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

build() {
	[[ $BUILD == 1 ]] || return 0
	mkdir -p "$BIN"
	log "building the watcher into $WATCHER_BIN"
	(cd "$REPO" && go build -o "$WATCHER_BIN" ./cmd/watcher) || exit 1
	log "building fixtureweb into $BIN"
	(cd "$YARDSTICK" && go build -o "$BIN/fixtureweb" ./cmd/fixtureweb) || exit 1
}

# machine prints what the figures were measured on.
machine() {
	echo "# $(date -u +%FT%TZ) $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)," \
		"$(free -g | awk '/^Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# $("$WATCHER_BIN" version 2>/dev/null | head -1), $(go version)"
}

# watcher_runs CHANGED SIZES REPS MODES [LIST_SIZES]: run the yardstick's watcher.sh into
# $OUT/changed$CHANGED (rows and stats) and $WORK/changed$CHANGED (databases).
watcher_runs() {
	local changed=$1 reps=$3 modes=$4 mode sizes
	for mode in $modes; do
		sizes=$2
		[[ $mode == list ]] && sizes=${5:-$2}
		log "watcher MODE=$mode CHANGED=$changed SIZES=\"$sizes\" REPS=$reps"
		env MODE="$mode" CHANGED="$changed" SIZES="$sizes" REPS="$reps" \
			WATCHER_BIN="$WATCHER_BIN" WATCHER_TEMPLATE="$REPO/bench/watcher-$mode.yaml.tmpl" \
			OUT="$OUT/changed$changed" WORK="$WORK/changed$changed" \
			"$YARDSTICK/peers/watcher.sh" || log "watcher MODE=$mode exited $?"
		dbsize "$WORK/changed$changed" "watcher-$mode" "$changed"
	done
}

# dbsize WORKDIR PEER CHANGED: one dbsize.tsv row per database the runs left
# (after cold, warm, warm2 and incremental): the file's size (bbolt grows it
# ahead in steps), the size of a backup (`watcher backup`: the pages in use
# and free ones below the high-water mark), items, and backup bytes per item.
dbsize() {
	local db dir size rep bytes copy items
	[[ -s $OUT/dbsize.tsv ]] || printf 'peer\tchanged\tsize\trep\tfile_bytes\tbackup_bytes\titems\tbytes_per_item\n' >"$OUT/dbsize.tsv"
	for db in "$1/$2"/*/*/watcher.db; do
		[[ -f $db ]] || continue
		dir=$(dirname "$db") rep=$(basename "$dir") size=$(basename "$(dirname "$dir")")
		bytes=$(stat -c %s "$db")
		rm -f "$dir/backup.db"
		"$WATCHER_BIN" backup --config "$dir/sources.yaml" --db "$db" "$dir/backup.db" >/dev/null 2>&1
		copy=$(stat -c %s "$dir/backup.db" 2>/dev/null || echo 0)
		rm -f "$dir/backup.db"
		items=$("$WATCHER_BIN" items --config "$dir/sources.yaml" --db "$db" --json 2>/dev/null | jq length)
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$size" "$rep" "$bytes" "$copy" "$items" \
			"$(awk -v b="$copy" -v n="$items" 'BEGIN{ if (n > 0) printf "%.0f", b/n; else print "-" }')" \
			| tee -a "$OUT/dbsize.tsv" >&2
	done
}

peer_runs() {
	local p
	for p in $PEERS; do
		log "peer $p SIZES=\"$SIZES\" REPS=$REPS"
		local common=(SIZES="$SIZES" REPS="$REPS" CHANGED=1 OUT="$OUT/changed1" WORK="$WORK/peers")
		case $p in
		urlwatch-list) env "${common[@]}" MODE=list "$YARDSTICK/peers/urlwatch.sh" ;;
		urlwatch-feed) env "${common[@]}" MODE=feed "$YARDSTICK/peers/urlwatch.sh" ;;
		newsboat-t*) env "${common[@]}" THREADS="${p#newsboat-t}" "$YARDSTICK/peers/newsboat.sh" ;;
		*) log "unknown peer $p (urlwatch-list, urlwatch-feed, newsboat-tN)" ;;
		esac || log "peer $p exited $?"
	done
}

# table: the medians of every results file, a variant's peers renamed
# "<peer>-changed<F>" so they get rows of their own.
table() {
	local files=() f c
	for f in "$OUT"/changed*/results.tsv; do
		[[ -f $f ]] || continue
		c=$(basename "$(dirname "$f")")
		c=${c#changed}
		if [[ $c == 1 ]]; then
			files+=("$f")
		else
			awk -v s="-changed$c" 'BEGIN{FS=OFS="\t"} NR>1{$1=$1 s} {print}' "$f" >"$OUT/results-changed$c.tsv"
			files+=("$OUT/results-changed$c.tsv")
		fi
	done
	((${#files[@]})) || { log "no results under $OUT"; return 1; }
	{
		machine
		echo
		(cd "$YARDSTICK" && go run ./cmd/benchtable "${files[@]}")
		echo
		echo "Database size after the four runs (median of the reps; bytes/item from the backup copy):"
		echo
		echo "| peer | changed | size N×K | file MiB | backup MiB | items | bytes/item |"
		echo "|---|---:|---|---:|---:|---:|---:|"
		tail -n +2 "$OUT/dbsize.tsv" | sort -t"$(printf '\t')" -k1,3 -k6,6n | awk 'BEGIN{FS="\t"}
			{k=$1 "\t" $2 "\t" $3; if (!(k in n)) keys[++order]=k; n[k]++; f[k, n[k]]=$5; b[k, n[k]]=$6; i[k, n[k]]=$7}
			END{for (j=1; j<=order; j++){k=keys[j]; m=int((n[k]+1)/2); split(k, p, "\t");
				printf "| %s | %s | %s | %.1f | %.1f | %d | %.0f |\n", p[1], p[2], p[3], f[k,m]/1048576, b[k,m]/1048576, i[k,m], (i[k,m] ? b[k,m]/i[k,m] : 0)}}'
	} | tee "$OUT/table.md"
}

micro() {
	local pkgs=(./crawlers ./state ./relevance ./digest)
	log "micro-benchmarks in ${pkgs[*]} (BENCHTIME=${BENCHTIME:-1s}, COUNT=${COUNT:-3})"
	mkdir -p "$OUT"
	(cd "$REPO" && machine && go test -run '^$' -bench "${BENCH:-.}" -benchmem -benchtime "${BENCHTIME:-1s}" \
		-count "${COUNT:-3}" "${pkgs[@]}") | tee "$OUT/micro.txt"
}

mkdir -p "$OUT" "$WORK"
case ${1:-table} in
table)
	build
	rm -rf "$OUT"/changed* "$OUT/dbsize.tsv" "$OUT"/results-changed*.tsv
	watcher_runs 1 "$SIZES" "$REPS" "$MODES" "$LIST_SIZES"
	[[ -n $CHANGED_VARIANT ]] && watcher_runs "$CHANGED_VARIANT" "$SIZES" "$REPS" "$MODES" "$LIST_SIZES"
	peer_runs
	table
	;;
scale)
	build
	OUT=$OUT/scale WORK=$WORK/scale
	mkdir -p "$OUT" "$WORK"
	rm -rf "$OUT"/changed* "$OUT/dbsize.tsv"
	watcher_runs 1 "$SCALE_SIZES" "$SCALE_REPS" "$SCALE_MODES"
	table
	;;
micro) micro ;;
table-only) table ;;
*)
	echo "usage: bench/run.sh [table|scale|micro|table-only]" >&2
	exit 2
	;;
esac
