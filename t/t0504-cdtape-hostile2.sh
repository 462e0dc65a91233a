#!/bin/sh
# cdtape (issue 11) against an unlucky or hostile user, second round:
# volumes written once (pipes, FIFOs), the next volume asked for or made
# by -F, and what a save or restore that cannot be done right must say
# instead of exit 0. Checked with cmp, sha256sum and cdtape's own list.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need cmp head cat mkfifo sha256sum
CDTAPE="$top_builddir/tools/cdtape"

random_bytes 30000 in.bin >in.bin || exit 1

# A pipe is one stream: the volume after the first cannot be "changed"
# in it, by a script or a person; volume 2 would follow volume 1 in the
# same stream, which no reader takes apart (restore says unfinished)
test_expect_success 'save -F into a pipe: no second volume in the same stream, exit 3' '
	st=0
	{ "$CDTAPE" save --capacity 12288 -F true dev=stdio:/dev/stdout <in.bin 2>err && echo 0 >st || echo $? >st; } | cat >p.img
	test "$(cat st)" -eq 3
	grep "stdio:/dev/stdout is a pipe: volume 2 cannot follow volume 1 in it" err
	! grep "saved 30000 bytes" err
	"$CDTAPE" list dev=p.img >out
	grep "^volume: 1$" out
	grep "^complete: yes$" out
'
test_expect_success 'save --volumes naming one pipe twice under two names: exit 3' '
	{ "$CDTAPE" save --capacity 12288 --volumes=stdio:/dev/stdout,/dev/fd/1,x.img <in.bin 2>err && echo 0 >st || echo $? >st; } | cat >p2.img
	test "$(cat st)" -eq 3
	grep "/dev/fd/1 is a pipe: volume 2 cannot follow volume 1 in it" err
	test ! -e x.img
'
# The reader of a volume is gone before the next one starts: one still
# there (not yet run since the end of its volume) would read part of the
# next volume too. vol.sh waits for it (120 s at most).
test_expect_success 'save -F into a FIFO: each volume a new reader, restored' '
	mkfifo ff
	cat >vol.sh <<-\EOF
	i=0
	while ! test -e done$((CDTAPE_VOLUME - 1)) && test $i -lt 1200; do i=$((i + 1)); sleep 0.1; done
	{ cat ff >v$CDTAPE_VOLUME.img; echo >done$CDTAPE_VOLUME; } &
	EOF
	: >done0
	CDTAPE_VOLUME=1 sh vol.sh
	"$CDTAPE" save --capacity 12288 -F "sh vol.sh" dev=stdio:ff <in.bin 2>err
	wait_until test -e done4
	grep "saved 30000 bytes in 4 volumes" err
	"$CDTAPE" restore --volumes=v1.img,v2.img,v3.img,v4.img >out
	cmp out in.bin
'

# Standard output that is a volume: restoring the volumes before it
# would write over it before it is read
"$CDTAPE" save --capacity 20480 --volumes=w1.img,w2.img <in.bin 2>/dev/null || exit 1
cp w2.img w2.orig || exit 1
test_expect_success 'restore into volume 2 (1<>): refused before anything is written, exit 1' '
	st=0
	"$CDTAPE" restore --volumes=w1.img,w2.img 1<>w2.img 2>err || st=$?
	test $st -eq 1
	grep "standard output is w2.img itself (volume 2): nothing restored" err
	cmp w2.img w2.orig
	"$CDTAPE" restore --volumes=w1.img,w2.img >out
	cmp out in.bin
'
test_expect_success 'restore > the image: said that the shell emptied it, exit 1' '
	cp w2.orig w3.img
	st=0
	"$CDTAPE" restore dev=w3.img >w3.img 2>err || st=$?
	test $st -eq 1
	grep "standard output is w3.img itself (volume 1): nothing restored: the shell emptied it" err
	! grep "holds no cdtape archive" err
'

# Targets that keep nothing, sources that cannot be read, a second
# writer that waits, a terminal that answers nothing
test_expect_success 'save to /dev/null or /dev/zero: exit 2, no archive claimed' '
	for d in /dev/null stdio:/dev/zero; do
		st=0
		"$CDTAPE" save dev=$d <in.bin 2>err || st=$?
		test $st -eq 2
		grep "keeps nothing written to it" err
		! grep "saved" err
	done
'
test_expect_success 'restore from a pipe: exit 3, saying to save the stream into a file' '
	st=0
	cat w1.img | "$CDTAPE" restore dev=stdio:/dev/stdin >out 2>err || st=$?
	test $st -eq 3
	grep "nothing cdtape can read" err
	test ! -s out
'
test_expect_success 'save --wait waits for another save of the image, then writes' '
	mkfifo slow
	"$CDTAPE" save dev=wt.img <slow 2>err1 & pid=$!
	exec 3>slow
	head -c 2000000 /dev/zero >&3
	i=0
	until test "$(stat -c %s wt.img 2>/dev/null || echo 0)" -gt 1000000; do
		i=$((i + 1)); test $i -lt 1200; sleep 0.1
	done
	st=0
	"$CDTAPE" save dev=wt.img <in.bin 2>err2 3>&- || st=$?
	test $st -eq 3
	grep "busy: another program is writing to wt.img (--wait waits" err2
	"$CDTAPE" save --wait dev=wt.img <in.bin 2>err3 3>&- & pid2=$!
	i=0
	until grep -q "waiting" err3; do
		i=$((i + 1)); test $i -lt 1200; sleep 0.1
	done
	exec 3>&-
	wait $pid
	wait $pid2
	"$CDTAPE" restore dev=wt.img >out
	cmp out in.bin
'
test_expect_status 2 'restore --wait is a usage error' '
	"$CDTAPE" restore --wait dev=w1.img
'

test_done
