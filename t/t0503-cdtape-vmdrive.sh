#!/bin/sh
# cdtape (issue 11) on a drive that really writes: ../shared/tools/vmdrive
# --writer gives its qemu guest tgt's emulated DVD writer holding a blank
# DVD+R, which libburn writes through the kernel's sr/sg driver. In the
# guest, `tar cf - tree | cdtape save dev=$WRITER`: the disc is written
# once, front to back (header with "trailer" set, the payload, the final
# header after it), and closed. Then, on the host, the file that holds
# the disc as the drive wrote it is read as lib/tape.h says, with dd and
# od alone, and with `cdtape restore`, `verify` and `list --json`: the tar
# comes back byte for byte. In a second guest run the same disc is read
# through the writer (whose READ TOC gives the track no length: the
# trailer is found by READ CAPACITY) and through qemu's ATAPI DVD-ROM
# holding a copy; a second save on the written DVD+R is refused, both
# right after the burn and in the later run, and changes nothing.
# The tar is GNU tar's (copied into the guest, and called there as
# /bin/tar: busybox sh runs its own applet for a bare `tar`), made the same on the host
# and in the guest (names sorted, owners and dates fixed), with 512-byte
# records so that the payload ends inside a block. Two guest runs (about
# 15 s each); skips where vmdrive is not there (a user's clone has no
# ../shared).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need tar sha256sum cmp od dd diff
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
[ -x "$VMDRIVE" ] || skip_all "no vmdrive ($VMDRIVE)"
T="$top_builddir/tools"
CDTAPE="$T/cdtape"
TAR=$(command -v tar)

mkdir -p tree/sub || exit 1
random_bytes 3000000 tree/random.bin >tree/random.bin || exit 1
seq 1 100000 >tree/sub/numbers || exit 1
random_bytes 777 tree/sub/odd.bin >tree/sub/odd.bin || exit 1
: >tree/empty || exit 1
ln -s sub/numbers tree/link || exit 1
chmod 755 tree tree/sub || exit 1
chmod 644 tree/random.bin tree/sub/numbers tree/sub/odd.bin tree/empty || exit 1
# the same tar from the same tree, on the host and in the guest
DET='--format=gnu --sort=name --owner=0 --group=0 --numeric-owner --mtime=@1000000000 -b 1'
# shellcheck disable=SC2086
tar $DET -cf t.tar tree || exit 1
size=$(stat -c %s t.tar)
# a payload that ends inside a 2048-byte block: zeros up to its end,
# then the trailer (2 KiB more in a file of its own makes it so)
if [ $((size % 2048)) -eq 0 ]; then
	random_bytes 1000 tree/sub/shift.bin >tree/sub/shift.bin || exit 1
	chmod 644 tree/sub/shift.bin || exit 1
	# shellcheck disable=SC2086
	tar $DET -cf t.tar tree || exit 1
	size=$(stat -c %s t.tar)
fi
sha() { sha256sum | cut -d" " -f1; }
tar_sha=$(sha <t.tar)
blocks=$(((size + 2047) / 2048))

guest() { # NAME COMMANDS [VMDRIVE OPTIONS]: COMMANDS in the guest, results in NAME/
	name=$1 cmds=$2
	shift 2
	st=0
	"$VMDRIVE" "$@" --writer disc.img --bin "$CDTAPE" --bin "$T/msinfo" \
		--bin "$TAR" --file tree=/tree --file t.tar=/t.tar \
		-- "$cmds" >"$name.out" 2>"$name.err" || st=$?
	if [ $st -eq 2 ] && grep -q 'missing packages' "$name.err"; then
		skip_all "vmdrive needs packages: $(cat "$name.err")"
	fi
	mkdir -p "$name" &&
		awk -v d="$name" '/^==> /{f=d "/" $2; printf "" >f; next} f{print >f}' "$name.out"
	return $st
}
# each command's stdout, stderr and status, collected at the end
RUN='run() { n=$1; shift; "$@" >"/tmp/o.$n" 2>"/tmp/e.$n"; echo $? >"/tmp/s.$n"; }'
DUMP='cd /tmp && for f in s.* o.* e.*; do echo "==> $f"; cat "$f"; done'
is() { # DIR NAME STATUS
	test "$(cat "$1/s.$2")" = "$3" || {
		echo "$2: exit $(cat "$1/s.$2"), wanted $3"
		cat "$1/e.$2"
		false
	}
}
# a field of the 2048-byte block B of FILE: num FILE B OFFSET (8 bytes)
num() { dd if="$1" bs=1 skip=$(($2 * 2048 + $3)) count=8 2>/dev/null | od -An -tu8 --endian=big | tr -d " "; }
flags() { od -An -tu1 -j $(($2 * 2048 + 47)) -N1 "$1" | tr -d " "; }

: >disc.img || exit 1
guest r1 "$RUN
run tar sh -c '/bin/tar $DET -cf - -C / tree | sha256sum'
run save sh -c '/bin/tar $DET -cf - -C / tree | cdtape save -v dev=\$WRITER'
run msinfo msinfo -v dev=\$WRITER
run again cdtape save dev=\$WRITER </t.tar
$DUMP" --no-medium
r1=$?
test_expect_success 'guest run 1 ran' 'cat r1.err; test $r1 -eq 0 && test -s r1/s.save'
test_expect_success 'the guest made the same tar as the host (GNU tar, names sorted, owners and dates fixed)' '
	test "$(cut -d" " -f1 r1/o.tar)" = "$tar_sha"
'
test_expect_success 'tar cf - tree | cdtape save dev=WRITER on a blank DVD+R: exit 0, written once, the sha256 of the tar said' '
	is r1 save 0
	grep -q "DVD+R, blank; writing at block 0" r1/e.save
	grep -q "saved $size bytes in 1 volume, sha256 $tar_sha" r1/e.save
'
test_expect_success 'the drive says the disc is written and closed: msinfo exit 3' '
	is r1 msinfo 3
	grep -q "closed" r1/e.msinfo
'
test_expect_success 'a second save right after the burn: refused (exit 3), naming the cdtape archive there' '
	is r1 again 3
	grep -q "holds volume 1 of a cdtape archive" r1/e.again
	test "$(grep -c "writing at block" r1/e.again)" -eq 0
'
test_expect_success 'the disc as the drive wrote it: header (trailer set, complete clear), the tar, zeros, the final header (complete, last, trailer), zeros to a 16-block boundary' '
	test $((size % 2048)) -ne 0
	test "$(head -c 14 disc.img)" = "CDPIPE-CDTAPE"
	test "$(flags disc.img 0)" -eq 4
	test "$(num disc.img 0 56)" -eq 0
	test "$(num disc.img 0 48)" -eq 2048
	cmp -n $size disc.img t.tar 2048 0
	test "$(tail -c +$((2048 + size + 1)) disc.img | head -c $((blocks * 2048 - size)) | tr -d "\0" | wc -c)" -eq 0
	test "$(dd if=disc.img bs=2048 skip=$((blocks + 1)) count=1 2>/dev/null | head -c 14)" = "CDPIPE-CDTAPE"
	test "$(flags disc.img $((blocks + 1)))" -eq 7
	test "$(num disc.img $((blocks + 1)) 56)" -eq $size
	test "$(tail -c +$(((blocks + 2) * 2048 + 1)) disc.img | tr -d "\0" | wc -c)" -eq 0
	n=$(($(stat -c %s disc.img) / 2048))
	test $((n % 16)) -eq 0
	test $n -lt $((blocks + 2 + 16))
'
test_expect_success 'read with dd and od alone, as lib/tape.h says: the payload of the trailer is the tar, its sha256 the trailer'"'"'s' '
	b=$((blocks + 1))
	off=$(num disc.img $b 48)
	len=$(num disc.img $b 56)
	tail -c +$((off + 1)) disc.img | head -c "$len" >dd.tar
	cmp dd.tar t.tar
	sum=$(dd if=disc.img bs=1 skip=$((b * 2048 + 80)) count=32 2>/dev/null | od -An -tx1 | tr -d " \n")
	test "$sum" = "$tar_sha"
'
test_expect_success 'cdtape restore dev=FILE gives the tar back byte for byte; tar extracts the tree' '
	"$CDTAPE" restore -q dev=disc.img >out.tar
	cmp out.tar t.tar
	mkdir x
	tar -xf out.tar -C x
	diff -r x/tree tree
'
test_expect_success 'cdtape verify dev=FILE: exit 0, the sha256 matches' '
	"$CDTAPE" verify dev=disc.img 2>verify.err
	grep -q "volume 1: $size bytes, sha256 matches" verify.err
'
test_expect_success 'cdtape list --json dev=FILE: written_once, complete, last, the length and sha256 of the tar' '
	"$CDTAPE" list --json dev=disc.img >list.json
	grep -q "\"complete\":true,\"last\":true,\"written_once\":true," list.json
	grep -q "\"payload_length\":$size,\"total_length\":$size,\"sha256\":\"$tar_sha\"," list.json
'

cp disc.img before.img || exit 1
cp disc.img sr0.img || exit 1
guest r2 "$RUN
run list cdtape list --json dev=\$WRITER
run verify cdtape verify dev=\$WRITER
run restore cdtape restore -q dev=\$WRITER
run sum sha256sum /tmp/o.restore
run again cdtape save dev=\$WRITER </t.tar
run msinfo msinfo dev=\$WRITER
run list0 cdtape list --json dev=/dev/sr0
run verify0 cdtape verify dev=/dev/sr0
run restore0 cdtape restore -q dev=/dev/sr0
run sum0 sha256sum /tmp/o.restore0
rm /tmp/o.restore /tmp/o.restore0
$DUMP" --image sr0.img
r2=$?
test_expect_success 'guest run 2 ran' 'cat r2.err; test $r2 -eq 0 && test -s r2/s.sum0'
test_expect_success 'the writer in a later run: list --json finds the trailer (written_once, complete, the sha256 of the tar)' '
	is r2 list 0
	grep -q "\"complete\":true,\"last\":true,\"written_once\":true," r2/o.list
	grep -q "\"payload_length\":$size,\"total_length\":$size,\"sha256\":\"$tar_sha\"," r2/o.list
'
test_expect_success 'the writer: verify exit 0, restore gives the tar back (sha256 through the kernel driver)' '
	is r2 verify 0
	grep -q "volume 1: $size bytes, sha256 matches" r2/e.verify
	is r2 restore 0
	test "$(cut -d" " -f1 r2/o.sum)" = "$tar_sha"
'
test_expect_success 'a second save on the written DVD+R: refused (exit 3), naming the cdtape archive there; the disc is still closed' '
	is r2 again 3
	grep -q "holds volume 1 of a cdtape archive" r2/e.again
	is r2 msinfo 3
'
test_expect_success 'nothing changed on the disc by the refused saves' 'cmp disc.img before.img'
test_expect_success 'the disc in qemu'"'"'s ATAPI DVD-ROM (/dev/sr0): list, verify, restore: the tar back' '
	is r2 list0 0
	grep -q "\"complete\":true,\"last\":true,\"written_once\":true," r2/o.list0
	is r2 verify0 0
	is r2 restore0 0
	test "$(cut -d" " -f1 r2/o.sum0)" = "$tar_sha"
'
test_done
