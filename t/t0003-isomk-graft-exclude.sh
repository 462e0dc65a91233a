#!/bin/sh
# isomk: pathspecs and graft points as mkisofs has them, exclusion (-m, -x,
# -exclude-list), -path-list, and hiding from one name space.
. "${top_srcdir:-$(dirname "$0")/..}/t/test-lib.sh"
need bsdtar xorriso isoinfo

mkdir -p home/user/.cache/x home/user/docs home/user/web-cache other
echo a >home/user/docs/a.txt
echo rc >home/user/.bashrc
echo c >home/user/.cache/x/junk
echo w >home/user/web-cache/page
echo c2 >home/user/docs/thumbcache.db
echo o >other/o.txt
echo e >'other/eq=sign.txt'

# list IMAGE: bsdtar's paths, sorted, without "./" and "/" at the ends;
# fails when bsdtar does
list() {
	TZ=UTC bsdtar -tf "$1" >"$1.bsdtar" &&
		sed 's|^\./||; s|/$||' "$1.bsdtar" | grep -v '^\.\?$' | sort
}

test_expect_success 'without -graft-points a directory contributes its contents to the root' '
	"$ISOMK" -R home other >img.iso && list img.iso >got &&
	grep -qx "user/docs/a.txt" got && grep -qx "o.txt" got
'
test_expect_success 'a file pathspec lands in the root by its own name' '
	"$ISOMK" -R other/o.txt home/user/docs/a.txt >img.iso && list img.iso >got &&
	printf "a.txt\no.txt\n" >want && diff want got
'
test_expect_success 'graft point: home.20010704/=home puts the contents of home there' '
	"$ISOMK" -R -graft-points home.20010704/=home >img.iso && list img.iso >got &&
	grep -qx "home.20010704/user/docs/a.txt" got && grep -qx "home.20010704/user/.bashrc" got &&
	! grep -q "^user" got
'
test_expect_success 'graft point without the trailing slash does the same for a directory' '
	"$ISOMK" -R -graft-points backup/day1=home/user >img.iso && list img.iso >got &&
	grep -qx "backup/day1/docs/a.txt" got
'
test_expect_success 'graft point renames a file, and dir/ keeps its name' '
	"$ISOMK" -R -graft-points new/name.txt=other/o.txt keep/=home/user/docs/a.txt >img.iso &&
	list img.iso >got &&
	grep -qx "new/name.txt" got && grep -qx "keep/a.txt" got &&
	test "$(bsdtar -xOf img.iso new/name.txt)" = o
'
test_expect_success 'several sources merge into one directory' '
	"$ISOMK" -R -graft-points all/=home/user/docs all/=other >img.iso && list img.iso >got &&
	grep -qx "all/a.txt" got && grep -qx "all/o.txt" got
'
test_expect_success 'a symbolic link named as a pathspec is followed (file and directory)' '
	ln -s other/o.txt olink && ln -s home/user/docs dlink &&
	"$ISOMK" -R -graft-points f.txt=olink d/=dlink >img.iso && list img.iso >got &&
	grep -qx "d/a.txt" got && test "$(bsdtar -xOf img.iso f.txt)" = o &&
	TZ=UTC bsdtar -tvf img.iso | grep " f.txt$" | grep -q "^-"
'
test_expect_success '\= escapes a literal = in a graft point' '
	"$ISOMK" -R -graft-points "x\\=y.txt=other/eq\\=sign.txt" >img.iso && list img.iso >got &&
	grep -qx "x=y.txt" got
'
test_expect_success 'without -graft-points = is an ordinary character' '
	"$ISOMK" -R "other/eq=sign.txt" >img.iso && list img.iso >got && grep -qx "eq=sign.txt" got
'
test_expect_success "-m '*cache*' drops every cache file and directory, dot files stay" '
	"$ISOMK" -R -J -m "*cache*" -graft-points h/=home >img.iso && list img.iso >got &&
	! grep -q cache got && grep -qx "h/user/.bashrc" got && grep -qx "h/user/docs/a.txt" got &&
	xorriso -indev img.iso -find / 2>/dev/null | grep -q "bashrc" &&
	isoinfo -J -f -i img.iso >j && ! grep -qi cache j
'
test_expect_success '-x PATH drops exactly that source path' '
	"$ISOMK" -R -x home/user/docs -x ./other/o.txt home other >img.iso && list img.iso >got &&
	! grep -q "docs" got && ! grep -q "o.txt" got && grep -qx "user/.bashrc" got &&
	grep -qx "eq=sign.txt" got
'
test_expect_success '-exclude-list reads globs from a file' '
	printf "*.db\n.cache\n" >ex && "$ISOMK" -R -exclude-list ex home >img.iso && list img.iso >got &&
	! grep -q "thumbcache.db" got && ! grep -q "\.cache" got && grep -qx "user/web-cache/page" got
'
test_expect_success '-path-list reads pathspecs from a file, with graft points' '
	printf "in/=other\nalso/a.txt=home/user/docs/a.txt\n" >pl &&
	"$ISOMK" -R -graft-points -path-list pl >img.iso && list img.iso >got &&
	grep -qx "in/o.txt" got && grep -qx "also/a.txt" got
'
test_expect_success '-path-list - reads stdin' '
	echo other | "$ISOMK" -R -path-list - >img.iso && list img.iso >got && grep -qx o.txt got
'
test_expect_success '-hide hides from ISO/Rock Ridge but Joliet still shows it' '
	"$ISOMK" -R -J -hide "a.txt" home >img.iso &&
	list img.iso >got && ! grep -q "a.txt" got &&
	isoinfo -J -f -i img.iso | grep -q "/user/docs/a.txt"
'
test_expect_success '-hide-joliet hides from Joliet only' '
	"$ISOMK" -R -J -hide-joliet "a.txt" home >img.iso &&
	list img.iso | grep -qx "user/docs/a.txt" &&
	isoinfo -J -f -i img.iso >j && ! grep -q "a.txt" j
'
test_expect_success 'a later session-like graft replaces a file of the same name' '
	echo new >new.txt && "$ISOMK" -R -graft-points f.txt=other/o.txt f.txt=new.txt >img.iso &&
	test "$(bsdtar -xOf img.iso f.txt)" = new
'
test_done
