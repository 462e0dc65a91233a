/* args: the table-driven parser of cdrtools-style options. See args.h. */
#include "config.h"

#include "args.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int row_cmp(const char *name, int form, const struct cd_arg *r)
{
	int c = strcmp(name, r->name);

	return c ? c : form - (int)r->form;
}

struct key {
	const char *name;
	int form;
};

static int key_cmp(const void *k, const void *r)
{
	const struct key *key = k;

	return row_cmp(key->name, key->form, r);
}

const struct cd_arg *cd_args_find(const struct cd_arg *tab, size_t n,
                                  const char *name, enum cd_arg_form form)
{
	struct key k = {name, (int)form};

	return bsearch(&k, tab, n, sizeof *tab, key_cmp);
}

int cd_args_check(const struct cd_arg *tab, size_t n, const char **bad)
{
	for (size_t i = 1; i < n; i++)
		if (row_cmp(tab[i - 1].name, tab[i - 1].form, &tab[i]) >= 0) {
			*bad = tab[i].name;
			return -1;
		}
	return 0;
}

void cd_args_init(struct cd_args *a, const struct cd_arg *tab, size_t n,
                  int argc, char **argv)
{
	const char *bad;

	memset(a, 0, sizeof *a);
	if (cd_args_check(tab, n, &bad) < 0) {
		fprintf(stderr, "%s: option table out of order at '%s'\n",
		        cd_prog, bad);
		abort();
	}
	a->tab = tab;
	a->n = n;
	a->argc = argc;
	a->argv = argv;
	a->i = 1;
	a->count = calloc(n ? n : 1, 1);
	if (!a->count)
		cd_die(CD_EXIT_FAIL, "out of memory");
}

void cd_args_free(struct cd_args *a)
{
	free(a->count);
	a->count = NULL;
	cd_strv_free(&a->operands);
}

static int fail(struct cd_args *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct cd_args *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->err, sizeof a->err, fmt, ap);
	va_end(ap);
	return -1;
}

/* The value's type and limits; 0 or -1 after fail(). */
static int check_value(struct cd_args *a, const struct cd_arg *r, const char *v)
{
	uint64_t max = r->max ? r->max : UINT64_MAX;
	size_t len;

	switch (r->type) {
	case CD_ARG_STRING:
		len = strlen(v);
		if (r->max && len > r->max)
			return fail(a,
			            "%s: too long: %zu bytes, at most %llu "
			            "fit (a value is never cut)",
			            a->word, len, (unsigned long long)r->max);
		return 0;
	case CD_ARG_UINT:
		if (cd_parse_uint(v, UINT64_MAX, &a->num) < 0)
			return fail(a, "%s: '%s' is not a number", a->word, v);
		break;
	case CD_ARG_SIZE:
		if (cd_parse_size(v, &a->num) < 0)
			return fail(a,
			            "%s: '%s' is not a size (such as 2048, "
			            "650m, 4.7g or 332500s)",
			            a->word, v);
		break;
	default:
		return 0;
	}
	if (a->num < r->min || a->num > max) {
		if (max == UINT64_MAX)
			return fail(a, "%s: '%s' is less than %llu", a->word, v,
			            (unsigned long long)r->min);
		return fail(a, "%s: '%s' is not within %llu..%llu", a->word, v,
		            (unsigned long long)r->min,
		            (unsigned long long)max);
	}
	return 0;
}

/* The row r was met as a->word, with an inline value (after '=') or NULL;
 * take its values, check conflicts. Returns its id, 0 when the row was
 * ignored (go on), -1 after fail(). */
static int take(struct cd_args *a, const struct cd_arg *r, const char *inline_v)
{
	size_t ri = (size_t)(r - a->tab);
	unsigned nv = r->type == CD_ARG_NONE ? 0 : r->nvals ? r->nvals : 1;

	a->opt = r;
	a->val = NULL;
	a->vals = NULL;
	a->num = 0;
	if (r->disp == CD_ARG_UNSUPPORTED)
		return fail(a, "%s: not supported%s%s", a->word,
		            r->why ? ": " : "", r->why ? r->why : "");
	if (inline_v) {
		if (nv != 1)
			return fail(a, "%s takes %s", a->word,
			            nv ? "more than one value" : "no value");
		a->val = inline_v;
	} else if (nv) {
		if (a->argc - a->i < (int)nv)
			return fail(a, "option '%s' needs %s", a->word,
			            nv > 1 ? "more values" : "a value");
		a->vals = a->argv + a->i;
		a->val = a->argv[a->i];
		a->i += (int)nv;
	}
	if (a->val && check_value(a, r, a->val) < 0)
		return -1;
	if (r->disp == CD_ARG_IGNORED) {
		a->ignored++;
		cd_warn("%s is ignored%s%s", a->word, r->why ? ": " : "",
		        r->why ? r->why : "");
		return 0;
	}
	if ((r->flags & CD_ARG_ONCE)) {
		for (size_t j = 0; j < a->n; j++)
			if (a->tab[j].id == r->id && a->count[j])
				return fail(a, "%s given twice", a->word);
	}
	/* conflicts, both ways: a row seen before that set a bit this one
	 * may not meet, or that may not meet a bit this one sets */
	for (size_t j = 0; j < a->n; j++) {
		const struct cd_arg *o = &a->tab[j];

		if (!a->count[j] || j == ri)
			continue;
		if ((r->noset & o->set) || (o->noset & r->set))
			return fail(a, "%s cannot be used with %s%s%s", a->word,
			            o->form == CD_ARG_KEY ? "" : "-", o->name,
			            o->form == CD_ARG_KEY ? "=" : "");
	}
	if (a->count[ri] < 255)
		a->count[ri]++;
	a->seen |= r->set;
	return r->id;
}

static void set_word(struct cd_args *a, const char *dashes, const char *name,
                     size_t len, const char *tail)
{
	snprintf(a->word, sizeof a->word, "%s%.*s%s", dashes, (int)len, name,
	         tail);
}

/* One letter of a bundle. */
static int bundle_letter(struct cd_args *a)
{
	char name[2] = {*a->rest, '\0'};
	const struct cd_arg *r = cd_args_find(a->tab, a->n, name, CD_ARG_DASH);

	a->rest++;
	if (!*a->rest)
		a->rest = NULL;
	set_word(a, "-", name, 1, "");
	return take(a, r, NULL);
}

/* Is every letter of s a one-letter option without a value? */
static int is_bundle(struct cd_args *a, const char *s)
{
	if (!s[0] || !s[1])
		return 0;
	for (; *s; s++) {
		char name[2] = {*s, '\0'};
		const struct cd_arg *r =
		    cd_args_find(a->tab, a->n, name, CD_ARG_DASH);

		if (!r || r->type != CD_ARG_NONE)
			return 0;
	}
	return 1;
}

/* One word that looks like an option (or a key=value). Returns what
 * take() returns, or -2 when the word is an operand. */
static int one_word(struct cd_args *a, const char *w)
{
	const char *dashes = "", *name = w, *eq;
	const struct cd_arg *r;
	char buf[64];
	size_t len;

	if (w[0] == '-')
		dashes = w[1] == '-' ? "--" : "-";
	name = w + strlen(dashes);
	eq = strchr(name, '=');
	len = eq ? (size_t)(eq - name) : strlen(name);

	/* the name before '=', for the rows that take a value after it */
	if (eq && len > 0 && len < sizeof buf) {
		memcpy(buf, name, len);
		buf[len] = '\0';
	} else {
		eq = NULL;
	}
	/* name=value: a key row, with or without dashes */
	if (eq) {
		r = cd_args_find(a->tab, a->n, buf, CD_ARG_KEY);
		if (r) {
			set_word(a, dashes, name, len, "=");
			return take(a, r, eq + 1);
		}
	}
	if (!*dashes)
		return -2;
	if (!*name)
		return -2; /* "-" alone: standard input */

	/* -word exactly */
	r = cd_args_find(a->tab, a->n, name, CD_ARG_DASH);
	if (r) {
		set_word(a, dashes, name, strlen(name), "");
		return take(a, r, NULL);
	}
	/* -word=value, --word=value for names of two or more letters */
	if (eq && len > 1) {
		r = cd_args_find(a->tab, a->n, buf, CD_ARG_DASH);
		if (r) {
			set_word(a, dashes, name, len, "");
			return take(a, r, eq + 1);
		}
	}
	/* -rJ */
	if (dashes[1] == '\0' && is_bundle(a, name)) {
		a->rest = name;
		return bundle_letter(a);
	}
	return fail(a, "unknown option '%s'", w);
}

/* An operand: collected, or returned where it stands. */
static int operand(struct cd_args *a, const char *w)
{
	if (!a->inline_operands) {
		cd_strv_push(&a->operands, w);
		return 0;
	}
	a->opt = NULL;
	a->word[0] = '\0';
	a->val = w;
	a->vals = NULL;
	a->num = 0;
	return CD_ARG_OPERAND;
}

int cd_args_next(struct cd_args *a)
{
	int r;

	for (;;) {
		if (a->rest) {
			r = bundle_letter(a);
		} else {
			const char *w;

			if (a->i >= a->argc)
				return 0;
			w = a->argv[a->i++];
			if (!a->dashdash && !strcmp(w, "--")) {
				a->dashdash = 1;
				continue;
			}
			r = a->dashdash ? -2 : one_word(a, w);
			if (r == -2)
				r = operand(a, w);
		}
		if (r != 0)
			return r;
	}
}

int cd_args_get(struct cd_args *a)
{
	int r = cd_args_next(a);

	if (r < 0)
		cd_usage("%s", a->err);
	return r;
}
