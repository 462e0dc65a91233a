#!/bin/sh
# isomk's boot options tried as an unlucky or hostile user would: a boot
# image with several names, a catalog path that is taken, options in odd
# orders, system area and partition files that are FIFOs, empty, or the
# output itself. The images are read back with xorriso's reports and
# python3 (the boot-info table), never with cdpipe's own code.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso python3
ISOLINUX=/usr/lib/ISOLINUX/isolinux.bin
[ -r "$ISOLINUX" ] || bail_out "no $ISOLINUX (./bootstrap installs isolinux)"

mkdir -p root/isolinux root/boot || exit 1
cp "$ISOLINUX" root/isolinux/ || exit 1
echo "DEFAULT x" >root/isolinux/isolinux.cfg || exit 1
head -c 5000 /dev/urandom >root/boot/small.bin || exit 1

# table IMG PATH SRC [PVD]: the boot-info table of PATH in IMG is the one
# of SRC's bytes at PATH's block, and the rest of the image is SRC's
table() {
	xorriso -indev "$1" -find "$2" -exec report_lba -- 2>/dev/null >lba.out
	lba=$(sed -n "s/^File data lba: *[0-9]* , *\([0-9]*\) ,.*$/\1/p" lba.out | head -n 1)
	test -n "$lba" || return 1
	python3 - "$1" "$lba" "$3" "${4:-16}" <<-\EOF
	import struct, sys
	img, lba, src = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
	f = open(img, "rb"); f.seek(lba * 2048); b = f.read(len(src))
	pvd, at, length, ck = struct.unpack("<4I", b[8:24])
	body = src[64:] + bytes(-len(src[64:]) % 4)
	want = sum(struct.unpack("<%dI" % (len(body) // 4), body)) & 0xffffffff
	assert (pvd, at, length) == (int(sys.argv[4]), lba, len(src)), (pvd, at, length, lba)
	assert ck == want, (ck, want)
	assert b[24:64] == bytes(40) and b[64:] == src[64:] and b[:8] == src[:8]
	EOF
}
eltorito() {
	xorriso -indev "$1" -report_el_torito plain 2>/dev/null >"$1.r"
}

mkdir -p hl/a hl/z || exit 1
cp "$ISOLINUX" hl/z/isolinux.bin || exit 1
ln hl/z/isolinux.bin hl/a/isolinux.bin || exit 1
test_expect_success 'a boot image with a hard link met first: the table is patched into the file bytes, not the fast writer tokens' '
	"$ISOMK" -o hl.iso -R -b z/isolinux.bin -no-emul-boot -boot-info-table hl &&
	table hl.iso /z/isolinux.bin "$ISOLINUX" &&
	table hl.iso /a/isolinux.bin "$ISOLINUX"
'
test_expect_success 'the same file grafted twice, the boot image the second name' '
	"$ISOMK" -o gp.iso -R -graft-points boot/x.img=root/isolinux/isolinux.bin \
		a/y.img=root/isolinux/isolinux.bin -b boot/x.img -no-emul-boot -boot-info-table &&
	table gp.iso /boot/x.img "$ISOLINUX"
'
test_expect_status 2 '-c naming the boot image itself: one clear usage error' '
	"$ISOMK" -o self.iso -R -b isolinux/isolinux.bin -no-emul-boot \
		-c isolinux/isolinux.bin root 2>self.err
'
test_expect_success '... which says so, once, and writes nothing' '
	cat self.err &&
	grep -q "^isomk: -c isolinux/isolinux.bin: that is the boot image of -b isolinux/isolinux.bin" self.err &&
	test $(wc -l <self.err) -eq 1 &&
	! test -e self.iso
'

mkdir -p s2 || exit 1
echo new >s2/new.txt || exit 1
test_expect_success 'a session appended with -M: -c at the old catalog path replaces the old catalog' '
	"$ISOMK" -o ms.iso -R -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-info-table root &&
	next=$(($(wc -c <ms.iso) / 2048)) &&
	"$ISOMK" -o s2.iso -R -M ms.iso -C 0,$next -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-info-table s2 &&
	dd if=s2.iso of=ms.iso bs=2048 seek=$next conv=notrunc 2>/dev/null &&
	xorriso -load sbsector $next -indev ms.iso -report_el_torito plain 2>/dev/null >ms.r &&
	grep -q "^El Torito cat path : /isolinux/boot.cat$" ms.r &&
	grep -q "^El Torito img path :   1  /isolinux/isolinux.bin$" ms.r &&
	xorriso -load sbsector $next -indev ms.iso -find /isolinux/isolinux.bin -exec report_lba -- 2>/dev/null >lba.out &&
	lba=$(sed -n "s/^File data lba: *[0-9]* , *\([0-9]*\) ,.*$/\1/p" lba.out) &&
	test "$lba" -ge "$next" &&
	python3 - ms.iso "$lba" "$ISOLINUX" $((next + 16)) <<-\EOF
	import struct, sys
	img, lba, src = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
	f = open(img, "rb"); f.seek(lba * 2048); b = f.read(len(src))
	pvd, at, length, ck = struct.unpack("<4I", b[8:24])
	assert (pvd, at, length) == (int(sys.argv[4]), lba, len(src)), (pvd, at, length)
	assert b[64:] == src[64:]
	EOF
'
test_done
