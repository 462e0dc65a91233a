#!/bin/sh
# cdwrite NAME.toc: a cdrdao TOC file written as a CD (here an image-backed
# one, dev=NAME.cue: no CD writer is attached, and vmdrive's writer is a
# DVD+R, which takes no audio). The image is checked against the TOC by
# cdrdao (show-toc of the source and of the NAME.toc written beside the
# image), by libcdio (cd-info: starts, MCN, CD-TEXT; cd-read: the samples)
# and by libburn (cdwrite NAME.cue reads the sheet). Also mcn=, isrc= and
# textfile= for -audio tracks, and -audio NAME.bin beside NAME.cue, which
# would be read big-endian. Bad sheets: exit 1, nothing written.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 cd-info cd-read cdrdao md5sum
CDWRITE="$top_builddir/tools/cdwrite"

# a disc of three tracks, its data in a directory of its own (FILE names
# are relative to the sheet); expect.bin is the disc as the TOC describes
# it, made here from cdrdao(1)'s rules, not by cdwrite
mkdir src || exit 1
python3 - <<'EOF'
import math, struct, wave
def frames(n, k):
    return b''.join(struct.pack('<hh', int(9000 * math.sin(i / (7 + k))),
                                (i * k) % 30000 - 15000) for i in range(n))
disc = frames(44100 * 6 + 100, 1) + frames(44100 * 5, 2)
open('src/disc.bin', 'wb').write(disc)
t3 = frames(44100 * 4 + 1000, 3)
w = wave.open('src/t3.wav', 'wb'); w.setnchannels(2); w.setsampwidth(2)
w.setframerate(44100); w.writeframes(t3); w.close()
S = 2352
# a raw FILE is big-endian to cdrdao; the disc (a BIN) holds little-endian
def swap(b):
    a = bytearray(b); a[0::2], a[1::2] = b[1::2], b[0::2]; return bytes(a)
t1 = swap(disc[0:450 * S])                             # START 00:02:00 inside
t2 = bytes(105 * S) + swap(disc[450 * S:750 * S] + disc[264700 * 4:(264700 + 44100) * 4])
t3 = bytes(10 * S) + t3
t3 += bytes(-len(t3) % S)                              # the last sector filled up
open('expect.bin', 'wb').write(t1 + t2 + t3)
EOF
[ $? -eq 0 ] || bail_out "python3 could not make the audio files"
cat >src/album.toc <<'EOF' || exit 1
CD_DA
CATALOG "0123456789012"
CD_TEXT {
  LANGUAGE_MAP { 0 : EN }
  LANGUAGE 0 {
    TITLE "Album \"Q\" Title"
    PERFORMER "The Band"
    DISC_ID "XY12345"
  }
}
// track 1: a pre-gap inside the file's data
TRACK AUDIO
ISRC "DEABC2500001"
CD_TEXT { LANGUAGE 0 { TITLE "First" PERFORMER "The Band" } }
FILE "disc.bin" 0 00:06:00
START 00:02:00
TRACK AUDIO
COPY
PRE_EMPHASIS
ISRC "DEABC2500002"
CD_TEXT { LANGUAGE 0 { TITLE "Second" PERFORMER "Guest" } }
PREGAP 00:01:30
FILE "disc.bin" 00:06:00 00:04:00
FILE "disc.bin" 264700 44100   // samples
INDEX 00:02:00
TRACK AUDIO
CD_TEXT { LANGUAGE 0 { TITLE "Third" PERFORMER "The Band" } }
SILENCE 00:00:10
START
AUDIOFILE "t3.wav" 0
EOF
# the same disc, its raw data little-endian and said so (SWAP, as cdread
# --image writes it), from a #byte offset
python3 -c "
d = open('src/disc.bin', 'rb').read()
a = bytearray(d); a[0::2], a[1::2] = d[1::2], d[0::2]
open('src/disc-le.bin', 'wb').write(b'HEAD' + bytes(a))
" || exit 1
sed 's/FILE "disc.bin" \([0-9:]*\)/FILE "disc-le.bin" SWAP #4 \1/' src/album.toc >src/album-le.toc || exit 1
# cdrdao show-toc without the blank lines and END's "*" (a track that is
# no whole number of sectors: filled up)
show_toc() { cdrdao show-toc "$1" 2>&1 | grep -v '^$' | sed 's/END\*/END /'; }

test_expect_success 'cdwrite dev=out.cue src/album.toc: three tracks, FILE names found beside the sheet' '
	"$CDWRITE" -v dev=out.cue src/album.toc 2>err &&
	grep -q "track 2: 6.40 s, pre-gap 105 sectors, ISRC DEABC2500002" err &&
	test -s out.bin && test -s out.toc && test -s out.cdt
'
test_expect_success 'cdrdao show-toc: the TOC written beside the image is the source disc' '
	(cd src && cdrdao show-toc album.toc) 2>&1 | grep -v "^$" | sed "s/END\*/END /" >want &&
	grep -q "START  00:07:30(   555)" want && grep -q "INDEX  2 00:09:30(   705)" want &&
	show_toc out.toc >got && diff want got
'
test_expect_success 'cd-read: every sample of the image is the disc the TOC describes' '
	test "$(stat -c %s out.bin)" -eq $((1242 * 2352)) &&
	cd-read --no-header -c out.cue -m audio -s 0 -n 1242 -o got.raw >/dev/null 2>&1 &&
	test "$(md5sum <got.raw)" = "$(md5sum <expect.bin)"
'
test_expect_success 'cdrdao show-data of the source TOC: track 1, sample by sample, is the image (byte order)' '
	(cd src && cdrdao show-data album.toc) 2>/dev/null >data.txt &&
	python3 - data.txt out.bin <<-EOF
	import re, struct, sys
	# "     2:-19960  27333": the sample number, left, right
	got = [m.groups() for m in (re.match(r"^ *([0-9]+): *(-?[0-9]+) +(-?[0-9]+)$", l) for l in open(sys.argv[1])) if m]
	# track 1: 450 sectors of the raw (big-endian) disc.bin
	b = open(sys.argv[2], "rb").read()[:450 * 2352]
	want = struct.unpack("<%dh" % (len(b) // 2), b)
	assert len(got) * 2 >= len(want), (len(got), len(want))
	for i in range(len(want) // 2):
	    n, l, r = got[i]
	    assert (int(l), int(r)) == want[2 * i:2 * i + 2], (i, l, r)
	EOF
'
test_expect_success 'FILE "x" SWAP #N: little-endian data at a byte offset, the same disc' '
	grep -q "disc-le.bin\" SWAP #4" src/album-le.toc &&
	"$CDWRITE" -q dev=le.cue src/album-le.toc && cmp le.bin out.bin
'
test_expect_success 'cdread --image of the image, its TOC written again by cdwrite: the same BIN' '
	mkdir -p copy && "$top_builddir/tools/cdread" -q --image copy/c out.cue &&
	cmp copy/c.bin out.bin &&
	"$CDWRITE" -q dev=copy/again.cue copy/c.toc && cmp copy/again.bin out.bin
'
test_expect_success 'a CUE sheet from another directory: libburn finds its FILE beside it' '
	mkdir -p far && st=0; (cd far && "$CDWRITE" -v dev=x.img ../out.cue) 2>err || st=$?
	test $st -eq 3 && grep -q "out.cue: 3 tracks, 1242 sectors, as libburn reads it" err
'
test_expect_success 'cd-info: track starts after their pre-gaps, flags, lead-out, MCN, CD-TEXT' '
	cd-info --no-device-info -q --cue-file out.cue >info 2>&1 &&
	grep -Eq "^ +1: 00:04:00 +000150 audio +false +no +2 +no" info &&
	grep -Eq "^ +2: 00:09:30 +000555 audio +false +yes +2 +yes" info &&
	grep -Eq "^ +3: 00:14:40 +000940 audio" info &&
	grep -Eq "^170: .* +001242 leadout" info &&
	grep -q "Media Catalog Number (MCN): 0123456789012" info &&
	grep -q "TITLE: Album .Q. Title" info && grep -q "DISC_ID: XY12345" info &&
	grep -q "TITLE: Second" info && grep -q "PERFORMER: Guest" info
'
test_expect_success 'the CUE sheet: CATALOG, ISRC, FLAGS, INDEX 00 and 02, CDTEXTFILE' '
	grep -qx "CATALOG 0123456789012" out.cue && grep -qx "CDTEXTFILE \"out.cdt\"" out.cue &&
	grep -qx "    ISRC DEABC2500001" out.cue && grep -qx "    FLAGS DCP PRE" out.cue &&
	grep -qx "    INDEX 00 00:06:00" out.cue && grep -qx "    INDEX 02 00:09:30" out.cue &&
	test $(( $(stat -c %s out.cdt) % 18 )) -eq 0
'
test_expect_success 'libburn reads the sheet written (cdwrite NAME.cue): 3 tracks, 1242 sectors' '
	st=0; "$CDWRITE" -v dev=burn.img out.cue 2>err || st=$?
	test $st -eq 3 && grep -q "out.cue: 3 tracks, 1242 sectors, as libburn reads it" err &&
	! test -e burn.img
'
test_expect_success 'from another directory: FILE names are still the sheet'"'"'s (as cdrdao has them)' '
	mkdir -p elsewhere/deeper && (cd elsewhere/deeper && "$CDWRITE" dev=../again.cue ../../src/album.toc) &&
	cmp out.bin elsewhere/again.bin
'
test_expect_success 'dev=NAME.cue where a NAME.toc is (the user'"'"'s own sheet): exit 3, it is left alone' '
	cp src/album.toc own.toc && cp src/album.toc own.copy || exit 1
	st=0; "$CDWRITE" dev=own.cue src/album.toc 2>err || st=$?
	test $st -eq 3 && grep -q "own.toc is there without a sheet" err &&
	cmp own.toc own.copy && ! test -e own.cue && ! test -e own.bin
'
test_expect_success 'CD-TEXT of another language: warned about, language 0 written' '
	sed "s/^  LANGUAGE 0 {/  LANGUAGE 1 { TITLE \"Titel\" }\n&/" src/album.toc >src/lang.toc &&
	grep -q "LANGUAGE 1" src/lang.toc &&
	"$CDWRITE" dev=lang.cue src/lang.toc 2>err &&
	grep -q "warning: src/lang.toc: CD-TEXT of language 1 is not written" err &&
	grep -q "^TITLE \"Album .Q. Title\"" lang.cue && ! grep -q Titel lang.cue lang.toc
'
test_expect_success 'a TOC to a plain image file: exit 3 (audio needs a CD), nothing written' '
	st=0; "$CDWRITE" dev=x.img src/album.toc 2>err || st=$?
	test $st -eq 3 && grep -q "audio tracks need a CD-R or CD-RW" err && ! test -e x.img
'

# bad sheets: exit 1, the line and why, nothing written
bad_toc() { # NAME WHAT-THE-MESSAGE-SAYS, the sheet on stdin
	cat >"src/$1.toc" &&
	st=0 && "$CDWRITE" dev="$1.cue" "src/$1.toc" 2>err || st=$?
	cat err; test $st -eq 1 && grep -q "$2" err && grep -q "nothing written" err &&
	! test -e "$1.cue" && ! test -e "$1.bin" && ! test -e "$1.toc"
}
test_expect_success 'a data file that is not there: exit 1, named' '
	printf "CD_DA\nTRACK AUDIO\nFILE \"gone.bin\" 0\n" | bad_toc gone "line 3: FILE \".*src/gone.bin\": No such file"
'
test_expect_success 'a data track (MODE1): exit 1, cdwrite writes audio tracks only' '
	printf "CD_ROM\nTRACK MODE1\nDATAFILE \"disc.bin\"\n" | bad_toc data "track 1 is MODE1: cdwrite writes the audio tracks of a TOC file only"
'
test_expect_success 'more than the file holds: exit 1' '
	printf "TRACK AUDIO\nFILE \"disc.bin\" 00:10:00 00:05:00\n" | bad_toc long "asked for, it holds 1940800"
'
test_expect_success 'a track shorter than 4 s: exit 1 before anything is written' '
	printf "TRACK AUDIO\nFILE \"disc.bin\" 0 00:03:74\n" | bad_toc short "track 1: 3.99 s of audio"
'
test_expect_success 'words that are no TOC, a string that does not end, no TRACK: exit 1' '
	printf "CD_DA\nTRACK AUDIO\nFILE \"disc.bin\" 0\nPLAY LOUD\n" | bad_toc word "line 4: .PLAY.: no cdrdao TOC statement" &&
	printf "TRACK AUDIO\nISRC \"DEABC25\n" | bad_toc str "line 2: a string does not end" &&
	printf "CD_DA\n// nothing\n" | bad_toc none "no TRACK in it" &&
	printf "TRACK AUDIO\nISRC \"DE-ABC-25-1\"\nFILE \"disc.bin\" 0\n" | bad_toc isrc "not CCOOOYYSSSSS" &&
	random_bytes 3000 noise | tr -d "\000" | bad_toc noise "line"
'
fx="$top_srcdir/../shared/fixtures/libcdio"
if [ -d "$fx" ]; then
	for f in "$fx"/bad-*.toc "$fx"/data1.toc "$fx"/t5.toc; do
		b=$(basename "$f" .toc)
		test_expect_success "libcdio $b.toc: exit 1, the line and why, nothing written" '
			st=0; "$CDWRITE" dev=fx.cue "$f" 2>err || st=$?
			test $st -eq 1 && grep -q "$b.toc: line [0-9]*: .*: nothing written" err && ! test -e fx.cue
		'
	done
	test_expect_success 'libcdio cdtext.toc: its CD-TEXT in the image, as cd-info reads it' '
		"$CDWRITE" dev=ct.cue "$fx/cdtext.toc" &&
		cd-info --no-device-info -q --cue-file ct.cue >info 2>&1 &&
		grep -q "TITLE: CD Title" info && grep -q "DISC_ID: XY12345" info &&
		grep -q "TITLE: Track Title" info && grep -q "^170: 01:02:00  004500 leadout" info
	'
else
	test_skip 'the libcdio TOC fixtures' '../shared is not there'
fi

# mcn=, isrc= and textfile= for -audio tracks (raw little-endian here)
head -c $((2352 * 320)) expect.bin >a.le || exit 1
tail -c $((2352 * 330)) expect.bin >b.le || exit 1
test_expect_success 'mcn=, isrc= (the next track), textfile=: in the sheet, read back by cdrdao and cd-info' '
	"$CDWRITE" dev=m.cue mcn=1234567890123 textfile=out.cdt -audio -swab isrc=us-ab1-25-00042 a.le b.le &&
	grep -qx "CATALOG 1234567890123" m.cue && grep -qx "    ISRC USAB12500042" m.cue &&
	test "$(grep -c ISRC m.cue)" -eq 1 && cmp out.cdt m.cdt &&
	cdrdao show-toc m.cue >toc 2>&1 && grep -q "CATALOG NUMBER: 1234567890123" toc &&
	grep -q "ISRC US AB1 25 00042" toc && test "$(grep -c ISRC toc)" -eq 1 &&
	show_toc m.toc >toc2 && grep -q "ISRC US AB1 25 00042" toc2 &&
	cd-info --no-device-info -q --cue-file m.cue >info 2>&1 &&
	grep -q "Media Catalog Number (MCN): 1234567890123" info &&
	grep -q "TITLE: Album .Q. Title" info && grep -q "TITLE: Second" info
'
if [ -d "$fx" ]; then
	test_expect_success 'textfile= of a pack file cdrskin made (libburnia): its CD-TEXT in the image' '
		"$CDWRITE" dev=lb.cue textfile="$fx/cdtext-libburnia.cdt" -audio -swab a.le b.le &&
		cd-info --no-device-info -q --cue-file lb.cue >info 2>&1 &&
		grep -q "TITLE: Night Cats II" info && grep -q "TITLE: The Hunt" info &&
		grep -qx "    TITLE \"Song of Joy\"" lb.cue
	'
fi
test_expect_status 2 'mcn= of 12 digits: usage' '"$CDWRITE" dev=u.cue mcn=123456789012 -audio a.le 2>err; st=$?; grep -q "mcn=123456789012" err && exit $st'
test_expect_status 2 'isrc= that is no ISRC: usage' '"$CDWRITE" dev=u.cue -audio isrc=DEABC25000X1 a.le 2>err; st=$?; grep -q "isrc=DEABC25000X1" err && exit $st'
test_expect_status 2 'isrc= with no track after it: usage' '"$CDWRITE" dev=u.cue -audio a.le isrc=DEABC2500001 2>err; st=$?; grep -q "no -audio track follows" err && exit $st'
test_expect_status 2 'textfile= that is no pack file: usage' '"$CDWRITE" dev=u.cue textfile=src/album.toc -audio a.le 2>err; st=$?; grep -q "textfile=src/album.toc: not a CD-TEXT pack file" err && exit $st'
test_expect_status 2 'mcn= with a TOC (it names its own): usage' '"$CDWRITE" dev=u.cue mcn=1234567890123 src/album.toc 2>err; st=$?; grep -q "names its own" err && exit $st'
test_expect_status 2 'a TOC among other tracks: usage (a CD image is written alone)' '"$CDWRITE" dev=u.cue -audio a.le src/album.toc 2>err; st=$?; grep -q "src/album.toc: a CD image is written alone" err && exit $st'
test_expect_success 'nothing was written by the refusals' '! test -e u.cue && ! test -e u.bin'

# a CUE image's BIN is little-endian: -audio would read it big-endian
test_expect_success '-audio NAME.bin beside NAME.cue: exit 2, says to write the .cue or give -swab' '
	st=0; "$CDWRITE" dev=sw.cue -audio out.bin 2>err || st=$?
	test $st -eq 2 && grep -q "out.bin: the BIN of a CUE image is little-endian" err &&
	grep -q "out.cue" err && grep -q "\-swab" err && ! test -e sw.cue && ! test -e sw.bin
'
test_expect_success '-audio -swab NAME.bin: written as little-endian, as asked' '
	"$CDWRITE" dev=sw.cue -audio -swab out.bin && cmp out.bin sw.bin
'
test_expect_success 'a .bin with no sheet beside it is raw audio as before (big-endian)' '
	cp a.le lone.bin && "$CDWRITE" dev=other.cue -audio lone.bin &&
	python3 -c "
a = open(\"a.le\", \"rb\").read(); b = open(\"other.bin\", \"rb\").read()
assert b[0::2] == a[1::2] and b[1::2] == a[0::2]"
'
test_done
