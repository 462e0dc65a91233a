#!/bin/sh
# The surface every program shares (lib/cli, lib/device, lib/progress):
# a closed pipe downstream ends quietly, output that cannot be written is
# an error, one device resolver with the same messages and statuses in
# every program, isoinfo as a filter on standard input, -q and --version
# everywhere, and progress without terminal codes in a log.
. "${top_srcdir:-..}/t/test-lib.sh"
need genisoimage

ISOINFO="$top_builddir/tools/isoinfo"
MSINFO="$top_builddir/tools/msinfo"
CDWRITE="$top_builddir/tools/cdwrite"
unset CDPIPE_DEVICE

mkdir -p a b && echo one >a/f && seq 1 5000 >a/n && echo two >b/g
"$ISOMK" -quiet -R -o s1.iso a || exit 1
cp s1.iso disc.img || exit 1
ms=$("$MSINFO" dev=disc.img) || exit 1
"$ISOMK" -quiet -R -C "$ms" -M disc.img -o s2.iso b || exit 1

# run CMD with a reader that has gone before CMD starts (it waits for the
# reader to say so): its stderr in err, its status in st
closed_pipe() {
	rm -f st gone
	st=$( (until test -e gone; do sleep 0.05; done
		"$@" 2>err && echo 0 >st || echo $? >st) | (exec <&-; : >gone)
		cat st)
}

for prog in "msinfo --json dev=s1.iso" "msinfo dev=s1.iso" \
	"cdwrite -checkdrive dev=s1.iso" "cdwrite -msinfo dev=s1.iso" \
	"isoinfo -d -i s1.iso" "isoinfo -l -i s1.iso" "isoinfo -f -i s1.iso" \
	"isoinfo --size -i s1.iso" "isoinfo --json -l -i s1.iso" \
	"isoinfo --help" "msinfo --help" "cdwrite --help" "cdwrite blank=help" \
	"isoinfo --version" "msinfo --version" "cdwrite --version" \
	"isomk -print-size a" "isomk --help" "isomk --version" "isomk -R a"; do
	test_expect_success "$prog | (gone): quiet, status of SIGPIPE" '
		set -- $prog
		name=$1; shift
		closed_pipe "$top_builddir/tools/$name" "$@"
		test "$st" -eq 141 && ! test -s err
	'
done

test_expect_success 'cdwrite dev=stdio:/dev/stdout IMG | head -c 1000: quiet, SIGPIPE' '
	st=$( ("$CDWRITE" dev=stdio:/dev/stdout s1.iso 2>err && echo 0 >st ||
		echo $? >st) |
		head -c 1000 >head.out; cat st)
	test "$st" -eq 141 && ! test -s err && test "$(wc -c <head.out)" -eq 1000
'

test_expect_success 'standard output that cannot be written: exit 1, said' '
	st=0; "$MSINFO" dev=s1.iso >/dev/full 2>err || st=$?
	test $st -eq 1 && grep -q "msinfo: cannot write standard output: No space left" err || exit 1
	st=0; "$ISOINFO" -l -i s1.iso >/dev/full 2>err || st=$?
	test $st -eq 1 && grep -q "isoinfo: cannot write standard output: No space left" err || exit 1
	st=0; "$CDWRITE" -checkdrive dev=s1.iso >/dev/full 2>err || st=$?
	test $st -eq 1 && grep -q "cdwrite: cannot write standard output: No space left" err
'

# one resolver: every program says the same of the same address
same_word() {
	addr=$1
	for p in isoinfo msinfo cdwrite; do
		case $p in
		isoinfo) set -- -d "dev=$addr" ;;
		msinfo) set -- "dev=$addr" ;;
		cdwrite) set -- -msinfo "dev=$addr" ;;
		esac
		st=0; "$top_builddir/tools/$p" "$@" >/dev/null 2>"err.$p" || st=$?
		echo "$st $(head -n 1 "err.$p" | sed "s/^$p: //")"
	done >said
	cat said
	test "$(sort -u said | wc -l)" -eq 1
}
test_expect_success 'dev=0,6,0 (no such drive): exit 3 and one message in isoinfo, msinfo, cdwrite' '
	same_word 0,6,0 && grep -q "^3 0,6,0: no drive at SCSI bus 0, target 6, lun 0" said
'
test_expect_success 'dev=ATA:9,9,9: the same' '
	same_word ATA:9,9,9 && grep -q "^3 ATA:9,9,9: no drive at SCSI bus 9" said
'
test_expect_success 'an image file that is not there: exit 3, no such image file, none made' '
	same_word nosuch.iso && grep -q "^3 nosuch.iso: no such image file$" said &&
	! test -e nosuch.iso || exit 1
	same_word stdio:nosuch.iso && grep -q "^3 stdio:nosuch.iso: no such image file$" said &&
	! test -e nosuch.iso || exit 1
	same_word "$TMP/nosuch.iso" && grep -q "no such image file or drive$" said
'
test_expect_success 'a directory: exit 3, the same words' '
	same_word a && grep -q "^3 a is a directory, not a drive or an image file" said
'
test_expect_success 'no address and no drive: exit 2 in isoinfo and msinfo alike' '
	st=0; "$ISOINFO" -d </dev/null 2>err1 || st=$?
	test $st -eq 2 && grep -q "isoinfo: no device: name one with dev=ADDRESS" err1 || exit 1
	st=0; "$MSINFO" </dev/null 2>err2 || st=$?
	test $st -eq 2 && grep -q "msinfo: no device: name one with dev=ADDRESS" err2
'
test_expect_success '$CDPIPE_DEVICE names the image for isoinfo as for msinfo' '
	CDPIPE_DEVICE=$TMP/s1.iso "$ISOINFO" -f </dev/null >list &&
	grep -q "^/n$" list || exit 1
	CDPIPE_DEVICE=$TMP/s1.iso "$MSINFO" </dev/null >ms.env &&
	"$MSINFO" dev=s1.iso >ms.dev && test -s ms.dev && cmp ms.env ms.dev
'

# isoinfo as a filter
test_expect_success 'cat IMG | isoinfo --size: the image size, from a pipe' '
	test "$(cat s1.iso | "$ISOINFO" --size)" = "$(stat -c %s s1.iso)"
'
test_expect_success 'cat IMG | isoinfo -d: what -i IMG says' '
	"$ISOINFO" -d -i s1.iso >want && cat s1.iso | "$ISOINFO" -d >got &&
	test -s want && cmp want got
'
test_expect_success 'isoinfo -l <IMG (a file on stdin can be read anywhere)' '
	"$ISOINFO" -l -i s1.iso >want && "$ISOINFO" -l <s1.iso >got &&
	grep -q " n$" got && cmp want got
'
test_expect_success 'cat IMG | isoinfo -l: refused, exit 2, says why' '
	st=0; cat s1.iso | "$ISOINFO" -l >out 2>err || st=$?
	test $st -eq 2 && grep -q "standard input: a pipe can only be read for -d and --size" err &&
	! test -s out
'
test_expect_success 'a named image wins over standard input' '
	echo junk | "$ISOINFO" --size -i s1.iso >got &&
	test "$(cat got)" = "$(stat -c %s s1.iso)"
'
test_expect_success 'isoinfo -N LBA alone reads the session of a -C image (as cdrtools isoinfo)' '
	n=${ms#*,}
	"$ISOINFO" -f -N "$n" -i s2.iso >got &&
	/usr/bin/isoinfo -f -R -N "$n" -i s2.iso | sed "s/;1$//" | sort >want.all &&
	grep -q "^/g$" got && grep -q "^/f$" got && grep -q "^/g$" want.all &&
	sort got | cmp - want.all
'
test_expect_success 'isoinfo -N LBA -T LBA: -T still names the session' '
	n=${ms#*,}
	"$ISOINFO" -d -N "$n" -T "$n" -i s2.iso >d1 && "$ISOINFO" -d -N "$n" -i s2.iso >d2 &&
	cmp d1 d2
'

# cdrecord's and cdrtools isoinfo's spellings, through lib/args
test_expect_success 'cdwrite -nofix: refused (exit 2) saying why, nothing made' '
	st=0; "$CDWRITE" -nofix dev=nf.img s1.iso 2>err || st=$?
	test $st -eq 2 && grep -q "cdwrite: -nofix: not supported: a session is closed" err &&
	! test -e nf.img
'
test_expect_success 'cdwrite -dumm (no abbreviations): unknown option, exit 2, nothing made' '
	st=0; "$CDWRITE" -dumm dev=ab.img s1.iso 2>err || st=$?
	test $st -eq 2 && grep -q "unknown option .-dumm." err && ! test -e ab.img
'
test_expect_success 'cdwrite timeout=20: warned about and ignored' '
	"$CDWRITE" timeout=20 -checkdrive dev=s1.iso >out 2>err &&
	grep -q "cdwrite: warning: timeout= is ignored" err && test -s out
'
test_expect_success 'cdwrite -dev=X and --device X are dev=X; two devices are usage' '
	"$CDWRITE" -msinfo -dev=s1.iso >o1 && "$CDWRITE" -msinfo --device s1.iso >o2 &&
	test "$(cat o1)" = "$(cat o2)" && test -s o1 || exit 1
	st=0; "$MSINFO" dev=s1.iso -d s2.iso 2>err || st=$?
	test $st -eq 2 && grep -q "two devices" err
'
test_expect_success 'cdwrite speed=fast: usage, saying it is no number' '
	st=0; "$CDWRITE" speed=fast dev=sp.img s1.iso 2>err || st=$?
	test $st -eq 2 && grep -q "speed=: .fast. is not a number" err && ! test -e sp.img
'
test_expect_success 'isoinfo -p (cdrtools path tables): refused with what to use' '
	st=0; "$ISOINFO" -p -i s1.iso >out 2>err || st=$?
	test $st -eq 2 && grep -q "isoinfo: -p: not supported" err && ! test -s out
'
test_expect_success 'msinfo -vq and isoinfo -lR: bundles of one-letter flags' '
	"$MSINFO" -vq dev=s1.iso >/dev/null && "$ISOINFO" -lR -i s1.iso >l && grep -q " n$" l
'

# what a hostile review found
test_expect_success 'cdwrite dev=a dangling symlink: exit 3 at once, said (no busy loop)' '
	ln -s nothere dang
	st=0; timeout -k 2 60 "$CDWRITE" dev=dang s1.iso 2>err || st=$?
	test $st -eq 3 && grep -q "dang: a symbolic link to nothere, which is not there" err &&
	! test -e nothere || exit 1
	st=0; timeout -k 2 60 "$CDWRITE" blank=fast dev=stdio:dang 2>err || st=$?
	test $st -eq 3 && grep -q "stdio:dang: no such image file" err && ! test -e nothere
'
test_expect_success 'blank=fast or -format alone on an image file that is not there: exit 3, none made' '
	st=0; "$CDWRITE" blank=fast dev=nb.img 2>err || st=$?
	test $st -eq 3 && grep -q "nb.img: no such image file" err && ! test -e nb.img || exit 1
	st=0; "$CDWRITE" -format dev=nf.img 2>err || st=$?
	test $st -eq 3 && grep -q "nf.img: no such image file" err && ! test -e nf.img
'
test_expect_success 'isoinfo --extract-dir DIR /nothere: exit 1, and no empty DIR left' '
	st=0; "$ISOINFO" -i s1.iso --extract-dir exd /nothere 2>err || st=$?
	test $st -eq 1 && grep -q "not a directory in the image" err && ! test -e exd || exit 1
	mkdir exd2 || exit 1
	st=0; "$ISOINFO" -i s1.iso --extract-dir exd2 /nothere 2>/dev/null || st=$?
	test $st -eq 1 && test -d exd2
'
test_expect_success 'isomk -o "": usage (exit 2), nothing made' '
	st=0; "$ISOMK" -R -o "" a >out 2>err || st=$?
	test $st -eq 2 && grep -q "\-o needs a file name" err && ! test -s out
'
test_expect_success 'an empty dev=: exit 2 and the same words in isoinfo, msinfo, cdwrite' '
	same_word "" && grep -q "^2 an empty device address" said
'
test_expect_success 'two devices, or -x twice: usage in every program' '
	st=0; "$CDWRITE" dev=d1.img dev=d2.img s1.iso 2>err || st=$?
	test $st -eq 2 && grep -q "two devices" err && ! test -e d1.img && ! test -e d2.img || exit 1
	st=0; "$ISOINFO" -x /f -x /n -i s1.iso >out 2>err || st=$?
	test $st -eq 2 && grep -q "given twice" err && ! test -s out
'
test_expect_success 'padsize= beyond any medium: usage, not a wrapped number' '
	st=0; "$CDWRITE" padsize=8796093022208 dev=pad.img s1.iso 2>err || st=$?
	test $st -eq 2 && grep -q "padsize=" err && ! test -e pad.img
'
test_expect_success 'a track option after the last track is warned about' '
	"$CDWRITE" dev=tr.img s1.iso -audio 2>err && cmp tr.img s1.iso &&
	grep -q "warning: -audio after the last track applies to no track" err
'
test_expect_success 'ulimit -f: isomk -o and isoinfo --extract-dir say so, exit 1, leave no cut file' '
	random_bytes 3000000 a/big >a/big && "$ISOMK" -quiet -R -o big.iso a || exit 1
	st=0; (ulimit -f 1000; exec "$ISOMK" -quiet -R -o lim.iso a) 2>err || st=$?
	test $st -eq 1 && grep -q "File too large" err && ! test -e lim.iso || exit 1
	st=0; (ulimit -f 1000; exec "$ISOINFO" --extract-dir ex -i big.iso) 2>err || st=$?
	test $st -eq 1 && grep -q "File too large" err && ! test -e ex/big
'
test_expect_success 'isoinfo dev=FIFO: -d reads it as a pipe; -l is refused (exit 2) before opening' '
	mkfifo ff
	(cat s1.iso >ff &)
	"$ISOINFO" -d dev=ff >d.fifo && "$ISOINFO" -d -i s1.iso | cmp - d.fifo || exit 1
	st=0; timeout 60 "$ISOINFO" -l dev=ff >out 2>err || st=$?
	test $st -eq 2 && grep -q "ff: a pipe can only be read for -d and --size" err
'
test_expect_success '-N and -T beyond 2^31 blocks: usage, not a wrapped block number' '
	st=0; "$ISOINFO" -N 4294967295 -d -i s1.iso 2>err || st=$?
	test $st -eq 2 && grep -q "not within" err
'

# -q and --version everywhere
for p in isomk isoinfo msinfo cdwrite; do
	test_expect_success "$p --version: name, version and licence on stdout" '
		"$top_builddir/tools/'$p'" --version >v 2>err &&
		head -n 1 v | grep -q "^'$p' (cdpipe) [0-9]" && grep -q GPLv3 v && ! test -s err
	'
done
test_expect_success '-q is accepted by every program' '
	"$ISOMK" -q -R -o q.iso a && "$ISOINFO" -q -d -i q.iso >/dev/null &&
	"$ISOINFO" --quiet --size -i q.iso >/dev/null &&
	"$MSINFO" -q dev=q.iso >/dev/null && "$MSINFO" --quiet dev=q.iso >/dev/null &&
	"$CDWRITE" -q -checkdrive dev=q.iso >/dev/null
'

# progress in a log
test_expect_success 'cdwrite in a log: the gracetime is one plain line, no CR or ESC' '
	"$CDWRITE" gracetime=2 dev=log.img s1.iso 2>err &&
	cmp log.img s1.iso && grep -q "cdwrite: writing in 2 s" err &&
	! grep -q "$(printf "\r")" err && ! grep -q "$(printf "\033")" err
'
test_expect_success '--progress in a log: plain lines, no CR or ESC' '
	"$ISOMK" --progress -R a >p.iso 2>err && grep -q "isomk: 100.0%" err &&
	! grep -q "$(printf "\r")" err && ! grep -q "$(printf "\033")" err || exit 1
	"$CDWRITE" --progress dev=plog.img s1.iso 2>err && grep -q "%" err &&
	! grep -q "$(printf "\r")" err && ! grep -q "$(printf "\033")" err
'

test_done
