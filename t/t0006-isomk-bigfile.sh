#!/bin/sh
# isomk: a file of 4 GiB and more (sparse, so it is cheap) is stored as a
# multi-extent file at ISO level 3, with a notice, and read back whole by
# bsdtar and xorriso. Holes in it stay holes in an image file.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso isoinfo

avail=$(df -Pk . | awk 'NR==2 {print $4}')
[ "${avail:-0}" -gt 1048576 ] || skip_all "less than 1 GiB free in $TMP"

mkdir src
size=$((4 * 1024 * 1024 * 1024 + 3 * 1024 * 1024 + 123))
truncate -s $size src/huge
printf START | dd of=src/huge conv=notrunc 2>/dev/null
printf MIDDLE | dd of=src/huge bs=1 seek=$((2 * 1024 * 1024 * 1024)) conv=notrunc 2>/dev/null
printf END | dd of=src/huge bs=1 seek=$((size - 3)) conv=notrunc 2>/dev/null
echo small >src/small

test_expect_success 'a file of 4 GiB and more: level 3 with a one-line notice' '
	"$ISOMK" -R -J -o big.iso src 2>err &&
	test "$(cat err)" = "isomk: src/huge: file of 4 GiB or more: using ISO level 3 (multi-extent)"
'
test_expect_success '-quiet leaves out the notice' '
	"$ISOMK" -quiet -R -print-size src >/dev/null 2>err && ! test -s err
'
test_expect_success '-print-size is exact for it' '
	size=$("$ISOMK" -quiet -R -J -print-size src)
	test "$size" -eq $(( $(stat -c %s big.iso) / 2048 ))
'
test_expect_success 'the image file is sparse where the source was' '
	test $(( $(stat -c %b big.iso) * $(stat -c %B big.iso) )) -lt 104857600
'
test_expect_success 'bsdtar lists it once, with its full size' '
	TZ=UTC bsdtar -tvf big.iso | grep " huge$" >l && test "$(wc -l <l)" -eq 1 &&
	grep -q " $size " l
'
test_expect_success 'bsdtar extracts it whole, byte for byte' '
	bsdtar -xOf big.iso huge | cmp - src/huge
'
test_expect_success 'xorriso sees one file of the full size with the same content' '
	xorriso -indev big.iso -find /huge -exec lsdl 2>/dev/null | grep -q " $size " &&
	xorriso -indev big.iso -compare src/huge /huge 2>&1 | grep -q "Both file objects match"
'
test_expect_success 'genisoimage isoinfo shows the two extents (it lists each)' '
	test "$(isoinfo -R -l -i big.iso | grep -c " huge *$")" -eq 2
'
ISOINFO="$top_builddir/tools/isoinfo"
test_expect_success 'cdpipe isoinfo lists it once, with its full size' '
	"$ISOINFO" -l -i big.iso >l.all && grep " huge$" l.all >il && test "$(wc -l <il)" -eq 1 &&
	grep -q " $size " il && "$ISOINFO" -f -i big.iso >f && grep -c "^/huge$" f | grep -qx 1
'
test_expect_success 'cdpipe isoinfo -x gives it whole, byte for byte' '
	{ "$ISOINFO" -x /huge -i big.iso; echo $? >st; } | cmp - src/huge && test "$(cat st)" -eq 0
'
test_expect_success 'cdpipe isoinfo --extract-dir writes it whole, and sparse' '
	"$ISOINFO" -i big.iso --extract-dir out && cmp out/huge src/huge &&
	test $(( $(stat -c %b out/huge) * $(stat -c %B out/huge) )) -lt 104857600
'
test_done
