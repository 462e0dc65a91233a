# t/test-lib.sh: sourced by every shell test in t/. TAP output for
# automake's TAP driver, a scratch directory, and helpers that compare a
# source tree with what independent programs read back from an image.
#
#   test_expect_success 'what it shows' 'commands'
#   test_expect_failure_status 2 'what it shows' 'command'   (exact status)
#   test_skip 'what' 'why'
#   test_done
set -u

: "${top_builddir:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${top_srcdir:=$top_builddir}"
export LC_ALL=C.UTF-8 TZ=UTC
# the project's own programs, by path: Debian's genisoimage has an isoinfo
ISOMK="$top_builddir/tools/isomk"
# libisofs and libburn keep a few allocations to exit; ours are freed
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"

test_count=0
test_failed=0
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cdpipe-t.XXXXXX") || exit 1
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1

say() { printf '# %s\n' "$*"; }

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

# test_expect_success DESC SCRIPT: SCRIPT runs in a subshell with set -e.
test_expect_success() {
	if (set -e; eval "$2") >"$TMP/.out" 2>&1; then
		test_ok_ "$1"
	else
		echo "exit status $?" >>"$TMP/.out"
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

need() {
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || skip_all "$c is not installed (./bootstrap installs it)"
	done
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
	head -c 70000 /dev/urandom >"$d/sub/random.bin"
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
