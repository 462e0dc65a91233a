#!/bin/sh
# bench/cdread-bench.sh: cdread side by side with its anchors, in one run.
#   - a 2 GiB ISO image to a pipe: cdread against dd bs=1M (target: time
#     ratio dd / cdread >= 1, at least as fast);
#   - a CD image (CUE/BIN, raw MODE1/2352 sectors, made by cdread --image
#     from an ISO): cdread against libcdio's cd-read (target: >= 1);
#   - --md5 while copying: cdread --md5 against md5sum running beside dd,
#     each writing the copy out (to /dev/null) as it checksums it: dd |
#     tee /dev/null | md5sum (target: no slower).
# Ratios are time / cdread's time: above 1 means the other is slower.
#
#   bench/cdread-bench.sh BUILDDIR
set -eu
builddir=${1:-.}
ISOMK="$builddir/tools/isomk"
CDREAD="$builddir/tools/cdread"
dir=${CDPIPE_BENCH_DIR:-/var/tmp/cdpipe-bench}
runs=${CDPIPE_BENCH_RUNS:-3}
mkdir -p "$dir"
export LC_ALL=C

. "$(dirname "$0")/lib.sh"
need dd md5sum cd-read
plain_build "$ISOMK" "$CDREAD"

data_big
img=$dir/two-gig.iso
[ -f "$img" ] || "$ISOMK" -quiet -R -J -o "$img" "$dir/big"
cat "$img" >/dev/null

set -- cdread "\"$CDREAD\" -q $img | cat >/dev/null" \
	dd-bs1M "dd if=$img bs=1M status=none | cat >/dev/null"
bench "$@" >"$dir/cdread-iso.txt"
report "a 2 GiB ISO image to a pipe (target: dd / cdread >= 1.0)" \
	"$dir/cdread-iso.txt" cdread

set -- cdread-md5 "\"$CDREAD\" -q --md5 $img >/dev/null 2>&1" \
	dd-tee-md5sum "dd if=$img bs=1M status=none | tee /dev/null | md5sum >/dev/null"
bench "$@" >"$dir/cdread-md5.txt"
report "the same with an MD5 of it (target: dd|tee|md5sum / cdread --md5 >= 1.0)" \
	"$dir/cdread-md5.txt" cdread-md5

# a CD image: 300 MiB of an ISO as raw MODE1/2352 sectors (CD-sized)
cd_iso=$dir/cd.iso
cue=$dir/cdbin/cd.cue
if [ ! -f "$cue" ]; then
	mkdir -p "$dir/cdbin" "$dir/cdsrc"
	[ -f "$dir/cdsrc/a" ] || head -c 314572800 "$dir/big/a" >"$dir/cdsrc/a"
	"$ISOMK" -quiet -R -J -o "$cd_iso" "$dir/cdsrc"
	rm -f "$dir/cdbin/cd.bin" "$dir/cdbin/cd.toc"
	"$CDREAD" -q --image "$dir/cdbin/cd" "$cd_iso"
fi
cat "$dir/cdbin/cd.bin" >/dev/null
sectors=$(($(stat -c %s "$dir/cdbin/cd.bin") / 2352))
set -- cdread "\"$CDREAD\" -q --all $cue | cat >/dev/null" \
	cd-read "cd-read --no-header -m m1f1 -c $cue -s 0 -n $sectors -o /dev/stdout | cat >/dev/null"
bench "$@" >"$dir/cdread-cue.txt"
report "a CD image of $sectors raw sectors, CUE/BIN (target: cd-read / cdread >= 1.0)" \
	"$dir/cdread-cue.txt" cdread
