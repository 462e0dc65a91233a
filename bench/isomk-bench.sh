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

. "$(dirname "$0")/lib.sh"
need genisoimage xorriso
plain_build "$ISOMK"

case_big() {
	data_big
	d=$dir/big
	bench isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null" \
		genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null" \
		xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" 2>/dev/null | cat >/dev/null" \
		cat-cat "cat \"$d/a\" \"$d/b\" | cat >/dev/null" >"$dir/big.txt"
	report "2 GiB in two files, to a pipe" "$dir/big.txt" isomk
}

case_tree() {
	data_tree
	d=$dir/tree
	files=$(find "$d" -type f | wc -l)
	echo "   tree: $files files, $(du -sh "$d" | cut -f1)"
	bench isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null" \
		genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null" \
		xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" 2>/dev/null | cat >/dev/null" >"$dir/tree.txt"
	report "a tree of $files files, to a pipe" "$dir/tree.txt" isomk
}

case_million() {
	data_million
	d=$dir/million
	echo "== 1,000,000 empty files (-R -J, to a pipe): wall time and peak memory"
	peak isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null"
	peak genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null"
	peak xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" | cat >/dev/null"
}

for c in $cases; do
	"case_$c"
done
