#!/bin/sh
# bench/isomk-bench.sh: isomk beside genisoimage and xorriso -as mkisofs,
# same options (-R -J), output to a pipe, alternating in one run; prints
# median wall times and ratios (below 1.0: isomk is faster).
#
#   make bench                          all the cases
#   bench/isomk-bench.sh BUILDDIR [big|tree|million|boot|zisofs]...
#
# Inputs are made once under $CDPIPE_BENCH_DIR (default /var/tmp/cdpipe-bench):
#   big      2 GiB in two random files
#   tree     >= 15,000 files: copies of /usr/include and /usr/share/doc
#   million  1,000,000 empty files in 1,000 directories (memory per file)
#   boot     big, made bootable (BIOS, UEFI, hybrid): with and without the
#            boot options, and xorriso with them
#   zisofs   2 GiB in 64 files, half text and half random in 64 KiB runs,
#            compressed: isomk --zisofs beside xorriso -set_filter_r
#            --zisofs (the same libisofs filter); CDPIPE_BENCH_ZISOFS_MIB
#            makes it smaller (say 256 for a quick look)
set -eu
builddir=${1:-.}
shift || true
cases=${*:-big tree million boot zisofs}
ISOMK="$builddir/tools/isomk"
dir=${CDPIPE_BENCH_DIR:-/var/tmp/cdpipe-bench}
runs=${CDPIPE_BENCH_RUNS:-5}
mkdir -p "$dir"
export LC_ALL=C

. "$(dirname "$0")/lib.sh"
need genisoimage xorriso
plain_build "$ISOMK"

case_big() {
	data_big
	d=$dir/big
	bench isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null" \
		genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null" \
		xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" 2>/dev/null | cat >/dev/null" \
		cat-cat "cat \"$d/a\" \"$d/b\" | cat >/dev/null" >"$dir/big.txt"
	report "2 GiB in two files, to a pipe" "$dir/big.txt" isomk
}

case_tree() {
	data_tree
	d=$dir/tree
	files=$(find "$d" -type f | wc -l)
	echo "   tree: $files files, $(du -sh "$d" | cut -f1)"
	bench isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null" \
		genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null" \
		xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" 2>/dev/null | cat >/dev/null" >"$dir/tree.txt"
	report "a tree of $files files, to a pipe" "$dir/tree.txt" isomk
}

case_million() {
	data_million
	d=$dir/million
	echo "== 1,000,000 empty files (-R -J, to a pipe): wall time and peak memory"
	peak isomk "\"$ISOMK\" -quiet -R -J \"$d\" | cat >/dev/null"
	peak genisoimage "genisoimage -quiet -R -J \"$d\" | cat >/dev/null"
	peak xorriso "xorriso -as mkisofs -quiet -R -J \"$d\" | cat >/dev/null"
}

# A bootable image of the 2 GiB tree: BIOS (isolinux, boot info table),
# UEFI (an EFI system partition image as a second El Torito entry) and a
# hybrid MBR and GPT, as live-build makes them. The boot files are small:
# isomk with these options must be no slower than isomk without them, and
# is set beside xorriso -as mkisofs with the same options.
data_boot() { # isolinux and an EFI system partition image, beside big/
	b=$dir/bootfiles
	if [ ! -f "$b/boot/efi.img" ]; then
		rm -rf "$b" && mkdir -p "$b/isolinux" "$b/boot"
		cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$b/isolinux/"
		printf 'DEFAULT linux\n' >"$b/isolinux/isolinux.cfg"
		PATH="$PATH:/usr/sbin:/sbin" mkfs.vfat -C -n ESP "$b/boot/efi.img.new" 2880 >/dev/null
		mv "$b/boot/efi.img.new" "$b/boot/efi.img"
	fi
}

case_boot() {
	data_big
	data_boot
	d=$dir/big
	b=$dir/bootfiles
	boot="-b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table"
	boot="$boot -eltorito-alt-boot -e boot/efi.img -no-emul-boot"
	boot="$boot -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin -isohybrid-gpt-basdat"
	# each command must work: a refused option would time nothing
	"$ISOMK" -quiet -R -J $boot "$b" >/dev/null
	bench isomk-boot "\"$ISOMK\" -quiet -R -J $boot \"$d\" \"$b\" | cat >/dev/null" \
		isomk-no-boot "\"$ISOMK\" -quiet -R -J \"$d\" \"$b\" | cat >/dev/null" \
		xorriso-boot "xorriso -as mkisofs -quiet -R -J $boot \"$d\" \"$b\" 2>/dev/null | cat >/dev/null" >"$dir/boot.txt"
	report "a bootable image (BIOS, UEFI, hybrid MBR and GPT) of 2 GiB in two files, to a pipe" \
		"$dir/boot.txt" isomk-boot
}

data_zisofs() { # compressible data, $1 MiB in 64 files
	d=$dir/zisofs-$1
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d" && mkdir -p "$d"
		python3 - "$d" "$1" <<'PY'
import os, sys
top, mib = sys.argv[1], int(sys.argv[2])
text = b""
for root, _, files in os.walk("/usr/include"):
    for f in sorted(files):
        try:
            text += open(os.path.join(root, f), "rb").read()
        except OSError:
            pass
        if len(text) > 8 << 20:
            break
    if len(text) > 8 << 20:
        break
run, per = 64 << 10, (mib << 20) // 64
for i in range(64):
    with open(os.path.join(top, "f%02d" % i), "wb") as out:
        at = (i * 1234567) % (len(text) - run)
        for k in range(per // run // 2):
            out.write(text[at:at + run])
            out.write(os.urandom(run))
            at = (at + run) % (len(text) - run)
PY
		touch "$d/.done"
	fi
	cat "$d"/f* >/dev/null
}

case_zisofs() {
	mib=${CDPIPE_BENCH_ZISOFS_MIB:-2048}
	data_zisofs "$mib"
	d=$dir/zisofs-$mib
	bench isomk "\"$ISOMK\" -quiet --zisofs \"$d\" | cat >/dev/null" \
		xorriso "xorriso -outdev - -map \"$d\" / -set_filter_r --zisofs / -- -commit 2>/dev/null | cat >/dev/null" \
		>"$dir/zisofs.txt"
	report "$mib MiB compressed with zisofs, to a pipe" "$dir/zisofs.txt" isomk
}

for c in $cases; do
	"case_$c"
done
