#!/bin/sh
# cdwrite and msinfo as an unlucky user meets them: two writers at once, a
# producer that dies, a session made for another disc, a capacity that is
# too small, a file that is no medium, signals while libburn blocks, a full
# disk and kills at every step of a write. After each, msinfo and isoinfo
# (ours and genisoimage's) show the state before the write, or the new
# one, or say what is wrong: never a medium that lies.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar isoinfo genisoimage tar xorriso cc
CDWRITE="$top_builddir/tools/cdwrite"
MSINFO="$top_builddir/tools/msinfo"
ISOINFO="$top_builddir/tools/isoinfo"
unset CDPIPE_DEVICE

mkdir -p d1 d2 d3 big
echo one >d1/one.txt && seq 1 20000 >d1/n1
echo two >d2/two.txt && random_bytes 3000000 d2/r2 >d2/r2
echo three >d3/three.txt
random_bytes 2000000 big/b >big/b
setup() {
	"$ISOMK" -quiet -R -J d1 >s1.iso || return 1
	# the faults below fall inside
	test "$(stat -c %s s1.iso)" -gt 300000 || return 1
	cp s1.iso $D && NEXT=$("$MSINFO" dev=$D) || return 1
	"$ISOMK" -quiet -R -J -C "$NEXT" -M $D -graft-points d2/=d2 >s2.iso || return 1
	"$ISOMK" -quiet -R -J -C "$NEXT" -M $D -graft-points d3/=d3 >s3.iso || return 1
	cp $D one.img || return 1
	# a first session bigger than the read-ahead, and one to follow it
	"$ISOMK" -quiet -R -J -graft-points d2/=d2 >b1.iso && cp b1.iso b1.img || return 1
	"$ISOMK" -quiet -R -J -C "$("$MSINFO" dev=b1.img)" -M b1.img d3 >b2.iso
}
D=disc.img
setup || bail_out "the images the tests start from could not be made"

# the medium as it is: msinfo's answer and the files bsdtar and
# genisoimage's isoinfo see (Rock Ridge and Joliet)
state() {
	{
		"$MSINFO" dev="$1" 2>&1; echo "msinfo $?"
		TZ=UTC bsdtar -tf "$1" 2>&1 | sort; echo "bsdtar $?"
		isoinfo -J -f -i "$1" 2>&1 | sort
	} >"$2"
}
state one.img one.state

# input for a writer that pauses after its read-ahead (1 MiB) until the
# file go appears (2 minutes at most, which a loaded machine needs): it
# then holds its lock for as long as the test needs. A test that starts
# one sets `trap "touch go; wait" EXIT`, so that a failure does not leave
# it holding the image into the tests after it.
slow() { # ISO
	head -c 1200000 "$1"
	i=0
	while [ ! -e go ] && [ $i -lt 1200 ]; do i=$((i + 1)); sleep 0.1; done
	tail -c +1200001 "$1"
}
# wait (60 s at most) until FILE says PATTERN. A test removes FILE before
# it starts the command whose output it is: the shell opens (and empties)
# a background command's 2>FILE only once that command is under way, and
# until then FILE says what the test before left there ("writing at block"
# from its writer, "waiting" from its reader), which a loaded machine lets
# until_in see first.
until_in() { # FILE PATTERN
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -ge 600 ]; then
			echo "waited 60 s for '$2' in $1, which says:"; cat "$1"
			return 1
		fi
		sleep 0.1
	done
}
# wait until a writer has taken its lock (it says where it writes)
locked() { until_in "$1" "writing at block"; }

# ---------------------------------------------------------------- locks
test_expect_success 'a second writer while one writes: busy, exit 3, nothing changed (also through a symlink)' '
	cp one.img $D && rm -f go errA && ln -sf $D link.img || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	st=0; "$CDWRITE" -multi dev=$D s3.iso 2>errB || st=$?
	test $st -eq 3 && grep -q "busy: another program is writing to $D" errB || exit 1
	st=0; "$CDWRITE" -multi dev=link.img s3.iso 2>errC || st=$?
	test $st -eq 3 && grep -q "busy" errC || exit 1
	touch go; wait $pidA
	"$ISOINFO" -f -i $D >list && grep -qx /d2/two.txt list && ! grep -q three list
'
test_expect_success 'msinfo waits for a writer and then tells the new address, never a half-written one' '
	cp one.img $D && rm -f go errA ms msg || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	"$MSINFO" dev=$D >ms 2>msg & pidM=$!
	until_in msg "another program is writing to it: waiting" || exit 1
	test ! -s ms || exit 1
	touch go; wait $pidA; wait $pidM
	ms=$("$MSINFO" dev=$D)
	test "$(cat ms)" != "$NEXT" && test "$(cat ms)" = "$ms"
'
test_expect_success '--wait waits, then the address check refuses a session made for the old address (exit 3)' '
	cp one.img $D && rm -f go errA errB || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	"$CDWRITE" --wait -multi dev=$D s3.iso 2>errB & pidB=$!
	until_in errB "waiting" || exit 1
	touch go; wait $pidA
	st=0; wait $pidB || st=$?
	test $st -eq 3 && grep -q "made for block ${NEXT#*,}, but on $D it would go to block" errB &&
	"$ISOINFO" -f -i $D >list && grep -qx /d2/two.txt list && ! grep -q three list
'
test_expect_success 'blank=fast while another program writes: busy (exit 3), the write goes on whole' '
	cp one.img $D && rm -f go errA || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	st=0; "$CDWRITE" blank=fast dev=$D 2>errB || st=$?
	touch go; wait $pidA
	test $st -eq 3 && grep -q busy errB && "$ISOINFO" -f -i $D | grep -qx /d2/two.txt
'
test_expect_success 'isomk -C (old numbers) -M D | cdwrite dev=D - started while another write runs: refused by the address check (exit 3)' '
	cp one.img $D && rm -f go errA errI || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	{ st=0; "$ISOMK" -quiet -R -J -C "$NEXT" -M $D -graft-points d3/=d3 2>errI |
		"$CDWRITE" -multi dev=$D - 2>errB || st=$?; echo $st >stB; } & pidB=$!
	until_in errI waiting || exit 1
	touch go; wait $pidA; wait $pidB
	test "$(cat stB)" -eq 3 && grep -q "made for block ${NEXT#*,}, but on $D it would go to block" errB &&
	"$ISOINFO" -f -i $D >list && grep -qx /d2/two.txt list && ! grep -q three list
'
test_expect_success 'a track file that grows while it is written (no tsize=): exit 1, said so, the image as it was' '
	rm -f E.img go errA errB && cp b2.iso grow.iso || exit 1
	trap "touch go; wait" EXIT
	slow b1.iso | "$CDWRITE" -v dev=E.img - 2>errA & pidA=$!
	locked errA || exit 1
	"$CDWRITE" --wait -multi dev=E.img grow.iso 2>errB & pidB=$!
	until_in errB waiting || exit 1
	head -c 100000 /dev/zero >>grow.iso && touch go || exit 1
	st=0; wait $pidA || st=$?
	test $st -eq 0 || { echo "the first writer: exit $st"; cat errA; exit 1; }
	st=0; wait $pidB || st=$?
	test $st -eq 1 && grep -q "grew while it was written" errB && ! grep -q tsize errB &&
	cmp E.img b1.iso
'
test_expect_success 'three writers at once: one writes, two exit 3, and every reader agrees' '
	cp one.img $D || exit 1
	"$CDWRITE" -multi dev=$D s2.iso 2>e1 & p1=$!
	"$CDWRITE" -multi dev=$D s3.iso 2>e2 & p2=$!
	"$CDWRITE" -multi dev=$D s2.iso 2>e3 & p3=$!
	ok=0; bad=0
	for p in $p1 $p2 $p3; do
		st=0; wait $p || st=$?
		case $st in 0) ok=$((ok + 1)) ;; 3) bad=$((bad + 1)) ;; *) exit 1 ;; esac
	done
	test $ok -eq 1 && test $bad -eq 2 || exit 1
	"$MSINFO" dev=$D && TZ=UTC bsdtar -tf $D >b && isoinfo -J -f -i $D >j || exit 1
	{ grep -q two b && grep -q two j && ! grep -q three b; } ||
	{ grep -q three b && grep -q three j && ! grep -q two b; }
'
test_expect_success 'isomk -M waits for a writer too, and reads the medium after it (its new directory names d2)' '
	cp one.img $D && rm -f go errA msg || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	"$ISOMK" -quiet -R -J -C "$NEXT" -M $D d3 >late.iso 2>msg & pidI=$!
	until_in msg waiting || exit 1
	touch go; wait $pidA; wait $pidI
	grep -aq two.txt late.iso
'

# ------------------------------------------------------- short streams
test_expect_success 'an append cut short: exit 1, N of M blocks said, the image as it was' '
	cp one.img $D || exit 1
	st=0; head -c 2000000 s2.iso | "$CDWRITE" -multi dev=$D - 2>err || st=$?
	test $st -eq 1 && grep -q "ended after 976 of the" err &&
	grep -q "holds its sessions as before" err &&
	cmp $D one.img && state $D now.state && cmp one.state now.state
'
test_expect_success 'a first session cut short: exit 1, no image file left' '
	rm -f o.img && st=0; head -c 100000 s1.iso | "$CDWRITE" dev=o.img - 2>err || st=$?
	test $st -eq 1 && grep -q "ended after 48 of" err && test ! -e o.img || exit 1
	st=0; "$MSINFO" dev=o.img 2>/dev/null || st=$?; test $st -eq 3
'
test_expect_success 'a session cut short to a sequential target (a pipe): exit 1, said; what the reader got is not a whole image' '
	rm -f p && mkfifo p || exit 1
	{ cat p >seq.out & } 
	st=0; head -c 200000 s1.iso | "$CDWRITE" dev=stdio:p - 2>err || st=$?
	wait
	test $st -eq 1 && grep -q "ended after 97 of" err || exit 1
	st=0; "$ISOINFO" -f -i seq.out >/dev/null 2>&1 || st=$?; test $st -eq 1
'
test_expect_success 'a first session cut short on a blanked image file: still blank, msinfo says so' '
	cp one.img o.img && "$CDWRITE" blank=fast dev=o.img && cp o.img blanked.img || exit 1
	st=0; head -c 300000 s1.iso | "$CDWRITE" dev=o.img - 2>err || st=$?
	test $st -eq 1 && cmp o.img blanked.img || exit 1
	st=0; "$MSINFO" dev=o.img 2>err || st=$?; test $st -eq 3 && grep -q blank err || exit 1
	st=0; "$ISOINFO" -d -i o.img 2>/dev/null || st=$?; test $st -ne 0
'
test_expect_success 'a first session written whole is the image byte for byte (its first blocks, held back, are there)' '
	rm -f o.img && "$CDWRITE" dev=o.img s1.iso && cmp -n $(stat -c %s s1.iso) o.img s1.iso
'

# ------------------------------------------------------------ addresses
test_expect_success 'a session made for block N of another disc, bigger than the first: refused on a blank image (exit 3)' '
	"$ISOMK" -quiet -R -C 0,480 d2 >far.iso 2>/dev/null &&
	test $(($(stat -c %s far.iso) / 2048)) -gt 480 || exit 1
	rm -f fresh.img && st=0; "$CDWRITE" dev=fresh.img far.iso 2>err || st=$?
	test $st -eq 3 && grep -q "made for block 480, but on fresh.img it would go to block 0" err &&
	test ! -e fresh.img
'
test_expect_success 'a session made for another next address: refused (exit 3)' '
	cp one.img $D && "$ISOMK" -quiet -R -C 0,$((${NEXT#*,} + 64)) -M $D d2 >off.iso 2>/dev/null || exit 1
	st=0; "$CDWRITE" -multi dev=$D off.iso 2>err || st=$?
	test $st -eq 3 && grep -q "made for block $((${NEXT#*,} + 64))" err && cmp $D one.img
'
test_expect_success 'a session genisoimage -C made for the right address is taken' '
	cp one.img $D &&
	genisoimage -quiet -R -J -C "$NEXT" -M $D -graft-points d3/=d3 >g.iso &&
	"$CDWRITE" -multi dev=$D g.iso && isoinfo -R -f -i $D | grep -q three.txt
'
test_expect_success 'a session made for 4 blocks past the next address: refused too (exit 3), the image as it was' '
	cp one.img $D && "$ISOMK" -quiet -R -J -C 0,$((${NEXT#*,} + 4)) -M $D d3 >near.iso || exit 1
	st=0; "$CDWRITE" -multi dev=$D near.iso 2>err || st=$?
	test $st -eq 3 && grep -q "made for block $((${NEXT#*,} + 4)), but on $D it would go to block ${NEXT#*,}" err &&
	cmp $D one.img
'
test_expect_success 'first sessions laid out otherwise are taken: genisoimage with its path tables far before the root, genisoimage -udf (its root after block 256), xorriso -partition_offset 16' '
	mkdir -p many && for i in $(seq 1 3000); do mkdir many/a_directory_with_a_long_name_$i; done &&
	genisoimage -quiet -R -J -o many.iso many && rm -f m.img &&
	"$CDWRITE" dev=m.img many.iso && cmp -n $(stat -c %s many.iso) m.img many.iso &&
	xorriso -as mkisofs -R -J -partition_offset 16 -o po.iso d1 2>/dev/null && rm -f m.img &&
	"$CDWRITE" dev=m.img po.iso && cmp -n $(stat -c %s po.iso) m.img po.iso &&
	genisoimage -quiet -R -udf -o udf.iso d1 && rm -f m.img &&
	"$CDWRITE" dev=m.img udf.iso && cmp -n $(stat -c %s udf.iso) m.img udf.iso
'
test_expect_success 'data that is no ISO session is not appended to sessions (exit 3), even with -force' '
	cp one.img $D || exit 1
	st=0; "$CDWRITE" -multi dev=$D big/b 2>err || st=$?
	test $st -eq 3 && grep -q "what is added to it must be one" err && cmp $D one.img || exit 1
	st=0; tar cf - d2 | "$CDWRITE" -multi -force dev=$D - 2>err || st=$?
	test $st -eq 3 && cmp $D one.img
'
test_expect_success 'the track is the medium itself (dev=X X, or X on standard input): usage, exit 2, X unchanged' '
	cp one.img $D || exit 1
	st=0; "$CDWRITE" -multi -force dev=$D $D 2>err || st=$?
	test $st -eq 2 && grep -q "is the medium $D itself" err && cmp $D one.img || exit 1
	st=0; "$CDWRITE" -multi -force dev=$D - <$D 2>err || st=$?
	test $st -eq 2 && cmp $D one.img
'
test_expect_success 'a directory is no medium (exit 3); -dummy makes no image file' '
	mkdir -p adir || exit 1
	st=0; "$CDWRITE" dev=adir s1.iso 2>err || st=$?
	test $st -eq 3 && grep -q "is a directory" err &&
	rm -f dummy.img && "$CDWRITE" -dummy dev=dummy.img s1.iso && test ! -e dummy.img
'
test_expect_success 'a file size limit (ulimit -f): exit 1, File too large, the image as it was' '
	cp one.img $D || exit 1
	st=0; (ulimit -f $(( $(stat -c %s $D) / 1024 + 200 )); "$CDWRITE" -multi dev=$D s2.iso) 2>err || st=$?
	test $st -eq 1 && grep -q "File too large" err && cmp $D one.img
'

# ------------------------------------------------------------- capacity
test_expect_success 'capacity= past any medium (2^53 bytes): usage, exit 2, nothing left (was a signed overflow)' '
	rm -f o.img && st=0; cat s1.iso | "$CDWRITE" capacity=9000000000g dev=o.img - 2>err || st=$?
	test $st -eq 2 && ! test -e o.img && ! grep -q "runtime error" err
'
test_expect_success 'capacity= is a limit for a stream too: exit 3, nothing left' '
	rm -f o.img && st=0; cat big/b | "$CDWRITE" capacity=100s dev=o.img - 2>err || st=$?
	test $st -eq 3 && grep -q "the medium is full" err && test ! -e o.img
'
test_expect_success 'capacity= and an ISO stream: refused before writing' '
	rm -f o.img && st=0; cat s1.iso | "$CDWRITE" capacity=100s dev=o.img - 2>err || st=$?
	test $st -eq 3 && grep -q "100 blocks free" err && test ! -e o.img
'
test_expect_success 'capacity= that leaves too little for an append: exit 3, the image as it was' '
	cp one.img $D || exit 1
	st=0; head -c 5000000 /dev/zero | cat s2.iso - |
		"$CDWRITE" -multi -force capacity=$((${NEXT#*,} + 1900))s dev=$D - 2>err || st=$?
	test $st -eq 3 && cmp $D one.img
'
test_expect_success 'capacity=0 and capacity=1 are usage errors (exit 2)' '
	st=0; "$CDWRITE" capacity=0 dev=o.img s1.iso 2>err || st=$?; test $st -eq 2 || exit 1
	st=0; "$CDWRITE" capacity=1 dev=o.img s1.iso 2>err || st=$?; test $st -eq 2 &&
	grep -q "too small" err
'

# -------------------------------------------------- not a medium at all
test_expect_success 'a file that is no medium (a PDF) is not overwritten: exit 3, says what it holds' '
	{ printf "%%PDF-1.4\n"; random_bytes 500000 thesis.pdf; } >thesis.pdf && cp thesis.pdf keep.pdf || exit 1
	st=0; "$CDWRITE" dev=thesis.pdf s1.iso 2>err || st=$?
	test $st -eq 3 && grep -q "holds a PDF document" err && cmp thesis.pdf keep.pdf
'
test_expect_success 'a second tar to one image file is refused, not written over the first; msinfo says tar' '
	rm -f t.img && tar cf - d1 | "$CDWRITE" -multi dev=t.img - && cp t.img t1.img || exit 1
	st=0; tar cf - d2 | "$CDWRITE" -multi dev=t.img - 2>err || st=$?
	test $st -eq 3 && grep -q "holds a tar archive" err && cmp t.img t1.img || exit 1
	st=0; "$MSINFO" dev=t.img 2>err || st=$?; test $st -eq 3 && grep -q "tar archive" err &&
	tar tf t.img | grep -q d1/one.txt
'
test_expect_success 'blank=fast or -force say to reuse it' '
	"$CDWRITE" -force dev=thesis.pdf s1.iso && "$ISOINFO" -f -i thesis.pdf | grep -q one.txt &&
	tar cf - d2 | "$CDWRITE" blank=fast dev=t.img - && tar tf t.img | grep -q d2/two.txt
'

# --------------------------------------------------------------- damage
test_expect_success 'msinfo on an image shorter than its newest session: truncated, exit 1; cdwrite refuses (3)' '
	cp one.img cut.img && truncate -s 100000 cut.img || exit 1
	st=0; "$MSINFO" dev=cut.img >out 2>err || st=$?
	test $st -eq 1 && test ! -s out && grep -q "truncated" err || exit 1
	st=0; "$CDWRITE" -multi dev=cut.img s2.iso 2>err || st=$?
	test $st -eq 3 && grep -q truncated err
'

# ------------------------------------------------------- CUE/BIN images
test_expect_success 'a CUE/BIN image: a second writer is busy (exit 3), msinfo waits and then sees it closed, the first writes it whole' '
	rm -f go errA errM album.cue album.bin && head -c 3528000 /dev/zero >z.raw || exit 1
	trap "touch go; wait" EXIT
	slow z.raw | "$CDWRITE" -audio dev=album.cue - 2>errA & pidA=$!
	wait_until test -s album.bin
	st=0; "$CDWRITE" -audio dev=album.cue z.raw 2>errB || st=$?
	test $st -eq 3 && grep -q busy errB || exit 1
	"$MSINFO" dev=album.cue 2>errM & pidM=$!
	until_in errM waiting || exit 1
	touch go; wait $pidA
	st=0; wait $pidM || st=$?
	test $st -eq 3 && grep -q closed errM &&
	test -s album.cue && test "$(stat -c %s album.bin)" -eq 3528000
'

# -------------------------------------------------------------- signals
# is a thread of process $1 blocked opening a FIFO (no reader yet)?
in_fifo_open() { grep -qx wait_for_partner /proc/"$1"/task/*/wchan 2>/dev/null; }
test_expect_success 'a FIFO with no reader as the medium: SIGINT ends cdwrite (exit 130)' '
	rm -f ff && mkfifo ff || exit 1
	"$CDWRITE" dev=ff s1.iso 2>err & pid=$!
	wait_until in_fifo_open $pid || { kill -KILL $pid; exit 1; }
	kill -INT $pid
	( sleep 60; kill -KILL $pid 2>/dev/null ) & guard=$!
	st=0; wait $pid || st=$?
	kill $guard 2>/dev/null; test $st -eq 130
'
test_expect_success 'a second signal ends it at once (exit 143)' '
	"$CDWRITE" dev=ff s1.iso 2>err & pid=$!
	wait_until in_fifo_open $pid || { kill -KILL $pid; exit 1; }
	kill -TERM $pid
	wait_until delivered $pid 15
	kill -TERM $pid
	( sleep 30; kill -KILL $pid 2>/dev/null ) & guard=$!
	st=0; wait $pid || st=$?
	kill $guard 2>/dev/null; test $st -eq 143 && grep -q "second signal" err
'
test_expect_success 'SIGINT while the input stalls in an append: exit 130 at once, the image as it was, said so' '
	cp one.img $D && rm -f go err in.fifo && mkfifo in.fifo || exit 1
	{ head -c 1200000 s2.iso; sleep 30; } >in.fifo & feed=$!
	"$CDWRITE" -v -multi dev=$D - <in.fifo 2>err & pid=$!
	locked err && kill -INT $pid || exit 1
	( sleep 5; kill -KILL $pid 2>/dev/null ) & guard=$!
	st=0; wait $pid || st=$?
	kill $guard $feed 2>/dev/null
	test $st -eq 130 && grep -q "holds its sessions as before" err && cmp $D one.img
'
test_expect_success 'SIGINT in the gracetime countdown: exit 130, said, the image as it was' '
	cp one.img $D
	"$CDWRITE" gracetime=60 -multi dev=$D s2.iso 2>err & pid=$!
	wait_until grep -q "writing in 60 s" err || { kill -KILL $pid; exit 1; }
	wait_until catches $pid 2 || { kill -KILL $pid; exit 1; }
	kill -INT $pid
	( sleep 30; kill -KILL $pid 2>/dev/null ) & guard=$!
	st=0
	wait $pid || st=$?
	kill $guard 2>/dev/null
	test $st -eq 130
	grep -q "cancelled before anything was written" err
	cmp $D one.img
	rm -f new.img
	"$CDWRITE" gracetime=60 dev=new.img s1.iso 2>err & pid=$!
	wait_until grep -q "writing in 60 s" err || { kill -KILL $pid; exit 1; }
	wait_until catches $pid 15 || { kill -KILL $pid; exit 1; }
	kill -TERM $pid
	st=0
	wait $pid || st=$?
	test $st -eq 143
	grep -q "cancelled before anything was written" err
	test ! -e new.img
'
test_expect_success 'SIGINT in the gracetime countdown of blank=fast and a track: the image not blanked, said' '
	cp one.img $D
	"$CDWRITE" gracetime=60 blank=fast dev=$D s1.iso 2>err & pid=$!
	wait_until grep -q "writing in 60 s" err || { kill -KILL $pid; exit 1; }
	wait_until catches $pid 2 || { kill -KILL $pid; exit 1; }
	kill -INT $pid
	wait_until ended $pid || kill -KILL $pid
	st=0
	wait $pid || st=$?
	test $st -eq 130
	grep -q "cancelled before anything was written" err
	cmp $D one.img
	ms=$("$MSINFO" dev=$D)
	test "$ms" = "$NEXT"
'
# stop_waiter ERR PID SIGNUM: once PID says in ERR that it waits, and
# catches SIGNUM, that signal; st is then its exit status
stop_waiter() {
	until_in "$1" waiting || return 1
	wait_until catches "$2" "$3" || return 1
	kill -"$3" "$2"
	wait_until ended "$2" || kill -KILL "$2"
	st=0
	wait "$2" || st=$?
}
test_expect_success 'a signal while --wait waits for another writer: said, exit 128+N, the image as the other left it' '
	cp one.img $D && rm -f go errA errB errC || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	"$CDWRITE" --wait -multi dev=$D s3.iso 2>errB & pidB=$!
	stop_waiter errB $pidB 2 || exit 1
	test $st -eq 130
	grep -q "cancelled while waiting for another program writing to $D" errB
	"$CDWRITE" --wait blank=fast dev=$D 2>errC & pidC=$!
	stop_waiter errC $pidC 15 || exit 1
	test $st -eq 143
	grep -q "cancelled while waiting for another program writing to $D" errC
	touch go
	wait $pidA
	"$ISOINFO" -f -i $D >list
	grep -qx /d2/two.txt list
	! grep -q three list
'
test_expect_success 'the image replaced while written, then Ctrl-C: said, the file put there not cut back' '
	cp one.img $D && rm -f go errA || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	cat s1.iso s1.iso >other.img
	mv -f other.img $D
	kill -INT $pidA
	touch go
	st=0
	wait $pidA || st=$?
	test $st -eq 130
	grep -q "removed or replaced while it was written: nothing of this write" errA
	! grep -q "cannot cut it back" errA
	! grep -q "holds its sessions as before" errA
	cat s1.iso s1.iso | cmp - $D
'
test_expect_success 'the image removed while written: exit 1, said, not "written"' '
	cp one.img $D && rm -f go errA || exit 1
	trap "touch go; wait" EXIT
	slow s2.iso | "$CDWRITE" -v -multi dev=$D - 2>errA & pidA=$!
	locked errA || exit 1
	rm $D
	touch go
	st=0
	wait $pidA || st=$?
	test $st -eq 1
	grep -q "removed or replaced while it was written: the session went to a file no one can open" errA
	test ! -e $D
'

# ------------------------------------------------ faults at every step
if "${CC:-cc}" -shared -fPIC -o faults.so "$top_srcdir/t/helper/faults.c" -ldl 2>cc.err; then
	asan=$(ldd "$CDWRITE" 2>/dev/null | awk '/libasan/ {print $3}')
	fault() { # FILE AT NTH DO cdwrite-arguments...
		f=$1 at=$2 nth=$3 what=$4; shift 4
		FAULT_FILE="$TMP/$f" FAULT_AT=$at FAULT_NTH=$nth FAULT_DO=$what \
			LD_PRELOAD="${asan:+$asan }$TMP/faults.so" "$CDWRITE" "$@"
	}
	N=${NEXT#*,}
	NB=$((N * 2048))
	# an append: the data from block N on, then (fsync) the descriptors at 16
	test_expect_success 'full disk in the middle of an append: exit 1, the image cut back as it was' '
		cp one.img $D || exit 1
		st=0; fault $D $((NB + 1000000)) 1 enospc -multi dev=$D s2.iso 2>err || st=$?
		test $st -eq 1 && grep -q "No space left" err && cmp $D one.img
	'
	test_expect_success 'full disk in a first session: exit 1, no file left' '
		rm -f o.img && st=0; fault o.img 250000 1 enospc dev=o.img s1.iso 2>err || st=$?
		test $st -eq 1 && test ! -e o.img
	'
	for kill in "before the data:$NB:1" "in the middle of the data:$((NB + 1000000)):1" \
		"between data and descriptors:32768:1"; do
		what=${kill%%:*} rest=${kill#*:}
		test_expect_success "SIGKILL $what of an append: readers see the image as it was" '
			cp one.img $D || exit 1
			st=0; fault $D ${rest%:*} ${rest#*:} kill -multi dev=$D s2.iso 2>/dev/null || st=$?
			test $st -eq 137 && state $D now.state && cmp one.state now.state
		'
	done
	# killed after the primary descriptor: the state cdrskin and xorriso
	# --grow_overwriteable_iso leave on purpose (Rock Ridge new, Joliet
	# the session before), and msinfo agrees with the primary one
	test_expect_success 'SIGKILL in the middle of the descriptors of an append: each reader sees one whole session, msinfo the primary one' '
		cp one.img $D || exit 1
		st=0; fault $D $((17 * 2048)) 1 kill -multi dev=$D s2.iso 2>/dev/null || st=$?
		test $st -eq 137 || exit 1
		TZ=UTC bsdtar -tf $D >b && grep -q n1 b &&
		isoinfo -J -f -i $D >j && grep -q n1 j &&
		"$ISOINFO" -R -f -i $D >r && grep -q n1 r || exit 1
		ms=$("$MSINFO" dev=$D)
		if grep -q two r; then test "$ms" != "$NEXT"
		else test "$ms" = "$NEXT"; fi
		{ "$ISOMK" -quiet -R -J -C "$("$MSINFO" dev=$D)" -M $D -graft-points d3/=d3; echo $? >st; } |
			"$CDWRITE" -multi dev=$D - && test "$(cat st)" -eq 0 &&
		isoinfo -J -f -i $D >j && grep -q three j
	'
	# a first session: the data with its first 32 blocks as zeros, then
	# (fsync) those blocks
	for kill in "before the data:0:1" "in the middle of the data:250000:1" \
		"between data and descriptors:0:2" "in the middle of the descriptors:$((18 * 2048)):2"; do
		what=${kill%%:*} rest=${kill#*:}
		test_expect_success "SIGKILL $what of a first session: blank, or no file" '
			rm -f o.img && st=0; fault o.img ${rest%:*} ${rest#*:} kill dev=o.img s1.iso 2>/dev/null || st=$?
			test $st -eq 137 || exit 1
			if test -e o.img; then
				st=0; "$MSINFO" dev=o.img 2>err || st=$?
				test $st -eq 3 && grep -q blank err || exit 1
				st=0; "$ISOINFO" -f -i o.img >/dev/null 2>&1 || st=$?
				test $st -eq 1
			fi
		'
	done
	# isomk -o: the output file is removed on a failure; after SIGKILL
	# what is left is cut short, and msinfo and isoinfo say so
	isomk_fault() { # AT DO
		FAULT_FILE="$TMP/io.iso" FAULT_AT=$1 FAULT_NTH=1 FAULT_DO=$2 \
			LD_PRELOAD="${asan:+$asan }$TMP/faults.so" "$ISOMK" -quiet -R -J -o io.iso d2
	}
	test_expect_success "isomk -o on a full disk: exit 1, the output removed, said" '
		rm -f io.iso && st=0; isomk_fault 1000000 enospc 2>err || st=$?
		test $st -eq 1 && test ! -e io.iso && grep -q "No space left" err
	'
	test_expect_success "isomk -o killed in the middle: msinfo says truncated (exit 1), isoinfo says cut short (exit 1)" '
		rm -f io.iso && st=0; isomk_fault 1000000 kill 2>/dev/null || st=$?
		test $st -eq 137 || exit 1
		st=0; "$MSINFO" dev=io.iso >out 2>err || st=$?
		test $st -eq 1 && grep -q truncated err && test ! -s out || exit 1
		st=0; "$ISOINFO" -f -i io.iso >/dev/null 2>err || st=$?
		test $st -eq 1 && grep -q "shorter than its volume" err
	'
	test_expect_success "SIGKILL in the middle of a CUE/BIN image: an empty sheet, msinfo says blank; the BIN left is named on the next try" '
		rm -f album.cue album.bin album.toc && st=0; fault album.bin 1000000 1 kill -audio dev=album.cue z.raw 2>/dev/null || st=$?
		test $st -eq 137 && test ! -s album.cue || exit 1
		st=0; "$MSINFO" dev=album.cue 2>err || st=$?; test $st -eq 3 && grep -q "blank" err || exit 1
		st=0; "$CDWRITE" -audio dev=album.cue z.raw 2>err || st=$?
		test $st -eq 3 && grep -q "album.bin is there without a sheet" err
	'
	test_expect_success "a full disk in the middle of a CUE/BIN image: exit 1, neither file left" '
		rm -f album.cue album.bin album.toc && st=0; fault album.bin 1000000 1 enospc -audio dev=album.cue z.raw 2>err || st=$?
		test $st -eq 1 && test ! -e album.cue && test ! -e album.bin
	'
else
	test_expect_success 'the fault shim (t/helper/faults.c) builds' 'cat cc.err; false'
fi

test_done
