#!/bin/sh
# cdtape (issue 11): volumes written once, front to back (what CD-R,
# DVD+R and a blanked CD-RW take), made here through a pipe, which libburn
# writes the same way: the final header is a trailer after the payload,
# found from the end over zero blocks; a volume without it is unfinished.
# The format is checked by a reader and a writer of its own in python3,
# made from lib/tape.h's description alone. Then --label as a tape
# operator's check, asking for the next volume on a terminal (a
# pseudo-terminal driven by t/helper/ptyrun.py, as a person would answer),
# and progress naming the volume.
# Checked with GNU tar, sha256sum, cmp, od and python3.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need tar sha256sum cmp od python3 setsid mkfifo
CDTAPE="$top_builddir/tools/cdtape"
PTYRUN="python3 $top_srcdir/t/helper/ptyrun.py --timeout 60"

make_tree tree || exit 1
random_bytes 700000 tree/big.bin >tree/big.bin || exit 1
tar cf tree.tar tree || exit 1
sha() { sha256sum | cut -d" " -f1; }
tar_sha=$(sha <tree.tar)
# a volume size that takes three volumes for the archive
CAP=$(($(stat -c %s tree.tar) / 3 / 2048 * 2048 + 4 * 2048))
# the flags of a 2048-byte block of FILE (big-endian, at byte 44)
flags() { od -An -tu1 -j $(($2 * 2048 + 47)) -N1 "$1" | tr -d " "; }

# A reader of a written-once volume from tape.h alone: the last block
# that is not zeros is the final header; its payload, checked
cat >read_once.py <<'EOF' || exit 1
import hashlib, struct, sys
d = open(sys.argv[1], "rb").read()
b = len(d) // 2048 - 1
while b > 0 and d[b * 2048:(b + 1) * 2048] == bytes(2048):
    b -= 1
t = d[b * 2048:(b + 1) * 2048]
assert t[:16] == b"CDPIPE-CDTAPE\n\0\0", "no trailer"
assert hashlib.sha256(t[:2016]).digest() == t[2016:], "trailer sum"
flags, off, length = struct.unpack(">I", t[44:48])[0], *struct.unpack(">QQ", t[48:64])
assert flags & 5 == 5, "complete and trailer"
assert (off + length + 2047) // 2048 == b, "trailer placed after payload"
assert t[24:40] == d[24:40], "same archive id as block 0"
p = d[off:off + length]
assert hashlib.sha256(p).digest() == t[80:112], "payload sum"
sys.stdout.buffer.write(p)
EOF

# A writer of one: block 0 unfinished, the payload, zeros, the trailer,
# and zero blocks after it as a drive adds them
cat >write_once.py <<'EOF' || exit 1
import hashlib, os, struct, sys, time
p = sys.stdin.buffer.read()
def header(flags, length, s):
    h = bytearray(2048)
    h[0:16] = b"CDPIPE-CDTAPE\n\0\0"
    h[16:24] = struct.pack(">II", 1, 2048)
    h[24:40] = ident
    h[40:48] = struct.pack(">II", 1, flags)
    h[48:80] = struct.pack(">QQQQ", 2048, length, length, int(time.time()))
    h[80:112] = s
    h[112:144] = s
    label = b"from python"
    h[144:146] = struct.pack(">H", len(label))
    h[146:146 + len(label)] = label
    h[2016:] = hashlib.sha256(bytes(h[:2016])).digest()
    return bytes(h)
ident = os.urandom(16)
empty = hashlib.sha256(b"").digest()
out = sys.stdout.buffer
out.write(header(4, 0, empty))
out.write(p + bytes(-len(p) % 2048))
out.write(header(7, len(p), hashlib.sha256(p).digest()))
out.write(bytes(16 * 2048))
EOF

test_expect_success 'save into a pipe: written once, restore gives the stream back' '
	"$CDTAPE" save dev=stdio:/dev/stdout <tree.tar 2>err | cat >p.img
	grep "saved $(stat -c %s tree.tar) bytes" err
	"$CDTAPE" restore dev=p.img >out
	test "$(sha <out)" = "$tar_sha"
	"$CDTAPE" restore dev=p.img | tar tvf - >got
	tar tvf tree.tar >want
	diff -u want got
'
test_expect_success 'block 0 says unfinished and trailer, the last block is the final header' '
	test "$(flags p.img 0)" = 4
	last=$(($(stat -c %s p.img) / 2048 - 1))
	test "$(flags p.img $last)" = 7
	"$CDTAPE" list dev=p.img >out
	grep "^complete: yes$" out
	grep "^written: once" out
	"$CDTAPE" list --json dev=p.img >out
	python3 -c "
import json
j = json.load(open(\"out\"))
assert j[\"written_once\"] is True and j[\"complete\"] is True and j[\"last\"] is True
assert j[\"payload_length\"] == $(stat -c %s tree.tar)
"
'
test_expect_success 'a reader made from tape.h alone reads the volume cdtape wrote' '
	python3 read_once.py p.img >out
	cmp out tree.tar
'
test_expect_success 'a volume made from tape.h alone is restored and verified by cdtape' '
	python3 write_once.py <tree.tar >py.img
	"$CDTAPE" restore dev=py.img >out
	cmp out tree.tar
	"$CDTAPE" verify dev=py.img
	"$CDTAPE" list dev=py.img >out
	grep "^label: from python$" out
'
test_expect_success 'zero blocks after the trailer (a DVD track rounded up) are passed over' '
	cp p.img pz.img
	head -c $((40 * 2048)) /dev/zero >>pz.img
	"$CDTAPE" restore dev=pz.img >out
	cmp out tree.tar
'
test_expect_success 'the trailer cut off: exit 3, unfinished, nothing written' '
	head -c $(($(stat -c %s p.img) - 2048)) p.img >cut.img
	st=0
	"$CDTAPE" restore dev=cut.img >out 2>err || st=$?
	test $st -eq 3
	grep "did not finish (no final header after its payload)" err
	test ! -s out
	st=0
	"$CDTAPE" verify dev=cut.img 2>err || st=$?
	test $st -eq 3
	"$CDTAPE" list dev=cut.img >out
	grep "^complete: no " out
'
test_expect_success 'a damaged trailer: exit 4, said, nothing written' '
	cp p.img dt.img
	last=$(($(stat -c %s p.img) / 2048 - 1))
	flip_byte dt.img $((last * 2048 + 100))
	st=0
	"$CDTAPE" restore dev=dt.img >out 2>err || st=$?
	test $st -eq 4
	grep "the final header after the payload is damaged" err
	test ! -s out
'
test_expect_success 'a volume cut in its payload: exit 3' '
	head -c 300000 p.img >cut2.img
	st=0
	"$CDTAPE" restore dev=cut2.img >out 2>err || st=$?
	test $st -eq 3
	grep "did not finish" err
'
test_expect_success 'a corrupted payload byte: restore and verify exit 4' '
	cp p.img bad.img
	flip_byte bad.img 100000
	st=0
	"$CDTAPE" restore dev=bad.img >out 2>err || st=$?
	test $st -eq 4
	grep "do not match their SHA-256" err
	st=0
	"$CDTAPE" verify dev=bad.img 2>err || st=$?
	test $st -eq 4
'
test_expect_success 'a trailer of another archive at the end: exit 3' '
	head -c $(($(stat -c %s p.img) - 2048)) p.img >mix.img
	tail -c 18432 py.img | head -c 2048 >>mix.img
	st=0
	"$CDTAPE" restore dev=mix.img >out 2>err || st=$?
	test $st -eq 3
	test ! -s out
'
test_expect_success 'three volumes written once into FIFOs, restored' '
	mkfifo f1 f2 f3
	cat f1 >o1.img &
	cat f2 >o2.img &
	cat f3 >o3.img &
	"$CDTAPE" save --capacity $CAP --volumes=stdio:f1,stdio:f2,stdio:f3 <tree.tar 2>err
	wait
	grep "in 3 volumes" err
	"$CDTAPE" restore --volumes=o1.img,o2.img,o3.img >out
	cmp out tree.tar
	last=$(($(stat -c %s o2.img) / 2048 - 1))
	test "$(flags o2.img $last)" = 5
	test $(stat -c %s o1.img) -le $CAP
'

test_expect_success 'msinfo and cdwrite name a cdtape archive, and cdwrite leaves it' '
	cp p.img keep.img
	st=0
	"$top_builddir/tools/msinfo" dev=keep.img 2>err || st=$?
	test $st -eq 3
	grep "holds a cdtape archive" err
	st=0
	"$top_builddir/tools/cdwrite" dev=keep.img tree.tar 2>err || st=$?
	test $st -eq 3
	grep "holds a cdtape archive" err
	cmp keep.img p.img
'

# A signal while the write waits for its producer: cancelled cleanly, the
# program ends of the signal, and what the medium holds is said as it is
waitfor() { # CMD: true within 120 s (a loaded machine with sanitizers)
	wait_until eval "$1"
}
test_expect_success 'SIGTERM mid payload over an archive: ends of the signal, said unfinished, list and restore agree' '
	echo old | "$CDTAPE" save dev=c1.img
	mkfifo in1
	"$CDTAPE" save dev=c1.img <in1 2>err & pid=$!
	exec 3>in1
	cat tree/big.bin tree/big.bin >&3
	waitfor "test \$(stat -c %s c1.img) -gt 1000000"
	kill -TERM $pid
	st=0
	wait $pid || st=$?
	exec 3>&-
	test $st -eq 143
	grep "cancelled" err
	grep "volume 1 is marked unfinished: what was there before is lost" err
	"$CDTAPE" list dev=c1.img | grep "^complete: no "
	st=0
	"$CDTAPE" restore dev=c1.img >out 2>/dev/null || st=$?
	test $st -eq 3
	test ! -s out
'
test_expect_success 'SIGTERM mid payload on a blank image file: unfinished, nothing said lost' '
	head -c 65536 /dev/zero >c0.img
	mkfifo in0
	"$CDTAPE" save dev=c0.img <in0 2>err & pid=$!
	exec 3>in0
	cat tree/big.bin tree/big.bin >&3
	waitfor "test \$(stat -c %s c0.img) -gt 1000000"
	kill -TERM $pid
	st=0
	wait $pid || st=$?
	exec 3>&-
	test $st -eq 143
	grep "c0.img: volume 1 is marked unfinished$" err
'
test_expect_success 'SIGINT before anything was written: the earlier archive is as it was' '
	echo old | "$CDTAPE" save dev=c2.img
	before=$(sha <c2.img)
	mkfifo in2
	"$CDTAPE" save dev=c2.img <in2 2>err & pid=$!
	exec 3>in2
	echo a little >&3
	waitfor "ls -l /proc/$pid/fd 2>/dev/null | grep -q c2.img"
	sleep 0.5
	kill -INT $pid
	st=0
	wait $pid || st=$?
	exec 3>&-
	test $st -eq 130
	grep "holds what it held before: nothing of volume 1 was written" err
	test "$(sha <c2.img)" = "$before"
	test "$("$CDTAPE" restore dev=c2.img)" = old
'
test_expect_success 'SIGINT on a new image file: nothing kept, no file left' '
	mkfifo in3
	"$CDTAPE" save dev=c3.img <in3 2>err & pid=$!
	exec 3>in3
	head -c 3000000 /dev/zero >&3
	waitfor "test -f c3.img"
	sleep 0.3
	kill -INT $pid
	st=0
	wait $pid || st=$?
	exec 3>&-
	test $st -eq 130
	grep "nothing is kept" err
	test ! -e c3.img
'

# --label: a tape operator's check
echo one | "$CDTAPE" save --label monday dev=mon.img 2>/dev/null || exit 1
echo two | "$CDTAPE" save dev=nolabel.img 2>/dev/null || exit 1
test_expect_success 'save --label over an archive labelled otherwise: exit 3, nothing written' '
	before=$(sha <mon.img)
	st=0
	echo new | "$CDTAPE" save --label tuesday dev=mon.img 2>err || st=$?
	test $st -eq 3
	grep "labelled monday, not .tuesday." err
	test "$(sha <mon.img)" = "$before"
'
test_expect_success 'save --label over one with the same label, an unlabelled one, or with --force' '
	cp mon.img mon2.img
	echo again | "$CDTAPE" save --label monday dev=mon.img
	test "$("$CDTAPE" restore dev=mon.img)" = again
	echo first | "$CDTAPE" save --label friday dev=nolabel.img
	"$CDTAPE" list dev=nolabel.img | grep "^label: friday$"
	echo forced | "$CDTAPE" save --force --label tuesday dev=mon2.img
	"$CDTAPE" list dev=mon2.img | grep "^label: tuesday$"
'
test_expect_success 'restore --label: another label is exit 3 and writes nothing' '
	st=0
	"$CDTAPE" restore --label sunday dev=mon.img >out 2>err || st=$?
	test $st -eq 3
	grep "labelled .monday., not .sunday." err
	test ! -s out
	"$CDTAPE" verify --label monday dev=mon.img
	test "$("$CDTAPE" restore --label monday dev=mon.img)" = again
'
test_expect_status 2 'list --label is a usage error' '
	"$CDTAPE" list --label monday dev=mon.img
'

# Asking on the terminal
test_expect_success 'save asks on the terminal for each next volume, as tar -M' '
	$PTYRUN --on "insert volume 2 into v.img" "mv v.img v1.img" "" \
		--on "insert volume 3 into v.img" "mv v.img v2.img" "" \
		-- sh -c "exec \"$CDTAPE\" save --capacity $CAP dev=v.img <tree.tar 2>err" >tty.out
	mv v.img v3.img
	grep "in 3 volumes" err
	"$CDTAPE" restore --volumes=v1.img,v2.img,v3.img >out
	cmp out tree.tar
'
test_expect_success 'restore asks too, and asks again for a wrong volume' '
	cp v1.img r.img
	$PTYRUN --on "insert volume 2 into r.img" "cp v3.img r.img" "" \
		--on "insert volume 2 into r.img" "cp v2.img r.img" "" \
		--on "insert volume 3 into r.img" "cp v3.img r.img" "" \
		-- sh -c "exec \"$CDTAPE\" restore dev=r.img >out 2>err" >tty.out
	grep "holds volume 3 of the archive, not volume 2" err
	cmp out tree.tar
'
test_expect_success 'restore asks again for a volume of another archive' '
	cp v1.img r.img
	$PTYRUN --on "insert volume 2 into r.img" "cp p.img r.img" "" \
		--on "insert volume 2 into r.img" "cp v2.img r.img" "" \
		--on "insert volume 3 into r.img" "cp v3.img r.img" "" \
		-- sh -c "exec \"$CDTAPE\" restore dev=r.img >out 2>err" >tty.out
	grep "of another archive" err
	cmp out tree.tar
'
test_expect_success 'save asks again when the medium was not changed' '
	rm -f v.img v1.img
	$PTYRUN --on "insert volume 2 into v.img" "" "" \
		--on "insert volume 2 into v.img" "mv v.img v1.img" "" \
		--on "insert volume 3 into v.img" "mv v.img v2.img" "" \
		-- sh -c "exec \"$CDTAPE\" save --capacity $CAP dev=v.img <tree.tar 2>err" >tty.out
	grep "holds volume 1 of this archive" err
	mv v.img v3.img
	"$CDTAPE" restore --volumes=v1.img,v2.img,v3.img >out
	cmp out tree.tar
'
test_expect_success 'q at the question ends the save: exit 3, said where' '
	rm -f q.img
	st=0
	$PTYRUN --on "insert volume 2 into q.img" "" "q" \
		-- sh -c "exec \"$CDTAPE\" save --capacity $CAP dev=q.img <tree.tar 2>err" >tty.out || st=$?
	test $st -eq 3
	grep "stopped at volume 2" err
	grep "cut short after volume 1" err
	"$CDTAPE" list dev=q.img | grep "^volume: 1$"
'
test_expect_success 'an end of input on the terminal (^D), or q after blanks, stops the save' '
	rm -f q.img
	st=0
	$PTYRUN --on "insert volume 2 into q.img" "" "$(printf "\004")" \
		-- sh -c "exec \"$CDTAPE\" save --capacity $CAP dev=q.img <tree.tar 2>err" >tty.out || st=$?
	test $st -eq 3
	grep "no answer on the terminal: stopped at volume 2" err
	rm -f q.img
	st=0
	$PTYRUN --on "insert volume 2 into q.img" "" "  q" \
		-- sh -c "exec \"$CDTAPE\" save --capacity $CAP dev=q.img <tree.tar 2>err" >tty.out || st=$?
	test $st -eq 3
	grep "^cdtape: stopped at volume 2" err
'
test_expect_success 'q when restore asks: exit 3, the volumes before written' '
	cp v1.img r.img
	st=0
	$PTYRUN --on "insert volume 2 into r.img" "" "q" \
		-- sh -c "exec \"$CDTAPE\" restore dev=r.img >out 2>err" >tty.out || st=$?
	test $st -eq 3
	grep "goes on after volume 1" err
	"$CDTAPE" restore --volumes=v1.img,v2.img,v3.img | head -c $(stat -c %s out) | cmp - out
'
test_expect_success 'no terminal to ask on: exit 3, saying how to name the volumes' '
	cp v1.img r.img
	st=0
	setsid -w "$CDTAPE" restore dev=r.img >out 2>err || st=$?
	test $st -eq 3
	grep "volume 2 is needed" err
'
test_expect_success 'progress names the volume' '
	rm -f g1.img g2.img g3.img
	"$CDTAPE" save --progress --capacity $CAP --volumes=g1.img,g2.img,g3.img <tree.tar 2>err
	grep "^cdtape: volume 1: " err
	grep "^cdtape: volume 3: " err
	"$CDTAPE" restore --progress --volumes=g1.img,g2.img,g3.img 2>err >out
	grep "^cdtape: volume 3: " err
'
test_done
