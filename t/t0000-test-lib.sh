#!/bin/sh
# t/test-lib.sh itself, so that a test can fail: a step that fails anywhere
# in a test body fails its test (set -e is in force there, which it was not
# while the body ran inside `if`), a tool ./bootstrap installs is a failure
# when missing, never a skip, and a call where set -e cannot work bails out.
# Each case is a small test file run on its own.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"

# case NAME: the test file on stdin (test-lib.sh sourced before it,
# test_done after it) runs on its own; its TAP output in NAME.out, its
# exit status in NAME.st
case_() {
	{
		echo ". \"$top_srcdir/t/test-lib.sh\""
		cat
		echo test_done
	} >"$1.sh" || exit 1
	st=0
	top_srcdir="$top_srcdir" top_builddir="$top_builddir" sh "$1.sh" >"$1.out" 2>&1 || st=$?
	echo $st >"$1.st"
}

test_expect_success 'a step that fails in the middle of a body fails the test' '
	case_ middle <<-\EOF
	test_expect_success "first" "
		false
		true
	"
	test_expect_success "second" "true"
	EOF
	cat middle.out
	test "$(cat middle.st)" -eq 1 &&
	grep -qx "not ok 1 - first" middle.out && grep -qx "ok 2 - second" middle.out &&
	grep -qx "1..2" middle.out
'
test_expect_success 'so does one in a function the body calls, and a failed cd' '
	case_ func <<-\EOF
	helper() {
		false
		true
	}
	test_expect_success "function" "helper"
	test_expect_success "cd" "
		cd /nonexistent/dir 2>/dev/null
		true
	"
	EOF
	cat func.out
	grep -qx "not ok 1 - function" func.out && grep -qx "not ok 2 - cd" func.out
'
test_expect_success 'a body that passes is ok, and test_expect_status checks the status' '
	case_ pass <<-\EOF
	test_expect_success "passes" "true
		st=0; false || st=\$?
		test \$st -eq 1"
	test_expect_status 3 "exit 3" "exit 3"
	test_expect_status 3 "exit 4" "exit 4"
	EOF
	cat pass.out
	grep -qx "ok 1 - passes" pass.out && grep -qx "ok 2 - exit 3" pass.out &&
	grep -qx "not ok 3 - exit 4" pass.out && test "$(cat pass.st)" -eq 1
'
test_expect_success 'need: a missing tool at the top fails the file, never skips it' '
	case_ needtop <<-\EOF
	need sh no-such-tool-cdpipe
	test_expect_success "never run" "true"
	EOF
	cat needtop.out
	test "$(cat needtop.st)" -eq 1 &&
	grep -qx "not ok 1 - no-such-tool-cdpipe missing: ./bootstrap installs it" needtop.out &&
	! grep -q "SKIP" needtop.out && ! grep -q "never run" needtop.out
'
test_expect_success 'need in a body fails that test only' '
	case_ needbody <<-\EOF
	test_expect_success "needs it" "need no-such-tool-cdpipe; true"
	test_expect_success "after" "true"
	EOF
	cat needbody.out
	grep -qx "not ok 1 - needs it" needbody.out &&
	grep -q "no-such-tool-cdpipe missing: ./bootstrap installs it" needbody.out &&
	grep -qx "ok 2 - after" needbody.out
'
test_expect_success 'test_expect_success where set -e cannot work (inside if): Bail out!' '
	case_ tested <<-\EOF
	if test_expect_success "tested" "false"; then :; fi
	EOF
	cat tested.out
	test "$(cat tested.st)" -ne 0 && grep -q "^Bail out! " tested.out
'
test_expect_success 'need 7z takes 7zip'"'"'s 7zz when there is no 7z' '
	mkdir -p fakebin || exit 1
	for c in sh mktemp mkdir chmod rm cat grep; do
		ln -s "$(command -v $c)" fakebin/$c || exit 1
	done
	printf "#!/bin/sh\necho \"7zz \$*\"\n" >fakebin/7zz && chmod +x fakebin/7zz || exit 1
	case_ sevenzz <<-\EOF
	need 7z
	test_expect_success "7z is 7zz" "7z l x.iso >o && grep -qx \"7zz l x.iso\" o"
	EOF
	PATH="$TMP/fakebin" sh sevenzz.sh >sevenzz.out 2>&1 || { cat sevenzz.out; exit 1; }
	cat sevenzz.out
	grep -qx "ok 1 - 7z is 7zz" sevenzz.out
'
test_done
