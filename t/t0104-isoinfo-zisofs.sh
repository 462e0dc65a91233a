#!/bin/sh
# isoinfo and zisofs: files that xorriso compressed (-set_filter_r --zisofs,
# Rock Ridge ZF entries) come out as their originals with -x and
# --extract-dir, and -l and --json give their real size. Guards against
# (issue 9) the compressed bytes written out as the file with exit 0, and
# against damaged or hostile zisofs data: a message, exit 1, no partial
# file left, no crash and no allocation sized by the image.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso bsdtar isoinfo python3
ISOINFO="$top_builddir/tools/isoinfo"
T="timeout 60"

mkdir -p src/sub || exit 1
seq 1 100000 >src/numbers || exit 1
head -c 200000 /dev/zero >src/zeros || exit 1
random_bytes 70000 src/random.bin >src/random.bin || exit 1
{ seq 1 20000; head -c 40000 /dev/zero; seq 5 9000; } >src/sub/mixed || exit 1
echo small >src/sub/small || exit 1
: >src/empty || exit 1
cp src/numbers src/sub/numbers.copy || exit 1
xorriso -outdev z.iso -map src / -set_filter_r --zisofs / -- -commit >/dev/null 2>&1 || exit 1

# patch IMG COPY OFFSET HEXBYTES: overwrite bytes of a copy
patch() {
	cp "$1" "$2" && python3 - "$2" "$3" "$4" <<'PY'
import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); f.write(bytes.fromhex(sys.argv[3]))
PY
}
# the block of /numbers' data and the offset of its ZF entry's method
lba=$(isoinfo -R -l -i z.iso | sed -n "s/.*\[ *\([0-9]*\) 00\]  numbers *$/\1/p")
zf=$(python3 - z.iso <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
print(d.index(b"ZF\x10\x01pz"))
PY
)
say "numbers at block $lba, first ZF entry at $zf"

test_expect_success 'xorriso compressed the files (control: isoinfo of genisoimage shows the compressed size)' '
	test -n "$lba" && test -n "$zf" &&
	isoinfo -R -l -i z.iso | grep " numbers *$" >gl &&
	! grep -q " $(stat -c %s src/numbers) " gl
'
test_expect_success 'isoinfo -x gives the original of every file (compressed or not)' '
	for f in numbers zeros random.bin sub/mixed sub/small empty sub/numbers.copy; do
		"$ISOINFO" -i z.iso -x /$f >out || exit 1
		cmp out src/$f || exit 1
	done
'
test_expect_success 'isoinfo --extract-dir gives the original tree; bsdtar agrees' '
	"$ISOINFO" -i z.iso --extract-dir x.own &&
	check_same src x.own &&
	extract_bsdtar z.iso x.bsdtar && check_same src x.bsdtar
'
test_expect_success 'isoinfo -l and --json give the real sizes, as bsdtar does' '
	"$ISOINFO" -l -i z.iso >l.all &&
	grep -E " (numbers|zeros|mixed)$" l.all | awk "{print \$5, \$NF}" | sort >l &&
	printf "%s %s\n" "$(stat -c %s src/sub/mixed)" mixed "$(stat -c %s src/numbers)" numbers \
		"$(stat -c %s src/zeros)" zeros | sort >want && diff -u want l &&
	"$ISOINFO" --json -l -i z.iso >j && grep "\"path\":\"/numbers\"" j | grep -q "\"size\":$(stat -c %s src/numbers),"
'
test_expect_success 'a damaged compressed block: message naming the file, exit 1' '
	patch z.iso bad-block.iso $((lba * 2048 + 400)) ffffffffffffffffffffffffffffffff || exit 1
	st=0; $T "$ISOINFO" -i bad-block.iso -x /numbers >out 2>err || st=$?
	test $st -eq 1 && grep -q "numbers: zisofs block 0 is damaged" err &&
	"$ISOINFO" -i bad-block.iso -x /zeros >zeros && cmp zeros src/zeros
'
test_expect_success '... and --extract-dir leaves no partial file, extracts the rest, exit 1' '
	st=0; $T "$ISOINFO" -i bad-block.iso --extract-dir x.bad 2>err || st=$?
	test $st -eq 1 && grep -q "numbers" err && ! test -e x.bad/numbers &&
	cmp x.bad/sub/numbers.copy src/sub/numbers.copy && cmp x.bad/zeros src/zeros
'
test_expect_success 'a block pointer past the data: message, exit 1' '
	patch z.iso bad-ptr.iso $((lba * 2048 + 20)) ffffff7f &&
	st=0; $T "$ISOINFO" -i bad-ptr.iso -x /numbers >out 2>err || st=$?
	test $st -eq 1 && grep -q "numbers: zisofs block 0 lies outside the file" err
'
test_expect_success 'a damaged file header: message, exit 1' '
	patch z.iso bad-head.iso $((lba * 2048)) 00 &&
	st=0; $T "$ISOINFO" -i bad-head.iso -x /numbers >out 2>err || st=$?
	test $st -eq 1 && grep -q "numbers: zisofs data damaged" err && ! test -s out
'
test_expect_success 'a ZF entry claiming 4 GiB: refused without allocating it, exit 1' '
	patch z.iso huge.iso $((zf + 8)) ffffffffffffffff &&
	st=0; $T "$ISOINFO" -i huge.iso -x /numbers >out 2>err || st=$?
	test $st -eq 1 && grep -q "numbers: zisofs data damaged" err && ! test -s out
'
test_expect_success 'a block size no writer makes (2^31): refused, exit 1' '
	patch z.iso bs.iso $((zf + 7)) 1f &&
	st=0; $T "$ISOINFO" -i bs.iso -x /numbers >out 2>err || st=$?
	test $st -eq 1 && grep -q "numbers: zisofs with header size 16 and block size 2^31" err
'
test_expect_success 'an unknown compression method: refused, never written compressed, exit 1' '
	patch z.iso method.iso $((zf + 4)) 7878 &&
	st=0; $T "$ISOINFO" -i method.iso -x /numbers >out 2>err || st=$?
	test $st -eq 1 && grep -q "compressed by a method isoinfo does not know (.xx.)" err &&
	! test -s out
'
test_done
