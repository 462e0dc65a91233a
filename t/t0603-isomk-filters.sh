#!/bin/sh
# isomk: the options distribution command lines carry beside the boot ones
# (issue 12). -sort places file data by weight as genisoimage does (source
# paths and globs) and --sort-weight* as xorriso does (image paths); -z
# gives mkzftree's files their ZF entries and --zisofs compresses, and
# every reader gets the original bytes back (never the fast writer's
# tokens, which libisofs would have compressed had the stream not been
# marked real); -hfsplus adds an Apple partition map and an HFS+ tree that
# 7z reads; --modification-date and -volume_date set the volume's dates,
# over SOURCE_DATE_EPOCH's. Guards against the rows that ignored -sort and
# refused the rest, and against each being misread.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need genisoimage mkzftree xorriso osirrox bsdtar 7z python3
ISOINFO="$top_builddir/tools/isoinfo"
# genisoimage's isoinfo, by path: ours is tools/isoinfo
GI_ISOINFO=/usr/bin/isoinfo
[ -x "$GI_ISOINFO" ] || bail_out "genisoimage's isoinfo is not at $GI_ISOINFO (./bootstrap installs genisoimage)"
test_cmp_() { diff -u "$1" "$2"; }

# order ISO: the regular files by the block their data starts at, as
# xorriso reports it; order_gi ISO: the same from genisoimage's isoinfo
order() {
	xorriso -indev "$1" -find / -type f -exec report_lba 2>/dev/null |
		awk -F' *, *' '/^File data lba:/ { print $2 "\t" $5 }' |
		sort -n | cut -f2 | sed "s/^'//; s/'\$//"
}
order_gi() {
	"$GI_ISOINFO" -R -l -i "$1" | awk '
		/^Directory listing of / { dir = $4; next }
		/^-/ { n = split($0, w, "]"); name = w[n]; sub(/^ +/, "", name)
			sub(/ +$/, "", name); lba = $0; sub(/.*\[ */, "", lba)
			sub(/ .*/, "", lba); print lba, dir name }' |
		sort -n | awk '{ print $2 }' | sed 's|^//*|/|'
}

mkdir -p src/sub src/deep/er || exit 1
for f in a b c; do random_bytes 5000 "src/$f" >src/$f || exit 1; done
random_bytes 3000 src/sub/d >src/sub/d || exit 1
random_bytes 3000 src/deep/er/e >src/deep/er/e || exit 1

# ---------------------------------------------------------------- -sort
test_expect_success 'without weights: the order is the tree order (control)' '
	"$ISOMK" -R -o plain.iso src &&
	order plain.iso >plain.order &&
	printf "/a\n/b\n/c\n/deep/er/e\n/sub/d\n" >want &&
	test_cmp_ want plain.order
'
test_expect_success '-sort: heavier files first; a directory weighs what is below it; as genisoimage' '
	printf "src/c 100\nsrc/sub 50\nsrc/deep/er/e -5\n" >w1 &&
	"$ISOMK" -R -sort w1 -o s1.iso src &&
	genisoimage -quiet -R -sort w1 -o g1.iso src &&
	order s1.iso >s1.order &&
	printf "/c\n/sub/d\n/a\n/b\n/deep/er/e\n" >want &&
	test_cmp_ want s1.order &&
	order_gi s1.iso >s1.gi && test_cmp_ want s1.gi &&
	order g1.iso >g1.order && test_cmp_ want g1.order
'
# src/deep/er/e weighs 1 from src/deep ("*e" does not cross a slash), a
# 3 (the last line that matches it), b 4, c 2, sub/d 5
test_expect_success '-sort: globs on the source path (FNM_PATHNAME), the last matching line wins, as genisoimage' '
	printf "src/* 1\nsrc/a 9\nsrc/[a] 3\n*/c 2\nsrc/sub/* 5\nsrc/b 4\n*e 50\n" >w2 &&
	"$ISOMK" -R -sort w2 -o s2.iso src &&
	genisoimage -quiet -R -sort w2 -o g2.iso src &&
	order s2.iso >s2.order && order g2.iso >g2.order &&
	printf "/sub/d\n/b\n/a\n/c\n/deep/er/e\n" >want &&
	test_cmp_ want s2.order && test_cmp_ g2.order s2.order
'
test_expect_success '-sort: a path with a blank in it, the weight after the last one' '
	mkdir -p sp && cp src/a "sp/x y" && cp src/b sp/a &&
	printf "sp/x y 10\n" >w3 &&
	"$ISOMK" -R -sort w3 -o s3.iso sp &&
	order s3.iso >s3.order &&
	printf "/x y\n/a\n" >want && test_cmp_ want s3.order
'
test_expect_success '-sort: a line without a weight is refused (exit 2), no image' '
	printf "src/a\n" >bad &&
	st=0; "$ISOMK" -R -sort bad -o bad.iso src 2>err || st=$?
	test "$st" -eq 2 && ! test -e bad.iso &&
	grep -q "^isomk: sort file .bad. line 1: want .PATH WEIGHT." err
'
test_expect_success '-sort: a weight that is not a number is refused (genisoimage takes it for 0)' '
	printf "src/a heavy\n" >bad2 &&
	st=0; "$ISOMK" -R -sort bad2 -o bad.iso src 2>err || st=$?
	test "$st" -eq 2 && ! test -e bad.iso
'

# ------------------------------------------------------ --sort-weight*
test_expect_success '--sort-weight and --sort-weight-list: image paths, as xorriso -as mkisofs' '
	printf "20 /c\n30 sub\n" >wl &&
	"$ISOMK" -R --sort-weight 15 /a --sort-weight-list wl --sort-weight 10 /c -o w.iso src &&
	xorriso -as mkisofs -R --sort-weight 15 /a --sort-weight-list wl --sort-weight 10 /c -o xw.iso src >/dev/null 2>&1 &&
	order w.iso >w.order && order xw.iso >xw.order &&
	printf "/sub/d\n/a\n/c\n/b\n/deep/er/e\n" >want &&
	test_cmp_ want w.order && test_cmp_ xw.order w.order
'
test_expect_success '--sort-weight-patterns: globs on image paths; only the last list counts, as xorriso' '
	printf "40 /nothing-else\n" >wl0 &&
	printf "10 /[bc]\n20 /d*/*\n" >wp &&
	"$ISOMK" -R --sort-weight-list wl0 --sort-weight-patterns wp -o p.iso src &&
	xorriso -as mkisofs -R --sort-weight-list wl0 --sort-weight-patterns wp -o xp.iso src >/dev/null 2>&1 &&
	order p.iso >p.order && order xp.iso >xp.order &&
	printf "/deep/er/e\n/b\n/c\n/a\n/sub/d\n" >want &&
	test_cmp_ want p.order && test_cmp_ xp.order p.order
'
test_expect_success '--sort-weight of a path that is not in the image: exit 2, said so, no image left' '
	st=0; "$ISOMK" -R --sort-weight 10 /nope -o nope.iso src 2>err || st=$?
	test "$st" -eq 2 && ! test -e nope.iso &&
	grep -q "^isomk: --sort-weight /nope: the image has no such file" err
'
test_expect_success '--sort-weight-patterns that match nothing: exit 2' '
	printf "10 /zz*\n" >wz &&
	st=0; "$ISOMK" -R --sort-weight-patterns wz src >nope.iso 2>err || st=$?
	test "$st" -eq 2 && grep -q "matches no file" err
'

# ------------------------------------------------------------- zisofs
mkdir -p ztree/sub || exit 1
seq 1 200000 >ztree/numbers || exit 1
head -c 300000 /dev/zero >ztree/sub/zeros || exit 1
random_bytes 70000 ztree/random.bin >ztree/random.bin || exit 1
echo small >ztree/sub/small || exit 1
: >ztree/empty || exit 1
mkzftree ztree zpre || exit 1

test_expect_success 'mkzftree made zisofs files (control: the magic, a smaller size)' '
	od -An -tx1 -N8 zpre/numbers >magic &&
	grep -q "37 e4 53 96 c9 db d6 07" magic &&
	test "$(stat -c %s zpre/numbers)" -lt "$(stat -c %s ztree/numbers)"
'
test_expect_success 'without -z a zisofs file is stored as it is (control: readers see the compressed bytes)' '
	"$ISOMK" -R -o noz.iso zpre &&
	"$ISOINFO" -x /numbers -i noz.iso >out &&
	cmp out zpre/numbers
'
test_expect_success '-z: ZF entries; isoinfo, bsdtar and osirrox give the originals' '
	"$ISOMK" -z -o z.iso zpre &&
	"$ISOINFO" -i z.iso --extract-dir z.own && check_same ztree z.own &&
	extract_bsdtar z.iso z.bsdtar && check_same ztree z.bsdtar &&
	osirrox -indev z.iso -extract /numbers z.numbers >/dev/null 2>&1 &&
	cmp z.numbers ztree/numbers
'
test_expect_success '-z turns on Rock Ridge (ZF lives there); -norock beside it is refused' '
	"$GI_ISOINFO" -d -i z.iso >d &&
	grep -q "Rock Ridge signatures" d &&
	st=0; "$ISOMK" -norock -z zpre >/dev/null 2>err || st=$?
	test "$st" -eq 2
'
test_expect_success '-z as genisoimage -z: the same files come out of both' '
	genisoimage -quiet -R -z -o gz.iso zpre &&
	extract_bsdtar gz.iso gz.bsdtar && check_same z.bsdtar gz.bsdtar
'
test_expect_success '-z: the magic without a valid header is stored as it is, with a warning' '
	mkdir -p fake && cp zpre/numbers fake/bad &&
	printf "\377\377\377\377" | dd of=fake/bad bs=1 seek=8 conv=notrunc 2>/dev/null &&
	"$ISOMK" -z -o fake.iso fake 2>err &&
	grep -q "fake/bad: has the zisofs magic number but no valid header" err &&
	"$ISOINFO" -x /bad -i fake.iso >out && cmp out fake/bad
'
test_expect_success '--zisofs: files compressed (genisoimage isoinfo and 7z see the smaller data)' '
	"$ISOMK" --zisofs -o c.iso ztree &&
	"$GI_ISOINFO" -R -l -i c.iso >gl &&
	grep " numbers *$" gl >gn &&
	! grep -q " $(stat -c %s ztree/numbers) " gn &&
	7z x -y -oc.7z c.iso numbers >/dev/null &&
	od -An -tx1 -N8 c.7z/numbers >magic &&
	grep -q "37 e4 53 96 c9 db d6 07" magic
'
test_expect_success '--zisofs: isoinfo, bsdtar and osirrox give the original bytes of every file (not tokens)' '
	"$ISOINFO" -i c.iso --extract-dir c.own && check_same ztree c.own &&
	extract_bsdtar c.iso c.bsdtar && check_same ztree c.bsdtar &&
	extract_osirrox c.iso c.osirrox &&
	for f in numbers sub/zeros random.bin sub/small empty; do
		cmp c.osirrox/$f ztree/$f || exit 1
	done
'
test_expect_success '--zisofs to a pipe (the splice path) and with -md5 (no fast mode): the same bytes' '
	"$ISOMK" --zisofs ztree | cat >cp.iso &&
	"$ISOINFO" -i cp.iso --extract-dir cp.own && check_same ztree cp.own &&
	"$ISOMK" --zisofs -md5 -o cm.iso ztree &&
	"$ISOINFO" -i cm.iso --extract-dir cm.own && check_same ztree cm.own
'
test_expect_success '--zisofs: incompressible data stays as it is (as xorriso: only when it saves blocks)' '
	"$GI_ISOINFO" -R -l -i c.iso >gl &&
	grep " random.bin *$" gl >gr &&
	grep -q " $(stat -c %s ztree/random.bin) " gr
'
test_expect_success '--zisofs: the compressed bytes of every file are those xorriso -set_filter_r --zisofs writes' '
	xorriso -outdev xb.iso -map ztree / -set_filter_r --zisofs / -- -commit >/dev/null 2>&1 &&
	"$ISOMK" -R --zisofs -o ob.iso ztree &&
	python3 - ob.iso xb.iso <<-\EOF
	import struct, subprocess, sys
	def files(img):
	    out = subprocess.run(["xorriso", "-indev", img, "-find", "/", "-type", "f",
	                          "-exec", "report_lba", "--"], capture_output=True, text=True).stdout
	    r = {}
	    for l in out.splitlines():
	        if l.startswith("File data"):
	            p = [x.strip() for x in l.split(":", 1)[1].split(",")]
	            r[p[4].strip("\x27")] = int(p[1])
	    return r
	def data(img, lba):
	    f = open(img, "rb"); f.seek(lba * 2048); h = f.read(16)
	    if h[:8] != bytes.fromhex("37e45396c9dbd607"):
	        return None
	    size = struct.unpack("<I", h[8:12])[0]
	    n = size // 32768 + (1 if size % 32768 else 0)
	    ptr = struct.unpack("<%dI" % (n + 1), f.read(4 * (n + 1)))
	    f.seek(lba * 2048); return f.read(ptr[-1])
	ours, theirs = files(sys.argv[1]), files(sys.argv[2])
	assert sorted(ours) == sorted(theirs), (sorted(ours), sorted(theirs))
	compressed = 0
	for k in ours:
	    a, b = data(sys.argv[1], ours[k]), data(sys.argv[2], theirs[k])
	    assert a == b, k
	    compressed += a is not None
	assert compressed >= 2, compressed
	EOF
'
test_expect_success '--zisofs: as xorriso -set_filter_r --zisofs, the same data blocks' '
	xorriso -outdev xc.iso -map ztree / -set_filter_r --zisofs / -- -commit >/dev/null 2>&1 &&
	"$ISOINFO" -x /numbers -i xc.iso >xn && cmp xn ztree/numbers &&
	xorriso -indev c.iso -find / -type f -exec report_lba 2>/dev/null | awk -F" *, *" "/^File data/ { print \$3, \$5 }" | sort -k2 >ours &&
	xorriso -indev xc.iso -find / -type f -exec report_lba 2>/dev/null | awk -F" *, *" "/^File data/ { print \$3, \$5 }" | sort -k2 >theirs &&
	test_cmp_ theirs ours
'

# -------------------------------------------------------------- HFS+
mkdir -p htree/boot htree/System htree/docs || exit 1
echo loader >htree/boot/loader.efi || exit 1
echo kernel >htree/System/mach_kernel || exit 1
echo readme >htree/docs/README || exit 1
echo secret >htree/docs/hidden.txt || exit 1

# hfs_part ISO OUT: the HFS+ partition of the APM (to the image's end)
hfs_part() {
	xorriso -indev "$1" -report_system_area plain 2>/dev/null >"$1.sa"
	bs=$(awk -F: '/^APM block size/ { gsub(/ /, "", $2); print $2 }' "$1.sa")
	n=$(awk '/^APM partition type/ && $NF == "Apple_HFS" { print $(NF-1) }' "$1.sa")
	start=$(awk -v n="$n" '/^APM start and size/ && $(NF-2) == n { print $(NF-1) }' "$1.sa")
	[ -n "$bs" ] && [ -n "$start" ] || return 1
	dd if="$1" of="$2" bs="$bs" skip="$start" 2>/dev/null
}

test_expect_success '-hfsplus: an Apple partition map and an HFS+ volume header' '
	"$ISOMK" -R -hfsplus -hfsplus-file-creator-type ABCD EFGH /docs/README \
		-hfs-bless htree/System -hfs-bless-by i /boot/loader.efi \
		-hide-hfsplus hidden.txt -o h.iso htree &&
	od -An -c -N2 h.iso >sig && grep -q "E   R" sig &&
	od -An -c -j512 -N2 h.iso >pm && grep -q "P   M" pm &&
	hfs_part h.iso h.hfs &&
	od -An -c -j1024 -N2 h.hfs >hp && grep -q "H   +" hp &&
	grep -q "Apple_HFS" h.iso.sa
'
test_expect_success '-hfsplus: 7z reads the HFS+ tree: the files but the hidden one, their bytes' '
	7z x -y -thfs -oh.7z h.hfs >/dev/null 2>&1 || :
	test -d h.7z/CDROM &&
	cmp h.7z/CDROM/docs/README htree/docs/README &&
	cmp h.7z/CDROM/System/mach_kernel htree/System/mach_kernel &&
	cmp h.7z/CDROM/boot/loader.efi htree/boot/loader.efi &&
	! test -e h.7z/CDROM/docs/hidden.txt &&
	extract_bsdtar h.iso h.bsdtar && check_same htree h.bsdtar
'
test_expect_success '-hfsplus: creator and type in the catalog, the blessings in the volume header' '
	grep -c "EFGHABCD" h.hfs >n && test "$(cat n)" -ge 1 &&
	od -An -tu4 --endian=big -j $((1024 + 80)) -N8 h.hfs >fi &&
	set -- $(cat fi) && test "$1" -gt 1 && test "$2" -gt 1 && test "$1" != "$2"
'
test_expect_success '-hfsplus without the options: no blessing, no codes (control)' '
	"$ISOMK" -R -hfsplus -o h0.iso htree && hfs_part h0.iso h0.hfs &&
	od -An -tu4 --endian=big -j $((1024 + 80)) -N8 h0.hfs >fi &&
	set -- $(cat fi) && test "$1" -eq 0 && test "$2" -eq 0 &&
	! grep -q "EFGHABCD" h0.hfs
'
test_expect_success '-apm-block-size 2048 and -hfsplus-block-size 2048 are taken' '
	"$ISOMK" -R -hfsplus -apm-block-size 2048 -hfsplus-block-size 2048 -o h2.iso htree &&
	hfs_part h2.iso h2.hfs && grep -q "^APM block size *: *2048" h2.iso.sa &&
	od -An -tu4 --endian=big -j $((1024 + 40)) -N4 h2.hfs >bsz && test "$(cat bsz)" -eq 2048
'
test_expect_success '-hfsplus-serial-no: the serial in the volume header' '
	"$ISOMK" -R -hfsplus -hfsplus-serial-no 0123456789abcdef -o hs.iso htree &&
	hfs_part hs.iso hs.hfs &&
	od -An -tx1 -j $((1024 + 80 + 24)) -N8 hs.hfs | tr -d " \n" >ser &&
	test "$(cat ser)" = 0123456789abcdef
'
test_expect_success 'HFS+ options refused by name with a reason: bad blessing, bad codes, bad sizes, missing paths' '
	st=0; "$ISOMK" -hfs-bless-by q /boot htree >/dev/null 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: -hfs-bless-by q: the blessing is" err &&
	st=0; "$ISOMK" -hfsplus-file-creator-type AB EFGH /docs/README htree >/dev/null 2>err || st=$?
	test "$st" -eq 2 &&
	st=0; "$ISOMK" -hfsplus-block-size 1024 htree >/dev/null 2>err || st=$?
	test "$st" -eq 2 &&
	st=0; "$ISOMK" -hfs-bless-by p /nope htree >/dev/null 2>err || st=$?
	test "$st" -eq 2 && grep -q "/nope: the image has no such file" err &&
	st=0; "$ISOMK" -hfs-bless-by i /boot htree >/dev/null 2>err || st=$?
	test "$st" -eq 2 && grep -q "must be a data file" err &&
	st=0; "$ISOMK" -hfs htree >/dev/null 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: -hfs: not supported: .*HFS+ only" err
'

# ------------------------------------------------------------- dates
pvd_date() { # ISO OFFSET: the 16 digits and the zone byte of a PVD date
	od -An -c -j $((16 * 2048 + $2)) -N16 "$1" | tr -d " \n"
	od -An -tu1 -j $((16 * 2048 + $2 + 16)) -N1 "$1" | tr -d " \n"
}
test_expect_success '--modification-date: creation and modification dates literally (GMT)' '
	"$ISOMK" -R --modification-date=2020010203040506 -o d1.iso src &&
	test "$(pvd_date d1.iso 813)" = 20200102030405060 &&
	test "$(pvd_date d1.iso 830)" = 20200102030405060 &&
	xorriso -indev d1.iso -pvd_info 2>/dev/null >pvd &&
	grep -q "^Creation Time: 2020010203040506" pvd &&
	grep -q "^Modif. Time  : 2020010203040506" pvd &&
	"$ISOINFO" -d --json -i d1.iso >j &&
	grep -q "\"created\":\"2020010203040506\"" j
'
test_expect_success '-volume_date x and f (ECMA-119 times and =seconds) and c (xorriso dotted)' '
	"$ISOMK" -R -volume_date x 2030010112000000 -volume_date f =1000000000 \
		-volume_date c 2021.02.03.040506 -o d2.iso src &&
	test "$(pvd_date d2.iso 847)" = 20300101120000000 &&
	test "$(pvd_date d2.iso 864)" = 20010909014640000 &&
	test "$(pvd_date d2.iso 813)" = 20210203040506000 &&
	xorriso -indev d2.iso -pvd_info 2>/dev/null >pvd &&
	grep -q "^Expir. Time  : 2030010112000000" pvd &&
	grep -q "^Eff. Time    : 2001090901464000" pvd
'
test_expect_success 'SOURCE_DATE_EPOCH alone still sets the dates; a given date wins over it' '
	SOURCE_DATE_EPOCH=1600000000 "$ISOMK" -R -o e1.iso src &&
	test "$(pvd_date e1.iso 813)" = 20200913122640000 &&
	SOURCE_DATE_EPOCH=1600000000 "$ISOMK" -R --modification-date=2011121314151600 -o e2.iso src &&
	test "$(pvd_date e2.iso 813)" = 20111213141516000 &&
	test "$(pvd_date e2.iso 830)" = 20111213141516000 &&
	SOURCE_DATE_EPOCH=1600000000 "$ISOMK" -R -volume_date m =1000000000 -o e3.iso src &&
	test "$(pvd_date e3.iso 830)" = 20010909014640000 &&
	test "$(pvd_date e3.iso 813)" = 20200913122640000
'
test_expect_success '-volume_date all_file_dates and --set_all_file_dates: every file and directory' '
	"$ISOMK" -R -volume_date all_file_dates =1000000000 -o d3.iso src &&
	TZ=UTC bsdtar -tvf d3.iso >tv &&
	! grep -v "Sep  9  2001" tv &&
	"$ISOMK" -R --set_all_file_dates 2001090901464000 -o d4.iso src &&
	extract_bsdtar d4.iso d4.x && test "$(stat -c %Y d4.x/sub/d)" -eq 1000000000
'
test_expect_success 'bad dates are refused (exit 2), naming the option' '
	st=0; "$ISOMK" --modification-date=2020 src >/dev/null 2>err || st=$?
	test "$st" -eq 2 && grep -q "^isomk: --modification-date 2020: want 16 digits" err &&
	st=0; "$ISOMK" -volume_date q =1 src >/dev/null 2>err || st=$?
	test "$st" -eq 2 &&
	st=0; "$ISOMK" -volume_date c yesterday src >/dev/null 2>err || st=$?
	test "$st" -eq 2 && grep -q "not a time isomk reads" err
'

test_expect_success '--zisofs on many files at once (every core): each reads back as it was' '
	mkdir -p many/a many/b &&
	for i in $(seq 1 150); do
		seq "$i" 7 $((i * 900)) >many/a/t$i || exit 1
	done &&
	random_bytes 70000 many/b/random >many/b/random &&
	head -c 300000 /dev/zero >many/b/zeros &&
	"$ISOMK" --zisofs -o many.iso many 2>many.err && ! test -s many.err &&
	"$top_builddir/tools/isoinfo" -i many.iso --extract-dir many.out &&
	diff -r many many.out &&
	mkdir many.x && bsdtar -xf many.iso -C many.x && diff -r many many.x
'
test_expect_success '--zisofs: hard links are compressed once and share their data, as without it' '
	mkdir hl && seq 1 100000 >hl/one && ln hl/one hl/two &&
	"$ISOMK" --zisofs -o hl.iso hl &&
	/usr/bin/isoinfo -R -l -i hl.iso >hl.l &&
	test "$(grep -c " 2 .*\[ *[0-9]* 00\]  \(one\|two\) *$" hl.l)" -eq 2 &&
	test "$(sed -n "s/.*\[ *\([0-9]*\) 00\]  \(one\|two\) *$/\1/p" hl.l | sort -u | wc -l)" -eq 1 &&
	"$top_builddir/tools/isoinfo" -i hl.iso -x /two | cmp - hl/one
'
test_expect_success '--zisofs with a TMPDIR that cannot take scratch files: said, exit 1, no image' '
	st=0; TMPDIR=/nonexistent "$ISOMK" --zisofs -o nt.iso hl 2>nt.err || st=$?
	test "$st" -eq 1 &&
	grep -q "^isomk: --zisofs: cannot make a scratch file in /nonexistent" nt.err &&
	! test -e nt.iso
'
test_done
