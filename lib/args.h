/* args: one table-driven parser for the option styles of the cdrtools
 * family, for every cdpipe program (modelled on OpenBSD dd's args.c: one
 * sorted table, typed values, conflicts declared).
 *
 * What a word on the command line can be:
 *   -word, --word    a CD_ARG_DASH row, matched EXACTLY (no abbreviations;
 *                    mkisofs's own aliases are rows of their own). A value
 *                    is the next word ("-o FILE", "-o -"), or after '=' in
 *                    "--word=VALUE" and "-word=VALUE" (names of two or more
 *                    letters only, as genisoimage takes them)
 *   key=value        a CD_ARG_KEY row, cdrecord's spelling ("dev=/dev/sr0",
 *                    "speed=4"); "-key=value" and "--key=value" too, as
 *                    cdrskin and xorriso -as cdrecord accept them
 *   -rJ              a bundle of one-letter rows that take no value, only
 *                    when every letter is one and the whole word is not a
 *                    row itself
 *   --               ends the options: every word after it is an operand
 *   anything else    an operand ("-" alone too), collected in order
 *
 * Each row has a disposition: CD_ARG_HANDLED (returned to the caller by
 * its id), CD_ARG_IGNORED (a one-line warning naming the option and why,
 * its values consumed: for options whose ignoring is harmless) or
 * CD_ARG_UNSUPPORTED (a usage error, exit 2: "prog: -hfs: not supported:
 * why"). Values are typed: a string (with a byte limit, never cut), an
 * unsigned number (with limits) or a size (cd_parse_size). Rows can be
 * given once only, and can declare conflicts with each other by bits.
 *
 * Usage errors (an unknown option, a missing or bad value, a refused or
 * conflicting option) go to stderr with a hint to --help and exit 2 through
 * cd_args_get(); cd_args_next() returns them instead (for tests, and for a
 * program that must clean up first). Printing the usage text for --help
 * is the caller's (stdout, exit 0): only its own row does that. */
#ifndef CDPIPE_ARGS_H
#define CDPIPE_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

enum cd_arg_form {
	CD_ARG_DASH, /* -name and --name */
	CD_ARG_KEY,  /* name=value, -name=value, --name=value */
};

enum cd_arg_type {
	CD_ARG_NONE,   /* a flag: takes no value */
	CD_ARG_STRING, /* max: longest value in bytes (0: no limit) */
	CD_ARG_UINT,   /* decimal, min..max (max 0: UINT64_MAX) */
	CD_ARG_SIZE,   /* cd_parse_size ("650m", "332500s"), min..max */
};

enum cd_arg_disp {
	CD_ARG_HANDLED,     /* returned to the caller by id */
	CD_ARG_IGNORED,     /* warned about ("-gui is ignored: why") */
	CD_ARG_UNSUPPORTED, /* a usage error ("-hfs: not supported: why") */
};

/* flags */
#define CD_ARG_ONCE 0x1 /* a second time is a usage error */

struct cd_arg {
	const char *name;    /* without dashes or '=': "o", "volid", "dev" */
	int id;              /* the caller's (> 0) for a handled row */
	unsigned char form;  /* enum cd_arg_form */
	unsigned char type;  /* enum cd_arg_type */
	unsigned char disp;  /* enum cd_arg_disp */
	unsigned char nvals; /* words of value when more than one (strings) */
	unsigned flags;      /* CD_ARG_ONCE */
	uint64_t min, max;   /* limits of a value, see enum cd_arg_type */
	unsigned set, noset; /* conflict bits: this row sets set, and may
	                        not meet a row that sets any of noset
	                        (checked both ways, in either order) */
	const char *why;     /* for ignored and unsupported rows */
};

#define CD_ARGS_ERRLEN 256

struct cd_args {
	const struct cd_arg *tab;
	size_t n;
	int argc;
	char **argv;
	int i;                   /* the next word */
	const char *rest;        /* the letters left of a bundle */
	int dashdash;            /* after "--" */
	unsigned seen;           /* conflict bits set so far */
	unsigned char *count;    /* times each row was seen (to 255) */
	struct cd_strv operands; /* in order */
	int operand_id; /* set by the caller: operands are returned in their
	                   place among the options as this id (val: the
	                   word), not collected (cdrecord's -audio track
	                   -data track) */
	unsigned ignored;        /* ignored options warned about */

	/* what the last handled option was */
	const struct cd_arg *opt;
	char word[64];     /* as given, for messages: "-V", "--volid", "dev=" */
	const char *val;   /* its (first) value; NULL for a flag */
	char *const *vals; /* all nvals values, when more than one */
	uint64_t num;      /* a CD_ARG_UINT or CD_ARG_SIZE value */

	char err[CD_ARGS_ERRLEN]; /* the last usage error */
};

/* Start parsing argv[1..argc-1] with tab (sorted by name with strcmp, as
 * bsearch needs; names unique per form). */
void cd_args_init(struct cd_args *a, const struct cd_arg *tab, size_t n,
                  int argc, char **argv);

/* The id of the next handled option, 0 when all words are read, or -1 on
 * a usage error (a->err says which, without the program name). Ignored
 * options are warned about on the way. */
int cd_args_next(struct cd_args *a);

/* cd_args_next, with a usage error ending the program (stderr, exit 2). */
int cd_args_get(struct cd_args *a);

/* The row of a name and form, or NULL. */
const struct cd_arg *cd_args_find(const struct cd_arg *tab, size_t n,
                                  const char *name, enum cd_arg_form form);

/* Is the table sorted and its names unique per form? 0, or -1 naming
 * the first row out of order in *bad. Checked by cd_args_init too (a
 * programming error aborts). */
int cd_args_check(const struct cd_arg *tab, size_t n, const char **bad);

void cd_args_free(struct cd_args *a);

#endif
