#!/bin/sh
# cdtape (issue 11) against a hostile or unlucky user: a volume of the
# archive being saved is never written over (a -F script that does not
# change the volume, --volumes naming one twice); standard input or
# output that is the image itself; a save killed midway, or a write
# that fails, leaves a header that says unfinished and says so, never a
# clean exit 0; a closed standard input is no empty archive.
# Faults at a chosen byte come from t/helper/faults.c (LD_PRELOAD).
# Checked with cmp, head and the archive's own list.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need cmp head env mkfifo
CDTAPE="$top_builddir/tools/cdtape"

random_bytes 5000000 in.bin >in.bin || exit 1

test_expect_success 'a -F script that does not change the volume: volume 1 is kept, exit 3' '
	st=0
	"$CDTAPE" save --capacity 2m -F true dev=a.img <in.bin 2>err || st=$?
	test $st -eq 3
	grep "holds volume 1 of this archive" err
	"$CDTAPE" list dev=a.img >out
	grep "^volume: 1$" out
	"$CDTAPE" restore dev=a.img >got 2>err || :
	head -c $(stat -c %s got) in.bin | cmp - got
	test $(stat -c %s got) -gt 0
'
test_expect_status 2 'save: --volumes naming one address twice is a usage error' '
	"$CDTAPE" save --capacity 2m --volumes=b.img,c.img,b.img <in.bin
'
test_expect_success 'save: the same image under two names is not written over' '
	mkdir d
	st=0
	"$CDTAPE" save --capacity 2m --volumes=b.img,./b.img,c.img <in.bin 2>err || st=$?
	test $st -eq 3
	grep "holds volume 1 of this archive" err
	"$CDTAPE" list dev=b.img >out
	grep "^volume: 1$" out
'
test_expect_success 'save with standard input the image itself: refused, the archive kept' '
	"$CDTAPE" save dev=s.img <in.bin
	cp s.img s.orig
	st=0
	"$CDTAPE" save dev=s.img <s.img 2>err || st=$?
	test $st -eq 1
	grep "standard input is s.img itself" err
	cmp s.img s.orig
'
test_expect_success 'restore with standard output the image itself: refused, the archive kept' '
	st=0
	"$CDTAPE" restore dev=s.img 1<>s.img 2>err || st=$?
	test $st -eq 1
	grep "standard output is s.img itself" err
	cmp s.img s.orig
	"$CDTAPE" restore dev=s.img | cmp - in.bin
'
# killed once its header (a new archive id) is on k.img, while standard
# input, held open, has not ended (a sleep of 1.5 s before the kill came
# before the header on a slow machine, or after the end of the input)
new_header() { ! cmp -s -n 2048 k.img s.img; }
test_expect_success 'a save killed mid payload: list says unfinished, restore and verify exit 3' '
	cp s.img k.img
	mkfifo ff
	env --default-signal=INT "$CDTAPE" save dev=k.img <ff 2>/dev/null &
	pid=$!
	exec 3>ff
	cat in.bin >&3
	wait_until new_header
	kill -KILL $pid
	wait $pid || :
	exec 3>&-
	"$CDTAPE" list dev=k.img >out
	grep "^complete: no " out
	st=0
	"$CDTAPE" restore dev=k.img >got 2>err || st=$?
	test $st -eq 3
	grep "did not finish" err
	test ! -s got
	st=0
	"$CDTAPE" verify dev=k.img 2>err || st=$?
	test $st -eq 3
'

test_expect_success 'a write that fails over an earlier archive: exit 1, said so, list says unfinished' '
	cp s.orig w.img
	st=0
	(ulimit -f 3000 && exec "$CDTAPE" save dev=w.img <in.bin) 2>err || st=$?
	test $st -eq 1
	grep "w.img: volume 1 is marked unfinished: what was there before is lost" err
	! grep "first blocks are zeros" err
	"$CDTAPE" list dev=w.img >out
	grep "^complete: no " out
	st=0
	"$CDTAPE" verify dev=w.img 2>err || st=$?
	test $st -eq 3
'
test_expect_success 'a write that fails on a new image: exit 1, no file left, said so' '
	st=0
	(ulimit -f 3000 && exec "$CDTAPE" save dev=new.img <in.bin) 2>err || st=$?
	test $st -eq 1
	test ! -e new.img
	grep "new.img: nothing is kept" err
	! grep "marked unfinished" err
'

test_expect_success 'save with standard input closed: exit 1, no empty archive' '
	cp s.orig c.img
	st=0
	"$CDTAPE" save dev=c.img <&- 2>err || st=$?
	test $st -eq 1
	grep "standard input is closed" err
	cmp c.img s.orig
'
test_expect_success 'restore with standard output closed: exit 1, the image kept' '
	st=0
	"$CDTAPE" restore dev=c.img >&- 2>err || st=$?
	test $st -eq 1
	cmp c.img s.orig
'

test_expect_status 2 'a capacity past 2^53 bytes is a usage error, not an overflow' '
	echo x | "$CDTAPE" save --capacity 9000000000g dev=cap.img
'
test_expect_success 'a capacity of 2^53 bytes holds a small archive' '
	echo x | "$CDTAPE" save --capacity 4398046511104s dev=cap.img
	"$CDTAPE" restore dev=cap.img >got
	echo x | cmp - got
'

# ------------------------------------- faults at each step (faults.so)
if "${CC:-cc}" -shared -fPIC -o faults.so "$top_srcdir/t/helper/faults.c" -ldl 2>cc.err; then
	asan=$(ldd "$CDTAPE" 2>/dev/null | awk '/libasan/ {print $3}')
	for f in "SIGKILL in the middle of the payload:1000000:1:kill:137" \
		"SIGKILL at the finished header, after the payload:0:2:kill:137" \
		"a full disk at the finished header:0:2:enospc:1"; do
		what=${f%%:*} rest=${f#*:}
		at=${rest%%:*} rest=${rest#*:}
		nth=${rest%%:*} rest=${rest#*:}
		do=${rest%%:*} want=${rest#*:}
		test_expect_success "$what: save exit $want, list says unfinished, restore exit 3" '
			cp s.orig f.img
			st=0
			FAULT_FILE="$PWD/f.img" FAULT_AT=$at FAULT_NTH=$nth FAULT_DO=$do \
				LD_PRELOAD="${asan:+$asan }$PWD/faults.so" \
				"$CDTAPE" save dev=f.img <in.bin 2>err || st=$?
			test $st -eq $want
			"$CDTAPE" list dev=f.img >out
			grep "^complete: no " out
			st=0
			"$CDTAPE" restore dev=f.img >got 2>err || st=$?
			test $st -eq 3
			test ! -s got
		'
	done
else
	test_expect_success 'the fault shim (t/helper/faults.c) builds' 'cat cc.err; false'
fi

test_done
