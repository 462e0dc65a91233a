#!/bin/sh
# cdread --toc and --json (lib/cdtoc): the table of contents of CUE/BIN,
# cdrdao TOC, NRG and plain ISO images, and of a drive through the
# kernel, checked against programs that read it on their own: cd-info
# (libcdio's) for track numbers, starts, MSF, types, copy and
# pre-emphasis flags, channels, lengths (start to start), lead-out, MCN
# and CD-TEXT; cdrdao show-toc (its own parser) for starts, pregaps,
# track ends, ISRCs, flags and the MCN; genisoimage's isoinfo for the
# ISO 9660 volume size that a copy reads. The text and the JSON must say
# the same, and the JSON must parse. Bad sheets are an error (exit 1)
# that names the sheet, never a crash (sanitizers are on).
# Guards against (issue 10) a TOC that disagrees with the disc, and
# lengths or copy sizes that are off by the pregap or the padding.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 cd-info cdrdao isoinfo
CDREAD="$top_builddir/tools/cdread"
CDWRITE="$top_builddir/tools/cdwrite"

# tocdiff.py MODE JSON FILE: MODE cd-info or cdrdao (FILE is that
# program's output) or text (FILE is cdread --toc's): every fact they
# both state must be the same
cat >tocdiff.py <<'EOF' || exit 1
import json, re, sys
mode, jf, of = sys.argv[1:4]
d = json.load(open(jf))
T = d['tracks']
txt = open(of, encoding='utf-8', errors='replace').read()
bad = []
def same(what, got, want):
    if got != want:
        bad.append('%s: cdread says %r, %s says %r'
                   % (what, got, 'its JSON' if mode == 'text' else mode, want))
def lengths_from_starts():
    # a TOC gives each track to the next one's start (its pregap
    # included), the last to the lead-out
    s = [t['start'] for t in T] + [d['leadout']]
    for i, t in enumerate(T):
        same('track %d length' % t['track'], t['blocks'], s[i + 1] - s[i])
if mode == 'cd-info':
    fmt = {'audio': 'audio', 'data': 'data', 'XA': 'xa', 'CD-i': 'cdi', 'PSX': 'psx'}
    rows = re.findall(r'^ *(\d+): (\d\d:\d\d:\d\d) +(\d+) (\S+)(.*)$', txt, re.M)
    tr = [r for r in rows if r[3] != 'leadout']
    same('track count', len(T), len(tr))
    for r, t in zip(tr, T):
        num, msf, lsn, typ, rest = r
        cols = rest.split()
        same('track number', t['track'], int(num))
        same('track %s start' % num, t['start'], int(lsn))
        same('track %s msf' % num, t['msf'], msf)
        same('track %s format' % num, t['format'], fmt.get(typ, typ))
        same('track %s copy' % num, t['copy_permitted'], cols[1] == 'yes')
        if typ == 'audio':
            same('track %s channels' % num, t['channels'], int(cols[2]))
            same('track %s preemphasis' % num, t['preemphasis'], cols[3] == 'yes')
    lead = [r for r in rows if r[3] == 'leadout']
    same('lead-out', d['leadout'], int(lead[0][2]) if lead else None)
    lengths_from_starts()
    m = re.search(r'^Media Catalog Number \(MCN\):(.*)$', txt, re.M)
    m = m.group(1).strip() if m else ''
    # "not available", "not supported by drive/driver" or none
    same('mcn', d['mcn'], m if re.fullmatch(r'\d{13}', m) else None)
    m = re.search(r'^ISO 9660: (\d+) blocks', txt, re.M)
    if m:
        same('iso 9660 volume end', d['iso_end'], int(m.group(1)))
    # CD-TEXT: Language N 'NAME': / CD-TEXT for Disc: / CD-TEXT for Track  N:
    blocks, cur, where = [], None, None
    for line in txt.splitlines():
        g = re.match(r"^Language (\d+) '(.*)':$", line)
        if g:
            cur = {'block': int(g.group(1)), 'language': g.group(2), 'disc': {}, 'tracks': {}}
            blocks.append(cur)
            continue
        if cur is None:
            continue
        g = re.match(r'^CD-TEXT for (Disc|Track +(\d+)):$', line)
        if g:
            where = cur['disc'] if g.group(1) == 'Disc' else cur['tracks'].setdefault(int(g.group(2)), {})
            continue
        g = re.match(r'^\t([A-Z_]+): (.*)$', line)
        if g and where is not None and g.group(2).strip():
            v = g.group(2).strip()
            # GENRE_CODE: 5 (Classical)
            where[g.group(1).lower()] = int(v.split()[0]) if g.group(1) == 'GENRE_CODE' else v
    mine = []
    for b in d['cdtext']:
        tracks = {}
        for t in b['tracks']:
            f = {k: v.strip() for k, v in t.items() if k != 'track' and v.strip()}
            if f:
                tracks[t['track']] = f
        mine.append({'block': b['block'], 'language': b['language'],
                     'disc': {k: v.strip() if k != 'genre_code' else v for k, v in b['disc'].items()},
                     'tracks': tracks})
    for b in blocks:
        b['tracks'] = {k: v for k, v in b['tracks'].items() if v}
    same('cd-text', mine, blocks)
    if 'No CD-TEXT on Disc' in txt:
        same('cd-text', d['cdtext'], [])
elif mode == 'cdrdao':
    parts = re.split(r'^TRACK +(\d+) +Mode (\S+?):$', txt, flags=re.M)
    cat = re.search(r'^CATALOG NUMBER: (\d+)', parts[0], re.M)
    same('mcn', d['mcn'], cat.group(1) if cat else None)
    n = (len(parts) - 1) // 3
    same('track count', len(T), n)
    for i in range(min(n, len(T))):
        num, kind, body = parts[1 + 3 * i: 4 + 3 * i]
        t = T[i]
        def pos(key):
            g = re.search(r'^ +%s +\S+\( *(\d+)\)' % key, body, re.M)
            return int(g.group(1)) if g else None
        pregap = pos('PREGAP') or 0
        same('track %d start' % t['track'], t['start'], pos('START'))
        # track 1: the disc's 2 seconds before it unless the sheet says
        same('track %d pregap' % t['track'], t['pregap'],
             pregap if pregap or i else 150)
        # where the next track's pregap begins
        end = T[i + 1]['start'] - T[i + 1]['pregap'] if i + 1 < len(T) else d['leadout']
        same('track %d end' % t['track'], end, pos('END'))
        same('track %d type' % t['track'], t['type'], 'audio' if kind == 'AUDIO' else 'data')
        g = re.search(r'^ +ISRC (\S\S) (\S{3}) (\d\d) (\d{5})$', body, re.M)
        same('track %d isrc' % t['track'], t['isrc'], ''.join(g.groups()) if g else None)
        same('track %d copy' % t['track'], t['copy_permitted'], 'COPY PERMITTED' in body)
        if kind == 'AUDIO':
            same('track %d preemphasis' % t['track'], t['preemphasis'],
                 'NO PRE-EMPHASIS' not in body)
            same('track %d channels' % t['track'], t['channels'],
                 4 if 'FOUR CHANNEL AUDIO' in body else 2)
elif mode == 'text':
    lines = txt.splitlines()
    same('first/last', lines[0], 'first: %d last: %d' % (T[0]['track'], T[-1]['track']))
    mine = [l for l in lines if re.match(r'^track: +\d', l)]
    same('track lines', len(mine), len(T))
    names = {'audio': 'audio', 'data': 'data', 'xa': 'XA', 'cdi': 'CD-i', 'psx': 'PSX'}
    for l, t in zip(mine, T):
        want = ('track: %3d lba: %9d (%9d) %s session: %d mode: %-5s length: %8d pregap: %4d copy: %s'
                % (t['track'], t['start'], 4 * t['start'], t['msf'], t['session'],
                   names[t['format']], t['blocks'], t['pregap'],
                   'yes' if t['copy_permitted'] else 'no'))
        if t['type'] == 'audio' and t['preemphasis']:
            want += ' preemphasis'
        if t['type'] == 'audio' and t['channels'] not in (0, 2):
            want += ' channels: %d' % t['channels']
        if t['isrc']:
            want += ' isrc: ' + t['isrc']
        same('text of track %d' % t['track'], l, want)
    lo = [l for l in lines if l.startswith('track:lout')]
    same('lead-out line', lo[0].split()[2] if lo else None, str(d['leadout']))
    same('mcn line', [l[5:] for l in lines if l.startswith('mcn: ')],
         [d['mcn']] if d['mcn'] else [])
    for s in d['sessions']:
        same('session line', 'session: %d tracks: %d-%d start: %d lead-out: %d'
             % (s['session'], s['first_track'], s['last_track'], s['start'], s['leadout'])
             in lines, True)
    cp = [l for l in lines if l.startswith('copy: ')]
    if d['copy_blocks'] is None:
        same('copy line', cp[0].startswith('copy: none') if cp else None, True)
    else:
        f, n = d['copy_first'], d['copy_blocks']
        same('copy line', cp, ['copy: blocks %d to %d (%d blocks, %d bytes)' % (f, f + n - 1, n, 2048 * n)])
    iso = [int(l.split()[-1]) for l in lines if l.startswith('iso9660: ')]
    same('iso9660 line', iso, [d['iso_end']] if d['iso_end'] is not None else [])
    ct = ['cdtext: ' + (b['language'] + ': ' if len(d['cdtext']) > 1 else '') + w + k + ': ' + v
          for b in d['cdtext']
          for w, f in [('disc: ', b['disc'])] + [('track %d: ' % t['track'], t) for t in b['tracks']]
          for k, v in f.items() if k != 'track' for v in [str(v)]]
    # "genre_code: 5 (Classical)": the code is the JSON's
    same('cd-text lines', [re.sub(r'(genre_code: \d+) \(.*\)$', r'\1', l)
                           for l in lines if l.startswith('cdtext: ') and ': block ' not in l
                           and not l.startswith('cdtext: languages:')], ct)
for b in bad:
    print(b)
sys.exit(1 if bad else 0)
EOF

# cdread --toc and --json of IMAGE, and the JSON against the text. Each
# program runs in the image's directory: libcdio and cdrdao look for the
# data files a TOC file names there (not beside the sheet).
here=$PWD
in_dir() { # IMAGE COMMAND... (IMAGE's name is $f in COMMAND)
	(d=$(dirname "$1") f=$(basename "$1") && shift && cd "$d" && eval "$@")
}
toc_of() { # IMAGE NAME
	in_dir "$1" '"$CDREAD" --json dev="$f"' >"$2.json" &&
	in_dir "$1" '"$CDREAD" --toc dev="$f"' >"$2.txt" &&
	python3 "$here/tocdiff.py" text "$2.json" "$2.txt"
}
# ... and against cd-info (--cue-file, --toc-file or --nrg-file)
agrees_cdinfo() { # IMAGE NAME
	toc_of "$1" "$2" &&
	case $1 in
	*.cue) opt=--cue-file ;;
	*.toc) opt=--toc-file ;;
	*) opt=--nrg-file ;;
	esac &&
	in_dir "$1" 'cd-info --no-device-info -q $opt "$f"' >"$2.cd-info" 2>&1 &&
	python3 "$here/tocdiff.py" cd-info "$2.json" "$2.cd-info"
}
# ... and against cdrdao show-toc
agrees_cdrdao() { # IMAGE NAME
	toc_of "$1" "$2" &&
	in_dir "$1" 'cdrdao show-toc "$f"' >"$2.cdrdao" 2>&1 &&
	python3 "$here/tocdiff.py" cdrdao "$2.json" "$2.cdrdao"
}

# Three WAVE tracks (400, 350 and a bit, 330 sectors): cdwrite -audio
# makes album.cue/album.bin of them
python3 - <<'EOF'
import math, struct, wave
def frames(n, k):
    return b''.join(struct.pack('<hh', int(9000 * math.sin(i / (7 + k))),
                                (i * k) % 30000 - 15000) for i in range(n))
for name, n, k in (('a', 588 * 400, 1), ('b', 588 * 350 + 100, 2), ('c', 588 * 330, 3)):
    w = wave.open(name + '.wav', 'wb'); w.setnchannels(2); w.setsampwidth(2)
    w.setframerate(44100); w.writeframes(frames(n, k)); w.close()
EOF
[ $? -eq 0 ] || bail_out "python3 could not make the audio files"
"$CDWRITE" -audio dev=album.cue a.wav b.wav c.wav 2>/dev/null || bail_out "cdwrite -audio failed"

test_expect_success 'cdwrite -audio album.cue: cd-info and cdrdao show-toc agree' '
	agrees_cdinfo album.cue album &&
	agrees_cdrdao album.cue album &&
	grep -qx "track:lout lba:      1081 (     4324) 00:16:31" album.txt &&
	grep -qx "copy: none (no data track)" album.txt
'

# The same samples described by hand: MCN, CD-TEXT, ISRCs, the copy and
# pre-emphasis flags, pregaps (INDEX 00). libcdio reads the data of
# NAME.cue from NAME.bin, cdrdao from the FILE the sheet names.
ln -s album.bin rich.bin || exit 1
cat >rich.cue <<'EOF' || exit 1
CATALOG 4006381333931
TITLE "Album Title"
PERFORMER "The Band"
FILE "album.bin" BINARY
  TRACK 01 AUDIO
    TITLE "First Song"
    PERFORMER "Singer One"
    FLAGS DCP
    ISRC DEABC0100001
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    TITLE "Second Song"
    SONGWRITER "Writer \Two"
    ISRC DEABC0100002
    INDEX 00 00:05:25
    INDEX 01 00:06:25
  TRACK 03 AUDIO
    TITLE "Third Song"
    FLAGS PRE
    INDEX 00 00:10:01
    INDEX 01 00:10:51
EOF
test_expect_success 'a CUE sheet with MCN, ISRCs, CD-TEXT, flags and pregaps: cd-info and cdrdao agree' '
	agrees_cdinfo rich.cue rich &&
	agrees_cdrdao rich.cue richcd &&
	grep -q "^track:   2 lba:       475 .* length:      326 pregap:   75 copy: no isrc: DEABC0100002$" rich.txt &&
	grep -q "^track:   3 .* pregap:   50 copy: no preemphasis$" rich.txt &&
	grep -qx "mcn: 4006381333931" rich.txt &&
	grep -qx "cdtext: block 0: English" rich.txt &&
	grep -qx "cdtext: disc: title: Album Title" rich.txt &&
	grep -qx "cdtext: track 1: performer: Singer One" rich.txt
'
test_expect_success '--json: the documented fields, with the numbers cd-info has' '
	python3 -c "
import json; d = json.load(open(\"rich.json\"))
assert d[\"kind\"] == \"image\" and d[\"source\"] == \"rich.cue\", d
assert (d[\"first_track\"], d[\"last_track\"], d[\"leadout\"]) == (1, 3, 1081), d
assert d[\"sessions\"] == [{\"session\": 1, \"first_track\": 1, \"last_track\": 3,
                            \"start\": 0, \"leadout\": 1081}], d[\"sessions\"]
t = [(x[\"track\"], x[\"start\"], x[\"blocks\"], x[\"pregap\"], x[\"type\"], x[\"isrc\"]) for x in d[\"tracks\"]]
assert t == [(1, 0, 475, 150, \"audio\", \"DEABC0100001\"), (2, 475, 326, 75, \"audio\", \"DEABC0100002\"),
             (3, 801, 280, 50, \"audio\", None)], t
assert d[\"cdtext\"][0][\"disc\"] == {\"title\": \"Album Title\", \"performer\": \"The Band\"}, d[\"cdtext\"]
assert d[\"cdtext\"][0][\"tracks\"][1] == {\"track\": 2, \"title\": \"Second Song\",
                                          \"songwriter\": \"Writer \\\\Two\"}, d[\"cdtext\"]
assert (d[\"mcn\"], d[\"iso_end\"], d[\"copy_first\"], d[\"copy_blocks\"]) == (\"4006381333931\", None, None, None)
"
'

# A cdrdao TOC file of the same samples (libcdio takes a FILE's offset
# as the track's place on the disc: one file, tracks in order)
cat >rich.toc <<'EOF' || exit 1
CD_DA
CATALOG "4006381333931"
CD_TEXT {
  LANGUAGE 0 {
    TITLE "Album Title"
    PERFORMER "The Band"
  }
}
TRACK AUDIO
COPY
ISRC "DEABC0100001"
CD_TEXT {
  LANGUAGE 0 {
    TITLE "First Song"
    PERFORMER "Singer One"
  }
}
FILE "album.bin" 00:00:00 00:05:25
TRACK AUDIO
ISRC "DEABC0100002"
CD_TEXT {
  LANGUAGE 0 {
    TITLE "Second Song"
  }
}
FILE "album.bin" 00:05:25 00:04:51
START 00:01:00
TRACK AUDIO
PRE_EMPHASIS
FOUR_CHANNEL_AUDIO
FILE "album.bin" 00:10:01 00:04:30
EOF
test_expect_success 'a cdrdao TOC file: cd-info and cdrdao show-toc agree' '
	agrees_cdinfo rich.toc richtoc &&
	agrees_cdrdao rich.toc richtoc2 &&
	grep -q "^track:   3 lba:       751 .* length:      330 pregap:    0 copy: no preemphasis channels: 4$" richtoc.txt &&
	grep -qx "cdtext: track 2: title: Second Song" richtoc.txt
'

# A plain ISO image, padded as a TAO track is (30 blocks of zeros):
# one data track of the file's length; the volume and the copy are the
# ISO 9660 size genisoimage's isoinfo reads
mkdir src || exit 1
seq 1 50000 >src/numbers || exit 1
"$top_builddir/tools/isomk" -quiet -R -o vol.iso src || exit 1
cp vol.iso pad.iso || exit 1
head -c $((30 * 2048)) /dev/zero >>pad.iso || exit 1
vol=$(isoinfo -d -i vol.iso | sed -n "s/^Volume size is: //p")
test_expect_success 'a plain ISO file: one track of its length, the volume and the copy of its size' '
	test -n "$vol" && toc_of pad.iso pad &&
	python3 -c "
import json; d = json.load(open(\"pad.json\")); v = $vol
assert d[\"kind\"] == \"file\" and d[\"file_blocks\"] == v + 30 and d[\"leadout\"] == v + 30, d
t = d[\"tracks\"]
assert [(x[\"track\"], x[\"start\"], x[\"blocks\"], x[\"type\"]) for x in t] == [(1, 0, v + 30, \"data\")], t
assert (d[\"iso_end\"], d[\"copy_first\"], d[\"copy_blocks\"]) == (v, 0, v), d
assert d[\"cdtext\"] == [] and d[\"mcn\"] is None
" &&
	grep -qx "file: $((vol + 30)) blocks ($(stat -c %s pad.iso) bytes)" pad.txt &&
	grep -qx "iso9660: the volume ends at block $vol" pad.txt &&
	"$CDREAD" pad.iso | cmp - vol.iso
'

# A CUE/BIN with a data track (the ISO as raw MODE1/2352 sectors, 20
# blocks of padding) and an audio track after a 2-second pregap
python3 - "$vol" <<'EOF'
import sys
vol = int(sys.argv[1]); iso = open('vol.iso', 'rb').read()
def bcd(n): return (n // 10) << 4 | n % 10
out = open('mixed.bin', 'wb')
for lba in range(vol + 20):
    f = lba + 150
    head = b'\0' + b'\xff' * 10 + b'\0' + bytes((bcd(f // 4500), bcd(f // 75 % 60), bcd(f % 75), 1))
    out.write(head + (iso[lba * 2048:(lba + 1) * 2048] or bytes(2048)).ljust(2048, b'\0') + bytes(288))
out.write(bytes(2352 * 150))
out.write(open('album.bin', 'rb').read()[:2352 * 400])
EOF
[ $? -eq 0 ] || bail_out "python3 could not make mixed.bin"
msf() { echo "$1" | awk '{ printf "%02d:%02d:%02d", int($1 / 4500), int($1 / 75) % 60, $1 % 75 }'; }
cat >mixed.cue <<EOF || exit 1
FILE "mixed.bin" BINARY
  TRACK 01 MODE1/2352
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 00 $(msf $((vol + 20)))
    INDEX 01 $(msf $((vol + 170)))
EOF
test_expect_success 'data and audio in one CUE/BIN: cd-info and cdrdao agree; the copy is the volume' '
	agrees_cdinfo mixed.cue mixed &&
	agrees_cdrdao mixed.cue mixed2 &&
	python3 -c "
import json; d = json.load(open(\"mixed.json\")); v = $vol
t = [(x[\"start\"], x[\"blocks\"], x[\"pregap\"], x[\"type\"]) for x in d[\"tracks\"]]
assert t == [(0, v + 170, 150, \"data\"), (v + 170, 400, 150, \"audio\")], t
assert (d[\"iso_end\"], d[\"copy_first\"], d[\"copy_blocks\"]) == (v, 0, v), d
" &&
	"$CDREAD" mixed.cue | cmp - vol.iso
'

test_expect_success '--toc with a selection of what to copy: a usage error (exit 2)' '
	st=0; "$CDREAD" --toc --track 1 dev=pad.iso >out 2>err || st=$?
	test $st -eq 2 && ! test -s out && grep -q "cdread: " err &&
	st=0; "$CDREAD" --session 1 --json dev=pad.iso >out 2>err || st=$?
	test $st -eq 2 && ! test -s out
'
test_expect_success '--toc of what is not there: exit 3, as a copy' '
	st=0; "$CDREAD" --toc dev=missing.iso >out 2>err || st=$?
	test $st -eq 3 && ! test -s out && grep -q "^cdread: missing.iso: " err
'
test_expect_success 'a NAME.toc that is no sheet: exit 1, says so (not read as an ISO)' '
	printf "TRACK NONSENSE\n" >junk.toc &&
	st=0; "$CDREAD" --toc junk.toc >out 2>err || st=$?
	test $st -eq 1 && ! test -s out &&
	grep -qx "cdread: junk.toc: not a cdrdao TOC file libcdio can read (a bad sheet, or its data file is missing)" err
'

# ---------------------------------------------------- libcdio's images
fx="$top_srcdir/../shared/fixtures/libcdio"
if [ -d "$fx" ]; then
	# cdrdao opens the data file a CUE sheet names (in capitals in these)
	mkdir fx || exit 1
	for f in cdda isofs-m1 p1 cdda_4_5; do
		ln -s "$fx/$f.cue" "fx/$f.cue" && ln -s "$fx/$f.bin" "fx/$f.bin" || exit 1
	done
	ln -s "$fx/cdda.bin" fx/CDDA.BIN && ln -s "$fx/isofs-m1.bin" fx/ISOFS-M1.BIN &&
		ln -s "$fx/p1.bin" fx/BOING.BIN || exit 1
	for f in cdda.cue isofs-m1.cue p1.cue cdda_4_5.cue; do
		test_expect_success "libcdio's $f: cd-info and cdrdao show-toc agree" '
			agrees_cdinfo "fx/$f" "fx-$f" && agrees_cdrdao "fx/$f" "fx2-$f"
		'
	done
	test_expect_success "libcdio's cdda.cue: its MCN and CD-TEXT" '
		grep -qx "mcn: 0000010271955" fx-cdda.cue.txt &&
		grep -qx "cdtext: disc: title: Join us now we have the software" fx-cdda.cue.txt &&
		grep -qx "cdtext: track 1: performer: Richard S" fx-cdda.cue.txt
	'
	test_expect_success "libcdio's isofs-m1.cue: the copy is its ISO 9660 volume (64 blocks)" '
		grep -qx "copy: blocks 0 to 63 (64 blocks, 131072 bytes)" fx-isofs-m1.cue.txt
	'
	# CD-TEXT in two languages (English, German: the packs cdrecord's
	# textfile= takes), named by the sheet
	cp "$fx/cdtext.cdt" . && ln -s album.bin multi.bin || exit 1
	cat >multi.cue <<-'EOF' || exit 1
	CDTEXTFILE "cdtext.cdt"
	FILE "album.bin" BINARY
	  TRACK 01 AUDIO
	    INDEX 01 00:00:00
	  TRACK 02 AUDIO
	    INDEX 01 00:05:25
	  TRACK 03 AUDIO
	    INDEX 01 00:10:01
	EOF
	test_expect_success 'CD-TEXT in two languages (a CDTEXTFILE): each block as cd-info has it' '
		agrees_cdinfo multi.cue multi &&
		grep -qx "cdtext: languages: English, German" multi.txt &&
		grep -qx "cdtext: block 1: German" multi.txt &&
		grep -qx "cdtext: German: disc: title: Freudvolle Nächte" multi.txt &&
		grep -qx "cdtext: English: track 1: title: Song of Joy" multi.txt &&
		python3 -c "
import json; d = json.load(open(\"multi.json\"))
assert [(b[\"block\"], b[\"language\"]) for b in d[\"cdtext\"]] == [(0, \"English\"), (1, \"German\")], d
"
	'
	# the cdrdao TOC files libcdio reads with a TOC that goes forward
	# (cdrdao itself refuses most: their FILE offsets are past the data)
	for f in isofs-m1.toc data2.toc data5.toc data6.toc data7.toc t2.toc t4.toc \
		t5.toc t6.toc t7.toc t8.toc t10.toc p1.nrg videocd.nrg; do
		test_expect_success "libcdio's $f: cd-info agrees" '
			agrees_cdinfo "$fx/$f" "fx-$f"
		'
	done
	test_expect_success "libcdio's t7.toc: the ISRC of track 2 and its pregap (cdrdao's START 0:5:0)" '
		grep -q "^track:   2 lba:      4875 .* pregap:  375 copy: no isrc: DEMUA9800001$" fx-t7.toc.txt
	'
	# TOC files whose tracks libcdio places before the disc's start or
	# out of order: the table cannot be read, said as such
	for f in cdda.toc cdtext.toc data1.toc t1.toc t3.toc t9.toc; do
		test_expect_success "libcdio's $f (a TOC libcdio misreads): exit 1, said" '
			st=0; in_dir "$fx/$f" "\"\$CDREAD\" --toc \"\$f\"" >out 2>err || st=$?
			test $st -eq 1 && ! test -s out &&
			grep -qx "cdread: $f: the image.s table of contents cannot be read" err
		'
	done
	for f in "$fx"/bad-*.cue "$fx"/bad-*.toc "$fx"/vcd2.toc "$fx"/vcd_demo.toc; do
		b=$(basename "$f")
		test_expect_success "libcdio's $b: exit 1, names the sheet" '
			st=0; "$CDREAD" --json "$f" >out 2>err || st=$?
			test $st -eq 1 && ! test -s out &&
			grep -q "^cdread: .*$b: not a .*libcdio can read (a bad sheet, or its data file is missing)$" err
		'
	done
else
	test_skip "libcdio's images" '../shared/fixtures is not here'
fi

# ------------------------------------------------ through the kernel
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
if [ -x "$VMDRIVE" ]; then
	# the qemu drive holds the padded ISO: a closed CD-ROM of one
	# data track; cd-info in the guest reads the same drive
	st=0
	"$VMDRIVE" --image pad.iso --bin "$CDREAD" --bin cd-info -- '
		cdread --json dev=/dev/sr0 >/tmp/j; echo "json exit $?"; cat /tmp/j
		cdread --toc dev=/dev/sr0 >/tmp/t; echo "toc exit $?"; cat /tmp/t
		cd-info --no-device-info -q /dev/sr0 >/tmp/c 2>&1; echo "cd-info exit $?"
		cat /tmp/c; echo "sysfs size: $(cat /sys/block/sr0/size)"' >vm.out 2>&1 || st=$?
	sed -n '/^{/p' vm.out >vm.json
	sed -n '/^first:/,/^copy:/p' vm.out >vm.txt
	sed -n '/^cd-info exit/,$p' vm.out >vm.cd-info
	# the kernel's size of the medium is in 512-byte sectors: the
	# lead-out times 4, as the text has it in parentheses
	test_expect_success 'a drive through the kernel: --toc and --json agree with cd-info in the guest and /sys' '
		test $st -eq 0 && grep -qx "json exit 0" vm.out && grep -qx "toc exit 0" vm.out &&
		grep -qx "cd-info exit 0" vm.out && grep -q "^ISO 9660: $vol blocks" vm.out &&
		grep -qx "sysfs size: $(( ($vol + 30) * 4 ))" vm.out &&
		grep -qx "track:lout lba: .* ( *$(( ($vol + 30) * 4 ))) .*" vm.txt &&
		python3 tocdiff.py text vm.json vm.txt &&
		python3 tocdiff.py cd-info vm.json vm.cd-info &&
		python3 -c "
import json; d = json.load(open(\"vm.json\")); v = $vol
assert d[\"kind\"] == \"drive\" and d[\"source\"] == \"/dev/sr0\", d
assert [(x[\"session\"], x[\"start\"], x[\"type\"]) for x in d[\"tracks\"]] == [(1, 0, \"data\")], d
assert (d[\"iso_end\"], d[\"copy_first\"], d[\"copy_blocks\"]) == (v, 0, v), d
"
	'
	st=0
	"$VMDRIVE" --no-medium --bin "$CDREAD" -- '
		cdread --toc dev=/dev/sr0 >/tmp/t 2>/tmp/e; echo "toc exit $?"
		cat /tmp/e; if test -s /tmp/t; then echo "something on stdout"; fi' >vm2.out 2>&1 || st=$?
	test_expect_success 'an empty drive: --toc exits 3 and says there is no medium' '
		test $st -eq 0 && grep -qx "toc exit 3" vm2.out &&
		grep -qx "cdread: /dev/sr0: there is no medium in the drive (or one it cannot read)" vm2.out &&
		! grep -q "something on stdout" vm2.out
	'
else
	test_skip 'through the kernel' "no vmdrive ($VMDRIVE)"
fi
test_done
