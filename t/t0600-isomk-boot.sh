#!/bin/sh
# isomk's boot options (issue 12), read back by programs isomk does not
# share code with: xorriso's El Torito and system area reports, sfdisk,
# bsdtar, python3 reading the boot-info table and the system area bytes.
# The same command lines go to xorriso -as mkisofs (the anchor) and the
# reports must agree, the addresses aside. Booting the images in qemu is
# t0602's.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso bsdtar python3 mkfs.vfat mcopy sfdisk
ISOLINUX=/usr/lib/ISOLINUX/isolinux.bin
ISOHDPFX=/usr/lib/ISOLINUX/isohdpfx.bin
[ -r "$ISOLINUX" ] || bail_out "no $ISOLINUX (./bootstrap installs isolinux)"
[ -r "$ISOHDPFX" ] || bail_out "no $ISOHDPFX (./bootstrap installs isolinux)"

mkdir -p root/isolinux root/boot root/docs || exit 1
cp "$ISOLINUX" root/isolinux/ || exit 1
echo "DEFAULT x" >root/isolinux/isolinux.cfg || exit 1
seq 1 50000 >root/docs/numbers || exit 1
random_bytes 300000 root/docs/random.bin >root/docs/random.bin || exit 1
mkfs.vfat -C -n ESP esp.img 1440 >/dev/null || exit 1
mcopy -i esp.img root/docs/numbers ::/NUMBERS || exit 1
cp esp.img root/boot/efi.img || exit 1

# report IMG: xorriso's El Torito and system area report, without the
# lines that hold addresses or the size (they differ between two
# programs that lay out the same tree), the LBA column cut off
report() {
	xorriso -indev "$1" -report_el_torito plain -report_system_area plain 2>/dev/null |
		grep -E "^(El Torito|System area|MBR partition|GPT|Partition offset)" |
		grep -v -E "^(El Torito catalog|GPT disk GUID|GPT partition GUID|GPT lba range|GPT start and size|GPT entry array)" |
		sed -E "s/^(El Torito boot img :.*)( +[0-9]+)$/\1/; s/^(MBR partition +:( +[^ ]+){3}).*/\1/"
}
# both OUT ARGS...: the image by isomk and by xorriso -as mkisofs
both() {
	out=$1
	shift
	"$ISOMK" -o "$out.iso" "$@" 2>"$out.err" || return 1
	xorriso -as mkisofs -o "$out.x.iso" "$@" 2>/dev/null || return 1
	report "$out.iso" >"$out.r" && report "$out.x.iso" >"$out.x.r" &&
		diff -u "$out.x.r" "$out.r"
}
BIOS="-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table"

test_expect_success 'BIOS no emulation: the same El Torito entry as xorriso makes' '
	both bios -R -J $BIOS root &&
	grep -q "^El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4" bios.r &&
	grep -q "^El Torito img path :   1  /isolinux/isolinux.bin" bios.r &&
	grep -q "^El Torito img opts :   1  boot-info-table isohybrid-suitable" bios.r &&
	! test -s bios.err
'
test_expect_success 'the boot-info table is right, in the image only; the source file is untouched' '
	cmp root/isolinux/isolinux.bin "$ISOLINUX" &&
	xorriso -indev bios.iso -find /isolinux/isolinux.bin -exec report_lba -- 2>/dev/null >lba &&
	lba=$(sed -n "s/^File data lba: *[0-9]* , *\([0-9]*\) ,.*isolinux.bin.*$/\1/p" lba) &&
	test -n "$lba" &&
	python3 - bios.iso "$lba" "$ISOLINUX" <<-\EOF
	import struct, sys
	img, lba, src = sys.argv[1], int(sys.argv[2]), open(sys.argv[3], "rb").read()
	f = open(img, "rb"); f.seek(lba * 2048); b = f.read(len(src))
	pvd, at, length, ck = struct.unpack("<4I", b[8:24])
	body = src[64:] + bytes(-len(src[64:]) % 4)
	want = sum(struct.unpack("<%dI" % (len(body) // 4), body)) & 0xffffffff
	assert (pvd, at, length) == (16, lba, len(src)), (pvd, at, length, lba)
	assert ck == want, (ck, want)
	assert b[24:64] == bytes(40) and b[64:] == src[64:] and b[:8] == src[:8]
	EOF
'
test_expect_success 'the rest of the tree is the files themselves (the fast writer is still used)' '
	mkdir x && bsdtar -xf bios.iso -C x docs &&
	cmp x/docs/numbers root/docs/numbers && cmp x/docs/random.bin root/docs/random.bin
'
test_expect_success 'no -boot-load-size: the whole file is loaded, as xorriso does' '
	both full -R -b isolinux/isolinux.bin -no-emul-boot root &&
	grep -q "^El Torito boot img :   1  BIOS  y   none  0x0000  0x00     76" full.r &&
	grep -q "^El Torito cat path : /boot.catalog$" full.r
'
test_expect_success 'isohybrid MBR: the partition table xorriso makes; -print-size is the size written' '
	both hyb -R $BIOS -isohybrid-mbr "$ISOHDPFX" root &&
	grep -q "^System area summary: MBR isohybrid cyl-align-on" hyb.r &&
	grep -q "^MBR partition      :   1   0x80  0x17" hyb.r &&
	size=$("$ISOMK" -print-size -R $BIOS -isohybrid-mbr "$ISOHDPFX" root) &&
	test $((size * 2048)) -eq "$(stat -c %s hyb.iso)" &&
	cmp -n 432 hyb.iso "$ISOHDPFX"
'
test_expect_success 'BIOS, UEFI and GPT as live-build makes them: xorriso and sfdisk agree' '
	both live -R -J $BIOS -eltorito-alt-boot -e boot/efi.img -no-emul-boot \
		-isohybrid-mbr "$ISOHDPFX" -isohybrid-gpt-basdat root &&
	xorriso -indev live.iso -report_system_area plain >live.r.full 2>/dev/null &&
	grep -q "^El Torito boot img :   2  UEFI  y   none  0x0000  0x00   2880" live.r &&
	grep -q "^El Torito img path :   2  /boot/efi.img" live.r &&
	grep -q "^System area summary: MBR isohybrid cyl-align-on GPT" live.r &&
	grep -q "^MBR partition      :   2   0x00  0xef" live.r &&
	sfdisk -d live.iso >sf 2>/dev/null &&
	start=$(sed -n "s/^MBR partition      :   2   0x00  0xef *\([0-9]*\) .*/\1/p" live.r.full) &&
	grep -q "^live.iso2 : start= *$start, size= *2880, type=ef$" sf &&
	python3 - live.iso <<-\EOF
	import struct, sys, zlib
	d = open(sys.argv[1], "rb").read()
	h = d[512:512 + 92]
	assert h[:8] == b"EFI PART", h[:8]
	size = struct.unpack("<I", h[12:16])[0]
	crc = struct.unpack("<I", h[16:20])[0]
	assert zlib.crc32(h[:16] + bytes(4) + h[20:size]) == crc, "header crc"
	lba, n, esz, acrc = struct.unpack("<QII", h[72:88]) + struct.unpack("<I", h[88:92])
	arr = d[lba * 512:lba * 512 + n * esz]
	assert zlib.crc32(arr) == acrc, "entry array crc"
	names = [arr[i * esz + 56:i * esz + 128].decode("utf-16-le").rstrip("\0") for i in range(n)]
	assert "ISOHybrid1" in names, names
	EOF
'
test_expect_success 'the EFI image in the image is the FAT file system it was (mtools reads it)' '
	xorriso -indev live.iso -find /boot/efi.img -exec report_lba -- 2>/dev/null >elba &&
	lba=$(sed -n "s/^File data lba: *[0-9]* , *\([0-9]*\) ,.*efi.img.*$/\1/p" elba) &&
	dd if=live.iso of=esp.out bs=2048 skip="$lba" count=720 2>/dev/null &&
	cmp esp.out esp.img && mcopy -i esp.out ::/NUMBERS n.out && cmp n.out root/docs/numbers
'
test_expect_success '--efi-boot and -eltorito-platform efi make the same UEFI entry as xorriso' '
	both eb -R $BIOS --efi-boot boot/efi.img root &&
	grep -q "^El Torito boot img :   2  UEFI" eb.r &&
	both ep -R $BIOS -eltorito-alt-boot -eltorito-platform efi -b boot/efi.img -no-emul-boot root &&
	grep -q "^El Torito boot img :   2  UEFI" ep.r
'
test_expect_success 'floppy emulation (neither -no-emul-boot nor -hard-disk-boot), as mkisofs' '
	mkdir -p fl/images && head -c 1474560 /dev/zero >fl/images/boot.img &&
	both flop -R -b images/boot.img -c boot.catalog fl &&
	grep -q "^El Torito boot img :   1  BIOS  y  fd1.4" flop.r
'
test_expect_status 2 'a floppy image of another size is refused before anything is written' '
	head -c 1000000 /dev/zero >fl/images/boot.img
	"$ISOMK" -o badfl.iso -b images/boot.img fl 2>badfl.err
'
test_expect_success '... naming the sizes floppy emulation takes; no image left' '
	grep -q "^isomk: -b images/boot.img: 1000000 bytes: floppy emulation .*1200, 1440 or 2880 KiB" badfl.err &&
	! test -e badfl.iso
'
test_expect_success 'hard disk emulation of an image with an MBR of one partition' '
	mkdir -p hd &&
	python3 - hd/disk.img <<-\EOF &&
	import struct, sys
	d = bytearray(1024 * 1024)
	d[446:462] = bytes([0x80, 1, 1, 0, 0x83, 0x3f, 0x20, 0x1f]) + struct.pack("<II", 32, 2016)
	d[510:512] = b"\x55\xaa"
	open(sys.argv[1], "wb").write(d)
	EOF
	both hdd -R -b disk.img -hard-disk-boot hd &&
	grep -E -q "^El Torito boot img :   1  BIOS  y +hd " hdd.r
'
test_expect_status 2 'hard disk emulation of an image without an MBR is refused' '
	"$ISOMK" -o hdbad.iso -b isolinux/isolinux.bin -hard-disk-boot root 2>hdbad.err
'
test_expect_success '... saying what it needs; no image left' '
	grep -q "^isomk: -b isolinux/isolinux.bin: hard disk emulation takes an image that starts with an MBR of exactly one partition" hdbad.err &&
	! test -e hdbad.iso
'
test_expect_success '-G puts a file into the system area as it is' '
	random_bytes 20000 sa.bin >sa.bin &&
	"$ISOMK" -o g.iso -G sa.bin root &&
	cmp -n 20000 g.iso sa.bin &&
	test "$(dd if=g.iso bs=1 skip=20000 count=12768 2>/dev/null | tr -d "\000" | wc -c)" -eq 0
'
test_expect_success 'GRUB2 MBR, protective label, grub2 boot info: as xorriso makes them' '
	random_bytes 512 grubmbr.bin >grubmbr.bin &&
	random_bytes 8192 root/boot/eltorito.img >root/boot/eltorito.img &&
	both g2 -R -b boot/eltorito.img -no-emul-boot -boot-load-size 4 -boot-info-table \
		--grub2-boot-info --grub2-mbr grubmbr.bin --protective-msdos-label root &&
	grep -q "^System area summary: MBR protective-msdos-label grub2-mbr" g2.r &&
	grep -q "^El Torito img opts :   1  boot-info-table grub2-boot-info" g2.r
'
test_expect_success 'an appended EFI partition, in GPT, booted by El Torito through --interval' '
	both app -R $BIOS -append_partition 2 C12A7328-F81F-11D2-BA4B-00A0C93EC93B esp.img \
		-appended_part_as_gpt -eltorito-alt-boot -e --interval:appended_partition_2:all:: \
		-no-emul-boot root &&
	grep -q "^El Torito boot img :   2  UEFI" app.r &&
	grep -q "^GPT type GUID      :   2  28732ac11ff8d211ba4b00a0c93ec93b" app.r &&
	sfdisk -d app.iso >app.sf 2>/dev/null &&
	grep -q "type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B" app.sf &&
	start=$(sed -n "s/.*start= *\([0-9]*\), size= *\([0-9]*\), type=C12A7328.*/\1/p" app.sf) &&
	dd if=app.iso of=app.esp bs=512 skip="$start" count=2880 2>/dev/null && cmp app.esp esp.img
'
test_expect_success '-partition_offset 16: the partition holds an image of its own (bsdtar reads it)' '
	both off -R $BIOS -isohybrid-mbr "$ISOHDPFX" -partition_offset 16 root &&
	grep -q "^Partition offset   : 16" off.r &&
	dd if=off.iso of=part.iso bs=2048 skip=16 2>/dev/null &&
	bsdtar -tf part.iso >part.list && grep -q "docs/numbers" part.list
'
test_expect_success '-eltorito-id, -iso_mbr_part_type, --mbr-force-bootable as xorriso' '
	both misc -R -b isolinux/isolinux.bin -no-emul-boot \
		-eltorito-id cdpipe -iso_mbr_part_type 0x83 --protective-msdos-label --mbr-force-bootable root &&
	grep -q "^MBR partition      :   1   0x80  0x83" misc.r
'
test_expect_success '-no-boot and -boot-load-seg (genisoimage has them, xorriso not)' '
	"$ISOMK" -o nb.iso -R -b isolinux/isolinux.bin -no-emul-boot -no-boot -boot-load-seg 0x7c0 root &&
	report nb.iso >nb.r && grep -q "^El Torito boot img :   1  BIOS  n   none  0x07c0" nb.r
'
test_expect_success 'a -c naming a file of the tree (re-mastering) replaces it, and says so' '
	cp -r root rm && echo "old catalog" >rm/isolinux/boot.cat &&
	"$ISOMK" -o rm.iso -R $BIOS rm 2>rm.err &&
	grep -q "^isomk: the file /isolinux/boot.cat of the tree is replaced by the new boot catalog" rm.err &&
	report rm.iso >rm.r && grep -q "^El Torito cat path : /isolinux/boot.cat" rm.r &&
	bsdtar -xOf rm.iso isolinux/boot.cat >cat.out && ! grep -q "old catalog" cat.out
'
test_expect_success '--boot-catalog-hide: the catalog is in no directory' '
	"$ISOMK" -o hide.iso -R -J $BIOS --boot-catalog-hide root &&
	bsdtar -tf hide.iso >hide.list && ! grep -q boot.cat hide.list &&
	report hide.iso >hide.r && grep -q "^El Torito boot img :   1  BIOS" hide.r
'
test_expect_success 'a new session keeps the boot entry of the one it follows, or replaces it' '
	"$ISOMK" -o s1.iso -R $BIOS root &&
	"$top_builddir/tools/cdwrite" -multi dev=g.img s1.iso 2>/dev/null &&
	mkdir more && echo new >more/new.txt &&
	c=$("$top_builddir/tools/msinfo" dev=g.img) &&
	"$ISOMK" -R -C "$c" -M g.img -o s2.iso more 2>s2.err &&
	grep -q "^isomk: the previous session.s boot entry is kept: it boots its boot image as before" s2.err &&
	"$top_builddir/tools/cdwrite" -multi dev=g.img s2.iso 2>/dev/null &&
	report g.img >s2.r && grep -q "^El Torito img path :   1  /isolinux/isolinux.bin" s2.r &&
	c=$("$top_builddir/tools/msinfo" dev=g.img) &&
	"$ISOMK" -R -C "$c" -M g.img -o s3.iso -b isolinux/isolinux.cfg -no-emul-boot more &&
	"$top_builddir/tools/cdwrite" -multi dev=g.img s3.iso 2>/dev/null &&
	report g.img >s3.r && grep -q "^El Torito img path :   1  /isolinux/isolinux.cfg" s3.r &&
	bsdtar -xOf g.img new.txt | grep -q new
'

# bad input: exit 2, one clear line, no image left behind
bad() {
	want_msg=$1
	shift
	st=0
	"$ISOMK" -o bad.iso "$@" >bad.out 2>bad.err || st=$?
	test "$st" -eq 2 && grep -q -- "$want_msg" bad.err && ! test -e bad.iso && ! test -s bad.out ||
		{ cat bad.err; echo "exit $st"; return 1; }
}
test_expect_success 'a boot image that is not in the image, or not a file: exit 2' '
	bad "^isomk: -b nothere: no such file in the image (boot images are named by their path in the image, not on disk)" -b nothere root &&
	bad "^isomk: -b isolinux: not a file in the image but a directory" -b isolinux -no-emul-boot root &&
	bad "^isomk: -e docs/none: no such file in the image" -e docs/none root
'
test_expect_success 'a catalog whose directory is not in the image: exit 2' '
	bad "^isomk: -c nodir/boot.cat: the directory /nodir is not in the image" $BIOS -c nodir/boot.cat root
'
test_expect_success 'option values and combinations that cannot work: exit 2' '
	bad "El Torito cannot load more than 65535" -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 65536 root &&
	bad "wants a count of 512-byte sectors" -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 4k root &&
	bad "^isomk: -isohybrid-mbr makes the first boot image boot from a disk" -isohybrid-mbr "$ISOHDPFX" root &&
	bad "choose one" $BIOS -G sa.bin -isohybrid-mbr "$ISOHDPFX" root &&
	bad "choose one" $BIOS -isohybrid-mbr "$ISOHDPFX" --protective-msdos-label root &&
	bad "^isomk: -G /nonexistent: No such file or directory" -G /nonexistent root &&
	head -c 100 sa.bin >sa.short &&
	bad "^isomk: -isohybrid-mbr sa.short: 100 bytes: an MBR boot program has at least 432" $BIOS -isohybrid-mbr sa.short root &&
	bad "wants a partition number 1..4" -append_partition 5 0xef esp.img root &&
	bad "the type is an MBR type" -append_partition 2 efi esp.img root &&
	bad "cannot read .nothere." -append_partition 2 0xef nothere root &&
	bad "wants 0 or a block number of at least 16" -partition_offset 8 root &&
	bad "wants x86, PPC, Mac, efi" -eltorito-platform arm -b x root &&
	bad "an image outside the tree boots without emulation only" -e --interval:appended_partition_2:all:: -hard-disk-boot -append_partition 2 0xef esp.img root
'
test_expect_success 'boot options with no -b after them are warned about, not applied to nothing silently' '
	"$ISOMK" -o warn.iso -no-emul-boot -boot-info-table root 2>warn.err &&
	test "$(grep -c "^isomk: warning: -no-emul-boot is ignored: no -b or -e names the boot image it is for" warn.err)" -eq 1
'
test_expect_success '-isohybrid-gpt-basdat without -isohybrid-mbr: no GPT, as xorriso, and said' '
	both nogpt -R $BIOS -eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat root &&
	grep -q "^isomk: warning: -isohybrid-gpt-basdat, -isohybrid-gpt-hfsplus and -isohybrid-apm-hfsplus make no GPT or APM without -isohybrid-mbr" nogpt.err &&
	! grep -q "^GPT" nogpt.r
'
test_expect_success 'with SOURCE_DATE_EPOCH a hybrid image with GPT is the same every time' '
	SOURCE_DATE_EPOCH=1000000000 "$ISOMK" -o r1.iso -R -J $BIOS -eltorito-alt-boot -e boot/efi.img \
		-no-emul-boot -isohybrid-mbr "$ISOHDPFX" -isohybrid-gpt-basdat root &&
	SOURCE_DATE_EPOCH=1000000000 "$ISOMK" -o r2.iso -R -J $BIOS -eltorito-alt-boot -e boot/efi.img \
		-no-emul-boot -isohybrid-mbr "$ISOHDPFX" -isohybrid-gpt-basdat root &&
	cmp r1.iso r2.iso &&
	report r1.iso >r1.r && grep -q "^System area summary: MBR isohybrid cyl-align-on GPT" r1.r
'
test_expect_success 'a second -b without -eltorito-alt-boot replaces the first, with a warning (as xorriso)' '
	"$ISOMK" -o two.iso -R -b docs/numbers -b isolinux/isolinux.bin -no-emul-boot root 2>two.err &&
	grep -q "^isomk: warning: -b isolinux/isolinux.bin replaces -b docs/numbers" two.err &&
	report two.iso >two.r && grep -q "^El Torito img path :   1  /isolinux/isolinux.bin" two.r &&
	! grep -q "^El Torito img path :   2" two.r
'
test_expect_success '--zisofs never compresses a boot image (the firmware loads it as it is), and says what it does compress' '
	seq 1 200000 >root/docs/big.txt &&
	"$ISOMK" -o z.iso -R --zisofs $BIOS root 2>z.err &&
	grep -q "^isomk: warning: --zisofs does not compress the boot images, but it does the files a boot loader reads" z.err &&
	xorriso -indev z.iso -find /isolinux/isolinux.bin -exec report_lba -- 2>/dev/null >zlba &&
	lba=$(sed -n "s/^File data lba: *[0-9]* , *\([0-9]*\) ,.*isolinux.bin.*$/\1/p" zlba) &&
	dd if=z.iso of=zboot bs=2048 skip="$lba" count=19 2>/dev/null &&
	cmp -n 8 zboot "$ISOLINUX" && cmp -i 64 -n 38848 zboot "$ISOLINUX" &&
	"$top_builddir/tools/isoinfo" -d -i z.iso >zd && grep -q "checksum 0x[0-9a-f]*: matches" zd &&
	/usr/bin/isoinfo -R -l -i z.iso >zl && ! grep -q " 1288895 .*big.txt" zl &&
	"$top_builddir/tools/isoinfo" -i z.iso -x /docs/big.txt | cmp - root/docs/big.txt
'
test_done
