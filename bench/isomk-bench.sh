#!/bin/sh
# bench/isomk-bench.sh: isomk beside genisoimage and xorriso -as mkisofs,
# same options (-R -J), output to a pipe, alternating in one run; prints
# median wall times and ratios (below 1.0: isomk is faster).
#
#   make bench                          all three cases
#   bench/isomk-bench.sh BUILDDIR [big|tree|million]...
#
# Inputs are made once under $CDPIPE_BENCH_DIR (default /var/tmp/cdpipe-bench):
#   big      2 GiB in two random files
#   tree     >= 15,000 files: copies of /usr/include and /usr/share/doc
#   million  1,000,000 empty files in 1,000 directories (memory per file)
set -eu
builddir=${1:-.}
shift || true
cases=${*:-big tree million}
ISOMK="$builddir/tools/isomk"
dir=${CDPIPE_BENCH_DIR:-/var/tmp/cdpipe-bench}
runs=${CDPIPE_BENCH_RUNS:-5}
mkdir -p "$dir"
export LC_ALL=C

have() { command -v "$1" >/dev/null 2>&1; }
have genisoimage || { echo "bench: genisoimage missing (./bootstrap installs it)"; exit 1; }
have xorriso || { echo "bench: xorriso missing (./bootstrap installs it)"; exit 1; }

# seconds of wall time of a shell command, page cache warm
wall() {
	s=$(date +%s.%N)
	sh -c "$1" >/dev/null 2>&1
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }'
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# bench NAME CMD [NAME CMD]...: run each in turn, $runs rounds, medians
bench() {
	tmp=$(mktemp -d)
	for r in $(seq 1 "$runs"); do
		set -- "$@"
		i=0
		while [ $((i * 2)) -lt $# ]; do
			eval "name=\${$((i * 2 + 1))}; cmd=\${$((i * 2 + 2))}"
			wall "$cmd" >>"$tmp/$name"
			i=$((i + 1))
		done
	done
	for f in "$tmp"/*; do
		printf '%s %s\n' "$(basename "$f")" "$(median <"$f")"
	done
	rm -rf "$tmp"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

report() { # report CASE TABLE: print times and ratios to isomk
	t_isomk=$(awk '$1 == "isomk" {print $2}' "$2")
	echo "== $1 (median of $runs runs, seconds; ratio = time / isomk's time)"
	while read -r name t; do
		printf '  %-12s %8.3f s   %s\n' "$name" "$t" "$(ratio "$t" "$t_isomk")x"
	done <"$2"
}

case_big() {
	d=$dir/big
	if [ ! -f "$d/b" ]; then
		mkdir -p "$d"
		head -c 1073741824 /dev/urandom >"$d/a"
		head -c 1073741824 /dev/urandom >"$d/b"
	fi
	cat "$d/a" "$d/b" >/dev/null # warm the cache
	bench isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null" \
		genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null" \
		xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" 2>/dev/null | cat >/dev/null" \
		cat-cat "cat \"$d/a\" \"$d/b\" | cat >/dev/null" >"$dir/big.txt"
	report "2 GiB in two files, to a pipe" "$dir/big.txt"
}

case_tree() {
	d=$dir/tree
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d" && mkdir -p "$d"
		n=0
		while [ "$(find "$d" -type f | wc -l)" -lt 15000 ]; do
			n=$((n + 1))
			mkdir -p "$d/$n"
			cp -a /usr/include "$d/$n/include" 2>/dev/null || true
			cp -a /usr/share/doc "$d/$n/doc" 2>/dev/null || true
		done
		touch "$d/.done"
	fi
	echo "   tree: $(find "$d" -type f | wc -l) files, $(du -sh "$d" | cut -f1)"
	find "$d" -type f -exec cat {} + >/dev/null
	bench isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null" \
		genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null" \
		xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" 2>/dev/null | cat >/dev/null" >"$dir/tree.txt"
	report "15,000-file tree, to a pipe" "$dir/tree.txt"
}

case_million() {
	d=$dir/million
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d"
		python3 - "$d" <<'PY'
import os, sys
top = sys.argv[1]
for i in range(1000):
    sub = os.path.join(top, "d%03d" % i)
    os.makedirs(sub)
    for j in range(1000):
        open(os.path.join(sub, "f%03d" % j), "w").close()
PY
		touch "$d/.done"
	fi
	echo "== 1,000,000 empty files (-R -J, to a pipe): wall time and peak memory"
	for p in isomk genisoimage xorriso; do
		case $p in
		isomk) cmd="\"$ISOMK\" -quiet -R -J \"$d\"" ;;
		genisoimage) cmd="genisoimage -quiet -R -J \"$d\"" ;;
		xorriso) cmd="xorriso -as mkisofs -quiet -R -J \"$d\"" ;;
		esac
		out=$(mktemp)
		s=$(date +%s.%N)
		if /usr/bin/time -f "%M" -o "$out" sh -c "$cmd 2>/dev/null | cat >/dev/null"; then st=ok; else st=failed; fi
		e=$(date +%s.%N)
		kb=$(tail -n 1 "$out")
		rm -f "$out"
		printf '  %-12s %8.1f s  peak %7d MiB  %5d bytes/file  %s\n' "$p" \
			"$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')" $((kb / 1024)) $((kb * 1024 / 1000000)) "$st"
	done
}

for c in $cases; do
	"case_$c"
done
