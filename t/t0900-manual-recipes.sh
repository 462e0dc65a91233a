#!/bin/sh
# doc/cdpipe.7's RECIPES, run as the manual prints them, so that the
# manual cannot go stale: each recipe lies between the comment lines
# '.\" recipe: NAME' and '.\" end' of the roff source; it is rendered by
# groff (what a reader sees and copies), /dev/sr0 in it is replaced by an
# image file, and it runs with bash -e -o pipefail in a scratch directory,
# HOME a small tree, `date +%Y%m%d` a fixed day, and the project's tools
# first in PATH (a private bin directory of symlinks: Debian's isoinfo is
# genisoimage's). What each recipe made is read back by bsdtar, xorriso,
# genisoimage's isoinfo (/usr/bin/isoinfo) or libcdio's cd-info and
# cdrdao; what cdtape saved by GNU tar and sha256sum, from the bytes of
# the image file as cdtape(1) lays them out (dd, od, tail, head). A
# recipe this test has no check for fails, and so does one it expects
# and does not find, or a page with no recipes. Every man page must
# render without groff warnings and point to cdpipe(7).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need groff bsdtar xorriso cd-info cdrdao bash /usr/bin/isoinfo tar sha256sum od python3
PAGE="$top_srcdir/doc/cdpipe.7"
GENISOINFO=/usr/bin/isoinfo

# the tools by name, first in PATH; `date +%Y%m%d` says $FAKE_DATE
mkdir bin || exit 1
for t in isomk isoinfo msinfo cdwrite cdread cdtape; do
	ln -s "$top_builddir/tools/$t" "bin/$t" || exit 1
done
real_date=$(command -v date) || exit 1
cat >bin/date <<EOF || exit 1
#!/bin/sh
if [ "\$#" -eq 1 ] && [ "\$1" = +%Y%m%d ] && [ -n "\${FAKE_DATE:-}" ]; then
	echo "\$FAKE_DATE"
	exit 0
fi
exec $real_date "\$@"
EOF
chmod +x bin/date || exit 1
PATH="$TMP/bin:$PATH"
export PATH

# recipe_names: the recipes of the page, in its order
recipe_names() {
	sed -n 's/^\.\\" recipe: \([A-Za-z0-9_-]*\)$/\1/p' "$PAGE"
}

# render NAME: the recipe as man shows it (groff, the man macros, UTF-8),
# without the page's indent
render() {
	awk -v n="$1" '
	BEGIN { print ".TH R 7"; print ".SH R"; print ".nf"; print "@@BEGIN" }
	$0 == ".\\\" recipe: " n { on = 1; next }
	on && $0 == ".\\\" end" { on = 0; exit }
	on { print }
	END { print ".nf"; print "@@END" }' "$PAGE" |
		groff -man -Tutf8 -P-cbou |
		awk '/@@BEGIN/ { on = 1; ind = index($0, "@@") - 1; next }
		     /@@END/ { exit }
		     on { print substr($0, ind + 1) }'
}

# run_recipe NAME DIR [DATE]: render the recipe to DIR/NAME.sh with
# /dev/sr0 made DIR/disc.img (and the sed expression $RECIPE_SED, if set,
# applied), run it there (stdout DIR/NAME.out, stderr DIR/NAME.err); its
# exit status
run_recipe() {
	render "$1" >"$2/$1.txt" || return 1
	if LC_ALL=C grep -n '[^ -~]' "$2/$1.txt"; then
		echo "recipe $1: characters a reader cannot type (escape - as \\-, ' as \\(aq)"
		return 1
	fi
	grep -q '[^ ]' "$2/$1.txt" || {
		echo "recipe $1 renders empty"
		return 1
	}
	sed "s|/dev/sr0|${RECIPE_DISC:-$2/disc.img}|g" "$2/$1.txt" >"$2/$1.sh" || return 1
	if [ -n "${RECIPE_SED:-}" ]; then
		sed "$RECIPE_SED" "$2/$1.sh" >"$2/$1.sed" || return 1
		if cmp -s "$2/$1.sh" "$2/$1.sed"; then
			echo "recipe $1: $RECIPE_SED changes nothing"
			return 1
		fi
		mv "$2/$1.sed" "$2/$1.sh" || return 1
	fi
	(cd "$2" && HOME="$2/home" FAKE_DATE="${3:-20010704}" \
		bash -e -o pipefail "$2/$1.sh" >"$2/$1.out" 2>"$2/$1.err")
	st=$?
	if [ "$st" -ne 0 ]; then
		echo "recipe $1 exited $st:"
		cat "$2/$1.txt" "$2/$1.err"
	fi
	return "$st"
}

# make_home DIR: a home directory with what the recipes' options are about
make_home() {
	mkdir -p "$1/docs" "$1/photos/2001" "$1/.cache/thumbs" "$1/src" || return 1
	echo a >"$1/docs/a.txt" || return 1
	echo notes >"$1/docs/notes.txt" || return 1
	printf 'PS1=$ \n' >"$1/.profile" || return 1
	echo cached >"$1/.cache/thumbs/x.png" || return 1
	echo cached >"$1/docs/webcache.db" || return 1
	random_bytes 300000 p1.jpg >"$1/photos/2001/p1.jpg" || return 1
	random_bytes 5000 p2.jpg >"$1/photos/p2.jpg" || return 1
	echo 'int main(void) { return 0; }' >"$1/src/m.c" || return 1
	chmod 750 "$1/src" || return 1
	chmod 600 "$1/docs/notes.txt" || return 1
	ln -s docs/a.txt "$1/a-link" || return 1
	touch -d '2001-07-04 12:00:00' "$1/docs/a.txt" "$1/photos/p2.jpg" || return 1
	touch -d '2001-07-01 08:00:00' "$1/photos/2001" "$1/docs" || return 1
}

# the manifest of a home directory as a backup holds it: no cache files
want_of() {
	manifest "$1" | grep -v cache
}

# a WAVE header (44,100 Hz, 16-bit stereo) for $2 bytes of samples
le() { # le VALUE BYTES
	v=$1 i=0
	while [ "$i" -lt "$2" ]; do
		printf "\\$(printf %03o $((v & 255)))"
		v=$((v >> 8)) i=$((i + 1))
	done
}
wav() { # wav FILE SECONDS
	n=$((44100 * 4 * $2))
	{
		printf RIFF && le $((36 + n)) 4 && printf 'WAVEfmt ' &&
			le 16 4 && le 1 2 && le 2 2 && le 44100 4 && le 176400 4 &&
			le 4 2 && le 16 2 && printf data && le "$n" 4 &&
			random_bytes "$n" "${1##*/}"
	} >"$1"
}

# ---------------------------------------------------------------- checks
# Each check_NAME DIR sets up DIR, runs recipe NAME there and reads back
# what it made with programs that are not cdpipe's.

# a disc made by others: genisoimage's image of the photos, then the
# run-out blocks a disc has after the volume
make_disc() {
	genisoimage -quiet -R -J -V Photos -o "$1/photos.iso" "$1/home/photos" || return 1
	cp "$1/photos.iso" "$1/disc.img" || return 1
	random_bytes 6144 run-out >>"$1/disc.img" || return 1
}

check_backup() {
	make_home "$1/home" || return 1
	run_recipe backup "$1" 20010704 || return 1
	"$GENISOINFO" -d -i "$1/disc.img" >"$1/pvd" || return 1
	grep -q '^Volume id: Backup_Home$' "$1/pvd" || return 1
	mkdir "$1/x" && bsdtar -xpf "$1/disc.img" -C "$1/x" || return 1
	want_of "$1/home" >"$1/want" || return 1
	manifest "$1/x/home.20010704" >"$1/got" || return 1
	diff -u "$1/want" "$1/got" || return 1
	# Joliet, by genisoimage's isoinfo; -L kept .profile for ISO 9660 too
	"$GENISOINFO" -J -f -i "$1/disc.img" | sed "s/;1\$//" >"$1/joliet" || return 1
	grep -qx /home.20010704/docs/a.txt "$1/joliet" || return 1
	if grep cache "$1/joliet"; then return 1; fi
	xorriso -indev "$1/disc.img" -find / -name .profile 2>/dev/null >"$1/xo" || return 1
	grep -q "home.20010704/.profile'\$" "$1/xo" || return 1
	# the ISO 9660 names themselves: upper case with -L too, the dot
	# file there as xorriso -as mkisofs -L names it
	"$GENISOINFO" -f -i "$1/disc.img" >"$1/iso" || return 1
	grep -qx "/HOME.200/_PROFILE.;1" "$1/iso" || { cat "$1/iso"; return 1; }
	if grep -q "[a-z]" "$1/iso"; then cat "$1/iso"; return 1; fi
}

check_backup_next() {
	make_home "$1/home" || return 1
	run_recipe backup "$1" 20010704 || return 1
	want_of "$1/home" >"$1/want1" || return 1
	echo b >"$1/home/docs/b.txt" || return 1
	rm "$1/home/photos/p2.jpg" || return 1
	want_of "$1/home" >"$1/want2" || return 1
	run_recipe backup-next "$1" 20010710 || return 1
	mkdir "$1/x" && bsdtar -xpf "$1/disc.img" -C "$1/x" || return 1
	manifest "$1/x/home.20010704" >"$1/got1" || return 1
	diff -u "$1/want1" "$1/got1" || return 1
	manifest "$1/x/home.20010710" >"$1/got2" || return 1
	diff -u "$1/want2" "$1/got2" || return 1
	"$GENISOINFO" -J -f -i "$1/disc.img" | sed "s/;1\$//" >"$1/joliet" || return 1
	grep -qx /home.20010704/photos/p2.jpg "$1/joliet" || return 1
	grep -qx /home.20010710/docs/b.txt "$1/joliet" || return 1
	if grep -x /home.20010710/photos/p2.jpg "$1/joliet"; then return 1; fi
	xorriso -indev "$1/disc.img" -find / -type f 2>/dev/null >"$1/xo" || return 1
	grep -q "'/home.20010704/photos/p2.jpg'" "$1/xo" || return 1
	grep -q "'/home.20010710/docs/b.txt'" "$1/xo" || return 1
}

check_write_image() {
	make_home "$1/home" || return 1
	run_recipe write-image "$1" || return 1
	# the disc holds the image, read back by cmp and by bsdtar
	cmp -n "$(stat -c %s "$1/photos.iso")" "$1/photos.iso" "$1/disc.img" || return 1
	mkdir "$1/x" && bsdtar -xpf "$1/disc.img" -C "$1/x" || return 1
	manifest "$1/home/photos" >"$1/want" || return 1
	manifest "$1/x/photos" >"$1/got" || return 1
	diff -u "$1/want" "$1/got" || return 1
	"$GENISOINFO" -d -i "$1/disc.img" | grep -q '^Volume id: Photos$' || return 1
}

check_inspect() {
	make_home "$1/home" || return 1
	run_recipe backup "$1" 20010704 || return 1
	run_recipe inspect "$1" || return 1
	# the descriptors and the paths, as genisoimage's isoinfo reads them
	grep -q '^Volume id: Backup_Home$' "$1/inspect.out" || return 1
	"$GENISOINFO" -R -f -i "$1/disc.img" | grep '\.txt$' | sort >"$1/want" || return 1
	grep '\.txt$' "$1/inspect.out" | sort >"$1/got" || return 1
	test -s "$1/want" && diff -u "$1/want" "$1/got" || return 1
	grep -q ' a\.txt$' "$1/listing.txt" || return 1
	grep -q ' a-link -> docs/a\.txt$' "$1/listing.txt" || return 1
	cmp "$1/home/docs/a.txt" "$1/a.txt" || return 1
	# the restored directory is what bsdtar extracts, and the home it saved
	mkdir "$1/x" && bsdtar -xpf "$1/disc.img" -C "$1/x" || return 1
	check_same "$1/x/home.20010704" "$1/restore" || return 1
	want_of "$1/home" >"$1/want" || return 1
	manifest "$1/restore" >"$1/got" || return 1
	diff -u "$1/want" "$1/got" || return 1
}

check_verify() {
	make_home "$1/home" || return 1
	make_disc "$1" || return 1
	run_recipe verify "$1" || return 1
	grep -qx same "$1/verify.out" || return 1
	# a byte changed in the middle of the volume is found
	flip_byte "$1/disc.img" $(($(stat -c %s "$1/photos.iso") / 2)) || return 1
	if run_recipe verify "$1" >/dev/null; then
		echo "verify: a changed disc said to be the same"
		return 1
	fi
	if grep -qx same "$1/verify.out"; then return 1; fi
}

check_copy_disc() {
	make_home "$1/home" || return 1
	make_disc "$1" || return 1
	run_recipe copy-disc "$1" || return 1
	cmp "$1/photos.iso" "$1/copy.iso" || return 1
	grep -q '^Volume id: Photos$' "$1/copy-disc.out" || return 1
	# the checksum said is the image's (md5sum agrees)
	grep -qx "cdread: md5 of $(stat -c %s "$1/photos.iso") bytes: $(md5sum <"$1/photos.iso" | cut -d' ' -f1)" \
		"$1/copy-disc.err" || return 1
}

check_audio_image() {
	wav "$1/01-intro.wav" 5 && wav "$1/02-song.wav" 7 || return 1
	run_recipe audio-image "$1" || return 1
	# libcdio and cdrdao read two audio tracks of 375 and 525 sectors
	cd-info --no-device-info -q --cue-file "$1/album.cue" >"$1/ci" 2>&1 || return 1
	grep -Eq '^ +1: 00:02:00 +000000 audio' "$1/ci" || return 1
	grep -Eq '^ +2: 00:07:00 +000375 audio' "$1/ci" || return 1
	grep -Eq '^170: 00:14:00 +000900 leadout' "$1/ci" || return 1
	(cd "$1" && cdrdao show-toc album.cue) >"$1/toc" 2>&1 || return 1
	grep -q 'END.*00:12:00( *900)' "$1/toc" || return 1
	# the samples of both, in order, little-endian as WAVE has them
	{ tail -c +45 "$1/01-intro.wav" && tail -c +45 "$1/02-song.wav"; } >"$1/pcm" || return 1
	cmp "$1/pcm" "$1/album.bin" || return 1
}

check_copy_audio() {
	wav "$1/01.wav" 5 && wav "$1/02.wav" 4 || return 1
	mkdir "$1/cd" || return 1
	"$top_builddir/tools/cdwrite" -q -audio dev="$1/cd/disc.cue" "$1/01.wav" "$1/02.wav" || return 1
	RECIPE_DISC="$1/cd/disc.cue" run_recipe copy-audio "$1" || return 1
	# the same sectors, and a disc libcdio and cdrdao read as the same
	cmp "$1/cd/disc.bin" "$1/copy/album.bin" || return 1
	cd-info --no-device-info -q --cue-file "$1/copy/album.cue" >"$1/ci" 2>&1 || return 1
	grep -Eq '^ +2: 00:07:00 +000375 audio' "$1/ci" || return 1
	grep -Eq '^170: 00:11:00 +000675 leadout' "$1/ci" || return 1
	(cd "$1/copy" && cdrdao show-toc album.toc) >"$1/toc" 2>&1 || return 1
	grep -q 'END.*00:09:00( *675)' "$1/toc" || return 1
	grep -q '^track:lout lba: *675 ' "$1/copy-audio.out" || return 1
}

# the bytes of a cdtape volume, read as cdtape(1) lays them out: the
# header's 8-byte big-endian field at offset $2 of image $1
tape_field() {
	dd if="$1" bs=1 skip="$2" count=8 2>/dev/null | od -An -tu8 --endian=big | tr -d ' '
}
# tape_payload IMG: the payload of a volume, from its header's offset and
# length
tape_payload() {
	off=$(tape_field "$1" 48) && len=$(tape_field "$1" 56) || return 1
	test -n "$off" && test -n "$len" || return 1
	tail -c +$((off + 1)) "$1" | head -c "$len"
}
sha() { sha256sum | cut -d' ' -f1; }

check_tape() {
	make_home "$1/home" || return 1
	run_recipe tape "$1" || return 1
	# the disc holds the tar stream of the home, byte for byte: GNU tar
	# makes it again, and lists the bytes read without cdtape
	tar cf - -C "$1/home" . >"$1/want.tar" || return 1
	tape_payload "$1/disc.img" >"$1/got.tar" || return 1
	cmp "$1/want.tar" "$1/got.tar" || return 1
	test "$(dd if="$1/disc.img" bs=1 skip=80 count=32 2>/dev/null | od -An -tx1 | tr -d ' \n')" = \
		"$(sha <"$1/want.tar")" || return 1
	# restore | tar tvf - printed tar's own listing, then xvf the one file
	tar tvf "$1/want.tar" >"$1/want.list" || return 1
	grep -q ' \./docs/a\.txt$' "$1/want.list" || return 1
	n=$(wc -l <"$1/want.list") || return 1
	head -n "$n" "$1/tape.out" >"$1/got.list" || return 1
	diff -u "$1/want.list" "$1/got.list" || return 1
	tail -n +$((n + 1)) "$1/tape.out" >"$1/got.x" || return 1
	echo ./docs/a.txt | diff -u - "$1/got.x" || return 1
	cmp "$1/home/docs/a.txt" "$1/docs/a.txt" || return 1
	if [ -e "$1/photos" ] || [ -e "$1/docs/notes.txt" ]; then
		echo "tape: more than the one file was extracted"
		return 1
	fi
}

check_tape_verify() {
	make_home "$1/home" || return 1
	run_recipe tape "$1" || return 1
	tar cf - -C "$1/home" . >"$1/want.tar" || return 1
	run_recipe tape-verify "$1" || return 1
	# list says the length and SHA-256 that sha256sum and stat say
	grep -qx "payload: $(stat -c %s "$1/want.tar") bytes at byte 2048" "$1/tape-verify.out" || return 1
	grep -qx "sha256: $(sha <"$1/want.tar")" "$1/tape-verify.out" || return 1
	grep -q "sha256 matches" "$1/tape-verify.err" || return 1
	# a file changed since the save: tar --diff names it, the recipe fails
	cp -p "$1/home/docs/a.txt" "$1/a.keep" || return 1
	echo changed >"$1/home/docs/a.txt" || return 1
	if run_recipe tape-verify "$1" >/dev/null; then
		echo "tape-verify: a changed file went unnoticed"
		return 1
	fi
	grep -q '^\./docs/a\.txt: .* differs$' "$1/tape-verify.out" || return 1
	cp -p "$1/a.keep" "$1/home/docs/a.txt" || return 1
	run_recipe tape-verify "$1" || return 1
	# a byte changed on the disc, inside the saved bytes: verify, exit 4
	# (flipped, not set: the random photo may hold that very byte there)
	python3 - "$1/disc.img" $((2048 + 100000)) <<-\EOF || return 1
	import sys
	f = open(sys.argv[1], "r+b"); at = int(sys.argv[2]); f.seek(at); b = f.read(1)[0]
	f.seek(at); f.write(bytes([b ^ 0xff]))
	EOF
	if run_recipe tape-verify "$1" >/dev/null; then
		echo "tape-verify: a changed disc went unnoticed"
		return 1
	fi
	grep -q "do not match their SHA-256" "$1/tape-verify.err" || return 1
}

check_tape_volumes() {
	make_home "$1/home" || return 1
	# a CD's 650m is made 128k here, so that the small home (about 320 KB
	# of tar) takes the three volumes the recipe names
	RECIPE_SED='s/--capacity 650m /--capacity 128k /' run_recipe tape-volumes "$1" || return 1
	tar cf - -C "$1/home" . >"$1/want.tar" || return 1
	# three volumes of 128 KiB at most, numbered 1 to 3, one archive id,
	# whose payloads are the tar stream
	: >"$1/got.tar" || return 1
	for v in 1 2 3; do
		test "$(stat -c %s "$1/home$v.img")" -le 131072 || return 1
		tape_payload "$1/home$v.img" >>"$1/got.tar" || return 1
		dd if="$1/home$v.img" bs=1 skip=24 count=16 2>/dev/null | od -An -tx1 >>"$1/ids" || return 1
		dd if="$1/home$v.img" bs=1 skip=40 count=4 2>/dev/null | od -An -tu4 --endian=big | tr -d ' ' >>"$1/nums" || return 1
	done
	printf '1\n2\n3\n' | diff -u - "$1/nums" || return 1
	test "$(sort -u "$1/ids" | wc -l)" -eq 1 || return 1
	cmp "$1/want.tar" "$1/got.tar" || return 1
	# verify said so, restore | tar tvf - printed tar's own listing
	grep -q "sha256 matches" "$1/tape-volumes.err" || return 1
	tar tvf "$1/want.tar" >"$1/want.list" || return 1
	diff -u "$1/want.list" "$1/tape-volumes.out" || return 1
}

check_bootable() {
	mkdir -p "$1/cd/images" "$1/cd/docs" || return 1
	random_bytes 1474560 boot.img >"$1/cd/images/boot.img" || return 1
	echo "read me" >"$1/cd/docs/ReadMe.txt" || return 1
	run_recipe bootable "$1" || return 1
	# the descriptors and the catalog as genisoimage's isoinfo and
	# xorriso read them: floppy emulation of the file images/boot.img
	"$GENISOINFO" -d -i "$1/disc.img" >"$1/gd" || return 1
	grep -q '^Volume id: Linuxboot$' "$1/gd" || return 1
	grep -q 'Boot media 2 (1.44' "$1/gd" || return 1
	xorriso -indev "$1/disc.img" -report_el_torito plain >"$1/xo" 2>/dev/null || return 1
	grep -q '^El Torito boot img :   1  BIOS  y  fd1.4' "$1/xo" || return 1
	grep -q '^El Torito img path :   1  /images/boot.img$' "$1/xo" || return 1
	grep -q '^El Torito cat path : /boot.catalog$' "$1/xo" || return 1
	# the boot image is the file; the tables and Joliet names are there
	lba=$(sed -n 's/^El Torito boot img :   1  BIOS  y  fd1.4 .* \([0-9][0-9]*\)$/\1/p' "$1/xo")
	dd if="$1/disc.img" of="$1/boot.out" bs=2048 skip="$lba" count=720 2>/dev/null || return 1
	cmp "$1/boot.out" "$1/cd/images/boot.img" || return 1
	"$GENISOINFO" -R -i "$1/disc.img" -x /docs/TRANS.TBL | grep -q '^F READ.*	ReadMe.txt$' || return 1
	"$GENISOINFO" -J -f -i "$1/disc.img" | grep -q '^/docs/ReadMe.txt$' || return 1
	# what the recipe printed: isoinfo -d shows the boot catalog
	grep -q -i 'torito' "$1/bootable.out" || return 1
}

# ---------------------------------------------------------------- tests
expected='backup backup-next write-image inspect copy-disc verify audio-image copy-audio'
expected="$expected tape tape-verify tape-volumes bootable"
found=$(recipe_names)

test_expect_success 'the page has recipes, each with a check here' '
	test "$(command -v isoinfo)" = "$TMP/bin/isoinfo" &&
	test -n "$found" &&
	for n in $found; do
		case " $expected " in
		*" $n "*) ;;
		*) echo "recipe $n: no check in t0900: add one"; exit 1 ;;
		esac
	done
'

for n in $expected; do
	case " $(echo $found) " in
	*" $n "*) ;;
	*)
		test_expect_success "recipe $n is in cdpipe(7)" "
			echo 'no recipe $n in doc/cdpipe.7 (or remove its check here)'
			false
		"
		continue
		;;
	esac
	mkdir "$TMP/$n" || exit 1
	test_expect_success "recipe $n works as printed" "
		check_$(echo "$n" | tr - _) '$TMP/$n'
	"
done

test_expect_success 'every man page renders without groff warnings' '
	n=0 &&
	for f in "$top_srcdir"/doc/*.[1-8]; do
		groff -man -Tutf8 -ww -z "$f" 2>warn || exit 1
		if [ -s warn ]; then echo "$f:" && cat warn && exit 1; fi
		n=$((n + 1))
	done &&
	test "$n" -ge 5
'

test_expect_success 'every man page points to cdpipe(7) and says the common exit status' '
	for f in "$top_srcdir"/doc/*.1; do
		grep -q "^\.BR cdpipe (7)" "$f" || { echo "$f: no cdpipe(7)"; exit 1; }
		grep -q "the same in every cdpipe program" "$f" || { echo "$f: exit status"; exit 1; }
	done
'

test_done
