# t/test-lib.sh: sourced by every shell test in t/. TAP output for
# automake's TAP driver, a scratch directory, and helpers that compare a
# source tree with what independent programs read back from an image.
#
#   need TOOL...                                   (at the top, or in a body)
#   test_expect_success 'what it shows' 'commands'
#   test_expect_status 2 'what it shows' 'command'  (the last command's status)
#   test_skip 'what' 'why'
#   test_done
#
# A test body runs in a subshell with set -e: the first command that fails
# ends it, and the test fails. POSIX leaves set -e out of force in a few
# places, and a body must not lean on it there:
#   - in every command of an && or || list but the last: `a && b` on a line
#     of its own followed by more lines goes on when a fails. End such a
#     line with `|| exit 1`, or make each step a line of its own;
#   - in `! cmd`: on a line of its own it never fails the body (only as
#     the body's last command does its status count);
#   - in a pipeline's commands but the last: `prog | grep -q x` does not see
#     prog fail. Write prog's output to a file, then grep the file;
#   - in a command whose status is tested (if, while, until, &&, ||, !),
#     which is why test_expect_success itself is called as a statement of
#     its own, never inside one (it bails out if it is).
# `st=0; prog || st=$?` then `test $st -eq N` checks an exit status.
#
# Skips are for what this machine does not have and ./bootstrap cannot
# give: ../shared (fixtures, vmdrive), root, hardware. A tool that
# ./bootstrap installs is named with need, and its absence is a failure.
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
export LC_ALL=C.UTF-8 TZ=UTC
# modes the tests expect (644 for a file made with >) whatever the caller's
umask 022
# the project's own programs, by path: Debian's genisoimage has an isoinfo
ISOMK="$top_builddir/tools/isomk"
# libisofs and libburn keep a few allocations to exit; ours are freed.
# A sanitizer's report ends a program with 99, never with the 1 that a test
# of bad input expects.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:exitcode=99}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:exitcode=99}"

test_count=0
test_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cdpipe-t.XXXXXX") || exit 1
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

say() { printf '# %s\n' "$*"; }

# flip_byte FILE OFFSET: the byte at OFFSET replaced by its complement, so
# that it differs whatever it was (writing a fixed byte is a no-op when the
# byte already has that value: random payloads made such tests flaky)
flip_byte() {
	fb_=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	test -n "$fb_" || return 1
	printf "\\$(printf %03o $((fb_ ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# random_bytes N SEED: N bytes that look random (they do not compress),
# the same on every run for one SEED. /dev/urandom made a test's outcome a
# draw: a payload that happens to hold a magic number, a zero where the
# test writes one, or a byte a grep looks for. Distinct SEEDs for files
# that must differ.
random_bytes() {
	command -v python3 >/dev/null 2>&1 || {
		echo "python3 missing: ./bootstrap installs it" >&2
		return 1
	}
	python3 -c 'import random, sys
n = int(sys.argv[1])
sys.stdout.buffer.write(random.Random(sys.argv[2]).getrandbits(8 * n).to_bytes(n, "little"))' "$1" "$2"
}

# wait_until CMD [ARG]...: wait (120 s at most, which a loaded machine with
# sanitizers may need) until CMD is true; 1, saying so, when it never was.
# A step that needs another process to be at some point waits for that
# point, never for a guessed time.
wait_until() {
	wu_=0
	until "$@"; do
		wu_=$((wu_ + 1))
		if [ $wu_ -ge 1200 ]; then
			echo "waited 120 s for: $*"
			return 1
		fi
		sleep 0.1
	done
}

# ended PID: PID is gone, or a zombie its parent has not waited for yet.
# "wait_until ended $pid || kill -KILL $pid" before "wait $pid" bounds a
# test whose program should end (after a signal, say) but hangs.
ended() {
	! test -e "/proc/$1" || grep -q ") Z" "/proc/$1/stat" 2>/dev/null
}

# catches PID SIGNUM: PID has a handler for signal SIGNUM (its SigCgt in
# /proc). A job that sh starts with & ignores SIGINT, and dies of SIGTERM,
# until the program sets its own handler: a signal sent before is lost, or
# kills it unheard. Signals 1 to 32 only.
catches() {
	sc_=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$sc_" ] || return 1
	sc_=$(printf %s "$sc_" | tail -c 8)
	[ $(((0x$sc_ >> ($2 - 1)) & 1)) -eq 1 ]
}

# delivered PID SIGNUM: no SIGNUM sent to PID waits to be delivered (its
# ShdPnd in /proc): two signals sent before the first is delivered are one
delivered() {
	sp_=$(sed -n 's/^ShdPnd:[[:space:]]*//p' "/proc/$1/status" 2>/dev/null)
	[ -n "$sp_" ] || return 1
	sp_=$(printf %s "$sp_" | tail -c 8)
	[ $(((0x$sp_ >> ($2 - 1)) & 1)) -eq 0 ]
}

test_ok_() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1"
}

test_not_ok_() {
	test_count=$((test_count + 1))
	test_failed=$((test_failed + 1))
	echo "not ok $test_count - $1"
	if [ -s "$TMP/.out" ]; then
		sed 's/^/#   /' "$TMP/.out" | head -n 60
	fi
}

# bail_out WHY: the file cannot go on (its setup failed): TAP's Bail out!
bail_out() {
	echo "Bail out! $*"
	exit 1
}

# test_expect_success DESC SCRIPT: SCRIPT runs in a subshell with set -e,
# as a statement of its own (so that set -e is in force), its status read
# afterwards.
test_expect_success() {
	# does set -e work here? Not where the caller's status is tested:
	# then this subshell goes on past its false
	(set -e; false; exit 0)
	if [ $? -eq 0 ]; then
		bail_out "test_expect_success '$1': called inside if, while, &&, || or !, where set -e has no effect"
	fi
	(in_test_body_=1; set -e; eval "$2") >"$TMP/.out" 2>&1
	status_=$?
	if [ "$status_" -eq 0 ]; then
		test_ok_ "$1"
	else
		echo "exit status $status_" >>"$TMP/.out"
		test_not_ok_ "$1"
	fi
}

# test_expect_status N DESC SCRIPT: the script's last command exits N.
test_expect_status() {
	want=$1
	(set +e; eval "$3") >"$TMP/.out" 2>&1
	got=$?
	if [ "$got" -eq "$want" ]; then
		test_ok_ "$2"
	else
		echo "exit status $got, wanted $want" >>"$TMP/.out"
		test_not_ok_ "$2"
	fi
}

test_skip() {
	test_count=$((test_count + 1))
	echo "ok $test_count - $1 # SKIP $2"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" -eq 0 ]
}

# need TOOL...: the tests need TOOL, which ./bootstrap installs, so its
# absence is a failure, never a skip. At the top of a file: one failed test
# for each missing tool, and the file ends. In a test body: that test fails.
# 7z is p7zip-full's (Debian 12 and later); 7zip's 7zz does as well.
need() {
	missing_=
	for c in "$@"; do
		case $c in
		7z) seven_zip_ || missing_="$missing_ $c" ;;
		*) command -v "$c" >/dev/null 2>&1 || missing_="$missing_ $c" ;;
		esac
	done
	[ -n "$missing_" ] || return 0
	if [ -n "${in_test_body_:-}" ]; then
		for c in $missing_; do echo "$c missing: ./bootstrap installs it"; done
		exit 1
	fi
	: >"$TMP/.out"
	for c in $missing_; do test_not_ok_ "$c missing: ./bootstrap installs it"; done
	test_done
	exit 1
}

# 7z, or 7zip's 7zz under that name (Debian 12's 7zip package has only 7zz)
seven_zip_() {
	command -v 7z >/dev/null 2>&1 && return 0
	command -v 7zz >/dev/null 2>&1 || return 1
	mkdir -p "$TMP/.bin" &&
		printf '#!/bin/sh\nexec 7zz "$@"\n' >"$TMP/.bin/7z" &&
		chmod +x "$TMP/.bin/7z" || return 1
	PATH="$TMP/.bin:$PATH"
}

# cdrskin (the anchor for growing image files) takes stdio: drives with
# --allow_emulated_drives; as root only when a file allows it, which
# ./bootstrap makes. In a test body: fails, saying so, when it is missing.
cdrskin_emulation_allowed() {
	[ "$(id -u)" -ne 0 ] || [ -e /root/cdrskin_permissions/allow_emulated_drives ] || {
		echo "/root/cdrskin_permissions/allow_emulated_drives missing: ./bootstrap (as root) makes it"
		return 1
	}
}

# A stable description of a tree, one line per entry: type, mode, size and
# mtime for files (with an MD5 of the content), link targets, and
# directories without their size. Paths are relative to the tree.
manifest() {
	(cd "$1" && find . -mindepth 1 ! -path './rr_moved*' -printf '%y %m %p\n' |
		sort | while read -r type mode path; do
			case $type in
			f) printf 'f %s %s %s %s %s\n' "$mode" "$(stat -c %s "$path")" \
				"$(stat -c %Y "$path")" "$(md5sum <"$path" | cut -c1-32)" "$path" ;;
			l) printf 'l %s -> %s\n' "$path" "$(readlink "$path")" ;;
			d) printf 'd %s %s %s\n' "$mode" "$(stat -c %Y "$path")" "$path" ;;
			*) printf '%s %s %s\n' "$type" "$mode" "$path" ;;
			esac
		done)
}

# Names only (what Joliet and 7z can show): type and path.
names() {
	(cd "$1" && find . -mindepth 1 -printf '%y %p\n' | sort)
}

# check_same DIR1 DIR2: manifests equal, else show the difference.
check_same() {
	manifest "$1" >"$TMP/.m1"
	manifest "$2" >"$TMP/.m2"
	diff -u "$TMP/.m1" "$TMP/.m2"
}

# extract_bsdtar ISO DIR / extract_osirrox ISO DIR
extract_bsdtar() {
	rm -rf "$2" && mkdir -p "$2" && bsdtar -xpf "$1" -C "$2"
}

extract_osirrox() {
	rm -rf "$2" && mkdir -p "$2" &&
		osirrox -indev "$1" -osirrox concat_split_off -extract / "$2" >/dev/null 2>&1 &&
		chmod u+w "$2"
}

# The tree most tests use: every kind of file isomk must carry.
make_tree() {
	d=$1
	mkdir -p "$d/sub/empty-dir" "$d/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10"
	echo hello >"$d/file.txt"
	: >"$d/empty"
	printf 'data\n' >"$d/.dotfile"
	seq 1 200000 >"$d/sub/numbers"
	random_bytes 70000 random.bin >"$d/sub/random.bin"
	ln "$d/file.txt" "$d/sub/hardlink"
	ln -s ../file.txt "$d/sub/rel-link"
	ln -s /nonexistent/target "$d/dangling"
	mkfifo "$d/sub/fifo"
	echo deep >"$d/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt"
	echo utf >"$d/sub/Grüße aus Köln – ünïcödé ✓.txt"
	long=$(printf 'x%.0s' $(seq 1 120))
	echo long >"$d/sub/$long.txt"
	echo exec >"$d/sub/script.sh"
	chmod 750 "$d/sub/script.sh"
	chmod 640 "$d/sub/random.bin"
	chmod 700 "$d/sub/empty-dir"
	touch -d '2001-07-04 12:34:56' "$d/file.txt" "$d/sub/numbers"
	touch -h -d '2001-07-04 12:00:00' "$d/sub/rel-link"
	touch -d '1999-12-31 23:59:58' "$d/sub" "$d/l1/l2/l3"
}
