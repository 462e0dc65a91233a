#!/bin/sh
# isomk: nothing the user has is lost. The -M image is never written over
# (-o naming it, through a symbolic or a hard link, or standard output
# opened on it): exit 2 and the image byte for byte as it was. A file that
# grows while it is read is reported with exit 1, as one that shrinks is
# (t0004). Error exits free what they allocated: no LeakSanitizer report.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need isoinfo bsdtar

MSINFO="$top_builddir/tools/msinfo"
mkdir s1 s2 && echo one >s1/a.txt && echo two >s2/b.txt

test_expect_success 'session 1 and where session 2 goes' '
	"$ISOMK" -R -J -o keep.iso s1 && cp keep.iso keep.orig &&
	"$MSINFO" dev=keep.iso >ms && grep -qx "0,[0-9]*" ms
'
ln -s keep.iso link.iso
ln keep.iso hard.iso

# refused: the last isomk exited 2, said why, and keep.iso is untouched
refused() {
	test "$1" -eq 2 && cmp keep.iso keep.orig &&
		grep -q "^isomk: .* is the -M image itself: writing it would destroy the sessions it holds" err
}
test_expect_success '-M X -o X: refused (exit 2), X unchanged' '
	cp keep.orig keep.iso || exit 1
	st=0; "$ISOMK" -R -J -C "$(cat ms)" -M keep.iso -o keep.iso s2 2>err || st=$?
	refused $st && grep -q "^isomk: -o keep.iso is the -M image itself" err
'
test_expect_success '-o a symbolic link to the -M image, and -M the link: refused' '
	cp keep.orig keep.iso || exit 1
	st=0; "$ISOMK" -R -J -C "$(cat ms)" -M keep.iso -o link.iso s2 2>err || st=$?
	refused $st && st=0 &&
	{ "$ISOMK" -R -J -C "$(cat ms)" -M link.iso -o keep.iso s2 2>err || st=$?; } &&
	refused $st
'
test_expect_success '-o a hard link to the -M image: refused' '
	cp keep.orig keep.iso || exit 1
	st=0; "$ISOMK" -R -J -C "$(cat ms)" -M keep.iso -o hard.iso s2 2>err || st=$?
	refused $st
'
test_expect_success '-M stdio:X (read through libburn) -o X: refused' '
	cp keep.orig keep.iso || exit 1
	st=0; "$ISOMK" -R -J -C "$(cat ms)" -M stdio:keep.iso -o keep.iso s2 2>err || st=$?
	refused $st
'
test_expect_success 'standard output opened on the -M image (>> and 1<>): refused' '
	cp keep.orig keep.iso || exit 1
	st=0; "$ISOMK" -R -J -C "$(cat ms)" -M keep.iso s2 >>keep.iso 2>err || st=$?
	refused $st && grep -q "^isomk: standard output is the -M image itself" err && st=0 &&
	{ "$ISOMK" -R -J -C "$(cat ms)" -M keep.iso s2 1<>keep.iso 2>err || st=$?; } &&
	refused $st
'
test_expect_success 'control: -o another file (longer, truncated) holds session 2' '
	cp keep.orig keep.iso && head -c 3000000 /dev/zero >s2.iso &&
	"$ISOMK" -R -J -C "$(cat ms)" -M keep.iso -o s2.iso s2 &&
	cmp keep.iso keep.orig &&
	size=$("$ISOMK" -R -J -C "$(cat ms)" -M keep.iso -print-size s2) &&
	test "$(stat -c %s s2.iso)" -eq $((size * 2048)) &&
	isoinfo -R -f -N "$(cut -d, -f2 ms)" -i s2.iso >list &&
	grep -qx /a.txt list && grep -qx /b.txt list
'

# A file that grows while isomk reads it. The image goes into a fifo; once
# 1 MiB of it has been read, isomk has opened the file (its data starts
# within that MiB) and cannot have read all of it (the pipe holds 1 MiB,
# libisofs's ring 8 MiB, isomk's chunk 4 MiB); then the file grows.
grow_test() {
	rm -rf grow && mkdir grow && random_bytes $1 grow/big >grow/big && echo s >grow/small || exit 1
	mkfifo p.fifo
	{ s=0; "$ISOMK" $2 -R grow >p.fifo 2>err || s=$?; echo $s >st; } &
	exec 3<p.fifo
	head -c 1048576 <&3 >img.iso
	random_bytes 5000 grow/big.more >>grow/big
	cat <&3 >>img.iso
	exec 3<&-
	wait
	rm -f p.fifo
	test "$(cat st)" -eq 1 &&
		grep -q "^isomk: grow/big: file grew while the image was made ($1 bytes when listed, $(($1 + 5000)) now): the image holds only its first $1 bytes" err &&
		TZ=UTC bsdtar -tvf img.iso | grep -q " $1 .*big" &&
		bsdtar -xOf img.iso big >big.out && head -c $1 grow/big | cmp - big.out
}
test_expect_success 'a file that grows while being read: message, exit 1, its first bytes stored' '
	grow_test 8388608 ""
'
test_expect_success 'the same when libisofs reads the data itself (-md5)' '
	grow_test 33554432 -md5
'

# Error exits free what they allocated. Only a sanitizer build can tell.
if grep -aq __asan_init "$ISOMK"; then
	# no_leak STATUS ARGS...: isomk ARGS exits STATUS, LeakSanitizer silent
	no_leak() {
		want=$1 && shift && st=0
		ASAN_OPTIONS=detect_leaks=1 "$ISOMK" "$@" >/dev/null 2>err || st=$?
		cat err && test $st -eq "$want" && ! grep -q LeakSanitizer err
	}
	printf 's1\n' >paths && printf '*.o\n' >globs
	test_expect_success 'error exits (and -path-list) leave no leak' '
		no_leak 1 -R -C 0,16 -M nonexistent.iso -o /dev/null s1 &&
		no_leak 1 -R -C 0,16 -M paths -o /dev/null s1 &&
		no_leak 3 -R -C 0,16 -M stdio:nonexistent.img -o /dev/null s1 &&
		no_leak 1 -R -path-list paths -C 0,16 -M nonexistent.iso -o /dev/null &&
		no_leak 1 -R -m "*.o" -x s1/x -hide x -o nodir/x.iso s1 &&
		no_leak 2 -R -C "$(cat ms)" -M keep.iso -o keep.iso s2 &&
		no_leak 0 -R -path-list paths -exclude-list globs -o /dev/null
	'
else
	test_skip 'error exits leave no leak' 'not a sanitizer build (--enable-sanitizers)'
fi
test_done
