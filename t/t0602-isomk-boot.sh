#!/bin/sh
# isomk's bootable images boot (issue 12, "Verified by booting"): qemu
# under software emulation boots them from SeaBIOS as a CD and as a hard
# disk, and from OVMF (UEFI) as a CD and as a disk, and the serial console
# shows a marker that only the boot files inside the image print. Each
# boot stops as soon as the marker shows (t/helper/qemuboot.sh). Checked
# with independent programs: xorriso's El Torito and system area reports,
# genisoimage's isoinfo, sfdisk, and python3 reading the bytes.
#
# First the harness itself, on images made by xorriso -as mkisofs (the
# anchor): what boots there must boot, and what must not boot does not.
# Then isomk: (a) an isolinux no-emulation image and its boot info table,
# (b) the isohybrid MBR, (c) UEFI El Torito entries and the hybrid GPT,
# (d) the reference notes' "Bootable CD" recipe (floppy emulation),
# (e) re-mastering Debian's ipxe.iso and grub-rescue-cdrom.iso from what
# isoinfo reports, (f) the command lines of live-build, archiso and lorax
# run unchanged with isomk in the place of xorriso -as mkisofs.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
. "$top_srcdir/t/helper/qemuboot.sh"
need qemu-system-x86_64 timeout xorriso isoinfo bsdtar python3 sfdisk grub-mkstandalone mkfs.vfat mmd mcopy genisoimage
ISOINFO="$top_builddir/tools/isoinfo"

ISOLINUX_BIN=/usr/lib/ISOLINUX/isolinux.bin
ISOHDPFX=/usr/lib/ISOLINUX/isohdpfx.bin
IPXE_ISO=/usr/lib/ipxe/ipxe.iso
RESCUE_ISO=/usr/lib/grub-rescue/grub-rescue-cdrom.iso
RESCUE_FLOPPY=/usr/lib/grub-rescue/grub-rescue-floppy.img
# markers only the boot files made here print
MB=T0602-ISOLINUX-SAYS-HELLO
MU=T0602-GRUB-EFI-SAYS-HELLO

test_expect_success 'the boot files of the Debian packages bootstrap installs are there' '
	for f in $ISOLINUX_BIN $ISOHDPFX $QEMUBOOT_BIOS_MODULES/ldlinux.c32 \
		$QEMUBOOT_BIOS_MODULES/poweroff.c32 $IPXE_ISO $RESCUE_ISO $RESCUE_FLOPPY \
		/usr/lib/grub/x86_64-efi/halt.mod; do
		test -f $f || { echo "$f missing: ./bootstrap installs it"; exit 1; }
	done
'
[ $test_failed -eq 0 ] || bail_out "boot files missing"

# bios/: an isolinux tree; uefi/: a tree with an EFI system partition
# image; hybrid/: both
make_isolinux_tree bios $MB || exit 1
echo "a file beside the boot files" >bios/readme.txt || exit 1
make_esp_image esp.img $MU || exit 1
mkdir -p uefi/boot hybrid/boot || exit 1
cp esp.img uefi/boot/efi.img || exit 1
make_isolinux_tree hybrid $MB || exit 1
cp esp.img hybrid/boot/efi.img || exit 1

ISOLINUX_OPTS="-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table"

# anchor CMD...: xorriso (or genisoimage), its chatter shown only when it fails
anchor() {
	"$@" 2>anchor.log || {
		cat anchor.log
		return 1
	}
}

# eltorito IMAGE: the El Torito catalog as xorriso reads it, one line per
# entry: number platform emulation load-size LBA path
eltorito() {
	xorriso -indev "$1" -report_el_torito plain 2>/dev/null >"$1.et" || return 1
	awk '/^El Torito boot img :/ { e[$6] = $6 " " $7 " " $9 " " $12 " " $13 }
	     /^El Torito img path :/ { p[$6] = $7 }
	     END { for (n in e) print e[n], (n in p ? p[n] : "-") }' "$1.et" | sort -n
}

# lba_of IMAGE PATH: the first block of PATH in IMAGE, as xorriso reports it
lba_of() {
	xorriso -indev "$1" -find "$2" -exec report_lba -- 2>/dev/null |
		awk -F' *, *' '/^File data lba:/ { print $2 }'
}

# check_boot_info IMAGE PATH SOURCE [grub2]: the boot info table of the
# boot image PATH in IMAGE (mkisofs -boot-info-table: at offset 8, LE32
# each: the PVD's block 16, the file's block, its length, the sum of the
# LE32 words from offset 64 to its end; 24..63 zero), with grub2 also
# --grub2-boot-info's LE64 at 2548 (the file's 512-byte block + 5, which
# grub-rescue-cdrom.iso holds too), and the rest of the file as in SOURCE.
# The block and length are xorriso's and genisoimage's isoinfo's.
check_boot_info() {
	lba=$(lba_of "$1" "$2")
	size=$(stat -c %s "$3")
	gl=$(isoinfo -R -l -i "$1" | awk -v n="${2##*/}" '$NF == n { gsub(/[][]/, " "); print $(NF-2) }')
	echo "xorriso: block $lba; genisoimage isoinfo: block $gl; length $size"
	test -n "$lba" && test "$lba" = "$gl" &&
		python3 - "$1" "$lba" "$size" "$3" "${4:-}" <<'PY'
import struct, sys
img, lba, size, src = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
grub2 = sys.argv[5] == "grub2"
with open(img, "rb") as f:
    f.seek(lba * 2048)
    d = f.read(size)
s = open(src, "rb").read()
pvd, flba, flen, csum = struct.unpack_from("<4I", d, 8)
body = d[64:] + b"\0" * (-len(d[64:]) % 4)
want = sum(struct.unpack("<%dI" % (len(body) // 4), body)) & 0xFFFFFFFF
print("table: pvd %d lba %d length %d checksum %d (computed %d)" % (pvd, flba, flen, csum, want))
ok = (pvd, flba, flen, csum) == (16, lba, size, want)
ok = ok and d[24:64] == bytes(40) and d[:8] == s[:8] and len(d) == len(s)
if grub2:
    g = struct.unpack_from("<Q", d, 2548)[0]
    print("grub2 boot info: %d (want %d)" % (g, lba * 4 + 5))
    ok = ok and g == lba * 4 + 5 and d[64:2548] == s[64:2548] and d[2556:] == s[2556:]
else:
    ok = ok and d[64:] == s[64:]
sys.exit(0 if ok else 1)
PY
}

# check_gpt IMAGE: the GPT of a hybrid image read by hand: header CRC,
# entry array CRC, the backup header in the last 512-byte block pointing
# back; one line per used entry: type GUID (as stored), start, sectors, name
check_gpt() {
	python3 - "$1" <<'PY'
import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
def header(lba):
    h = d[lba * 512: lba * 512 + 512]
    if h[:8] != b"EFI PART":
        sys.exit("no GPT header at block %d" % lba)
    size = struct.unpack_from("<I", h, 12)[0]
    crc = struct.unpack_from("<I", h, 16)[0]
    if zlib.crc32(h[:16] + b"\0\0\0\0" + h[20:size]) != crc:
        sys.exit("GPT header at block %d: bad CRC" % lba)
    return struct.unpack_from("<QQQQ16sQII I", h, 24)
my, alt, first, last, guid, ent, n, esz, acrc = header(1)
if my != 1 or alt != len(d) // 512 - 1:
    sys.exit("GPT: header at %d, backup at %d, image has %d blocks" % (my, alt, len(d) // 512))
arr = d[ent * 512: ent * 512 + n * esz]
if zlib.crc32(arr) != acrc:
    sys.exit("GPT: bad entry array CRC")
b = header(alt)
if b[0] != alt or b[1] != 1 or b[8] != acrc:
    sys.exit("GPT: the backup header does not match")
for i in range(n):
    e = arr[i * esz:(i + 1) * esz]
    if e[:16] == bytes(16):
        continue
    s, l = struct.unpack_from("<QQ", e, 32)
    name = e[56:128].decode("utf-16-le").rstrip("\0")
    print(e[:16].hex(), s, l - s + 1, name)
PY
}

# ---------------------------------------------------------------------
# The harness, on xorriso's images

test_expect_success 'qemuboot: an xorriso isolinux image boots as a CD (ETCD); without -isohybrid-mbr not as a disk' '
	anchor xorriso -as mkisofs -o x-cd.iso -R -J $ISOLINUX_OPTS bios &&
	boot_image bios-cd x-cd.iso $MB &&
	grep -q "ISOLINUX.* ETCD" "$BOOT_LOG" &&
	if boot_image bios-disk x-cd.iso $MB; then echo "booted as a disk without an MBR"; exit 1; fi &&
	grep -q "Boot failed: not a bootable disk" "$BOOT_LOG"
'
test_expect_success 'qemuboot: with -isohybrid-mbr the xorriso image boots as a hard disk (EHDD)' '
	anchor xorriso -as mkisofs -o x-hd.iso -R -J $ISOLINUX_OPTS -isohybrid-mbr $ISOHDPFX bios &&
	boot_image bios-disk x-hd.iso $MB &&
	grep -q "ISOLINUX.* EHDD" "$BOOT_LOG"
'
test_expect_success 'qemuboot: an xorriso EFI El Torito entry boots under OVMF; the same tree without it does not' '
	anchor xorriso -as mkisofs -o x-efi.iso -R -J -e boot/efi.img -no-emul-boot uefi &&
	anchor xorriso -as mkisofs -o x-noefi.iso -R -J uefi &&
	boot_image uefi-cd x-efi.iso $MU 60 &&
	grep -q "Welcome to GRUB!" "$BOOT_LOG" &&
	if boot_image uefi-cd x-noefi.iso $MU 60; then echo "booted without an EFI entry"; exit 1; fi &&
	grep -q "BdsDxe: failed to load" "$BOOT_LOG"
'
# 6 s: GRUB says its welcome after 0.3 s here, 2 s left little to a
# loaded machine
test_expect_success 'qemuboot: a marker that never shows fails at the timeout, and no qemu is left running' '
	start=$(date +%s) &&
	if boot_image bios-cd $RESCUE_ISO NEVER-SHOWN 6; then exit 1; fi &&
	grep -q "Welcome to GRUB!" "$BOOT_LOG" &&
	test $(($(date +%s) - start)) -lt 20 &&
	if pgrep -f "qemuboot\.$$\." >/dev/null; then echo "a qemu is left"; exit 1; fi
'

# ---------------------------------------------------------------------
# (a) isolinux, BIOS, no emulation

cp -p $ISOLINUX_BIN bios.isolinux.before || exit 1
test_expect_success 'isomk -b isolinux.bin -no-emul-boot -boot-load-size 4 -boot-info-table: the image boots as a CD (ETCD)' '
	"$ISOMK" -o a.iso -R -J -V ISOMKBOOT $ISOLINUX_OPTS bios &&
	boot_image bios-cd a.iso $MB &&
	grep -q "ISOLINUX.* ETCD" "$BOOT_LOG"
'
test_expect_success 'isomk (a): xorriso reads one BIOS entry, no emulation, 4 sectors, at the block of /isolinux/isolinux.bin' '
	eltorito a.iso >et &&
	cat et &&
	echo "1 BIOS none 4 $(lba_of a.iso /isolinux/isolinux.bin) /isolinux/isolinux.bin" >want &&
	diff -u want et &&
	grep -q "^El Torito cat path : /isolinux/boot.cat$" a.iso.et
'
test_expect_success 'isomk (a): the boot info table in the image is right, the rest of isolinux.bin as it was' '
	check_boot_info a.iso /isolinux/isolinux.bin $ISOLINUX_BIN
'
test_expect_success 'isomk (a): the source isolinux.bin is unchanged (genisoimage, the control, rewrites its own)' '
	cmp bios/isolinux/isolinux.bin $ISOLINUX_BIN &&
	cmp bios.isolinux.before $ISOLINUX_BIN &&
	cp -R bios g-tree &&
	anchor genisoimage -quiet -o g.iso $ISOLINUX_OPTS g-tree &&
	if cmp -s g-tree/isolinux/isolinux.bin $ISOLINUX_BIN; then echo "control: genisoimage left it"; exit 1; fi
'
test_expect_success 'isomk (a): without -isohybrid-mbr no MBR, and no boot as a disk' '
	python3 -c "import sys; d = open(\"a.iso\", \"rb\").read(512); sys.exit(d != bytes(512))" &&
	if boot_image bios-disk a.iso $MB; then echo "booted as a disk"; exit 1; fi &&
	grep -q "Boot failed: not a bootable disk" "$BOOT_LOG"
'

# ---------------------------------------------------------------------
# (b) isohybrid MBR

test_expect_success 'isomk -isohybrid-mbr isohdpfx.bin: boots as a hard disk (EHDD) and as a CD (ETCD)' '
	"$ISOMK" -o b.iso -R -J $ISOLINUX_OPTS -isohybrid-mbr $ISOHDPFX bios &&
	boot_image bios-disk b.iso $MB &&
	grep -q "ISOLINUX.* EHDD" "$BOOT_LOG" &&
	boot_image bios-cd b.iso $MB &&
	grep -q "ISOLINUX.* ETCD" "$BOOT_LOG"
'
test_expect_success 'isomk (b): the MBR is isohdpfx.bin with one bootable partition over the image (sfdisk), as xorriso makes it' '
	cmp -n 432 b.iso $ISOHDPFX &&
	sfdisk -d b.iso >sf &&
	cat sf &&
	grep "^b.iso1 : start= *0, size= *[0-9]*, type=17, bootable$" sf &&
	test $(grep -c "^b.iso[0-9]" sf) -eq 1 &&
	size=$(sed -n "s/^b.iso1 : start= *0, size= *\([0-9]*\),.*/\1/p" sf) &&
	test $((size * 512)) -eq $(stat -c %s b.iso) &&
	xorriso -indev b.iso -report_system_area plain 2>/dev/null | grep "^System area summary" >sa &&
	xorriso -indev x-hd.iso -report_system_area plain 2>/dev/null | grep "^System area summary" >sa.x &&
	diff -u sa.x sa
'

# ---------------------------------------------------------------------
# (c) UEFI

test_expect_success 'isomk -e boot/efi.img -no-emul-boot: one UEFI entry; boots under OVMF as a CD and as a disk' '
	"$ISOMK" -o c.iso -R -J -e boot/efi.img -no-emul-boot uefi &&
	eltorito c.iso >et &&
	cat et &&
	echo "1 UEFI none $(($(stat -c %s esp.img) / 512)) $(lba_of c.iso /boot/efi.img) /boot/efi.img" >want &&
	diff -u want et &&
	boot_image uefi-cd c.iso $MU 60 &&
	boot_image uefi-disk c.iso $MU 60
'
HYBRID_OPTS="$ISOLINUX_OPTS -eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-mbr $ISOHDPFX -isohybrid-gpt-basdat"
test_expect_success 'isomk BIOS + -eltorito-alt-boot -e + isohybrid MBR and GPT: boots BIOS as a CD and a disk, UEFI as a CD and a disk' '
	"$ISOMK" -o h.iso -R -J -V HYBRID $HYBRID_OPTS hybrid &&
	boot_image bios-cd h.iso $MB &&
	grep -q "ISOLINUX.* ETCD" "$BOOT_LOG" &&
	boot_image bios-disk h.iso $MB &&
	grep -q "ISOLINUX.* EHDD" "$BOOT_LOG" &&
	boot_image uefi-cd h.iso $MU 60 &&
	boot_image uefi-disk h.iso $MU 60
'
test_expect_success 'isomk (c): the catalog holds the BIOS entry, then the UEFI one (xorriso)' '
	eltorito h.iso >et &&
	cat et &&
	{
		echo "1 BIOS none 4 $(lba_of h.iso /isolinux/isolinux.bin) /isolinux/isolinux.bin"
		echo "2 UEFI none $(($(stat -c %s esp.img) / 512)) $(lba_of h.iso /boot/efi.img) /boot/efi.img"
	} >want &&
	diff -u want et
'
test_expect_success 'isomk (c) -isohybrid-gpt-basdat: the GPT is valid (python), xorriso reads it as it reads its own, sfdisk shows efi.img as MBR partition 2 0xef' '
	lba=$(lba_of h.iso /boot/efi.img) &&
	secs=$(($(stat -c %s esp.img) / 512)) &&
	check_gpt h.iso >gpt &&
	cat gpt &&
	grep -qx "a2a0d0ebe5b9334487c068b6b72699c7 $((lba * 4)) $secs ISOHybrid1" gpt &&
	xorriso -indev h.iso -report_system_area plain 2>/dev/null >sa &&
	grep -q "^System area summary: MBR isohybrid cyl-align-on GPT$" sa &&
	grep -q "^GPT partition path :   2  /boot/efi.img$" sa &&
	anchor xorriso -as mkisofs -o x-h.iso -R -J -V HYBRID $HYBRID_OPTS hybrid &&
	xorriso -indev x-h.iso -report_system_area plain 2>/dev/null >sa.x &&
	grep -v "GUID" sa.x | sed "s/ [0-9][0-9]*//g" >sa.x.shape &&
	grep -v "GUID" sa | sed "s/ [0-9][0-9]*//g" >sa.shape &&
	diff -u sa.x.shape sa.shape &&
	sfdisk -d h.iso >sf &&
	cat sf &&
	grep -q "^h.iso2 : start= *$((lba * 4)), size= *$secs, type=ef$" sf
'

# ---------------------------------------------------------------------
# (d) the reference notes' "Bootable CD" recipe: a 1.44 MB floppy image,
# floppy emulation (mkisofs's default). GRUB's rescue floppy (package
# grub-rescue-pc; 1,296,384 bytes in Debian 12), padded to the size of a
# 1.44 MB floppy (of a 2.88 MB one, should a later GRUB outgrow it), is the
# boot image: it prints "Welcome to GRUB!" once it has read itself from
# the emulated floppy.

mkdir -p ref/images || exit 1
cp $RESCUE_FLOPPY ref/images/boot.img || exit 1
if [ "$(stat -c %s $RESCUE_FLOPPY)" -le 1474560 ]; then
	FLOPPY=1474560 EMUL=fd1.4
else
	FLOPPY=2949120 EMUL=fd2.88
fi
truncate -s $FLOPPY ref/images/boot.img || exit 1
echo "the rest of the CD" >ref/README || exit 1
test_expect_success 'isomk, the reference recipe (-v -J -r -T -b images/boot.img -c boot.catalog -p -A -V): boots as a CD in floppy emulation' '
	(cd ref && "$ISOMK" -v -J -r -T -b images/boot.img -c boot.catalog -p My_Name -A My_boot_CD -V Linuxboot -o ../d.iso .) &&
	boot_image bios-cd d.iso "Welcome to GRUB!" &&
	eltorito d.iso >et &&
	cat et &&
	echo "1 BIOS $EMUL 1 $(lba_of d.iso /images/boot.img) /images/boot.img" >want &&
	diff -u want et &&
	isoinfo -d -i d.iso >d.info &&
	grep -qx "Volume id: Linuxboot" d.info &&
	grep -qix "Data preparer id: My_Name" d.info &&
	grep -qix "Application id: My_boot_CD" d.info
'
test_expect_success 'isomk (d): a boot image of a size floppy emulation cannot take is refused, by name' '
	head -c 1000000 $RESCUE_FLOPPY >ref/odd.img &&
	st=0 && "$ISOMK" -o odd.iso -b odd.img ref 2>odd.err || st=$? &&
	cat odd.err &&
	test $st -ne 0 && test $st -ne 99 &&
	grep -q "^isomk: .*odd.img" odd.err &&
	rm -f ref/odd.img
'

# ---------------------------------------------------------------------
# (e) re-mastering: Debian's ipxe.iso and grub-rescue-cdrom.iso, taken
# apart by isoinfo (the tree, which bsdtar's extraction must match, and
# the boot parameters of -d --json), the MBR template from the first 432
# bytes, put together again by isomk.

# remaster_opts ORIG: isomk's boot options for what isoinfo -d --json
# reports of ORIG's El Torito catalog and system area
remaster_opts() {
	"$ISOINFO" -d --json -i "$1" >"$1.json" || return 1
	python3 - "$1.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
et = j.get("el_torito") or {}
if "entries" not in et:
    sys.exit("isoinfo --json -d: no el_torito.entries (issue 12's boot report)")
o = []
if et.get("catalog_path"):
    o += ["-c", et["catalog_path"]]
grub2 = False
for i, e in enumerate(et["entries"]):
    if i:
        o.append("-eltorito-alt-boot")
    o += ["-e" if e["platform_name"] == "EFI" else "-b", e["path"]]
    if e["emulation"] == "none":
        o.append("-no-emul-boot")
    o += ["-boot-load-size", str(e["load_sectors"])]
    if e.get("boot_info_table"):
        o.append("-boot-info-table")
    if e.get("grub2_boot_info"):
        o.append("--grub2-boot-info")
        grub2 = True
mbr = (j.get("system_area") or {}).get("mbr")
if mbr and mbr.get("isohybrid"):
    o += ["-isohybrid-mbr", "mbr432.bin"]
elif mbr and grub2:
    o += ["--grub2-mbr", "mbr432.bin", "--protective-msdos-label"]
print(" ".join(o))
PY
}

# the El Torito report without the blocks, which a new layout moves
eltorito_shape() {
	xorriso -indev "$1" -report_el_torito plain 2>/dev/null |
		awk '/^El Torito catalog  :/ { $5 = "-" } /^El Torito boot img :/ { $NF = "-" } { print }'
}

# the system area as xorriso reads it, without sizes and the blocks
# partitions start at
sysarea_shape() {
	xorriso -indev "$1" -report_system_area plain 2>/dev/null |
		sed -n -e "/^System area /p" \
			-e "s/^\(MBR partition      :  *[0-9]*  *0x[0-9a-f]*  *0x[0-9a-f]*\) .*/\1/p"
}

# remaster ORIG NEW: extract (bsdtar agreeing), rebuild
remaster() {
	rm -rf "$2.tree" mbr432.bin &&
		"$ISOINFO" -i "$1" --extract-dir "$2.tree" &&
		extract_bsdtar "$1" "$2.bsdtar" &&
		check_same "$2.bsdtar" "$2.tree" &&
		chmod -R u+w "$2.tree" &&
		dd if="$1" of=mbr432.bin bs=432 count=1 2>/dev/null &&
		opts=$(remaster_opts "$1") &&
		echo "isomk $opts" &&
		cat=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[\"el_torito\"][\"catalog_path\"])" "$1.json") &&
		rm -f "$2.tree$cat" &&
		"$ISOMK" -o "$2" -R -J $opts "$2.tree"
}

test_expect_success 'isomk re-masters ipxe.iso from what isoinfo reports: it boots as the original, as a CD and as a disk' '
	cp $IPXE_ISO ipxe.iso &&
	remaster ipxe.iso ipxe-new.iso &&
	for img in ipxe.iso ipxe-new.iso; do
		boot_image bios-cd $img "iPXE initialising devices" || exit 1
		boot_image bios-disk $img "iPXE initialising devices" || exit 1
	done
'
test_expect_success 'isomk (e): xorriso reports the same El Torito catalog and MBR for ipxe.iso and its re-master, but where things lie' '
	eltorito_shape ipxe.iso >et.orig &&
	eltorito_shape ipxe-new.iso >et.new &&
	cat et.new &&
	diff -u et.orig et.new &&
	sysarea_shape ipxe.iso >sa.orig &&
	sysarea_shape ipxe-new.iso >sa.new &&
	cat sa.new &&
	diff -u sa.orig sa.new &&
	check_boot_info ipxe-new.iso /isolinux.bin ipxe-new.iso.tree/isolinux.bin
'
test_expect_success 'isomk re-masters grub-rescue-cdrom.iso from what isoinfo reports: it boots as the original, as a CD; the same catalog and MBR' '
	cp $RESCUE_ISO rescue.iso &&
	remaster rescue.iso rescue-new.iso &&
	boot_image bios-cd rescue.iso "Welcome to GRUB!" &&
	boot_image bios-cd rescue-new.iso "Welcome to GRUB!" &&
	eltorito_shape rescue.iso >et.orig &&
	eltorito_shape rescue-new.iso >et.new &&
	cat et.new &&
	diff -u et.orig et.new &&
	sysarea_shape rescue.iso >sa.orig &&
	sysarea_shape rescue-new.iso >sa.new &&
	cat sa.new &&
	diff -u sa.orig sa.new &&
	check_boot_info rescue-new.iso /boot/grub/i386-pc/eltorito.img \
		rescue-new.iso.tree/boot/grub/i386-pc/eltorito.img grub2
'

# ---------------------------------------------------------------------
# (f) the distributions' command lines, unchanged but for the program
# name and where Debian keeps isohdpfx.bin, on small trees of real boot
# files. Each is a function of the program that runs it ("$@"): isomk,
# whose images must boot, and xorriso -as mkisofs, whose El Torito and
# system area reports isomk's must match (but the GUIDs, which are random).
# Each image has its own markers.

# report_shape IMAGE: xorriso's reports without the GUIDs
report_shape() {
	xorriso -indev "$1" -report_el_torito plain -report_system_area plain 2>/dev/null |
		grep -v "GUID"
}

# live-build 1:20230502 (Debian 12), /usr/lib/live/build/binary_iso, for
# LB_IMAGE_TYPE=iso-hybrid, LB_BOOTLOADER_BIOS=syslinux,
# LB_BOOTLOADER_EFI=grub-efi and its default ISO ids: XORRISO_OPTIONS in
# their order, then "xorriso -as mkisofs ${XORRISO_OPTIONS} -o ${IMAGE} binary".
SOURCE_DATE_EPOCH=1672567200
live_build() {
	"$@" -R -r -J -joliet-long -l -cache-inodes -iso-level 3 \
		-isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin -partition_offset 16 \
		-A "Debian Live" \
		-p "live-build 1:20230502; https://salsa.debian.org/live-team/live-build" \
		-publisher "Debian Live project; https://wiki.debian.org/DebianLive; debian-live@lists.debian.org" \
		-V "Debian bookworm $(date --utc -d@$SOURCE_DATE_EPOCH +%Y%m%d-%H:%M)" \
		--modification-date=$(date --utc -d@$SOURCE_DATE_EPOCH +%Y%m%d%H%M%S00) \
		-b isolinux/isolinux.bin -c isolinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table \
		-eltorito-alt-boot \
		-e boot/grub/efi.img -no-emul-boot \
		-isohybrid-gpt-basdat -isohybrid-apm-hfsplus \
		-o ${IMAGE} binary
}
mkdir lb && cd lb || exit 1
make_isolinux_tree binary T0602-LIVE-BUILD-BIOS || exit 1
mkdir -p binary/boot/grub binary/live binary/.disk || exit 1
make_esp_image binary/boot/grub/efi.img T0602-LIVE-BUILD-UEFI || exit 1
echo squashfs >binary/live/filesystem.squashfs || exit 1
echo "Debian GNU/Linux Live" >binary/.disk/info || exit 1
cd .. || exit 1
test_expect_success 'live-build'\''s command line (isohybrid MBR, -partition_offset 16, EFI El Torito, GPT, APM) with isomk: boots BIOS CD and disk, UEFI CD; reports as xorriso'\''s' '
	cd lb &&
	IMAGE=xorriso.iso &&
	anchor live_build xorriso -as mkisofs &&
	IMAGE=live-image-amd64.hybrid.iso &&
	live_build "$ISOMK" &&
	cd .. &&
	img=lb/live-image-amd64.hybrid.iso &&
	boot_image bios-cd $img T0602-LIVE-BUILD-BIOS &&
	boot_image bios-disk $img T0602-LIVE-BUILD-BIOS &&
	boot_image uefi-cd $img T0602-LIVE-BUILD-UEFI 60 &&
	report_shape lb/xorriso.iso >rep.x &&
	report_shape $img >rep &&
	cat rep &&
	diff -u rep.x rep &&
	grep -q "^System area summary: MBR isohybrid cyl-align-on GPT APM$" rep
'

# archiso (archiso/mkarchiso at 52bf735 of 2026-03-25, _build_iso_image;
# profile releng: bootmodes bios.syslinux and uefi.systemd-boot):
# "xorriso -no_rc -as mkisofs" with the common options, then bios.syslinux's,
# then the UEFI ones; the EFI system partition is appended after the ISO,
# not a file of the tree.
archiso() {
	"$@" \
		-iso-level 3 \
		-full-iso9660-filenames \
		-joliet \
		-joliet-long \
		-rational-rock \
		-volid ARCH_202603 \
		-appid "Arch Linux Live/Rescue DVD" \
		-publisher "Arch Linux <https://archlinux.org>" \
		-preparer "prepared by mkarchiso" \
		-eltorito-boot boot/syslinux/isolinux.bin \
		-eltorito-catalog boot/syslinux/boot.cat \
		-no-emul-boot -boot-load-size 4 -boot-info-table \
		-isohybrid-mbr "${isofs_dir}/boot/syslinux/isohdpfx.bin" \
		--mbr-force-bootable \
		-partition_offset 16 \
		-append_partition 2 C12A7328-F81F-11D2-BA4B-00A0C93EC93B "${efibootimg}" \
		-isohybrid-gpt-basdat \
		-eltorito-alt-boot \
		-e --interval:appended_partition_2:all:: \
		-no-emul-boot \
		-output "${out_dir}/${image_name}" \
		"${isofs_dir}/"
}
mkdir arch && cd arch || exit 1
make_isolinux_tree work/iso T0602-ARCHISO-BIOS boot/syslinux || exit 1
cp $ISOHDPFX work/iso/boot/syslinux/ || exit 1
mkdir -p work/iso/arch out || exit 1
echo 2026.03.01 >work/iso/arch/version || exit 1
make_esp_image work/efiboot.img T0602-ARCHISO-UEFI || exit 1
cd .. || exit 1
test_expect_success 'archiso'\''s command line (-eltorito-boot, -eltorito-catalog, appended ESP as the EFI image, GPT) with isomk: boots BIOS CD and disk, UEFI CD and disk; reports as xorriso'\''s' '
	cd arch &&
	isofs_dir=$PWD/work/iso &&
	efibootimg=$PWD/work/efiboot.img &&
	out_dir=out &&
	image_name=xorriso.iso &&
	anchor archiso xorriso -no_rc -as mkisofs &&
	image_name=archlinux-2026.03.01-x86_64.iso &&
	archiso "$ISOMK" &&
	cd .. &&
	img=arch/out/archlinux-2026.03.01-x86_64.iso &&
	boot_image bios-cd $img T0602-ARCHISO-BIOS &&
	boot_image bios-disk $img T0602-ARCHISO-BIOS &&
	boot_image uefi-cd $img T0602-ARCHISO-UEFI 60 &&
	boot_image uefi-disk $img T0602-ARCHISO-UEFI 60 &&
	report_shape arch/out/xorriso.iso >rep.x &&
	report_shape $img >rep &&
	cat rep &&
	diff -u rep.x rep &&
	check_gpt $img >gpt &&
	cat gpt &&
	grep -q "^28732ac11ff8d211ba4b00a0c93ec93b [0-9]* $(($(stat -c %s arch/work/efiboot.img) / 512)) " gpt
'

# lorax (share/templates.d/99-generic/x86.tmpl at 1843f8b0 of 2021-09-07,
# the last with ISOLINUX: Fedora 30 to 36), x86_64 with EFI and no Mac
# boot image: the "make boot.iso" runcmd, xorrisofs with graft points from
# the output root (its -o names $iso_out, here, for the two programs).
lorax() {
	"$@" ${isoargs} -o ${iso_out} \
		-isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
		-b isolinux/isolinux.bin -c isolinux/boot.cat \
		-boot-load-size 4 -boot-info-table -no-emul-boot \
		-eltorito-alt-boot -e images/efiboot.img -no-emul-boot -isohybrid-gpt-basdat \
		-R -J -V "${isolabel}" \
		-graft-points \
		.discinfo=${outroot}/.discinfo \
		images/install.img=${outroot}/images/install.img \
		isolinux=${outroot}/isolinux \
		images/pxeboot=${outroot}/images/pxeboot \
		EFI/BOOT=${outroot}/EFI/BOOT images/efiboot.img=${outroot}/images/efiboot.img
}
mkdir -p fedora && cd fedora || exit 1
outroot=$PWD/outroot
make_isolinux_tree outroot T0602-LORAX-BIOS || exit 1
mkdir -p outroot/images/pxeboot outroot/EFI/BOOT || exit 1
make_esp_image outroot/images/efiboot.img T0602-LORAX-UEFI || exit 1
mcopy -i outroot/images/efiboot.img ::/EFI/BOOT/BOOTX64.EFI outroot/EFI/BOOT/ || exit 1
echo stage2 >outroot/images/install.img || exit 1
echo kernel >outroot/images/pxeboot/vmlinuz || exit 1
echo initrd >outroot/images/pxeboot/initrd.img || exit 1
printf '1672567200.0\nFedora\n36\nx86_64\n' >outroot/.discinfo || exit 1
cd .. || exit 1
test_expect_success 'lorax'\''s command line (isohybrid MBR, -eltorito-alt-boot -e images/efiboot.img, -isohybrid-gpt-basdat, graft points) with isomk: boots BIOS CD and disk, UEFI CD; reports as xorriso'\''s' '
	cd fedora &&
	isoargs= &&
	isolabel=Fedora-S-dvd-x86_64-36 &&
	iso_out=${outroot}/images/xorriso.iso &&
	anchor lorax xorrisofs &&
	iso_out=${outroot}/images/boot.iso &&
	lorax "$ISOMK" &&
	cd .. &&
	img=fedora/outroot/images/boot.iso &&
	boot_image bios-cd $img T0602-LORAX-BIOS &&
	boot_image bios-disk $img T0602-LORAX-BIOS &&
	boot_image uefi-cd $img T0602-LORAX-UEFI 60 &&
	report_shape fedora/outroot/images/xorriso.iso >rep.x &&
	report_shape $img >rep &&
	cat rep &&
	diff -u rep.x rep &&
	check_gpt $img >gpt &&
	cat gpt &&
	grep -q " ISOHybrid1$" gpt
'

test_done
