#!/bin/sh
# cdtape (issue 11), third round: a signal at each stage of save (waiting
# for another writer, running -F's script, asking on the terminal, between
# volumes) ends it within about a second of the signal, of the signal,
# saying so; what the volumes hold is then checked with cdtape list and
# restore, and with cmp against what was saved.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need cmp head cat mkfifo sleep python3
CDTAPE="$top_builddir/tools/cdtape"
PTYRUN="python3 $top_srcdir/t/helper/ptyrun.py --timeout 60"

random_bytes 30000 in.bin >in.bin || exit 1

# CMD true within 120 s (a loaded machine with sanitizers)
waitfor() {
	wait_until eval "$1"
}
# Has process $1 ended (gone, or a zombie not yet waited for) within
# about $2 tenths of a second? The tests give 10 s (a loaded machine with
# sanitizers), where what they catch takes 30 s or for ever.
ends_within() {
	i=0
	while test -e /proc/$1 && ! grep -q ') Z' /proc/$1/stat 2>/dev/null; do
		i=$((i + 1))
		test $i -le $2 || return 1
		sleep 0.1
	done
}

# -F's script may be slow or stuck: a signal to cdtape stops the script
# and the save, rather than waiting for the script to end and then going
# on to the next volume
test_expect_success 'SIGINT while -F runs a stuck script (sleep 30): ends without waiting for it, of the signal, volume 1 kept' '
	"$CDTAPE" save --capacity 12288 -F "echo \$\$ >script.pid; exec sleep 30" dev=f.img <in.bin 2>err & pid=$!
	waitfor "test -s script.pid"
	kill -INT $pid
	ends_within $pid 100
	st=0
	wait $pid || st=$?
	test $st -eq 130
	! kill -0 $(cat script.pid) 2>/dev/null
	grep "cancelled while the new-volume script ran for volume 2" err
	grep "the archive is cut short after volume 1: saved 10240 bytes" err
	"$CDTAPE" list dev=f.img >out
	grep "^volume: 1$" out
	grep "^complete: yes$" out
	head -c 10240 in.bin >part.bin
	st=0
	"$CDTAPE" restore --volumes=f.img >out 2>/dev/null || st=$?
	test $st -eq 3
	cmp out part.bin
'

# save --wait waits for another writer of the image file: a signal then
# is a cancel, said as one, not a silent exit 1
# does some program hold an OFD lock on file $1? (/proc/locks names it
# MAJOR:MINOR:INODE, the first two in hex)
ofd_locked() {
	set -- "$(printf "%02x:%02x:%s" $(stat -c "%Hd %Ld %i" "$1"))"
	grep -q "OFDLCK.* $1 " /proc/locks
}
test_expect_success 'SIGTERM while save --wait waits for another writer: exit 143, said, the file as it was' '
	echo old | "$CDTAPE" save dev=w.img
	cp w.img w.orig
	mkfifo win
	"$CDTAPE" save dev=w.img <win 2>err0 & p0=$!
	exec 3>win
	waitfor "ofd_locked w.img"
	"$CDTAPE" save --wait dev=w.img <in.bin 2>err & pid=$!
	waitfor "grep -q waiting err"
	kill -TERM $pid
	ends_within $pid 100
	st=0
	wait $pid || st=$?
	kill -INT $p0
	wait $p0 || :
	exec 3>&-
	test $st -eq 143
	grep "cancelled while waiting for another program writing to w.img" err
	cmp w.img w.orig
	test "$("$CDTAPE" restore dev=w.img)" = old
'

# A pipe or FIFO is only written: nothing is read back from it, and what
# went out of the volume before a signal is not "nothing"
test_expect_success 'SIGINT mid payload into a FIFO: said unfinished, not that nothing was written' '
	random_bytes 3000000 big.bin >big.bin
	mkfifo fout fin
	cat fout >fifo.img & reader=$!
	"$CDTAPE" save dev=stdio:fout <fin 2>err & pid=$!
	exec 3>fin
	cat big.bin >&3
	waitfor "test \$(stat -c %s fifo.img) -gt 1000000"
	kill -INT $pid
	ends_within $pid 100
	st=0
	wait $pid || st=$?
	exec 3>&-
	wait $reader
	test $st -eq 130
	grep "stdio:fout is only written: what went out of volume 1 has no final header" err
	! grep "nothing of volume 1 was written" err
	! grep "libburn:" err
	"$CDTAPE" list dev=fifo.img >out
	grep "^complete: no " out
	st=0
	"$CDTAPE" restore dev=fifo.img >out 2>/dev/null || st=$?
	test $st -eq 3
'

# A signal while save asks on the terminal for the next volume is a
# cancel, not "no answer"
test_expect_success 'SIGHUP while asking on the terminal for volume 2: said as a cancel, exit 129' '
	st=0
	$PTYRUN --on "insert volume 2 into a.img" "kill -HUP \$(cat pid)" "" \
		-- sh -c "echo \$\$ >pid; exec \"$CDTAPE\" save --capacity 12288 dev=a.img <in.bin 2>err" >tty.out || st=$?
	test $st -eq 129
	grep "cancelled while asking for volume 2" err
	! grep "no answer on the terminal" err
	grep "the archive is cut short after volume 1: saved 10240 bytes" err
	"$CDTAPE" list dev=a.img >out
	grep "^complete: yes$" out
'

test_done
