/* Unit tests of lib/args.c: exact -word matching (no abbreviations),
 * --word and --word=value, cdrecord key=value and -key=value, typed values
 * and their limits, bundles of one-letter flags, "--", operands in order,
 * ignored and unsupported rows, once-only rows and declared conflicts. */
#include "config.h"

#include "args.h"
#include "cli.h"
#include "tap.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum {
	O_C = 1,
	O_CACHE,
	O_DEV,
	O_DUMMY,
	O_GRAFT,
	O_J,
	O_MULTI,
	O_NOROCK,
	O_O,
	O_P,
	O_R,
	O_SPEED,
	O_TSIZE,
	O_V,
	O_VOLID,
	O_BLANK,
	O_MSINFO,
	O_ISOLEVEL,
	O_PAIR,
};

#define BIT_R 0x1

/* sorted by name, then form (DASH before KEY) */
static const struct cd_arg tab[] = {
    {.name = "J", .id = O_J},
    {.name = "R", .id = O_R, .set = BIT_R},
    {.name = "V", .id = O_VOLID, .type = CD_ARG_STRING, .max = 32},
    {.name = "blank", .id = O_BLANK, .form = CD_ARG_KEY, .type = CD_ARG_STRING},
    {.name = "c", .id = O_C, .type = CD_ARG_STRING},
    {.name = "cache-inodes", .id = O_CACHE},
    {.name = "dev",
     .id = O_DEV,
     .form = CD_ARG_KEY,
     .type = CD_ARG_STRING,
     .flags = CD_ARG_ONCE},
    {.name = "dummy", .id = O_DUMMY},
    {.name = "graft-points", .id = O_GRAFT},
    {.name = "gui", .disp = CD_ARG_IGNORED, .why = "no gui here"},
    {.name = "hfs", .disp = CD_ARG_UNSUPPORTED, .why = "no HFS hybrid"},
    {.name = "iso-level",
     .id = O_ISOLEVEL,
     .type = CD_ARG_UINT,
     .min = 1,
     .max = 4},
    {.name = "log-file", .disp = CD_ARG_IGNORED, .type = CD_ARG_STRING},
    {.name = "msinfo", .id = O_MSINFO},
    {.name = "multi", .id = O_MULTI},
    {.name = "norock", .id = O_NOROCK, .noset = BIT_R},
    {.name = "o", .id = O_O, .type = CD_ARG_STRING},
    {.name = "p", .id = O_P, .type = CD_ARG_STRING},
    {.name = "pair", .id = O_PAIR, .type = CD_ARG_STRING, .nvals = 2},
    {.name = "r", .id = O_R, .set = BIT_R},
    {.name = "speed", .id = O_SPEED, .form = CD_ARG_KEY, .type = CD_ARG_UINT},
    {.name = "tsize", .id = O_TSIZE, .form = CD_ARG_KEY, .type = CD_ARG_SIZE},
    {.name = "v", .id = O_V},
    {.name = "volid", .id = O_VOLID, .type = CD_ARG_STRING, .max = 32},
};
#define NTAB (sizeof tab / sizeof tab[0])

/* Parse the words (NULL-terminated); the ids and values, operands and
 * the error go to out as "id[=val] ... | operands | err". */
static const char *run(char *out, size_t len, ...)
{
	char *argv[32] = {"prog"};
	int argc = 1, id;
	struct cd_args a;
	va_list ap;
	size_t o = 0;

	va_start(ap, len);
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	cd_args_init(&a, tab, NTAB, argc, argv);
	out[0] = '\0';
	while ((id = cd_args_next(&a)) > 0) {
		if (a.val && a.opt->type != CD_ARG_STRING)
			o += (size_t)snprintf(out + o, len - o, "%d=%llu ", id,
			                      (unsigned long long)a.num);
		else if (a.vals && a.opt->nvals > 1)
			o += (size_t)snprintf(out + o, len - o, "%d=%s,%s ", id,
			                      a.vals[0], a.vals[1]);
		else if (a.val)
			o += (size_t)snprintf(out + o, len - o, "%d=%s ", id,
			                      a.val);
		else
			o += (size_t)snprintf(out + o, len - o, "%d ", id);
		if (o >= len)
			break;
	}
	o += (size_t)snprintf(out + o, len - o, "|");
	for (size_t i = 0; i < a.operands.n && o < len; i++)
		o += (size_t)snprintf(out + o, len - o, " %s", a.operands.v[i]);
	if (id < 0 && o < len)
		snprintf(out + o, len - o, " | %s", a.err);
	cd_args_free(&a);
	return out;
}

int main(void)
{
	char b[512];
	const char *bad;
	struct cd_arg unsorted[] = {{.name = "b"}, {.name = "a"}};
	struct cd_arg dup[] = {{.name = "a"}, {.name = "a"}};
	struct cd_arg two_forms[] = {{.name = "dev"},
	                             {.name = "dev", .form = CD_ARG_KEY}};

	cd_set_prog("test-args");

	ok(cd_args_check(tab, NTAB, &bad) == 0, "the test table is sorted");
	ok(cd_args_check(unsorted, 2, &bad) < 0 && !strcmp(bad, "a"),
	   "a table out of order is found");
	ok(cd_args_check(dup, 2, &bad) < 0, "a name twice is found");
	ok(cd_args_check(two_forms, 2, &bad) == 0,
	   "the same name as -word and as key= may both be rows");

	/* exact names, no abbreviations, no getopt_long_only guessing */
	is_str(run(b, sizeof b, "-c", "boot.cat", "src", NULL),
	       "1=boot.cat | src", "-c FILE is -c, not -cache-inodes");
	is_str(run(b, sizeof b, "-cache-inodes", "src", NULL), "2 | src",
	       "-cache-inodes is its own row");
	is_str(run(b, sizeof b, "-cache", "src", NULL),
	       "| | unknown option '-cache'", "no abbreviations: -cache");
	is_str(run(b, sizeof b, "-graft", NULL), "| | unknown option '-graft'",
	       "no abbreviations: -graft");
	is_str(run(b, sizeof b, "-vo", "x", NULL), "| | unknown option '-vo'",
	       "-vo is not -v -o: o takes a value");
	is_str(run(b, sizeof b, "-volid", "X", "-V", "Y", NULL), "15=X 15=Y |",
	       "aliases are rows with the same id");

	/* double dashes, and =value for long names */
	is_str(run(b, sizeof b, "--graft-points", "a=b", NULL), "5 | a=b",
	       "--graft-points; a=b with no key row is an operand");
	is_str(run(b, sizeof b, "--volid=ABC", "-volid=DEF", NULL),
	       "15=ABC 15=DEF |", "--volid=X and -volid=X");
	is_str(run(b, sizeof b, "-o=x", NULL), "| | unknown option '-o=x'",
	       "a one-letter name takes no =value");
	is_str(run(b, sizeof b, "--dummy=1", NULL),
	       "| | --dummy takes no value", "a flag takes no =value");
	is_str(run(b, sizeof b, "-o", "-", "-V", "-x", NULL), "9=- 15=-x |",
	       "a value may start with a dash");

	/* cdrecord key=value */
	is_str(run(b, sizeof b, "dev=/dev/sr0", "speed=4", "-dummy", "-v",
	           "-multi", "blank=fast", "tsize=650m", "img.iso", NULL),
	       "3=/dev/sr0 12=4 4 14 7 16=fast 13=681574400 | img.iso",
	       "cdrecord spellings");
	is_str(run(b, sizeof b, "-dev=/dev/sr0", NULL), "3=/dev/sr0 |",
	       "-dev=X as cdrskin and xorriso -as cdrecord take it");
	is_str(run(b, sizeof b, "--dev=/dev/sr0", NULL), "3=/dev/sr0 |",
	       "--dev=X");
	is_str(run(b, sizeof b, "-dev", "/dev/sr0", NULL),
	       "| | unknown option '-dev'", "a key row is not -dev X");
	is_str(run(b, sizeof b, "dev=a", "dev=b", NULL),
	       "3=a | | dev= given twice", "a once-only row given twice");
	is_str(run(b, sizeof b, "speed=fast", NULL),
	       "| | speed=: 'fast' is not a number", "speed= is a number");
	is_str(run(b, sizeof b, "speed=", NULL),
	       "| | speed=: '' is not a number", "speed= empty");
	is_str(run(b, sizeof b, "tsize=12q", NULL),
	       "| | tsize=: '12q' is not a size (such as 2048, 650m, 4.7g or "
	       "332500s)",
	       "tsize= is a size");
	is_str(run(b, sizeof b, "-msinfo", NULL), "17 |", "-msinfo");

	/* typed values and limits */
	is_str(run(b, sizeof b, "-iso-level", "3", NULL), "18=3 |",
	       "-iso-level 3");
	is_str(run(b, sizeof b, "-iso-level", "5", NULL),
	       "| | -iso-level: '5' is not within 1..4", "-iso-level 5");
	is_str(run(b, sizeof b, "-iso-level", "0", NULL),
	       "| | -iso-level: '0' is not within 1..4", "-iso-level 0");
	is_str(run(b, sizeof b, "-V", "12345678901234567890123456789012", NULL),
	       "15=12345678901234567890123456789012 |", "-V of 32 bytes");
	is_str(
	    run(b, sizeof b, "-V", "123456789012345678901234567890123", NULL),
	    "| | -V: too long: 33 bytes, at most 32 fit (a value is never "
	    "cut)",
	    "-V of 33 bytes");
	/* 31 bytes and a 2-byte character: counted in bytes, never cut */
	is_str(run(b, sizeof b, "-V", "1234567890123456789012345678901\xc3\xa9",
	           NULL),
	       "| | -V: too long: 33 bytes, at most 32 fit (a value is never "
	       "cut)",
	       "-V crossing the limit inside a UTF-8 character");
	is_str(run(b, sizeof b, "-pair", "a", "b", "c", NULL), "19=a,b | c",
	       "a row of two values");
	is_str(run(b, sizeof b, "-pair", "a", NULL),
	       "| | option '-pair' needs more values", "two values, one given");

	/* missing values name the option */
	is_str(run(b, sizeof b, "src", "-o", NULL),
	       "| src | option '-o' needs a value", "-o at the end");
	is_str(run(b, sizeof b, "--volid", NULL),
	       "| | option '--volid' needs a value", "--volid at the end");

	/* bundles */
	is_str(run(b, sizeof b, "-rJ", "src", NULL), "11 6 | src", "-rJ");
	is_str(run(b, sizeof b, "-vv", NULL), "14 14 |", "-vv");
	is_str(run(b, sizeof b, "-Jp", "x", NULL), "| | unknown option '-Jp'",
	       "no bundle with a letter that takes a value");
	is_str(run(b, sizeof b, "-Jq", NULL), "| | unknown option '-Jq'",
	       "no bundle with an unknown letter");
	is_str(run(b, sizeof b, "--rJ", NULL), "| | unknown option '--rJ'",
	       "no bundle after two dashes");

	/* operands, "-" and "--" */
	is_str(run(b, sizeof b, "a", "-J", "b", "-", "--", "-R", "--", NULL),
	       "6 | a b - -R --", "operands in order; -- ends the options");

	/* ignored and unsupported */
	is_str(run(b, sizeof b, "-gui", "-log-file", "x.log", "src", NULL),
	       "| src", "ignored rows are skipped with their values");
	is_str(run(b, sizeof b, "-hfs", "src", NULL),
	       "| | -hfs: not supported: no HFS hybrid", "-hfs is refused");
	is_str(run(b, sizeof b, "--hfs", NULL),
	       "| | --hfs: not supported: no HFS hybrid", "--hfs is refused");

	/* conflicts, both ways */
	is_str(run(b, sizeof b, "-R", "-norock", NULL),
	       "11 | | -norock cannot be used with -R", "-R then -norock");
	is_str(run(b, sizeof b, "--norock", "-r", NULL),
	       "8 | | -r cannot be used with -norock", "--norock then -r");
	is_str(run(b, sizeof b, "-R", "-r", NULL), "11 11 |",
	       "-R and -r set the same bit and do not conflict");

	return tap_done();
}
