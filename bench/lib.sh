# bench/lib.sh: what the benchmarks share. Sourced; expects $runs.

have() { command -v "$1" >/dev/null 2>&1; }
need() {
	for c in "$@"; do
		have "$c" || { echo "bench: $c missing (./bootstrap installs it)"; exit 1; }
	done
}

# seconds of wall time of a shell command, page cache warm
wall() {
	s=$(date +%s.%N)
	sh -c "$1" >/dev/null 2>&1
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.4f\n", e - s }'
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

# bench NAME CMD [NAME CMD]...: run each in turn, $runs rounds, medians.
# Each round starts with a different command (the order rotates), so that
# none always follows the same one. $BENCH_PREP, when set, runs untimed
# before every command (say, removing and syncing away the last output).
bench() {
	tmp=$(mktemp -d)
	n=$(($# / 2))
	for r in $(seq 1 "$runs"); do
		k=0
		while [ $k -lt $n ]; do
			i=$(((k + r) % n))
			eval "name=\${$((i * 2 + 1))}; cmd=\${$((i * 2 + 2))}"
			[ -z "${BENCH_PREP:-}" ] || sh -c "$BENCH_PREP" >/dev/null 2>&1
			wall "$cmd" >>"$tmp/$name"
			k=$((k + 1))
		done
	done
	for f in "$tmp"/*; do
		printf '%s %s\n' "$(basename "$f")" "$(median <"$f")"
	done
	rm -rf "$tmp"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

report() { # report CASE TABLE REF: times, and ratios to REF's time
	ref=$3
	t_ref=$(awk -v r="$ref" '$1 == r {print $2}' "$2")
	echo "== $1 (median of $runs runs, seconds; ratio = time / $ref's time)"
	while read -r name t; do
		printf '  %-22s %8.3f s   %s\n' "$name" "$t" "$(ratio "$t" "$t_ref")x"
	done <"$2"
}

# peak NAME CMD: wall time and peak memory of one run, per file of $2
peak() {
	out=$(mktemp)
	s=$(date +%s.%N)
	if /usr/bin/time -f "%M" -o "$out" sh -c "$2" >/dev/null 2>&1; then st=ok; else st=failed; fi
	e=$(date +%s.%N)
	kb=$(tail -n 1 "$out")
	rm -f "$out"
	printf '  %-22s %8.1f s  peak %7d MiB  %5d bytes/entry  %s\n' "$1" \
		"$(awk -v s="$s" -v e="$e" 'BEGIN { print e - s }')" $((kb / 1024)) \
		$((kb * 1024 / ${3:-1000000})) "$st"
}

# The inputs, made once under $dir.
data_big() { # 2 GiB in two random files
	d=$dir/big
	if [ ! -f "$d/b" ]; then
		mkdir -p "$d"
		head -c 1073741824 /dev/urandom >"$d/a"
		head -c 1073741824 /dev/urandom >"$d/b"
	fi
	cat "$d/a" "$d/b" >/dev/null # warm the cache
}

data_tree() { # >= 15,000 files: copies of /usr/include and /usr/share/doc
	d=$dir/tree
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d" && mkdir -p "$d"
		n=0
		while [ "$(find "$d" -type f | wc -l)" -lt 15000 ]; do
			n=$((n + 1))
			mkdir -p "$d/$n"
			cp -a /usr/include "$d/$n/include" 2>/dev/null || true
			cp -a /usr/share/doc "$d/$n/doc" 2>/dev/null || true
		done
		touch "$d/.done"
	fi
	find "$d" -type f -exec cat {} + >/dev/null
}

data_million() { # 1,000,000 empty files in 1,000 directories
	d=$dir/million
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d"
		python3 - "$d" <<'PY'
import os, sys
top = sys.argv[1]
for i in range(1000):
    sub = os.path.join(top, "d%03d" % i)
    os.makedirs(sub)
    for j in range(1000):
        open(os.path.join(sub, "f%03d" % j), "w").close()
PY
		touch "$d/.done"
	fi
}


# Numbers from a sanitizer build say nothing about speed: refuse them.
plain_build() {
	for b in "$@"; do
		if nm "$b" 2>/dev/null | grep -q __asan_init; then
			echo "bench: $b is built with sanitizers; reconfigure without --enable-sanitizers" >&2
			exit 1
		fi
	done
}
