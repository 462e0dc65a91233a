#!/bin/sh
# A real kernel driver and a drive that answers MMC: ../shared/tools/vmdrive
# boots a small qemu guest with two emulated ATAPI DVD-ROM drives, /dev/sr0
# holding an ISO image (a closed CD-ROM to libburn) and /dev/sr1 empty.
# cdwrite, msinfo and isoinfo run there against /dev/sr*, /dev/sg* and
# Bus,Target,Lun addresses: drive scanning and addressing, the media
# states, refusals from a drive that only reads, and reading the disc
# with libcdio. One guest run for all of it (about 15 s). Skips where
# vmdrive is not there (a user's clone has no ../shared).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum genisoimage
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
[ -x "$VMDRIVE" ] || skip_all "no vmdrive ($VMDRIVE)"
T="$top_builddir/tools"

mkdir -p src/dir && seq 1 200000 >src/dir/numbers && echo hello >src/hello.txt
"$ISOMK" -quiet -R -J -V DRIVETEST -o disc.iso src || bail_out "isomk failed"

# each command's stdout, stderr and status, collected at the end
cat >cmds <<'EOF'
run() { n=$1; shift; "$@" >"o.$n" 2>"e.$n"; echo $? >"s.$n"; }
run scan cdwrite -scanbus
run check cdwrite -checkdrive dev=/dev/sr0
run btl cdwrite -checkdrive dev=0,1,0
run sg cdwrite -atip dev=/dev/sg0
run ata cdwrite -checkdrive dev=ATA:1,0,0
run nodrive cdwrite -checkdrive dev=3,0,0
run several cdwrite -checkdrive
run msinfo msinfo dev=/dev/sr0
run msinfov msinfo -v dev=/dev/sr0
run empty msinfo dev=/dev/sr1
run write cdwrite dev=/dev/sr0 /commands
run blank cdwrite blank=fast dev=/dev/sr0
run writeempty cdwrite dev=1,0,0 /commands
run format cdwrite -format dev=/dev/sr0
run audio sh -c 'head -c 705600 /dev/zero >z.raw && cdwrite -audio dev=/dev/sr0 z.raw'
run infod isoinfo -d dev=/dev/sr0
run infof isoinfo -R -f -i /dev/sr0
run size isoinfo --size -i /dev/sr0
run infoempty isoinfo -d -i /dev/sr1
run infobtl isoinfo -d dev=0,1,0
run infonodrive isoinfo -d dev=3,0,0
run x sh -c 'isoinfo -R -i /dev/sr0 -x /dir/numbers | md5sum'
# a drive another program holds (here a cdwrite counting down its
# gracetime): busy, and said so (its countdown and the wait for it long
# enough for a guest on a loaded machine: the SIGINT ends it)
cdwrite gracetime=120 dev=/dev/sr0 /commands 2>/tmp/holder & h=$!
i=0; while ! grep -q "writing in" /tmp/holder && [ $i -lt 600 ]; do usleep 100000; i=$((i + 1)); done
run busy cdwrite -checkdrive dev=/dev/sr0
run busyms msinfo dev=/dev/sr0
kill -INT $h; wait $h; echo $? >s.holder
# last: take sr1 away (the kernel forgets the device), leaving one drive
echo 1 >/sys/block/sr1/device/delete
run only cdwrite -checkdrive
run envdev env CDPIPE_DEVICE=0,1,0 msinfo -v
for f in s.* o.* e.*; do echo "==> $f"; cat "$f"; done
EOF
st=0
"$VMDRIVE" --image disc.iso --bin "$T/cdwrite" --bin "$T/msinfo" --bin "$T/isoinfo" \
	-- "$(cat cmds)" >guest.out 2>guest.err || st=$?
if [ $st -eq 2 ] && grep -q 'missing packages' guest.err; then
	skip_all "vmdrive needs packages: $(cat guest.err)"
fi
mkdir out && awk '/^==> /{f="out/" $2; printf "" >f; next} f{print >f}' guest.out

test_expect_success 'the guest ran and reported back' '
	cat guest.err; test $st -eq 0 && test -s out/s.scan
'
is() { test "$(cat "out/s.$1")" = "$2" || { echo "$1: exit $(cat "out/s.$1"), wanted $2"; cat "out/e.$1"; false; }; }
test_expect_success '-scanbus finds both drives (libburn scans in a thread: asked until done)' '
	is scan 0 && cat out/o.scan &&
	grep -q "^dev=/dev/sr0 or dev=0,1,0.*QEMU DVD-ROM.*reads only" out/o.scan &&
	grep -q "^dev=/dev/sr1 or dev=1,0,0" out/o.scan
'
test_expect_success '-checkdrive: the drive by /dev/sr0, Bus,Target,Lun and ATA:B,T,L' '
	is check 0 && is btl 0 && is ata 0 &&
	grep -qx "Product: QEMU DVD-ROM" out/o.check &&
	grep -qx "Writes: nothing (a reader)" out/o.check &&
	grep -qx "Device: /dev/sr0" out/o.btl && grep -qx "Device: /dev/sr1" out/o.ata
'
test_expect_success '-atip through /dev/sg0: a closed CD-ROM' '
	is sg 0 && grep -qx "Device: /dev/sr0" out/o.sg &&
	grep -qx "Medium: CD-ROM" out/o.sg && grep -qx "State: closed" out/o.sg
'
test_expect_success 'a Bus,Target,Lun with no drive: exit 3 and the drives listed' '
	is nodrive 3 && grep -q "no drive at SCSI bus 3, target 0, lun 0" out/e.nodrive &&
	grep -q "^dev=/dev/sr0 or dev=0,1,0" out/e.nodrive
'
test_expect_success 'no dev= with two drives: exit 2, asks for one, lists them' '
	is several 2 && grep -q "there are several" out/e.several &&
	grep -q "^dev=/dev/sr1 or dev=1,0,0" out/e.several
'
test_expect_success 'no dev= with one drive: that drive' '
	is only 0 && grep -qx "Device: /dev/sr0" out/o.only
'
test_expect_success 'CDPIPE_DEVICE names the drive when dev= is not given' '
	is envdev 3 && grep -q "CD-ROM, closed" out/e.envdev
'
test_expect_success 'msinfo on a closed disc: exit 3, nothing on stdout' '
	is msinfo 3 && ! test -s out/o.msinfo && grep -q "closed" out/e.msinfo
'
test_expect_success 'msinfo -v: the medium, its one session and track (the image size)' '
	blocks=$(( $(stat -c %s disc.iso) / 2048 )) &&
	grep -q "CD-ROM, closed" out/e.msinfov &&
	grep -q "session 1: start 0, $blocks blocks" out/e.msinfov &&
	grep -q "track 1 (session 1): start 0, $blocks blocks, data" out/e.msinfov
'
test_expect_success 'msinfo with no medium: exit 3, says so' '
	is empty 3 && ! test -s out/o.empty && grep -q "no medium" out/e.empty
'
test_expect_success 'cdwrite (data and -audio), blank= and -format on a drive that only reads: exit 3, says so' '
	is write 3 && is blank 3 && is writeempty 3 && is format 3 && is audio 3 &&
	grep -q "only reads: it cannot write any medium" out/e.write &&
	grep -q "only reads" out/e.blank && grep -q "only reads" out/e.writeempty
'
test_expect_success 'isoinfo -d on /dev/sr0 (libcdio) agrees with genisoimage isoinfo on the image' '
	is infod 0 && grep -qx "Volume id: DRIVETEST" out/o.infod &&
	/usr/bin/isoinfo -d -i disc.iso >d.host && grep "^Volume size is" d.host >want &&
	grep "^Volume size is" out/o.infod | diff - want
'
test_expect_success 'isoinfo dev=Bus,Target,Lun (lib/device, as msinfo and cdwrite): the drive itself' '
	is infobtl 0 && test -s out/o.infobtl && cmp out/o.infod out/o.infobtl
'
test_expect_success 'isoinfo dev=3,0,0: exit 3, the words cdwrite says' '
	is infonodrive 3 && is nodrive 3 &&
	head -n 1 out/e.infonodrive | sed "s/^isoinfo: //" >w.isoinfo &&
	head -n 1 out/e.nodrive | sed "s/^cdwrite: //" | cmp - w.isoinfo
'
test_expect_success 'isoinfo on the empty drive: exit 3, says so' '
	is infoempty 3 && cat out/e.infoempty && test -s out/e.infoempty
'
test_expect_success 'isoinfo -f, --size and -x read from the drive match the image' '
	is infof 0 && is size 0 && is x 0 &&
	"$T/isoinfo" -R -f -i disc.iso >f.host && diff f.host out/o.infof &&
	test "$(cat out/o.size)" = "$(stat -c %s disc.iso)" &&
	test "$(cut -c1-32 out/o.x)" = "$(md5sum <src/dir/numbers | cut -c1-32)"
'
test_expect_success 'a drive another program holds: cdwrite and msinfo say it is busy (exit 3), the holder ends on SIGINT (130)' '
	is busy 3 && grep -q "the drive is busy: another program is using it" out/e.busy &&
	is busyms 3 && grep -q "busy" out/e.busyms && is holder 130
'
test_done
