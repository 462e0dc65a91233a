#!/bin/sh
# cdwrite -audio: WAVE, Sun .au and raw (big-endian, -swab little-endian)
# tracks, written to an image-backed CD: a CUE/BIN image (libburn writes
# audio only to a CD-R/RW in a drive, none here). The image is read back
# by libcdio (cd-info, cd-read: track starts and the samples themselves)
# and by cdrdao (show-toc); bad tracks and targets are refused with
# nothing left behind.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 cd-info cd-read cdrdao md5sum
CDWRITE="$top_builddir/tools/cdwrite"

# 16-bit stereo samples, a different pattern for each k; WAVE by the
# wave module, .au and raw written out here (big-endian where they are)
python3 - <<'EOF'
import math, struct, wave
def frames(n, k):
    return b''.join(struct.pack('<hh', int(9000 * math.sin(i / (7 + k))),
                                (i * k) % 30000 - 15000) for i in range(n))
def swap(b):
    s = bytearray(b); s[0::2], s[1::2] = b[1::2], b[0::2]; return bytes(s)
def wav(name, data, ch=2, width=2, rate=44100):
    w = wave.open(name, 'wb'); w.setnchannels(ch); w.setsampwidth(width)
    w.setframerate(rate); w.writeframes(data); w.close()
a = frames(44100 * 5 + 123, 1); wav('a.wav', a); open('a.le', 'wb').write(a)
b = frames(44100 * 4 + 7, 2); open('b.le', 'wb').write(b)
open('b.au', 'wb').write(struct.pack('>4sIIIII', b'.snd', 24, len(b), 3, 44100, 2) + swap(b))
c = frames(44100 * 4, 3); open('c.le', 'wb').write(c); open('c.be', 'wb').write(swap(c))
wav('short.wav', frames(44100 * 2, 1))
wav('mono8.wav', bytes(22050 * 5), ch=1, width=1, rate=22050)
w = bytearray(open('a.wav', 'rb').read()); w[40:44] = struct.pack('<I', 0xfffffff0)
open('streamed.wav', 'wb').write(w)
open('ulaw.au', 'wb').write(struct.pack('>4sIIIII', b'.snd', 24, 44100 * 5, 1, 44100, 1) + bytes(44100 * 5))
EOF
[ $? -eq 0 ] || bail_out "python3 could not make the audio files"
sectors() { echo $(( ($(stat -c %s "$1") + 2351) / 2352 )); }
sa=$(sectors a.le) sb=$(sectors b.le) sc=$(sectors c.le)

test_expect_success 'four tracks (WAVE, .au, raw big-endian, -swab raw) to album.cue' '
	"$CDWRITE" -v -audio dev=album.cue a.wav b.au c.be -swab c.le 2>err &&
	grep -q "track 2: b.au, Sun .au" err && grep -q "track 3: c.be, raw big-endian" err &&
	test "$(stat -c %s album.bin)" -eq $(( (sa + sb + 2 * sc) * 2352 ))
'
test_expect_success 'cd-info (libcdio) sees four audio tracks where they begin' '
	cd-info --no-device-info -q --cue-file album.cue >info 2>&1 &&
	grep -Eq "^ +1: 00:02:00 +000000 audio" info &&
	grep -Eq "^ +2: .* +0*$sa audio" info &&
	grep -Eq "^ +3: .* +0*$((sa + sb)) audio" info &&
	grep -Eq "^ +4: .* +0*$((sa + sb + sc)) audio" info &&
	grep -Eq "^170: .* +0*$((sa + sb + 2 * sc)) leadout" info
'
# libcdio reads a track's sectors; they must be the samples, little-endian,
# the last sector filled up with silence
track_is() { # START SECTORS EXPECTED-LE-FILE
	cd-read --no-header -c album.cue -m audio -s "$1" -n "$2" -o got.raw >/dev/null 2>&1 &&
	{ cat "$3"; head -c $(( $2 * 2352 - $(stat -c %s "$3") )) /dev/zero; } | cmp - got.raw
}
test_expect_success 'cd-read: the WAVE track is its samples as they were' 'track_is 0 $sa a.le'
test_expect_success 'cd-read: the .au track is its samples, swapped to little-endian' 'track_is $sa $sb b.le'
test_expect_success 'cd-read: raw is big-endian unless -swab, as cdrecord has it' '
	track_is $((sa + sb)) $sc c.le && track_is $((sa + sb + sc)) $sc c.le
'
test_expect_success 'cdrdao show-toc: the same four tracks' '
	cdrdao show-toc album.cue >toc 2>&1 && test "$(grep -c "Mode AUDIO" toc)" -eq 4 &&
	grep -q "END .*( *$((sa + sb + 2 * sc)))" toc &&
	cdrdao toc-size album.cue >size 2>/dev/null &&
	test "$(tail -n 1 size)" -eq $((sa + sb + 2 * sc))
'
test_expect_success 'album.toc beside the sheet: cdrdao reads the same disc from it' '
	cdrdao show-toc album.cue 2>&1 | grep -v "^$" | tail -n +2 >from-cue &&
	cdrdao show-toc album.toc 2>&1 | grep -v "^$" | tail -n +2 >from-toc &&
	test "$(grep -c "Mode AUDIO" from-toc)" -eq 4 && diff from-cue from-toc
'
test_expect_success 'msinfo and -atip: the CUE image is a closed CD of one session' '
	MSINFO="$top_builddir/tools/msinfo" && st=0
	"$MSINFO" -v dev=album.cue >out 2>err || st=$?
	test $st -eq 3 && ! test -s out && grep -q "CD image (CUE/BIN), closed" err &&
	grep -q "session 1: start 0, $((sa + sb + 2 * sc)) blocks" err &&
	"$CDWRITE" -atip dev=album.cue >atip && grep -qx "State: closed" atip
'
test_expect_success 'msinfo --json: its four audio tracks (libcdio reads the sheet)' '
	st=0; "$top_builddir/tools/msinfo" --json dev=album.cue >j || st=$?
	test $st -eq 3 && python3 -c "
import json, sys; d = json.load(open(\"j\"))
t = [(x[\"start\"], x[\"blocks\"], x[\"type\"]) for x in d[\"tracks\"]]
assert t == [(0, $sa, \"audio\"), ($sa, $sb, \"audio\"), ($((sa + sb)), $sc, \"audio\"),
             ($((sa + sb + sc)), $sc, \"audio\")], t"
'
test_expect_success 'libburn reads the sheet too (cdwrite NAME.cue): 4 tracks, all the sectors' '
	st=0; "$CDWRITE" -v dev=burn.img album.cue 2>err || st=$?
	test $st -eq 3 && grep -q "album.cue: 4 tracks, $((sa + sb + 2 * sc)) sectors, as libburn reads it" err &&
	grep -q "a CUE image goes to a CD-R or CD-RW in a drive" err && ! test -e burn.img
'
test_expect_success 'a CUE sheet libburn cannot use: exit 1 before any drive is asked' '
	printf "FILE \"nowhere.bin\" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n" >broken.cue &&
	st=0; "$CDWRITE" dev=burn.img broken.cue 2>err || st=$?
	test $st -eq 1 && grep -q "libburn cannot read this CUE sheet" err && ! test -e burn.img
'
test_expect_success 'raw audio from a pipe, length unknown' '
	cat c.be | "$CDWRITE" -audio dev=pipe.cue - &&
	cd-read --no-header -c pipe.cue -m audio -s 0 -n $sc -o got.raw >/dev/null 2>&1 &&
	cmp c.le got.raw
'
test_expect_success 'a WAVE whose header claims 4 GiB (written as a stream): what the file holds, warned' '
	"$CDWRITE" -audio dev=streamed.cue streamed.wav 2>err &&
	grep -q "header says 4294967280 bytes of samples, the file holds $(stat -c %s a.le)" err &&
	cd-read --no-header -c streamed.cue -m audio -s 0 -n $sa -o got.raw >/dev/null 2>&1 &&
	{ cat a.le; head -c $(( sa * 2352 - $(stat -c %s a.le) )) /dev/zero; } | cmp - got.raw
'
test_expect_success 'an image that is there already: exit 3, left as it was' '
	md5sum album.bin album.cue >before || exit 1
	st=0; "$CDWRITE" -audio dev=album.cue a.wav 2>err || st=$?
	test $st -eq 3 && grep -q "there already" err && md5sum -c --quiet before
'
for bad in 'mono8.wav:22050 Hz, 8-bit, 1 channel' 'short.wav:2.00 s of audio' 'ulaw.au:cannot read'; do
	f=${bad%%:*} why=${bad#*:}
	test_expect_success "$f: exit 1, says why, nothing written" '
		st=0; "$CDWRITE" -audio dev=bad.cue a.wav "$f" 2>err || st=$?
		test $st -eq 1 && grep -q "$why" err && ! test -e bad.cue && ! test -e bad.bin
	'
done
test_expect_success 'audio to a plain image file: exit 3, points to NAME.cue' '
	st=0; "$CDWRITE" -audio dev=x.img a.wav 2>err || st=$?
	test $st -eq 3 && grep -q "dev=NAME.cue" err && ! test -s x.img
'
test_expect_success 'a data track to a CUE image: exit 3 (and -data before -audio too)' '
	st=0; "$CDWRITE" dev=d.cue c.le 2>err || st=$?
	test $st -eq 3 && grep -q "say -audio" err && ! test -e d.cue || exit 1
	st=0; "$CDWRITE" dev=d.cue -data c.le -audio a.wav 2>err || st=$?
	test $st -eq 3 && grep -q "audio tracks only" err && ! test -e d.bin
'
test_expect_success '-dummy: says what it would write, writes nothing' '
	"$CDWRITE" -dummy -audio dev=dummy.cue a.wav b.au 2>err &&
	grep -q "2 audio tracks would be written" err && ! test -e dummy.cue && ! test -e dummy.bin
'
test_expect_success 'a source that ends early: exit 1, nothing left behind' '
	mkfifo slow || exit 1
	head -c 100000 a.le >slow &
	st=0; "$CDWRITE" -audio tsize=705600 dev=early.cue - <slow 2>err || st=$?
	wait; test $st -eq 1 && ! test -e early.cue && ! test -e early.bin && ! test -e early.toc
'
# int.bin is there once cdwrite writes the image: a signal from then on is
# a cancel, said so. The test holds the FIFO open, so the input stalls:
# the cancel is seen while cdwrite waits for it, not once more comes.
test_expect_success 'Ctrl-C while writing an image: exit by SIGINT, nothing left behind' '
	rm -f in.fifo
	mkfifo in.fifo
	"$CDWRITE" -audio dev=int.cue - <in.fifo 2>err & pid=$!
	exec 3>in.fifo
	cat c.be >&3
	wait_until test -e int.bin
	kill -INT $pid
	wait_until ended $pid || kill -KILL $pid
	st=0; wait $pid || st=$?
	exec 3>&-
	test $st -eq 130 && grep -q "cancelled: nothing written to int.cue" err &&
	! grep -q "cannot read" err && ! test -e int.cue && ! test -e int.bin && ! test -e int.toc
'
# a second writer of the same CUE image, with --wait, waits for the first
# (which holds the sheet's lock while its input stalls): a signal then is
# a cancel, said so, and the first goes on to write its image whole
test_expect_success 'a signal while --wait waits for another writer of the CUE image: said, exit 130' '
	rm -f in.fifo w.cue w.bin w.toc
	mkfifo in.fifo
	"$CDWRITE" -audio dev=w.cue - <in.fifo 2>errA & pidA=$!
	exec 3>in.fifo
	head -c 100000 c.be >&3
	wait_until test -e w.bin
	"$CDWRITE" --wait -audio dev=w.cue a.wav 2>errB & pidB=$!
	wait_until grep -q waiting errB
	wait_until catches $pidB 2
	kill -INT $pidB
	wait_until ended $pidB || kill -KILL $pidB
	st=0; wait $pidB || st=$?
	tail -c +100001 c.be >&3
	exec 3>&-
	wait $pidA
	test $st -eq 130
	grep -q "cancelled while waiting for another program writing to w.cue" errB
	test "$(stat -c %s w.bin)" -eq $((sc * 2352))
'
test_expect_status 2 '--verify with audio: usage' '"$CDWRITE" --verify -audio dev=v.cue a.wav'
test_expect_status 2 'standard input twice: usage' '"$CDWRITE" -audio dev=v.cue - -'
test_done
