#!/bin/sh
# lib/isomd5 (cdread --check-md5): the MD5 tags isomk -md5 writes, checked
# through t/helper/isomd5-check on images made here, corrupted here, and
# judged by xorriso too: -check_media (which checks the same tags block
# by block: "Found NON-MATCHING MD5 tree tag"), -check_md5 (the session
# MD5 of the checksum array, from the loaded session) and -check_md5_r
# (every file's MD5). The helper prints "START STATE TAG BAD_FROM BAD_TO"
# a session on stdout.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso python3 dd
CHECK="$top_builddir/t/helper/isomd5-check"
CDWRITE="$top_builddir/tools/cdwrite"
MSINFO="$top_builddir/tools/msinfo"
unset CDPIPE_DEVICE

mkdir -p tree/docs/deep tree2 || exit 1
random_bytes 300000 tree/big >tree/big || exit 1
seq 1 2000 >tree/docs/numbers || exit 1
echo deep >tree/docs/deep/file || exit 1
seq 1 50000 >tree2/more || exit 1

# check IMG [ARGS]: the helper's verdict in out, its messages in err,
# its status in st
check() {
	st=0
	"$CHECK" "$@" >out 2>err || st=$?
	cat out err
}
# xtags IMG: xorriso's check of the same tags, block by block (on a
# copy: -outdev is where xorriso would write, and it writes nothing here)
xtags() {
	cp "$1" xtags.img || return 1
	xst=0
	xorriso -md5 on -outdev xtags.img -check_media use=outdev what=tracks \
		event=FAILURE -- >xtags.out 2>&1 || xst=$?
	grep -i "md5" xtags.out || :
}
# xmd5 IMG [LBA]: xorriso -check_md5 of the session loaded (at LBA)
xmd5() {
	xst=0
	xorriso -md5 on ${2:+-load sbsector $2} -indev "$1" \
		-check_md5 FAILURE -- >xmd5.out 2>&1 || xst=$?
	tail -n 3 xmd5.out
}
xmd5r() {
	xst=0
	xorriso -md5 on -indev "$1" -check_md5_r FAILURE / -- >xmd5r.out 2>&1 ||
		xst=$?
	tail -n 3 xmd5r.out
}
# flip IMG BYTE: one bit of one byte changed
flip() {
	python3 - "$1" "$2" <<'PY'
import sys
f = open(sys.argv[1], 'r+b'); at = int(sys.argv[2])
f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 1]))
PY
}
# tag IMG KIND: the block of the tag of that kind ("sb", "tree", "")
# that says it is where it is, found by a scan of its own
tag() {
	python3 - "$1" "$2" <<'PY'
import re, sys
d = open(sys.argv[1], 'rb').read(); kind = sys.argv[2]
name = b'libisofs_' + (kind.encode() + b'_' if kind else b'') + b'checksum_tag_v1 '
for b in range(len(d) // 2048):
    m = re.match(re.escape(name) + rb'pos=(\d+) ', d[b * 2048:b * 2048 + 200])
    if m and int(m.group(1)) == b:
        print(b); break
PY
}
# tagflip IMG BLOCK: the first digit of the tag's md5= changed to another
# hex digit: still a tag, but its self= no longer matches
tagflip() {
	python3 - "$1" "$2" <<'PY'
import sys
f = open(sys.argv[1], 'r+b'); at = int(sys.argv[2]) * 2048
f.seek(at); blk = f.read(2048); i = blk.index(b'md5=') + 4
f.seek(at + i); f.write(b'1' if blk[i:i + 1] == b'0' else b'0')
PY
}
# lba IMG PATH [SESSION]: where xorriso says a file's data starts
lba() {
	xorriso ${3:+-load sbsector $3} -indev "$1" -find "$2" \
		-exec report_lba -- 2>/dev/null |
		awk -F, '/^File data lba/ { print $2 + 0; exit }'
}

"$ISOMK" -quiet -md5 -R -J -pad -o good.iso tree || exit 1
cp good.iso work.iso || exit 1
SB=$(tag good.iso sb) && TREE=$(tag good.iso tree) && SESS=$(tag good.iso "") || exit 1
BIG=$(lba good.iso /big) || exit 1
say "tags at blocks $SB, $TREE, $SESS"

test_expect_success 'isomk -md5 writes the three tags, libisofs finds the file MD5s' '
	test "$SB" -lt "$TREE" && test "$TREE" -lt "$SESS" &&
	xmd5r good.iso && test $xst -eq 0 &&
	grep -q "File contents and their MD5 checksums match" xmd5r.out
'
test_expect_success 'a good image: every tag matches, as xorriso says' '
	check good.iso && test $st -eq 0 &&
	test "$(cat out)" = "0 good 0 0 0" &&
	grep -q "session 1 at block 0: md5 good: blocks 0-$((SESS - 1)), 3 tags" err &&
	grep -q "md5 good: 1 session, $SESS blocks checked of $(( $(stat -c %s good.iso) / 2048 ))" err &&
	xtags good.iso && test $xst -eq 0 &&
	test "$(grep -c "Found matching MD5" xtags.out)" -eq 3 &&
	xmd5 good.iso && test $xst -eq 0
'
test_expect_success 'a tagged image xorriso -as mkisofs -md5 made is good too' '
	xorriso -as mkisofs -quiet --md5 -R -o x.iso tree &&
	check x.iso && test $st -eq 0 && grep -q "^0 good" out
'
test_expect_success 'one bit flipped in a file: the session tag fails, the first bad block named' '
	cp good.iso data.iso && test "$BIG" -gt "$TREE" &&
	flip data.iso $(( (BIG + 10) * 2048 + 7 )) &&
	check data.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 bad $SESS $TREE $SESS" &&
	grep -q "md5 mismatch in session 1 at block 0: the first bad block is in blocks $TREE-$((SESS - 1)) (the session tag at block $SESS" err &&
	xtags data.iso && test $xst -ne 0 &&
	grep -q "NON-MATCHING MD5 session tag" xtags.out &&
	! grep -q "NON-MATCHING MD5 tree tag" xtags.out &&
	xmd5 data.iso && test $xst -ne 0 && grep -q "MISMATCH" xmd5.out &&
	xmd5r data.iso && test $xst -ne 0
'
test_expect_success 'one bit flipped in the directory tree: the tree tag fails' '
	cp good.iso dir.iso &&
	root=$(python3 -c "import struct;d=open(\"dir.iso\",\"rb\").read(34816);print(struct.unpack(\"<I\",d[16*2048+158:16*2048+162])[0])") &&
	test "$root" -gt "$SB" && test "$root" -lt "$TREE" &&
	flip dir.iso $(( root * 2048 + 40 )) &&
	check dir.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 bad $TREE $SB $TREE" &&
	grep -q "the first bad block is in blocks $SB-$((TREE - 1)) (the tree tag" err &&
	xtags dir.iso && test $xst -ne 0 &&
	grep -q "Found matching MD5 superblock tag" xtags.out &&
	grep -q "NON-MATCHING MD5 tree tag" xtags.out &&
	xmd5 dir.iso && test $xst -ne 0
'
test_expect_success 'a flipped volume descriptor: the superblock tag fails from block 0' '
	cp good.iso vd.iso && flip vd.iso $(( 16 * 2048 + 40 )) &&
	check vd.iso && test $st -eq 4 && test "$(cat out)" = "0 bad $SB 0 $SB" &&
	xtags vd.iso && grep -q "NON-MATCHING MD5 superblock tag" xtags.out
'
test_expect_success 'a damaged superblock tag (its md5= changed): its self checksum says so' '
	cp good.iso sbtag.iso && tagflip sbtag.iso $SB &&
	check sbtag.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 damaged $SB 0 0" &&
	grep -q "the superblock tag at block $SB has a wrong self checksum" err &&
	xtags sbtag.iso && test $xst -ne 0 &&
	grep -q "CORRUPTED MD5 superblock tag" xtags.out
'
# xorriso -check_md5 compares the checksum array, which the session tag
# does not hold: only -check_media reads that tag
test_expect_success 'a damaged session tag: named, as -check_media names it' '
	cp good.iso stag.iso && tagflip stag.iso $SESS &&
	check stag.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 damaged $SESS 0 0" &&
	grep -q "the session tag at block $SESS has a wrong self checksum" err &&
	xtags stag.iso && test $xst -ne 0 &&
	grep -q "CORRUPTED MD5 session tag" xtags.out
'
test_expect_success 'a tree tag that is not where the superblock tag points' '
	cp good.iso notree.iso && flip notree.iso $(( TREE * 2048 )) &&
	check notree.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 damaged $TREE 0 0" &&
	grep -q "the tree tag at block $TREE is missing" err &&
	xtags notree.iso && test $xst -ne 0
'
# retag IMG BLOCK NEXT: the tag at BLOCK says next=NEXT, with a self= that
# matches its new text (a tag as libisofs would write it)
retag() {
	python3 - "$1" "$2" "$3" <<'PY'
import hashlib, sys
f = open(sys.argv[1], 'r+b'); at = int(sys.argv[2]) * 2048
f.seek(at); head = f.read(2048).split(b'\n')[0].decode().split(' self=')[0]
head = ' '.join('next=' + sys.argv[3] if w.startswith('next=') else w
                for w in head.split(' '))
tag = head + ' self=' + hashlib.md5(head.encode()).hexdigest() + '\n'
f.seek(at); f.write(tag.encode().ljust(2048, b'\0'))
PY
}
# the chain ends at a tree tag whose next= points back (at itself), the
# session tag gone: the file data was never checked, and xorriso says
# "Missing announced MD5 tag"; this was "md5 good" and exit 0
test_expect_success 'a tree tag whose next= points back, no session tag: damaged, not good' '
	cp good.iso back.iso &&
	dd if=/dev/zero of=back.iso bs=2048 seek=$SESS count=1 conv=notrunc status=none &&
	retag back.iso $TREE $TREE &&
	check back.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 damaged $TREE 0 0" &&
	grep -q "the session tag at block $TREE is missing" err &&
	xtags back.iso && grep -q "Missing announced MD5 tag: start=0 pos=$TREE" xtags.out &&
	xmd5 back.iso && test $xst -ne 0
'
test_expect_success 'a flip in the padding after the session: no tag covers it, both say good' '
	cp good.iso pad.iso && test $(( $(stat -c %s pad.iso) / 2048 )) -gt $((SESS + 10)) &&
	flip pad.iso $(( (SESS + 5) * 2048 )) &&
	check pad.iso && test $st -eq 0 &&
	xtags pad.iso && test $xst -eq 0 && xmd5 pad.iso && test $xst -eq 0
'
test_expect_success 'a truncated image: the session tag is past the end' '
	head -c $(( (SESS - 3) * 2048 )) good.iso >short.iso &&
	check short.iso && test $st -eq 4 &&
	test "$(cat out)" = "0 truncated $SESS 0 0" &&
	grep -q "its session tag is at block $SESS, past the end (block $((SESS - 3)))" err &&
	xtags short.iso && grep -q "Missing announced MD5 tag" xtags.out
'
test_expect_success 'an image made without -md5: no tags, not exit 0' '
	"$ISOMK" -quiet -R -J -o plain.iso tree &&
	check plain.iso && test $st -eq 1 && ! test -s out &&
	grep -q "no md5 tags in blocks 0-[0-9]*: the image was made without -md5" err &&
	xmd5 plain.iso && test $xst -ne 0 &&
	grep -q "No session MD5 is recorded" xmd5.out
'
test_expect_success 'an unreadable block: the check stops and names it' '
	check --bad-block $((TREE + 3)) good.iso && test $st -eq 1 &&
	grep -q "md5 check stopped: cannot read block $((TREE + 3))$" err &&
	grep -q "md5 good as far as checked: blocks 0-$((TREE - 1)), 2 tags, no session tag" err &&
	check --bad-block 5 good.iso && test $st -eq 1 &&
	grep -q "cannot read block 5$" err && ! test -s out
'
test_expect_success '--blocks 0 reads up to the volume size at block 16' '
	check --blocks 0 good.iso && test $st -eq 0 && grep -q "^0 good" out
'
test_expect_success 'tags inside a file (an image in the image) are payload, not tags' '
	mkdir -p nest && cp dir.iso nest/inner.iso &&
	"$ISOMK" -quiet -md5 -R -o nest.iso nest &&
	check nest.iso && test $st -eq 0 && test "$(cat out | wc -l)" -eq 1 &&
	xtags nest.iso && test $xst -eq 0
'

# two sessions: isomk -C/-M -md5 writes new tags over the new session's
# range. As a write-once disc holds them: the second session at NEXT,
# block 16 still the first session's
NEXT=$(( ($(stat -c %s good.iso) / 2048 + 15) / 16 * 16 ))
test_expect_success 'two sessions as on a CD-R: each one checked over its own range' '
	"$ISOMK" -quiet -md5 -R -J -C 0,$NEXT -M good.iso -o s2.iso tree2 &&
	cp good.iso two.img &&
	dd if=s2.iso of=two.img bs=2048 seek=$NEXT conv=notrunc status=none &&
	check two.img && test $st -eq 0 &&
	printf "0 good 0 0 0\n$NEXT good 0 0 0\n" >want && diff -u want out &&
	grep -q "md5 good: 2 sessions" err &&
	xtags two.img && test $xst -eq 0 &&
	xmd5 two.img $NEXT && test $xst -eq 0 && grep -q "LBA $NEXT" xmd5.out
'
test_expect_success 'two sessions: a flip in the second names the second only' '
	cp two.img two-bad.img &&
	more=$(lba two.img /more $NEXT) && test "$more" -gt "$NEXT" &&
	flip two-bad.img $(( more * 2048 + 99 )) &&
	check two-bad.img && test $st -eq 4 &&
	grep -q "^0 good" out && grep -q "^$NEXT bad" out &&
	grep -q "md5 mismatch in session 2 at block $NEXT" err &&
	xmd5 two-bad.img $NEXT && test $xst -ne 0 &&
	xtags two-bad.img && test $xst -eq 0
'
test_expect_success 'two sessions: a flip in the first names the first only' '
	cp two.img one-bad.img && flip one-bad.img $(( (BIG + 1) * 2048 )) &&
	check one-bad.img && test $st -eq 4 &&
	grep -q "^0 bad $SESS $TREE $SESS" out && grep -q "^$NEXT good" out &&
	xtags one-bad.img && test $xst -ne 0 &&
	xmd5 one-bad.img $NEXT && test $xst -eq 0
'
# cdwrite -multi grows an image file as growisofs grows a DVD+RW: the
# new session's descriptors are copied to block 16, over the first
# session's, whose ranges then differ by design. xorriso, loading from
# block 0, fails and calls it a "false MD5 alarm"; loaded at the new
# session it agrees that the new one is good.
"$CDWRITE" -multi dev=grown.img good.iso 2>cw.err || exit 1
ms=$("$MSINFO" dev=grown.img) && n2=${ms#*,} || exit 1
"$ISOMK" -quiet -md5 -R -J -C "$ms" -M grown.img -o g2.iso tree2 || exit 1
"$CDWRITE" -multi dev=grown.img g2.iso 2>cw.err || exit 1
test_expect_success 'an image grown by cdwrite -multi: the first session is not verifiable, the new one good' '
	check grown.img && test $st -eq 0 &&
	printf "0 superseded $SB 0 $SB\n$n2 good 0 0 0\n" >want && diff -u want out &&
	grep -q "warning: session 1 at block 0 not verified: its volume descriptors were replaced by those of the session at block $n2" err &&
	grep -q "md5 good: 1 session" err &&
	xmd5 grown.img $n2 && test $xst -eq 0 &&
	xmd5 grown.img && test $xst -ne 0 && grep -q "false MD5 alarm" xmd5.out
'
test_expect_success 'a grown image with a flip in the new session: a mismatch' '
	cp grown.img grown-bad.img && flip grown-bad.img $(( (n2 + 16) * 2048 + 1 )) &&
	check grown-bad.img && test $st -eq 4 && grep -q "^$n2 bad" out &&
	xmd5 grown-bad.img $n2 && test $xst -ne 0
'
test_expect_success 'xorriso'"'"'s own multisession (sessions from 32, a superblock copy at 0)' '
	xorriso -md5 on -outdev xo.img -map tree /t -commit >/dev/null 2>&1 &&
	xorriso -md5 on -dev xo.img -map tree2 /t2 -commit >/dev/null 2>&1 &&
	check xo.img && test $st -eq 0 &&
	grep -q "superblock copy at block 0: md5 good" err &&
	grep -q "md5 good: 2 sessions" err &&
	xtags xo.img && test $xst -eq 0 &&
	grep "MD5 tag range:" xtags.out | awk "{ print \$4 }" >x.starts &&
	awk "\$1 > 0 { print \$1 }" out >m.starts && diff -u x.starts m.starts
'

# ------------------------------------------------ cdread --check-md5
CDREAD="$top_builddir/tools/cdread"
cdcheck() {
	st=0
	"$CDREAD" --check-md5 "$@" >out 2>err || st=$?
	cat err
}
test_expect_success 'cdread --check-md5: a good image, exit 0, no copy on stdout' '
	cdcheck good.iso && test $st -eq 0 && ! test -s out &&
	grep -q "^cdread: md5 good: 1 session, $SESS blocks checked" err
'
test_expect_success 'cdread --check-md5: a flipped bit is exit 4 and named as the helper names it' '
	cdcheck data.iso && test $st -eq 4 &&
	grep -q "^cdread: md5 mismatch in session 1 at block 0: the first bad block is in blocks $TREE-$((SESS - 1))" err &&
	cdcheck dir.iso && test $st -eq 4 && cdcheck stag.iso && test $st -eq 4
'
test_expect_success 'cdread --check-md5: no tags is exit 1, a grown image exit 0 with its warning' '
	cdcheck plain.iso && test $st -eq 1 &&
	grep -q "^cdread: no md5 tags in blocks 0-" err &&
	cdcheck grown.img && test $st -eq 0 &&
	grep -q "^cdread: warning: session 1 at block 0 not verified" err &&
	cdcheck grown-bad.img && test $st -eq 4
'
# block 16 of a CD-R layout is the first session'"'"'s: cdread reads an image
# file up to that volume'"'"'s end unless told --all
test_expect_success 'cdread --check-md5 --all: both sessions of the CD-R layout' '
	cdcheck two.img && test $st -eq 0 && grep -q "md5 good: 1 session" err &&
	cdcheck --all two.img && test $st -eq 0 && grep -q "md5 good: 2 sessions" err &&
	cdcheck --all two-bad.img && test $st -eq 4 &&
	grep -q "md5 mismatch in session 2 at block $NEXT" err
'
test_expect_success 'cdread --check-md5: a chain that ends early (next= back) is exit 4' '
	cdcheck back.iso && test $st -eq 4 &&
	grep -q "^cdread: md5 tag damaged in session 1 at block 0: the session tag at block $TREE is missing" err
'
test_expect_success 'cdread --check-md5 makes no copy: --md5 and --noerror are refused' '
	cdcheck --md5 good.iso && test $st -eq 2 &&
	cdcheck --noerror good.iso && test $st -eq 2
'
asan=$(ldd "$CDREAD" 2>/dev/null | awk '/libasan/ {print $3}')
"${CC:-cc}" -shared -fPIC -o eioread.so "$top_srcdir/t/helper/eioread.c" -ldl 2>cc.err
test_expect_success 'the EIO shim (t/helper/eioread.c) builds' 'cat cc.err; test -f eioread.so'
badcheck() {
	st=0
	EIOREAD_FILE="$TMP/good.iso" LD_PRELOAD="${asan:+$asan }$TMP/eioread.so" \
		"$CDREAD" --check-md5 "$@" good.iso >out 2>err || st=$?
	cat err
}
test_expect_success 'cdread --check-md5: an unreadable block stops the check, named (exit 1)' '
	EIOREAD_BLOCKS=$((BIG + 3)) badcheck --retries 1 && test $st -eq 1 &&
	grep -q "^cdread: md5 check stopped: cannot read block $((BIG + 3))$" err
'
# the read of 32 blocks fails once, the block alone once more: --retries 1
# reads it, --retries 0 does not
test_expect_success 'cdread --check-md5: a block that reads when tried again (--retries) is no error' '
	EIOREAD_BLOCKS=$((BIG + 3)) EIOREAD_FAILS=2 badcheck --retries 1 &&
	test $st -eq 0 && grep -q "md5 good: 1 session" err &&
	EIOREAD_BLOCKS=$((BIG + 3)) EIOREAD_FAILS=2 badcheck --retries 0 &&
	test $st -eq 1 && grep -q "cannot read block $((BIG + 3))$" err
'
FIX="$top_srcdir/../shared/fixtures/libcdio"
if [ -f "$FIX/isofs-m1.cue" ]; then
	test_expect_success 'cdread --check-md5 of a CUE/BIN image (libcdio fixture, made without md5)' '
		cp "$FIX/isofs-m1.cue" "$FIX/isofs-m1.bin" . &&
		cdcheck isofs-m1.cue && test $st -eq 1 &&
		grep -q "no md5 tags in blocks 0-" err
	'
else
	test_skip 'CUE/BIN fixture' 'no ../shared/fixtures'
fi
test_done
