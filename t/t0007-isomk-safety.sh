#!/bin/sh
# isomk: nothing the user has is lost. Error exits free what they
# allocated: no LeakSanitizer report.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

mkdir s1 && echo one >s1/a.txt

# Error exits free what they allocated. Only a sanitizer build can tell.
if grep -aq __asan_init "$ISOMK"; then
	# no_leak STATUS ARGS...: isomk ARGS exits STATUS, LeakSanitizer silent
	no_leak() {
		want=$1 && shift && st=0
		ASAN_OPTIONS=detect_leaks=1 "$ISOMK" "$@" >/dev/null 2>err || st=$?
		cat err && test $st -eq "$want" && ! grep -q LeakSanitizer err
	}
	printf 's1\n' >paths && printf '*.o\n' >globs
	test_expect_success 'error exits (and -path-list) leave no leak' '
		no_leak 1 -R -C 0,16 -M nonexistent.iso -o /dev/null s1 &&
		no_leak 1 -R -C 0,16 -M paths -o /dev/null s1 &&
		no_leak 3 -R -C 0,16 -M stdio:nonexistent.img -o /dev/null s1 &&
		no_leak 1 -R -path-list paths -C 0,16 -M nonexistent.iso -o /dev/null &&
		no_leak 1 -R -m "*.o" -x s1/x -hide x -o nodir/x.iso s1 &&
		no_leak 0 -R -path-list paths -exclude-list globs -o /dev/null
	'
else
	test_skip 'error exits leave no leak' 'not a sanitizer build (--enable-sanitizers)'
fi
test_done
