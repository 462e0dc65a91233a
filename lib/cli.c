/* cli: program name, messages, exit status, size parsing. See cli.h. */
#include "config.h"

#include "cli.h"
#include "xio.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *cd_prog = "cdpipe";
int cd_quiet;
static int exit_status;

void cd_set_prog(const char *argv0)
{
	const char *slash = argv0 ? strrchr(argv0, '/') : NULL;

	if (argv0 && *argv0)
		cd_prog = slash ? slash + 1 : argv0;
}

void cd_raise(int status)
{
	if (status > exit_status)
		exit_status = status;
}

int cd_status(void)
{
	return exit_status;
}

static void vmsg(const char *tag, const char *fmt, va_list ap)
{
	fflush(stdout);
	fprintf(stderr, "%s: %s", cd_prog, tag);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cd_msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cd_note(const char *fmt, ...)
{
	va_list ap;

	if (cd_quiet)
		return;
	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
}

void cd_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("warning: ", fmt, ap);
	va_end(ap);
}

void cd_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	cd_raise(CD_EXIT_FAIL);
}

void cd_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	exit(status > exit_status ? status : exit_status);
}

void cd_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help' for more information.\n", cd_prog);
	exit(CD_EXIT_USAGE);
}

void cd_exit(void)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);
	int err = bad ? errno : 0;

	/* the reader went away: whatever was left to say does not matter
	 * to anyone (errno may be stale when the error was an earlier
	 * write's, so the pipe itself is asked) */
	if (bad && (err == EPIPE || xio_reader_gone(STDOUT_FILENO)))
		xio_broken_pipe();
	if (!bad && close(STDOUT_FILENO) < 0 && errno != EBADF) {
		bad = 1;
		err = errno;
		if (err == EPIPE)
			xio_broken_pipe();
	}
	if (bad) {
		fprintf(stderr, "%s: cannot write standard output: %s\n",
		        cd_prog, err ? strerror(err) : "write error");
		cd_raise(CD_EXIT_FAIL);
	}
	exit(exit_status);
}

void cd_exit_with(int status)
{
	cd_raise(status);
	cd_exit();
}

void cd_version(void)
{
	printf("%s (cdpipe) %s\n"
	       "Copyright (C) the cdpipe authors. License GPLv3+: GNU GPL "
	       "version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
	       "This is free software: you are free to change and "
	       "redistribute it.\n"
	       "There is NO WARRANTY, to the extent permitted by law.\n",
	       cd_prog, PACKAGE_VERSION);
	cd_exit();
}

int cd_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9')
			return -1;
		/* d > max first: max - d must not wrap (a digit 9 was taken
		 * for a max of 8) */
		if (d > max || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int cd_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t whole = 0, frac = 0, fracdiv = 1, mult = 1;
	const char *p = s;

	if (!s || !*s)
		return -1;
	if (*p < '0' || *p > '9')
		if (*p != '.')
			return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return -1;
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		/* up to 9 fractional digits are kept; more are ignored */
		for (; *p >= '0' && *p <= '9'; p++) {
			if (fracdiv < 1000000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				fracdiv *= 10;
			}
		}
	}
	switch (*p) {
	case '\0':
	case 'b':
	case 'B':
		mult = 1;
		break;
	case 'k':
	case 'K':
		mult = 1024;
		break;
	case 'm':
	case 'M':
		mult = 1024 * 1024;
		break;
	case 'g':
	case 'G':
		mult = 1024ULL * 1024 * 1024;
		break;
	case 't':
	case 'T':
		mult = 1024ULL * 1024 * 1024 * 1024;
		break;
	case 's':
	case 'S':
		mult = 2048;
		break;
	default:
		return -1;
	}
	if (*p && p[1] != '\0')
		return -1;
	if (whole > UINT64_MAX / mult)
		return -1;
	*bytes = whole * mult;
	if (frac) {
		/* mult <= 2^40 and frac < 10^9 < 2^30: no overflow */
		uint64_t f = frac * mult / fracdiv;

		if (*bytes > UINT64_MAX - f)
			return -1;
		*bytes += f;
	}
	return 0;
}

const char *cd_keyval(const char *arg, const char *key)
{
	size_t n = strlen(key);

	if (strncmp(arg, key, n) == 0 && arg[n] == '=')
		return arg + n + 1;
	return NULL;
}

char *cd_human(char *buf, size_t len, uint64_t bytes)
{
	static const char *unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	double v = (double)bytes;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%" PRIu64 " B", bytes);
	else
		snprintf(buf, len, "%.*f %s",
		         v < 10    ? 2
		         : v < 100 ? 1
		                   : 0,
		         v, unit[u]);
	return buf;
}

void cd_strv_push(struct cd_strv *sv, const char *s)
{
	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		const char **v = realloc(sv->v, cap * sizeof *v);

		if (!v)
			cd_die(CD_EXIT_FAIL, "out of memory");
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
}

void cd_strv_free(struct cd_strv *sv)
{
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}
