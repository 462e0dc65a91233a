#!/bin/sh
# make demo: build an image of the tree shipped in demo/tree, list it with an
# independent reader (tools/isoinfo once it exists), and show its size.
set -eu
builddir=${1:-.}
srcdir=${2:-.}
ISOMK="$builddir/tools/isomk"
out=$(mktemp -d "${TMPDIR:-/tmp}/cdpipe-demo.XXXXXX")
trap 'rm -rf "$out"' EXIT

echo "== isomk -R -J -V CDPIPE_DEMO -graft-points demo.\$(date +%Y%m%d)/=demo/tree"
blocks=$("$ISOMK" -R -J -V CDPIPE_DEMO -print-size -graft-points "demo.$(date +%Y%m%d)/=$srcdir/demo/tree")
"$ISOMK" -R -J -V CDPIPE_DEMO -graft-points "demo.$(date +%Y%m%d)/=$srcdir/demo/tree" >"$out/demo.iso"
size=$(stat -c %s "$out/demo.iso")
echo "image: $size bytes = $((size / 2048)) blocks of 2048; -print-size said $blocks"
test "$blocks" -eq $((size / 2048))

if [ -x "$builddir/tools/isoinfo" ]; then
	echo "== tools/isoinfo -l"
	"$builddir/tools/isoinfo" -l -i "$out/demo.iso"
elif command -v bsdtar >/dev/null 2>&1; then
	echo "== bsdtar -tvf (an independent reader)"
	TZ=UTC bsdtar -tvf "$out/demo.iso"
else
	echo "== xorriso -find / -exec lsdl (an independent reader)"
	xorriso -indev "$out/demo.iso" -find / -exec lsdl 2>/dev/null
fi

if command -v bsdtar >/dev/null 2>&1; then
	mkdir "$out/x"
	bsdtar -xpf "$out/demo.iso" -C "$out/x"
	diff -r "$srcdir/demo/tree" "$out/x/demo.$(date +%Y%m%d)" &&
		echo "== extracted with bsdtar: same contents as demo/tree"
fi
