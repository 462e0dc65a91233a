#!/bin/sh
# isomk's boot options tried as an unlucky or hostile user would: a boot
# image with several names, a catalog path that is taken, options in odd
# orders, system area and partition files that are FIFOs, empty, or the
# output itself. The images are read back with xorriso's reports and
# python3 (the boot-info table), never with cdpipe's own code.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso python3 mkfs.vfat mcopy mdir
ISOLINUX=/usr/lib/ISOLINUX/isolinux.bin
[ -r "$ISOLINUX" ] || bail_out "no $ISOLINUX (./bootstrap installs isolinux)"

mkdir -p root/isolinux root/boot || exit 1
cp "$ISOLINUX" root/isolinux/ || exit 1
echo "DEFAULT x" >root/isolinux/isolinux.cfg || exit 1
random_bytes 5000 root/boot/small.bin >root/boot/small.bin || exit 1

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
# xorriso's El Torito report of both images, the addresses cut off
both() {
	out=$1
	shift
	"$ISOMK" -o "$out.iso" "$@" 2>"$out.err" || return 1
	xorriso -as mkisofs -o "$out.x.iso" "$@" 2>/dev/null || return 1
	for i in "$out.iso" "$out.x.iso"; do
		xorriso -indev "$i" -report_el_torito plain 2>/dev/null |
			grep -E "^El Torito (boot img|img path|img opts|cat path)" |
			sed -E "s/ +[0-9]+$//" >"$i.r" || return 1
	done
	diff -u "$out.x.iso.r" "$out.iso.r"
}
test_expect_success 'entry options before -b are for its entry, as xorriso (and genisoimage) take them' '
	both pre -R -no-emul-boot -boot-load-size 4 -boot-info-table \
		-b isolinux/isolinux.bin -c isolinux/boot.cat root &&
	grep -q "^El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4$" pre.iso.r &&
	grep -q "^El Torito img opts :   1  boot-info-table" pre.iso.r &&
	! test -s pre.err &&
	table pre.iso /isolinux/isolinux.bin "$ISOLINUX"
'
test_expect_success '... and after -eltorito-alt-boot for the next entry' '
	both alt -R -b isolinux/isolinux.bin -no-emul-boot -eltorito-alt-boot \
		-no-emul-boot -boot-load-size 3 -b boot/small.bin root &&
	grep -q "^El Torito boot img :   2  BIOS  y   none  0x0000  0x00      3$" alt.iso.r &&
	! test -s alt.err
'
test_expect_success '... and after the last -b or -e, with nothing after them, a warning' '
	"$ISOMK" -o late.iso -R -b isolinux/isolinux.bin -no-emul-boot \
		-eltorito-alt-boot -boot-load-size 4 root 2>late.err &&
	grep -q "^isomk: warning: -boot-load-size is ignored: no -b or -e names the boot image it is for$" late.err &&
	eltorito late.iso &&
	! grep -q "boot img :   2" late.iso.r
'

random_bytes 33792 sa.bin >sa.bin || exit 1
: >empty.bin || exit 1
mkfifo fifo || exit 1
test_expect_success '-G naming a FIFO that nothing writes into: exit 2 at once, no hang' '
	{ timeout 30 "$ISOMK" -o fifo.iso -R -G fifo root 2>fifo.err && st=0 || st=$?; } &&
	cat fifo.err &&
	test "$st" -eq 2 &&
	grep -q "^isomk: -G fifo: a FIFO with nothing written into it$" fifo.err &&
	! test -e fifo.iso
'
test_expect_success '-G from a pipe (as a process substitution gives it: a FIFO with a writer) still works' '
	exec 3<>fifo &&
	cat sa.bin >&3 &&
	timeout 30 "$ISOMK" -o pipe.iso -R -G fifo root 2>pipe.err &&
	exec 3>&- &&
	cmp -n 32768 pipe.iso sa.bin
'
test_expect_success '-G, -append_partition, -efi-boot-part naming the output file: exit 2, the file untouched' '
	cp sa.bin out.iso &&
	{ "$ISOMK" -o out.iso -R -G out.iso root 2>g.err && st=0 || st=$?; } &&
	test "$st" -eq 2 &&
	grep -q "^isomk: -G out.iso: that is the image being written$" g.err &&
	cmp out.iso sa.bin &&
	{ "$ISOMK" -o out.iso -R -append_partition 2 0xef out.iso root 2>a.err && st=0 || st=$?; } &&
	test "$st" -eq 2 &&
	grep -q "^isomk: -append_partition 2: .out.iso. is the image being written$" a.err &&
	cmp out.iso sa.bin &&
	{ "$ISOMK" -o out.iso -R -efi-boot-part out.iso root 2>e.err && st=0 || st=$?; } &&
	test "$st" -eq 2 &&
	grep -q "^isomk: -efi-boot-part: .out.iso. is the image being written$" e.err &&
	cmp out.iso sa.bin
'
test_expect_status 2 '... also when the output is standard output redirected into it' '
	"$ISOMK" -R -append_partition 2 0xef out.iso root >out.iso
'
# refused IMG WHAT ARGS...: exit 2 with WHAT (a grep -E pattern), and no
# IMG left
refused() {
	img=$1 what=$2
	shift 2
	"$ISOMK" -o "$img" "$@" 2>"$img.err" && st=0 || st=$?
	cat "$img.err"
	test "$st" -eq 2 && grep -E -q "$what" "$img.err" && ! test -e "$img"
}
test_expect_success '-append_partition of a FIFO, a device, a directory, an empty file, number 5: exit 2 before anything is made' '
	refused ap1.iso "^isomk: -append_partition 2: .fifo. is not a regular file$" -R -append_partition 2 0xef fifo root &&
	refused ap2.iso "^isomk: -append_partition 2: ./dev/zero. is not a regular file$" -R -append_partition 2 0xef /dev/zero root &&
	refused ap3.iso "^isomk: -append_partition 2: .root. is not a regular file$" -R -append_partition 2 0xef root root &&
	refused ap4.iso "^isomk: -append_partition 3: .empty.bin. is empty$" -R -append_partition 3 0x83 empty.bin root &&
	refused ap5.iso "wants a partition number 1..4" -R -append_partition 5 0xef sa.bin root
'

ISOHDPFX=/usr/lib/ISOLINUX/isohdpfx.bin
# mbrtype IMG N: the type of MBR partition N of IMG, as xorriso reports it
mbrtype() {
	xorriso -indev "$1" -report_system_area plain 2>/dev/null |
		sed -n "s/^MBR partition      :   $2   0x[0-9a-f]*  \(0x[0-9a-f]*\) .*/\1/p"
}
test_expect_success 'MBR types with a leading zero are decimal, as xorriso reads them (017 is 0x11, not octal 0x0f)' '
	"$ISOMK" -o t17.iso -R -b isolinux/isolinux.bin -no-emul-boot \
		-isohybrid-mbr "$ISOHDPFX" -iso_mbr_part_type 017 root &&
	xorriso -as mkisofs -o t17.x.iso -R -b isolinux/isolinux.bin -no-emul-boot \
		-isohybrid-mbr "$ISOHDPFX" -iso_mbr_part_type 017 root 2>/dev/null &&
	test "$(mbrtype t17.x.iso 1)" = 0x11 &&
	test "$(mbrtype t17.iso 1)" = 0x11 &&
	"$ISOMK" -o t10.iso -R -append_partition 2 010 sa.bin -append_partition 3 0x0C sa.bin root &&
	test "$(mbrtype t10.iso 2)" = 0x0a &&
	test "$(mbrtype t10.iso 3)" = 0x0c
'
random_bytes 100 root/boot/tiny.bin >root/boot/tiny.bin || exit 1
test_expect_success '-hard-disk-boot of an image too small for an MBR: said as such, not as a read error' '
	refused hd.iso "^isomk: -b boot/tiny.bin: 100 bytes: hard disk emulation takes an image that starts with an MBR" \
		-R -b boot/tiny.bin -hard-disk-boot root &&
	test $(wc -l <hd.iso.err) -eq 1
'

test_expect_success 'an EFI image in an appended partition that is not appended: exit 2, no image with a catalog of zeros' '
	refused np.iso "^isomk: -e --interval:appended_partition_3:all::: there is no -append_partition 3$" \
		-R -e --interval:appended_partition_3:all:: -no-emul-boot -append_partition 2 0xef sa.bin root
'
test_expect_success '... nor with -boot-info-table, which patches only files of the image' '
	refused nt.iso "^isomk: -b --interval:appended_partition_2:all::: -boot-info-table and --grub2-boot-info patch a file" \
		-R -b --interval:appended_partition_2:all:: -no-emul-boot -boot-info-table -append_partition 2 0xef sa.bin root
'
test_expect_success 'an appended partition as the EFI image, as archiso makes it: the same entry as xorriso' '
	both ap -R -b isolinux/isolinux.bin -no-emul-boot -eltorito-alt-boot \
		-e --interval:appended_partition_2:all:: -no-emul-boot -append_partition 2 0xef sa.bin root &&
	grep -q "^El Torito boot img :   2  UEFI  y   none  0x0000  0x00     68$" ap.iso.r
'

test_expect_success '-efi-boot-part --efi-boot-image with no UEFI entry: exit 2 before the output is made' '
	refused eb.iso "^isomk: -efi-boot-part --efi-boot-image needs a UEFI boot image \(-e\)$" \
		-R -b isolinux/isolinux.bin -no-emul-boot -efi-boot-part --efi-boot-image root
'
test_expect_success '... and with one, an EFI system partition in a GPT for it, as xorriso reports' '
	"$ISOMK" -o eb2.iso -R -b isolinux/isolinux.bin -no-emul-boot -eltorito-alt-boot \
		-e boot/small.bin -no-emul-boot -efi-boot-part --efi-boot-image root &&
	xorriso -indev eb2.iso -report_system_area plain 2>/dev/null >eb2.r &&
	grep -q "^System area summary: MBR protective-msdos-label .*GPT$" eb2.r &&
	grep -q "^GPT partition path :   2  /boot/small.bin$" eb2.r &&
	grep -q "^GPT type GUID      :   2  28732ac11ff8d211ba4b00a0c93ec93b$" eb2.r
'

# sysarea IMG: xorriso's system area report, sizes and addresses cut off
sysarea() {
	xorriso -indev "$1" -report_system_area plain 2>/dev/null |
		grep -E "^(System area summary|APM partition|MBR partition  |GPT type|GPT partname)" |
		sed -E "s/ +[0-9]+ +[0-9]+$//"
}
test_expect_success 'the Debian remaster command line (wiki RepackBootableISO), -isohybrid-apm-hfsplus and all: what xorriso makes' '
	set -- -r -J -joliet-long -cache-inodes -isohybrid-mbr "$ISOHDPFX" \
		-b isolinux/isolinux.bin -c isolinux/boot.cat -boot-load-size 4 \
		-boot-info-table -no-emul-boot -eltorito-alt-boot -e boot/small.bin \
		-no-emul-boot -isohybrid-gpt-basdat -isohybrid-apm-hfsplus root &&
	"$ISOMK" -o deb.iso "$@" &&
	xorriso -as mkisofs -o deb.x.iso "$@" 2>/dev/null &&
	sysarea deb.iso >deb.r &&
	sysarea deb.x.iso >deb.x.r &&
	diff -u deb.x.r deb.r &&
	grep -q "^System area summary: MBR isohybrid cyl-align-on GPT APM$" deb.r &&
	grep -q "^APM partition path :   1  /boot/small.bin$" deb.r
'

# the re-mastering lines xorriso -report_el_torito as_mkisofs prints take
# the system area and partitions out of the old image with --interval:
test_expect_success 'an isohybrid MBR cut out of an image with --interval:local_fs: (as xorriso -report_el_torito as_mkisofs gives it)' '
	xorriso -as mkisofs -o old.iso -R -b isolinux/isolinux.bin -no-emul-boot \
		-isohybrid-mbr "$ISOHDPFX" root 2>/dev/null &&
	set -- -R -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 4 -boot-info-table \
		-isohybrid-mbr --interval:local_fs:0s-15s:zero_mbrpt:old.iso root &&
	"$ISOMK" -o re.iso "$@" &&
	xorriso -as mkisofs -o re.x.iso "$@" 2>/dev/null &&
	cmp -n 432 re.iso "$ISOHDPFX" &&
	sysarea re.iso >re.r &&
	sysarea re.x.iso >re.x.r &&
	diff -u re.x.r re.r &&
	grep -q "^System area summary: MBR isohybrid cyl-align-on$" re.r
'
test_expect_success '-append_partition of an --interval:local_fs: piece: the partition xorriso makes (libisofs wants the text after --interval:)' '
	set -- -R -append_partition 2 0xef --interval:local_fs:0s-9s::sa.bin root &&
	"$ISOMK" -o iv.iso "$@" &&
	xorriso -as mkisofs -o iv.x.iso "$@" 2>/dev/null &&
	sysarea iv.iso >iv.r &&
	sysarea iv.x.iso >iv.x.r &&
	diff -u iv.x.r iv.r &&
	grep -q "^MBR partition      :   2   0x00  0xef$" iv.r &&
	xorriso -indev iv.iso -report_system_area plain 2>/dev/null |
		grep -q "^MBR partition      :   2   0x00  0xef  *[0-9]*  *40$"
'
test_expect_success '... the interval of the output file itself, or a missing file: exit 2, the file untouched' '
	cp sa.bin out.iso &&
	refused none.iso "^isomk: -G --interval:local_fs:0-1000::nothere: cannot read .nothere.: No such file or directory$" \
		-R -G --interval:local_fs:0-1000::nothere root &&
	{ "$ISOMK" -o out.iso -R -append_partition 2 0xef --interval:local_fs:0-1000::out.iso root 2>o.err && st=0 || st=$?; } &&
	test "$st" -eq 2 &&
	grep -q "^isomk: -append_partition 2: .out.iso. is the image being written$" o.err &&
	cmp out.iso sa.bin
'

test_expect_success 'a -b that replaces an -e in the same entry is a BIOS entry, as xorriso makes it' '
	both rep -R -e boot/small.bin -no-emul-boot -b isolinux/isolinux.bin -no-emul-boot root &&
	grep -q "^El Torito boot img :   1  BIOS  y   none" rep.iso.r &&
	grep -q "^isomk: warning: -b isolinux/isolinux.bin replaces -e boot/small.bin" rep.err
'
test_expect_success '... and -eltorito-platform before -b still sets its platform' '
	both plat -R -eltorito-platform efi -b boot/small.bin -no-emul-boot root &&
	grep -q "^El Torito boot img :   1  UEFI  y   none" plat.iso.r
'

test_expect_success 'a UEFI entry is loaded whole whatever -boot-load-size says, as xorriso does, with a warning' '
	both efil -R -b isolinux/isolinux.bin -no-emul-boot -boot-load-size 4 \
		-eltorito-alt-boot -e boot/small.bin -no-emul-boot -boot-load-size 4 root &&
	grep -q "^El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4$" efil.iso.r &&
	grep -q "^El Torito boot img :   2  UEFI  y   none  0x0000  0x00     10$" efil.iso.r &&
	grep -q "^isomk: warning: -e boot/small.bin: -boot-load-size 4 is ignored: a UEFI image is loaded whole (10 sectors)" efil.err &&
	both efin -R -e boot/small.bin -no-emul-boot root &&
	grep -q "^El Torito boot img :   1  UEFI  y   none  0x0000  0x00     12$" efin.iso.r
'

test_expect_success '-eltorito-alt-boot before any image keeps the options given so far, as xorriso does' '
	both altfirst -R -no-emul-boot -boot-load-size 4 -eltorito-alt-boot -eltorito-alt-boot \
		-b boot/small.bin root &&
	grep -q "^El Torito boot img :   1  BIOS  y   none  0x0000  0x00      4$" altfirst.iso.r &&
	! test -s altfirst.err &&
	both altefi -R -boot-load-size 4 --efi-boot boot/small.bin root &&
	grep -q "^El Torito boot img :   1  UEFI  y   none  0x0000  0x00     10$" altefi.iso.r
'

mkfs.vfat -C -n ESP root/boot/efi.img 1440 >/dev/null || exit 1
mcopy -i root/boot/efi.img sa.bin ::/SA.BIN || exit 1
test_expect_success '-boot-info-table on a UEFI image is ignored with a warning: its FAT file system stays readable' '
	"$ISOMK" -o fat.iso -R -b isolinux/isolinux.bin -no-emul-boot -boot-info-table \
		-eltorito-alt-boot -e boot/efi.img -no-emul-boot -boot-info-table root 2>fat.err &&
	grep -q "^isomk: warning: -e boot/efi.img: -boot-info-table is ignored: it would overwrite bytes 8 to 63 of the UEFI image, its FAT boot sector$" fat.err &&
	table fat.iso /isolinux/isolinux.bin "$ISOLINUX" &&
	xorriso -osirrox on -indev fat.iso -extract /boot/efi.img fat.img 2>/dev/null &&
	cmp fat.img root/boot/efi.img &&
	mdir -i fat.img ::/SA.BIN
'

GRUBISO=/usr/lib/grub-rescue/grub-rescue-cdrom.iso
[ -r "$GRUBISO" ] || bail_out "no $GRUBISO (./bootstrap installs grub-rescue-pc)"
mkdir -p ur/boot/grub/i386-pc || exit 1
xorriso -osirrox on -indev "$GRUBISO" -extract /boot/grub/i386-pc/eltorito.img \
	ur/boot/grub/i386-pc/eltorito.img 2>/dev/null || exit 1
test_expect_success 'an Ubuntu-style re-master line (GRUB2 MBR and EFI partition cut out of the old image, offset 16, GPT): what xorriso makes' '
	set -- -r -V UBU \
		--grub2-mbr --interval:local_fs:0s-15s:zero_mbrpt,zero_gpt:"$GRUBISO" \
		-partition_offset 16 --mbr-force-bootable \
		-append_partition 2 28732ac11ff8d211ba4b00a0c93ec93b --interval:local_fs:0s-1000s::"$GRUBISO" \
		-appended_part_as_gpt -iso_mbr_part_type a2a0d0ebe5b9334487c068b6b72699c7 \
		-c /boot.catalog -b /boot/grub/i386-pc/eltorito.img -no-emul-boot \
		-boot-load-size 4 -boot-info-table --grub2-boot-info -eltorito-alt-boot \
		-e --interval:appended_partition_2_start_1234s_size_4004d:all:: \
		-no-emul-boot -boot-load-size 4004 ur &&
	"$ISOMK" -o ubu.iso "$@" 2>ubu.err &&
	! test -s ubu.err &&
	xorriso -as mkisofs -o ubu.x.iso "$@" 2>/dev/null &&
	for i in ubu.iso ubu.x.iso; do
		xorriso -indev $i -report_el_torito plain -report_system_area plain 2>/dev/null |
			grep -v -E "GUID|disk|lba range" >$i.r || exit 1
	done &&
	diff -u ubu.x.iso.r ubu.iso.r &&
	grep -q "^El Torito img opts :   1  boot-info-table grub2-boot-info$" ubu.iso.r &&
	grep -q "^System area summary: MBR protective-msdos-label grub2-mbr cyl-align-off GPT$" ubu.iso.r &&
	test $(($(wc -c <ubu.iso) / 2048)) -eq "$("$ISOMK" -print-size "$@")"
'
test_done
