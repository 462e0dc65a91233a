#!/bin/sh
# bench/cdwrite-bench.sh: writing a 2 GiB image to an image-backed drive,
# side by side with cat + sync (the data on the medium, not only in the
# page cache) and cdrskin; and isomk | cdwrite against genisoimage |
# cdrskin. Ratios are time / cdwrite's time.
#
#   bench/cdwrite-bench.sh BUILDDIR [BASEDIR]
#
# BASEDIR, a build of an earlier cdwrite, runs beside it in the same run
# (cdwrite-base): how much a change costs, as a ratio.
set -eu
builddir=${1:-.}
basedir=${2:-}
ISOMK="$builddir/tools/isomk"
CDWRITE="$builddir/tools/cdwrite"
dir=${CDPIPE_BENCH_DIR:-/var/tmp/cdpipe-bench}
runs=${CDPIPE_BENCH_RUNS:-3}
mkdir -p "$dir"
export LC_ALL=C

. "$(dirname "$0")/lib.sh"
need cdrskin genisoimage
plain_build "$ISOMK" "$CDWRITE"
if [ ! -e /root/cdrskin_permissions/allow_emulated_drives ]; then
	echo "bench: cdrskin needs /root/cdrskin_permissions/allow_emulated_drives (./bootstrap as root makes it)"
	exit 1
fi

data_big
img=$dir/two-gig.iso
[ -f "$img" ] || "$ISOMK" -quiet -R -J -o "$img" "$dir/big"
cat "$img" >/dev/null
target=$dir/target.img

# every run writes a new file from a settled disk: removing the last
# output and its write-back are not part of anyone's time
export BENCH_PREP="rm -f $target; sync"
set -- cdwrite "\"$CDWRITE\" -q dev=$target $img" \
	cat-sync "cat $img > $target && sync" \
	cdrskin "cdrskin --allow_emulated_drives -q dev=stdio:$target $img"
[ -z "$basedir" ] || set -- "$@" cdwrite-base "\"$basedir/tools/cdwrite\" -q dev=$target $img"
bench "$@" >"$dir/cdwrite.txt"
report "a 2 GiB image to an image file, on the medium (target: cat+sync / cdwrite >= 0.9)" \
	"$dir/cdwrite.txt" cdwrite

set -- isomk-cdwrite "\"$ISOMK\" -quiet -R -J $dir/big | \"$CDWRITE\" -q dev=$target -" \
	genisoimage-cdrskin "genisoimage -quiet -R -J $dir/big | cdrskin --allow_emulated_drives -q dev=stdio:$target -"
[ -z "$basedir" ] || set -- "$@" isomk-cdwrite-base \
	"\"$basedir/tools/isomk\" -quiet -R -J $dir/big | \"$basedir/tools/cdwrite\" -q dev=$target -"
bench "$@" >"$dir/pipeline.txt"
report "2 GiB of files, made and written in one pipeline" "$dir/pipeline.txt" isomk-cdwrite
rm -f "$target"
