#!/bin/sh
# isoinfo -d: the same lines as genisoimage's isoinfo -d on images made by
# isomk, genisoimage and xorriso, with and without Rock Ridge, Joliet and
# El Torito; hybrid MBR and GPT said in lines of their own; the full boot
# report that follows (t0601) is left out of the comparison.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need genisoimage xorriso isoinfo python3
ISOINFO="$top_builddir/tools/isoinfo"

mkdir -p src/boot && random_bytes 8192 src/boot/boot.bin >src/boot/boot.bin &&
	head -c 1474560 /dev/zero >src/boot/floppy.img && head -c 65536 /dev/zero >efi.img &&
	echo hi >src/a

mk() { # mk NAME COMMAND...: make NAME.iso, quietly
	name=$1; shift
	"$@" >/dev/null 2>&1 || echo "# $name: $* failed"
}
mk isomk-plain "$ISOMK" -quiet -o isomk-plain.iso src
mk isomk-rj "$ISOMK" -quiet -R -J -V LABEL -A app -p prep -publisher pub -volset set -o isomk-rj.iso src
mk geniso-plain genisoimage -quiet -o geniso-plain.iso src
mk geniso-rj genisoimage -quiet -R -J -V LABEL -o geniso-rj.iso src
mk geniso-noemul genisoimage -quiet -R -J -b boot/boot.bin -c boot/boot.cat -no-emul-boot \
	-boot-load-size 4 -boot-info-table -o geniso-noemul.iso src
mk geniso-floppy genisoimage -quiet -b boot/floppy.img -c boot/boot.cat -o geniso-floppy.iso src
mk xorriso-mbr xorriso -as mkisofs -quiet -R -J -b boot/boot.bin -no-emul-boot -boot-load-size 4 \
	--protective-msdos-label -o xorriso-mbr.iso src
mk xorriso-efi xorriso -as mkisofs -quiet -R -e boot/floppy.img -no-emul-boot \
	-append_partition 2 0xef efi.img -appended_part_as_gpt -o xorriso-efi.iso src

for img in isomk-plain isomk-rj geniso-plain geniso-rj geniso-noemul geniso-floppy xorriso-mbr xorriso-efi; do
	test_expect_success "-d agrees with genisoimage isoinfo -d: $img" '
		isoinfo -d -i $img.iso >g.$img && "$ISOINFO" -d -i $img.iso >m.$img &&
		sed "/^El Torito boot catalog in block /,\$d;/^System area:/,\$d" m.$img | grep -v "partition table present$" | diff -u g.$img -
	'
done
test_expect_success 'El Torito fields: catalog, platform, emulation, load size, image block' '
	grep -q "^El Torito VD version 1 found, boot catalog is in sector [0-9]" m.geniso-noemul &&
	grep -qx "        Boot media 0 (No Emulation Boot)" m.geniso-noemul &&
	grep -qx "        Nsect 4" m.geniso-noemul &&
	grep -qx "        Boot media 2 (1.44MB Floppy)" m.geniso-floppy &&
	lba=$(xorriso -indev geniso-noemul.iso -find /boot/boot.bin -exec report_lba 2>/dev/null |
		sed -n "s/^File data lba: *[0-9]* *, *\\([0-9]*\\) ,.*/\\1/p" | head -1) &&
	test -n "$lba" && grep -q "^        Bootoff [0-9A-F]* $lba$" m.geniso-noemul
'
test_expect_success 'a hybrid MBR and a GPT are said' '
	grep -qx "Hybrid MBR partition table present" m.xorriso-mbr &&
	! grep -q "GPT" m.xorriso-mbr &&
	grep -qx "GPT partition table present" m.xorriso-efi &&
	! grep -q "partition table" m.geniso-rj
'
test_expect_success '--json -d carries the same facts' '
	"$ISOINFO" -d --json -i geniso-noemul.iso >j &&
	python3 -c "
import json; d = json.load(open(\"j\")); b = d[\"el_torito\"]
assert b[\"valid\"] and b[\"bootable\"] and b[\"media\"] == 0 and b[\"load_sectors\"] == 4
assert b[\"platform_name\"] == \"x86\" and d[\"joliet_level\"] == 3 and d[\"volume_size\"] > 0
" && "$ISOINFO" -d --json -i xorriso-efi.iso >j.efi && python3 -c "
import json, sys; d = json.load(sys.stdin)
assert d[\"gpt\"] and d[\"el_torito\"][\"platform_name\"] == \"EFI\"
" <j.efi
'
test_done
