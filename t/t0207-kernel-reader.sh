#!/bin/sh
# The Linux kernel as a reader of isomk's images: ../shared/tools/vmdrive
# boots a qemu guest whose emulated DVD-ROM drive holds an isomk -R -J
# image; the guest mounts it with isofs and describes every entry (type,
# mode, size, link count, mtime, MD5 of the contents, link target). That
# description must equal the source tree's: names (UTF-8, 200-byte, dots,
# spaces), a directory relocated once (10 levels) and a 20-level one,
# symbolic links (relative, absolute, dangling), hard links (link count 3,
# same contents), empty and larger files. Guards against (issue 9) images
# only the programs this project already checks with can read. One guest
# run (about 15 s). Skips where vmdrive is not there (a user's clone has
# no ../shared).
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need md5sum bsdtar xorriso
VMDRIVE=${CDPIPE_VMDRIVE:-$top_srcdir/../shared/tools/vmdrive}
[ -x "$VMDRIVE" ] || skip_all "no vmdrive ($VMDRIVE)"

mkdir -p src/sub/empty-dir src/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10 || exit 1
deep=src/deep20
for i in $(seq 1 19); do deep=$deep/d$i; done
mkdir -p "$deep" || exit 1
echo twenty >"$deep/x20.txt" || exit 1
echo deep >src/l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt || exit 1
echo hello >src/file.txt || exit 1
: >src/empty || exit 1
printf 'data\n' >src/.dotfile || exit 1
seq 1 300000 >src/sub/numbers || exit 1
random_bytes 100000 src/sub/random.bin >src/sub/random.bin || exit 1
ln src/file.txt src/sub/hardlink || exit 1
ln src/file.txt src/l1/l2/hardlink2 || exit 1
ln -s ../file.txt src/sub/rel-link || exit 1
ln -s /nonexistent/target src/dangling || exit 1
ln -s sub src/dir-link || exit 1
echo utf >"src/sub/Grüße aus Köln – ünïcödé ✓.txt" || exit 1
long=$(printf 'x%.0s' $(seq 1 190))
echo long >"src/sub/$long.txt" || exit 1
echo spaces >"src/sub/a name with  spaces" || exit 1
chmod 750 src/sub/numbers && chmod 700 src/sub/empty-dir || exit 1
touch -d '2001-07-04 12:34:56' src/file.txt src/sub/numbers || exit 1
"$ISOMK" -quiet -R -J -joliet-long -V KERNEL -o disc.iso src || exit 1

# One line per entry, the same script on the host (GNU) and in the guest
# (busybox): sorted paths, types, modes, sizes, link counts, mtimes, MD5s.
cat >describe.sh <<'EOF'
cd "$1" && find . -mindepth 1 | LC_ALL=C sort | while IFS= read -r p; do
	if [ -L "$p" ]; then
		echo "l $p -> $(readlink "$p")"
	elif [ -d "$p" ]; then
		echo "d $(stat -c %a "$p") $p"
	elif [ -f "$p" ]; then
		echo "f $(stat -c '%a %s %h %Y' "$p") $(md5sum <"$p" | cut -c1-32) $p"
	else
		echo "? $p"
	fi
done
EOF
sh describe.sh src >want || exit 1

st=0
"$VMDRIVE" --image disc.iso --file describe.sh=/describe.sh -- '
mkdir /mnt && mount -t iso9660 -o ro /dev/sr0 /mnt || { echo "mount failed: $?"; exit 1; }
echo "==> mounts"; grep " /mnt " /proc/mounts
echo "==> manifest"; sh /describe.sh /mnt
echo "==> end"' >guest.out 2>guest.err || st=$?
if [ $st -eq 2 ] && grep -q 'missing packages' guest.err; then
	skip_all "vmdrive needs packages: $(cat guest.err)"
fi
sed -n '/^==> manifest$/,/^==> end$/p' guest.out | sed '1d;$d' | tr -d '\r' >got

test_expect_success 'the guest mounted the disc with isofs and reported back' '
	cat guest.err; test $st -eq 0 &&
	grep -q "/dev/sr0 /mnt iso9660 ro" guest.out && test -s got
'
test_expect_success 'the kernel sees the source tree: names, types, modes, sizes, links, mtimes, contents' '
	diff -u want got
'
test_expect_success '... including the 20-level and the relocated 10-level directories, and no rr_moved' '
	grep -q "^f .* ./deep20/d1/.*/d19/x20.txt$" got &&
	grep -q "^f .* ./l1/l2/l3/l4/l5/l6/l7/l8/l9/l10/deep.txt$" got &&
	! grep -qi rr_moved got
'
test_expect_success '... and hard links with link count 3, symbolic links with their targets' '
	grep -q "^f 644 6 3 .* ./sub/hardlink$" got &&
	grep -q "^f 644 6 3 .* ./l1/l2/hardlink2$" got &&
	grep -qx "l ./dangling -> /nonexistent/target" got &&
	grep -qx "l ./sub/rel-link -> ../file.txt" got
'
test_expect_success 'bsdtar extracts what the kernel sees (the same description)' '
	extract_bsdtar disc.iso x.bsdtar 2>err && ! test -s err &&
	sh describe.sh x.bsdtar >b && diff -u got b
'
test_expect_success 'isoinfo --extract-dir extracts what the kernel sees' '
	"$top_builddir/tools/isoinfo" -i disc.iso --extract-dir x.own &&
	sh describe.sh x.own >o && diff -u got o
'

# A second run: files xorriso compressed with zisofs, which the kernel
# decompresses; isoinfo must give the same contents.
mkdir -p zsrc/sub || exit 1
seq 1 100000 >zsrc/numbers || exit 1
head -c 200000 /dev/zero >zsrc/sub/zeros || exit 1
{ seq 1 20000; head -c 40000 /dev/zero; seq 5 9000; } >zsrc/sub/mixed || exit 1
echo small >zsrc/small || exit 1
xorriso -outdev z.iso -map zsrc / -set_filter_r --zisofs / -- -commit >/dev/null 2>&1 || exit 1
st=0
"$VMDRIVE" --image z.iso --file describe.sh=/describe.sh -- '
mkdir /mnt && mount -t iso9660 -o ro /dev/sr0 /mnt || { echo "mount failed: $?"; exit 1; }
echo "==> manifest"; sh /describe.sh /mnt
echo "==> end"' >zguest.out 2>zguest.err || st=$?
sed -n '/^==> manifest$/,/^==> end$/p' zguest.out | sed '1d;$d' | tr -d '\r' >zgot

test_expect_success 'zisofs: the kernel decompresses what xorriso compressed (control)' '
	cat zguest.err; test $st -eq 0 && test -s zgot &&
	sh describe.sh zsrc >zwant && diff -u zwant zgot
'
test_expect_success 'zisofs: isoinfo --extract-dir gives what the kernel sees' '
	"$top_builddir/tools/isoinfo" -i z.iso --extract-dir zx.own &&
	sh describe.sh zx.own >zo && diff -u zgot zo
'
test_done
