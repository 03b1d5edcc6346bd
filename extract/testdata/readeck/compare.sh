#!/bin/bash
# compare.sh BENCH_DIR [ROUNDS] — throughput of `newsarchive extract --json`
# against readeck/go-readability v2 on the same decompressed pages, one core,
# process start included, alternating in one run (docs/extraction.md, "Speed
# against go-readability"). BENCH_DIR holds html/<id>.html.gz (the articles set).
# Run from the repository root. readeck is built from this separate module, so
# it is no dependency of newsarchive.
set -euo pipefail
bench=${1:?usage: compare.sh BENCH_DIR [ROUNDS]}
rounds=${2:-5}
tmp=$(mktemp -d /tmp/extract-compare.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/pages"
for f in "$bench"/html/*.html.gz; do
	b=$(basename "$f" .gz)
	gzip -dc "$f" > "$tmp/pages/$b"
done
n=$(ls "$tmp/pages" | wc -l)
go build -o "$tmp/newsarchive" ./cmd/newsarchive
(cd extract/testdata/readeck && go build -o "$tmp/readeck" .)
# run CMD... → "wall cpu" seconds (cpu = user + sys of the process).
run() {
	local TIMEFORMAT='%R %U %S' t
	t=$( { time GOMAXPROCS=1 "$@" "$tmp"/pages/*.html > /dev/null 2>&1 || true; } 2>&1 )
	set -- $t
	echo "$1 $(echo "$2 + $3" | bc -l)"
}
echo "pages: $n, load: $(cut -d' ' -f1-3 /proc/loadavg)"
aw=0 ac=0 rw=0 rc=0
for i in $(seq "$rounds"); do
	read -r w c < <(run "$tmp/newsarchive" extract --json)
	read -r w2 c2 < <(run "$tmp/readeck")
	aw=$(echo "$aw + $w" | bc -l); ac=$(echo "$ac + $c" | bc -l)
	rw=$(echo "$rw + $w2" | bc -l); rc=$(echo "$rc + $c2" | bc -l)
	printf 'round %d: pages/s wall: newsarchive %.0f, go-readability %.0f (ratio %.2f); per CPU second: %.0f, %.0f (ratio %.2f)\n' \
		"$i" "$(echo "$n / $w" | bc -l)" "$(echo "$n / $w2" | bc -l)" "$(echo "$w2 / $w" | bc -l)" \
		"$(echo "$n / $c" | bc -l)" "$(echo "$n / $c2" | bc -l)" "$(echo "$c2 / $c" | bc -l)"
done
printf 'all rounds: pages/s wall: newsarchive %.0f, go-readability %.0f (ratio %.2f); per CPU second: %.0f, %.0f (ratio %.2f)\n' \
	"$(echo "$n * $rounds / $aw" | bc -l)" "$(echo "$n * $rounds / $rw" | bc -l)" "$(echo "$rw / $aw" | bc -l)" \
	"$(echo "$n * $rounds / $ac" | bc -l)" "$(echo "$n * $rounds / $rc" | bc -l)" "$(echo "$rc / $ac" | bc -l)"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
