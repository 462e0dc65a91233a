#!/bin/sh
# isomk: bad input gets a clear message and the documented exit status,
# never a silently wrong image.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar 7z isoinfo setpriv

mkdir src && echo a >src/a && echo b >src/b

test_expect_success 'a missing source path: message, exit 1, the rest is written' '
	st=0; "$ISOMK" -R src nope >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "^isomk: nope: cannot stat: No such file or directory" err &&
	TZ=UTC bsdtar -tf img.iso | grep -q "a$"
'

if [ "$(id -u)" -eq 0 ]; then
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	as_user() { "$@"; }
fi
test_expect_success 'an unreadable file: message naming it, exit 1, left out' '
	mkdir -p u && echo s >u/secret && echo p >u/public && chmod 600 u/secret && chmod 755 u &&
	chmod 755 "$TMP" || exit 1
	if [ "$(id -u)" -eq 0 ]; then chown 0:0 u/secret; fi
	st=0; as_user "$ISOMK" -R u >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "u/secret: cannot read: Permission denied: left out" err &&
	TZ=UTC bsdtar -tf img.iso >list && grep -q public list && ! grep -q secret list
'

test_expect_success 'an unreadable directory: message, exit 1' '
	mkdir -p ud/closed && echo x >ud/closed/f && chmod 700 ud/closed && chmod 755 ud || exit 1
	st=0; as_user "$ISOMK" -R ud >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "ud/closed: cannot open directory: Permission denied" err
'

# A file that changes size while the image is made: isomk lists it, writes
# the metadata, blocks on the pipe; then the file shrinks; then we read.
shrink_test() {
	rm -rf grow && mkdir grow && random_bytes $1 grow/big >grow/big && echo s >grow/small || exit 1
	mkfifo p.fifo
	{ s=0; "$ISOMK" $2 -R grow >p.fifo 2>err || s=$?; echo $s >st; } &
	exec 3<p.fifo
	head -c 65536 <&3 >img.iso
	truncate -s 1000 grow/big
	cat <&3 >>img.iso
	exec 3<&-
	wait
	rm -f p.fifo
	test "$(cat st)" -eq 1 && grep -q "grow/big: file \(changed size\|shrank\)" err &&
	TZ=UTC bsdtar -tvf img.iso | grep -q " $1 .*big" &&
	from=$(sed -n "s/.*zeros from byte \([0-9]*\) on.*/\1/p" err) &&
	bsdtar -xOf img.iso big >big.out && test "$(stat -c %s big.out)" -eq $1 &&
	cmp -n 1000 grow/big big.out &&
	tail -c +$((${from:-1000} + 1)) big.out | tr -d "\\0" | wc -c | grep -qx 0
}
test_expect_success 'a file that shrinks while being read: message, exit 1, zeros in the image' '
	shrink_test 4194304 ""
'
test_expect_success 'the same when libisofs reads the data itself (-md5)' '
	shrink_test 33554432 -md5
'

test_expect_success 'a symlink loop with -f: message, exit 1, no hang' '
	mkdir -p loop/d && ln -s .. loop/d/up && echo f >loop/d/f || exit 1
	st=0; timeout 60 "$ISOMK" -R -f loop >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "loop/d/up: symbolic link loop" err &&
	TZ=UTC bsdtar -tf img.iso | grep -q "d/f"
'
test_expect_success 'a name that is not UTF-8: message, exit 1' '
	mkdir -p bad && echo x >"bad/$(printf "caf\\351")" && echo ok >bad/ok || exit 1
	st=0; "$ISOMK" -R -J bad >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "name is not valid UTF-8" err && grep -q -- "-input-charset" err
'
# Joliet holds UCS-2, so the name is café there; Rock Ridge names keep the
# bytes of the input charset, as genisoimage and xorriso -as mkisofs keep
# them (their -output-charset defaults to -input-charset)
test_expect_success '... and stored right when -input-charset names its charset (Joliet: 7z; Rock Ridge: bsdtar, isoinfo -R)' '
	"$ISOMK" -R -J -input-charset ISO-8859-1 bad >img.iso 2>err && ! test -s err &&
	7z l -slt img.iso >7z.out && grep -qx "Path = café" 7z.out &&
	TZ=UTC bsdtar -tf img.iso >list && sed "s|^\./||" list | grep -qxF "caf\\351" &&
	isoinfo -R -f -i img.iso >rr && grep -qx "/$(printf "caf\\351")" rr
'
test_expect_success 'a name not valid in another -input-charset: message, exit 1' '
	mkdir -p euc && echo x >"euc/$(printf "a\\377\\376b")" || exit 1
	st=0; "$ISOMK" -R -J -input-charset EUC-JP euc >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "name is not valid EUC-JP" err
'
test_expect_status 2 'an -input-charset the system does not know is a usage error' '
	"$ISOMK" -R -input-charset NO-SUCH-CHARSET src >img.iso
'
test_expect_success '-C without -M: a warning, and the image is made for that address (its root directory past block 1000)' '
	"$ISOMK" -R -C 0,1000 src >img.iso 2>err &&
	grep -q "^isomk: warning: -C without -M" err &&
	dd if=img.iso of=pvd bs=2048 skip=16 count=1 2>/dev/null &&
	root=$(od -An -tu4 -j158 -N4 pvd) && test "$root" -gt 1000
'
test_expect_status 1 'a -M that does not exist: exit 1' '"$ISOMK" -C 0,100 -M nope.iso src >img.iso'
test_expect_success 'a -M that is not an ISO image: exit 1 and a message saying so' '
	random_bytes 100000 junk.img >junk.img || exit 1
	st=0; "$ISOMK" -C 0,100 -M junk.img src >img.iso 2>err || st=$?
	test $st -eq 1 && grep -q "no ISO 9660 volume starts at block 0" err
'
test_expect_success 'a -M on a blank stdio: medium: exit 3 (first session is different)' '
	: >blank.img && st=0; "$ISOMK" -C 0,100 -M stdio:blank.img src >img.iso 2>err || st=$?
	test $st -eq 3 && grep -q "blank" err
'
test_expect_success 'no output file is left when isomk fails before writing' '
	st=0; "$ISOMK" -R -C 0,100 -M junk.img -o out.iso src 2>err || st=$?
	test $st -eq 1 && ! test -e out.iso
'
# a real full file system: a 200 KiB tmpfs (t0205 has the same through
# an LD_PRELOAD shim, which needs no root)
mkdir -p fs
if mount -t tmpfs -o size=200k tmpfs fs 2>mount.err; then
	test_expect_success 'an image file cut short by a write error is removed, and said so' '
		st=0; "$ISOMK" -R -o fs/out.iso src 2>err || st=$?
		ls -A fs >left
		umount fs
		test $st -eq 1 && grep -q "No space left on device" err &&
		grep -q "fs/out.iso. is incomplete: removed" err && ! test -s left
	'
else
	test_skip 'an image file cut short by a write error is removed' "cannot mount a tmpfs here (root only): $(cat mount.err)"
fi
test_expect_success 'the image file is left out of the tree it is written into' '
	mkdir -p self && echo x >self/x && echo old >self/out.iso &&
	"$ISOMK" -R -o self/out.iso self && TZ=UTC bsdtar -tf self/out.iso >l1 &&
	grep -q "x$" l1 && ! grep -q out.iso l1 &&
	"$ISOMK" -R self >self/redirected.iso && TZ=UTC bsdtar -tf self/redirected.iso >l2 &&
	grep -q "x$" l2 && ! grep -q redirected l2
'
test_expect_success 'Ctrl-C while writing an image file removes it (exit by SIGINT)' '
	mkdir -p slow && truncate -s 6G slow/sparse || exit 1
	"$ISOMK" -R -md5 -quiet -o slow.iso slow & pid=$!
	wait_until catches $pid 2 || { kill -KILL $pid; exit 1; }
	kill -INT $pid
	st=0; wait $pid || st=$?
	test $st -eq 130 && ! test -e slow.iso
'
test_done
