#!/bin/sh
# make demo: the main job end to end on an image-backed drive: two dated
# backup sessions of the tree in demo/tree, written with cdwrite to an
# image file used as a drive, read back with isoinfo (and bsdtar, when it
# is there, as a reader no one here wrote).
set -eu
builddir=${1:-.}
srcdir=${2:-.}
T="$builddir/tools"
out=$(mktemp -d "${TMPDIR:-/tmp}/cdpipe-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT
disc="$out/disc.img"
tree="$srcdir/demo/tree"
run() { printf '\n$ %s\n' "$*"; }

run isomk -R -J -V CDPIPE_DEMO -graft-points demo.day1/=demo/tree -print-size
blocks=$("$T/isomk" -R -J -V CDPIPE_DEMO -graft-points "demo.day1/=$tree" -print-size)
echo "$blocks blocks of 2048 bytes"

run "isomk -R -J -V CDPIPE_DEMO -graft-points demo.day1/=demo/tree > day1.iso"
"$T/isomk" -quiet -R -J -V CDPIPE_DEMO -graft-points "demo.day1/=$tree" >"$out/day1.iso"
test "$blocks" -eq $(($(stat -c %s "$out/day1.iso") / 2048))

run "cdwrite -v -multi dev=disc.img day1.iso"
"$T/cdwrite" -v -q -multi "dev=$disc" "$out/day1.iso"

run "msinfo dev=disc.img"
"$T/msinfo" "dev=$disc"

run 'isomk -R -J -C $(msinfo dev=disc.img) -M disc.img -graft-points demo.day2/=demo/tree | cdwrite -multi dev=disc.img -'
"$T/isomk" -quiet -R -J -V CDPIPE_DEMO -C "$("$T/msinfo" "dev=$disc")" -M "$disc" \
	-graft-points "demo.day2/=$tree" | "$T/cdwrite" -q -multi "dev=$disc" -

run "msinfo -v dev=disc.img"
"$T/msinfo" -v "dev=$disc"

run "isoinfo -d -i disc.img"
"$T/isoinfo" -d -i "$disc"

run "isoinfo -l -i disc.img"
"$T/isoinfo" -l -i "$disc"

run "isoinfo -i disc.img --extract-dir restored /demo.day2"
"$T/isoinfo" -i "$disc" --extract-dir "$out/restored" /demo.day2
diff -r "$tree" "$out/restored" && echo "restored: the same as demo/tree"

if command -v bsdtar >/dev/null 2>&1; then
	run "bsdtar -tf disc.img   (an independent reader)"
	TZ=UTC bsdtar -tf "$disc"
fi
