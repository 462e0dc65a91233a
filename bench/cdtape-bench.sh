#!/bin/sh
# bench/cdtape-bench.sh: cdtape save and restore of 2 GiB through an
# image-backed drive, side by side with the same stream through cat:
#   - save: cat SRC | cdtape save dev=IMG against cat SRC | cat > FILE
#     followed by sync FILE (cdtape fsyncs the image: the archive is on
#     the disk when it ends; target: cat+sync / cdtape >= 0.9). Plain
#     cat > FILE, with the data left in the page cache, is shown too,
#     and for what the checksum costs, the same stream saved with its
#     SHA-256 by the standard tools (tee FILE | sha256sum, then sync);
#   - restore: cdtape restore dev=IMG | cat against cat FILE | cat
#     (target: >= 0.9).
# SRC is 2 GiB of random bytes in the page cache (bench/lib.sh's two 1 GiB
# files, read by one cat), fed through a pipe on both sides. Ratios are
# time / cdtape's time: 0.9 means cdtape takes 1/0.9 of cat's time. The
# peak memory (max RSS) of cdtape and of the cat in its place follows.
# The bytes restored are checked once against SRC's SHA-256: a cdtape
# that writes or restores nothing cannot look fast.
#
#   bench/cdtape-bench.sh BUILDDIR
set -eu
builddir=${1:-.}
CDTAPE="$builddir/tools/cdtape"
dir=${CDPIPE_BENCH_DIR:-/var/tmp/cdpipe-bench}
runs=${CDPIPE_BENCH_RUNS:-3}
mkdir -p "$dir"
export LC_ALL=C

. "$(dirname "$0")/lib.sh"
need sha256sum sync /usr/bin/time
plain_build "$CDTAPE"

data_big
src="$dir/big/a $dir/big/b"
img=$dir/tape.img
file=$dir/tape.cat

# every run writes a new file from a settled disk: removing the last
# outputs and their write-back are not part of anyone's time
export BENCH_PREP="rm -f $img $file; sync"
set -- cdtape-save "cat $src | \"$CDTAPE\" -q save dev=$img" \
	cat-file-sync "cat $src | cat >$file && sync $file" \
	cat-file "cat $src | cat >$file" \
	tee-sha256sum-sync "cat $src | tee $file | sha256sum >/dev/null && sync $file"
bench "$@" >"$dir/cdtape-save.txt"
report "save: 2 GiB from a pipe to an image file (target: cat+sync / cdtape >= 0.9)" \
	"$dir/cdtape-save.txt" cdtape-save
unset BENCH_PREP

# rss NAME CMD: the max RSS of the program that CMD runs as $MEM PROGRAM
rss() {
	out=$(mktemp)
	if MEM="/usr/bin/time -f %M -o $out" sh -c "$2" >/dev/null 2>&1; then st=ok; else st=failed; fi
	printf '  %-22s peak %7d KiB  %s\n' "$1" "$(tail -n 1 "$out")" "$st"
	rm -f "$out"
}
echo "== save: peak memory (max RSS) of the program writing the file"
rm -f "$img" "$file"
rss cdtape-save "cat $src | \$MEM \"$CDTAPE\" -q save dev=$img"
rss cat-file "cat $src | \$MEM cat >$file"

# the archive the last save left: its bytes are SRC's
want=$(cat $src | sha256sum | cut -d' ' -f1)
got=$("$CDTAPE" -q restore dev="$img" | sha256sum | cut -d' ' -f1)
if [ "$got" != "$want" ]; then
	echo "bench: cdtape restore gave sha256 $got, the input was $want" >&2
	rm -f "$img" "$file"
	exit 1
fi

cat "$img" "$file" >/dev/null
set -- cdtape-restore "\"$CDTAPE\" -q restore dev=$img | cat >/dev/null" \
	cat-cat "cat $file | cat >/dev/null"
bench "$@" >"$dir/cdtape-restore.txt"
report "restore: 2 GiB from an image file to a pipe (target: cat|cat / cdtape >= 0.9)" \
	"$dir/cdtape-restore.txt" cdtape-restore
echo "== restore: peak memory (max RSS) of the program reading the file"
rss cdtape-restore "\$MEM \"$CDTAPE\" -q restore dev=$img | cat >/dev/null"
rss cat-cat "\$MEM cat $file | cat >/dev/null"
rm -f "$img" "$file"
