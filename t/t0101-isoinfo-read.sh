#!/bin/sh
# isoinfo: -f, -l, -x and --extract-dir on images made by isomk,
# genisoimage and xorriso -as mkisofs, compared with bsdtar, xorriso and
# the source tree.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso genisoimage isoinfo 7z python3 iconv isosize script
ISOINFO="$top_builddir/tools/isoinfo"

make_tree src
"$ISOMK" -quiet -R -J -joliet-long -o isomk.iso src || bail_out "isomk failed"
genisoimage -quiet -R -J -joliet-long -o geniso.iso src 2>/dev/null || bail_out "genisoimage failed"
xorriso -as mkisofs -quiet -R -J -joliet-long -o xorriso.iso src 2>/dev/null || bail_out "xorriso failed"

# bsdtar's view: paths, one a line, like isoinfo -f (no ".", no "./")
bsd_paths() {
	TZ=UTC bsdtar -tf "$1" | sed 's|^\./||; s|/$||' | grep -v '^\.\?$' | sed 's|^|/|' | sort
}

for img in isomk geniso xorriso; do
	test_expect_success "$img: -f lists what bsdtar lists" '
		"$ISOINFO" -f -i $img.iso >f.$img.raw && sort f.$img.raw >f.$img &&
		bsd_paths $img.iso >b.$img && diff b.$img f.$img
	'
	test_expect_success "$img: -f lists what xorriso lists" '
		xorriso -indev $img.iso -find / 2>/dev/null | sed "s/^.//; s/.$//" |
			grep -v "^/$" | grep -v "^/rr_moved" | sort >x.$img &&
		diff x.$img f.$img
	'
	test_expect_success "$img: --extract-dir gives back the source tree" '
		"$ISOINFO" -i $img.iso --extract-dir out.$img && check_same src out.$img
	'
	test_expect_success "$img: --extract-dir agrees with bsdtar -xpf" '
		extract_bsdtar $img.iso bsd.$img && check_same bsd.$img out.$img
	'
	test_expect_success "$img: -x gives every file byte for byte" '
		(cd src && find . -type f) | sed "s|^\.||" >files && test -s files &&
		while read -r p; do
			"$ISOINFO" -i $img.iso -x "$p" >x.out </dev/null && cmp x.out "src$p" ||
				{ echo "-x $p"; exit 1; }
		done <files
	'
done

test_expect_success '-l shows modes, links, owners, sizes and link targets as bsdtar -tv does' '
	"$ISOINFO" -l -i isomk.iso >l &&
	grep -q "^-rw-r--r--   2 0        0                   6 2001-07-04 12:34 file.txt$" l &&
	grep -q "^-rwxr-x---   1 0  *0  *5 .* script.sh$" l &&
	grep -q "^lrwxrwxrwx .* rel-link -> \.\./file\.txt$" l &&
	grep -q "^prw-r--r-- .* fifo$" l && grep -q "^drwx------ .* empty-dir$" l &&
	TZ=UTC bsdtar -tvf isomk.iso | grep -q "^-rwxr-x---  1 0      0           5 .*script.sh$"
'
test_expect_success '-l groups by directory like ls -lR' '
	grep -qx "/:" l && grep -qx "/sub:" l && grep -qx "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10:" l
'
test_expect_success 'a relocated deep directory is shown at its real place, without rr_moved' '
	grep -qx "/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt" f.isomk &&
	! grep -qi rr_moved f.isomk && ! grep -qi rr_moved f.geniso &&
	"$ISOINFO" -x /l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt -i geniso.iso >deep && grep -qx deep deep
'
test_expect_success '-I shows the plain ISO 9660 names, with the relocation directory' '
	"$ISOINFO" -I -f -i isomk.iso >iso && grep -qx /SUB/NUMBERS iso && grep -qix /RR_MOVED iso
'
test_expect_success '-J shows the Joliet names (what 7z shows)' '
	"$ISOINFO" -J -f -i isomk.iso >j && grep -qx "/sub/Grüße aus Köln – ünïcödé ✓.txt" j &&
	7z l -slt isomk.iso 2>/dev/null | sed -n "/^----------/,\$ s/^Path = //p" | sed "s|^|/|" | sort >7z.list &&
	sort j | diff 7z.list -
'
test_expect_success '-j converts Joliet names to another charset' '
	"$ISOINFO" -J -j ISO-8859-1 -f -i isomk.iso >latin1 &&
	grep -a "Gr" latin1 | iconv -f ISO-8859-1 -t UTF-8 | grep -q "^/sub/Grüße aus Köln"
'
test_expect_success '-x takes paths with ;1 versions too, and ISO names with -I' '
	"$ISOINFO" -I -x "/SUB/NUMBERS.;1" -i isomk.iso >n && cmp n src/sub/numbers
'
test_expect_success '-x of a missing path or a directory: message, exit 1' '
	st=0; "$ISOINFO" -x /nope -i isomk.iso >out 2>err || st=$?
	test $st -eq 1 && grep -q "/nope: not in the image" err || exit 1
	st=0; "$ISOINFO" -x /sub -i isomk.iso >out 2>err || st=$?
	test $st -eq 1 && grep -q "not a regular file" err
'
test_expect_success '--extract-dir PATH extracts a subtree' '
	"$ISOINFO" -i isomk.iso --extract-dir part /sub &&
	test -f part/numbers && ! test -e part/file.txt && cmp part/numbers src/sub/numbers
'
test_expect_success '--extract-dir keeps hard links as hard links' '
	test "$(stat -c %i out.isomk/file.txt)" = "$(stat -c %i out.isomk/sub/hardlink)"
'
test_expect_success '--json: one JSON object per line, with the documented fields' '
	"$ISOINFO" -l --json -i isomk.iso >j.l && "$ISOINFO" -f --json -i isomk.iso >j.f &&
	"$ISOINFO" -d --json -i isomk.iso >j.d &&
	python3 - <<-PY
	import json
	l = [json.loads(x) for x in open("j.l")]
	f = [json.loads(x) for x in open("j.f")]
	d = json.load(open("j.d"))
	assert len(l) == len(f) > 20
	e = {x["path"]: x for x in l}
	assert e["/file.txt"]["nlink"] == 2 and e["/file.txt"]["size"] == 6
	assert e["/file.txt"]["mtime"] == "2001-07-04T12:34:56Z"
	assert e["/sub/rel-link"]["target"] == "../file.txt"
	assert e["/sub/script.sh"]["mode"] == "0750"
	assert e["/sub/fifo"]["type"] == "fifo"
	assert set(f[0]) == {"path", "type"}
	assert d["volume_size"] * 2048 == d["bytes"] and d["rock_ridge_version"] == 1
	assert d["joliet_level"] == 3 and d["el_torito"] is None
	PY
'
test_expect_success '--size prints the byte size; --size -x as isosize -x' '
	size=$("$ISOINFO" --size -i isomk.iso)
	sizex=$("$ISOINFO" --size -x -i isomk.iso)
	test "$size" = "$(stat -c %s isomk.iso)" && test "$sizex" = "$(isosize -x isomk.iso)"
'
test_expect_success '--size and -d read a pipe' '
	cat isomk.iso | "$ISOINFO" --size -i - >s && test "$(cat s)" = "$(stat -c %s isomk.iso)" &&
	cat isomk.iso | "$ISOINFO" -d -i - >d.pipe && "$ISOINFO" -d -i isomk.iso >d.file &&
	diff d.file d.pipe
'
test_expect_status 2 '-l on a pipe is a usage error' 'cat isomk.iso | "$ISOINFO" -l -i -'
test_expect_success '-N: an image made for block 1000 read from a file' '
	"$ISOMK" -quiet -R -C 0,1000 -o at1000.iso src 2>/dev/null &&
	"$ISOINFO" -N 1000 -T 1000 -f -i at1000.iso >f && grep -qx /sub/numbers f &&
	"$ISOINFO" -N 1000 -T 1000 -x /sub/numbers -i at1000.iso >n && cmp n src/sub/numbers
'
test_expect_success '-T: the first and the second session of an appended image' '
	mkdir -p s2 && echo two >s2/two.txt &&
	"$ISOMK" -quiet -R -o ms.iso -graft-points one/=src/sub &&
	next=$(( ($(stat -c %s ms.iso) / 2048 + 15) / 16 * 16 )) &&
	"$ISOMK" -quiet -R -C 0,$next -M ms.iso -graft-points two/=s2 >s2.iso &&
	dd if=s2.iso of=ms.iso bs=2048 seek=$next conv=notrunc 2>/dev/null &&
	"$ISOINFO" -f -i ms.iso >t0 && ! grep -q /two t0 &&
	"$ISOINFO" -T $next -f -i ms.iso >t1 && grep -qx /two/two.txt t1 && grep -qx /one/numbers t1 &&
	"$ISOINFO" -T $next -x /one/numbers -i ms.iso >n && cmp n src/sub/numbers
'
test_expect_success 'isoinfo -x to a terminal is refused (exit 2)' '
	st=0; script -qec "\"$ISOINFO\" -x /file.txt -i isomk.iso" /dev/null >out 2>&1 || st=$?
	test $st -eq 2 && grep -q "refusing to write file contents to a terminal" out
'
test_expect_success 'a closed pipe ends isoinfo -x quietly' '
	{ "$ISOINFO" -x /sub/numbers -i isomk.iso 2>err; echo $? >st; } | head -c 10 >/dev/null &&
	test "$(cat st)" -eq 141 && ! test -s err
'
test_done
