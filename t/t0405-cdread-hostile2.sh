#!/bin/sh
# cdread's newer modes against hostile CD images and an unlucky user:
# --toc/--json of sheets whose ISRCs and CD-TEXT hold quotes, backslashes,
# control characters and bytes that are no UTF-8; 99 tracks of one sector;
# a track of no blocks; --image of non-ASCII CD-TEXT, killed while it
# writes its sheets, twice at once to one NAME, into the BIN it reads,
# into a directory it cannot write. Checked by others: python3's json
# (every --json is valid), cd-info (the CUE written), cdrdao show-toc and
# toc2cddb (the TOC written), cmp and md5sum.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 cd-info cdrdao toc2cddb md5sum cc
CDREAD="$top_builddir/tools/cdread"
unset CDPIPE_DEVICE

# 100 sectors of noise, as audio
random_bytes $((100 * 2352)) noise.bin >noise.bin || exit 1

# json FILE: python3 takes it as JSON
json() { python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$1"; }
# lines FILE: every line of --toc is one fact, "key: value", printable
lines() {
	python3 - "$1" <<'EOF'
import re, sys
for l in open(sys.argv[1], 'rb').read().split(b'\n')[:-1]:
    assert re.match(rb'^[a-z][a-z0-9:]*[: ]', l), l
    assert not any(c < 32 or c == 127 for c in l), l
EOF
}

# an ISRC as a CUE sheet lets it be: a terminal's escape sequence (OSC,
# set the window title) and control characters
printf 'FILE "esc.bin" BINARY\n  TRACK 01 AUDIO\n    ISRC "\001\002\033]0;pwned\007X"\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:01:00\n' >esc.cue || exit 1
cp noise.bin esc.bin || exit 1
test_expect_success '--toc: control characters of an ISRC never reach the terminal' '
	"$CDREAD" --toc esc.cue >toc.out &&
	lines toc.out &&
	grep -F -q "isrc: \"???]0;pwned?X\"" toc.out
'
test_expect_success '--json: the same ISRC, escaped, valid JSON' '
	"$CDREAD" --json esc.cue >toc.json &&
	python3 -c "
import json
d = json.load(open(\"toc.json\"))
assert d[\"tracks\"][0][\"isrc\"] == \"\\\"\\x01\\x02\\x1b]0;pwned\\x07X\\\"\", d[\"tracks\"][0]
"
'

# 99 tracks of one sector (the last of two), CD-TEXT with a quote, a
# backslash, control characters and bytes that are no UTF-8 (libcdio
# takes a CUE's text as ISO-8859-1)
python3 - <<'EOF' || exit 1
with open('t99.cue', 'wb') as f:
    f.write(b'CATALOG 1234567890123\nTITLE "quo\\"te \\\\ b"\n'
            b'PERFORMER "ctl\x01\x02\x1b[31mred"\nFILE "t99.bin" BINARY\n')
    for i in range(1, 100):
        f.write(b'  TRACK %02d AUDIO\n' % i)
        if i == 2:
            f.write(b'    ISRC ABCDE1234567\n')
        if i == 50:
            f.write(b'    TITLE "bad \xff\xfe utf8 \xc3"\n')
        f.write(b'    INDEX 01 %02d:%02d:%02d\n' % ((i - 1) // 4500, (i - 1) // 75 % 60, (i - 1) % 75))
EOF
cp noise.bin t99.bin || exit 1
mkdir out || exit 1
test_expect_success '99 tracks of one sector: --toc one fact a line, --json valid' '
	"$CDREAD" --toc t99.cue >t99.txt &&
	lines t99.txt &&
	test "$(grep -c "^track: " t99.txt)" -eq 99 &&
	"$CDREAD" --json t99.cue >t99.json &&
	python3 -c "
import json
d = json.load(open(\"t99.json\"))
assert len(d[\"tracks\"]) == 99 and d[\"last_track\"] == 99
assert d[\"cdtext\"][0][\"tracks\"][49][\"title\"] == \"bad \xff\xfe utf8 \xc3\"
"
'
test_expect_success '... --image: the same BIN, cd-info and cdrdao read 99 tracks' '
	"$CDREAD" -q --image out/t99 t99.cue &&
	cmp out/t99.bin t99.bin &&
	cd-info --no-device-info -q --cue-file out/t99.cue >ci 2>&1 &&
	grep -q "Track List (1 - 99)" ci &&
	(cd out && cdrdao show-toc t99.toc) >cd 2>&1 &&
	test "$(grep -c "^TRACK " cd)" -eq 99
'

# non-ASCII CD-TEXT: libcdio gives it as UTF-8 and reads a sheet's text
# as ISO-8859-1; written as UTF-8 it came back as "MotÃ¶rhead"
printf 'PERFORMER "Mot\366rhead"\nFILE "m.bin" BINARY\n  TRACK 01 AUDIO\n    TITLE "\351t\351"\n    INDEX 01 00:00:00\n' >m.cue || exit 1
cp noise.bin m.bin || exit 1
test_expect_success '--image: non-ASCII CD-TEXT is the same text in the copy' '
	"$CDREAD" -q --image out/m m.cue &&
	"$CDREAD" --toc m.cue | grep cdtext >want &&
	"$CDREAD" --toc out/m.cue | grep cdtext >got &&
	diff -u want got &&
	grep -q "performer: Motörhead" got &&
	cd-info --no-device-info -q --cue-file out/m.cue >ci 2>&1 &&
	grep -q "PERFORMER: Motörhead" ci &&
	(cd out && toc2cddb m.toc) >cddb &&
	grep -q "^DTITLE=Mot$(printf "\366")rhead" cddb
'

# a track of no blocks (two INDEX 01 at one place, or the last at the
# end of the BIN): a TOC's length 0 is "to the end of the file" for
# cdrdao, whose TOC then had 30 blocks more than the BIN
printf 'FILE "z.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:00:70\n  TRACK 03 AUDIO\n    INDEX 01 00:00:70\n' >z.cue || exit 1
printf 'FILE "z.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 AUDIO\n    INDEX 01 00:01:25\n' >zend.cue || exit 1
cp noise.bin z.bin && cp noise.bin zend.bin || exit 1
test_expect_success '--image of a track of no blocks: exit 1, said, nothing written' '
	st=0; "$CDREAD" --image out/z z.cue 2>err || st=$?
	test $st -eq 1 &&
	grep -q "track 2 has no blocks" err &&
	test ! -e out/z.bin && test ! -e out/z.cue && test ! -e out/z.toc &&
	st=0; "$CDREAD" --image out/z zend.cue 2>err || st=$?
	test $st -eq 1 &&
	grep -q "track 2 has no blocks" err &&
	test ! -e out/z.bin && test ! -e out/z.cue
'

# killed while a sheet is written: an LD_PRELOAD shim sends SIGKILL at
# the 300th byte written to any file whose name starts with KILL_NAME
# (the sheet, under whatever name it is written)
cat >kill.c <<'EOF' || exit 1
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

ssize_t write(int fd, const void *p, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	static size_t done;
	const char *want = getenv("KILL_NAME");
	char link[64], path[PATH_MAX];
	ssize_t k;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "write");
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	if (want && (k = readlink(link, path, sizeof path - 1)) > 0) {
		path[k] = 0;
		if (!strncmp(path, want, strlen(want))) {
			if (done + n >= 300) {
				real(fd, p, 300 - done);
				raise(SIGKILL);
			}
			done += n;
		}
	}
	return real(fd, p, n);
}
EOF
"${CC:-cc}" -shared -fPIC -o kill.so kill.c -ldl 2>cc.err || bail_out "cannot build kill.so: $(cat cc.err)"
asan=$(ldd "$CDREAD" 2>/dev/null | awk '/libasan/ {print $3}')
test_expect_success 'killed while the CUE is written: no NAME.cue naming a part of the tracks' '
	( KILL_NAME="$TMP/out/k.cue" LD_PRELOAD="${asan:+$asan }$TMP/kill.so" \
		"$CDREAD" -q --image out/k t99.cue 2>kerr && echo 0 >st || echo $? >st ) &&
	test "$(cat st)" -eq 137 &&
	test -e out/k.bin &&
	test ! -e out/k.cue && test ! -e out/k.toc
'
test_expect_success 'killed while the TOC is written: the CUE is whole, no NAME.toc' '
	( KILL_NAME="$TMP/out/kt.toc" LD_PRELOAD="${asan:+$asan }$TMP/kill.so" \
		"$CDREAD" -q --image out/kt t99.cue 2>kerr && echo 0 >st || echo $? >st ) &&
	test "$(cat st)" -eq 137 &&
	test ! -e out/kt.toc &&
	cd-info --no-device-info -q --cue-file out/kt.cue >ci 2>&1 &&
	grep -q "Track List (1 - 99)" ci
'

test_expect_success '--image NAME with a quote (a CUE cannot name its BIN): exit 2' '
	st=0; "$CDREAD" --image "out/a\"b" t99.cue 2>err || st=$?
	test $st -eq 2 && grep -q "a quote or a control character" err &&
	test ! -e "out/a\"b.bin"
'

test_expect_success '--image into the BIN it reads (dev=DIR/X.cue --image DIR/X): exit 3, the BIN as it was' '
	md5sum <t99.bin >before &&
	st=0; "$CDREAD" --image t99 t99.cue 2>err || st=$?
	test $st -eq 3 && grep -q "already there" err &&
	md5sum <t99.bin | diff -u before -
'

test_expect_success 'two --image runs to one NAME at once: one image, whole; the other exit 3' '
	( "$CDREAD" -q --image out/two t99.cue 2>e1 && echo 0 >st1 || echo $? >st1 ) &
	( "$CDREAD" -q --image out/two t99.cue 2>e2 && echo 0 >st2 || echo $? >st2 ) &
	wait &&
	test "$(cat st1 st2 | sort | tr "\n" " ")" = "0 3 " &&
	cmp out/two.bin t99.bin &&
	cd-info --no-device-info -q --cue-file out/two.cue >ci 2>&1 &&
	grep -q "Track List (1 - 99)" ci
'

# a data track of 2048-byte sectors (a CUE's MODE1/2048, a TOC's MODE1):
# libcdio 2.1 reads it at 2352-byte offsets, and --image made MODE1
# sectors of those bytes, a BIN of other data, exit 0
random_bytes $((60 * 2048)) u.bin >u.bin || exit 1
printf 'FILE "u.bin" BINARY\n  TRACK 01 MODE1/2048\n    INDEX 01 00:00:00\n' >u.cue || exit 1
printf 'CD_ROM\nTRACK MODE1\nFILE "u.bin" 0\n' >u.toc || exit 1
test_expect_success '--image of a track of 2048-byte sectors (CUE and TOC): exit 1, said, nothing written' '
	st=0; "$CDREAD" --image out/u u.cue 2>err || st=$?
	test $st -eq 1 && grep -q "not a raw 2352-byte sector" err &&
	test ! -e out/u.bin && test ! -e out/u.cue &&
	st=0; "$CDREAD" --image out/u u.toc 2>err || st=$?
	test $st -eq 1 && grep -q "not a raw 2352-byte sector" err &&
	test ! -e out/u.bin && test ! -e out/u.cue
'

test_expect_success '... and a data copy of it: exit 1, said (it was other data, exit 0)' '
	st=0; "$CDREAD" u.cue >u.out 2>err || st=$?
	test $st -eq 1 && grep -q "track 1 holds 2048-byte sectors" err &&
	st=0; "$CDREAD" --all --noerror u.toc >u.out 2>err || st=$?
	test $st -eq 1 && grep -q "track 1 holds 2048-byte sectors" err
'

# an ISO image file cut short: a data copy and --toc say it is truncated
# (exit 1); --image made a CUE/BIN of it and exited 0
"$top_builddir/tools/isomk" -quiet -o full.iso out || exit 1
blocks=$(( $(stat -c %s full.iso) / 2048 ))
head -c $(( (blocks - 2) * 2048 )) full.iso >cut.iso || exit 1
test_expect_success '--image of a truncated ISO image: exit 1, said, nothing written' '
	st=0; "$CDREAD" --image out/cut cut.iso 2>err || st=$?
	test $st -eq 1 && grep -q "a truncated image" err &&
	test ! -e out/cut.bin && test ! -e out/cut.cue &&
	"$CDREAD" -q --image out/full full.iso
'

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	test_expect_success '--image into a directory it cannot write (as nobody): exit 1, nothing there' '
		mkdir ro && chmod 755 ro && cp t99.cue t99.bin ro/ && chmod 555 ro &&
		chmod 755 "$TMP" &&
		st=0; setpriv --reuid=65534 --regid=65534 --clear-groups \
			"$CDREAD" --image ro/x ro/t99.cue 2>err || st=$?
		test $st -eq 1 && grep -q "ro/x.bin: cannot create: Permission denied" err &&
		test "$(ls ro | tr "\n" " ")" = "t99.bin t99.cue "
	'
else
	test_skip '--image into a directory it cannot write' 'not root'
fi

test_done
