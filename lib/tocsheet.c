/* tocsheet: cdrdao TOC files as audio tracks. See tocsheet.h. */
#include "config.h"

#include "tocsheet.h"
#include "audio.h"
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOC_MAX_BYTES (1 << 20) /* a sheet of a full CD is a few KiB */
#define TOC_MAX_STRING 4096
#define TOC_MAX_PIECES 1000

const char *const toc_text_key[TOC_TEXT_N] = {
    "TITLE",    "PERFORMER", "SONGWRITER", "COMPOSER",
    "ARRANGER", "MESSAGE",   "DISC_ID",    "UPC_EAN",
};
const int toc_text_pack[TOC_TEXT_N] = {0x80, 0x81, 0x82, 0x83,
                                       0x84, 0x85, 0x86, 0x8e};

enum tok { T_END, T_WORD, T_STRING, T_OPEN, T_CLOSE, T_COMMA, T_COLON };

struct lex {
	const char *p, *end;
	int line;
	enum tok tok;
	char val[TOC_MAX_STRING];
	char *err;
	size_t elen;
	const char *name;
	char *dir; /* the TOC's directory, with its '/' */
};

static int fail(struct lex *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(struct lex *l, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	snprintf(l->err, l->elen, "line %d: %s", l->line, what);
	return -1;
}

/* The next token into l->tok and l->val. -1 after a message. */
static int next(struct lex *l)
{
	size_t n = 0;

	for (;;) {
		while (l->p < l->end && isspace((unsigned char)*l->p)) {
			if (*l->p == '\n')
				l->line++;
			l->p++;
		}
		if (l->p + 1 < l->end && l->p[0] == '/' && l->p[1] == '/') {
			while (l->p < l->end && *l->p != '\n')
				l->p++;
			continue;
		}
		break;
	}
	l->val[0] = '\0';
	if (l->p >= l->end)
		return l->tok = T_END, 0;
	switch (*l->p) {
	case '{':
		l->p++;
		return l->tok = T_OPEN, 0;
	case '}':
		l->p++;
		return l->tok = T_CLOSE, 0;
	case ',':
		l->p++;
		return l->tok = T_COMMA, 0;
	case ':':
		l->p++;
		return l->tok = T_COLON, 0;
	case '"':
		/* cdrdao's strings: \" and \\ and \ooo octal escapes */
		for (l->p++; l->p < l->end && *l->p != '"'; l->p++) {
			int c = (unsigned char)*l->p;

			if (c == '\n')
				return fail(l, "a string does not end");
			if (c == '\\' && l->p + 1 < l->end) {
				l->p++;
				c = (unsigned char)*l->p;
				if (c >= '0' && c <= '7') {
					int v = 0;

					for (int k = 0;
					     k < 3 && l->p < l->end &&
					     *l->p >= '0' && *l->p <= '7';
					     k++)
						v = v * 8 + *l->p++ - '0';
					l->p--;
					c = v & 0xff;
				}
			}
			if (n + 1 >= sizeof l->val)
				return fail(l, "a string longer than %d bytes",
				            TOC_MAX_STRING - 1);
			l->val[n++] = (char)c;
		}
		if (l->p >= l->end)
			return fail(l, "a string does not end");
		l->p++;
		l->val[n] = '\0';
		return l->tok = T_STRING, 0;
	}
	while (l->p < l->end && !isspace((unsigned char)*l->p) &&
	       !strchr("{},\"", *l->p)) {
		if (l->p[0] == '/' && l->p + 1 < l->end && l->p[1] == '/')
			break;
		if (n + 1 >= sizeof l->val)
			return fail(l, "a word longer than %d bytes",
			            TOC_MAX_STRING - 1);
		l->val[n++] = *l->p++;
	}
	l->val[n] = '\0';
	/* "0:" in a language map: a number and a colon */
	if (n > 1 && l->val[n - 1] == ':' &&
	    strchr(l->val, ':') == l->val + n - 1) {
		l->val[n - 1] = '\0';
		l->p--;
	}
	l->tok = T_WORD;
	return 0;
}

/* A length or position: MM:SS:FF in blocks, else a number of samples
 * (audio: 4 bytes each). Bytes into *v. */
static int length(struct lex *l, const char *what, int64_t *v)
{
	unsigned m, s, f;
	char c;

	if (l->tok != T_WORD)
		return fail(l, "%s: a length (MM:SS:FF or samples) is missing",
		            what);
	if (strchr(l->val, ':')) {
		/* digits only, at most three a field: sscanf's %u takes a
		 * sign and wraps 4294967296 to 0 */
		size_t k = 0;

		for (const char *p = l->val; *p; p++) {
			k = *p == ':' ? 0 : k + 1;
			if (k > 3 || (*p != ':' && !isdigit((unsigned char)*p)))
				return fail(l, "%s: %s is no MM:SS:FF time",
				            what, l->val);
		}
		if (sscanf(l->val, "%u:%u:%u%c", &m, &s, &f, &c) != 3 ||
		    s > 59 || f > 74 || m > 99)
			return fail(l, "%s: %s is no MM:SS:FF time", what,
			            l->val);
		*v = ((int64_t)m * 60 * 75 + s * 75 + f) * AUDIO_SECTOR;
		return next(l);
	}
	for (const char *p = l->val; *p; p++)
		if (!isdigit((unsigned char)*p) || p - l->val > 12)
			return fail(l,
			            "%s: %s is no MM:SS:FF time or number "
			            "of samples",
			            what, l->val);
	*v = (int64_t)strtoll(l->val, NULL, 10) * 4;
	return next(l);
}

/* PREGAP, START and INDEX: MM:SS:FF only, as cdrdao has them (a number
 * of samples there is its syntax error; PREGAP 1 would put one sample of
 * silence before the track's data, not a pre-gap). */
static int msf_length(struct lex *l, const char *what, int64_t *v)
{
	if (l->tok == T_WORD && !strchr(l->val, ':'))
		return fail(l, "%s: %s is no MM:SS:FF time", what, l->val);
	return length(l, what, v);
}

static int is_length(const struct lex *l)
{
	return l->tok == T_WORD && isdigit((unsigned char)l->val[0]);
}

static int word(const struct lex *l, const char *w)
{
	return l->tok == T_WORD && !strcmp(l->val, w);
}

static int add_piece(struct lex *l, struct toc_track *t, const char *path,
                     off_t offset, int64_t bytes, int swap)
{
	struct toc_piece *p;

	if (bytes == 0)
		return 0;
	if (t->npiece == TOC_MAX_PIECES)
		return fail(l, "more than %d pieces in a track",
		            TOC_MAX_PIECES);
	p = realloc(t->piece, (size_t)(t->npiece + 1) * sizeof *p);
	if (!p)
		return fail(l, "out of memory");
	t->piece = p;
	p += t->npiece++;
	p->path = NULL;
	if (path) {
		p->path = malloc(strlen(l->dir) + strlen(path) + 1);
		if (!p->path)
			return fail(l, "out of memory");
		/* cdrdao's rule: relative to the sheet */
		sprintf(p->path, "%s%s", path[0] == '/' ? "" : l->dir, path);
	}
	p->offset = offset;
	p->bytes = bytes;
	p->swap = swap;
	t->bytes += bytes;
	return 0;
}

static char *full_path(struct lex *l, const char *name)
{
	static char buf[8192];

	snprintf(buf, sizeof buf, "%s%s", name[0] == '/' ? "" : l->dir, name);
	return buf;
}

/* FILE / AUDIOFILE "name" [SWAP] [#offset] start [length], DATAFILE
 * "name" [#offset] [length]: the samples of a .wav file by its header, of
 * any other file its bytes, big-endian unless SWAP (cdrdao(1)). */
static int file_piece(struct lex *l, struct toc_track *t, int datafile)
{
	char name[TOC_MAX_STRING], err[256];
	const char *kw = datafile ? "DATAFILE" : "FILE";
	int64_t start = 0, len = 0, skip = 0;
	off_t data = 0, have;
	struct stat st;
	size_t nl;
	int line = l->line, after, swap = 0, wav;

	if (next(l) < 0)
		return -1;
	if (l->tok != T_STRING)
		return fail(l, "%s: a file name in quotes is missing", kw);
	snprintf(name, sizeof name, "%s", l->val);
	if (!strcmp(name, "-"))
		return fail(l,
		            "%s \"-\": standard input is not read from a "
		            "TOC file",
		            kw);
	if (next(l) < 0)
		return -1;
	if (!datafile && l->tok == T_WORD && !strcmp(l->val, "SWAP")) {
		swap = 1;
		if (next(l) < 0)
			return -1;
	}
	if (l->tok == T_WORD && l->val[0] == '#') {
		char *e;

		errno = 0;
		skip = strtoll(l->val + 1, &e, 10);
		if (*e || errno || skip < 0 || l->val[1] == '\0')
			return fail(l, "%s: %s is no byte offset", kw, l->val);
		if (next(l) < 0)
			return -1;
	}
	if (!datafile && length(l, kw, &start) < 0)
		return -1;
	if (is_length(l) && length(l, kw, &len) < 0)
		return -1;
	/* what is wrong with the file is said of the line naming it */
	after = l->line;
	l->line = line;
	if (stat(full_path(l, name), &st) < 0)
		return fail(l, "%s \"%s\": %s", kw, full_path(l, name),
		            strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fail(l, "%s \"%s\": not a regular file", kw,
		            full_path(l, name));
	have = st.st_size;
	nl = strlen(name);
	wav = !datafile && nl > 4 && !strcasecmp(name + nl - 4, ".wav");
	if (wav) {
		struct audio_src a;

		if (audio_open_samples(&a, full_path(l, name), err,
		                       sizeof err) < 0)
			return fail(l, "%s \"%s\": %s", kw, full_path(l, name),
			            err);
		data = lseek(a.fd, 0, SEEK_CUR);
		have = a.size;
		audio_close(&a);
		if (data < 0)
			return fail(l, "%s \"%s\": %s", kw, full_path(l, name),
			            strerror(errno));
	}
	/* a #offset is bytes before the samples start counts from */
	if (skip > have || start > have - skip)
		return fail(l,
		            "%s \"%s\": it starts at byte %" PRId64
		            ", past the end of its %" PRId64 " bytes of data",
		            kw, full_path(l, name), skip + start,
		            (int64_t)have);
	data += skip;
	have -= skip;
	if (len == 0)
		len = have - start;
	if (len > have - start)
		return fail(l,
		            "%s \"%s\": %" PRId64 " bytes from byte %" PRId64
		            " asked for, it holds %" PRId64,
		            kw, full_path(l, name), len, start, (int64_t)have);
	/* a WAVE file is little-endian, a raw one big-endian; SWAP turns
	 * either round. DATAFILE bytes go as they are. */
	if (add_piece(l, t, name, data + start, len,
	              datafile ? 0
	              : wav    ? swap
	                       : !swap) < 0)
		return -1;
	l->line = after;
	return 0;
}

static int set_text(struct lex *l, char **slot)
{
	free(*slot);
	*slot = strdup(l->val);
	return *slot ? 0 : fail(l, "out of memory");
}

/* CD_TEXT { LANGUAGE_MAP { ... } LANGUAGE n { ITEM "text" | ITEM { binary }
 * ... } ... }: the items of language 0 go to text. */
static int cd_text(struct lex *l, char **text, int track)
{
	int warned = 0;

	if (next(l) < 0)
		return -1;
	if (l->tok != T_OPEN)
		return fail(l, "CD_TEXT: '{' is missing");
	if (next(l) < 0)
		return -1;
	while (l->tok != T_CLOSE) {
		int lang, depth;

		if (word(l, "LANGUAGE_MAP")) {
			if (next(l) < 0)
				return -1;
			if (l->tok != T_OPEN)
				return fail(l, "LANGUAGE_MAP: '{' is missing");
			for (depth = 1; depth;) {
				if (next(l) < 0)
					return -1;
				if (l->tok == T_END)
					return fail(l, "LANGUAGE_MAP does not "
					               "end");
				depth += l->tok == T_OPEN;
				depth -= l->tok == T_CLOSE;
			}
			if (next(l) < 0)
				return -1;
			continue;
		}
		if (!word(l, "LANGUAGE"))
			return fail(l,
			            "CD_TEXT: LANGUAGE or LANGUAGE_MAP "
			            "expected, not '%s'",
			            l->val);
		if (next(l) < 0)
			return -1;
		if (l->tok != T_WORD || !isdigit((unsigned char)l->val[0]) ||
		    atoi(l->val) > 7)
			return fail(l, "LANGUAGE: a number 0 to 7 is missing");
		lang = atoi(l->val);
		if (lang && !warned++)
			cd_warn("%s: CD-TEXT of language %d is not written "
			        "(language 0 is)",
			        l->name, lang);
		if (next(l) < 0)
			return -1;
		if (l->tok != T_OPEN)
			return fail(l, "LANGUAGE: '{' is missing");
		if (next(l) < 0)
			return -1;
		while (l->tok != T_CLOSE) {
			int k;

			if (l->tok != T_WORD)
				return fail(l, "CD_TEXT: an item name is "
				               "missing");
			for (k = 0; k < TOC_TEXT_N; k++)
				if (!strcmp(l->val, toc_text_key[k]))
					break;
			if (!strcmp(l->val, "ISRC"))
				k = TOC_UPC_ISRC;
			if (next(l) < 0)
				return -1;
			if (l->tok == T_STRING) {
				/* GENRE, TOC_INFO1... are left out */
				if (k < TOC_TEXT_N && !lang && l->val[0] &&
				    set_text(l, &text[k]) < 0)
					return -1;
				if (next(l) < 0)
					return -1;
				continue;
			}
			if (l->tok != T_OPEN)
				return fail(l, "CD_TEXT: a string or { binary "
				               "} is missing");
			for (depth = 1; depth;) {
				if (next(l) < 0)
					return -1;
				if (l->tok == T_END)
					return fail(l, "CD_TEXT: binary data "
					               "does not end");
				depth += l->tok == T_OPEN;
				depth -= l->tok == T_CLOSE;
			}
			if (next(l) < 0)
				return -1;
		}
		if (next(l) < 0)
			return -1;
	}
	(void)track;
	return next(l);
}

static int track_stmt(struct lex *l, struct toc_track *t, int no)
{
	int64_t v;
	int line;

	if (word(l, "NO")) {
		if (next(l) < 0)
			return -1;
		if (word(l, "COPY"))
			t->copy = 0;
		else if (word(l, "PRE_EMPHASIS"))
			t->preemph = 0;
		else
			return fail(l, "NO %s: NO COPY or NO PRE_EMPHASIS",
			            l->val);
		return next(l);
	}
	if (word(l, "COPY") || word(l, "PRE_EMPHASIS")) {
		*(word(l, "COPY") ? &t->copy : &t->preemph) = 1;
		return next(l);
	}
	if (word(l, "TWO_CHANNEL_AUDIO"))
		return next(l);
	if (word(l, "FOUR_CHANNEL_AUDIO"))
		return fail(l, "track %d: four channel audio is not written",
		            no);
	if (word(l, "ISRC")) {
		if (next(l) < 0)
			return -1;
		if (l->tok != T_STRING || !toc_isrc_ok(l->val))
			return fail(l, "ISRC \"%s\": not CCOOOYYSSSSS", l->val);
		memcpy(t->isrc, l->val, sizeof t->isrc); /* 12 and '\0' */
		return next(l);
	}
	if (word(l, "CD_TEXT"))
		return cd_text(l, t->text, no);
	if (word(l, "SILENCE") || word(l, "ZERO")) {
		const char *kw = word(l, "SILENCE") ? "SILENCE" : "ZERO";

		if (next(l) < 0)
			return -1;
		/* ZERO [data mode] length */
		if (!strcmp(kw, "ZERO") && l->tok == T_WORD &&
		    !isdigit((unsigned char)l->val[0]) && next(l) < 0)
			return -1;
		if (length(l, kw, &v) < 0)
			return -1;
		return add_piece(l, t, NULL, 0, v, 0);
	}
	if (word(l, "FILE") || word(l, "AUDIOFILE"))
		return file_piece(l, t, 0);
	if (word(l, "DATAFILE"))
		return file_piece(l, t, 1);
	if (word(l, "FIFO"))
		return fail(l, "FIFO: cdwrite reads no FIFO named in a TOC");
	if (word(l, "PREGAP")) {
		if (t->npiece || t->pregap)
			return fail(l, "PREGAP after the track's data or "
			               "START");
		if (next(l) < 0 || msf_length(l, "PREGAP", &v) < 0)
			return -1;
		if (add_piece(l, t, NULL, 0, v, 0) < 0)
			return -1;
		t->pregap = v / AUDIO_SECTOR;
		return 0;
	}
	if (word(l, "START")) {
		if (t->pregap)
			return fail(l, "START: the pre-gap is given already");
		if (next(l) < 0)
			return -1;
		if (is_length(l)) {
			if (msf_length(l, "START", &v) < 0)
				return -1;
			t->pregap = v / AUDIO_SECTOR;
		} else {
			t->pregap =
			    (t->bytes + AUDIO_SECTOR - 1) / AUDIO_SECTOR;
		}
		return 0;
	}
	if (word(l, "INDEX")) {
		if (t->nindex == 98)
			return fail(l, "more than 99 indexes");
		if (next(l) < 0)
			return -1;
		line = l->line;
		if (msf_length(l, "INDEX", &v) < 0)
			return -1;
		/* in whole sectors, as the disc has them (cdrdao: "Index at
		 * start of track" for one of less than a sector) */
		if (v / AUDIO_SECTOR == 0 ||
		    (t->nindex &&
		     v / AUDIO_SECTOR <= t->index[t->nindex - 1])) {
			l->line = line; /* the INDEX's, not the next one's */
			return fail(l, "INDEX: indexes must go up, a sector or "
			               "more after the track's start");
		}
		t->index[t->nindex++] = v / AUDIO_SECTOR;
		return 0;
	}
	if (l->tok == T_STRING)
		return fail(l, "\"%s\": a string where a statement should be",
		            l->val);
	return fail(l, "'%s': no cdrdao TOC statement of a track", l->val);
}

int toc_read(const char *path, struct toc_sheet *s, char *err, size_t elen)
{
	struct lex *l = calloc(1, sizeof *l);
	char *text = NULL;
	const char *slash;
	struct stat st;
	ssize_t got;
	int fd = -1, r = -1;

	memset(s, 0, sizeof *s);
	if (!l) {
		snprintf(err, elen, "out of memory");
		return 1;
	}
	l->err = err;
	l->elen = elen;
	l->name = path;
	l->line = 1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		snprintf(err, elen, "cannot open: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > TOC_MAX_BYTES) {
		snprintf(err, elen, "not a TOC file (%s)",
		         S_ISREG(st.st_mode) ? "larger than 1 MiB"
		                             : "not a regular file");
		goto out;
	}
	text = malloc((size_t)st.st_size + 1);
	slash = strrchr(path, '/');
	l->dir = strndup(path, slash ? (size_t)(slash - path + 1) : 0);
	if (!text || !l->dir) {
		snprintf(err, elen, "out of memory");
		goto out;
	}
	got = read(fd, text, (size_t)st.st_size);
	if (got != st.st_size) {
		snprintf(err, elen, "cannot read: %s",
		         got < 0 ? strerror(errno) : "it changed meanwhile");
		goto out;
	}
	if (memchr(text, '\0', (size_t)got)) {
		snprintf(err, elen, "not a TOC file (binary data)");
		goto out;
	}
	l->p = text;
	l->end = text + got;
	if (next(l) < 0)
		goto out;
	/* the disc */
	while (l->tok != T_END && !word(l, "TRACK")) {
		if (word(l, "CD_DA") || word(l, "CD_ROM") ||
		    word(l, "CD_ROM_XA") || word(l, "CD_I")) {
			if (next(l) < 0)
				goto out;
		} else if (word(l, "CATALOG")) {
			if (next(l) < 0)
				goto out;
			if (l->tok != T_STRING || strlen(l->val) != 13 ||
			    strspn(l->val, "0123456789") != 13) {
				fail(l, "CATALOG \"%s\": not 13 digits",
				     l->val);
				goto out;
			}
			memcpy(s->mcn, l->val, 14);
			if (next(l) < 0)
				goto out;
		} else if (word(l, "CD_TEXT")) {
			if (cd_text(l, s->text, 0) < 0)
				goto out;
		} else {
			fail(l,
			     "'%s': no cdrdao TOC statement before the "
			     "first TRACK",
			     l->val);
			goto out;
		}
	}
	while (word(l, "TRACK")) {
		struct toc_track *t;

		if (s->n == 99) {
			fail(l, "more than 99 tracks");
			goto out;
		}
		t = &s->track[s->n++];
		if (next(l) < 0)
			goto out;
		if (!word(l, "AUDIO")) {
			fail(l,
			     "track %d is %s: cdwrite writes the audio tracks "
			     "of a TOC file only",
			     s->n, l->tok == T_WORD ? l->val : "of no mode");
			goto out;
		}
		if (next(l) < 0)
			goto out;
		if (word(l, "RW") || word(l, "RW_RAW")) {
			fail(l, "track %d: sub-channel data is not written",
			     s->n);
			goto out;
		}
		while (l->tok != T_END && !word(l, "TRACK"))
			if (track_stmt(l, t, s->n) < 0)
				goto out;
		if (!t->bytes) {
			fail(l, "track %d has no data", s->n);
			goto out;
		}
		if (t->pregap * AUDIO_SECTOR >= t->bytes ||
		    (t->nindex &&
		     (t->pregap + t->index[t->nindex - 1]) * AUDIO_SECTOR >=
		         t->bytes)) {
			fail(l,
			     "track %d: its pre-gap or an index is past "
			     "its end",
			     s->n);
			goto out;
		}
	}
	if (l->tok != T_END) {
		fail(l, "'%s': no cdrdao TOC statement", l->val);
		goto out;
	}
	if (!s->n) {
		snprintf(err, elen, "no TRACK in it: not a cdrdao TOC file");
		goto out;
	}
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	free(text);
	if (l)
		free(l->dir);
	free(l);
	if (r < 0)
		toc_free(s);
	return r < 0 ? 1 : 0;
}

void toc_free(struct toc_sheet *s)
{
	for (int i = 0; i < s->n; i++) {
		for (int k = 0; k < s->track[i].npiece; k++)
			free(s->track[i].piece[k].path);
		free(s->track[i].piece);
		for (int k = 0; k < TOC_TEXT_N; k++)
			free(s->track[i].text[k]);
	}
	for (int k = 0; k < TOC_TEXT_N; k++)
		free(s->text[k]);
	memset(s, 0, sizeof *s);
}

void toc_reader_init(struct toc_reader *r, const struct toc_track *t)
{
	r->t = t;
	r->i = 0;
	r->done = 0;
	r->fd = -1;
}

ssize_t toc_reader_read(struct toc_reader *r, unsigned char *buf, size_t len)
{
	const struct toc_piece *p;
	size_t want;
	ssize_t n;

	while (r->i < r->t->npiece && r->done == r->t->piece[r->i].bytes) {
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		r->i++;
		r->done = 0;
	}
	if (r->i == r->t->npiece || !len)
		return 0;
	p = &r->t->piece[r->i];
	want = p->bytes - r->done < (int64_t)len ? (size_t)(p->bytes - r->done)
	                                         : len;
	if (!p->path) {
		memset(buf, 0, want);
		r->done += (int64_t)want;
		return (ssize_t)want;
	}
	if (r->fd < 0) {
		r->fd = open(p->path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0)
			return -1;
	}
	/* whole samples of a piece to swap: its bytes are a multiple of 4 */
	if (p->swap && want > 1)
		want &= ~(size_t)1;
	n = pread(r->fd, buf, want, p->offset + r->done);
	if (n == 0) {
		errno = ENODATA; /* the file was cut short meanwhile */
		return -1;
	}
	if (n > 0 && p->swap && (n & 1)) {
		/* keep byte pairs whole: the odd byte is read again */
		n--;
		if (n == 0) {
			errno = EIO;
			return -1;
		}
	}
	if (n > 0 && p->swap)
		audio_swap(buf, (size_t)n);
	if (n > 0)
		r->done += n;
	return n;
}

void toc_reader_close(struct toc_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
}

int toc_isrc_ok(const char *s)
{
	if (strlen(s) != 12)
		return 0;
	for (int i = 0; i < 12; i++) {
		int c = (unsigned char)s[i];

		if (i < 5 ? !(isdigit(c) || (c >= 'A' && c <= 'Z'))
		          : !isdigit(c))
			return 0;
	}
	return 1;
}
