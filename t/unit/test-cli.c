/* Unit tests of lib/cli.c: size parsing, key=value, human sizes, and the
 * progress line format. */
#include "config.h"

#include "cli.h"
#include "progress.h"
#include "tap.h"

#include <inttypes.h>
#include <stdint.h>

static void size_ok(const char *s, uint64_t want)
{
	uint64_t got = 0;
	int r = cd_parse_size(s, &got);

	ok(r == 0 && got == want, "size '%s' = %" PRIu64 " (got %" PRIu64 ")",
	   s, want, got);
}

static void size_bad(const char *s)
{
	uint64_t got = 0;

	ok(cd_parse_size(s, &got) < 0, "size '%s' is refused", s);
}

int main(void)
{
	uint64_t v;
	char buf[160];

	size_ok("2048", 2048);
	size_ok("650m", 650ULL << 20);
	size_ok("650M", 650ULL << 20);
	size_ok("332500s", 332500ULL * 2048);
	size_ok("4.7G", 5046586572ULL);
	size_ok("1.5k", 1536);
	size_ok("0", 0);
	size_ok("10b", 10);
	size_ok("1T", 1ULL << 40);
	size_ok(".5k", 512);
	size_bad("");
	size_bad("-1");
	size_bad("12x");
	size_bad("1.k");
	size_bad("1mm");
	size_bad("99999999999999999999");
	size_bad("16777216T");
	size_bad("m");

	ok(cd_parse_uint("4294967295", UINT32_MAX, &v) == 0 && v == 4294967295u,
	   "uint at the limit");
	ok(cd_parse_uint("4294967296", UINT32_MAX, &v) < 0,
	   "uint past the limit");
	ok(cd_parse_uint("12a", UINT32_MAX, &v) < 0, "uint with junk");
	/* a digit larger than a small max (max - digit wrapped) */
	ok(cd_parse_uint("9", 8, &v) < 0, "uint 9 is over a max of 8");
	ok(cd_parse_uint("8", 8, &v) == 0 && v == 8, "uint 8 is a max of 8");
	ok(cd_parse_uint("3", 0, &v) < 0 && cd_parse_uint("0", 0, &v) == 0,
	   "uint with a max of 0");
	ok(cd_parse_uint("19", 18, &v) < 0 && cd_parse_uint("18", 18, &v) == 0,
	   "uint 19 is over a max of 18");
	ok(cd_parse_uint("", UINT32_MAX, &v) < 0, "empty uint");

	is_str(cd_keyval("dev=/dev/sr0", "dev"), "/dev/sr0", "dev= value");
	is_str(cd_keyval("device=/dev/sr0", "dev"), NULL,
	       "a longer key is not dev=");
	is_str(cd_keyval("dev", "dev"), NULL, "no = no value");
	is_str(cd_keyval("speed=", "speed"), "", "empty value");

	is_str(cd_human(buf, sizeof buf, 512), "512 B", "bytes");
	is_str(cd_human(buf, sizeof buf, 1536), "1.50 KiB", "KiB");
	is_str(cd_human(buf, sizeof buf, 2147483648ULL), "2.00 GiB", "GiB");

	progress_format(buf, sizeof buf, 1 << 30, 2U << 30, 2.0);
	is_str(buf, " 50.0% 1.00 GiB of 2.00 GiB, 536.9 MB/s, 0:02 left",
	       "progress line");
	progress_format(buf, sizeof buf, 1000, 0, 0);
	is_str(buf, "1000 B", "progress without total or time");

	return tap_done();
}
