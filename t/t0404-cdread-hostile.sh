#!/bin/sh
# cdread given what no image is (issue 10): a FIFO named as the image,
# /dev/zero, a symbolic link loop, a file of more blocks than an int32_t
# counts, cdrdao TOC sheets libcdio cannot parse or whose data file is
# missing. Each must be a clear error, never a hang and never a short
# copy that ends with exit 0.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum python3 timeout
CDREAD="$top_builddir/tools/cdread"
FIX="$top_srcdir/../shared/fixtures/libcdio"

mkdir -p src || exit 1
head -c 300000 /dev/urandom >src/random.bin || exit 1
"$ISOMK" -quiet -R -o t.iso src || exit 1
blocks=$(($(stat -c %s t.iso) / 2048))
md5() { md5sum | cut -d" " -f1; }

# ------------------------------------------------- what is no image
test_expect_success 'a FIFO named as the image: refused at once, no wait for a writer' '
	mkfifo fifo
	st=0; timeout 20 "$CDREAD" fifo >out 2>err || st=$?
	test $st -eq 2
	grep -q "fifo: not an image file, block device or drive" err
'
test_expect_status 2 '/dev/zero: no image, usage' '"$CDREAD" /dev/zero >out'
test_expect_status 3 'a symbolic link loop: exit 3' '
	ln -s loop.b loop.a; ln -s loop.a loop.b; "$CDREAD" loop.a >out'
# a sparse file: no disk space, if the file system takes the size
if truncate -s 5T sparse.iso 2>/dev/null; then
	test_expect_success 'a file of more than 2^31 blocks: exit 1 (it wrapped to a copy of nothing and exit 0)' '
		dd if=t.iso of=sparse.iso conv=notrunc status=none
		st=0; "$CDREAD" sparse.iso >out 2>err || st=$?
		test $st -eq 1
		grep -q "sparse.iso: too large: 2684354560 blocks" err
		test ! -s out
	'
	rm -f sparse.iso
else
	test_skip 'a file of more than 2^31 blocks' 'no sparse 5 TiB file here'
fi

# ------------------------------------------------- sheets
if [ -f "$FIX/isofs-m1.cue" ]; then
	test_expect_success 'every bad cdrdao TOC fixture: a bad sheet, exit 1 (not a tiny image, exit 3)' '
		for f in "$FIX"/bad-*.toc; do
			st=0; "$CDREAD" "$f" >out 2>err || st=$?
			test $st -eq 1
			grep -q "not a cdrdao TOC file libcdio can read" err
			test ! -s out
		done
	'
	test_expect_success 'every bad CUE fixture: exit 1' '
		for f in "$FIX"/bad-*.cue; do
			st=0; "$CDREAD" "$f" >out 2>err || st=$?
			test $st -eq 1
			grep -q "not a CD image libcdio can read" err
		done
	'
	test_expect_success 'a TOC whose BIN is missing: a bad sheet, exit 1' '
		mkdir nobin
		cp "$FIX/isofs-m1.toc" nobin/
		st=0; "$CDREAD" nobin/isofs-m1.toc >out 2>err || st=$?
		test $st -eq 1
		grep -q "nobin/isofs-m1.toc: not a cdrdao TOC file libcdio can read (a bad sheet, or its data file is missing)" err
	'
else
	test_skip 'bad sheets' 'no ../shared/fixtures'
fi

test_done
