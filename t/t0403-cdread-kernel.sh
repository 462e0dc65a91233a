#!/bin/sh
# cdread through a real kernel driver (issue 10): ../shared/tools/vmdrive
# boots a qemu guest whose emulated drive (/dev/sr0, real MMC commands
# through sr and sg) holds an image padded as a TAO disc is (the image,
# 150 blocks of zeros, 2 blocks of junk). `cdread dev=/dev/sr0 | md5sum`
# must be the image's md5, as `dd` of the drive is not. With --bad-blocks
# the drive fails reads of blocks 100 and 150: cdread names the first and
# stops (exit 1), or with --noerror fills both with zeros, lists them,
# and every other block is right. An empty drive is exit 3. Guards
# against reading a drive through the block device, where a read of
# several blocks over a bad one came back as a success with wrong data
# (lib/mmcread.h). Three guest runs (about 15 s each); skips where vmdrive
# is not there (a user's clone has no ../shared).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum python3
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
[ -x "$VMDRIVE" ] || skip_all "no vmdrive ($VMDRIVE)"
CDREAD="$top_builddir/tools/cdread"

mkdir -p src || exit 1
random_bytes 600000 src/random.bin >src/random.bin || exit 1
seq 1 50000 >src/numbers || exit 1
"$ISOMK" -quiet -R -J -o t.iso src || exit 1
{ cat t.iso; head -c $((150 * 2048)) /dev/zero; random_bytes 4096 tao.iso; } >tao.iso || exit 1
md5() { md5sum | cut -d" " -f1; }
img_md5=$(md5 <t.iso)
blocks=$(($(stat -c %s t.iso) / 2048))
# the image with blocks 100 and 150 zeroed: what --noerror must give
python3 - t.iso holes.iso <<'EOF' || exit 1
import sys
d = bytearray(open(sys.argv[1], "rb").read())
for b in (100, 150):
    d[b * 2048:(b + 1) * 2048] = bytes(2048)
open(sys.argv[2], "wb").write(d)
EOF
holes_md5=$(md5 <holes.iso)

# the programs' output in the guest: "tag value" lines
"$VMDRIVE" --image tao.iso --bin "$CDREAD" -- '
	cdread dev=/dev/sr0 2>/tmp/err | md5sum | sed "s/ .*//; s/^/copy /"
	cdread -q --md5 /dev/sr0 2>&1 >/dev/null | sed "s/^/md5line /"
	dd if=/dev/sr0 bs=2048 2>/dev/null | md5sum | sed "s/ .*//; s/^/dd /"
	cat /tmp/err | sed "s/^/err /"
' >good.out 2>&1
"$VMDRIVE" --image tao.iso --bad-blocks 100,150 --bin "$CDREAD" -- '
	cdread -q dev=/dev/sr0 >/tmp/o 2>/tmp/err; echo "stop-status $?"
	sed "s/^/stop-err /" /tmp/err
	echo "stop-size $(wc -c </tmp/o)"
	cdread -q --noerror --bad-list /tmp/bl dev=/dev/sr0 >/tmp/o 2>/tmp/err; echo "noerror-status $?"
	sed "s/^/noerror-err /" /tmp/err
	md5sum </tmp/o | sed "s/ .*//; s/^/noerror-md5 /"
	sed "s/^/list /" /tmp/bl
	cdread -q --retries 0 --lba 101 --count 49 dev=/dev/sr0 | md5sum | sed "s/ .*//; s/^/between /"
' >bad.out 2>&1
"$VMDRIVE" --no-medium --bin "$CDREAD" -- '
	cdread dev=/dev/sr0 >/tmp/o 2>/tmp/err; echo "status $?"
	sed "s/^/err /" /tmp/err
	echo "size $(wc -c </tmp/o)"
' >empty.out 2>&1

test_expect_success 'through the kernel: cdread | md5sum is the image md5' '
	grep -qx "copy $img_md5" good.out
'
test_expect_success '... where dd of the drive gives other bytes (padding, run-out)' '
	grep -q "^dd " good.out
	! grep -qx "dd $img_md5" good.out
'
test_expect_success '--md5 says the same on stderr; nothing else is said' '
	grep -qx "md5line cdread: md5 of $((blocks * 2048)) bytes: $img_md5" good.out
	! grep -q "^err " good.out
'
test_expect_success 'a bad block through the driver: exit 1, block 100 named, the blocks before it kept' '
	grep -qx "stop-status 1" bad.out
	grep -q "^stop-err cdread: /dev/sr0: block 100 cannot be read (tried 4 times)" bad.out
	grep -qx "stop-size $((100 * 2048))" bad.out
'
test_expect_success '--noerror: both bad blocks zeros, every other block right, listed, exit 1' '
	grep -qx "noerror-status 1" bad.out
	grep -qx "noerror-md5 $holes_md5" bad.out
	grep -q "^noerror-err cdread:   100$" bad.out
	grep -q "^noerror-err cdread:   150$" bad.out
	grep -qx "list 100 1" bad.out
	grep -qx "list 150 1" bad.out
'
test_expect_success 'the blocks between the bad ones read exactly (no 4 KiB page lost)' '
	grep -qx "between $(dd if=t.iso bs=2048 skip=101 count=49 status=none | md5)" bad.out
'
test_expect_success 'an empty drive: exit 3, said, nothing written' '
	grep -qx "status 3" empty.out
	grep -q "^err cdread: .*no medium" empty.out
	grep -qx "size 0" empty.out
'
test_done
