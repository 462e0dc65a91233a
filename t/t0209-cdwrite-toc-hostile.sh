#!/bin/sh
# cdwrite NAME.toc and dev=NAME.cue against hostile input: times that
# wrap or fall inside a sector, an image longer than a CD, an image whose
# files are its own input, CD-TEXT of the tracks alone, a damaged textfile=.
# Each is checked by cdrdao, cd-info and the packs as Red Book has them.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 cd-info cdrdao md5sum
CDWRITE="$top_builddir/tools/cdwrite"

# 6 s of audio
python3 -c "
import sys
sys.stdout.buffer.write(bytes((i * 7) & 0xff for i in range(2352 * 450)))" >a.bin || exit 1
sum=$(md5sum <a.bin) || exit 1

# a TOC of one track: its statements after the FILE line on stdin
toc() { { echo 'CD_DA'; echo 'TRACK AUDIO'; echo 'FILE "a.bin" 0'; cat; } >"$1"; }

echo 'INDEX 1' | toc idx.toc || exit 1
test_expect_success 'INDEX less than a sector after the start: exit 1, as cdrdao refuses it' '
	st=0; cdrdao show-toc idx.toc >cd 2>&1 || st=$?
	test $st -ne 0
	grep -q "Index at start of track" cd
	st=0; "$CDWRITE" dev=o.cue idx.toc 2>err || st=$?
	test $st -eq 1 && grep -q "idx.toc: line 4: INDEX: .*: nothing written" err &&
	! test -e o.cue && ! test -e o.bin && ! test -e o.toc
'
echo 'INDEX 00:01:00 INDEX 00:01:00' | toc idx2.toc || exit 1
test_expect_status 1 'INDEX twice at the same sector: exit 1' '"$CDWRITE" dev=o.cue idx2.toc 2>err'

for stmt in 'PREGAP 1' 'START 1' 'INDEX 75'; do
	case $stmt in
	PREGAP*) printf 'CD_DA\nTRACK AUDIO\n%s\nFILE "a.bin" 0\n' "$stmt" >s.toc ;;
	*) printf 'CD_DA\nTRACK AUDIO\nFILE "a.bin" 0\n%s\n' "$stmt" >s.toc ;;
	esac || exit 1
	test_expect_success "$stmt (samples, not MM:SS:FF): exit 1, as cdrdao refuses it" '
		st=0; cdrdao show-toc s.toc >cd 2>&1 || st=$?
		test $st -ne 0
		st=0; "$CDWRITE" dev=o.cue s.toc 2>err || st=$?
		test $st -eq 1 && grep -q "s.toc: line [34]: ${stmt%% *}: ${stmt#* } is no MM:SS:FF time" err && ! test -e o.bin
	'
done

for t in 4294967296:00:05 0:+5:0 0:-0:5 1:2 1::2 0000:05:00; do
	printf 'TRACK AUDIO\nFILE "a.bin" 0 %s\n' "$t" >msf.toc || exit 1
	test_expect_success "FILE length $t: exit 1, no MM:SS:FF time (sscanf would wrap or take a sign)" '
		st=0; "$CDWRITE" dev=o.cue msf.toc 2>err || st=$?
		test $st -eq 1 && grep -q "line 2: FILE: $t is no MM:SS:FF time" err && ! test -e o.bin
	'
done

printf 'TRACK AUDIO\nSILENCE 70:00:00\nTRACK AUDIO\nSILENCE 40:00:00\n' >long.toc || exit 1
printf 'TRACK AUDIO\nSILENCE 9999999999999\n' >huge.toc || exit 1
test_expect_success 'an image longer than a CD (110 min): exit 1 before a byte is written' '
	st=0; "$CDWRITE" dev=o.cue long.toc 2>err || st=$?
	test $st -eq 1 && grep -q "o.cue: 495000 sectors (110:00): more than a CD holds" err &&
	! test -e o.cue && ! test -e o.bin && ! test -e o.toc
'
test_expect_success '40 TB of SILENCE: exit 1 before a byte is written' '
	st=0; "$CDWRITE" dev=o.cue huge.toc 2>err || st=$?
	test $st -eq 1 && grep -q "more than a CD holds" err && ! test -e o.bin
'
test_expect_success 'standard input longer than a CD: exit 1, nothing left' '
	st=0; head -c $((2352 * 449850)) /dev/zero | "$CDWRITE" dev=o.cue -audio -swab - 2>err || st=$?
	test $st -eq 1 && grep -q "more than a CD holds .* after standard input" err &&
	! test -e o.cue && ! test -e o.bin && ! test -e o.toc
'

# the image's files are its input: refused, the input left as it was
cp a.bin x.bin || exit 1
printf 'TRACK AUDIO\nFILE "x.bin" 0\n' >x.toc || exit 1
cp x.toc y.toc || exit 1
test_expect_success 'dev=x.cue x.toc: the image'"'"'s x.toc is the sheet: exit 2, not "remove it"' '
	st=0; "$CDWRITE" dev=x.cue x.toc 2>err || st=$?
	test $st -eq 2 && grep -q "x.toc: the image would be written over its own input" err &&
	! grep -q remove err && ! test -e x.cue && cmp x.toc y.toc
'
test_expect_success 'dev=x.cue y.toc whose FILE is x.bin: exit 2, x.bin as it was' '
	st=0; "$CDWRITE" dev=x.cue y.toc 2>err || st=$?
	test $st -eq 2 && grep -q "x.bin: the image would be written over its own input (x.bin)" err &&
	! grep -q remove err && ! test -e x.cue && ! test -e x.toc.part &&
	test "$(md5sum <x.bin)" = "$sum"
'
test_expect_success 'dev=x.cue -audio -swab x.bin: exit 2, x.bin as it was' '
	rm -f x.toc
	st=0; "$CDWRITE" dev=x.cue -audio -swab x.bin 2>err || st=$?
	test $st -eq 2 && grep -q "x.bin: the image would be written over its own input" err &&
	! test -e x.cue && test "$(md5sum <x.bin)" = "$sum"
'

# CD-TEXT of the tracks alone (no disc CD_TEXT): packs as the Red Book
# has them, read here (libcdio 2.1 gives a string to the track of the
# pack it ends in, cdrdao show-toc lists no CD-TEXT)
cat >tt-src.toc <<'TOC' || exit 1
CD_DA
TRACK AUDIO
CD_TEXT { LANGUAGE 0 { TITLE "First Song" PERFORMER "Someone" } }
FILE "a.bin" 0
TRACK AUDIO
CD_TEXT { LANGUAGE 0 { TITLE "Second" } }
FILE "a.bin" 0
TOC
cat >packs.py <<'PY' || exit 1
import sys
d = open(sys.argv[1], 'rb').read()
assert d and len(d) % 18 == 0
text = {}
for i in range(0, len(d), 18):
    p = d[i:i + 18]
    crc = 0
    for b in p[:16]:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021 if crc & 0x8000 else crc << 1) & 0xffff
    assert crc ^ 0xffff == p[16] << 8 | p[17], 'crc of pack %d' % (i // 18)
    if p[3] & 0x70 == 0 and p[0] < 0x8f:
        text.setdefault(p[0], b'')
        text[p[0]] += p[4:16]
for t, v in sorted(text.items()):
    print('%x %s' % (t, '|'.join(s.decode('latin-1') for s in v.split(b'\0')[:3])))
PY
test_expect_success 'CD-TEXT of the tracks alone: NAME.cdt holds it, "" for the disc' '
	"$CDWRITE" dev=tt.cue tt-src.toc && test -s tt.cdt &&
	grep -qx "CDTEXTFILE \"tt.cdt\"" tt.cue &&
	python3 packs.py tt.cdt >got && cat got &&
	grep -qx "80 |First Song|Second" got && grep -qx "81 |Someone|" got
'
test_expect_success 'CD-TEXT of the tracks alone: NAME.toc has the disc'"'"'s LANGUAGE_MAP, cdrdao reads it' '
	python3 -c "
s = open(\"tt.toc\").read()
d = s[:s.index(\"TRACK\")]
assert \"LANGUAGE_MAP { 0 : EN }\" in d and \"TITLE \\\"\\\"\" in d, d" &&
	cdrdao show-toc tt.toc >/dev/null 2>&1 &&
	cd-info --no-device-info -q --cue-file tt.cue >info 2>&1 &&
	grep -q "TITLE: Second" info
'

# textfile= whose packs are damaged: a CD writer would refuse them
# (libburn checks the CRCs), the image too
cat >dt-src.toc <<'TOC' || exit 1
CD_DA
CD_TEXT { LANGUAGE_MAP { 0 : EN } LANGUAGE 0 { TITLE "Disc" } }
TRACK AUDIO
CD_TEXT { LANGUAGE 0 { TITLE "One" } }
FILE "a.bin" 0
TOC
"$CDWRITE" dev=dt.cue dt-src.toc || exit 1
python3 -c "
d = bytearray(open('dt.cdt', 'rb').read()); d[5] ^= 1
open('crc.cdt', 'wb').write(d)
open('type.cdt', 'wb').write(bytes(range(36)))" || exit 1
test_expect_success 'textfile= with a wrong CRC: exit 2, nothing written' '
	st=0; "$CDWRITE" dev=c.cue textfile=crc.cdt -audio -swab a.bin 2>err || st=$?
	test $st -eq 2 && grep -q "textfile=crc.cdt: not a CD-TEXT pack file: pack 1 of [0-9]* is damaged" err &&
	! test -e c.cue && ! test -e c.bin
'
test_expect_success 'textfile= of packs of no CD-TEXT type: exit 2' '
	st=0; "$CDWRITE" dev=c.cue textfile=type.cdt -audio -swab a.bin 2>err || st=$?
	test $st -eq 2 && grep -q "pack 1 of 2 is of no CD-TEXT type" err && ! test -e c.cue
'
test_expect_success 'textfile= of the packs cdwrite made: taken, the same packs beside the image' '
	"$CDWRITE" dev=c.cue textfile=dt.cdt -audio -swab a.bin && cmp dt.cdt c.cdt
'
# the same option twice: one of them would be lost without a word
test_expect_success 'isrc= twice before one track: exit 2, not the first one lost' '
	st=0; "$CDWRITE" dev=i.cue isrc=DEABC2500001 isrc=DEABC2500002 -audio -swab a.bin a.bin 2>err || st=$?
	test $st -eq 2 && grep -q "isrc=DEABC2500002: the next track has an ISRC already (isrc=DEABC2500001)" err &&
	! test -e i.cue
'
test_expect_success 'mcn= twice, textfile= twice: exit 2' '
	st=0; "$CDWRITE" dev=i.cue mcn=1234567890123 mcn=1234567890124 -audio -swab a.bin 2>err || st=$?
	test $st -eq 2 && grep -q "two media catalogue numbers" err
	st=0; "$CDWRITE" dev=i.cue textfile=dt.cdt textfile=dt.cdt -audio -swab a.bin 2>err || st=$?
	test $st -eq 2 && grep -q "two CD-TEXT files" err && ! test -e i.cue
'
test_expect_success 'isrc= for each of two tracks: both in the sheet' '
	"$CDWRITE" dev=i.cue isrc=DEABC2500001 -audio -swab a.bin isrc=DEABC2500002 a.bin &&
	test "$(grep -c "ISRC DEABC250000[12]" i.cue)" -eq 2
'
test_done
