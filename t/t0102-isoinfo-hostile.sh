#!/bin/sh
# isoinfo: images from strangers. Truncated, zeroed, looping, lying and
# malicious images get a clear message and exit 1: no crash, no hang, no
# allocation sized by the image, no write outside the extraction directory.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need python3 bsdtar
ISOINFO="$top_builddir/tools/isoinfo"
REPLAY="$top_builddir/t/fuzz/isoread-replay"
T="timeout 60"

mkdir -p src/d/e && echo hello >src/d/e/f.txt && echo AAAAAAA >src/AAAAAAA && echo x >src/x
"$ISOMK" -quiet -R -J -o good.iso src || bail_out "isomk failed"

# patch IMG OFFSET HEXBYTES: overwrite bytes of a copy
patch() {
	cp "$1" "$2" && python3 - "$2" "$3" "$4" <<'PY'
import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); f.write(bytes.fromhex(sys.argv[3]))
PY
}
# offset of the directory record of NAME (an ISO name) in the directory
# at the root, and the root's block: python prints them
rec() {
	python3 - "$1" "$2" <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
root = struct.unpack("<I", d[16*2048+158:16*2048+162])[0]
off = root * 2048
end = off + struct.unpack("<I", d[16*2048+166:16*2048+170])[0]
name = sys.argv[2].encode()
while off < end:
    l = d[off]
    if l == 0:
        off = (off // 2048 + 1) * 2048; continue
    n = d[off+32]
    if d[off+33:off+33+n].split(b";")[0].rstrip(b".") == name:
        print(off); break
    off += l
PY
}

hostile() { # hostile DESC IMAGE PATTERN: -l and --extract-dir fail cleanly
	test_expect_success "$1" '
		st=0; $T "$ISOINFO" -l -i '"$2"' >out 2>err || st=$?
		test $st -eq 1 && grep -q "'"$3"'" err || exit 1
		st=0; $T "$ISOINFO" -i '"$2"' --extract-dir x.$test_count >out 2>err || st=$?
		test $st -eq 1
	'
}

head -c 40000 good.iso >truncated.iso
hostile 'a truncated image: said so, exit 1' truncated.iso 'shorter than its volume'
test_expect_success 'a truncated image still shows its descriptors (with a warning)' '
	"$ISOINFO" -d -i truncated.iso >d 2>err && grep -q "Volume size is" d && grep -q "shorter" err
'
head -c 20000 good.iso >tiny.iso
test_expect_success 'an image too short for descriptors: exit 1, message' '
	st=0; "$ISOINFO" -d -i tiny.iso 2>err || st=$?
	test $st -eq 1 && grep -q "too short to be an ISO 9660 image" err
'
patch good.iso zeroed.iso 32768 "$(printf '00%.0s' $(seq 1 2048))"
test_expect_success 'a zeroed primary descriptor: not ISO 9660, exit 1' '
	st=0; "$ISOINFO" -l -i zeroed.iso 2>err || st=$?
	test $st -eq 1 && grep -q "not an ISO 9660 image" err
'
test_expect_success 'not an image at all: exit 1' '
	random_bytes 100000 random.img >random.img || exit 1
	st=0; "$ISOINFO" -f -i random.img 2>err || st=$?
	test $st -eq 1 && grep -q "not an ISO 9660 image" err
'
root=$(python3 -c "import struct;d=open('good.iso','rb').read();print(struct.unpack('<I',d[16*2048+158:16*2048+162])[0])")
le32() { python3 -c "import struct,sys;print(struct.pack('<I',int(sys.argv[1])).hex()+struct.pack('>I',int(sys.argv[1])).hex())" "$1"; }
off=$(rec good.iso D)
patch good.iso loop.iso $((off + 2)) "$(le32 $root)"
hostile 'a directory that points at its parent: loop reported, no hang' loop.iso 'directory loop'
patch good.iso huge.iso $(( $(rec good.iso X) + 10 )) "$(le32 4294967295)"
hostile 'a file claiming 4 GiB in a small image: past the end, exit 1' huge.iso 'past the end of the image'
test_expect_success '... and -x of it refuses without reading or allocating 4 GiB' '
	st=0; $T "$ISOINFO" -x /x -i huge.iso >out 2>err || st=$?
	test $st -eq 1 && grep -q "past the end" err && ! test -s out
'
patch good.iso farext.iso $(( $(rec good.iso X) + 2 )) "$(le32 4000000000)"
hostile 'an extent far past the end: exit 1' farext.iso 'past the end of the image'
patch good.iso bigdir.iso $((off + 10)) "$(le32 4294967295)"
hostile 'a directory claiming 4 GiB: refused before any allocation' bigdir.iso 'lies outside the image'
# D's record lies early in its sector: 255 bytes run over the records after
# it, whose bytes are then its Rock Ridge fields
patch good.iso badlen.iso $((off)) "ff"
hostile 'a directory record that runs over the records after it: reported' badlen.iso 'broken Rock Ridge fields'
# a record near the end of its sector made 255 bytes long crosses into the
# next sector, which ECMA-119 never allows
mkdir -p many && for i in $(seq 1 60); do echo $i >many/file_with_a_longer_name_$i.txt; done
"$ISOMK" -quiet -R -o many.iso many || bail_out "isomk failed"
late=$(python3 - many.iso <<'PY'
import struct, sys
d = open(sys.argv[1], "rb").read()
off = struct.unpack("<I", d[16*2048+158:16*2048+162])[0] * 2048
end = off + struct.unpack("<I", d[16*2048+166:16*2048+170])[0]
while off < end:
    if d[off] == 0:
        off = (off // 2048 + 1) * 2048; continue
    if off % 2048 + 255 > 2048:
        print(off); break
    off += d[off]
PY
)
[ -n "$late" ] || bail_out "no directory record late in its sector in many.iso"
patch many.iso across.iso $late "ff"
hostile 'a directory record longer than the rest of its sector: reported' across.iso 'broken directory record'
patch good.iso short.iso $((off)) "05"
hostile 'a directory record too short to hold itself: reported' short.iso 'broken directory record'

# Rock Ridge continuation area pointing at itself
test_expect_success 'a Rock Ridge CE loop: bounded, reported, no hang' '
	python3 - good.iso celoop.iso <<-PY
	import struct, sys
	d = bytearray(open(sys.argv[1], "rb").read())
	root = struct.unpack("<I", d[16*2048+158:16*2048+162])[0]
	off = root * 2048
	# the first record after "." and "..": give it a CE to its own block
	off += d[off]; off += d[off]
	l = d[off]; n = d[off+32]; su = off + 33 + n + (0 if n % 2 else 1)
	ce = b"CE\x1c\x01" + struct.pack("<I", root) + struct.pack(">I", root) \
	   + struct.pack("<I", su - root*2048) + struct.pack(">I", su - root*2048) \
	   + struct.pack("<I", 28) + struct.pack(">I", 28)
	d[su:su+28] = ce
	open(sys.argv[2], "wb").write(d)
	PY
	st=0; $T "$ISOINFO" -l -i celoop.iso >out 2>err || st=$?
	test $st -eq 1 && grep -q "broken Rock Ridge fields" err
'
# a Rock Ridge name with a slash, and one that is ".."
nm=$(python3 -c "d=open('good.iso','rb').read();print(d.find(b'NM\x0c\x01\x00AAAAAAA'))")
patch good.iso slash.iso $((nm + 5)) "$(printf '../evil' | od -An -tx1 | tr -d ' \n')"
test_expect_success 'a name with / or .. never writes outside the directory' '
	mkdir -p jail || exit 1
	st=0; "$ISOINFO" -i slash.iso --extract-dir jail/x 2>err || st=$?
	test $st -eq 1 && grep -q "a name no file system can take" err &&
	! test -e jail/evil && ! test -e evil && test -f jail/x/x
'
test_expect_success '-l of such a name says so and goes on' '
	st=0; "$ISOINFO" -l -i slash.iso >out 2>err || st=$?
	test $st -eq 1 && grep -q "a name no file system can take" err && grep -q "x$" out
'
# a symlink planted by the image, then a directory of the same name
test_expect_success 'a symlink the image plants is never followed when extracting' '
	mkdir -p plant/a2 outside && echo f >plant/a2/f && ln -s "$TMP/outside" plant/a1 &&
	"$ISOMK" -quiet -R -o plant0.iso plant &&
	nm2=$(python3 -c "d=open(\"plant0.iso\",\"rb\").read();print(d.find(b\"NM\\x07\\x01\\x00a2\"))") &&
	patch plant0.iso plant.iso $((nm2 + 5)) "6131" || exit 1
	st=0; "$ISOINFO" -i plant.iso --extract-dir px 2>err || st=$?
	test $st -eq 1 && test -h px/a1 && test -z "$(ls outside)"
'
test_expect_success 'extracting over an existing symlink replaces the link, not its target' '
	mkdir -p over && ln -s "$TMP/outside/victim" over/x &&
	"$ISOINFO" -i good.iso --extract-dir over && ! test -h over/x && ! test -e outside/victim
'

# the libcdio fixtures, when ../shared is there
fx="$top_srcdir/../shared/fixtures/libcdio"
if [ -d "$fx" ]; then
	test_expect_success 'libcdio malformed.iso: a clear refusal' '
		st=0; "$ISOINFO" -l -i "$fx/malformed.iso" 2>err || st=$?
		test $st -eq 1 && grep -q "block size" err
	'
	test_expect_success 'libcdio malformed2.iso and bad-dir.iso: reported, no crash' '
		st=0; $T "$ISOINFO" -l -i "$fx/malformed2.iso" >/dev/null 2>err || st=$?
		test $st -eq 1 && test -s err || exit 1
		st=0; $T "$ISOINFO" -l -i "$fx/bad-dir.iso" >/dev/null 2>err || st=$?
		test $st -eq 1 && test -s err
	'
	test_expect_success 'libcdio multi_extent_8k.iso: one file, whole, as bsdtar sees it' '
		"$ISOINFO" -l -i "$fx/multi_extent_8k.iso" >l && grep -c multi_extent_file l | grep -qx 1 &&
		"$ISOINFO" -x /multi_extent_file -i "$fx/multi_extent_8k.iso" >me && test -s me &&
		bsdtar -xOf "$fx/multi_extent_8k.iso" multi_extent_file >me.bsdtar && cmp me.bsdtar me &&
		"$ISOINFO" -J -x /multi_extent_file -i "$fx/multi_extent_8k_joliet.iso" >me.j && cmp me.j me
	'
	test_expect_success 'libcdio deep-directory.iso: the deep file at its real path' '
		"$ISOINFO" -f -i "$fx/deep-directory.iso" >deep &&
		bsdtar -tf "$fx/deep-directory.iso" >deep.raw &&
		grep -v "/$" deep.raw | sed "s|^\./||; s|^|/|" | grep -v "^/\.\?$" | sort >deep.b &&
		test -s deep.b &&
		grep -v "/$" deep | sort | grep -F -x -f deep.b | wc -l | grep -qx "$(wc -l <deep.b)"
	'
	test_expect_success 'libcdio copying-rr.iso: devices and links as the kernel reads them' '
		"$ISOINFO" -l -i "$fx/copying-rr.iso" >rr &&
		grep -q "^br--r--r-- .* 2, 0 .* fd0$" rr && grep -q "Copy2 -> COPYING$" rr
	'
else
	test_skip 'libcdio fixtures' '../shared/fixtures is not here'
fi

test_expect_success 'every fuzz corpus and regression input replays cleanly' '
	$T "$REPLAY" "$top_srcdir"/t/fuzz/corpus/* $(ls "$top_srcdir"/t/fuzz/regress/* 2>/dev/null | grep -v /.keep) >replay &&
	! grep -q "^not ok" replay
'
test_done
