#!/bin/sh
# cdread and audio: --track N of an audio track as WAVE or --raw CD-DA
# (libcdio-paranoia with --paranoia N), and --image DIR/NAME, the whole
# disc as CUE/BIN and cdrdao TOC. The discs are CUE/BIN images (written by
# cdwrite -audio, by hand, and libcdio's own when ../shared is here): the
# drive of ../shared/tools/vmdrive is qemu's, which holds a data CD only.
# Checked by others: python3's wave module (the samples), cd-read (raw
# sectors), cd-info (libcdio reading the CUE written), cdrdao show-toc and
# show-data (the TOC written), md5sum, cmp against the BINs read.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 cd-info cd-read cdrdao toc2cddb md5sum sha256sum cc
CDREAD="$top_builddir/tools/cdread"
CDWRITE="$top_builddir/tools/cdwrite"

# two tracks of 16-bit stereo samples, a pattern each, neither a whole
# number of sectors (cdwrite fills the last one up with silence)
python3 - <<'EOF' || exit 1
import math, struct, wave
def frames(n, k):
    return b''.join(struct.pack('<hh', int(9000 * math.sin(i / (7 + k))),
                                (i * k) % 30000 - 15000) for i in range(n))
def wav(name, data):
    w = wave.open(name, 'wb'); w.setnchannels(2); w.setsampwidth(2)
    w.setframerate(44100); w.writeframes(data); w.close()
wav('a.wav', frames(44100 * 5 + 123, 1))
wav('b.wav', frames(44100 * 4 + 7, 2))
# a long one for the kill
w = wave.open('long.wav', 'wb'); w.setnchannels(2); w.setsampwidth(2)
w.setframerate(44100); w.writeframes(bytes(range(256)) * (44100 * 4 * 90 // 256)); w.close()
EOF
"$CDWRITE" -audio dev=album.cue a.wav b.wav 2>/dev/null || bail_out "cdwrite -audio cannot make album.cue"
sa=$(( ($(stat -c %s a.wav) - 44 + 2351) / 2352 ))
sb=$(( ($(stat -c %s b.wav) - 44 + 2351) / 2352 ))
[ "$(stat -c %s album.bin)" -eq $(( (sa + sb) * 2352 )) ] || bail_out "album.bin is not $sa + $sb sectors"

# same_samples ORIG.wav GOT.wav: GOT's data chunk is ORIG's samples, then
# the silence that fills the last sector, and its header says so
same_samples() {
	python3 - "$1" "$2" <<'EOF'
import sys, wave
a = wave.open(sys.argv[1]); b = wave.open(sys.argv[2])
assert (b.getnchannels(), b.getsampwidth(), b.getframerate()) == (2, 2, 44100)
# the header's lengths are the file's: RIFF size, data chunk
import os, struct
h = open(sys.argv[2], 'rb').read(44); size = os.path.getsize(sys.argv[2])
assert struct.unpack('<I', h[4:8])[0] == size - 8 and h[36:40] == b'data'
assert struct.unpack('<I', h[40:44])[0] == size - 44 == 4 * b.getnframes()
x = a.readframes(a.getnframes()); y = b.readframes(b.getnframes())
assert len(y) % 2352 == 0 and len(y) - len(x) < 2352, (len(x), len(y))
assert y[:len(x)] == x, 'samples differ'
assert y[len(x):] == bytes(len(y) - len(x)), 'the fill is not silence'
EOF
}

test_expect_success '--track 1 and 2 as WAVE: the samples cdwrite was given' '
	"$CDREAD" --track 1 album.cue >t1.wav &&
	"$CDREAD" --track 2 dev=album.cue >t2.wav &&
	same_samples a.wav t1.wav && same_samples b.wav t2.wav &&
	test "$(stat -c %s t2.wav)" -eq $((44 + sb * 2352))
'
test_expect_success '--raw: the sectors cd-read reads, little-endian as in the BIN' '
	"$CDREAD" --raw --track 2 album.cue >t2.raw &&
	cd-read --no-header -m audio -c album.cue -s $sa -n $sb -o cdr.raw >/dev/null 2>&1 &&
	cmp t2.raw cdr.raw && test "$(stat -c %s t2.raw)" -eq $((sb * 2352))
'
test_expect_success '--paranoia 0..3 (and --paranoia-mode) read an image alike' '
	for m in 0 1 2 3; do
		"$CDREAD" -v --raw --track 2 --paranoia=$m album.cue >p$m.raw 2>err &&
		grep -q "paranoia mode $m" err && cmp p$m.raw cdr.raw || exit 1
	done &&
	"$CDREAD" --track 1 --paranoia-mode 3 album.cue >p.wav && cmp p.wav t1.wav
'
test_expect_success '--md5 and --sha256 of a WAVE track are those of the file' '
	"$CDREAD" --track 1 --md5 --sha256 album.cue >m.wav 2>err &&
	grep -q "md5 of $(stat -c %s m.wav) bytes: $(md5sum <m.wav | cut -c1-32)" err &&
	grep -q "sha256 of .*: $(sha256sum <m.wav | cut -c1-64)" err
'
test_expect_success 'a WAVE track streams into a pipe' '
	"$CDREAD" --track 2 album.cue | cat >piped.wav && cmp piped.wav t2.wav
'

# -------------------------------------------------------------- --image
mkdir out || exit 1
test_expect_success '--image: the BIN is album.bin, byte for byte' '
	"$CDREAD" --image out/copy album.cue 2>err && cmp out/copy.bin album.bin &&
	test -s out/copy.cue && test -s out/copy.toc
'
test_expect_success '--image: cd-info reads the CUE as the same disc' '
	cd-info --no-device-info -q --no-cddb --cue-file album.cue >i1 2>&1 &&
	cd-info --no-device-info -q --no-cddb --cue-file out/copy.cue >i2 2>&1 &&
	grep -Eq "^ +2: .* +0*$sa audio" i2 && diff i1 i2
'
test_expect_success '--image: cdrdao show-toc reads the TOC as the same disc' '
	cdrdao show-toc album.cue 2>&1 | grep -v "^Cdrdao" >c1 &&
	(cd out && cdrdao show-toc copy.toc) 2>&1 | grep -v "^Cdrdao" >c2 &&
	grep -q "END .*( *$((sa + sb)))" c2 && diff c1 c2
'
test_expect_success '--image: cdrdao takes the TOC samples as the BIN holds them (SWAP)' '
	(cd out && cdrdao show-data copy.toc) >data 2>/dev/null &&
	python3 -c "
import struct
d = open(\"album.bin\", \"rb\").read()
n = 0
for line in open(\"data\"):
    f = line.replace(\":\", \" \").split()
    if len(f) != 3:
        continue
    i, l, r = map(int, f)
    assert struct.unpack(\"<hh\", d[4 * i:4 * i + 4]) == (l, r), line
    n += 1
assert n == len(d) // 4, (n, len(d) // 4)
"
'
test_expect_success 'the tracks read back and written again by cdwrite -audio: the same BIN' '
	"$CDWRITE" -audio dev=copy2.cue t1.wav t2.wav 2>/dev/null && cmp copy2.bin album.bin
'

# a disc with all a sheet can say: MCN, CD-TEXT, ISRCs, flags, and a
# pregap with audio in it (a disc with no pause between its tracks)
cp album.bin g.bin || exit 1
cat >g.cue <<EOF || exit 1
CATALOG 1234567890123
TITLE "An album"
PERFORMER "AC\\DC"
SONGWRITER "Someone"
FILE "g.bin" BINARY
  TRACK 01 AUDIO
    TITLE "First"
    PERFORMER "AC\\DC"
    ISRC DEABC2600001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Second"
    FLAGS DCP PRE
    ISRC DEABC2600002
    INDEX 00 00:03:00
    INDEX 01 00:05:01
EOF
test_expect_success '--image of a gapless disc: the pregap audio is in the BIN (INDEX 00, START)' '
	"$CDREAD" --image out/g g.cue && cmp out/g.bin g.bin &&
	grep -q "INDEX 00 00:03:00" out/g.cue && grep -q "START 00:02:01" out/g.toc
'
test_expect_success 'cd-info: the same tracks, pregap, MCN, flags and CD-TEXT' '
	cd-info --no-device-info -q --no-cddb --cue-file g.cue >i1 2>&1 &&
	cd-info --no-device-info -q --no-cddb --cue-file out/g.cue >i2 2>&1 &&
	grep -q "MCN): 1234567890123" i2 && grep -q "PERFORMER: AC.DC" i2 &&
	grep -q "SONGWRITER: Someone" i2 && diff i1 i2
'
test_expect_success 'cdrdao: the TOC and the CUE say the same as the original (ISRC, PREGAP)' '
	cdrdao show-toc g.cue 2>&1 | grep -v "^Cdrdao" >c1 &&
	(cd out && cdrdao show-toc g.toc) 2>&1 | grep -v "^Cdrdao" >c2 &&
	(cd out && cdrdao show-toc g.cue) 2>&1 | grep -v "^Cdrdao" >c3 &&
	grep -q "ISRC DE ABC 26 00002" c2 && grep -q "PREGAP 00:02:01" c2 &&
	grep -q "^CATALOG NUMBER: 1234567890123" c2 && grep -q "^ *PRE-EMPHASIS" c2 &&
	diff c1 c2 && diff c1 c3
'
test_expect_success 'the TOC has the CD-TEXT, escaped for cdrdao (toc2cddb reads it)' '
	grep -q "PERFORMER \"AC\\\\134DC\"" out/g.toc &&
	(cd out && toc2cddb g.toc) >cddb 2>&1 &&
	grep -qx "DTITLE=AC.DC / An album" cddb &&
	grep -qx "TTITLE0=First" cddb && grep -qx "TTITLE1=Second" cddb
'
test_expect_success '--md5 of --image is that of the BIN' '
	"$CDREAD" --md5 --image out/m album.cue 2>err &&
	grep -q "md5 of $(stat -c %s album.bin) bytes: $(md5sum <album.bin | cut -c1-32)" err
'

# ------------------------------------------------------ libcdio's discs
fx="$top_srcdir/../shared/fixtures/libcdio"
for x in cdda cdda_4_5 p1 isofs-m1; do
	if [ ! -f "$fx/$x.cue" ]; then
		test_skip "--image of libcdio's $x.cue" '../shared/fixtures is not here'
		continue
	fi
	test_expect_success "--image of libcdio's $x.cue: its BIN, the same disc to cd-info and cdrdao" '
		"$CDREAD" --image out/$x "$fx/$x.cue" && cmp out/$x.bin "$fx/$x.bin" &&
		cd-info --no-device-info -q --no-cddb --cue-file "$fx/$x.cue" >i1 2>&1 &&
		cd-info --no-device-info -q --no-cddb --cue-file out/$x.cue >i2 2>&1 &&
		diff i1 i2 &&
		(cd out && cdrdao show-toc $x.cue) 2>&1 | grep -v "^Cdrdao" >c1 &&
		(cd out && cdrdao show-toc $x.toc) 2>&1 | grep -v "^Cdrdao" >c2 &&
		grep -q "^TRACK  1" c2 && diff c1 c2
	'
done
if [ -f "$fx/p1.cue" ]; then
	test_expect_success "p1.cue: MCN and CD-TEXT in the copy, pregaps as INDEX 00" '
		grep -q "^CATALOG 0000010271955" out/p1.cue &&
		grep -q "^TITLE \"Join us now we have the software\"" out/p1.cue &&
		grep -q "INDEX 00 00:02:00" out/p1.cue &&
		grep -q "PERFORMER \"Richard Stallman\"" out/p1.toc
	'
	test_expect_success "isofs-m1.cue: a MODE1/2352 track, data read raw" '
		grep -q "TRACK 01 MODE1/2352" out/isofs-m1.cue &&
		grep -q "TRACK MODE1_RAW" out/isofs-m1.toc
	'
fi

# an ISO file has no raw sectors: they are made (sync, header, EDC, ECC)
# and libcdio reads the user data back out of them
test_expect_success '--image of an ISO file: MODE1/2352 sectors made from its blocks' '
	random_bytes 300000 rnd >rnd && "$top_builddir/tools/isomk" -o d.iso rnd 2>/dev/null &&
	"$CDREAD" --image out/iso d.iso && grep -q "MODE1/2352" out/iso.cue &&
	test "$(stat -c %s out/iso.bin)" -eq $(( $(stat -c %s d.iso) / 2048 * 2352 )) &&
	n=$(( $(stat -c %s d.iso) / 2048 )) &&
	cd-read --no-header -m m1f1 -c out/iso.cue -s 0 -n $n -o back.iso >/dev/null 2>&1 &&
	cmp back.iso d.iso &&
	"$CDREAD" --paranoia 2 --image out/isop d.iso && cmp out/isop.bin out/iso.bin
'
if [ -f "$fx/isofs-m1.bin" ]; then
	test_expect_success 'the made sectors are those of a real MODE1/2352 BIN' '
		cd-read --no-header -m m1f1 -c "$fx/isofs-m1.cue" -s 0 -n 302 -o m1.iso >/dev/null 2>&1 &&
		"$CDREAD" --image out/m1made m1.iso && cmp out/m1made.bin "$fx/isofs-m1.bin"
	'
fi

# ------------------------------------------------------------ bad input
test_expect_success 'an audio option on a data track: exit 3, nothing written' '
	st=0; "$CDREAD" --raw --track 1 d.iso >o 2>err || st=$?
	test $st -eq 3 && grep -q "track 1 is data, not audio" err && test ! -s o
'
test_expect_success '--raw or --paranoia without a track: a usage error' '
	st=0; "$CDREAD" --raw album.cue >o 2>err || st=$?
	test $st -eq 2 && ! test -s o &&
	st=0; "$CDREAD" --paranoia 4 --track 1 album.cue >o 2>err || st=$?
	test $st -eq 2
'
test_expect_success '--image into a missing directory: exit 2, nothing made' '
	st=0; "$CDREAD" --image nodir/x album.cue 2>err || st=$?
	test $st -eq 2 && grep -q "nodir" err && test ! -e nodir
'
test_expect_success '--image over an existing NAME.bin: exit 3, it is left alone' '
	echo keep >out/e.bin &&
	st=0; "$CDREAD" --image out/e album.cue 2>err || st=$?
	test $st -eq 3 && grep -q "already there" err &&
	test "$(cat out/e.bin)" = keep && test ! -e out/e.cue && test ! -e out/e.toc
'
test_expect_success '--image when only NAME.toc is there: exit 3, no BIN made' '
	echo keep >out/f.toc &&
	st=0; "$CDREAD" --image out/f album.cue 2>err || st=$?
	test $st -eq 3 && test ! -e out/f.bin && test "$(cat out/f.toc)" = keep
'
test_expect_success 'a track to a full disk (/dev/full): exit 1, said' '
	st=0; "$CDREAD" --track 1 album.cue >/dev/full 2>err || st=$?
	test $st -eq 1 && grep -q "No space left" err
'

# a full disk during --image: a small tmpfs where mounting works (root),
# and always an LD_PRELOAD shim that fails writes as a full disk does
asan=$(ldd "$CDREAD" 2>/dev/null | awk '/libasan/ {print $3}')
mkdir small || exit 1
if mount -t tmpfs -o size=512k tmpfs small 2>/dev/null; then
	test_expect_success '--image onto a full tmpfs: exit 1, no file left' '
		st=0; "$CDREAD" --image small/x album.cue 2>err || st=$?
		ls -A small >left; umount small
		test $st -eq 1 && grep -q "No space left" err && test ! -s left
	'
else
	test_skip '--image onto a full tmpfs' 'mounting a tmpfs is not allowed here'
fi
"${CC:-cc}" -shared -fPIC -o faults.so "$top_srcdir/t/helper/faults.c" -ldl 2>cc.err ||
	bail_out "cannot build t/helper/faults.c: $(cat cc.err)"
test_expect_success '--image, the disk full in the middle of the BIN: exit 1, no file left' '
	st=0; FAULT_FILE="$TMP/out/full.bin" FAULT_AT=500000 FAULT_DO=enospc \
		LD_PRELOAD="${asan:+$asan }$TMP/faults.so" \
		"$CDREAD" --image out/full album.cue 2>err || st=$?
	test $st -eq 1 && grep -q "No space left" err &&
	test ! -e out/full.bin && test ! -e out/full.cue && test ! -e out/full.toc
'

# killed during --image: stopped as soon as its BIN is there, then killed
"$CDWRITE" -audio dev=long.cue long.wav 2>/dev/null || bail_out "cdwrite cannot make long.cue"
test_expect_success 'SIGTERM during --image: no file left' '
	"$CDREAD" --paranoia 3 --image out/k long.cue 2>kerr &
	pid=$! n=0
	# polled every 10 ms: the whole read takes about 0.4 s here
	while [ ! -s out/k.bin ]; do
		n=$((n + 1))
		[ $n -lt 12000 ] || { kill -KILL $pid; exit 1; }
		sleep 0.01
	done
	kill -STOP $pid && kill -TERM $pid && kill -CONT $pid
	st=0; wait $pid || st=$?
	test $st -eq 143 && test ! -e out/k.bin && test ! -e out/k.cue && test ! -e out/k.toc
'

# unreadable sectors: an LD_PRELOAD shim fails libcdio's fread of one
# sector of the BIN with EIO, as a scratched disc fails a READ CD
cat >eio.c <<'EOF' || exit 1
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t fread(void *p, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(void *, size_t, size_t, FILE *);
	const char *name = getenv("EIO_FILE"), *at = getenv("EIO_AT");
	char link[64], path[PATH_MAX];
	ssize_t k;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fread");
	snprintf(link, sizeof link, "/proc/self/fd/%d", fileno(f));
	if (name && at && (k = readlink(link, path, sizeof path - 1)) > 0) {
		long off = ftell(f), bad = atol(at);

		path[k] = 0;
		if (!strcmp(path, name) && bad >= off &&
		    bad < off + (long)(size * n)) {
			errno = EIO;
			return 0;
		}
	}
	return real(p, size, n, f);
}
EOF
"${CC:-cc}" -shared -fPIC -o eio.so eio.c -ldl 2>cc.err || bail_out "cannot build eio.so: $(cat cc.err)"
bad=$((sa + 10))
eio() { EIO_FILE="$TMP/album.bin" EIO_AT=$((bad * 2352 + 100)) LD_PRELOAD="${asan:+$asan }$TMP/eio.so" timeout 120 "$CDREAD" "$@"; }
test_expect_success 'an unreadable audio sector: exit 1 naming it, what came before written' '
	st=0; eio --raw --track 2 album.cue >bad.raw 2>err || st=$?
	test $st -eq 1 && grep -q "audio sector $bad cannot be read" err &&
	test "$(stat -c %s bad.raw)" -eq $((10 * 2352)) &&
	head -c $((10 * 2352)) cdr.raw | cmp - bad.raw
'
test_expect_success '--noerror: silence for it, the rest read, listed, exit 1' '
	st=0; eio --noerror --bad-list bl --raw --track 2 album.cue >bad.raw 2>err || st=$?
	test $st -eq 1 && test "$(cat bl)" = "$bad 1" && grep -q "written as zeros" err &&
	python3 -c "
a = open(\"cdr.raw\", \"rb\").read(); b = open(\"bad.raw\", \"rb\").read()
i = 10 * 2352
assert len(a) == len(b) and a[:i] == b[:i] and a[i + 2352:] == b[i + 2352:]
assert b[i:i + 2352] == bytes(2352)
"
'
# libcdio-paranoia re-reads a sector that never reads without end (modes
# 1-3: nothing after it in 5 minutes); cdread gives up after --retries
for m in 0 1 3; do
	test_expect_success "--paranoia $m, an unreadable audio sector: exit 1 naming it, no hang" '
		st=0; eio --paranoia '$m' --raw --track 2 album.cue >bad.raw 2>err || st=$?
		test $st -eq 1 && grep -q "audio sector $bad cannot be read" err &&
		test "$(stat -c %s bad.raw)" -eq $((10 * 2352)) &&
		head -c $((10 * 2352)) cdr.raw | cmp - bad.raw
	'
done
test_expect_success '--paranoia 3 --noerror: silence for it, the rest read, exit 1' '
	st=0; eio --paranoia 3 --noerror --raw --track 2 album.cue >bad.raw 2>err || st=$?
	test $st -eq 1 && grep -q "written as zeros" err &&
	python3 -c "
a = open(\"cdr.raw\", \"rb\").read(); b = open(\"bad.raw\", \"rb\").read()
i = 10 * 2352
assert len(a) == len(b) and a[:i] == b[:i] and a[i + 2352:] == b[i + 2352:]
assert b[i:i + 2352] == bytes(2352)
"
'
test_expect_success '--image with an unreadable sector: exit 1, no file left' '
	st=0; eio --image out/b album.cue 2>err || st=$?
	test $st -eq 1 && grep -q "sector $bad" err && test ! -e out/b.bin && test ! -e out/b.cue
'
test_expect_success '--image --noerror: the image made, the sector zeros, exit 1' '
	st=0; eio --noerror --bad-list bl2 --image out/n album.cue 2>err || st=$?
	test $st -eq 1 && test "$(cat bl2)" = "$bad 1" && test -s out/n.cue && test -s out/n.toc &&
	test "$(stat -c %s out/n.bin)" -eq "$(stat -c %s album.bin)" &&
	! cmp -s out/n.bin album.bin
'

# ------------------------------------------------ through a kernel driver
# vmdrive's drive is qemu's emulated one: it holds a data CD only (no
# audio through a real driver here). Its raw READ CD answers zeros for
# EDC and ECC: those sectors are made from the user data again, and the
# BIN is the one made here from the ISO file (checked above).
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
if [ -x "$VMDRIVE" ]; then
	test_expect_success 'vmdrive: --image of the data CD in a drive is the BIN made from its ISO' '
		"$VMDRIVE" --image d.iso --bin "$CDREAD" -- \
			"mkdir /tmp/g && cdread -q --image /tmp/g/x dev=/dev/sr0 && md5sum /tmp/g/x.bin && cat /tmp/g/x.cue;
			 cdread --raw --track 1 dev=/dev/sr0 >/tmp/o; echo \"track exit \$?\"" >vm 2>&1 &&
		grep -q "^$(md5sum <out/iso.bin | cut -c1-32)  /tmp/g/x.bin" vm &&
		grep -q "TRACK 01 MODE1/2352" vm && grep -q "track exit 3" vm
	'
	test_expect_success 'vmdrive: an unreadable block (--bad-blocks 30) stops --image, --noerror lists it' '
		"$VMDRIVE" --image d.iso --bad-blocks 30 --bin "$CDREAD" -- \
			"mkdir /tmp/g; cdread -q --image /tmp/g/x dev=/dev/sr0; echo \"exit \$?\"; ls /tmp/g;
			 cdread -q --noerror --bad-list /tmp/bl --image /tmp/g/y dev=/dev/sr0; echo \"noerror exit \$?\";
			 ls /tmp/g; cat /tmp/bl" >vm 2>&1 &&
		grep -q "data sector 30 of track 1 cannot be read" vm && grep -q "^exit 1" vm &&
		! grep -q "x\.bin" vm && grep -q "noerror exit 1" vm && grep -q "y\.cue" vm &&
		grep -q "^30 " vm
	'
else
	test_skip 'vmdrive: --image of a data CD in a drive' "no vmdrive ($VMDRIVE)"
fi

test_expect_success '--lba over audio sectors alone: no data, exit 3, nothing written' '
	st=0; "$CDREAD" --lba 0 --count 10 album.cue >lba.out 2>err || st=$?
	test $st -eq 3
	grep -q "hold no data" err
	test ! -s lba.out
'
test_expect_success 'an audio track into the BIN being read (>>): refused, exit 2, the BIN as it was' '
	md5sum <album.bin >before
	st=0; "$CDREAD" --track 1 album.cue >>album.bin 2>err || st=$?
	test $st -eq 2
	md5sum <album.bin | cmp - before
'
test_expect_success 'standard output closed (>&-): exit 1, and the BIN (which libcdio would open as fd 1) untouched' '
	md5sum <album.bin >before2
	st=0; "$CDREAD" --track 1 album.cue >&- 2>err || st=$?
	test $st -eq 1
	grep -q "cannot write" err
	md5sum <album.bin | cmp - before2
'
test_done
