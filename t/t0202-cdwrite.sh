#!/bin/sh
# cdwrite and msinfo: the backup workflow of the Linux CD-Writing notes on
# an image-backed drive (three dated sessions, read back by bsdtar, xorriso,
# genisoimage's isoinfo -J and 7z), and the ways a write can go wrong.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso isoinfo 7z python3 cc
CDWRITE="$top_builddir/tools/cdwrite"
MSINFO="$top_builddir/tools/msinfo"
ISOINFO="$top_builddir/tools/isoinfo"
unset CDPIPE_DEVICE

mkdir -p h1/.cache/c h1/docs h2/docs h3
echo rc >h1/.bashrc && echo one >h1/docs/a.txt && echo junk >h1/.cache/c/junk &&
	echo c >h1/docs/web-cache.html && echo two >h2/docs/b.txt &&
	echo junk2 >h2/browser-cache && seq 1 200000 >h3/c.txt
OPTS="-L -J -R -V Backup_Home"
D=disc.img

test_expect_success 'session 1: isomk ... > image; cdwrite -v -multi -pad dev=D image' '
	"$ISOMK" -quiet $OPTS -m "*cache*" -graft-points home.20010704/=h1 >s1.iso &&
	"$CDWRITE" -v -multi -pad dev=$D s1.iso 2>err && grep -q "writing at block 0" err &&
	"$MSINFO" dev=$D >ms1 && grep -qx "0,[0-9]*" ms1
'
test_expect_success 'session 2: isomk -C $(msinfo dev=D) -M D ... | cdwrite -multi dev=D -' '
	{ "$ISOMK" -quiet $OPTS -m "*cache*" -C "$("$MSINFO" dev=$D)" -M $D \
		-graft-points home.20010710/=h2; echo $? >st; } | "$CDWRITE" -multi dev=$D - &&
	test "$(cat st)" -eq 0
'
test_expect_success 'session 3, through stdio:D' '
	{ "$ISOMK" -quiet $OPTS -m "*cache*" -C "$("$MSINFO" dev=stdio:$D)" -M stdio:$D \
		-graft-points home.20010717/=h3; echo $? >st; } | "$CDWRITE" -multi dev=stdio:$D - &&
	test "$(cat st)" -eq 0
'
list_ok() { # the three directories, dot files, no cache files
	grep -qx "home.20010704/.bashrc" "$1" && grep -qx "home.20010704/docs/a.txt" "$1" &&
	grep -qx "home.20010710/docs/b.txt" "$1" && grep -qx "home.20010717/c.txt" "$1" &&
	! grep -q cache "$1"
}
test_expect_success 'bsdtar sees all three sessions (Rock Ridge)' '
	TZ=UTC bsdtar -tf $D | sed "s|^\./||" >b && list_ok b
'
test_expect_success 'xorriso sees them' '
	xorriso -indev $D -find / -type f 2>/dev/null | sed "s|^./||; s|.$||" >x && list_ok x
'
test_expect_success 'genisoimage isoinfo -J sees them in Joliet: all descriptors were copied' '
	isoinfo -J -f -i $D | sed "s|^/||; s/;1$//" >j && list_ok j
'
test_expect_success '7z (Joliet) sees them' '
	7z l -slt $D | sed -n "s/^Path = //p" >z && list_ok z
'
test_expect_success 'contents are right in every session' '
	test "$(isoinfo -R -x /home.20010704/docs/a.txt -i $D)" = one &&
	test "$(bsdtar -xOf $D home.20010710/docs/b.txt)" = two &&
	"$ISOINFO" -x /home.20010717/c.txt -i $D >c.txt && cmp c.txt h3/c.txt
'
test_expect_success 'every volume descriptor at 16 counts the volume from block 0' '
	python3 - $D <<-PY
	import struct, sys
	d = open(sys.argv[1], "rb").read()
	sizes = []
	b = 16
	while d[b*2048+1:b*2048+6] == b"CD001" and d[b*2048] != 255:
	    if d[b*2048] in (1, 2):
	        sizes.append(struct.unpack("<I", d[b*2048+80:b*2048+84])[0])
	    b += 1
	assert len(sizes) == 2 and sizes[0] == sizes[1], sizes
	assert sizes[0] * 2048 <= len(d) and sizes[0] > 400, (sizes, len(d))
	PY
'
test_expect_success 'msinfo agrees with xorriso -as cdrecord -msinfo on the medium' '
	ms=$("$MSINFO" dev=$D)
	test "$ms" = "$(xorriso -as cdrecord dev=$D --grow_overwriteable_iso -msinfo 2>/dev/null)"
'

test_expect_success 'cdwrite -msinfo prints what msinfo prints (cdrecord habit)' '
	ms=$("$MSINFO" dev=$D)
	cms=$("$CDWRITE" -msinfo dev=$D)
	test -n "$ms" && test "$cms" = "$ms" || exit 1
	st=0; "$CDWRITE" -msinfo dev=empty.img 2>err || st=$?
	test $st -eq 3 && grep -q "empty.img: no such image file" err &&
	test ! -e empty.img || exit 1
	: >blank0.img
	st=0; "$CDWRITE" -msinfo dev=blank0.img 2>err || st=$?
	test $st -eq 3 && grep -q blank err
'
test_expect_success 'a plain (non -C) image is refused on an appendable medium (exit 3)' '
	"$ISOMK" -quiet -R h2 >plain.iso && cp $D before.img || exit 1
	st=0; "$CDWRITE" dev=$D plain.iso 2>err || st=$?
	test $st -eq 3 && grep -q "made for block 0 (a first session)" err && cmp $D before.img
'
test_expect_success 'a -C image is refused on a blank medium (exit 3)' '
	"$ISOMK" -quiet -R -C 0,5000 h2 >late.iso 2>/dev/null || exit 1
	st=0; "$CDWRITE" dev=blank.img late.iso 2>err || st=$?
	test $st -eq 3 && grep -q "made for block 5000, but on blank.img it would go to block 0" err
'
test_expect_success '-force writes it all the same' '
	"$CDWRITE" -force dev=forced.img late.iso && test -s forced.img
'
test_expect_success '-dummy leaves the medium untouched' '
	"$ISOMK" -quiet -R -C "$("$MSINFO" dev=$D)" -M $D -graft-points d/=h2 >next.iso &&
	cp $D before.img && "$CDWRITE" -dummy dev=$D next.iso && cmp $D before.img
'
test_expect_success 'writing from a pipe of unknown length' '
	cat s1.iso | "$CDWRITE" dev=piped.img - && cmp -n $(stat -c %s s1.iso) piped.img s1.iso
'
test_expect_success 'tsize= too small is an error (exit 1, says how much was written)' '
	st=0; cat s1.iso | "$CDWRITE" tsize=100k dev=t.img - 2>err || st=$?
	test $st -eq 1 && grep -q "more data than tsize= said: only 102400 bytes" err
'
test_expect_success 'the same for a file the kernel copies (copy_file_range past the read-ahead); the image file it made is gone again' '
	random_bytes 3000000 noise.bin >noise.bin || exit 1
	st=0; "$CDWRITE" tsize=1m dev=t2.img noise.bin 2>err || st=$?
	test $st -eq 1 && grep -q "more data than tsize= said: only 1048576 bytes" err &&
	test ! -e t2.img
'
test_expect_success 'a whole file copied by the kernel: byte for byte, the last block filled up' '
	"$CDWRITE" -q dev=whole.img noise.bin && cmp -n 3000000 whole.img noise.bin &&
	test "$(stat -c %s whole.img)" -eq $(( (3000000 + 2047) / 2048 * 2048 )) &&
	test "$(tail -c +3000001 whole.img | tr -d "\0" | wc -c)" -eq 0
'
test_expect_success 'a medium too small: exit 3, blocks free and needed, nothing written' '
	st=0; "$CDWRITE" capacity=300k dev=small.img s1.iso 2>err || st=$?
	test $st -eq 3 && grep -q "has 150 blocks free, s1.iso needs" err && ! test -s small.img
'
test_expect_success 'a sequential stdio: target (a pipe) gets the track as it is' '
	mkfifo p && { cat p >seq.out & } && "$CDWRITE" dev=stdio:p s1.iso && wait &&
	cmp seq.out s1.iso
'
test_expect_success 'blank=fast makes an image-backed medium blank again' '
	cp $D b.img && "$CDWRITE" blank=fast dev=b.img || exit 1
	st=0; "$MSINFO" dev=b.img 2>err || st=$?
	test $st -eq 3 && grep -q blank err && "$CDWRITE" dev=b.img s1.iso &&
	"$ISOINFO" -f -i b.img | grep -qx /home.20010704/.bashrc
'
test_expect_success '-format on an image file: nothing to do, said, exit 0, file untouched' '
	cp $D f.img && "$CDWRITE" -format dev=f.img 2>err && grep -q "needs no formatting" err &&
	cmp f.img $D
'
test_expect_success '-format then a track: the track is written' '
	rm -f f2.img && "$CDWRITE" -format dev=f2.img s1.iso 2>/dev/null &&
	"$ISOINFO" -f -i f2.img | grep -qx /home.20010704/.bashrc
'
test_expect_success '--verify reads the track back: all match' '
	"$CDWRITE" -v --verify dev=v.img s1.iso 2>err && grep -q "all match" err
'
# an LD_PRELOAD shim that flips a byte read back from bad.img
asan=$(ldd "$CDWRITE" 2>/dev/null | awk '/libasan/ {print $3}')
test_expect_success '--verify names the first block that reads back wrong (exit 4)' '
	"${CC:-cc}" -shared -fPIC -o badread.so "$top_srcdir/t/helper/badread.c" -ldl || exit 1
	st=0; BADREAD_FILE="$TMP/bad.img" BADREAD_OFFSET=$((100 * 2048 + 7)) \
		LD_PRELOAD="${asan:+$asan }$TMP/badread.so" \
		"$CDWRITE" --verify dev=bad.img s1.iso 2>err || st=$?
	test $st -eq 4 && grep -q "verify: block 100 of the medium" err
'
# A signal once cdwrite reads the track: all of s1.iso but what a pipe
# holds (64 KiB) has gone into cdwrite when cat ends (a signal before
# cdwrite sets its handler is lost, or ends it unheard). The test holds
# the FIFO open, so the track has not ended; a feeder that slept instead
# kept the job, and so wait, 20 s longer.
# write_then SIG IMAGE: st is cdwrite's exit status, err what it said
write_then() {
	rm -f in.fifo
	mkfifo in.fifo || return 1
	"$CDWRITE" -q dev="$2" - <in.fifo 2>err &
	wt_=$!
	exec 3>in.fifo
	cat s1.iso >&3
	kill -"$1" $wt_
	wait_until ended $wt_ || kill -KILL $wt_
	st=0
	wait $wt_ || st=$?
	exec 3>&-
}
test_expect_success 'Ctrl-C while writing: cancelled, drive released, exit by SIGINT' '
	write_then INT int.img
	test $st -eq 130 && grep -q "cancelled" err || exit 1
	st=0; "$MSINFO" dev=int.img >/dev/null 2>&1 || st=$?
	test $st -ne 1
'
test_expect_success 'SIGTERM while writing: cancelled too, exit by SIGTERM' '
	write_then TERM term.img
	test $st -eq 143 && grep -q "cancelled" err
'
test_expect_success 'a write the target refuses: advice, libburn own words only with -v' '
	st=0; "$CDWRITE" dev=stdio:/dev/full s1.iso 2>err || st=$?
	test $st -eq 1 && grep -q "refused the data" err && ! grep -q "libburn:" err || exit 1
	st=0; "$CDWRITE" -v dev=stdio:/dev/full s1.iso 2>err || st=$?
	test $st -eq 1 && grep -q "libburn: Cannot write" err
'
test_expect_success 'an image file that cannot take the data: the reason, exit 1' '
	st=0; "$CDWRITE" dev=/proc/version s1.iso 2>err || st=$?
	test $st -eq 1 && grep -q "cannot write: Input/output error" err
'
test_expect_success 'a Bus,Target,Lun with no drive: exit 3, drives listed' '
	st=0; "$CDWRITE" dev=3,4,0 s1.iso 2>err || st=$?
	test $st -eq 3 && grep -q "no drive at SCSI bus 3" err
'
test_expect_success 'blank=help lists the kinds; blank=session is refused, nothing blanked' '
	"$CDWRITE" blank=help >out && grep -q "^blank=fast" out && grep -q "^blank=all" out &&
	cp $D bs.img || exit 1
	st=0; "$CDWRITE" blank=session dev=bs.img 2>err || st=$?
	test $st -eq 2 && grep -q "cannot blank the last session alone" err && cmp bs.img $D
'
test_expect_success '-d ADDRESS is dev=ADDRESS' '
	"$CDWRITE" -atip -d $D >out && grep -q "^State: appendable" out
'
test_expect_status 2 'no track and nothing else to do: usage' '"$CDWRITE" dev=x.img'
test_expect_status 2 'an unknown option: usage' '"$CDWRITE" -bogus dev=x.img s1.iso'
test_expect_status 2 'a key=value that is no setting and no file: usage' '"$CDWRITE" dev=x.img bogus=1 s1.iso'
test_expect_success '-scanbus and --devices list drives (or say there are none)' '
	"$CDWRITE" -scanbus >out 2>err && { test -s out || grep -q "no optical drives" err; }
'
test_expect_success '-atip describes an image-backed medium' '
	"$CDWRITE" -atip dev=$D >out && grep -q "^State: appendable (sessions emulated)" out
'
test_done
