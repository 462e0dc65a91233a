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
# options a second review found warned about while they changed the image
test_expect_success '-jcharset CS is -J -input-charset CS (as genisoimage): a Joliet tree' '
	"$ISOMK" -jcharset iso8859-1 -o jc.iso jn && genisoimage -quiet -jcharset iso8859-1 -o jc.g.iso jn &&
	/usr/bin/isoinfo -d -i jc.iso | grep -q "^Joliet with UCS level" &&
	/usr/bin/isoinfo -J -f -i jc.iso | sort >jc.isomk &&
	/usr/bin/isoinfo -J -f -i jc.g.iso | sort | diff -u - jc.isomk
'
test_expect_success '-output-charset (another charset): refused, no image (-T is t0604)' '
	st=0; "$ISOMK" -R -input-charset utf-8 -output-charset iso8859-1 -o refused.iso jn 2>err || st=$?
	test $st -eq 2 && grep -q "not supported" err && ! test -e refused.iso &&
	"$ISOMK" -R -output-charset UTF-8 -o oc.iso jn && test -s oc.iso
'
test_expect_success '-L keeps leading dots in ISO 9660 names, upper case, as xorriso -as mkisofs -L' '
	rm -rf ld && mkdir -p ld/u/.config && echo 1 >ld/u/.config/rc || exit 1
	"$ISOMK" -L -o ld.iso ld && /usr/bin/isoinfo -f -i ld.iso >ld.list &&
	grep -qx "/U/.CONFIG/RC.;1" ld.list && ! grep -q "[a-z]" ld.list
'
test_expect_success 'no volume set id unless -volset, as genisoimage' '
	"$ISOMK" -V myvol -o vs.iso jn && genisoimage -quiet -V myvol -o vs.g.iso jn &&
	/usr/bin/isoinfo -d -i vs.iso | grep "^Volume set id:" >vs.isomk &&
	/usr/bin/isoinfo -d -i vs.g.iso | grep "^Volume set id:" | diff -u - vs.isomk &&
	"$ISOMK" -V myvol -volset set1 -o vs1.iso jn &&
	/usr/bin/isoinfo -d -i vs1.iso | grep -qx "Volume set id: set1"
'
test_expect_success '-hide-rr-moved: the relocation directory is .rr_moved (_RR_MOVE), as genisoimage' '
	rm -rf dp && mkdir -p dp/a/b/c/d/e/f/g/h/i/j && echo z >dp/a/b/c/d/e/f/g/h/i/j/z.txt || exit 1
	"$ISOMK" -R -J -hide-rr-moved -o hr.iso dp && genisoimage -quiet -R -J -hide-rr-moved -o hr.g.iso dp &&
	/usr/bin/isoinfo -f -i hr.iso | grep -qx /_RR_MOVE &&
	/usr/bin/isoinfo -f -i hr.g.iso | grep -qx /_RR_MOVE &&
	bsdtar -tf hr.iso | grep -qx a/b/c/d/e/f/g/h/i/j/z.txt
'
# options a mutation review showed no test would miss
mkdir -p op/sub && echo a >op/a && echo k >"op/a~" && echo b >op/b.bak &&
	echo h >op/hideme && echo j >op/nojoliet && echo s >op/sub/s || exit 1
test_expect_success '-N: no ;1 on ISO 9660 names (genisoimage agrees)' '
	"$ISOMK" -N -o n.iso op && genisoimage -quiet -N -o n.g.iso op 2>/dev/null &&
	/usr/bin/isoinfo -f -i n.iso | sort >n.isomk && /usr/bin/isoinfo -f -i n.g.iso | sort | diff -u - n.isomk &&
	! grep -q ";1" n.isomk
'
test_expect_success '-no-bak leaves out a~ and b.bak, as genisoimage' '
	"$ISOMK" -R -no-bak -o nb.iso op && bsdtar -tf nb.iso | sort >nb.isomk &&
	genisoimage -quiet -R -no-bak -o nb.g.iso op && bsdtar -tf nb.g.iso | sort | diff -u - nb.isomk &&
	! grep -q "a~\|b\.bak" nb.isomk && grep -qx a nb.isomk
'
test_expect_success '-hide-list and -hide-joliet-list hide from the one tree, not the other' '
	echo hideme >hl && echo nojoliet >hj &&
	"$ISOMK" -R -J -hide-list hl -hide-joliet-list hj -o hl.iso op || exit 1
	bsdtar -tf hl.iso >rr.list && 7z l -ba hl.iso >j.list || exit 1
	! grep -q hideme rr.list && grep -q nojoliet rr.list &&
	grep -q hideme j.list && ! grep -q nojoliet j.list
'
test_expect_success '-D: a deep tree is not relocated (no RR_MOVED), and reads whole' '
	"$ISOMK" -R -D -o dd.iso dp && ! /usr/bin/isoinfo -f -i dd.iso | grep -qi rr_moved &&
	/usr/bin/isoinfo -f -i dd.iso | grep -q "^/A/B/C/D/E/F/G/H/I/J$" &&
	bsdtar -tf dd.iso | grep -qx a/b/c/d/e/f/g/h/i/j/z.txt
'
test_expect_success '-no-pad: the image is 150 blocks smaller, and -print-size says so' '
	"$ISOMK" -R -o pad.iso op && "$ISOMK" -R -no-pad -o nopad.iso op &&
	test $(( $(stat -c %s pad.iso) - $(stat -c %s nopad.iso) )) -eq $((150 * 2048)) &&
	test "$("$ISOMK" -R -no-pad -print-size op)" -eq $(( $(stat -c %s nopad.iso) / 2048 ))
'
test_done
