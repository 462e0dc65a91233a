#!/bin/sh
# isomk: every option that genisoimage -help and xorriso -as mkisofs -help
# list (read from their help at test time, so a new option in either shows
# up here), run once each with a plausible value, in one dash and in two:
# exit 0 or 2 only (never 1 from a value taken as a source, never a
# crash), no stray file beside the -o output, nothing on stdout, never
# "unknown option", and when 0 an image that genisoimage's isoinfo and
# bsdtar read, holding only the files asked for. Then the misreadings of
# issue 9 one by one (getopt_long_only took -c boot.cat as -cache-inodes
# and a source, -volset-size 1 as -v -o lset-size, -force-rr as -f -o
# rce-rr, -partition_offset 16 as -p artition_offset and a source 16,
# printed -hfs's usage to stdout with exit 0, cut -V at 32 bytes even
# inside a UTF-8 character) and the id limits, read back.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need genisoimage xorriso bsdtar
# genisoimage's isoinfo, by path: ours is tools/isoinfo
GI_ISOINFO=/usr/bin/isoinfo
[ -x "$GI_ISOINFO" ] || bail_out "genisoimage's isoinfo is not at $GI_ISOINFO (./bootstrap installs genisoimage)"

# "NAME PLACEHOLDER..." for every option of a -help text: the lines that
# start with two spaces and a dash, up to the description, split at ", "
options_of() {
	awk '/^  -[^ ]/ {
		line = substr($0, 3)
		i = index(line, "  ")
		if (i) line = substr(line, 1, i - 1)
		n = split(line, part, ", ")
		for (k = 1; k <= n; k++) {
			if (part[k] !~ /^-/)
				continue
			# the name, then its values up to the description
			# ("-l, -full-iso9660-filenames Allow full ...")
			m = split(part[k], w, " ")
			out = w[1]
			for (j = 2; j <= m && w[j] !~ /^[A-Z][a-z]/; j++)
				out = out " " w[j]
			print out
		}
	}'
}

genisoimage -help >gi.help 2>&1 || true
xorriso -as mkisofs -help >xo.help 2>&1 || true
options_of <gi.help >all.raw
options_of <xo.help >>all.raw
# one line per name (the first spelling of its values)
awk '{ name = $1; sub(/=.*/, "", name); if (!(name in seen)) { seen[name] = 1; print } }' \
	all.raw >all.opts

test_expect_success 'both help texts list options (the parse works)' '
	test "$(grep -c "^-" all.opts)" -gt 250 &&
	grep -q "^-hfs\$" all.opts && grep -q "^-V ID\$" all.opts &&
	grep -q "^-partition_offset LBA\$" all.opts &&
	grep -q "^--norock\$" all.opts && grep -q "^-volset-size #\$" all.opts
'

# A plausible value for a placeholder of the help text.
value_for() {
	case $1 in
	ID | PREP | PUB | HFS_VOLID | label | text | FOLDER_NAME | CMDLINE) echo ID ;;
	FILE | FILES | GLOBFILE | LOG_FILE | MAPPING_FILE | DISKFILE* | FILE_NAME) echo list ;;
	TABLE_NAME) echo MYTABLE ;;
	iso_rr_path | ISO_RR_PATH | PATH | NAME) echo list ;;
	CHARSET) echo UTF-8 ;;
	LEVEL) echo 3 ;;
	LBA) echo 16 ;;
	LEN) echo 64 ;;
	'#' | NUMBER | SIZE) echo 1 ;;
	mode) echo 0644 ;;
	uid | gid) echo 0 ;;
	PARAMS) echo 0,1000 ;;
	DIR) echo / ;;
	SCSIdev) echo old.iso ;;
	TYPE) echo data ;;
	*) echo x ;;
	esac
}

# values the help texts do not show
extra_values() {
	case $1 in
	-iso_mbr_part_type) echo 0x83 ;;
	-eltorito-platform) echo 0 ;;
	esac
}

# run_one WORD VALUE...: isomk in a scratch directory of its own with a
# source directory src, another (more) named in the file list, and -o
# out.iso; "ok" on stdout, or what went wrong
run_one() {
	d=run.$(printf '%s' "$1" | tr -c 'A-Za-z0-9_=-' _)
	rm -rf "$d" && mkdir "$d" && mkdir "$d/src" "$d/more" || return 1
	echo hi >"$d/src/a" && echo b >"$d/more/b" && echo more >"$d/list" || return 1
	(cd "$d" && ls -A >../before)
	case $1 in
	-o | -output | --o | --output) oarg= ;;
	*) oarg='-o out.iso' ;;
	esac
	# shellcheck disable=SC2086
	(cd "$d" && exec "$ISOMK" "$@" $oarg src </dev/null >stdout 2>stderr)
	st=$?
	(cd "$d" && ls -A | grep -v -x -e stdout -e stderr -e out.iso >../after)
	name=${1#-}
	name=${name#-}
	name=${name%%=*}
	if [ "$st" -ne 0 ] && [ "$st" -ne 2 ]; then
		echo "exit $st"
		cat "$d/stderr"
		return
	fi
	if ! cmp -s before after; then
		echo "stray files:"
		diff before after
		return
	fi
	if grep -q "unknown option" "$d/stderr"; then
		echo "isomk does not know it:"
		cat "$d/stderr"
		return
	fi
	case $name in
	help)
		if [ "$st" -ne 0 ] || ! grep -q "^Usage: isomk" "$d/stdout"; then
			echo "no usage on stdout (exit $st)"
			return
		fi
		echo ok
		return
		;;
	version)
		if [ "$st" -ne 0 ] || ! grep -q "^isomk (cdpipe)" "$d/stdout"; then
			echo "no version on stdout (exit $st)"
			return
		fi
		echo ok
		return
		;;
	print-size)
		if [ "$st" -ne 0 ] || ! grep -q -x "[0-9][0-9]*" "$d/stdout" || [ -e "$d/out.iso" ]; then
			echo "-print-size: exit $st, stdout '$(cat "$d/stdout")'"
			return
		fi
		echo ok
		return
		;;
	esac
	if [ -s "$d/stdout" ]; then
		echo "stdout is not empty:"
		head -5 "$d/stdout"
		return
	fi
	if [ "$st" -eq 2 ]; then
		if [ -e "$d/out.iso" ]; then
			echo "a usage error left out.iso"
			return
		fi
		if ! head -1 "$d/stderr" | grep -q "^isomk: "; then
			echo "exit 2 without a message:"
			cat "$d/stderr"
			return
		fi
		echo ok
		return
	fi
	case $name in
	C | cdrecord-params)
		# a session made to be written at block 1000: its
		# directories point past the file, so only its descriptor
		# is read here (t0005 reads such sessions where they belong)
		# (as genisoimage and xorriso do: the root directory's
		# extent, in the PVD's root record, is past block 1000)
		root=$(od -An -tu4 -j $((16 * 2048 + 156 + 2)) -N4 "$d/out.iso" | tr -d " ")
		if ! "$GI_ISOINFO" -d -i "$d/out.iso" 2>&1 | grep -q "^Volume id:" ||
			[ -z "$root" ] || [ "$root" -le 1000 ]; then
			echo "no session for block 1000 (root directory at '$root')"
			return
		fi
		echo ok
		return
		;;
	esac
	if ! "$GI_ISOINFO" -d -i "$d/out.iso" >"$d/pvd" 2>&1 || ! grep -q "^Volume id:" "$d/pvd"; then
		echo "isoinfo -d cannot read the image:"
		cat "$d/pvd"
		return
	fi
	if ! bsdtar -tf "$d/out.iso" >"$d/list.tar" 2>&1; then
		echo "bsdtar cannot read the image:"
		cat "$d/list.tar"
		return
	fi
	# only src's file a, and b of the path list: a value taken as a
	# source would show up here (plain ISO 9660 names carry a forced dot:
	# "A.;1")
	# (-T and -table-name add their translation table, named here)
	if grep -v -i -x -e '\.' -e '\./' -e '\(\./\)\{0,1\}[ab]\.\{0,1\}\(;1\)\{0,1\}' \
		-e 'TRANS.TBL' -e 'MYTABLE' "$d/list.tar" | grep -q .; then
		echo "the image holds more than asked:"
		cat "$d/list.tar"
		return
	fi
	if ! grep -q -i -x '\(\./\)\{0,1\}a\.\{0,1\}\(;1\)\{0,1\}' "$d/list.tar"; then
		echo "the image lacks src/a:"
		cat "$d/list.tar"
		return
	fi
	echo ok
}

while read -r opt vals; do
	case $opt in
	-*) ;;
	*) continue ;;
	esac
	words=$opt
	case $opt in
	*=*) words="${opt%%=*}=2020010100000000" ;;
	*)
		for v in $vals; do
			words="$words $(value_for "$v")"
		done
		x=$(extra_values "$opt")
		[ -n "$x" ] && words="$words $x"
		;;
	esac
	# the same with the other number of dashes, as genisoimage takes both
	case $opt in
	--*) other=${words#-} ;;
	*) other=-$words ;;
	esac
	for w in "$words" "$other"; do
		# shellcheck disable=SC2086
		set -- $w
		case $1 in
		-o | --o | -output | --output) set -- "$1" out.iso ;;
		esac
		r=$(run_one "$@")
		if [ "$r" = ok ]; then
			test_ok_ "isomk $w"
		else
			printf '%s\n' "$r" >"$TMP/.out"
			test_not_ok_ "isomk $w"
		fi
	done
done <all.opts

test_cmp_() { diff -u "$1" "$2"; }

# ---------------------------------------------------------------- issue 9
mkdir src && echo hi >src/a || exit 1

test_expect_success '-c boot.cat is the boot catalog (not -cache-inodes and a source): without -b a warning' '
	"$ISOMK" -c boot.cat -o c.iso src >out 2>err &&
	grep -q "^isomk: warning: -c boot.cat is ignored: there is no boot image" err &&
	! grep -q "cache-inodes" err && ! test -s out &&
	bsdtar -tf c.iso | grep -v "^\.$" >c.list &&
	echo A >c.want && test_cmp_ c.want c.list
'
test_expect_success '-partition_offset 16 takes its value, 16 is never a source' '
	"$ISOMK" -partition_offset 16 src >img.iso 2>err &&
	! test -s err && bsdtar -tf img.iso | grep -q "^A$" &&
	xorriso -indev img.iso -report_system_area plain 2>/dev/null |
		grep -q "^Partition offset   : 16$"
'
test_expect_success '-volset-size 1 makes the image on stdout, no file lset-size' '
	"$ISOMK" -volset-size 1 src >vs.iso &&
	! test -e lset-size && ! test -e vs.iso.lset-size &&
	"$GI_ISOINFO" -d -i vs.iso | grep -q "^Volume set size is: 1"
'
test_expect_status 2 '-volset-size 2 is refused (isomk makes one-volume sets)' '
	"$ISOMK" -volset-size 2 src >/dev/null
'
test_expect_success '-force-rr is ignored with a one-line warning, no file rce-rr' '
	"$ISOMK" -force-rr src >fr.iso 2>err &&
	! test -e rce-rr && test "$(wc -l <err)" -eq 1 &&
	grep -q "^isomk: warning: -force-rr is ignored" err &&
	bsdtar -tf fr.iso | grep -q -i "^\(\./\)\{0,1\}a"
'
test_expect_success '-hfs dir >x.iso exits 2 with stdout empty' '
	st=0; "$ISOMK" -hfs src >x.iso 2>err || st=$?
	test "$st" -eq 2 && ! test -s x.iso && grep -q "^isomk: -hfs: not supported" err
'
test_expect_success '-h is genisoimage -hfs: exit 2, stdout empty (help is --help)' '
	st=0; "$ISOMK" -h src >h.iso 2>err || st=$?
	test "$st" -eq 2 && ! test -s h.iso && grep -q -- "--help" err
'
test_expect_success '-dvd-video names itself (it said "unknown option isomk"); -file-mode works' '
	! "$ISOMK" -dvd-video src >o 2>err && grep -q "^isomk: -dvd-video: not supported" err &&
	! grep -q "unknown option" err &&
	"$ISOMK" -file-mode 0644 src >o 2>err && ! test -s err &&
	bsdtar -tvf o | grep -q "^-rw-r--r-- .* \(\./\)\{0,1\}a\$"
'
test_expect_success 'no abbreviations: -graft, -vol, -cache are unknown (exit 2)' '
	for o in -graft -vol -cache -rational -pri; do
		st=0; "$ISOMK" $o src >o 2>err || st=$?
		test "$st" -eq 2 && grep -q "^isomk: unknown option .$o." err && ! test -s o || exit 1
	done
'
test_expect_success '-rJ is -r -J; --graft-points and --volid=ID work' '
	"$ISOMK" -rJ --graft-points --volid=DASHES top/=src >rj.iso &&
	"$GI_ISOINFO" -d -i rj.iso >pvd &&
	grep -q "^Joliet with UCS level 3 found" pvd && grep -q "^Rock Ridge signatures" pvd &&
	grep -q "^Volume id: DASHES\$" pvd &&
	bsdtar -tf rj.iso | grep -q "^\(\./\)\{0,1\}top/a\$"
'
test_expect_success '--norock after -R is a declared conflict (exit 2)' '
	st=0; "$ISOMK" -R --norock src >o 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: --norock cannot be used with -R" err && ! test -s o
'
test_expect_success 'a missing value names the option (exit 2)' '
	st=0; "$ISOMK" src -V >o 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: option .-V. needs a value" err && ! test -s o
'

test_expect_success '-uid -gid -file-mode -dir-mode turn Rock Ridge on and agree with genisoimage' '
	mkdir -p m/d && echo x >m/d/f && chmod 600 m/d/f && chmod 700 m/d &&
	"$ISOMK" -uid 1234 -gid 5678 -file-mode 0640 -dir-mode 0750 m >m.iso &&
	genisoimage -quiet -uid 1234 -gid 5678 -file-mode 0640 -dir-mode 0750 -o mg.iso m &&
	xorriso -indev m.iso -find / -exec lsdl 2>/dev/null | cut -c1-40 >m.ls &&
	xorriso -indev mg.iso -find / -exec lsdl 2>/dev/null | cut -c1-40 >mg.ls &&
	grep -q "^-rw-r----- *1 1234 *5678 " m.ls &&
	grep -q "^drwxr-x--- *1 1234 *5678 " m.ls &&
	test_cmp_ mg.ls m.ls &&
	TZ=UTC bsdtar -tvf m.iso | grep -q "^-rw-r----- .* 1234 *5678 .* \(\./\)\{0,1\}d/f\$"
'
test_expect_success '-new-dir-mode is the mode of the directories graft points make' '
	"$ISOMK" -R -graft-points -new-dir-mode 0700 x/y/=m >nd.iso &&
	xorriso -indev nd.iso -find /x -maxdepth 0 -exec lsdl 2>/dev/null | grep -q "^drwx------ .* ./x.\$" &&
	"$ISOMK" -R -graft-points x/y/=m >nd.iso &&
	xorriso -indev nd.iso -find /x -maxdepth 0 -exec lsdl 2>/dev/null | grep -q "^drwxr-xr-x .* ./x.\$"
'
test_expect_success '-file-mode and -uid values are checked (exit 2)' '
	st=0; "$ISOMK" -file-mode 0689 src >o 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: -file-mode wants an octal mode" err &&
	st=0; "$ISOMK" -uid root src >o 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: -uid: .root. is not a number" err
'

# ---------------------------------------------------------------- id limits
rep() { printf "%${2}s" "" | tr " " "$1"; }

# limit_ok OPTION BYTES FIELD: BYTES accepted and read back by
# genisoimage's isoinfo as FIELD; BYTES+1 refused with exit 2
limit_ok() {
	v=$(rep X "$2")
	"$ISOMK" "$1" "$v" src >lim.iso || return 1
	"$GI_ISOINFO" -d -i lim.iso >pvd || return 1
	grep -q -x "$3: $v" pvd || { cat pvd; return 1; }
	st=0
	"$ISOMK" "$1" "${v}X" src >lim2.iso 2>err || st=$?
	test "$st" -eq 2 || { echo "exit $st"; return 1; }
	grep -q "^isomk: $1: too long: $(($2 + 1)) bytes, at most $2" err || { cat err; return 1; }
	! test -s lim2.iso
}
for l in "-V 32 Volume id" "-volid 32 Volume id" "-sysid 32 System id" \
	"-A 128 Application id" "-appid 128 Application id" \
	"-P 128 Publisher id" "-publisher 128 Publisher id" \
	"-p 128 Data preparer id" "-preparer 128 Data preparer id" \
	"-volset 128 Volume set id" "-abstract 37 Abstract File id" \
	"-biblio 37 Bibliographic File id" "-copyright 37 Copyright File id"; do
	# shellcheck disable=SC2086
	set -- $l
	o=$1 n=$2
	shift 2
	test_expect_success "$o: $n bytes read back, $((n + 1)) refused" "limit_ok $o $n '$*'"
done

test_expect_success '-V of 31 bytes and a 2-byte UTF-8 character (33 bytes) is refused, not cut' '
	st=0; "$ISOMK" -V "$(rep X 31)é" src >u.iso 2>err || st=$?
	test "$st" -eq 2 && ! test -s u.iso &&
	grep -q "^isomk: -V: too long: 33 bytes, at most 32" err
'
test_expect_success '-V of 30 bytes and a 2-byte UTF-8 character (32 bytes) is kept whole' '
	"$ISOMK" -V "$(rep X 30)é" src >u.iso &&
	"$GI_ISOINFO" -d -i u.iso >pvd &&
	dd if=u.iso bs=1 skip=$((16 * 2048 + 40)) count=32 2>/dev/null >volid &&
	printf "%s" "$(rep X 30)é" | cmp - volid
'

test_done
