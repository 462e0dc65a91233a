# t/helper/qemuboot.sh: sourced by the tests that boot images (after
# t/test-lib.sh). Boots an image in qemu under software emulation (tcg)
# and says whether a marker showed on the serial console; makes the small
# boot trees those images hold. Recipes measured in issue 12's groundwork:
# a BIOS boot takes about 0.2 s, a UEFI one about 3.5 s.
#
#   boot_image MODE IMAGE MARKER [TIMEOUT]
#	MODE: bios-cd, bios-disk, uefi-cd, uefi-disk. Boots a private copy of
#	IMAGE (an IDE disk cannot be read-only, and nothing the guest does
#	reaches IMAGE), waits until MARKER (a fixed string) shows on the
#	serial console, then stops qemu. 0 when the marker showed, 1 when
#	qemu ended or TIMEOUT seconds (default 30) passed without it. The
#	console, its escape sequences removed, stays in $BOOT_LOG
#	(IMAGE's name.MODE.log in the current directory) for the test to
#	grep. The firmware gives up at once when it finds nothing to boot
#	(SeaBIOS: reboot-timeout=0 with -no-reboot ends qemu; OVMF: the
#	shell it falls back to ends the wait), so a boot that must fail
#	costs about what one that works does.
#   make_isolinux_tree DIR MARKER [SUBDIR]
#	DIR/SUBDIR/ (default DIR/isolinux/) with isolinux.bin, the .c32
#	modules poweroff.c32 needs and an isolinux.cfg (ISOLINUX reads it
#	from its own directory) that prints MARKER on the serial line, then
#	a second line (the last characters before the power goes off are
#	lost on serial), and powers off.
#   make_esp_image FILE MARKER
#	FILE: a FAT image (1440 KiB) holding EFI/BOOT/BOOTX64.EFI, a GRUB
#	standalone EFI program that prints MARKER and a second line, then
#	halts (syslinux.efi 6.04 crashes under Debian's OVMF: not used).
#
# A qemu never outlives its boot_image: it runs under timeout(1) (a hard
# bound a few seconds past TIMEOUT, should everything else fail), is
# stopped once the marker shows, and a trap stops it when the test is
# interrupted (INT, TERM, HUP) or its shell exits; should the test's
# shell be killed alone (even with KILL), the poll sees it gone within
# 50 ms and stops qemu.

# mkfs.vfat lives in /usr/sbin
case ":$PATH:" in
*:/usr/sbin:*) ;;
*) PATH="$PATH:/usr/sbin:/sbin" ;;
esac

QEMUBOOT_ISOLINUX=/usr/lib/ISOLINUX
QEMUBOOT_BIOS_MODULES=/usr/lib/syslinux/modules/bios

# The UEFI firmware: Debian 12's ovmf has OVMF.fd (code and variables in
# one, given with -bios); Debian 13's may have only the split 4 MiB files,
# given as two pflash drives (the variables a private copy, written by
# the firmware). QEMUBOOT_OVMF=pflash prefers the split files.
qemuboot_firmware_() {
	ovmf_code_='' ovmf_vars_=''
	for d_ in /usr/share/OVMF /usr/share/ovmf; do
		if [ -z "$ovmf_code_" ] && [ -f "$d_/OVMF_CODE_4M.fd" ] && [ -f "$d_/OVMF_VARS_4M.fd" ]; then
			ovmf_code_=$d_/OVMF_CODE_4M.fd ovmf_vars_=$d_/OVMF_VARS_4M.fd
		fi
	done
	if [ "${QEMUBOOT_OVMF:-}" != pflash ]; then
		for f_ in /usr/share/ovmf/OVMF.fd /usr/share/OVMF/OVMF.fd /usr/share/qemu/OVMF.fd; do
			if [ -f "$f_" ]; then
				echo "-bios $f_"
				return 0
			fi
		done
	fi
	if [ -n "$ovmf_code_" ]; then
		cp "$ovmf_vars_" "$1" || return 1
		echo "-drive if=pflash,format=raw,unit=0,readonly=on,file=$ovmf_code_ -drive if=pflash,format=raw,unit=1,file=$1"
		return 0
	fi
	echo "qemuboot: no OVMF firmware (package ovmf: /usr/share/ovmf/OVMF.fd or /usr/share/OVMF/OVMF_CODE_4M.fd)" >&2
	return 1
}

# the serial console without escape sequences (SeaBIOS, OVMF and GRUB
# move the cursor and set colours between words)
qemuboot_clean_() {
	sed 's/\x1b\[[0-9;?=]*[A-Za-z]//g; s/\x1b[()][A-Za-z0-9]//g; s/\x1bc//g; s/\r//g' "$1" >"$2"
}

boot_image() {
	mode_=$1 image_=$2 marker_=$3 limit_=${4:-30}
	base_=$(basename "$image_")
	BOOT_LOG=$PWD/$base_.$mode_.log
	copy_=$PWD/.qemuboot.$$.$base_.$mode_
	vars_=$copy_.vars
	raw_=$copy_.raw
	case $mode_ in
	bios-cd) args_="-m 128 -boot order=d,strict=on,reboot-timeout=0 -cdrom $copy_" ;;
	bios-disk) args_="-m 128 -boot order=c,strict=on,reboot-timeout=0 -drive file=$copy_,format=raw,media=disk" ;;
	uefi-cd | uefi-disk)
		fw_=$(qemuboot_firmware_ "$vars_") || return 1
		args_="-m 256 $fw_"
		case $mode_ in
		uefi-cd) args_="$args_ -cdrom $copy_" ;;
		*) args_="$args_ -drive file=$copy_,format=raw,media=disk" ;;
		esac
		;;
	*)
		echo "boot_image: unknown mode '$mode_' (bios-cd, bios-disk, uefi-cd, uefi-disk)" >&2
		return 1
		;;
	esac
	case $copy_ in
	*[\ ,]*)
		echo "boot_image: '$copy_': qemu takes no blank or comma in a file name here" >&2
		return 1
		;;
	esac
	cp "$image_" "$copy_" || return 1
	: >"$raw_"
	# a subshell, so that its traps end with it; set -e (a test body's)
	# would end it at the first kill or wait that fails
	st_=0
	(
		set +e
		pid_=
		stop_() {
			if [ -n "$pid_" ]; then
				kill "$pid_" 2>/dev/null
				wait "$pid_" 2>/dev/null
				pid_=
				qemuboot_clean_ "$raw_" "$BOOT_LOG"
			fi
			rm -f "$copy_" "$vars_" "$raw_"
		}
		trap stop_ EXIT
		trap 'exit 1' INT TERM HUP
		# shellcheck disable=SC2086 # args_ is a list of words
		timeout -k 2 $((limit_ + 5)) qemu-system-x86_64 -accel tcg -nic none \
			-display none -nographic -no-reboot -serial mon:stdio \
			$args_ </dev/null >"$raw_" 2>&1 &
		pid_=$!
		start_=$(date +%s%N)
		found_=1
		while :; do
			running_=0
			kill -0 "$pid_" 2>/dev/null && running_=1
			qemuboot_clean_ "$raw_" "$BOOT_LOG"
			if grep -aqF -e "$marker_" "$BOOT_LOG"; then
				found_=0
				break
			fi
			[ $running_ -eq 1 ] || break
			# the test's shell is gone (killed): so is its boot
			kill -0 $$ 2>/dev/null || break
			# nothing left to boot: SeaBIOS ends qemu by itself; OVMF
			# falls back to its shell, or stops in its boot manager
			if grep -aqE 'Shell> |UEFI Interactive Shell|Boot Manager Menu' "$BOOT_LOG"; then
				break
			fi
			now_=$(date +%s%N)
			[ $(((now_ - start_) / 1000000000)) -lt "$limit_" ] || break
			sleep 0.05
		done
		ms_=$((($(date +%s%N) - start_) / 1000000))
		stop_
		if [ $found_ -eq 0 ]; then
			echo "boot_image: $mode_ $base_: '$marker_' after $ms_ ms"
		else
			echo "boot_image: $mode_ $base_: no '$marker_' in $ms_ ms; the console:"
			tail -n 15 "$BOOT_LOG"
			echo
		fi
		exit $found_
	) || st_=$?
	rm -f "$raw_" "$copy_" "$vars_"
	return $st_
}

make_isolinux_tree() {
	b_=$1/${3:-isolinux}
	mkdir -p "$b_" || return 1
	cp "$QEMUBOOT_ISOLINUX/isolinux.bin" "$b_/" || return 1
	for m_ in ldlinux libcom32 libutil poweroff; do
		cp "$QEMUBOOT_BIOS_MODULES/$m_.c32" "$b_/" || return 1
	done
	printf '%s\n' 'SERIAL 0 115200' "SAY $2" 'SAY ----' 'PROMPT 0' 'TIMEOUT 1' \
		'DEFAULT off' 'LABEL off' '  COM32 poweroff.c32' >"$b_/isolinux.cfg"
}

make_esp_image() {
	d_=$(mktemp -d "$PWD/.esp.XXXXXX") || return 1
	st_=0
	printf '%s\n' "echo $2" 'echo ----' 'halt' >"$d_/grub.cfg" &&
		grub-mkstandalone -O x86_64-efi --install-modules="normal echo halt configfile" \
			--modules="" --locales="" --fonts="" --themes="" -o "$d_/BOOTX64.EFI" \
			"boot/grub/grub.cfg=$d_/grub.cfg" &&
		rm -f "$1" &&
		mkfs.vfat -C -n ESP "$1" 1440 >/dev/null &&
		mmd -i "$1" ::/EFI ::/EFI/BOOT &&
		mcopy -i "$1" "$d_/BOOTX64.EFI" ::/EFI/BOOT/BOOTX64.EFI || st_=$?
	rm -rf "$d_"
	return $st_
}
