#!/bin/sh
# isomk's newest options (-T, -sort, --sort-weight*, -z, --zisofs,
# -hfsplus, the volume dates) tried as an unlucky and a hostile user
# would: big images, odd names, deep trees, files that are not what they
# say, option values that are not what they should be. Each test names
# the bug it guards against. The tables are checked against the directory
# records by an independent reader written here in Python (every table
# line against the record it names), and with genisoimage's isoinfo.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 genisoimage /usr/bin/isoinfo xorriso bsdtar mkzftree
GI=/usr/bin/isoinfo

# trans_check ISO [NAME]: every translation table of ISO holds one line per
# entry of its directory, in record order, "T ISO_NAME<pad to 210>\tREAL"
# (and "\tTARGET" for a link), read from the records and their Rock Ridge
# NM/PX/SL/CL/RE entries; every directory that has entries has a table.
cat >trans_check.py <<'PY'
import struct, sys
img = open(sys.argv[1], 'rb').read()
tname = sys.argv[2].encode() if len(sys.argv) > 2 else b'TRANS.TBL'
B = 2048
def u32(b, o): return struct.unpack('<I', b[o:o + 4])[0]
def susp(data, out):
    i = 0
    while i + 4 <= len(data):
        sig, ln = data[i:i + 2], data[i + 2]
        if ln < 4: break
        e = data[i:i + ln]
        if sig == b'NM': out['nm'] = out.get('nm', b'') + e[5:]
        elif sig == b'RE': out['re'] = 1
        elif sig == b'CL': out['cl'] = u32(e, 4)
        elif sig == b'PX': out['mode'] = u32(e, 4)
        elif sig == b'SL':
            j, t = 5, out.get('sl', b'')
            while j + 2 <= len(e):
                f, l = e[j], e[j + 1]
                c = b'.' if f & 2 else b'..' if f & 4 else b'' if f & 8 else e[j + 2:j + 2 + l]
                t += c
                if not f & 1 and j + 2 + l < len(e): t += b'/'
                j += 2 + l
            out['sl'] = t
        elif sig == b'CE':
            l, o, n = u32(e, 4), u32(e, 12), u32(e, 20)
            susp(img[l * B + o:l * B + o + n], out)
        elif sig == b'ST': break
        i += ln
def records(lba, size):
    d, p, out = img[lba * B:lba * B + size], 0, []
    while p < size:
        rl = d[p]
        if rl == 0:
            p = (p // B + 1) * B
            continue
        r = d[p:p + rl]
        p += rl
        nl = r[32]
        name = r[33:33 + nl]
        if name in (b'\0', b'\1'): continue
        info = {}
        susp(r[33 + nl + (nl % 2 == 0):], info)
        out.append(dict(iso=name, flags=r[25], lba=u32(r, 2), size=u32(r, 10), **info))
    return out
kinds = {0o040000: 'D', 0o120000: 'L', 0o010000: 'P', 0o060000: 'B', 0o020000: 'C', 0o140000: 'S'}
root = img[16 * B + 156:16 * B + 190]
todo, bad, ntab = [(b'/', u32(root, 2), u32(root, 10))], 0, 0
while todo:
    path, lba, size = todo.pop()
    want, tbl = [], None
    for r in records(lba, size):
        if r['flags'] & 0x80 or 're' in r: continue
        nm = r.get('nm', r['iso'].split(b';')[0])
        # the relocation directory, which genisoimage does not list
        if path == b'/' and nm in (b'rr_moved', b'.rr_moved'): continue
        if nm == tname:
            tbl = r
            continue
        typ = kinds.get(r['mode'] & 0o170000, 'F') if 'mode' in r else 'D' if r['flags'] & 2 else 'F'
        want.append(typ.encode() + b' ' + r['iso'].ljust(208) + b'\t' + nm +
                    (b'\t' + r.get('sl', b'') if typ == 'L' else b'') + b'\n')
        if typ == 'D':
            dl = r.get('cl', r['lba'])
            todo.append((path + nm + b'/', dl, u32(img, dl * B + 10)))
    if tbl is None:
        if want:
            print('no table in', path)
            bad += 1
        continue
    ntab += 1
    got = img[tbl['lba'] * B:tbl['lba'] * B + tbl['size']]
    if got != b''.join(want):
        print('the table of', path, 'is not its directory:', got[:300], b''.join(want)[:300])
        bad += 1
print('tables', ntab, 'bad', bad)
sys.exit(1 if bad or not ntab else 0)
PY

# ---------------------------------------------------------------- -T
# The layout pass that learns the ISO 9660 names is stopped once the
# directories are read; on an image larger than libisofs's 8 MiB ring its
# writer thread was still running and said "Image write cancelled", which
# made every -T image of a real tree exit 1.
mkdir -p big/sub || exit 1
truncate -s 20M big/zeros || exit 1
echo a >big/sub/LongName.txt || exit 1
test_expect_success '-T on an image larger than 8 MiB: exit 0, nothing said, the tables right' '
	"$ISOMK" -R -J -T -o big.iso big 2>big.err &&
	test ! -s big.err &&
	python3 trans_check.py big.iso &&
	"$GI" -R -i big.iso -x /sub/TRANS.TBL >sub.tbl &&
	grep -q "^F LONGNAME.TXT;1 *	LongName.txt$" sub.tbl
'
test_expect_success '... and -print-size says it, without a message' '
	size=$("$ISOMK" -R -J -T -print-size big 2>ps.err) &&
	test ! -s ps.err &&
	test $((size * 2048)) -eq "$(stat -c %s big.iso)"
'

# ------------------------------------------- paths named by image path
# --sort-weight*, -hfs-bless-by and -hfsplus-file-creator-type name image
# paths, which were looked up only once the output file had been opened
# and truncated: a typo destroyed the image already at -o ("'old.iso' is
# incomplete: removed").
mkdir -p w/d || exit 1
echo a >w/d/f || exit 1
for o in "--sort-weight 5 /typo" "-hfs-bless-by p /typo" \
	"-hfsplus-file-creator-type ABCD EFGH /typo"; do
	test_expect_success "$o: exit 2, and the old -o file is left as it was" "
		echo precious >old.iso &&
		st=0; \"\$ISOMK\" -R $o -o old.iso w 2>old.err || st=\$?
		test \$st -eq 2 &&
		test \"\$(cat old.iso)\" = precious &&
		grep -q '/typo: the image has no such file' old.err &&
		! grep -q incomplete old.err
	"
done
printf '5 /typo\n' >typo.list || exit 1
test_expect_success '--sort-weight-list naming a path the image lacks: the old -o file too' '
	echo precious >old.iso &&
	st=0; "$ISOMK" -R --sort-weight-list typo.list -o old.iso w 2>old.err || st=$?
	test $st -eq 2 && test "$(cat old.iso)" = precious
'
test_expect_success '--set_all_file_dates still reaches the translation tables, --sort-weight a table' '
	"$ISOMK" -R -T --set_all_file_dates 2000.01.02 --sort-weight 9 /d/TRANS.TBL -o dates.iso w &&
	TZ=UTC bsdtar -tvf dates.iso >dates.lst &&
	grep -q "Jan  2  2000 d/TRANS.TBL$" dates.lst &&
	grep -q "Jan  2  2000 TRANS.TBL$" dates.lst &&
	! grep -v "Jan  2  2000" dates.lst
'

# ----------------------------------------------------------- list files
# A sort file, weight list or -*-list was read with getline, which grows
# its buffer for as long as the file has no newline: -sort /dev/zero ate
# all memory. Lines are bounded now, and NUL bytes refused. The files here
# are bounded so that a broken isomk ends too (and says something else).
head -c 16777216 /dev/zero >zeros || exit 1
head -c 20000 /dev/zero | tr '\0' x >longline || exit 1
test_expect_success '-sort with a file of NUL bytes: exit 2 at once, what is wrong said' '
	st=0; "$ISOMK" -R -sort zeros -o z.iso w 2>z.err || st=$?
	test $st -eq 2 && ! test -e z.iso &&
	grep -q "^isomk: sort file .zeros. line 1: longer than [0-9]* bytes, or a NUL byte in it" z.err
'
test_expect_success '-sort - reading NUL bytes from a pipe: the same' '
	st=0; "$ISOMK" -R -sort - -o z.iso w <zeros 2>z.err || st=$?
	test $st -eq 2 && grep -q "^isomk: sort file .-. line 1: longer than" z.err
'
test_expect_success '-sort with a line longer than any path: exit 2' '
	st=0; "$ISOMK" -R -sort longline -o z.iso w 2>z.err || st=$?
	test $st -eq 2 && grep -q "line 1: longer than" z.err &&
	test "$(wc -c <z.err)" -lt 400
'
for o in --sort-weight-list --sort-weight-patterns -hide-hfsplus-list \
	-hide-list -exclude-list -path-list; do
	test_expect_success "$o with a file of NUL bytes: exit 2, said" "
		st=0; \"\$ISOMK\" -R $o zeros -o z.iso w 2>z.err || st=\$?
		test \$st -eq 2 && grep -q 'longer than [0-9]* bytes, or a NUL byte' z.err
	"
done
test_expect_success '--sort-weight-list naming a directory: an error, not an empty list' '
	st=0; "$ISOMK" -R --sort-weight-list w -o z.iso w 2>z.err || st=$?
	test $st -ne 0 && grep -q "^isomk: --sort-weight-list: cannot read .w.: Is a directory" z.err
'
test_expect_success 'list files that end without a newline, or in CRLF (sort files), still read' '
	printf "w/d/f 7" >nonl.sort &&
	printf "w/d/f 7\r\n" >crlf.sort &&
	printf "7 /d/f" >nonl.list &&
	"$ISOMK" -R -sort nonl.sort -o n1.iso w &&
	"$ISOMK" -R -sort crlf.sort -o n2.iso w &&
	"$ISOMK" -R --sort-weight-list nonl.list -o n3.iso w
'

# -table-name . or .. or a name longer than 255 bytes went through to
# libisofs, after the whole tree had been read: exit 1, "cannot add .:
# Reserved Rock Ridge leaf name". A usage error, said before any work.
long255=$(printf "%0255d" 0) || exit 1
for n in . .. "${long255}9"; do
	test_expect_success "-table-name of ${#n} bytes ($(printf %.8s "$n")): exit 2, before the tree is read" "
		st=0; \"\$ISOMK\" -R -table-name '$n' -o tn.iso w 2>tn.err || st=\$?
		test \$st -eq 2 && grep -q '^isomk: -table-name wants a file name' tn.err &&
		! test -e tn.iso
	"
done
test_expect_success '-table-name of 255 bytes is a name: the tables have it' '
	"$ISOMK" -R -J -table-name "$long255" -o tn.iso w &&
	python3 trans_check.py tn.iso "$long255" &&
	"$GI" -R -i tn.iso -x "/d/$long255" >tn.tbl &&
	grep -q "^F F.;1 *	f$" tn.tbl
'

# A directory left out of the ISO 9660 tree (-hide) is not reached by the
# layout pass, and kept the empty table put there first: Joliet and HFS+
# showed an empty TRANS.TBL in it. genisoimage writes none there.
mkdir -p hd/hid/deeper hd/vis || exit 1
echo a >hd/hid/f || exit 1
echo b >hd/hid/deeper/g || exit 1
echo c >hd/vis/h || exit 1
test_expect_success '-T -hide DIR: no table in it in Joliet, as genisoimage' '
	"$ISOMK" -R -J -T -hide hid -o hd.iso hd &&
	genisoimage -quiet -R -J -T -hide hid -o ghd.iso hd &&
	"$GI" -J -f -i hd.iso | grep TRANS.TBL | sort >hd.j &&
	"$GI" -J -f -i ghd.iso | grep TRANS.TBL | sort >ghd.j &&
	diff -u ghd.j hd.j &&
	grep -q "^/vis/TRANS.TBL$" hd.j &&
	python3 trans_check.py hd.iso
'

# Without Rock Ridge no CL entry can lead to a relocated directory, and
# libisofs left every directory 9 levels deep or more out of the image
# (an empty RR_MOVED, exit 0, nothing said); -T's tables, laid out with
# Rock Ridge, still named them. Such a tree is written at its depth now,
# as xorriso -as mkisofs writes it.
deep=$(seq -s/ 1 11) || exit 1
mkdir -p "dp/$deep" || exit 1
echo x >"dp/$deep/f" || exit 1
echo y >"dp/$deep/../g" || exit 1
test_expect_success 'without -R, directories 9 to 11 deep are in the image, and -T lists them' '
	"$ISOMK" -T -o dp.iso dp 2>dp.err &&
	test ! -s dp.err &&
	"$GI" -f -i dp.iso >dp.lst &&
	grep -q "^/$deep/F.;1$" dp.lst &&
	grep -q "^/1/2/3/4/5/6/7/8/9/10/G.;1$" dp.lst &&
	! grep -q RR_MOVED dp.lst &&
	"$GI" -i dp.iso -x "/1/2/3/4/5/6/7/8/TRANS.TBL;1" >dp8.tbl &&
	grep -q "^D 9 *	9$" dp8.tbl &&
	"$GI" -i dp.iso -x "/$deep/TRANS.TBL;1" >dp11.tbl &&
	grep -q "^F F.;1 *	f$" dp11.tbl
'
test_expect_success '... which bsdtar and xorriso read at their paths' '
	bsdtar -tf dp.iso >dp.bsd &&
	grep -q "^$deep/F$" dp.bsd &&
	xorriso -indev dp.iso -find / -name "F*" 2>/dev/null >dp.x &&
	grep -q "^./$deep/F;1$\|^./$deep/F$\|/$deep/F" dp.x
'
test_expect_success 'with -R they are relocated as before, and the tables follow CL (as genisoimage)' '
	"$ISOMK" -R -T -o dpr.iso dp &&
	genisoimage -quiet -R -T -o gdpr.iso dp &&
	"$GI" -f -i dpr.iso >dpr.lst && grep -q "^/RR_MOVED/8$" dpr.lst &&
	python3 trans_check.py dpr.iso &&
	for p in /1/2/3/4/5/6/7/TRANS.TBL /RR_MOVED/8/TRANS.TBL /1/TRANS.TBL; do
		"$GI" -R -i dpr.iso -x "$p" >a.tbl || exit 1
		"$GI" -R -i gdpr.iso -x "$p" >b.tbl || exit 1
		cmp a.tbl b.tbl || exit 1
	done
'

# ------------------------------------------------ -T on a crowded tree
# 3,000 names in one directory that collide after 8 characters and in
# case, tabs and newlines in names, a 255-byte name (its NM entry goes to
# a continuation area), hard links: every table line against its record,
# and the real names the same as genisoimage lists.
mkdir crowd || exit 1
(cd crowd && i=0 && while [ $i -lt 3000 ]; do : >"abcdefghij_$i.txt"; i=$((i + 1)); done) || exit 1
for n in xab.TXT xAb.TXT xaB.TXT xAB.TXT "$(printf 'tab\there')" "$(printf 'nl\nhere')" "$long255"; do
	echo "$n" >"crowd/$n" || exit 1
done
ln crowd/xab.TXT crowd/hard || exit 1
test_expect_success '-T on 3,000 colliding names, odd names, a 255-byte name: every line right' '
	"$ISOMK" -R -J -T -o crowd.iso crowd 2>crowd.err &&
	test ! -s crowd.err &&
	python3 trans_check.py crowd.iso &&
	genisoimage -quiet -R -J -T -o gcrowd.iso crowd 2>/dev/null &&
	"$GI" -R -i crowd.iso -x /TRANS.TBL | cut -c1-2,211- | sort >c.real &&
	"$GI" -R -i gcrowd.iso -x /TRANS.TBL | cut -c1-2,211- | sort >gc.real &&
	test "$(wc -l <c.real)" -ge 3008 &&
	diff -u gc.real c.real
'

# ---------------------------------------------------------------- -z
# -z checked the first and the last block pointer of a zisofs header
# only: a file whose pointers in between went backwards got a ZF entry
# (exit 0, nothing said) and no reader could uncompress it. Every pointer
# is checked now; such a file is stored as it is, with a warning.
mkdir zin || exit 1
yes "zisofs me" | head -c 200000 >zin/a || exit 1
mkzftree zin zout || exit 1
python3 - <<'PY' || exit 1
import struct
good = open('zout/a', 'rb').read()
b = bytearray(good)
b[16 + 4 * 2:16 + 4 * 3] = struct.pack('<I', 20)  # block 1 ends before it starts
open('zout/backwards', 'wb').write(bytes(b))
b = bytearray(good)
b[16 + 4 * 3:16 + 4 * 4] = struct.pack('<I', 0xffffff00)  # far past the end
open('zout/pastend', 'wb').write(bytes(b))
PY
ISOINFO="$top_builddir/tools/isoinfo"
test_expect_success '-z: block pointers that go backwards or past the end: stored as they are, said' '
	"$ISOMK" -R -z -o zb.iso zout 2>zb.err &&
	grep -q "^isomk: warning: zout/backwards: has the zisofs magic number but no valid header" zb.err &&
	grep -q "^isomk: warning: zout/pastend: has the zisofs magic number but no valid header" zb.err &&
	"$ISOINFO" -i zb.iso -x /backwards >zb.1 && cmp zb.1 zout/backwards &&
	"$ISOINFO" -i zb.iso -x /pastend >zb.2 && cmp zb.2 zout/pastend &&
	"$ISOINFO" -i zb.iso -x /a >zb.3 && cmp zb.3 zin/a &&
	xorriso -osirrox on -indev zb.iso -extract /a zb.4 2>/dev/null && cmp zb.4 zin/a
'

# ---------------------------------------------------------------- dates
# --modification-date (and -volume_date uuid) is written into the volume
# descriptor as it is; only its year was checked, so month 13 or hour 99
# made a volume date no reader can take (xorriso refuses some: an hour
# 24, a minute or second 60, a day 32).
for u in 2024139999999999 2024001000000000 2024020000000000 \
	2024021524000000 2024021523600000 2024021523596000; do
	test_expect_success "--modification-date=$u is not a date: exit 2" "
		st=0; \"\$ISOMK\" -R --modification-date=$u -o md.iso w 2>md.err || st=\$?
		test \$st -eq 2
		grep -q 'want 16 digits' md.err
		test ! -e md.iso
		st=0; \"\$ISOMK\" -R -volume_date uuid $u -o md.iso w 2>md.err || st=\$?
		test \$st -eq 2
	"
done
cat >pvd_dates.py <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()[16 * 2048:17 * 2048]
print(d[813:829].decode(), d[830:846].decode())
PY
test_expect_success '--modification-date at its limits is written as given, as xorriso writes it' '
	for u in 1970010100000000 2999123123595999 2024022923595900; do
		"$ISOMK" -R --modification-date=$u -o md.iso w || exit 1
		xorriso -as mkisofs -R --modification-date=$u -o xmd.iso w >/dev/null 2>&1 || exit 1
		test "$(python3 pvd_dates.py md.iso)" = "$u $u" || exit 1
		test "$(python3 pvd_dates.py xmd.iso)" = "$u $u" || exit 1
	done
'

# A directory record's year is one byte after 1900, and a volume date has
# four digits: libisofs wrote 2155 (9999) for any later time, exit 0,
# nothing said. Such times are refused now, the last ones still taken.
for v in 2156.01.01 =5869584000 9999.12.31 2999123123595999; do
	test_expect_success "--set_all_file_dates $v (after 2155): exit 2, no image" "
		st=0; \"\$ISOMK\" -R --set_all_file_dates $v -o fd.iso w 2>fd.err || st=\$?
		test \$st -eq 2 && grep -q 'after 2155' fd.err && ! test -e fd.iso
	"
done
test_expect_success '--set_all_file_dates =5869583999, the last second of 2155, is taken' '
	"$ISOMK" -R --set_all_file_dates =5869583999 -o fd.iso w &&
	TZ=UTC bsdtar -tvf fd.iso >fd.lst &&
	grep -q "Dec 31  2155 d/f$" fd.lst
'
test_expect_success '-volume_date x after 9999: exit 2; its last second is taken' '
	st=0; "$ISOMK" -R -volume_date x =253402300800 -o vd.iso w 2>vd.err || st=$?
	test $st -eq 2 && grep -q "after the year 9999" vd.err && ! test -e vd.iso &&
	"$ISOMK" -R -volume_date x =253402300799 -o vd.iso w &&
	python3 - vd.iso <<-PY
	import sys
	d = open(sys.argv[1], "rb").read()[16 * 2048:17 * 2048]
	assert d[847:863] == b"9999123123595900", d[847:863]
	PY
'

test_done
