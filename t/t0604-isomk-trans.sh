#!/bin/sh
# isomk -T: a TRANS.TBL in every directory, as genisoimage -T makes them
# (the "Bootable CD" recipe of the Linux CD-Writing notes passes -T), byte
# for byte, read back with genisoimage's isoinfo; and the recipe itself,
# run as the notes print it with isomk in mkisofs's place.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need genisoimage /usr/bin/isoinfo bsdtar xorriso 7z
GI=/usr/bin/isoinfo

mkdir -p src/Docs/Sub src/x src/empty || exit 1
echo hi >src/Docs/LongFileName.txt || exit 1
echo a >src/Docs/Sub/another-long-name.txt || exit 1
echo c >"src/x/with space.txt" || exit 1
echo d >src/README || exit 1
echo e >src/x/file.with.dots.txt || exit 1
ln -s README src/link || exit 1
mkfifo src/fifo || exit 1

# tables IMG: every TRANS.TBL of the image (Rock Ridge paths), each as
# "== PATH" and its bytes
tables() {
	"$GI" -R -f -i "$1" | grep "/TRANS.TBL$" | sort | while read -r p; do
		echo "== $p"
		"$GI" -R -i "$1" -x "$p"
	done
}

test_expect_success '-r -J -T: every directory has the TRANS.TBL genisoimage writes, byte for byte' '
	"$ISOMK" -r -J -T -o t.iso src 2>err &&
	genisoimage -quiet -r -J -T -o g.iso src 2>/dev/null &&
	tables t.iso >t.tables && tables g.iso >g.tables &&
	test "$(grep -c "^== " t.tables)" -eq 4 &&
	diff -u g.tables t.tables && ! test -s err
'
test_expect_success 'names libisofs mangles otherwise than genisoimage: the tables name the real ones' '
	cp -r src col && echo b >col/Docs/Sub/Another-Long-Name.txt &&
	"$ISOMK" -r -J -T -o c.iso col &&
	genisoimage -quiet -r -J -T -o gc.iso col 2>/dev/null &&
	tables c.iso >c.tables && tables gc.iso >gc.tables &&
	cut -c1-2,211- c.tables >c.real && cut -c1-2,211- gc.tables >gc.real &&
	diff -u gc.real c.real &&
	"$GI" -f -i c.iso >isonames &&
	grep "^F " c.tables | cut -c3-210 | sed "s/ *$//" | sort -u >listed &&
	test "$(wc -l <listed)" -ge 6 &&
	for n in $(cat listed); do grep -q "/$n$" isonames || { echo "not in the image: $n"; exit 1; }; done &&
	grep -q "^L LINK.;1 *	link	README$" c.tables &&
	grep -q "^P FIFO.;1 *	fifo$" c.tables &&
	grep -q "^D DOCS *	Docs$" c.tables
'
test_expect_success 'TRANS.TBL is in the Joliet tree too, and not with -hide-joliet-trans-tbl' '
	"$GI" -J -f -i t.iso >j && grep -q "^/Docs/TRANS.TBL$" j &&
	"$ISOMK" -r -J -T -hide-joliet-trans-tbl -o h.iso src &&
	"$GI" -J -f -i h.iso >jh && ! grep -q TRANS.TBL jh &&
	"$GI" -R -f -i h.iso >rh && grep -q "^/Docs/TRANS.TBL$" rh
'
test_expect_success '-table-name names the tables (and implies -T), as genisoimage' '
	"$ISOMK" -r -table-name MYTABLE -o n.iso src &&
	genisoimage -quiet -r -table-name MYTABLE -o gn.iso src 2>/dev/null &&
	"$GI" -R -i n.iso -x /Docs/MYTABLE >n.tbl && "$GI" -R -i gn.iso -x /Docs/MYTABLE >gn.tbl &&
	test -s n.tbl && cmp gn.tbl n.tbl
'
test_expect_success 'without Rock Ridge: what the ISO 9660 tree holds, as genisoimage' '
	cp -r src plain && rm plain/fifo plain/link &&
	"$ISOMK" -T -o p.iso plain &&
	genisoimage -quiet -T -o gp.iso plain 2>/dev/null &&
	"$GI" -i p.iso -x "/TRANS.TBL;1" >p.tbl && "$GI" -i gp.iso -x "/TRANS.TBL;1" >gp.tbl &&
	test -s p.tbl && cmp gp.tbl p.tbl
'
test_expect_success '... and no line for what is not in it (libisofs leaves links and fifos out)' '
	"$ISOMK" -T -o pl.iso src &&
	"$GI" -f -i pl.iso >pl.names && ! grep -q "LINK\|FIFO" pl.names &&
	"$GI" -i pl.iso -x "/TRANS.TBL;1" >pl.tbl && ! grep -q "^L\|^P" pl.tbl &&
	grep -q "^F README.;1 *	README$" pl.tbl
'
test_expect_success 'a TRANS.TBL of the tree is replaced, and said; the other files are intact' '
	cp -r src old && echo stale >old/Docs/TRANS.TBL &&
	"$ISOMK" -r -T -o o.iso old 2>o.err &&
	grep -q "^isomk: -T: 1 file named TRANS.TBL in the tree replaced by translation tables$" o.err &&
	"$GI" -R -i o.iso -x /Docs/TRANS.TBL >o.tbl && ! grep -q stale o.tbl &&
	grep -q "LongFileName.txt" o.tbl &&
	mkdir ox && bsdtar -xf o.iso -C ox && cmp ox/Docs/LongFileName.txt src/Docs/LongFileName.txt
'
test_expect_status 2 'a directory named like the table is refused' '
	mkdir -p bad/TRANS.TBL
	"$ISOMK" -r -T -o bad.iso bad 2>bad.err
'
test_expect_success '... with a message, and no image left' '
	grep -q "^isomk: -T: a directory is named TRANS.TBL" bad.err && ! test -e bad.iso
'
test_expect_success 'a -T session after another lists what the tree holds then (and -print-size agrees)' '
	"$ISOMK" -r -T -o s1.iso src &&
	"$top_builddir/tools/cdwrite" -multi dev=ms.img s1.iso 2>/dev/null &&
	mkdir more && echo new >more/NewFile.txt &&
	c=$("$top_builddir/tools/msinfo" dev=ms.img) &&
	"$ISOMK" -r -T -C "$c" -M ms.img -o s2.iso more &&
	size=$("$ISOMK" -r -T -C "$c" -M ms.img -print-size more) &&
	test $((size * 2048)) -eq "$(stat -c %s s2.iso)" &&
	"$top_builddir/tools/cdwrite" -multi dev=ms.img s2.iso 2>/dev/null &&
	xorriso -indev ms.img -osirrox on -extract /TRANS.TBL ms.tbl 2>/dev/null &&
	grep -q "^F NEWFILE.TXT;1 *	NewFile.txt$" ms.tbl && grep -q "^D DOCS *	Docs$" ms.tbl
'
# the recipe, as ../shared/reference/linux-cd-writing.txt prints it
# ("Bootable CD"), from inside the tree, with a 1.44 MB floppy image.
# The preparer and application ids come out upper case, as ECMA-119's
# a-characters and xorriso have them (genisoimage keeps the case given);
# the volume id is kept as given, as both do.
test_expect_success 'the bootable CD recipe of the notes runs with isomk as it did with mkisofs' '
	mkdir -p cd/images cd/docs &&
	head -c 1474560 /dev/zero >cd/images/boot.img &&
	echo "read me" >cd/docs/ReadMe.txt &&
	(cd cd && "$ISOMK" -v -J -r -T \
		-b images/boot.img \
		-c boot.catalog \
		-p My_Name \
		-A My_boot_CD \
		-V Linuxboot \
		-o "$TMP/img.iso" . ) 2>recipe.err &&
	(cd cd && genisoimage -quiet -v -J -r -T -b images/boot.img -c boot.catalog \
		-p My_Name -A My_boot_CD -V Linuxboot -o "$TMP/gimg.iso" . ) 2>/dev/null &&
	"$GI" -d -i img.iso >d && "$GI" -d -i gimg.iso >gd &&
	grep "^Volume id:\|^Data preparer id:\|^Application id:" gd >gd.ids &&
	grep "^Volume id:\|^Data preparer id:\|^Application id:" d >d.ids &&
	tr a-z A-Z <gd.ids >gd.upper && tr a-z A-Z <d.ids >d.upper && diff -u gd.upper d.upper &&
	grep -q "^Volume id: Linuxboot$" d.ids &&
	grep -q "Boot media 2 (1.44" d &&
	tables img.iso >r.tables && tables gimg.iso >gr.tables && diff -u gr.tables r.tables &&
	7z l img.iso >7z.out && grep -q "docs.ReadMe.txt" 7z.out
'
test_done
