/* cli: what every cdpipe program shares at its surface: the program name,
 * messages on stderr in one format, the exit status (which only ever
 * rises), and parsing of sizes and cdrecord-style key=value arguments.
 *
 * Messages read "prog: what went wrong: why", lowercase, no full stop.
 * Exit status is the same in every program:
 *   0 success, 1 failure, 2 usage, 3 medium or drive state, 4 mismatch. */
#ifndef CDPIPE_CLI_H
#define CDPIPE_CLI_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum cd_exit {
	CD_EXIT_OK = 0,
	CD_EXIT_FAIL = 1,
	CD_EXIT_USAGE = 2,
	CD_EXIT_MEDIUM = 3,
	CD_EXIT_MISMATCH = 4,
};

extern const char *cd_prog;

void cd_set_prog(const char *argv0);

/* Raise the exit status the program will end with (never lowers it). */
void cd_raise(int status);
int cd_status(void);

/* -q: notes (cd_note) are not said; warnings and errors still are. */
extern int cd_quiet;

/* "prog: message" on stderr. */
void cd_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: message", unless -q: what is going on, not what went wrong
 * (waiting for a lock, what was written). */
void cd_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: message"; does not change the exit status. */
void cd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: message" and raise the exit status to 1; the program goes on. */
void cd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: message" and exit with the given status. */
void cd_die(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), noreturn));
/* A usage error: message, a hint to --help, exit 2. */
void cd_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

/* The end of every program: flush and close standard output, then exit
 * with the status raised so far. Output that could not be written is
 * exit 1 with a message, except when the reader of a pipe went away:
 * then the program ends quietly, as a filter killed by SIGPIPE does
 * (status 141 in the shell), whatever it had to say. */
void cd_exit(void) __attribute__((noreturn));
/* cd_raise(status), then cd_exit. */
void cd_exit_with(int status) __attribute__((noreturn));

/* --version: "prog (cdpipe) VERSION" and the licence, on stdout; then
 * cd_exit. */
void cd_version(void) __attribute__((noreturn));

/* Parse a size such as "650m", "332500s", "4.7G", "2048" (bytes) or
 * "1.5k". Suffixes: b (bytes), k, m, g, t (powers of 1024), s (2048-byte
 * sectors). Returns 0 and stores the byte count, or -1 on bad syntax,
 * a negative value or overflow. */
int cd_parse_size(const char *s, uint64_t *bytes);

/* Parse a non-negative decimal integer no larger than max. 0 or -1. */
int cd_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* If arg is "key=value", return a pointer to value, else NULL. */
const char *cd_keyval(const char *arg, const char *key);

/* Human-readable byte count into buf ("1.21 GiB"). Returns buf. */
char *cd_human(char *buf, size_t len, uint64_t bytes);

/* A growable list of strings (owned by the caller's lifetime; the strings
 * are not copied). */
struct cd_strv {
	const char **v;
	size_t n, cap;
};
void cd_strv_push(struct cd_strv *sv, const char *s);
void cd_strv_free(struct cd_strv *sv);

#endif
