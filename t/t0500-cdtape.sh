#!/bin/sh
# cdtape (issue 11) on image files, one volume: tar cf - TREE | cdtape
# save, then cdtape restore | tar tvf - and | tar xf - FILE give the tree
# back byte for byte; the format read without cdtape (dd, od, tail, head
# and sha256sum, as tape.h says); a corrupted payload or header byte
# caught by restore and verify (exit 4); a truncated image; an empty
# input; a producer that fails midway; a read error on standard input;
# --force over an ISO session or a tar file; --label; list --json;
# several volumes with --capacity and --volumes or -F, and a wrong or
# missing volume.
# Checked with GNU tar, sha256sum, cmp, od and python3's json.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need tar sha256sum cmp od python3 bash setsid
CDTAPE="$top_builddir/tools/cdtape"

make_tree tree || exit 1
random_bytes 3000000 tree/big.bin >tree/big.bin || exit 1
tar cf tree.tar tree || exit 1
sha() { sha256sum | cut -d" " -f1; }
tar_sha=$(sha <tree.tar)

test_expect_success 'tar cf - | cdtape save, restore gives the stream byte for byte' '
	tar cf - tree | "$CDTAPE" save dev=t.img 2>err
	grep "saved $(stat -c %s tree.tar) bytes" err
	"$CDTAPE" restore dev=t.img >out
	test "$(sha <out)" = "$tar_sha"
	cmp out tree.tar
'
test_expect_success 'restore | tar tvf - lists the tree as tar does' '
	"$CDTAPE" restore dev=t.img >out
	tar tvf - <out >got
	tar tvf tree.tar >want
	test -s want
	diff -u want got
'
test_expect_success 'restore | tar xf - FILE gives that file back byte for byte' '
	mkdir x1
	"$CDTAPE" restore dev=t.img >out
	(cd x1 && tar xf - tree/big.bin <../out)
	test "$(sha <x1/tree/big.bin)" = "$(sha <tree/big.bin)"
	test ! -e x1/tree/file.txt
'
test_expect_success 'restore | tar xf - gives the whole tree back' '
	mkdir x2
	"$CDTAPE" restore t.img >out
	(cd x2 && tar xf - <../out)
	check_same tree x2/tree
'
test_expect_success 'the archive reads back with dd, od and head, as tape.h says' '
	test "$(dd if=t.img bs=1 count=14 2>/dev/null)" = "CDPIPE-CDTAPE"
	num() { dd if=t.img bs=1 skip=$1 count=8 2>/dev/null | od -An -tu8 --endian=big | tr -d " "; }
	off=$(num 48)
	len=$(num 56)
	test "$off" -eq 2048
	test "$len" -eq "$(stat -c %s tree.tar)"
	tail -c +$((off + 1)) t.img | head -c "$len" >raw
	cmp raw tree.tar
	saved=$(dd if=t.img bs=1 skip=80 count=32 2>/dev/null | od -An -tx1 | tr -d " \n")
	test "$saved" = "$tar_sha"
'
test_expect_success 'verify: exit 0, nothing on standard output' '
	"$CDTAPE" verify dev=t.img >out 2>err
	test ! -s out
	grep "sha256 matches" err
'
test_expect_success 'list and info print the header' '
	"$CDTAPE" list dev=t.img >out
	grep "^payload: $(stat -c %s tree.tar) bytes at byte 2048$" out
	grep "^sha256: $tar_sha$" out
	grep "^volume: 1 (last)$" out
	grep "^complete: yes$" out
	"$CDTAPE" info t.img >out2
	cmp out out2
'
test_expect_success 'list --json' '
	"$CDTAPE" list --json dev=t.img >out
	python3 -c "
import json, sys
h = json.load(open(\"out\"))
assert h[\"payload_length\"] == $(stat -c %s tree.tar), h
assert h[\"sha256\"] == \"$tar_sha\", h
assert h[\"volume\"] == 1 and h[\"last\"] and h[\"complete\"], h
assert len(h[\"archive_id\"]) == 32, h
"
'

cp t.img bad.img || exit 1
# one byte of the payload, in the middle of big.bin
flip_byte bad.img 1500000 || exit 1
test_expect_success 'a corrupted payload byte: restore writes it all, then exits 4 naming volume and range' '
	st=0
	"$CDTAPE" restore dev=bad.img >out 2>err || st=$?
	test $st -eq 4
	test "$(stat -c %s out)" -eq "$(stat -c %s tree.tar)"
	grep "volume 1: bytes 0 to $(stat -c %s tree.tar) of the archive do not match" err
'
test_expect_success 'a corrupted payload byte: verify exits 4' '
	st=0
	"$CDTAPE" verify dev=bad.img >out 2>err || st=$?
	test $st -eq 4
	test ! -s out
	grep "do not match their SHA-256" err
'
cp t.img badhead.img || exit 1
flip_byte badhead.img 150 || exit 1
test_expect_success 'a corrupted header byte: exit 4, nothing restored' '
	st=0
	"$CDTAPE" restore dev=badhead.img >out 2>err || st=$?
	test $st -eq 4
	test ! -s out
	grep "header checksum does not match" err
'
test_expect_success 'a damaged header is not written over without --force: exit 3' '
	cp badhead.img bh2.img
	st=0
	echo x | "$CDTAPE" save dev=bh2.img 2>err || st=$?
	test $st -eq 3
	grep "holds a damaged cdtape header" err
	cmp bh2.img badhead.img
	echo x | "$CDTAPE" save --force dev=bh2.img
	"$CDTAPE" restore dev=bh2.img >r
	echo x | cmp - r
'
test_expect_success 'a truncated image: what is there is written, exit 3' '
	head -c 1000000 t.img >short.img
	st=0
	"$CDTAPE" restore dev=short.img >out 2>err || st=$?
	test $st -eq 3
	test "$(stat -c %s out)" -eq $((1000000 - 2048))
	head -c $((1000000 - 2048)) tree.tar | cmp - out
	grep "volume 1: cannot read bytes $((1000000 - 2048)) to" err
'

test_expect_success 'empty input: an archive of no bytes' '
	"$CDTAPE" save dev=empty.img </dev/null
	"$CDTAPE" restore dev=empty.img >out
	test ! -s out
	"$CDTAPE" verify dev=empty.img
	"$CDTAPE" list dev=empty.img >l
	grep "^payload: 0 bytes" l
'
test_expect_success 'empty input over a longer archive: nothing of the old one comes back' '
	cp t.img reuse.img
	"$CDTAPE" save dev=reuse.img </dev/null
	"$CDTAPE" restore dev=reuse.img >out
	test ! -s out
'

# cdtape sees only the end of its input: a producer that fails midway
# looks like one that ended. What was given is saved, exactly; the shell
# (set -o pipefail) says the pipeline failed, and tar says the archive is
# cut short.
head -c 1000000 tree.tar >half.tar || exit 1
test_expect_success 'a producer that fails midway: exactly what it gave is saved' '
	{ cat half.tar; exit 1; } | "$CDTAPE" save dev=half.img
	"$CDTAPE" restore dev=half.img >out
	cmp out half.tar
	st=0
	tar tf - <out >/dev/null 2>&1 || st=$?
	test $st -ne 0
'
test_expect_success 'a producer that fails midway: with pipefail the pipeline fails' '
	st=0
	CDTAPE="$CDTAPE" bash -c "set -o pipefail; { tar cf - tree; exit 1; } | \"\$CDTAPE\" save dev=pf.img" || st=$?
	test $st -eq 1
	"$CDTAPE" restore dev=pf.img | cmp - tree.tar
'
test_expect_success 'a read error on standard input: exit 1, the archive marked unfinished' '
	mkdir dir
	st=0
	"$CDTAPE" save dev=rerr.img <dir 2>err || st=$?
	test $st -eq 1
	grep "cannot read standard input" err
	st=0
	"$CDTAPE" restore dev=rerr.img >out 2>err || st=$?
	test $st -eq 3
	grep "did not finish" err
	"$CDTAPE" list dev=rerr.img >l
	grep "^complete: no " l
'

test_expect_success 'a write that fails (file size limit): exit 1, said so, not a broken pipe' '
	st=0
	(ulimit -f 2000 && exec "$CDTAPE" save dev=fsz.img <tree.tar) 2>err || st=$?
	test $st -eq 1
	test -s err
	st=0
	"$CDTAPE" restore dev=fsz.img >out 2>/dev/null || st=$?
	test $st -eq 3
'

"$ISOMK" -quiet -o iso.img tree/sub || exit 1
iso_sha=$(sha <iso.img)
test_expect_success 'an ISO session is not written over: exit 3, the image as it was' '
	st=0
	echo data | "$CDTAPE" save dev=iso.img 2>err || st=$?
	test $st -eq 3
	grep "holds an ISO 9660 session" err
	test "$(sha <iso.img)" = "$iso_sha"
'
test_expect_success 'a tar file is not written over: exit 3' '
	cp tree.tar other.img
	st=0
	echo data | "$CDTAPE" save dev=other.img 2>err || st=$?
	test $st -eq 3
	grep "holds a tar archive" err
	cmp other.img tree.tar
'
test_expect_success '--force writes over an ISO session' '
	echo data >want
	"$CDTAPE" save --force dev=iso.img <want
	"$CDTAPE" restore dev=iso.img >out
	cmp out want
'
test_expect_success 'restore of an ISO session: exit 3 naming it' '
	"$ISOMK" -quiet -o iso2.img tree/sub
	st=0
	"$CDTAPE" restore dev=iso2.img >out 2>err || st=$?
	test $st -eq 3
	grep "holds no cdtape archive: it holds an ISO 9660 session" err
'
test_expect_success 'restore of an image file that is not there: exit 3' '
	st=0
	"$CDTAPE" restore dev=nothere.img >out 2>err || st=$?
	test $st -eq 3
	test ! -e nothere.img
'
test_expect_success 'an earlier cdtape archive is written over as on a tape, with a new id' '
	"$CDTAPE" list --json dev=t.img >before
	cp t.img again.img
	echo again | "$CDTAPE" save dev=again.img
	"$CDTAPE" restore dev=again.img >out
	echo again | cmp - out
	"$CDTAPE" list --json dev=again.img >after
	python3 -c "
import json
a = json.load(open(\"before\"))[\"archive_id\"]
b = json.load(open(\"after\"))[\"archive_id\"]
assert a != b, (a, b)
"
'

# several volumes: 4 MB of tar in 2 MiB volumes
VOL=$((2097152 - 2048))
test_expect_success 'three volumes with --capacity and --volumes give the stream back' '
	"$CDTAPE" save --capacity 2m --volumes=v1.img,v2.img,v3.img,v4.img <tree.tar 2>err
	grep "in 3 volumes" err
	test ! -e v4.img
	test "$(stat -c %s v1.img)" -le 2097152
	test "$(stat -c %s tree.tar)" -gt $((2 * VOL))
	"$CDTAPE" restore --volumes=v1.img,v2.img,v3.img >out
	cmp out tree.tar
	"$CDTAPE" verify --volumes=v1.img,v2.img,v3.img
	(mkdir x3 && cd x3 && tar xf - tree/big.bin <../out)
	test "$(sha <x3/tree/big.bin)" = "$(sha <tree/big.bin)"
'
test_expect_success 'each volume: its number, length and running total, one archive id' '
	"$CDTAPE" list --json --volumes=v1.img,v2.img,v3.img >out
	python3 -c "
import json
v = [json.loads(l) for l in open(\"out\")]
assert [h[\"volume\"] for h in v] == [1, 2, 3], v
assert [h[\"last\"] for h in v] == [False, False, True], v
assert len(set(h[\"archive_id\"] for h in v)) == 1, v
assert sum(h[\"payload_length\"] for h in v) == $(stat -c %s tree.tar), v
assert v[2][\"total_length\"] == $(stat -c %s tree.tar), v
assert v[2][\"total_sha256\"] == \"$tar_sha\", v
assert v[0][\"payload_length\"] == $VOL, v
"
'
test_expect_success 'the volumes are the pieces of the stream, read with dd and tail' '
	for v in 1 2 3; do
		len=$(dd if=v$v.img bs=1 skip=56 count=8 2>/dev/null | od -An -tu8 --endian=big | tr -d " ")
		tail -c +2049 v$v.img | head -c "$len"
	done >raw
	cmp raw tree.tar
'
test_expect_success 'a wrong volume: exit 3 naming it, what came before written' '
	st=0
	"$CDTAPE" restore --volumes=v1.img,v3.img >out 2>err || st=$?
	test $st -eq 3
	grep "v3.img holds volume 3 of the archive, not volume 2" err
	test "$(stat -c %s out)" -eq $VOL
	head -c $VOL tree.tar | cmp - out
'
test_expect_success 'a volume of another archive: exit 3' '
	echo other | "$CDTAPE" save dev=o.img
	st=0
	"$CDTAPE" restore --volumes=v1.img,o.img >out 2>err || st=$?
	test $st -eq 3
	grep "o.img holds volume 1 of another archive" err
'
test_expect_success 'a missing last volume: exit 3, the volumes given written' '
	st=0
	"$CDTAPE" restore --volumes=v1.img,v2.img >out 2>err || st=$?
	test $st -eq 3
	grep "the archive goes on after volume 2" err
	test "$(stat -c %s out)" -eq $((2 * VOL))
	head -c $((2 * VOL)) tree.tar | cmp - out
'
test_expect_success 'a corrupted byte in volume 2: exit 4 naming volume 2 and its range' '
	cp v2.img v2bad.img
	flip_byte v2bad.img 5000
	st=0
	"$CDTAPE" verify --volumes=v1.img,v2bad.img,v3.img 2>err || st=$?
	test $st -eq 4
	grep "volume 2: bytes $VOL to $((2 * VOL)) of the archive do not match" err
'
test_expect_success 'a volume full and no more named: exit 3, the archive cut short' '
	st=0
	setsid -w "$CDTAPE" save --capacity 2m dev=one.img <tree.tar 2>err || st=$?
	test $st -eq 3
	grep "volume 2 is needed" err
	grep "where it can ask on a terminal" err
	st=0
	"$CDTAPE" restore dev=one.img >out 2>err || st=$?
	test $st -eq 3
'
test_expect_success 'input of exactly one volume: one volume, the last' '
	head -c $VOL tree.tar >exact
	"$CDTAPE" save --capacity 2m --volumes=e1.img,e2.img <exact
	test ! -e e2.img
	"$CDTAPE" list dev=e1.img >out
	grep "^volume: 1 (last)$" out
	"$CDTAPE" restore dev=e1.img | cmp - exact
'
test_expect_success '-F changes the volume at one address, as tar -F does' '
	mkdir fv
	"$CDTAPE" save --capacity 2m -F "mv \"\$CDTAPE_DEVICE\" fv/vol\$((CDTAPE_VOLUME - 1)).img" dev=tape.img <tree.tar
	mv tape.img fv/vol3.img
	test ! -e fv/vol4.img
	cp fv/vol1.img tape.img
	"$CDTAPE" restore -F "cp fv/vol\$CDTAPE_VOLUME.img \"\$CDTAPE_DEVICE\"" dev=tape.img >out
	cmp out tree.tar
'
test_expect_success 'a new-volume script that fails ends the save: exit 1' '
	st=0
	"$CDTAPE" save --capacity 2m -F "exit 7" dev=fs.img <tree.tar 2>err || st=$?
	test $st -eq 1
	grep "new-volume script failed for volume 2 (status 7)" err
'
test_expect_status 2 '--volumes with dev= is a usage error' '
	"$CDTAPE" restore --volumes=a.img,b.img dev=t.img
'
test_expect_status 2 'a capacity below two blocks is a usage error' '
	echo x | "$CDTAPE" save --capacity 4095 dev=c.img
'

test_expect_success '--label is recorded, UTF-8 and 255 bytes too' '
	echo x | "$CDTAPE" save --label "Sicherung März ✓" dev=l.img
	"$CDTAPE" list dev=l.img >out
	grep "^label: Sicherung März ✓$" out
	long=$(printf "y%.0s" $(seq 1 255))
	echo x | "$CDTAPE" save --label "$long" dev=l255.img
	"$CDTAPE" list --json dev=l255.img >out
	python3 -c "
import json
assert json.load(open(\"out\"))[\"label\"] == \"y\" * 255
"
'
test_expect_status 2 'a label of 256 bytes is a usage error' '
	echo x | "$CDTAPE" save --label "$(printf "y%.0s" $(seq 1 256))" dev=l2.img
'
test_expect_status 2 'a label with a newline is a usage error' '
	echo x | "$CDTAPE" save --label "$(printf "a\nb")" dev=l2.img
'
test_expect_status 2 'a label that is not UTF-8 is a usage error' '
	echo x | "$CDTAPE" save --label "$(printf "\377")" dev=l2.img
'
test_expect_status 2 'no command is a usage error' '
	"$CDTAPE" dev=t.img
'
test_expect_status 2 'an unknown command is a usage error' '
	"$CDTAPE" rewind dev=t.img
'
test_expect_status 2 '--force is for save only' '
	"$CDTAPE" restore --force dev=t.img
'

test_done
