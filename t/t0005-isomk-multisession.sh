#!/bin/sh
# isomk: multisession. Sessions made with -C/-M are added to an image file
# grown the way growisofs grows a DVD+RW, by xorriso -as cdrecord and by
# cdrskin --grow_overwriteable_iso, and read back by xorriso, genisoimage's
# isoinfo (Rock Ridge and Joliet), 7z and bsdtar.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need xorriso osirrox isoinfo 7z bsdtar python3 cdrskin

# the backup recipe of the Linux CD-Writing notes
mkdir -p home1/.cache/c home1/docs home2/docs home3
echo rc >home1/.bashrc
echo one >home1/docs/a.txt
echo junk >home1/.cache/c/junk
echo c >home1/docs/web-cache.html
echo two >home2/docs/b.txt
echo junk2 >home2/browser-cache
echo three >home3/c.txt

grow() { # grow IMAGE: append the session on stdin, growisofs-style
	xorriso -as cdrecord dev="$1" --grow_overwriteable_iso -multi - >grow.log 2>&1
}
# session IMAGE ISOMK-ARGS...: isomk ARGS | grow IMAGE; both must succeed
session() {
	img=$1 && shift || return 1
	{ "$ISOMK" "$@"; echo $? >isomk.st; } | grow "$img" || return 1
	test "$(cat isomk.st)" -eq 0
}
msinfo() {
	xorriso -as cdrecord dev="$1" --grow_overwriteable_iso -msinfo 2>/dev/null
}
# xorriso 1.5.4 copies the new session's volume descriptors to block 16
# but makes only the PVD's volume size absolute; the Joliet SVD keeps the
# session-relative size, and bsdtar then ignores the tree. Patch it as a
# careful writer must (cdwrite does this for every descriptor).
fix_svd_size() {
	python3 - "$1" <<'PY'
import struct, sys
f = open(sys.argv[1], 'r+b')
f.seek(16 * 2048); pvd = f.read(2048)
size = pvd[80:88]
b = 17
while True:
    f.seek(b * 2048); vd = f.read(2048)
    if vd[1:6] != b'CD001' or vd[0] == 255: break
    if vd[0] == 2:
        f.seek(b * 2048 + 80); f.write(size)
    b += 1
PY
}

OPTS="-L -J -R -V Backup_Home"
test_expect_success 'session 1 of the backup recipe' '
	session disc.img $OPTS -m "*cache*" -graft-points home.20010704/=home1 &&
	msinfo disc.img >ms1 && grep -qx "0,[0-9]*" ms1
'
test_expect_success '-print-size with -C/-M counts the new session only' '
	size=$("$ISOMK" $OPTS -m "*cache*" -C "$(cat ms1)" -M disc.img -print-size -graft-points home.20010710/=home2) &&
	"$ISOMK" $OPTS -m "*cache*" -C "$(cat ms1)" -M disc.img -graft-points home.20010710/=home2 >s2.iso &&
	test "$size" -eq $(( $(stat -c %s s2.iso) / 2048 ))
'
test_expect_success 'session 2 imports session 1 and is addressed at NEXT' '
	session disc.img $OPTS -m "*cache*" -C "$(cat ms1)" -M disc.img -graft-points home.20010710/=home2 &&
	next=$(cut -d, -f2 ms1) &&
	python3 -c "import struct,sys; d=open(\"disc.img\",\"rb\").read(); \
root=struct.unpack(\"<I\", d[16*2048+158:16*2048+162])[0]; sys.exit(0 if root >= $next else 1)" &&
	msinfo disc.img >ms2 && test "$(cut -d, -f2 ms2)" -gt "$next"
'
test_expect_success 'session 3 through -M stdio: (libburn reads the old session)' '
	session disc.img $OPTS -m "*cache*" -C "$(cat ms2)" -M stdio:disc.img -graft-points home.20010717/=home3
'
test_expect_success 'xorriso sees all three dated directories, dot files, no cache files' '
	xorriso -indev disc.img -find / -type f 2>/dev/null | tr -d "'"'"'" | sort >x.list &&
	printf "%s\n" /home.20010704/.bashrc /home.20010704/docs/a.txt /home.20010710/docs/b.txt \
		/home.20010717/c.txt >want && diff want x.list
'
test_expect_success 'genisoimage isoinfo -R and -J see the newest tree' '
	isoinfo -R -f -i disc.img | grep -v "/$" | sort >r.list &&
	grep -qx /home.20010717/c.txt r.list && grep -qx /home.20010704/.bashrc r.list &&
	! grep -q cache r.list &&
	isoinfo -J -f -i disc.img | sed "s/;1$//" >j.list && grep -qx /home.20010717/c.txt j.list &&
	grep -qx /home.20010704/docs/a.txt j.list && ! grep -q cache j.list
'
test_expect_success 'contents are right in every session (isoinfo -x, osirrox)' '
	test "$(isoinfo -R -i disc.img -x /home.20010704/docs/a.txt)" = one &&
	test "$(isoinfo -R -i disc.img -x /home.20010710/docs/b.txt)" = two &&
	extract_osirrox disc.img x && test "$(cat x/home.20010717/c.txt)" = three &&
	test "$(cat x/home.20010704/.bashrc)" = rc
'
test_expect_success '7z (Joliet) sees the three directories' '
	7z l disc.img >7z.out && grep -q "home.20010704/docs/a.txt" 7z.out &&
	grep -q "home.20010710/docs/b.txt" 7z.out && grep -q "home.20010717/c.txt" 7z.out
'
test_expect_success 'bsdtar sees them once every descriptor has the absolute size' '
	fix_svd_size disc.img &&
	TZ=UTC bsdtar -tf disc.img | sed "s|^\./||" | grep -v "/$" | sort >b.list &&
	grep -qx home.20010704/.bashrc b.list && grep -qx home.20010717/c.txt b.list &&
	! grep -q cache b.list
'
test_expect_success 'a later session replaces a file of the same name' '
	echo new >a.txt &&
	session disc.img -R -J -C "$(msinfo disc.img)" -M disc.img -graft-points home.20010704/docs/a.txt=a.txt &&
	test "$(isoinfo -R -i disc.img -x /home.20010704/docs/a.txt)" = new
'
test_expect_success '-md5 sessions check out with xorriso on the grown image' '
	session md5.img -R -md5 -graft-points d1/=home1 &&
	session md5.img -R -md5 -C "$(msinfo md5.img)" -M md5.img -graft-points d2/=home2 &&
	xorriso -md5 on -indev md5.img -check_md5 FAILURE -- 2>&1 | grep -q "Ok, session data match"
'

test_expect_success 'cdrskin --grow_overwriteable_iso: the same recipe, same msinfo as xorriso' '
	cdrskin_emulation_allowed &&
	"$ISOMK" $OPTS -m "*cache*" -graft-points home.20010704/=home1 >c1.iso &&
	cdrskin --allow_emulated_drives dev=stdio:cd.img --grow_overwriteable_iso -multi c1.iso >c.log 2>&1 &&
	ms=$(cdrskin --allow_emulated_drives dev=stdio:cd.img --grow_overwriteable_iso -msinfo 2>/dev/null) &&
	test "$ms" = "$(msinfo cd.img)" &&
	"$ISOMK" $OPTS -m "*cache*" -C "$ms" -M cd.img -graft-points home.20010710/=home2 >c2.iso &&
	cdrskin --allow_emulated_drives dev=stdio:cd.img --grow_overwriteable_iso -multi c2.iso >>c.log 2>&1 &&
	isoinfo -R -f -i cd.img >list && grep -qx /home.20010704/docs/a.txt list &&
	grep -qx /home.20010710/docs/b.txt list
'

test_expect_success 'a -C start that does not match the -M medium is refused' '
	st=0; "$ISOMK" -R -C 7,400 -M disc.img home3 >out 2>err || st=$?
	test $st -eq 1 && grep -q "no ISO 9660 volume starts at block 7" err
'
test_done
