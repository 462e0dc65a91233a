#!/bin/sh
# isomk: the command-line surface: help, version, usage errors, output
# refused to a terminal, -print-size, stdout vs -o, full disk, closed pipe.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso isoinfo script

mkdir src && echo hi >src/a && mkdir src/d && echo x >src/d/b

test_expect_success '--help prints usage on stdout and exits 0' '
	"$ISOMK" --help >out 2>err && grep -q "^Usage: isomk" out && ! test -s err
'
test_expect_success '-help works as well (mkisofs spelling; -h is its -hfs, see t0008)' '
	"$ISOMK" -help >out && grep -q "pathspec" out
'
test_expect_success '--version names the program' '
	"$ISOMK" --version >out && grep -q "^isomk (cdpipe) " out
'
test_expect_status 2 'no pathspec is a usage error' '"$ISOMK" -R >/dev/null'
test_expect_status 2 'an unknown option is a usage error' '"$ISOMK" -bogus-option src >/dev/null'
test_expect_status 2 '-iso-level 7 is a usage error' '"$ISOMK" -iso-level 7 src >/dev/null'
test_expect_status 2 '-C with one number is a usage error' '"$ISOMK" -C 123 src >/dev/null'
test_expect_status 2 '-M without -C is a usage error' '"$ISOMK" -M x.iso src >/dev/null'
test_expect_success 'usage errors say what is wrong and point to --help' '
	st=0; "$ISOMK" -iso-level 7 src >/dev/null 2>err || st=$?
	test $st -eq 2 && grep -q "^isomk: -iso-level wants 1, 2, 3 or 4" err && grep -q -- "--help" err
'

# script(1) runs a program on a pseudo-terminal; -e gives back its status
test_expect_success 'an image is not written to a terminal (exit 2)' '
	st=0; script -qec "\"$ISOMK\" src" /dev/null >out 2>&1 || st=$?
	test "$st" -eq 2 && grep -q "refusing to write an image to a terminal" out
'
test_expect_success 'progress is on by default when stderr is a terminal, redrawn in place' '
	script -qec "\"$ISOMK\" -R -o img.iso src" /dev/null >out 2>&1 &&
	grep -q "isomk: 100.0% " out && tr "\\r" "\\n" <out | grep -q "^isomk: 100.0%"
'

export SOURCE_DATE_EPOCH=994250096
test_expect_success 'stdout and -o give the same image, readable by bsdtar and xorriso' '
	"$ISOMK" -R -J src >a.iso && "$ISOMK" -R -J -o b.iso src &&
	cmp a.iso b.iso &&
	TZ=UTC bsdtar -tf a.iso | sort >list && grep -qx "d/b" list &&
	xorriso -indev b.iso -find / -type f 2>/dev/null | grep -q "/d/b"
'

for opts in "" "-R" "-R -J" "-r -J -joliet-long" "-no-pad" "-R -md5" "-iso-level 3 -R" "-iso-level 4"; do
	test_expect_success "-print-size is exact ($opts)" '
		size=$("$ISOMK" $opts -print-size src 2>err) &&
		! test -s err &&
		"$ISOMK" $opts src >img.iso &&
		test "$size" -eq $(( $(stat -c %s img.iso) / 2048 )) &&
		test $(( $(stat -c %s img.iso) % 2048 )) -eq 0
	'
done

test_expect_success 'SOURCE_DATE_EPOCH makes the image reproducible' '
	"$ISOMK" -R -J -graft-points new/dir/=src >a.iso && sleep 1 &&
	"$ISOMK" -R -J -graft-points new/dir/=src >b.iso && cmp a.iso b.iso &&
	xorriso -indev a.iso -pvd_info 2>/dev/null | grep -qx "Creation Time: 2001070412345600"
'
unset SOURCE_DATE_EPOCH

test_expect_success '-print-size writes only the number' '
	"$ISOMK" -R -print-size src >out 2>err && grep -qx "[0-9][0-9]*" out && ! test -s err
'

test_expect_success 'a full disk is an error (exit 1, message)' '
	st=0; "$ISOMK" -R -o /dev/full src 2>err || st=$?
	test $st -eq 1 && grep -q "No space left on device" err
'
test_expect_success 'a full disk on stdout is an error too' '
	st=0; "$ISOMK" -R src >/dev/full 2>err || st=$?
	test "$st" -eq 1 && grep -q "No space left on device" err
'

test_expect_success 'a closed pipe ends isomk quietly, as SIGPIPE' '
	random_bytes 100000 src/big1 >src/big1 && seq 1 300000 >src/big2 &&
	{ "$ISOMK" -R src 2>err; echo $? >st; } | head -c 1 >/dev/null &&
	test "$(cat st)" -eq 141 && ! test -s err
'

test_expect_success 'obsolete mkisofs options are accepted with a one-line warning' '
	"$ISOMK" -no-cache-inodes -R -cache-inodes src >img.iso 2>err &&
	grep -q "^isomk: warning: -no-cache-inodes is ignored: hard links are always found" err &&
	grep -q "^isomk: warning: -cache-inodes is ignored" err &&
	test "$(wc -l <err)" -eq 2
'

test_expect_success 'volume ids land in the volume descriptor (genisoimage isoinfo -d)' '
	"$ISOMK" -V MY_VOLUME -A "my app" -p "me" -publisher "pub" -sysid SYS -volset VSET -o img.iso src &&
	isoinfo -d -i img.iso >d &&
	grep -qx "Volume id: MY_VOLUME" d && grep -qx "Volume set id: VSET" d &&
	grep -qx "System id: SYS" d &&
	# ECMA-119 a-characters: libisofs (and xorriso) store these upper case
	grep -qix "Application id: my app" d &&
	grep -qix "Data preparer id: me" d && grep -qix "Publisher id: pub" d
'
test_expect_success 'the system id defaults to LINUX, as with mkisofs' '
	"$ISOMK" -o img.iso src && isoinfo -d -i img.iso >d && grep -qx "System id: LINUX" d
'

test_expect_success 'progress goes to stderr only, and never with -quiet' '
	export SOURCE_DATE_EPOCH=994250096
	"$ISOMK" --progress -R src >img.iso 2>err && grep -q "isomk: 100.0%" err &&
	"$ISOMK" -quiet --progress -R src >img2.iso 2>err2 && ! test -s err2 &&
	cmp img.iso img2.iso
'

test_done
