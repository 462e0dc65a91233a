#!/bin/sh
# bench/isomk-bench.sh: isomk beside genisoimage and xorriso -as mkisofs,
# same options (-R -J), output to a pipe, alternating in one run; prints
# median wall times and ratios (below 1.0: isomk is faster).
#
#   make bench                          all four cases
#   bench/isomk-bench.sh BUILDDIR [big|tree|million|zisofs]...
#
# Inputs are made once under $CDPIPE_BENCH_DIR (default /var/tmp/cdpipe-bench):
#   big      2 GiB in two random files
#   tree     >= 15,000 files: copies of /usr/include and /usr/share/doc
#   million  1,000,000 empty files in 1,000 directories (memory per file)
#   zisofs   2 GiB in 64 files, half text and half random in 64 KiB runs,
#            compressed: isomk --zisofs beside xorriso -set_filter_r
#            --zisofs (the same libisofs filter); CDPIPE_BENCH_ZISOFS_MIB
#            makes it smaller (say 256 for a quick look)
set -eu
builddir=${1:-.}
shift || true
cases=${*:-big tree million zisofs}
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

data_zisofs() { # compressible data, $1 MiB in 64 files
	d=$dir/zisofs-$1
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d" && mkdir -p "$d"
		python3 - "$d" "$1" <<'PY'
import os, sys
top, mib = sys.argv[1], int(sys.argv[2])
text = b""
for root, _, files in os.walk("/usr/include"):
    for f in sorted(files):
        try:
            text += open(os.path.join(root, f), "rb").read()
        except OSError:
            pass
        if len(text) > 8 << 20:
            break
    if len(text) > 8 << 20:
        break
run, per = 64 << 10, (mib << 20) // 64
for i in range(64):
    with open(os.path.join(top, "f%02d" % i), "wb") as out:
        at = (i * 1234567) % (len(text) - run)
        for k in range(per // run // 2):
            out.write(text[at:at + run])
            out.write(os.urandom(run))
            at = (at + run) % (len(text) - run)
PY
		touch "$d/.done"
	fi
	cat "$d"/f* >/dev/null
}

case_zisofs() {
	mib=${CDPIPE_BENCH_ZISOFS_MIB:-2048}
	data_zisofs "$mib"
	d=$dir/zisofs-$mib
	bench isomk "\"$ISOMK\" -quiet --zisofs \"$d\" | cat >/dev/null" \
		xorriso "xorriso -outdev - -map \"$d\" / -set_filter_r --zisofs / -- -commit 2>/dev/null | cat >/dev/null" \
		>"$dir/zisofs.txt"
	report "$mib MiB compressed with zisofs, to a pipe" "$dir/zisofs.txt" isomk
}

for c in $cases; do
	"case_$c"
done
