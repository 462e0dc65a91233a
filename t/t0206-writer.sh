#!/bin/sh
# A drive that really writes: ../shared/tools/vmdrive --writer gives its
# qemu guest a SCSI DVD writer (tgt's MMC emulation) holding a blank DVD+R
# that takes a burn through the kernel's sr/sg driver; afterwards the
# file on the host holds exactly what was written. Five guest runs:
#   1. on a blank DVD+R: -dummy and blank= refused before anything is
#      written, -sao refused by the drive with advice, then the image
#      written with --verify and progress;
#   2. the same disc again: closed, so msinfo and cdwrite say so (exit 3);
#   3. a fresh disc written from isomk through a pipe;
#   4. SIGINT in the middle of a burn on a fresh disc;
#   5. an ISO stream cut short (the producer died) on a fresh disc.
# Skips where vmdrive is not there (a user's clone has no ../shared).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum cmp
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
[ -x "$VMDRIVE" ] || skip_all "no vmdrive ($VMDRIVE)"
T="$top_builddir/tools"

mkdir -p src/dir && seq 1 300000 >src/dir/numbers && echo hello >src/hello.txt &&
	random_bytes 3000000 src/noise >src/noise || bail_out "cannot make the source tree"
"$ISOMK" -quiet -R -J -V WRITETEST -o t.iso src || bail_out "isomk failed"
size=$(stat -c %s t.iso)

guest() { # NAME DISC COMMANDS: run COMMANDS in the guest, results in NAME/
	st=0
	"$VMDRIVE" --no-medium --writer "$2" --bin "$T/cdwrite" --bin "$T/msinfo" \
		--bin "$T/isomk" --file t.iso=/t.iso --file src=/src \
		-- "$3" >"$1.out" 2>"$1.err" || st=$?
	if [ $st -eq 2 ] && grep -q 'missing packages' "$1.err"; then
		skip_all "vmdrive needs packages: $(cat "$1.err")"
	fi
	mkdir -p "$1" && awk -v d="$1" '/^==> /{f=d "/" $2; printf "" >f; next} f{print >f}' "$1.out"
	return $st
}
# each command's stdout, stderr and status, collected at the end
RUN='run() { n=$1; shift; "$@" >"/tmp/o.$n" 2>"/tmp/e.$n"; echo $? >"/tmp/s.$n"; }'
DUMP='cd /tmp && for f in s.* o.* e.*; do echo "==> $f"; cat "$f"; done'
is() { # DIR NAME STATUS
	test "$(cat "$1/s.$2")" = "$3" || {
		echo "$2: exit $(cat "$1/s.$2"), wanted $3"; cat "$1/e.$2"; false; }
}

: >disc1.img
guest r1 disc1.img "$RUN
run dummy cdwrite -dummy dev=\$WRITER /t.iso
run blank cdwrite blank=fast dev=\$WRITER
run sao cdwrite -sao dev=\$WRITER /t.iso
run write cdwrite -v --progress --verify dev=\$WRITER /t.iso
$DUMP"
r1=$?
test_expect_success 'guest run 1 ran' 'cat r1.err; test $r1 -eq 0 && test -s r1/s.write'
test_expect_success '-dummy on a DVD+R: refused before anything is written (exit 3)' '
	is r1 dummy 3 && grep -q "cannot be written in simulation (-dummy)" r1/e.dummy &&
	! grep -q "writing at block" r1/e.dummy
'
test_expect_success 'blank= on a DVD+R: it cannot be blanked (exit 3)' '
	is r1 blank 3 && grep -q "cannot be blanked (DVD+R)" r1/e.blank
'
test_expect_success '-sao: the drive refuses RESERVE TRACK; the advice names -tao (exit 1)' '
	is r1 sao 1 && grep -q "with -tao" r1/e.sao
'
test_expect_success 'cdwrite -v --verify dev=WRITER image: progress with FIFO and drive buffer, read back, all match' '
	is r1 write 0 && tr "\r" "\n" <r1/e.write | grep -q "fifo [0-9]*%, buffer [0-9]*%" &&
	grep -q "verify: [0-9]* blocks read back and compared: all match" r1/e.write
'
test_expect_success 'the disc holds the image byte for byte (then zeros: libburn rounds a DVD track to 16 blocks)' '
	cmp -n $size disc1.img t.iso &&
	test "$(tail -c +$((size + 1)) disc1.img | tr -d "\0" | wc -c)" -eq 0 &&
	test $(( ($(stat -c %s disc1.img) - size) / 2048 )) -lt 16
'

guest r2 disc1.img "$RUN
run msinfo msinfo -v dev=\$WRITER
run again cdwrite dev=\$WRITER /t.iso
run blank cdwrite blank=fast dev=\$WRITER
$DUMP"
r2=$?
test_expect_success 'guest run 2 ran' 'cat r2.err; test $r2 -eq 0 && test -s r2/s.again'
test_expect_success 'the written disc is closed: msinfo exit 3, cdwrite refuses (3), blank= cannot (3)' '
	is r2 msinfo 3 && grep -q "closed" r2/e.msinfo &&
	is r2 again 3 && grep -q "closed" r2/e.again &&
	is r2 blank 3 && grep -q "cannot be blanked" r2/e.blank
'
test_expect_success 'nothing was written by the refusals' 'cmp -n $size disc1.img t.iso'

: >disc2.img
guest r3 disc2.img "$RUN
run pipe sh -c 'isomk -quiet -R -J -V PIPED /src | tee /tmp/p.iso | cdwrite -v --verify dev=\$WRITER -'
run sum sh -c 'stat -c %s /tmp/p.iso; md5sum </tmp/p.iso'
$DUMP"
r3=$?
test_expect_success 'guest run 3 ran' 'cat r3.err; test $r3 -eq 0 && test -s r3/s.pipe'
test_expect_success 'isomk ... | cdwrite dev=WRITER -: exit 0, read back, all match' '
	is r3 pipe 0 && grep -q "all match" r3/e.pipe
'
test_expect_success 'that disc holds the stream byte for byte' '
	n=$(head -n 1 r3/o.sum) && test "$n" -gt 0 &&
	test "$(head -c $n disc2.img | md5sum | cut -c1-32)" = "$(sed -n 2p r3/o.sum | cut -c1-32)"
'

# the SIGINT once cdwrite -v says it writes (a signal before its read-ahead
# has ended is no cancel of a burn), 2 s into the burn
: >disc3.img
guest r4 disc3.img "$RUN
up() { cut -d' ' -f1 /proc/uptime; }
mkfifo /tmp/in
cdwrite -v dev=\$WRITER - </tmp/in 2>/tmp/e.int & pid=\$!
{ dd if=/t.iso bs=65536 count=24 2>/dev/null; sleep 30; } >/tmp/in & feed=\$!
i=0; while ! grep -q 'writing at block' /tmp/e.int && [ \$i -lt 600 ]; do usleep 100000; i=\$((i + 1)); done
sleep 2; t0=\$(up); kill -INT \$pid
i=0; while kill -0 \$pid 2>/dev/null && [ \$i -lt 150 ]; do usleep 100000; i=\$((i + 1)); done
echo \$t0 \$(up) >/tmp/o.int; wait \$pid; echo \$? >/tmp/s.int; kill \$feed
run after cdwrite -atip dev=\$WRITER
$DUMP"
r4=$?
test_expect_success 'guest run 4 ran' 'cat r4.err; test $r4 -eq 0 && test -s r4/s.int'
test_expect_success 'SIGINT in the middle of a burn whose input stalls: exit 130 within 10 s, the drive released and asked what the disc is now' '
	is r4 int 130 && grep -q "cancelled after" r4/e.int &&
	grep -q "the drive now says the DVD[-+]R[OM]* is" r4/e.int &&
	awk "{ exit !(\$2 - \$1 < 10) }" r4/o.int
'
test_expect_success 'the drive was released: -atip after it answers, and the libburn read error of the cancel is not shown' '
	is r4 after 0 && grep -q "^Medium:" r4/o.after && ! grep -q "Read error" r4/e.int
'
: >disc4.img
guest r5 disc4.img "$RUN
run short sh -c 'head -c 2000000 /t.iso | cdwrite -v dev=\$WRITER -'
run after msinfo dev=\$WRITER
$DUMP"
r5=$?
test_expect_success 'guest run 5 ran' 'cat r5.err; test $r5 -eq 0 && test -s r5/s.short'
test_expect_success 'an ISO stream cut short on a DVD+R: exit 1, N of M blocks said, and what the drive says of the disc now' '
	is r5 short 1 && grep -q "ended after 976 of the $((size / 2048)) blocks" r5/e.short &&
	grep -q "the drive now says the" r5/e.short && is r5 after 3
'
test_done
