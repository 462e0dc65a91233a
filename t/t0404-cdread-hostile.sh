#!/bin/sh
# cdread given what no disc is (issue 10): images whose primary volume
# descriptor claims a volume larger than any medium, or too small to hold
# the descriptor itself; an image cut short read as a track; a FIFO named
# as the image; a file of more blocks than an int32_t counts; cdrdao TOC
# sheets libcdio cannot parse, or whose data file is missing; a CUE whose
# BIN is shorter than its volume, or read into its own BIN (>>); volume
# descriptors that read only on a retry, or never; unreadable blocks at
# the end of a volume read with --all; a disk that fills up in the middle
# of a read; a --bad-list that cannot be written. Each must be a clear error (or a copy of exactly what is
# there), never a hang and never a short copy that ends with exit 0.
# Checked with cmp, md5sum and isosize (util-linux).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum isosize python3 timeout cd-read
CDREAD="$top_builddir/tools/cdread"
FIX="$top_srcdir/../shared/fixtures/libcdio"

mkdir -p src || exit 1
random_bytes 300000 src/random.bin >src/random.bin || exit 1
"$ISOMK" -quiet -R -o t.iso src || exit 1
blocks=$(($(stat -c %s t.iso) / 2048))
md5() { md5sum | cut -d" " -f1; }
# t.iso with the volume space size of its primary descriptor (both byte
# orders) set to $2
pvd_size() {
	python3 - t.iso "$1" "$2" <<-'EOF'
	import struct, sys
	d = bytearray(open(sys.argv[1], "rb").read())
	v = int(sys.argv[3])
	d[16 * 2048 + 80:16 * 2048 + 88] = struct.pack("<I", v) + struct.pack(">I", v)
	open(sys.argv[2], "wb").write(d)
	EOF
}
pvd_size huge.iso 4294967295 || exit 1
pvd_size big.iso 2147483648 || exit 1
pvd_size zero.iso 0 || exit 1
pvd_size five.iso 5 || exit 1
pvd_size seventeen.iso 17 || exit 1
test "$(isosize -d 2048 five.iso)" -eq 5 || exit 1

# ------------------------------------------------- descriptors that lie
test_expect_success 'a volume of 2^32-1 blocks: more than the file holds, exit 1, nothing written' '
	st=0; "$CDREAD" huge.iso >out 2>err || st=$?
	test $st -eq 1
	grep -q "huge.iso: the ISO 9660 volume is at least 2147483647 blocks but the file holds only $blocks" err
	test ! -s out
'
test_expect_success 'a volume of 2^31 blocks: the same, not a file without a file system' '
	st=0; "$CDREAD" big.iso >out 2>err || st=$?
	test $st -eq 1
	! grep -q "no ISO 9660 file system" err
	test ! -s out
'
test_expect_success 'a volume of 0 blocks: no volume to trust; the file 1:1, said' '
	"$CDREAD" zero.iso >out 2>err
	cmp out zero.iso
	grep -q "warning: zero.iso: the primary volume descriptor at block 16 gives a volume of 0 blocks, too few to hold it" err
	grep -q "no ISO 9660 file system at block 0: copying the track as it is" err
'
test_expect_success 'a volume of 5 blocks (isosize says 5): never a copy without its own descriptors' '
	"$CDREAD" five.iso >out 2>err
	cmp out five.iso
	grep -q "gives a volume of 5 blocks, too few to hold it" err
'
test_expect_success 'a volume that ends at its primary descriptor: the same' '
	"$CDREAD" seventeen.iso >out 2>err
	cmp out seventeen.iso
	grep -q "gives a volume of 17 blocks" err
'
test_expect_success 'a descriptor chain with no terminator: the primary descriptor counts' '
	python3 - t.iso noterm.iso <<-EOF
	import sys
	d = bytearray(open(sys.argv[1], "rb").read())
	svd = bytes([2]) + d[16 * 2048 + 1:17 * 2048]
	for b in range(17, len(d) // 2048):
	    d[b * 2048:(b + 1) * 2048] = svd
	open(sys.argv[2], "wb").write(d)
	EOF
	"$CDREAD" noterm.iso >out
	cmp out noterm.iso
'
test_expect_success '--track 1 of a truncated image: exit 1, as without --track, not the blocks there are' '
	head -c $((40 * 2048)) t.iso >cut.iso
	st=0; "$CDREAD" --track 1 cut.iso >out 2>err || st=$?
	test $st -eq 1
	grep -q "the ISO 9660 volume is $blocks blocks but the file holds only 40: a truncated image" err
	test ! -s out
'
test_expect_success '--session 1 of it: the same' '
	st=0; "$CDREAD" --session 1 cut.iso >out 2>err || st=$?
	test $st -eq 1
	test ! -s out
'
test_expect_success 'an image shorter than 16 blocks: the file 1:1, said in one sentence' '
	head -c $((10 * 2048)) t.iso >ten.iso
	"$CDREAD" ten.iso >out 2>err
	cmp out ten.iso
	grep -q "copying the track as it is" err
'

# ------------------------------------------------- what is no image
test_expect_success 'a FIFO named as the image: refused at once, no wait for a writer' '
	mkfifo fifo
	st=0; timeout 60 "$CDREAD" fifo >out 2>err || st=$?
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

# ------------------------------------------------- output
test_expect_success 'cdread img > img: said to be the image itself, emptied by the shell (exit 2, not "no medium")' '
	cp t.iso self.iso
	st=0; "$CDREAD" self.iso >self.iso 2>err || st=$?
	test $st -eq 2
	grep -q "self.iso: standard output is the image being read: the shell emptied it" err
	: >empty.iso
	st=0; "$CDREAD" empty.iso >out 2>err || st=$?
	test $st -eq 3
'
test_expect_success 'a disk that fills in the middle of a read: the blocks it holds are the ones said' '
	st=0; (ulimit -f 200; exec "$CDREAD" t.iso >lim.out 2>err) || st=$?
	test $st -eq 1
	size=$(stat -c %s lim.out)
	test "$size" -gt 0
	test "$size" -lt $((blocks * 2048))
	grep -q "cannot write the copy: File too large" err
	grep -q "t.iso: the copy is incomplete: $((size / 2048)) of $blocks blocks written" err
	cmp -n "$size" lim.out t.iso
'

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
	test_expect_success 'a CUE whose BIN is shorter than the volume: the image is cut, exit 1' '
		mkdir short
		cp "$FIX/isofs-m1.cue" short/
		head -c $((2352 * 20)) "$FIX/isofs-m1.bin" >short/isofs-m1.bin
		st=0; "$CDREAD" short/isofs-m1.cue >out 2>err || st=$?
		test $st -eq 1
		grep -q "the image holds only 20: its data file is shorter than the volume" err
		test ! -s out
	'
	test_expect_success 'a CUE read into its own BIN (>>): refused, exit 2, the BIN as it was' '
		mkdir self
		cp "$FIX/isofs-m1.cue" "$FIX/isofs-m1.bin" self/
		chmod u+w self/isofs-m1.bin
		st=0; "$CDREAD" self/isofs-m1.cue >>self/isofs-m1.bin 2>err || st=$?
		test $st -eq 2
		grep -q "self/isofs-m1.cue: the copy would be written into the image being read" err
		cmp self/isofs-m1.bin "$FIX/isofs-m1.bin"
	'
else
	test_skip 'bad sheets' 'no ../shared/fixtures'
fi

# ------------------------------------------------- CD images made here
# MODE1/2352 sectors of a 2048-byte image (sync, header, data, EDC; ECC
# left zero, which neither libcdio nor cdread looks at): $1 to $2,
# starting at block $3 (for the header's address)
raw() {
	python3 - "$1" "$2" "$3" <<-'EOF'
	import sys
	def edc_table():
	    t = []
	    for i in range(256):
	        e = i
	        for _ in range(8):
	            e = (e >> 1) ^ (0xd8018001 if e & 1 else 0)
	        t.append(e)
	    return t
	T = edc_table()
	def edc(b):
	    c = 0
	    for x in b:
	        c = T[(c ^ x) & 0xff] ^ (c >> 8)
	    return c
	bcd = lambda v: (v // 10) << 4 | v % 10
	d = open(sys.argv[1], "rb").read()
	lba = int(sys.argv[3]) + 150
	out = bytearray()
	for i in range(len(d) // 2048):
	    a = lba + i
	    h = bytes([0] + [0xff] * 10 + [0, bcd(a // 4500), bcd(a // 75 % 60), bcd(a % 75), 1])
	    s = h + d[i * 2048:(i + 1) * 2048]
	    out += s + edc(s).to_bytes(4, "little") + bytes(8 + 276)
	open(sys.argv[2], "wb").write(out)
	EOF
}
# one session in libcdio's eyes: an audio track of 50 blocks, then a data
# track holding an ISO image made for block 0, larger than 50 blocks
random_bytes $((50 * 2352)) audio.raw >audio.raw || exit 1
raw t.iso data.raw 50 || exit 1
cat audio.raw data.raw >mix.bin || exit 1
printf 'FILE "mix.bin" BINARY\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n  TRACK 02 MODE1/2352\n    INDEX 01 00:00:50\n' >mix.cue || exit 1
test_expect_success 'audio, then a data track of its own (a volume larger than its start): that volume' '
	"$CDREAD" mix.cue >out 2>err
	cmp out t.iso
	cd-read --no-header -m m1f1 -c mix.cue -s 50 -n $blocks -o ref.out >/dev/null 2>&1
	cmp out ref.out
'
test_expect_success '... and --track 2, --session 1: the same' '
	"$CDREAD" --track 2 mix.cue >out
	cmp out t.iso
	"$CDREAD" --session 1 mix.cue >out
	cmp out t.iso
'
# two data tracks, the second a session grown onto the first (isomk -C),
# larger than the first: libisofs gives its volume size from its own
# start, its root directory after that start
mkdir -p s1/a s2 || exit 1
random_bytes 100000 s1/a/one >s1/a/one || exit 1
random_bytes 700000 s2/two >s2/two || exit 1
"$ISOMK" -quiet -R -o ms1.iso s1 || exit 1
n1=$(($(stat -c %s ms1.iso) / 2048))
"$ISOMK" -quiet -R -C 0,$n1 -M ms1.iso -o ms2.iso s2 || exit 1
n2=$(($(stat -c %s ms2.iso) / 2048))
test "$(isosize -d 2048 ms2.iso)" -eq $n2 || exit 1
test $n2 -gt $n1 || exit 1
raw ms1.iso ms1.raw 0 || exit 1
raw ms2.iso ms2.raw $n1 || exit 1
cat ms1.raw ms2.raw >ms.bin || exit 1
printf 'FILE "ms.bin" BINARY\n  TRACK 01 MODE1/2352\n    INDEX 01 00:00:00\n  TRACK 02 MODE1/2352\n    INDEX 01 %02d:%02d:%02d\n' \
	$((n1 / 4500)) $((n1 / 75 % 60)) $((n1 % 75)) >ms.cue || exit 1
test_expect_success 'a session grown with isomk -C, larger than the one before, as track 2: all of it' '
	"$CDREAD" --track 2 ms.cue >out 2>err
	cmp out ms2.iso
	cd-read --no-header -m m1f1 -c ms.cue -s $n1 -n $n2 -o ref.out >/dev/null 2>&1
	cmp out ref.out
'
test_expect_success '... and its own start and end with -v' '
	"$CDREAD" -v --track 2 ms.cue >out 2>err
	grep -q "ms.cue: blocks $n1 to $((n1 + n2 - 1)) ($n2 blocks" err
'

# ------------------------------------------------- bad blocks
asan=$(ldd "$CDREAD" 2>/dev/null | awk '/libasan/ {print $3}')
"${CC:-cc}" -shared -fPIC -o eioread.so "$top_srcdir/t/helper/eioread.c" -ldl 2>cc.err
test_expect_success 'the EIO shim (t/helper/eioread.c) builds' 'cat cc.err; test -f eioread.so'
badread() {
	f=$1
	shift
	EIOREAD_FILE="$TMP/$f" LD_PRELOAD="${asan:+$asan }$TMP/eioread.so" "$CDREAD" "$@" "$f"
}
test_expect_success 'a primary descriptor that reads on the second try: the copy, exit 0' '
	EIOREAD_BLOCKS=16 EIOREAD_FAILS=1 badread t.iso >out 2>err
	cmp out t.iso
'
test_expect_success '... --retries 0: exit 1, the tries and a way out said' '
	st=0; EIOREAD_BLOCKS=16 EIOREAD_FAILS=1 badread t.iso --retries 0 >out 2>err || st=$?
	test $st -eq 1
	grep -q "the volume descriptors of track 1 cannot be read (tried 1 time): Input/output error; --all --noerror copies" err
	test ! -s out
'
test_expect_success 'descriptors never readable: --all --noerror copies the rest, block 16 zeros, exit 1' '
	st=0; EIOREAD_BLOCKS=16 badread t.iso --all --noerror >out 2>err || st=$?
	test $st -eq 1
	cmp -n $((16 * 2048)) out t.iso
	test "$(dd if=out bs=2048 skip=16 count=1 status=none | md5)" = "$(head -c 2048 /dev/zero | md5)"
	cmp -i $((17 * 2048)) out t.iso
'
# a disc written TAO as the kernel reads it: the image, 15 blocks of
# zeros (cdrecord -pad), 2 run-out blocks
{ cat t.iso; head -c $((15 * 2048)) /dev/zero; random_bytes 4096 tao.iso; } >tao.iso || exit 1
total=$((blocks + 17))
test_expect_success '--all: one unreadable run-out block is said as one block' '
	EIOREAD_BLOCKS=$((total - 1)) badread tao.iso --all >out 2>err
	grep -q "tao.iso: block $((total - 1)) at the end of track 1 cannot be read: the run-out" err
	head -c $(((total - 1) * 2048)) tao.iso | cmp - out
'
test_expect_success '--all: the last blocks of the volume itself are no run-out: exit 1' '
	st=0; EIOREAD_BLOCKS=$((blocks - 2)),$((blocks - 1)) badread t.iso --all >out 2>err || st=$?
	test $st -eq 1
	grep -q "block $((blocks - 2)) cannot be read" err
	! grep -q "run-out" err
'
test_expect_success '... and with --noerror: zeros there, the full size, exit 1' '
	st=0; EIOREAD_BLOCKS=$((blocks - 2)),$((blocks - 1)) badread t.iso --all --noerror >out 2>err || st=$?
	test $st -eq 1
	test "$(stat -c %s out)" -eq $((blocks * 2048))
	grep -q "2 blocks could not be read and were written as zeros" err
'
test_expect_success '--bad-list to a directory: said before any block is read, exit 1' '
	mkdir listdir
	st=0; EIOREAD_BLOCKS=100 badread t.iso --noerror --bad-list listdir >out 2>err || st=$?
	test $st -eq 1
	grep -q "listdir: cannot write the list of bad blocks: " err
	test ! -s out
'
test_expect_success '--bad-list: an old list is emptied before reading, so a cut copy leaves none' '
	mkdir big
	random_bytes 30000000 big/random.bin >big/random.bin
	"$ISOMK" -quiet -o big.iso big
	echo "7 1" >old.list
	{ "$CDREAD" --bad-list old.list big.iso 2>err && echo 0 >st || echo $? >st; } | sleep 1
	test "$(cat st)" -eq 141
	test -f old.list
	test ! -s old.list
'
test_done
