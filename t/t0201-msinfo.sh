#!/bin/sh
# msinfo: the multisession numbers of image files grown as growisofs grows
# a DVD+RW, against xorriso -as cdrecord -msinfo and cdrskin -msinfo; blank,
# missing and wrong devices with exit status 3 or 2.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso python3 cdrskin
MSINFO="$top_builddir/tools/msinfo"
unset CDPIPE_DEVICE

mkdir -p a b c && echo one >a/1 && echo two >b/2 && seq 1 100000 >c/3
grow() { xorriso -as cdrecord dev="$1" --grow_overwriteable_iso -multi - >/dev/null 2>&1; }
xms() { xorriso -as cdrecord dev="$1" --grow_overwriteable_iso -msinfo 2>/dev/null; }

"$ISOMK" -quiet -R -J -graft-points s1/=a | grow disc.img

test_expect_success 'one session: the same numbers as xorriso -as cdrecord -msinfo' '
	"$MSINFO" dev=disc.img >out 2>err && test "$(cat out)" = "$(xms disc.img)" && ! test -s err
'
test_expect_success 'the numbers are 0 and the next 32 KiB boundary after the volume' '
	size=$(python3 -c "import struct;d=open(\"disc.img\",\"rb\").read(34816);print(struct.unpack(\"<I\",d[32848:32852])[0])") &&
	test "$(cat out)" = "0,$(( (size + 15) / 16 * 16 ))"
'
test_expect_success 'isomk -C $(msinfo) -M adds a session; msinfo follows it' '
	{ "$ISOMK" -quiet -R -J -C "$("$MSINFO" dev=disc.img)" -M disc.img -graft-points s2/=b; echo $? >st2; } |
		grow disc.img && test "$(cat st2)" -eq 0 &&
	{ "$ISOMK" -quiet -R -J -C "$("$MSINFO" stdio:disc.img)" -M disc.img -graft-points s3/=c; echo $? >st3; } |
		grow disc.img && test "$(cat st3)" -eq 0 || exit 1
	ms=$("$MSINFO" dev=disc.img)
	test "$ms" = "$(xms disc.img)" && test "$(cut -d, -f2 out)" -lt "${ms#*,}"
'
test_expect_success 'the same numbers as cdrskin --grow_overwriteable_iso -msinfo' '
	cdrskin_emulation_allowed || exit 1
	ms=$("$MSINFO" dev=disc.img)
	test "$ms" = \
		"$(cdrskin --allow_emulated_drives dev=stdio:"$TMP/disc.img" --grow_overwriteable_iso -msinfo 2>/dev/null)"
'
test_expect_success 'cdrecord spelling: msinfo -msinfo dev=X, and CDPIPE_DEVICE' '
	ms=$("$MSINFO" disc.img)
	ms1=$("$MSINFO" -msinfo dev=disc.img)
	ms2=$(CDPIPE_DEVICE=disc.img "$MSINFO")
	test -n "$ms" && test "$ms1" = "$ms" && test "$ms2" = "$ms"
'
test_expect_success '-v tells medium and sessions on stderr, stdout stays the numbers' '
	"$MSINFO" -v dev=disc.img >out 2>err && grep -qx "[0-9]*,[0-9]*" out &&
	grep -q "stdio file, appendable" err && grep -q "session 1: start 0" err
'
test_expect_success '--json has state, numbers and sessions' '
	"$MSINFO" --json dev=disc.img >j && python3 -c "
import json, sys; d = json.load(sys.stdin)
assert d[\"state\"] == \"appendable\" and d[\"emulated_sessions\"]
assert d[\"last_session_start\"] == 0 and d[\"next_writable\"] % 16 == 0
assert d[\"sessions\"][0][\"blocks\"] <= d[\"next_writable\"]" <j
'
test_expect_success '--json stays JSON for a path with a quote in it' '
	cp disc.img "q\"uote.img" &&
	"$MSINFO" --json "dev=q\"uote.img" >j && python3 -c "
import json, sys; assert json.load(sys.stdin)[\"device\"] == \"stdio:q\\\"uote.img\"" <j
'
test_expect_success 'a blank image: exit 3, says first session, prints nothing' '
	: >blank.img && st=0; "$MSINFO" dev=blank.img >out 2>err || st=$?
	test $st -eq 3 && ! test -s out && grep -q "blank: this is the first session" err
'
test_expect_success 'a file that is not an ISO image counts as blank (exit 3)' '
	random_bytes 100000 junk.img >junk.img || exit 1
	st=0; "$MSINFO" dev=junk.img >out 2>err || st=$?
	test $st -eq 3 && grep -q blank err
'
test_expect_success 'a missing image file: exit 3, and no file made' '
	st=0; "$MSINFO" dev=nothere.img 2>err || st=$?
	test $st -eq 3 && grep -q "no such image file" err && ! test -e nothere.img
'
test_expect_success 'a Bus,Target,Lun with no drive: exit 3, and the drives are listed' '
	st=0; "$MSINFO" dev=7,6,0 2>err || st=$?
	test $st -eq 3 && grep -q "no drive at SCSI bus 7, target 6, lun 0" err &&
	grep -q "drives\|no optical drives found" err
'
test_expect_status 2 'no device and no CDPIPE_DEVICE: usage (with the drives)' '"$MSINFO"'
test_expect_status 2 'an unknown option is a usage error' '"$MSINFO" --bogus dev=disc.img'
test_expect_success '--help on stdout' '"$MSINFO" --help >out && grep -q "^Usage: msinfo" out'
test_done
