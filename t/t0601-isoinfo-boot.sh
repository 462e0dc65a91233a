#!/bin/sh
# isoinfo -d's boot report: every El Torito entry, boot info tables, the
# system area (MBR, isohybrid, GPT and its backup, APM), compared field by
# field with xorriso -report_el_torito/-report_system_area, sfdisk --json
# and genisoimage's isoinfo -d, on images made by xorriso, genisoimage and
# isomk with each boot option and on Debian's real ipxe, grub-rescue and
# memtest86+ images; then hostile catalogs and GPTs patched in.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso genisoimage isoinfo sfdisk python3 mkfs.vfat mmd
ISOINFO="$top_builddir/tools/isoinfo"

# ------------------------------------------------------------- the images
mkdir -p r/isolinux r/boot || exit 1
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 r/isolinux/ || exit 1
mkfs.vfat -C -n ESP r/boot/efi.img 1440 >/dev/null || exit 1
mmd -i r/boot/efi.img ::/EFI ::/EFI/BOOT || exit 1
head -c 1474560 /dev/zero >r/boot/floppy.img || exit 1
random_bytes 8192 r/boot/grub.bin >r/boot/grub.bin || exit 1
random_bytes 4096 r/boot/ppc.bin >r/boot/ppc.bin || exit 1
echo hi >r/a || exit 1
# a hard disk image: an MBR with one partition (libisofs checks it)
python3 -c '
import struct
d = bytearray(512 * 64)
d[446:462] = bytes([0x80, 0, 0, 0, 0x83, 0, 0, 0]) + struct.pack("<II", 1, 63)
d[510:512] = b"\x55\xaa"
open("r/boot/hd.img", "wb").write(d)' || exit 1

XM="xorriso -as mkisofs -quiet -R -J"
ISOL="-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table"
mk() { # mk NAME COMMAND...: NAME.iso, or a note (the tests on it fail)
	name=$1; shift
	"$@" -o "$name.iso" r >"$name.mklog" 2>&1 || echo "# $name: $* failed"
}
mk bios $XM $ISOL
mk hybrid $XM $ISOL -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
	-eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat
mk apm $XM $ISOL -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
	-eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat -isohybrid-apm-hfsplus
mk multi $XM -b boot/floppy.img -c boot/boot.cat -eltorito-alt-boot -b boot/hd.img -hard-disk-boot \
	-eltorito-alt-boot -eltorito-platform PPC -b boot/ppc.bin -no-emul-boot -boot-load-size 3 \
	-eltorito-alt-boot -e boot/efi.img -no-emul-boot
mk grub2 $XM -b boot/grub.bin -c boot/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
	--grub2-boot-info --protective-msdos-label
mk appgpt $XM $ISOL -append_partition 2 0xef r/boot/efi.img -appended_part_as_gpt \
	-eltorito-alt-boot -e --interval:appended_partition_2:all:: -no-emul-boot
mk appmbr $XM $ISOL -append_partition 2 0xef r/boot/efi.img
# genisoimage: a floppy, a hard disk, an entry that is not bootable, EFI
mk gen genisoimage -quiet -b boot/floppy.img -c boot/boot.cat -eltorito-alt-boot \
	-b boot/hd.img -hard-disk-boot -eltorito-alt-boot -b boot/ppc.bin -no-emul-boot -no-boot \
	-boot-load-size 3 -eltorito-alt-boot -e boot/efi.img -no-emul-boot
mk genbit genisoimage -quiet -R $ISOL
mk plain $XM
# and isomk's own (lib/isoboot)
mk isomk-hybrid "$ISOMK" -quiet -R -J $ISOL -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
	-eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat
images="bios hybrid apm multi grub2 appgpt appmbr gen genbit plain isomk-hybrid"
for f in /usr/lib/ipxe/ipxe.iso /usr/lib/grub-rescue/grub-rescue-cdrom.iso; do
	n=$(basename "$f" .iso)
	ln -s "$f" "$n.iso" || exit 1
	images="$images $n"
done
memtest=/usr/lib/memtest86+/memtest86+x64.iso

# check.py XORRISO_REPORT JSON TEXT SFDISK_JSON|-: isoinfo's JSON against
# xorriso's report and sfdisk's, and isoinfo's text against its JSON,
# field by field; says each difference, exits 1 if there is one
cat >check.py <<'EOF' || exit 1
import json, re, sys, uuid

xr, js, tx, sf = sys.argv[1:5]
d = json.load(open(js))
bad = []
def same(what, a, b):
    if a != b:
        bad.append("%s: isoinfo %r, other %r" % (what, a, b))

def guid(h):  # xorriso prints a GUID's 16 bytes in hex, as stored
    return str(uuid.UUID(bytes_le=bytes.fromhex(h))).upper()

# ---- xorriso
x = {"img": {}, "path": {}, "opts": {}, "mbr": {}, "mbrpath": {},
     "gpt": {}, "apm": {}}
summary = None
for line in open(xr):
    m = re.match(r"^(.{19}):\s*(.*)$", line.rstrip("\n"))
    if not m:
        continue
    k, v = m.group(1).strip(), m.group(2).split()
    if k == "El Torito catalog":
        x["catalog"] = int(v[0])
    elif k == "El Torito cat path":
        x["catpath"] = m.group(2).strip()
    elif k == "El Torito boot img":
        x["img"][int(v[0])] = v[1:]
    elif k == "El Torito img path":
        x["path"][int(v[0])] = v[1]
    elif k == "El Torito img opts":
        x["opts"][int(v[0])] = set(v[1:])
    elif k == "System area summary":
        summary = set(v)
    elif k == "MBR partition":
        x["mbr"][int(v[0])] = [int(v[1], 16), int(v[2], 16), int(v[3]), int(v[4])]
    elif k == "MBR partition path":
        x["mbrpath"][int(v[0])] = v[1]
    elif k == "GPT disk GUID":
        x["gpt_guid"] = guid(v[0])
    elif k == "GPT entry array":
        x["gpt_array"] = [int(v[0]), int(v[1])]
        x["gpt_overlap"] = v[2] == "overlapping"
    elif k == "GPT lba range":
        x["gpt_range"] = [int(v[0]), int(v[1]), int(v[2])]
    elif k.startswith("GPT ") and v and v[0].isdigit():
        p = x["gpt"].setdefault(int(v[0]), {})
        if k == "GPT partname local":
            p["name"] = m.group(2).split(None, 1)[1] if len(v) > 1 else ""
        elif k == "GPT partition GUID":
            p["guid"] = guid(v[1])
        elif k == "GPT type GUID":
            p["type"] = guid(v[1])
        elif k == "GPT partition flags":
            p["flags"] = int(v[1], 16)
        elif k == "GPT start and size":
            p["start"], p["size"] = int(v[1]), int(v[2])
        elif k == "GPT partition path":
            p["path"] = v[1]
    elif k == "APM block size":
        x["apm_bs"] = int(v[0])
    elif k in ("APM partition name", "APM partition type", "APM start and size",
               "APM partition path"):
        p = x["apm"].setdefault(int(v[0]), {})
        if k == "APM partition name":
            p["name"] = v[1] if len(v) > 1 else ""
        elif k == "APM partition type":
            p["type"] = v[1]
        elif k == "APM start and size":
            p["start"], p["blocks"] = int(v[1]), int(v[2])
        elif k == "APM partition path":
            p["path"] = v[1]

et = d["el_torito"]
PLTF = {"BIOS": 0, "PPC": 1, "Mac": 2, "UEFI": 0xEF}
EMUL = {"none": 0, "fd1.2": 1, "fd1.4": 2, "fd2.8": 3, "hd": 4}
if "catalog" not in x:
    same("el_torito", et, None)
else:
    same("catalog block", et["catalog"], x["catalog"])
    same("catalog path", et["catalog_path"], x.get("catpath"))
    same("validation", [et["valid"], et["validation_header"], et["checksum_ok"]], [True] * 3)
    same("number of entries", len(et["entries"]), len(x["img"]))
    for n, e in enumerate(et["entries"], 1):
        xi = x["img"].get(n)
        if not xi:
            continue
        w = "entry %d " % n
        pl = PLTF[xi[0]] if xi[0] in PLTF else int(xi[0], 16)
        same(w + "platform", e["platform"], pl)
        same(w + "bootable", e["bootable"], xi[1] == "y")
        same(w + "emulation", e["media"], EMUL[xi[2]])
        same(w + "load segment", e["load_segment"], int(xi[3], 16))
        same(w + "system type", e["system_type"], int(xi[4], 16))
        same(w + "load sectors", e["load_sectors"], int(xi[5]))
        same(w + "image block", e["image_lba"], int(xi[6]))
        same(w + "path", e["path"], x["path"].get(n))
        o = x["opts"].get(n, set())
        bit = e["boot_info_table"]
        same(w + "boot info table", bit is not None, "boot-info-table" in o)
        if bit is not None:
            same(w + "boot info table matches",
                 [bit["pvd_ok"], bit["checksum_ok"], bit["image_lba"]],
                 [True, True, e["image_lba"]])
        same(w + "grub2 boot info", e["grub2_boot_info"], "grub2-boot-info" in o)
        same(w + "isohybrid", e["isohybrid_signature"], "isohybrid-suitable" in o)
    # sections: the entries of each, in order, and the last one marked
    secs = et["sections"]
    same("entries in sections", sum(s["entries"] for s in secs) + 1, len(et["entries"]))
    if secs:
        same("last section", [s["last"] for s in secs], [False] * (len(secs) - 1) + [True])
    k = 1
    for i, s in enumerate(secs, 1):
        for j in range(s["entries"]):
            k += 1
            same("entry %d section" % k, et["entries"][k - 1]["section"], i)
            same("entry %d platform is its section's" % k,
                 et["entries"][k - 1]["platform"], s["platform"])

sa = d["system_area"] or {}
words = summary or set()
mbr, gpt, apm = sa.get("mbr"), sa.get("gpt"), sa.get("apm")
same("MBR", mbr is not None, "MBR" in words)
same("isohybrid", bool(mbr and mbr["isohybrid"]), "isohybrid" in words)
same("GPT", gpt is not None, "GPT" in words)
same("APM", apm is not None, "APM" in words)
if mbr:
    same("MBR partitions",
         {p["number"]: [p["status"], p["type"], p["start"], p["sectors"]] for p in mbr["partitions"]},
         x["mbr"])
    for p in mbr["partitions"]:
        if p["number"] in x["mbrpath"]:
            same("MBR partition %d path" % p["number"], p["path"], x["mbrpath"][p["number"]])
if gpt:
    same("GPT CRCs", [gpt["header_crc_ok"], gpt["entries_crc_ok"]], [True, True])
    same("GPT disk GUID", gpt["disk_guid"], x["gpt_guid"])
    same("GPT entry array", [gpt["entries_lba"], gpt["entries"]], x["gpt_array"])
    same("GPT usable and backup", [gpt["first_usable"], gpt["last_usable"], gpt["alternate_lba"]],
         x["gpt_range"])
    b = sa["gpt_backup"]
    same("backup GPT", [b["header_lba"], b["alternate_lba"], b["header_crc_ok"],
                        b["entries_crc_ok"], b["disk_guid"]],
         [gpt["alternate_lba"], gpt["header_lba"], True, True, gpt["disk_guid"]])
    parts = {p["number"]: p for p in sa["gpt_partitions"]}
    same("GPT partition numbers", sorted(parts), sorted(x["gpt"]))
    for n, xp in x["gpt"].items():
        p = parts.get(n)
        if not p:
            continue
        w = "GPT partition %d " % n
        same(w + "name", p["name"], xp.get("name"))
        same(w + "GUID", p["guid"], xp.get("guid"))
        same(w + "type", p["type_guid"], xp.get("type"))
        same(w + "flags", int(p["flags"], 16), xp.get("flags"))
        same(w + "start, size", [p["start"], p["sectors"]], [xp.get("start"), xp.get("size")])
        if "path" in xp:
            same(w + "path", p["path"], xp["path"])
    same("GPT overlapping", any(p["overlaps"] for p in parts.values()), x["gpt_overlap"])
if apm:
    same("APM block size", apm["block_size"], x["apm_bs"])
    # xorriso leaves out the map's own entry
    mine = [p for p in apm["partitions"] if p["type"] != "Apple_partition_map"]
    same("APM partitions", [[p["name"], p["type"], p["start"], p["blocks"]] for p in mine],
         [[p["name"], p["type"], p["start"], p["blocks"]] for p in x["apm"].values()])
    for p, xp in zip(mine, x["apm"].values()):
        if "path" in xp:
            same("APM path", p["path"], xp["path"])

# ---- sfdisk
if sf != "-":
    t = json.load(open(sf))["partitiontable"]
    if t["label"] == "dos":
        same("sfdisk dos disk id", int(mbr["disk_id"], 16), int(t["id"], 16))
        same("sfdisk dos partitions",
             [[p["start"], p["sectors"], p["type"], p["status"] == 0x80] for p in mbr["partitions"]],
             [[p["start"], p["size"], int(p["type"], 16), p.get("bootable", False)] for p in t["partitions"]])
    else:
        same("sfdisk gpt", [gpt["disk_guid"], gpt["first_usable"], gpt["last_usable"], gpt["entries"]],
             [t["id"], t["firstlba"], t["lastlba"], int(t["table-length"])])
        same("sfdisk gpt partitions",
             [[p["start"], p["sectors"], p["type_guid"], p["guid"], p["name"]] for p in sa["gpt_partitions"]],
             [[p["start"], p["size"], p["type"], p["uuid"], p.get("name", "")] for p in t["partitions"]])
elif mbr or gpt:
    bad.append("sfdisk found no partition table, isoinfo did")

# ---- isoinfo's text against its JSON
text = open(tx).read()
ents = re.findall(r"^    Entry (\d+): (default|section (\d+)), (bootable|not bootable), "
                  r"platform (\d+) \(\w+\), emulation ([\w. ]+), load segment 0x([0-9a-f]+), "
                  r"system type 0x([0-9a-f]+), sectors (\d+), block (\d+)", text, re.M)
EMT = {"none": 0, "1.2M floppy": 1, "1.44M floppy": 2, "2.88M floppy": 3, "hard disk": 4}
same("text entries",
     [[int(e[0]), int(e[2] or 0), e[3] == "bootable", int(e[4]), EMT[e[5]], int(e[6], 16),
       int(e[7], 16), int(e[8]), int(e[9])] for e in ents],
     [[i, e["section"], e["bootable"], e["platform"], e["media"], e["load_segment"],
       e["system_type"], e["load_sectors"], e["image_lba"]]
      for i, e in enumerate((et or {}).get("entries", []), 1)])
mp = re.findall(r"^    MBR partition (\d+): status 0x(\w+), type 0x(\w+), start (\d+), sectors (\d+)",
                text, re.M)
same("text MBR", [[int(a), int(b, 16), int(c, 16), int(s), int(n)] for a, b, c, s, n in mp],
     [[p["number"], p["status"], p["type"], p["start"], p["sectors"]] for p in (mbr or {}).get("partitions", [])])
gp = re.findall(r"^    GPT partition (\d+): type ([0-9A-F-]+).*?, start (\d+), sectors (\d+), name '(.*)', GUID ([0-9A-F-]+)",
                text, re.M)
same("text GPT", [[int(a), b, int(c), int(e), f, g] for a, b, c, e, f, g in gp],
     [[p["number"], p["type_guid"], p["start"], p["sectors"], p["name"], p["guid"]]
      for p in sa.get("gpt_partitions", [])])
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

# report NAME: NAME.x (xorriso), NAME.j (--json), NAME.t (-d), NAME.s (sfdisk)
report() {
	xorriso -indev "$1.iso" -report_el_torito plain -report_system_area plain >"$1.x" 2>&1 || return 1
	"$ISOINFO" -d --json -i "$1.iso" >"$1.j" || return 1
	"$ISOINFO" -d -i "$1.iso" >"$1.t" || return 1
	s=-
	if sfdisk --json "$1.iso" >"$1.s" 2>/dev/null; then s=$1.s; fi
	python3 check.py "$1.x" "$1.j" "$1.t" "$s"
}

for img in $images; do
	test_expect_success "$img: entries, system area as xorriso and sfdisk read them" '
		report $img
	'
	test_expect_success "$img: the cdrtools lines as genisoimage isoinfo -d" '
		isoinfo -d -i $img.iso >$img.g &&
		sed "/^El Torito boot catalog in block /,\$d;/^System area:/,\$d" $img.t |
			grep -v "partition table present$" >$img.m &&
		diff -u $img.g $img.m
	'
done
if [ -r "$memtest" ]; then
	ln -s "$memtest" memtest.iso || exit 1
	test_expect_success 'memtest86+: entries, system area as xorriso and sfdisk read them' '
		report memtest
	'
	test_expect_success 'memtest86+: the EFI image is no file: where MBR partition 2 starts' '
		grep -q "^    Entry 2: section 1, bootable, platform 239 (EFI), .*block 826 (where MBR partition 2 starts)$" memtest.t
	'
else
	test_skip 'memtest86+ image' "$memtest is not installed (not a bootstrap package)"
fi

# ------------------------------------------------------- named facts
test_expect_success 'hybrid: isohybrid MBR, BIOS and EFI entries with paths, a matching boot info table' '
	grep -qx "System area: MBR isohybrid GPT" hybrid.t &&
	grep -q "^    Entry 1: default, bootable, platform 0 (x86), emulation none, .* sectors 4, block [0-9]* (/isolinux/isolinux.bin)$" hybrid.t &&
	grep -q "^    Section 1: platform 239 (EFI), 1 entry, id .*, last$" hybrid.t &&
	grep -q "^    Entry 2: section 1, bootable, platform 239 (EFI), .*(/boot/efi.img)$" hybrid.t &&
	grep -q "^        Boot info table: PVD block 16, image block [0-9]*, length 38912, checksum 0x[0-9a-f]*: matches$" hybrid.t
'
test_expect_success 'the boot info table length is the file size, its block the file block' '
	python3 -c "
import json, os, sys
e = json.load(open(\"hybrid.j\"))[\"el_torito\"][\"entries\"][0][\"boot_info_table\"]
assert e[\"length\"] == os.path.getsize(\"r/isolinux/isolinux.bin\"), e
" && lba=$(xorriso -indev hybrid.iso -find /isolinux/isolinux.bin -exec report_lba 2>/dev/null |
		sed -n "s/^File data lba: *[0-9]* *, *\\([0-9]*\\) ,.*/\\1/p") &&
	test -n "$lba" && grep -q "image block $lba, length" hybrid.t
'
test_expect_success 'grub2: --grub2-boot-info seen, with the boot info table' '
	grep -qx "        GRUB2 boot info at byte 2548: block \\* 4 + 5" grub2.t &&
	grep -qx "        GRUB2 boot info at byte 2548: block \\* 4 + 5" grub-rescue-cdrom.t &&
	! grep -q GRUB2 bios.t
'
test_expect_success 'gen: floppy, hard disk, a not bootable entry, EFI; four sections' '
	grep -q "^    Entry 1: default, bootable, platform 0 (x86), emulation 1.44M floppy," gen.t &&
	grep -q "^    Entry 2: section 1, bootable, platform 0 (x86), emulation hard disk, load segment 0x0000, system type 0x83," gen.t &&
	grep -q "^    Entry 3: section 2, not bootable, platform 0 (x86), emulation none, .*sectors 3, " gen.t &&
	grep -q "^    Entry 4: section 3, bootable, platform 239 (EFI)," gen.t
'
test_expect_success 'appgpt: the EFI image in an appended partition, GPT CRCs and backup' '
	grep -q "^    Entry 2: .* (where GPT partition 2 starts)$" appgpt.t &&
	grep -q "^    Primary GPT header at sector 1 (the other at [0-9]*): .*header CRC valid, entries CRC valid$" appgpt.t &&
	grep -q "^    Backup GPT header at sector [0-9]* (the other at 1): .*header CRC valid, entries CRC valid$" appgpt.t
'
test_expect_success 'on a pipe: the report of what the first 64 blocks hold, no damage said' '
	"$ISOINFO" -d <hybrid.iso >pipe.t 2>pipe.err &&
	test ! -s pipe.err &&
	grep -q "^    Entry 2: section 1, bootable, platform 239 (EFI)" pipe.t
'

# ------------------------------------------------------------- hostile
# patch.py IN OUT WHAT: a copy of IN with one thing broken
cat >patch.py <<'EOF' || exit 1
import struct, sys, zlib
src, dst, what = sys.argv[1:4]
d = bytearray(open(src, "rb").read())
def le32(o): return struct.unpack_from("<I", d, o)[0]
# the boot record: the descriptor with "EL TORITO SPECIFICATION"
br = next(16 * 2048 + i * 2048 for i in range(16)
          if d[16 * 2048 + i * 2048 + 7:16 * 2048 + i * 2048 + 30] == b"EL TORITO SPECIFICATION")
cat = le32(br + 71) * 2048
def gpt_crc(h):
    struct.pack_into("<I", d, h + 16, 0)
    struct.pack_into("<I", d, h + 16, zlib.crc32(bytes(d[h:h + 92])))
if what == "catalog-past-end":
    struct.pack_into("<I", d, br + 71, 0x7ffffff0)
elif what == "no-validation":
    d[cat] = 0
elif what == "checksum":
    d[cat + 28] ^= 0x5a
elif what == "count-65535":  # the first section header
    struct.pack_into("<H", d, cat + 64 + 2, 65535)
elif what == "count-65535-zeros":  # and zeros (entries) after it
    struct.pack_into("<H", d, cat + 64 + 2, 65535)
    d[cat + 128:cat + 4 * 2048] = bytes(4 * 2048 - 128)
elif what == "sections-many":  # the catalog full of sections of one entry
    ent = bytes(d[cat + 96:cat + 128])
    for s in range(3, 3 * 2048 // 32 - 2, 2):
        o = cat + s * 32
        d[o - 32:o] = bytes([0x90, 0xef, 1, 0]) + bytes(28)
        d[o:o + 32] = ent
elif what == "extensions":  # an entry with extensions that never end
    d[cat + 96 + 1] |= 0x20
    for o in range(cat + 128, cat + 2048, 32):
        d[o:o + 2] = bytes([0x44, 0x20])
elif what == "image-past-end":
    struct.pack_into("<I", d, cat + 32 + 8, 0x7ffffff0)
elif what == "bit-changed":  # a byte of the boot image after the table
    lba = le32(cat + 32 + 8)
    d[lba * 2048 + 100] ^= 0xff
elif what == "gpt-entries":  # 2^32 - 1 entries, header CRC right
    struct.pack_into("<I", d, 512 + 80, 0xffffffff)
    gpt_crc(512)
elif what == "gpt-self-backup":  # the backup is the primary itself
    struct.pack_into("<Q", d, 512 + 32, 1)
    gpt_crc(512)
elif what == "gpt-crc":
    d[512 + 56] ^= 1
elif what == "gpt-array-crc":
    d[1024 + 56] ^= 1
elif what == "overlap":  # MBR partitions 1 and 2 share sectors
    d[446:478] = (bytes([0x80, 0, 0, 0, 0x83, 0, 0, 0]) + struct.pack("<II", 0, 1000) +
                  bytes([0, 0, 0, 0, 0xef, 0, 0, 0]) + struct.pack("<II", 500, 1000))
    d[510:512] = b"\x55\xaa"
else:
    sys.exit("unknown patch " + what)
open(dst, "wb").write(d)
EOF

# hostile NAME BASE WHAT: NAME.iso, then isoinfo -d and --json on it with
# their exit statuses in NAME.st and NAME.jst (a sanitizer's is 99)
hostile() {
	python3 patch.py "$2.iso" "$1.iso" "$3" || return 1
	st=0
	timeout 60 "$ISOINFO" -d -i "$1.iso" >"$1.t" 2>"$1.err" || st=$?
	echo $st >"$1.st"
	st=0
	timeout 60 "$ISOINFO" -d --json -i "$1.iso" >"$1.j" 2>"$1.jerr" || st=$?
	echo $st >"$1.jst"
	python3 -c "import json; json.load(open(\"$1.j\"))"
}

test_expect_success 'a catalog past the end of the image: said, exit 1' '
	hostile h-cat hybrid catalog-past-end &&
	test "$(cat h-cat.st)" = 1 && test "$(cat h-cat.jst)" = 1 &&
	grep -qx "isoinfo: h-cat.iso: boot catalog: block 2147483632 lies past the end of the image" h-cat.err &&
	grep -q "^El Torito VD version 1 found, boot catalog is in sector 2147483632$" h-cat.t
'
test_expect_success 'a catalog with no validation entry: said, no entries, exit 1' '
	hostile h-noval hybrid no-validation &&
	test "$(cat h-noval.st)" = 1 &&
	grep -q "^isoinfo: h-noval.iso: boot catalog: no validation entry at the start of block [0-9]* (header 0x00, key 55 aa)$" h-noval.err &&
	grep -qx "    No validation entry" h-noval.t &&
	! grep -q "^    Entry" h-noval.t &&
	python3 -c "
import json; e = json.load(open(\"h-noval.j\"))[\"el_torito\"]
assert e[\"catalog_read\"] and not e[\"validation_header\"] and not e[\"valid\"] and e[\"entries\"] == []
"
'
test_expect_success 'a wrong validation checksum: said, the entries still shown, exit 1' '
	hostile h-sum hybrid checksum &&
	test "$(cat h-sum.st)" = 1 &&
	grep -q "^isoinfo: h-sum.iso: boot catalog: the validation entry.s checksum is wrong (its words sum to 0x[0-9a-f]*, not 0)$" h-sum.err &&
	grep -q "^    Validation entry: platform 0 (x86), id .*, checksum wrong$" h-sum.t &&
	grep -q "^    Entry 2: section 1," h-sum.t &&
	python3 -c "
import json; e = json.load(open(\"h-sum.j\"))[\"el_torito\"]
assert not e[\"valid\"] and not e[\"checksum_ok\"] and e[\"validation_header\"] and len(e[\"entries\"]) == 2
"
'
test_expect_success 'a section claiming 65535 entries, then other data: said, exit 1' '
	hostile h-count hybrid count-65535 &&
	test "$(cat h-count.st)" = 1 &&
	grep -qx "isoinfo: h-count.iso: boot catalog: section 1 claims 65535 entries, only 61 are there (then a record with boot indicator 0xeb)" h-count.err &&
	grep -q "^    Section 1: platform 239 (EFI), 65535 entries (61 there), id .*, last$" h-count.t
'
test_expect_success 'a section claiming 65535 entries, then zeros: a bounded report, said, exit 1' '
	hostile h-count0 hybrid count-65535-zeros &&
	test "$(cat h-count0.st)" = 1 && test "$(cat h-count0.jst)" = 1 &&
	grep -qx "isoinfo: h-count0.iso: boot catalog: section 1 claims 65535 entries, only 253 are there (the catalog is read for 4 blocks)" h-count0.err &&
	grep -qx "isoinfo: h-count0.iso: boot catalog: 254 entries, only the first 128 are shown" h-count0.err &&
	test "$(grep -c "^    Entry " h-count0.t)" = 128 &&
	python3 -c "
import json; d = json.load(open(\"h-count0.j\")); e = d[\"el_torito\"]
assert e[\"sections\"][0][\"entries\"] == 65535 and e[\"sections\"][0][\"found\"] == 253
assert len(e[\"entries\"]) == 128 and len(d[\"problems\"]) == 2, d[\"problems\"]
"
'
test_expect_success 'a catalog of thousands of sections and entries: bounded, said, exit 1' '
	hostile h-many hybrid sections-many &&
	test "$(cat h-many.st)" = 1 &&
	grep -q "^isoinfo: h-many.iso: boot catalog: more than 64 sections: the rest are not read$" h-many.err &&
	test "$(grep -c "^    Entry " h-many.t)" -le 128
'
test_expect_success 'extension records that never end: bounded, exit 0' '
	hostile h-ext hybrid extensions &&
	test "$(cat h-ext.st)" = 0 &&
	grep -q "^    Entry 2: section 1," h-ext.t
'
test_expect_success 'a boot image past the end: said, exit 1' '
	hostile h-img bios image-past-end &&
	test "$(cat h-img.st)" = 1 &&
	grep -qx "isoinfo: h-img.iso: boot entry 1: its image at block 2147483632 lies past the end of the image" h-img.err
'
test_expect_success 'a boot image changed after its boot info table: does not match, exit 1' '
	hostile h-bit bios bit-changed &&
	test "$(cat h-bit.st)" = 1 &&
	grep -q "^        Boot info table: .*: does not match (checksum)$" h-bit.t &&
	grep -qx "isoinfo: h-bit.iso: boot entry 1: its boot info table does not match (the checksum of its bytes differs): the image was changed after it was written?" h-bit.err &&
	python3 -c "
import json; b = json.load(open(\"h-bit.j\"))[\"el_torito\"][\"entries\"][0][\"boot_info_table\"]
assert b[\"checksum_ok\"] is False and b[\"pvd_ok\"] is True
"
'
# five entries whose boot info tables claim 64 MiB each (a sparse file):
# 256 MiB are summed, no more
cat >budget.py <<'EOF' || exit 1
import os, shutil, struct, sys
src, dst = sys.argv[1:3]
shutil.copyfile(src, dst)
f = open(dst, "r+b")
def rd(o, n): f.seek(o); return f.read(n)
def wr(o, b): f.seek(o); f.write(b)
br = next(16 * 2048 + i * 2048 for i in range(16)
          if rd(16 * 2048 + i * 2048 + 7, 23) == b"EL TORITO SPECIFICATION")
cat = struct.unpack("<I", rd(br + 71, 4))[0] * 2048
base = (os.path.getsize(dst) // 2048 + 15) // 16 * 16
wr(cat + 64, bytes([0x91, 0, 5, 0]) + bytes(28))
for k in range(5):
    lba = base + k * 32768
    wr(cat + 96 + 32 * k, bytes([0x88, 0, 0, 0, 0, 0, 4, 0]) + struct.pack("<I", lba) + bytes(20))
    wr(lba * 2048 + 8, struct.pack("<IIII", 16, lba, 64 << 20, 0))
f.truncate((base + 5 * 32768) * 2048)
EOF
test_expect_success 'boot info tables of 5 x 64 MiB: 256 MiB summed, the rest said, exit 1' '
	python3 budget.py bios.iso h-budget.iso &&
	st=0
	"$ISOINFO" -d -i h-budget.iso >h-budget.t 2>h-budget.err || st=$?
	test $st = 1 &&
	test "$(grep -c ": matches$" h-budget.t)" = 4 &&
	test "$(grep -c ": not checked (too many bytes summed already)$" h-budget.t)" = 2 &&
	grep -qx "isoinfo: h-budget.iso: boot entry 5: its boot info table is not checked: 256 MiB of boot images were summed already" h-budget.err &&
	st=0
	"$ISOINFO" -d --json -i h-budget.iso >h-budget.j 2>/dev/null || st=$?
	test $st = 1 &&
	python3 -c "
import json; e = json.load(open(\"h-budget.j\"))[\"el_torito\"][\"entries\"]
assert [x[\"boot_info_table\"][\"checksum_ok\"] for x in e] == [True] * 4 + [None] * 2
assert e[5][\"boot_info_table\"][\"unchecked\"] == \"too many bytes summed already\"
" &&
	rm -f h-budget.iso
'
test_expect_success 'a GPT of 2^32-1 entries: not read, said, exit 1' '
	hostile h-gpt hybrid gpt-entries &&
	test "$(cat h-gpt.st)" = 1 &&
	grep -qx "isoinfo: h-gpt.iso: primary GPT: 4294967295 entries of 128 bytes are more than the 1048576 bytes read: not checked" h-gpt.err &&
	grep -q "^    Primary GPT header .* 4294967295 entries of 128 bytes .*header CRC valid, entries CRC not checked$" h-gpt.t
'
test_expect_success 'a GPT whose backup is itself: said once, exit 1' '
	hostile h-self hybrid gpt-self-backup &&
	test "$(cat h-self.st)" = 1 &&
	grep -qx "isoinfo: h-self.iso: GPT: the header at sector 1 says it is at sector 1 and its backup at 1" h-self.err &&
	test "$(grep -c GPT h-self.err)" = 1 &&
	! grep -q "^    Backup GPT" h-self.t
'
test_expect_success 'a GPT header with a wrong CRC, and entries with one: said, exit 1' '
	hostile h-gcrc hybrid gpt-crc &&
	test "$(cat h-gcrc.st)" = 1 &&
	grep -q "^isoinfo: h-gcrc.iso: GPT: the header.s CRC is wrong" h-gcrc.err &&
	hostile h-acrc hybrid gpt-array-crc &&
	test "$(cat h-acrc.st)" = 1 &&
	grep -qx "isoinfo: h-acrc.iso: primary GPT: the entries. CRC is wrong" h-acrc.err
'
test_expect_success 'overlapping MBR partitions: shown as such, as sfdisk reads them, exit 0' '
	hostile h-ovl bios overlap &&
	test "$(cat h-ovl.st)" = 0 &&
	grep -qx "    MBR partition 1: status 0x80, type 0x83, start 0, sectors 1000, overlaps 2" h-ovl.t &&
	grep -qx "    MBR partition 2: status 0x00, type 0xef, start 500, sectors 1000, overlaps 1" h-ovl.t &&
	sfdisk --json h-ovl.iso >h-ovl.s &&
	python3 -c "
import json
p = json.load(open(\"h-ovl.s\"))[\"partitiontable\"][\"partitions\"]
m = json.load(open(\"h-ovl.j\"))[\"system_area\"][\"mbr\"][\"partitions\"]
assert [[q[\"start\"], q[\"size\"]] for q in p] == [[q[\"start\"], q[\"sectors\"]] for q in m]
assert m[0][\"overlaps\"] == [2] and m[1][\"overlaps\"] == [1]
"
'
test_expect_success 'a cut image: the backup GPT is missing, said, exit 1' '
	head -c 1048576 hybrid.iso >h-cut.iso &&
	st=0
	"$ISOINFO" -d -i h-cut.iso >h-cut.t 2>h-cut.err || st=$?
	test $st = 1 &&
	alt=$(python3 -c "import json; print(json.load(open(\"hybrid.j\"))[\"system_area\"][\"gpt\"][\"alternate_lba\"])") &&
	test "$alt" -gt 2048 &&
	grep -qx "isoinfo: h-cut.iso: GPT: no backup header at sector $alt (the one the primary names)" h-cut.err
'
test_done
