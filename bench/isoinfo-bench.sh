#!/bin/sh
# bench/isoinfo-bench.sh: isoinfo beside genisoimage's isoinfo, libcdio's
# iso-info and xorriso on the same images, alternating in one run; prints
# median wall times and ratios (time / cdpipe isoinfo's time).
#
#   bench/isoinfo-bench.sh BUILDDIR [list|extract|million]...
#
#   list     -f and -l of an image of the >= 15,000-file tree (made by
#            genisoimage -R -J, as in ../shared/notes/libiso9660-speed.md)
#   extract  -x of a 1 GiB file against cat of the same file, to a pipe
#   million  peak memory of -f and -l on an image of 1,000,000 entries
set -eu
builddir=${1:-.}
shift || true
cases=${*:-list extract million}
ISOINFO="$builddir/tools/isoinfo"
ISOMK="$builddir/tools/isomk"
dir=${CDPIPE_BENCH_DIR:-/var/tmp/cdpipe-bench}
runs=${CDPIPE_BENCH_RUNS:-5}
mkdir -p "$dir"
export LC_ALL=C TZ=UTC

. "$(dirname "$0")/lib.sh"
need genisoimage xorriso iso-info
plain_build "$ISOINFO"
GISOINFO=/usr/bin/isoinfo # genisoimage's

case_list() {
	data_tree
	img=$dir/tree-genisoimage.iso
	[ -f "$img" ] || genisoimage -quiet -R -J -o "$img" "$dir/tree" 2>/dev/null
	cat "$img" >/dev/null
	echo "   image: $(du -h "$img" | cut -f1), $("$ISOINFO" -f -i "$img" | wc -l) entries"
	bench isoinfo "\"$ISOINFO\" -f -i \"$img\" | cat >/dev/null" \
		genisoimage-isoinfo "$GISOINFO -R -f -i \"$img\" | cat >/dev/null" \
		iso-info "iso-info -f -i \"$img\" | cat >/dev/null" \
		xorriso "xorriso -indev \"$img\" -find / 2>/dev/null | cat >/dev/null" >"$dir/list-f.txt"
	report "-f: every path (Rock Ridge)" "$dir/list-f.txt" isoinfo
	bench isoinfo "\"$ISOINFO\" -l -i \"$img\" | cat >/dev/null" \
		genisoimage-isoinfo "$GISOINFO -R -l -i \"$img\" | cat >/dev/null" \
		iso-info "iso-info -l -i \"$img\" | cat >/dev/null" \
		xorriso "xorriso -indev \"$img\" -find / -exec lsdl 2>/dev/null | cat >/dev/null" >"$dir/list-l.txt"
	report "-l: long listing (Rock Ridge)" "$dir/list-l.txt" isoinfo
}

case_extract() {
	data_big
	img=$dir/onegig.iso
	[ -f "$img" ] || "$ISOMK" -quiet -R -graft-points a="$dir/big/a" -o "$img"
	cat "$img" "$dir/big/a" >/dev/null
	bench isoinfo-x "\"$ISOINFO\" -x /a -i \"$img\" | cat >/dev/null" \
		cat "cat \"$dir/big/a\" | cat >/dev/null" \
		genisoimage-isoinfo-x "$GISOINFO -R -x /a -i \"$img\" | cat >/dev/null" >"$dir/extract.txt"
	report "-x of a 1 GiB file, to a pipe (target: cat's time / isoinfo's >= 0.8)" \
		"$dir/extract.txt" isoinfo-x
}

case_million() {
	data_million
	img=$dir/million.iso
	[ -f "$img" ] || "$ISOMK" -quiet -R -J -o "$img" "$dir/million"
	cat "$img" >/dev/null
	echo "== 1,000,000 entries ($(du -h "$img" | cut -f1) image): wall time and peak memory"
	peak "isoinfo -f" "\"$ISOINFO\" -f -i \"$img\" | cat >/dev/null" 1001000
	peak "isoinfo -l" "\"$ISOINFO\" -l -i \"$img\" | cat >/dev/null" 1001000
	peak "genisoimage isoinfo -f" "$GISOINFO -R -f -i \"$img\" | cat >/dev/null" 1001000
}

for c in $cases; do
	"case_$c"
done
