#!/usr/bin/env bash
# make bench: whole-process import measurements on generated exports, then
# the Go benchmarks. Inputs are generated into bench/ (git-ignored) by
# cmd/wxrgen, deterministically by seed. Prints a Markdown table of medians
# of RUNS runs (default 3); BENCHMARKS.md keeps the latest one.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=${SIZES:-"10MB 200MB"}
TAGS="-tags sqlite_fts5"
mkdir -p bench bin

if ! /usr/bin/time -f %M true >/dev/null 2>&1; then
  echo "bench: GNU time is needed for peak RSS (Debian: apt-get install time)" >&2
  exit 1
fi

go build $TAGS -o bin/wparchive ./cmd/wparchive
go build -o bin/wxrgen ./cmd/wxrgen

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "# wparchive benchmarks"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo none)"
echo "- machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "- $(go version)"
echo "- method: median of $RUNS runs; each import starts from an empty archive; re-import = the same file again into the archive just built"
echo
echo "| input | MB | items | comments | import s | MB/s | items/s | peak RSS MB | re-import s | re-import peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"

for size in $SIZES; do
  name=$(echo "$size" | tr 'A-Z' 'a-z')
  in=bench/$name.xml
  [[ -s $in ]] || bin/wxrgen -size "$size" -seed 1 -o "$in"
  bytes=$(stat -c %s "$in")
  : >bench/t1; : >bench/m1; : >bench/t2; : >bench/m2
  for ((i = 0; i < RUNS; i++)); do
    rm -f bench/$name.sqlite bench/$name.sqlite-wal bench/$name.sqlite-shm
    /usr/bin/time -f "%e %M" -o bench/time bin/wparchive import -q --json --db bench/$name.sqlite "$in" >bench/$name.json
    read -r s kb <bench/time; echo "$s" >>bench/t1; echo "$kb" >>bench/m1
    /usr/bin/time -f "%e %M" -o bench/time bin/wparchive import -q --json --db bench/$name.sqlite "$in" >/dev/null
    read -r s kb <bench/time; echo "$s" >>bench/t2; echo "$kb" >>bench/m2
  done
  items=$(grep -o '"posts": [0-9]*' bench/$name.json | head -1 | grep -o '[0-9]*$')
  comments=$(grep -o '"comments": [0-9]*' bench/$name.json | head -1 | grep -o '[0-9]*$')
  t1=$(median <bench/t1); m1=$(median <bench/m1); t2=$(median <bench/t2); m2=$(median <bench/m2)
  awk -v n="$size" -v b="$bytes" -v it="$items" -v c="$comments" -v t1="$t1" -v m1="$m1" -v t2="$t2" -v m2="$m2" 'BEGIN {
    printf "| %s | %.1f | %d | %d | %.2f | %.1f | %.0f | %.0f | %.2f | %.0f |\n", n, b/1e6, it, c, t1, b/1e6/t1, it/t1, m1/1024, t2, m2/1024 }'
done

echo
echo "Go benchmarks (go test -bench, -count 5; ns/op medians by benchstat where installed):"
echo
echo '```'
go test $TAGS -run '^$' -bench . -benchmem -count "${COUNT:-5}" ./importer/... ./archive/... 2>&1 | grep -E '^(Benchmark|ok|FAIL|PASS)' || true
echo '```'
