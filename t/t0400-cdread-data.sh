#!/bin/sh
# cdread's data copies (issue 10): the exact size of an ISO 9660 volume
# whatever follows it (the padding and run-out blocks of a TAO track that
# make `dd` and `cat` of a disc differ from its image), sessions grown by
# cdwrite, --track, --lba/--count, --all, CUE/BIN and cdrdao TOC images,
# the checksums, and bad blocks: retries, stopping with the block named,
# --noerror filling and listing with exit 1, --bad-list. Checked with
# md5sum/sha256sum of the images written, cd-read (libcdio), isosize
# (util-linux), bsdtar and xorriso.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum sha256sum bsdtar xorriso cd-read isosize python3
CDREAD="$top_builddir/tools/cdread"
CDWRITE="$top_builddir/tools/cdwrite"
MSINFO="$top_builddir/tools/msinfo"
FIX="$top_srcdir/../shared/fixtures/libcdio"

mkdir -p src/sub || exit 1
random_bytes 1500000 src/random.bin >src/random.bin || exit 1
seq 1 100000 >src/sub/numbers || exit 1
"$ISOMK" -quiet -R -J -V DATA -o t.iso src || exit 1
blocks=$(($(stat -c %s t.iso) / 2048))
# a disc written TAO as the kernel reads it back: the image, 150 blocks
# of zeros (cdrecord -pad), 2 run-out blocks of junk
{ cat t.iso; head -c $((150 * 2048)) /dev/zero; random_bytes 4096 tao.iso; } >tao.iso || exit 1
md5() { md5sum | cut -d" " -f1; }
img_md5=$(md5 <t.iso)

test_expect_success 'a plain image: its md5, its size, nothing on stderr' '
	"$CDREAD" t.iso >out 2>err
	test "$(md5 <out)" = "$img_md5"
	test ! -s err
'
test_expect_success 'a TAO-padded image: the image, not the padding (dd gets it wrong)' '
	"$CDREAD" dev=tao.iso >out
	test "$(md5 <out)" = "$img_md5"
	test "$(md5 <tao.iso)" != "$img_md5"
	test "$(stat -c %s out)" -eq "$(isosize out)"
'
test_expect_success 'the default device is $CDPIPE_DEVICE' '
	CDPIPE_DEVICE=tao.iso "$CDREAD" >out
	test "$(md5 <out)" = "$img_md5"
'
test_expect_success '--md5 and --sha256 on stderr, of what went to stdout, in one pass' '
	"$CDREAD" --md5 --sha256 dev=tao.iso >out 2>err
	grep -qx "cdread: md5 of $((blocks * 2048)) bytes: $img_md5" err
	grep -qx "cdread: sha256 of $((blocks * 2048)) bytes: $(sha256sum <t.iso | cut -d" " -f1)" err
	test "$(md5 <out)" = "$img_md5"
'
test_expect_success '--track 1 of a plain image is its volume too' '
	"$CDREAD" --track 1 tao.iso >out
	test "$(md5 <out)" = "$img_md5"
'
test_expect_success '--all: every block, padding and run-out included' '
	"$CDREAD" --all tao.iso >out
	cmp out tao.iso
'
test_expect_success '--lba A --count N: those blocks, as dd reads them' '
	"$CDREAD" --lba 16 --count 3 tao.iso >out
	dd if=tao.iso bs=2048 skip=16 count=3 status=none | cmp - out
'
test_expect_success '--lba A alone: to the end of its track' '
	"$CDREAD" --lba $((blocks + 10)) tao.iso >out
	dd if=tao.iso bs=2048 skip=$((blocks + 10)) status=none | cmp - out
'
test_expect_success 'a file with no ISO 9660 volume: all of it, said once' '
	random_bytes $((40 * 2048)) raw.img >raw.img
	"$CDREAD" raw.img >out 2>err
	cmp out raw.img
	grep -q "no ISO 9660 file system" err
'

# ---------------------------------------------------------- sessions
test_expect_success 'two sessions grown by cdwrite: the whole span, both sessions readable' '
	"$ISOMK" -quiet -R -J -graft-points s1/=src >s1.iso
	"$CDWRITE" -q -multi dev=ms.img s1.iso
	echo second >new.txt
	ms=$("$MSINFO" dev=ms.img)
	"$ISOMK" -quiet -R -J -C "$ms" -M ms.img -graft-points s2/new.txt=new.txt >s2.iso
	"$CDWRITE" -q -multi dev=ms.img s2.iso
	"$CDREAD" dev=ms.img >ms.out
	end=$(isosize -d 2048 ms.img)
	test "$(stat -c %s ms.out)" -eq $((end * 2048))
	head -c $((end * 2048)) ms.img | cmp - ms.out
	bsdtar -tf ms.out >names
	grep -qx "s1/random.bin" names
	grep -qx "s2/new.txt" names
	xorriso -indev ms.out -find /s2 -name new.txt 2>/dev/null | grep -q new.txt
'
test_expect_success 'the copy of a grown image is a grown image: msinfo agrees' '
	test "$("$MSINFO" dev=ms.out)" = "$("$MSINFO" dev=ms.img)"
'

# ---------------------------------------------------------- CD images
if [ -f "$FIX/isofs-m1.cue" ]; then
	test_expect_success 'a MODE1/2352 CUE/BIN image: the data cd-read reads' '
		cp "$FIX/isofs-m1.cue" "$FIX/isofs-m1.bin" "$FIX/isofs-m1.toc" .
		"$CDREAD" isofs-m1.cue >cue.out
		n=$(($(stat -c %s cue.out) / 2048))
		cd-read --no-header -m m1f1 -c isofs-m1.cue -s 0 -n $n -o ref.out >/dev/null 2>&1
		cmp cue.out ref.out
		test "$(stat -c %s cue.out)" -eq "$(isosize cue.out)"
	'
	test_expect_success 'the same disc as a cdrdao TOC, and by its BIN' '
		"$CDREAD" isofs-m1.toc >toc.out
		cmp toc.out cue.out
		"$CDREAD" isofs-m1.bin >bin.out
		cmp bin.out cue.out
	'
	test_expect_success 'a TOC image named from another directory: its data file beside it, as cdrdao finds it' '
		mkdir -p elsewhere
		(cd elsewhere && "$CDREAD" ../isofs-m1.toc) >far.out
		cmp far.out cue.out
		(cd / && "$CDREAD" "$TMP/isofs-m1.toc") >far.out
		cmp far.out cue.out
	'
	test_expect_success 'an audio CD image: no data (exit 3), advice on what to do' '
		cp "$FIX/cdda.cue" "$FIX/cdda.bin" .
		st=0; "$CDREAD" cdda.cue >out 2>err || st=$?
		test $st -eq 3
		grep -q "no data track: an audio CD" err
		test ! -s out
	'
else
	test_skip 'CUE/BIN and TOC fixtures' 'no ../shared/fixtures'
fi

# ---------------------------------------------------------- bad blocks
asan=$(ldd "$CDREAD" 2>/dev/null | awk '/libasan/ {print $3}')
"${CC:-cc}" -shared -fPIC -o eioread.so "$top_srcdir/t/helper/eioread.c" -ldl 2>cc.err
test_expect_success 'the EIO shim (t/helper/eioread.c) builds' 'cat cc.err; test -f eioread.so'
bad() {
	EIOREAD_FILE="$TMP/$1" LD_PRELOAD="${asan:+$asan }$TMP/eioread.so" "$@"
}
badread() {
	f=$1
	shift
	EIOREAD_FILE="$TMP/$f" LD_PRELOAD="${asan:+$asan }$TMP/eioread.so" "$CDREAD" "$@" "$f"
}
test_expect_success 'the shim fails the blocks it is told to, and only them' '
	st=0; EIOREAD_BLOCKS=100 badread tao.iso --lba 100 --count 1 --retries 0 >out 2>err || st=$?
	test $st -eq 1
	EIOREAD_BLOCKS=100 badread tao.iso --lba 101 --count 1 >out
	dd if=tao.iso bs=2048 skip=101 count=1 status=none | cmp - out
'
test_expect_success 'a bad block stops the copy: exit 1, the block named, what came before kept' '
	st=0; EIOREAD_BLOCKS=100,150 badread tao.iso >out 2>err || st=$?
	test $st -eq 1
	grep -q "block 100 cannot be read (tried 4 times)" err
	grep -q "the copy is incomplete: 100 of $blocks blocks written" err
	head -c $((100 * 2048)) t.iso | cmp - out
'
# the shim counts every read that touches the block: the first read of
# the 512 blocks around it, then cdread's reads of the block alone
test_expect_success 'retries: a block that reads on the third try of its own is read (--retries 2)' '
	EIOREAD_BLOCKS=100 EIOREAD_FAILS=3 badread tao.iso --retries 2 >out 2>err
	test "$(md5 <out)" = "$img_md5"
'
test_expect_success 'retries: not with one retry fewer' '
	st=0; EIOREAD_BLOCKS=100 EIOREAD_FAILS=3 badread tao.iso --retries 1 >out 2>err || st=$?
	test $st -eq 1
	grep -q "block 100 cannot be read (tried 2 times)" err
'
test_expect_success '--noerror: zeros for bad blocks, every other block right, all listed, exit 1' '
	st=0; EIOREAD_BLOCKS=100,150,151 badread tao.iso --noerror --bad-list bad.list >out 2>err || st=$?
	test $st -eq 1
	test "$(stat -c %s out)" -eq $((blocks * 2048))
	python3 - t.iso out <<-EOF
	import sys
	a = open(sys.argv[1], "rb").read(); b = open(sys.argv[2], "rb").read()
	assert len(a) == len(b)
	for i in range(len(a) // 2048):
	    x, y = a[i*2048:(i+1)*2048], b[i*2048:(i+1)*2048]
	    if i in (100, 150, 151):
	        assert y == bytes(2048), i
	    else:
	        assert x == y, i
	EOF
	grep -q "^cdread:   100$" err
	grep -q "^cdread:   150-151 (2 blocks)$" err
	grep -q "3 blocks could not be read and were written as zeros" err
	printf "100 1\n150 2\n" | cmp - bad.list
'
test_expect_success 'to a pipe (splice): the bad blocks found all the same, zeros, the rest right' '
	( EIOREAD_SPLICE=1 EIOREAD_BLOCKS=100,150,151 badread tao.iso --noerror 2>err &&
		echo 0 >st || echo $? >st ) | cat >out2
	test "$(cat st)" -eq 1
	cmp out out2
	grep -q "^cdread:   150-151 (2 blocks)$" err
'
test_expect_success 'to a pipe (splice): a bad block stops the copy after the blocks before it' '
	( EIOREAD_SPLICE=1 EIOREAD_BLOCKS=700 badread tao.iso 2>err &&
		echo 0 >st || echo $? >st ) | cat >out2
	test "$(cat st)" -eq 1
	grep -q "block 700 cannot be read" err
	head -c $((700 * 2048)) t.iso | cmp - out2
'
test_expect_success 'to a pipe (splice): the whole image, as to a file' '
	"$CDREAD" tao.iso | cat >out2
	cmp out2 t.iso
'
test_expect_success 'the bad list gives the ranges to retry: --lba A --count N' '
	while read a n; do "$CDREAD" --lba $a --count $n tao.iso; done <bad.list >retry.out
	{ dd if=t.iso bs=2048 skip=100 count=1 status=none
	  dd if=t.iso bs=2048 skip=150 count=2 status=none; } | cmp - retry.out
'
test_expect_success '--bad-list is emptied when every block reads' '
	"$CDREAD" --bad-list bad.list tao.iso >out
	test -f bad.list && test ! -s bad.list
'
test_expect_success '--noerror --md5: the checksum of the damaged copy, and exit 1 all the same' '
	st=0; EIOREAD_BLOCKS=5 badread tao.iso --noerror --md5 >out 2>err || st=$?
	test $st -eq 1
	grep -q "md5 of .* bytes: $(md5 <out)" err
'
test_expect_success 'no checksum for a copy that stopped short' '
	st=0; EIOREAD_BLOCKS=5 badread tao.iso --md5 >out 2>err || st=$?
	test $st -eq 1
	! grep -q "md5 of" err
'
test_expect_success '--all: unreadable run-out at the end of a track is left out, said, no error' '
	total=$(($(stat -c %s tao.iso) / 2048))
	EIOREAD_BLOCKS=$((total - 2)),$((total - 1)) badread tao.iso --all >out 2>err
	head -c $(((total - 2) * 2048)) tao.iso | cmp - out
	grep -q "run-out of a track written in TAO mode" err
'
if [ -f "$FIX/isofs-m1.cue" ]; then
	test_expect_success 'a bad sector of a BIN (read by libcdio through stdio): named, filled' '
		st=0; EIOREAD_SIZE=2352 EIOREAD_BLOCKS=20 badread isofs-m1.bin --noerror >out 2>err || st=$?
		test $st -eq 1
		grep -q "^cdread:   20$" err
		cmp -n $((20 * 2048)) out cue.out
		test "$(dd if=out bs=2048 skip=20 count=1 status=none | md5)" = "$(head -c 2048 /dev/zero | md5)"
		cmp -i $((21 * 2048)) out cue.out
	'
fi

# ---------------------------------------------------------- bad input
test_expect_status 3 'no such image file: exit 3' '"$CDREAD" dev=nosuch.iso >out'
test_expect_status 3 'an empty image file: no medium, exit 3' ': >empty.iso; "$CDREAD" empty.iso >out'
test_expect_success 'a truncated image: exit 1, says so, writes nothing' '
	head -c $(((blocks - 10) * 2048)) t.iso >cut.iso
	st=0; "$CDREAD" cut.iso >out 2>err || st=$?
	test $st -eq 1
	grep -q "truncated image" err
	test ! -s out
'
test_expect_status 2 'stdout the image itself (>>): refused, exit 2' '"$CDREAD" t.iso >>t.iso'
test_expect_success '... and the image is as it was' 'test "$(md5 <t.iso)" = "$img_md5"'
test_expect_status 2 '--track and --session together: usage' '"$CDREAD" --track 1 --session 1 t.iso >out'
test_expect_status 2 '--all and --lba together: usage' '"$CDREAD" --all --lba 1 t.iso >out'
test_expect_status 2 'no track 2: usage' '"$CDREAD" --track 2 t.iso >out'
test_expect_status 2 'no session 3: usage' '"$CDREAD" --session 3 t.iso >out'
test_expect_status 2 'two devices: usage' '"$CDREAD" dev=t.iso tao.iso >out'
test_expect_status 2 'standard input is no disc: usage' '"$CDREAD" - <t.iso >out'
test_expect_status 2 '--lba past the end of the image: usage, exit 2' '"$CDREAD" --lba $((blocks + 1000)) --count 1 t.iso >out'
test_expect_status 2 '... and without --count' '"$CDREAD" --lba $((blocks + 1000)) t.iso >out'
test_expect_success 'a --bad-list of an earlier run is emptied when the copy cannot start' '
	echo "100 1" >old.list
	head -c $(((blocks - 10) * 2048)) t.iso >cut2.iso
	st=0; "$CDREAD" --bad-list old.list cut2.iso >out 2>err || st=$?
	test $st -eq 1
	test -f old.list && test ! -s old.list
'
test_expect_success 'past the end with --lba: exit 1, the block named' '
	st=0; "$CDREAD" --lba $((blocks - 1)) --count 5 t.iso >out 2>err || st=$?
	test $st -eq 1
	grep -q "block $blocks is past the end of the image ($blocks blocks)" err
	test "$(stat -c %s out)" -eq 2048
'
test_expect_status 1 'a full disk: exit 1' '"$CDREAD" t.iso >/dev/full'
test_expect_success 'a reader that goes away: quiet, status of SIGPIPE' '
	( "$CDREAD" tao.iso 2>err && echo 0 >st || echo $? >st ) | head -c 10 >/dev/null
	test "$(cat st)" -eq 141
	test ! -s err
'
test_expect_success 'standard output closed (>&-): exit 1, said, nothing written anywhere' '
	st=0; "$CDREAD" t.iso >&- 2>err || st=$?
	test $st -eq 1
	grep -q "cannot write the copy" err
	test "$(md5 <t.iso)" = "$img_md5"
'
test_done
