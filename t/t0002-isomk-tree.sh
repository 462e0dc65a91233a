#!/bin/sh
# isomk: a tree with every kind of file, read back by independent programs
# (bsdtar, xorriso/osirrox, genisoimage's isoinfo, libcdio's iso-info, 7z)
# and compared with the source: names, types, sizes, modes, mtimes, link
# targets, hard links and contents.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso osirrox isoinfo iso-info 7z

make_tree src
"$ISOMK" -R -J -joliet-long -V TREE -o rj.iso src 2>err.rj
st=$?

test_expect_success 'isomk -R -J makes the image without complaint' '
	test $st -eq 0 && ! test -s err.rj
'
test_expect_success 'bsdtar extracts the same tree (types, modes, sizes, mtimes, contents, links)' '
	extract_bsdtar rj.iso x.bsdtar && check_same src x.bsdtar
'
test_expect_success 'osirrox extracts the same tree' '
	extract_osirrox rj.iso x.osirrox && check_same src x.osirrox
'
test_expect_success 'the hard link is one file with two names (bsdtar, isoinfo -R)' '
	test "$(stat -c %i x.bsdtar/file.txt)" = "$(stat -c %i x.bsdtar/sub/hardlink)" &&
	TZ=UTC bsdtar -tvf rj.iso | grep -q "sub/hardlink link to file.txt\|file.txt link to sub/hardlink" &&
	isoinfo -R -l -i rj.iso | grep -E " (file\.txt|hardlink) *$" >hl &&
	test "$(wc -l <hl)" -eq 2 && test "$(awk "{print \$2}" hl | sort -u)" = 2 &&
	test "$(sed "s/.*\[ *\([0-9]*\) .*/\1/" hl | sort -u | wc -l)" -eq 1
'
test_expect_success 'symlinks keep their targets, a dangling one too (xorriso lsdl)' '
	xorriso -indev rj.iso -find / -type l -exec lsdl 2>/dev/null >links &&
	grep -q "/sub/rel-link. -> .\.\./file\.txt" links &&
	grep -q "/dangling. -> ./nonexistent/target" links
'
test_expect_success 'the fifo is a fifo (bsdtar and xorriso)' '
	test -p x.bsdtar/sub/fifo &&
	xorriso -indev rj.iso -find /sub/fifo -exec lsdl 2>/dev/null | grep -q "^p"
'
test_expect_success 'the 10-level directory keeps its real path for Rock Ridge readers' '
	test -f x.bsdtar/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt &&
	xorriso -indev rj.iso -find / -name deep.txt 2>/dev/null | grep -q "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt" &&
	xorriso -indev rj.iso -find / -name rr_moved >rr 2>/dev/null && ! grep -q rr_moved rr
'
test_expect_success 'plain ISO 9660 readers see the relocation directory (iso-info)' '
	iso-info --no-joliet --no-rock-ridge -f -q -i rj.iso 2>/dev/null | grep -qi "rr_moved"
'
test_expect_success 'genisoimage isoinfo -R lists the Rock Ridge names' '
	isoinfo -R -f -i rj.iso >rr.list &&
	grep -qx "/sub/Grüße aus Köln – ünïcödé ✓.txt" rr.list &&
	grep -qx "/.dotfile" rr.list
'
test_expect_success 'Joliet has the UTF-8 name (7z, bsdtar without Rock Ridge) and 103-character names, without ;1 as genisoimage writes them (isoinfo -J)' '
	"$ISOMK" -J -joliet-long -o j.iso src &&
	7z l -slt j.iso | grep -qx "Path = sub/Grüße aus Köln – ünïcödé ✓.txt" &&
	TZ=UTC bsdtar -tf j.iso | grep -qx "sub/Grüße aus Köln – ünïcödé ✓.txt" &&
	isoinfo -J -f -i j.iso | grep -q "^/sub/x\{100\}\.txt$"
'
test_expect_success 'without -joliet-long Joliet names are cut at the 64-character limit, extension kept' '
	"$ISOMK" -J -o j64.iso src && isoinfo -J -f -i j64.iso | grep -q "^/sub/x\{61\}\.txt$"
'
test_expect_success '7z lists the same files with the same sizes' '
	7z l -slt rj.iso >7z.out &&
	for f in file.txt sub/numbers sub/random.bin .dotfile; do
		size=$(stat -c %s "src/$f")
		grep -A3 -x "Path = $f" 7z.out | grep -qx "Size = $size" || { echo "7z: $f"; exit 1; }
	done
'
test_expect_success 'iso-info (libcdio) reads the Rock Ridge tree (names only Rock Ridge has)' '
	iso-info -l -q -i rj.iso 2>/dev/null >ii.out || exit 1
	grep -q " Grüße aus Köln – ünïcödé ✓.txt$" ii.out && grep -q " \.dotfile$" ii.out
'
test_expect_success 'empty files and directories are there, empty' '
	test -f x.bsdtar/empty && ! test -s x.bsdtar/empty && test -d x.bsdtar/sub/empty-dir &&
	test -z "$(ls -A x.bsdtar/sub/empty-dir)"
'
test_expect_success 'owners are kept with -R (xorriso lsdl shows uid and gid)' '
	chown 1234:5678 src/sub/numbers &&
	"$ISOMK" -R -o own.iso src &&
	xorriso -indev own.iso -find /sub/numbers -exec lsdl 2>/dev/null | grep -q " 1234 *5678 "
'
test_expect_success '-r makes modes readable, not writable, owner root' '
	"$ISOMK" -r -o r.iso src && extract_bsdtar r.iso x.r &&
	test "$(stat -c %a x.r/sub/script.sh)" = 555 &&
	test "$(stat -c %a x.r/sub/random.bin)" = 444 &&
	test "$(stat -c %a x.r/sub/empty-dir)" = 555 &&
	xorriso -indev r.iso -find /sub/numbers -exec lsdl 2>/dev/null | grep -q " 0 *0 "
'
test_expect_success 'without -f a symlink is stored as a link; -v says its target is not included' '
	"$ISOMK" -R -v -o v.iso src 2>v.err &&
	grep -q "dangling: symbolic link to ./nonexistent/target. stored as a link; its target is not included" v.err
'
test_expect_success '-f follows links: the file is stored in its place' '
	rm -f src/dangling &&
	"$ISOMK" -R -f -o f.iso src && extract_bsdtar f.iso x.f &&
	test -f x.f/sub/rel-link && ! test -h x.f/sub/rel-link && cmp x.f/sub/rel-link src/file.txt
'
test_expect_success 'ISO 9660 names are 8.3 at level 1, longer with -l and level 2' '
	"$ISOMK" -o l1.iso src && isoinfo -f -i l1.iso | grep -q "^/SUB/NUMBERS.;1$" &&
	isoinfo -f -i l1.iso | grep -qx "/SUB/EMPTY_DI" &&
	"$ISOMK" -l -o l2.iso src && isoinfo -f -i l2.iso | grep -qx "/SUB/EMPTY_DIR"
'
if [ "$(id -u)" -eq 0 ]; then
	test_expect_success 'device files keep type and numbers (bsdtar, xorriso)' '
		mkdir -p devs && mknod devs/null-like c 1 3 && mknod devs/blk b 7 42 &&
		"$ISOMK" -R -o dev.iso devs &&
		TZ=UTC bsdtar -tvf dev.iso | grep -q "^crw.* 1,3 .*null-like$" &&
		TZ=UTC bsdtar -tvf dev.iso | grep -q "^brw.* 7,42 .*blk$" &&
		xorriso -indev dev.iso -find /blk -exec lsdl 2>/dev/null | grep -q "^b"
	'
else
	test_skip 'device files keep type and numbers' 'mknod needs root'
fi
test_expect_success 'file data is identical whether written to a pipe or a file' '
	{ "$ISOMK" -R -J -joliet-long -V TREE src; echo $? >st; } | cat >pipe.iso &&
	test "$(cat st)" -eq 0 && extract_bsdtar pipe.iso x.pipe && check_same src x.pipe
'
test_expect_success '-md5 records MD5 tags that xorriso checks' '
	"$ISOMK" -R -md5 -o md5.iso src &&
	xorriso -md5 on -indev md5.iso -check_md5 FAILURE -- 2>&1 |
		grep -q "Ok, session data match recorded md5" &&
	xorriso -md5 on -indev md5.iso -check_md5_r FAILURE / -- >md5.out 2>&1 &&
	! grep -q "MISMATCH" md5.out && grep -q "^File contents and their MD5 checksums match" md5.out &&
	extract_bsdtar md5.iso x.md5 && check_same src x.md5
'

test_done
