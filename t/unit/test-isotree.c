/* Unit tests of lib/isotree.c's pure parts: graft point splitting. */
#include "config.h"

#include "isotree.h"
#include "tap.h"

#include <stdlib.h>

static void graft(const char *spec, const char *wt, const char *ws)
{
	char *t = NULL, *s = NULL;

	ok(isotree_split_graft(spec, &t, &s) == 0, "split '%s'", spec);
	is_str(t, wt, "  target of '%s'", spec);
	is_str(s, ws, "  source of '%s'", spec);
	free(t);
	free(s);
}

int main(void)
{
	graft("home.20010704/=/home", "home.20010704/", "/home");
	graft("/plain/path", NULL, "/plain/path");
	graft("a\\=b=/src", "a=b", "/src");
	graft("a=b=c", "a", "b=c");
	graft("dir/x\\\\=/y", "dir/x\\", "/y");
	graft("=/src", "", "/src");
	graft("a\\b=/c", "a\\b", "/c");
	return tap_done();
}
