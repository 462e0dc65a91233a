#!/bin/sh
# isomk -R: independent readers agree with genisoimage's and xorriso's
# images of the same tree. Guards against (issue 9):
# - bsdtar listing every path of an isomk image with a leading "./" (RRIP
#   1.12 NM entries with the CURRENT/PARENT flags on "." and ".."); isomk
#   writes RRIP 1.10 with inode numbers in PX, as xorriso --hardlinks does
# - bsdtar failing on a tree 14 or more levels deep ("Failed to connect
#   'CL' pointer to 'RE'") and leaving out the deep files
# - hard links lost on the way (shared inode and link count)
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso osirrox isoinfo 7z genisoimage

ISOINFO="$top_builddir/tools/isoinfo"
mkdir -p src/a src/b || exit 1
echo shared >src/a/f || exit 1
ln src/a/f src/b/g || exit 1
ln src/a/f src/h || exit 1
echo solo >src/solo || exit 1
ln -s ../a/f src/b/lnk || exit 1
d=src/t13
for i in $(seq 1 12); do d=$d/d$i; done
mkdir -p "$d" && echo thirteen >"$d/x13.txt" || exit 1
deep=deep20
for i in $(seq 1 19); do deep=$deep/d$i; done
mkdir -p "src/$deep" && echo twenty >"src/$deep/x20.txt" || exit 1

"$ISOMK" -R -o isomk.iso src 2>err.isomk
st=$?
genisoimage -quiet -R -o geniso.iso src 2>/dev/null || exit 1
xorriso -as mkisofs -quiet -R --hardlinks -o xorriso.iso src >/dev/null 2>&1 || exit 1

test_expect_success 'isomk makes the image without complaint' '
	test $st -eq 0 && ! test -s err.isomk
'
test_expect_success 'bsdtar lists the same paths as for genisoimage and xorriso, none with ./' '
	for img in isomk geniso xorriso; do
		bsdtar -tf $img.iso >list.$img || exit 1
		sort list.$img >sorted.$img
	done
	! grep "^\./" list.isomk &&
	diff -u sorted.geniso sorted.isomk && diff -u sorted.xorriso sorted.isomk
'
test_expect_success 'bsdtar reads the 20-level tree without error and extracts it all' '
	extract_bsdtar isomk.iso x.bsdtar 2>err && ! test -s err &&
	check_same src x.bsdtar &&
	grep -qx "$deep/x20.txt" list.isomk
'
test_expect_success 'osirrox extracts the same tree, hard links as links' '
	rm -rf x.osirrox && mkdir x.osirrox &&
	osirrox -hardlinks on -indev isomk.iso -extract / x.osirrox >/dev/null 2>&1 &&
	chmod u+w x.osirrox && check_same src x.osirrox &&
	test "$(stat -c %i:%h x.osirrox/a/f x.osirrox/b/g x.osirrox/h | sort -u)" = "$(stat -c %i:%h x.osirrox/a/f)" &&
	stat -c %h x.osirrox/a/f | grep -qx 3
'
test_expect_success 'bsdtar: the three names are one file (hard links, link count 3)' '
	test "$(stat -c %i x.bsdtar/a/f)" = "$(stat -c %i x.bsdtar/b/g)" &&
	test "$(stat -c %i x.bsdtar/a/f)" = "$(stat -c %i x.bsdtar/h)" &&
	TZ=UTC bsdtar -tvf isomk.iso | grep -E " (a/f|b/g|h)( link to .*)?$" >hl &&
	test "$(wc -l <hl)" -eq 3 && test "$(awk "{print \$2}" hl | sort -u)" = 3 &&
	grep -c " link to " hl | grep -qx 2
'
test_expect_success 'genisoimage isoinfo -R: link count 3 and one extent for the three names' '
	isoinfo -R -l -i isomk.iso | grep -E " (f|g|h) *$" >ghl &&
	test "$(wc -l <ghl)" -eq 3 && test "$(awk "{print \$2}" ghl | sort -u)" = 3 &&
	test "$(sed "s/.*\[ *\([0-9]*\) .*/\1/" ghl | sort -u | wc -l)" -eq 1
'
test_expect_success 'xorriso and 7z see the 20-level file at its real path, 7z reads it' '
	xorriso -indev isomk.iso -find / -name x20.txt 2>/dev/null >x20 &&
	grep -q "^./$deep/x20.txt.$" x20 &&
	7z l isomk.iso | grep -q " $deep/x20.txt$" &&
	test "$(7z x -so isomk.iso "$deep/x20.txt" 2>/dev/null)" = twenty
'
test_expect_success 'genisoimage isoinfo -R -x reads the 20-level file' '
	isoinfo -R -i isomk.iso -x "/$deep/x20.txt" | grep -qx twenty
'
test_expect_success 'xorriso sees the 13-level file at its real path (relocated once)' '
	xorriso -indev isomk.iso -find / -name x13.txt 2>/dev/null >x13 &&
	grep -q "/t13/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/x13.txt" x13
'
test_expect_success 'isoinfo (lib/isoread) lists the paths bsdtar lists and extracts both deep files' '
	"$ISOINFO" -R -f -i isomk.iso >own.raw && sed "s|^/||" own.raw | sort >own &&
	sed "s|/$||" sorted.isomk | grep -v "^\.$" | diff -u - own &&
	"$ISOINFO" -R -i isomk.iso -x "/$deep/x20.txt" >x20 && grep -qx twenty x20 &&
	"$ISOINFO" -R -i isomk.iso -x /t13/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/x13.txt >x13.own &&
	grep -qx thirteen x13.own
'
test_expect_success 'isoinfo --extract-dir: the same tree, hard links kept' '
	"$ISOINFO" -R -i isomk.iso --extract-dir x.own &&
	check_same src x.own &&
	test "$(stat -c %i x.own/a/f)" = "$(stat -c %i x.own/h)" &&
	"$ISOINFO" -R -l -i isomk.iso >l &&
	grep -E " (f|g|h)$" l | awk "{print \$2}" | sort -u | grep -qx 3
'
test_expect_success 'a 13-level tree is still relocated for plain ISO 9660 readers' '
	rm -rf s13 && mkdir s13 && cp -a src/t13 s13/ &&
	"$ISOMK" -R -o s13.iso s13 &&
	"$ISOINFO" -I -f -i s13.iso >iso13 && grep -qix /RR_MOVED iso13 &&
	bsdtar -tf s13.iso | grep -qx "t13/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/x13.txt"
'
test_expect_success 'Joliet names as they are (README, not README.;1), as in genisoimage and xorriso images' '
	rm -rf jn && mkdir jn && echo r >jn/README && echo m >jn/Makefile && echo t >jn/a.txt &&
	"$ISOMK" -J -o jn.iso jn && genisoimage -quiet -J -o jn.g.iso jn &&
	bsdtar -tf jn.iso | grep -v "^\.\{0,1\}/\{0,1\}$" | sort >l.isomk &&
	bsdtar -tf jn.g.iso | grep -v "^\.\{0,1\}/\{0,1\}$" | sort >l.geniso &&
	cat l.isomk && diff -u l.geniso l.isomk && grep -qx README l.isomk &&
	/usr/bin/isoinfo -J -f -i jn.iso | sort >j.isomk &&
	/usr/bin/isoinfo -J -f -i jn.g.iso | sort | diff -u - j.isomk &&
	grep -qx /Makefile j.isomk &&
	7z l -ba jn.iso | grep -q " README$"
'
test_expect_success '-d (omit the period) makes ISO 9660 names as genisoimage -d does' '
	"$ISOMK" -d -o jd.iso jn && genisoimage -quiet -d -o jd.g.iso jn 2>/dev/null &&
	/usr/bin/isoinfo -f -i jd.iso | sort >d.isomk &&
	/usr/bin/isoinfo -f -i jd.g.iso | sort >d.geniso &&
	diff -u d.geniso d.isomk && grep -qx "/README;1" d.isomk
'
test_done
