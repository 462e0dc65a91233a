/* cdimage: a disc as CUE/BIN and cdrdao TOC. See cdimage.h. */
#include "config.h"

#include "cdimage.h"

#include "cdsector.h"

#include "cli.h"
#include "digest.h"
#include "progress.h"
#include "xio.h"

#include <cdio/cdtext.h>
#include <cdio/mmc_ll_cmds.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Is raw the data sector at lba, to be copied as it is? Its mode, or 0:
 * read it otherwise (its user bytes, the sector made again). An image's
 * sectors with no EDC, or empty, are copied as the image has them; a
 * drive's with no EDC (qemu's drive answers a raw READ CD with zeros in
 * place of EDC and ECC) are made again. */
static int raw_data(const struct cdsource *s, const unsigned char *raw,
                    int32_t lba)
{
	switch (cdsector_kind(raw, lba)) {
	case CDSECTOR_MODE1:
		return 1;
	case CDSECTOR_MODE2:
		return 2;
	case CDSECTOR_NOEDC:
	case CDSECTOR_EMPTY:
		return s->kind == CDSRC_CDIMAGE ? (raw[15] ? raw[15] : 1) : 0;
	default:
		return 0;
	}
}

/* ----------------------------------------------------------- reading */

struct job {
	struct cdsource *s;
	struct cdaudio a;
	const struct cdaudio_track *o;
	int out;
	const char *bin;
	unsigned char *buf;
	struct progress p;
	int64_t done; /* sectors written */
};

static int put(struct job *j, const void *buf, size_t len)
{
	if (j->o->digest)
		digest_update(j->o->digest, buf, len);
	if (xio_write_all(j->out, buf, len) < 0) {
		cd_error("%s: cannot write: %s", j->bin, strerror(errno));
		return -1;
	}
	return 0;
}

/* n raw data sectors straight from the source, each checked. 0 or -1 */
static int read_raw(struct cdsource *s, int32_t lba, uint32_t n,
                    unsigned char *buf)
{
	int r;

	if (!s->cdio)
		return -1;
	if (s->kind == CDSRC_DRIVE)
		r = mmc_read_cd(s->cdio, buf, lba, 0, false, true, 3, true,
		                true, 0, 0, CDAUDIO_SECTOR, n);
	else
		r = cdio_read_audio_sectors(s->cdio, buf, lba, n);
	if (r != DRIVER_OP_SUCCESS)
		return -1;
	for (uint32_t k = 0; k < n; k++)
		if (!raw_data(s, buf + (size_t)k * CDAUDIO_SECTOR,
		              lba + (int32_t)k))
			return -1;
	return 0;
}

/* One data sector, with retries: raw, else made from its user bytes
 * (MODE1) where the source gives them right. A CD image's are not: its
 * raw tracks are read raw (a sector that is not raw there is bad, and its
 * user bytes are too), and libcdio 2.1 reads a track of 2048-byte
 * sectors (a CUE's MODE1/2048, a TOC's MODE1) at 2352-byte offsets,
 * with a length counted so: sectors made from those bytes were a BIN of
 * other data, copied with exit 0. 0, or -1 */
static int read_data_one(struct job *j, const struct cdsrc_track *t,
                         int32_t lba, unsigned char *raw)
{
	unsigned char user[CDSRC_BLOCK];

	for (unsigned try = 0; try <= j->s->retries; try++) {
		if (read_raw(j->s, lba, 1, raw) == 0)
			return 0;
		if (t->format == TRACK_FORMAT_DATA &&
		    j->s->kind != CDSRC_CDIMAGE &&
		    cdsrc_read(j->s, lba, 1, user) == 0) {
			cdsector_mode1(raw, user, lba);
			return 0;
		}
		if (errno == ENXIO)
			break;
	}
	return -1;
}

static int read_data(struct job *j, const struct cdsrc_track *t, int32_t lba,
                     uint32_t n, unsigned char *buf)
{
	if (read_raw(j->s, lba, n, buf) == 0)
		return 0;
	for (uint32_t k = 0; k < n; k++) {
		unsigned char *b = buf + (size_t)k * CDAUDIO_SECTOR;

		if (read_data_one(j, t, lba + (int32_t)k, b) == 0)
			continue;
		cdaudio_bad(&j->a, lba + k);
		if (!j->a.noerror) {
			cd_error("%s: data sector %" PRId64 " of track %d "
			         "cannot be read (tried %u times)%s",
			         j->s->name, (int64_t)lba + k, t->num,
			         j->s->retries + 1,
			         j->s->kind == CDSRC_CDIMAGE && !t->raw
			             ? ": not a raw 2352-byte sector (a track "
			               "of 2048-byte sectors, MODE1/2048, "
			               "libcdio reads wrong)"
			         : t->format == TRACK_FORMAT_DATA
			             ? ""
			             : ": a MODE2 sector is only copied raw");
			return -1;
		}
		memset(b, 0, CDAUDIO_SECTOR);
	}
	return 0;
}

/* Copy blocks [from, to) of track t to the BIN. 0 or -1 */
static int copy_range(struct job *j, const struct cdsrc_track *t, int32_t from,
                      int32_t to)
{
	const uint32_t chunk = 27;

	for (int32_t lba = from; lba < to;) {
		uint32_t n = chunk;
		int r;

		if (to - lba < (int32_t)n)
			n = (uint32_t)(to - lba);
		r = t->audio ? cdaudio_read(&j->a, lba, n, j->buf)
		             : read_data(j, t, lba, n, j->buf);
		if (r < 0)
			return -1;
		if (put(j, j->buf, (size_t)n * CDAUDIO_SECTOR) < 0)
			return -1;
		lba += (int32_t)n;
		j->done += n;
		progress_update(&j->p, (uint64_t)j->done * CDAUDIO_SECTOR);
	}
	return 0;
}

/* ------------------------------------------------------------ sheets */

static void msf(char *b, size_t len, int64_t blocks)
{
	snprintf(b, len, "%02" PRId64 ":%02" PRId64 ":%02" PRId64,
	         blocks / (75 * 60), blocks / 75 % 60, blocks % 75);
}

/* The next character of UTF-8 text as Latin-1, moving *v past it: a
 * character beyond U+00FF, or a byte that is no UTF-8, is '?'. */
static unsigned char latin1(const char **v)
{
	const unsigned char *p = (const unsigned char *)*v;

	*v += 1;
	if (p[0] < 0x80)
		return p[0];
	if ((p[0] == 0xc2 || p[0] == 0xc3) && (p[1] & 0xc0) == 0x80) {
		*v += 1;
		return (unsigned char)((p[0] & 0x03) << 6 | (p[1] & 0x3f));
	}
	/* the rest of a longer sequence, not one '?' a byte */
	while ((**v & 0xc0) == 0x80 && (p[0] & 0xc0) == 0xc0)
		*v += 1;
	return '?';
}

/* A string for a sheet, no control characters in it: a TOC escapes
 * quotes and backslashes (cdrdao's lexer: \" and octal), a CUE cannot (a
 * quote becomes an apostrophe). CD-TEXT (text set) is written as
 * ISO-8859-1: libcdio gives it as UTF-8, and reads a CUE's and a TOC's
 * text as ISO-8859-1 (as cdrdao does), so UTF-8 bytes there would come
 * back as other characters (Motörhead as MotÃ¶rhead) on every copy. A
 * file name is written as it is (check_names keeps quotes and control
 * characters out of it). */
static void quoted(FILE *f, const char *v, int toc, int text)
{
	fputc('"', f);
	while (*v) {
		unsigned char c = text ? latin1(&v) : (unsigned char)*v++;

		if (toc && c == '\\') {
			fputs("\\134", f); /* cdrdao 1.2.4 has no \\\\ */
			continue;
		}
		if (toc && c == '"')
			fputc('\\', f);
		if (c == '"' && !toc)
			c = '\'';
		else if (c < 32 || c == 0x7f || (text && c >= 0x80 && c < 0xa0))
			c = ' '; /* control characters, C1's in Latin-1 */
		fputc(c, f);
	}
	fputc('"', f);
}

static const struct {
	cdtext_field_t field;
	const char *cue; /* NULL: the TOC only */
	const char *toc;
} text_fields[] = {
    {CDTEXT_FIELD_TITLE, "TITLE", "TITLE"},
    {CDTEXT_FIELD_PERFORMER, "PERFORMER", "PERFORMER"},
    {CDTEXT_FIELD_SONGWRITER, "SONGWRITER", "SONGWRITER"},
    {CDTEXT_FIELD_COMPOSER, "COMPOSER", "COMPOSER"},
    {CDTEXT_FIELD_ARRANGER, "ARRANGER", "ARRANGER"},
    {CDTEXT_FIELD_MESSAGE, "MESSAGE", "MESSAGE"},
    {CDTEXT_FIELD_GENRE, NULL, "GENRE"},
    {CDTEXT_FIELD_DISCID, NULL, "DISC_ID"},
    {CDTEXT_FIELD_UPC_EAN, NULL, "UPC_EAN"},
};
#define NFIELDS (sizeof text_fields / sizeof text_fields[0])

struct disc {
	int32_t from[100]; /* where each track's part of the BIN begins */
	int32_t end;
	char mcn[14];
	char isrc[99][13];
	cdtext_t *text; /* libcdio's, or NULL */
};

static const char *text_of(const struct disc *d, size_t field, int track)
{
	const char *v;

	if (!d->text)
		return NULL;
	v = cdtext_get_const(d->text, text_fields[field].field, (track_t)track);
	return v && *v ? v : NULL;
}

static int has_text(const struct disc *d, const struct cdsource *s)
{
	for (size_t k = 0; k < NFIELDS; k++) {
		if (text_of(d, k, 0))
			return 1;
		for (int i = 0; i < s->ntracks; i++)
			if (text_of(d, k, s->tracks[i].num))
				return 1;
	}
	return 0;
}

static void cue_text(FILE *f, const struct disc *d, int track,
                     const char *indent)
{
	for (size_t k = 0; k < NFIELDS; k++) {
		const char *v = text_of(d, k, track);

		if (v && text_fields[k].cue) {
			fprintf(f, "%s%s ", indent, text_fields[k].cue);
			quoted(f, v, 0, 1);
			fputc('\n', f);
		}
	}
}

static const char *cue_mode(const struct cdsrc_track *t)
{
	if (t->audio)
		return "AUDIO";
	return t->format == TRACK_FORMAT_DATA ? "MODE1/2352" : "MODE2/2352";
}

static void write_cue(FILE *f, const struct cdsource *s, const struct disc *d,
                      const char *base)
{
	char a[16];

	fprintf(f, "REM written by cdread (cdpipe %s)\n", PACKAGE_VERSION);
	if (*d->mcn)
		fprintf(f, "CATALOG %s\n", d->mcn);
	cue_text(f, d, 0, "");
	fputs("FILE ", f);
	quoted(f, base, 0, 0);
	fputs(" BINARY\n", f);
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *t = &s->tracks[i];

		fprintf(f, "  TRACK %02d %s\n", t->num, cue_mode(t));
		cue_text(f, d, t->num, "    ");
		if (t->copy || t->preemph || t->channels == 4)
			fprintf(f, "    FLAGS%s%s%s\n", t->copy ? " DCP" : "",
			        t->preemph ? " PRE" : "",
			        t->channels == 4 ? " 4CH" : "");
		if (*d->isrc[i])
			fprintf(f, "    ISRC %s\n", d->isrc[i]);
		if (d->from[i] < t->start) {
			msf(a, sizeof a, d->from[i]);
			fprintf(f, "    INDEX 00 %s\n", a);
		}
		msf(a, sizeof a, t->start);
		fprintf(f, "    INDEX 01 %s\n", a);
	}
}

static void toc_text(FILE *f, const struct disc *d, int track,
                     const char *indent)
{
	int any = 0;

	for (size_t k = 0; k < NFIELDS; k++)
		any |= text_of(d, k, track) != NULL;
	if (!any && track)
		return;
	fprintf(f, "%sCD_TEXT {\n", indent);
	/* on one line: libcdio skips the rest of it */
	if (!track)
		fprintf(f, "%s  LANGUAGE_MAP { 0 : EN }\n", indent);
	fprintf(f, "%s  LANGUAGE 0 {\n", indent);
	for (size_t k = 0; k < NFIELDS; k++) {
		const char *v = text_of(d, k, track);

		if (v) {
			fprintf(f, "%s    %s ", indent, text_fields[k].toc);
			quoted(f, v, 1, 1);
			fputc('\n', f);
		}
	}
	fprintf(f, "%s  }\n%s}\n", indent, indent);
}

static void write_toc(FILE *f, const struct cdsource *s, const struct disc *d,
                      const char *base)
{
	const char *type = "CD_DA";
	char a[16], b[16];

	/* the disc's type: of its data tracks, MODE2 ones first */
	for (int i = 0; i < s->ntracks; i++)
		if (!s->tracks[i].audio && strcmp(type, "CD_ROM_XA"))
			type = s->tracks[i].format == TRACK_FORMAT_DATA
			           ? "CD_ROM"
			           : "CD_ROM_XA";
	fprintf(f, "// written by cdread (cdpipe %s)\n%s\n", PACKAGE_VERSION,
	        type);
	if (*d->mcn)
		fprintf(f, "CATALOG \"%s\"\n", d->mcn);
	if (has_text(d, s))
		toc_text(f, d, 0, "");
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *t = &s->tracks[i];
		int32_t to = i + 1 < s->ntracks ? d->from[i + 1] : d->end;

		fprintf(f, "\n// Track %d\nTRACK %s\n", t->num,
		        t->audio                         ? "AUDIO"
		        : t->format == TRACK_FORMAT_DATA ? "MODE1_RAW"
		                                         : "MODE2_RAW");
		fprintf(f, "%sCOPY\n", t->copy ? "" : "NO ");
		if (t->audio) {
			fprintf(f, "%sPRE_EMPHASIS\n", t->preemph ? "" : "NO ");
			fprintf(f, "%s_CHANNEL_AUDIO\n",
			        t->channels == 4 ? "FOUR" : "TWO");
		}
		if (*d->isrc[i])
			fprintf(f, "ISRC \"%s\"\n", d->isrc[i]);
		toc_text(f, d, t->num, "");
		/* cdrdao takes raw audio as big-endian unless told SWAP
		 * (a DATAFILE too); a BIN's is little-endian */
		msf(a, sizeof a, to - d->from[i]);
		fputs(t->audio ? "FILE " : "DATAFILE ", f);
		quoted(f, base, 1, 0);
		fprintf(f, "%s #%" PRId64 " %s%s\n", t->audio ? " SWAP" : "",
		        (int64_t)d->from[i] * CDAUDIO_SECTOR,
		        t->audio ? "0 " : "", a);
		if (d->from[i] < t->start) {
			msf(b, sizeof b, t->start - d->from[i]);
			fprintf(f, "START %s\n", b);
		}
	}
}

/* What the disc says of itself: MCN, ISRCs, CD-TEXT, and where each
 * track's part of the BIN begins (its pregap, when on the disc). */
static void survey(struct cdsource *s, struct disc *d)
{
	char *mcn;

	memset(d, 0, sizeof *d);
	d->end = cdsrc_end(s);
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *t = &s->tracks[i];
		int32_t from = t->start - t->pregap;

		if (i == 0)
			from = 0; /* before block 0 is the lead-in */
		else if (t->pregap <= 0 || from <= d->from[i - 1])
			from = t->start;
		d->from[i] = from;
	}
	if (!s->cdio)
		return;
	mcn = cdio_get_mcn(s->cdio);
	if (mcn && strlen(mcn) == 13 && strspn(mcn, "0123456789") == 13 &&
	    strcmp(mcn, "0000000000000"))
		memcpy(d->mcn, mcn, 14);
	cdio_free(mcn);
	for (int i = 0; i < s->ntracks; i++) {
		char *isrc;

		if (!s->tracks[i].audio)
			continue;
		isrc = cdio_get_track_isrc(s->cdio, (track_t)s->tracks[i].num);
		if (isrc && strlen(isrc) == 12) {
			int ok = 1;

			for (int k = 0; k < 12; k++)
				ok &= isalnum((unsigned char)isrc[k]) != 0;
			if (ok)
				memcpy(d->isrc[i], isrc, 13);
		}
		cdio_free(isrc);
	}
	d->text = cdio_get_cdtext(s->cdio);
}

/* --------------------------------------------------------- the files */

static char *join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 1;
	char *p = malloc(n);

	if (!p)
		cd_die(CD_EXIT_FAIL, "out of memory");
	snprintf(p, n, "%s%s", a, b);
	return p;
}

/* A sheet, whole: written and synced under a name of its own
 * (PATH.XXXXXX), then linked to path (never over another file), so that
 * a sheet that is there is whole: killed while writing it (SIGKILL,
 * a crash) cdread leaves no NAME.cue that names half the tracks of a
 * whole BIN. 0, or -1 after a message. */
static int write_sheet(const char *path, const char *text, size_t len)
{
	char *tmp = join(path, ".XXXXXX");
	mode_t mask = umask(0);
	int fd, r = -1;

	umask(mask);
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		cd_msg("%s: cannot create: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	if (fchmod(fd, 0666 & ~mask) < 0 || xio_write_all(fd, text, len) < 0 ||
	    fsync(fd) < 0) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		close(fd);
	} else if (close(fd) < 0) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
	} else if (link(tmp, path) < 0) {
		cd_msg("%s: cannot create: %s", path,
		       errno == EEXIST ? "it is there already (made while "
		                         "cdread ran)"
		                       : strerror(errno));
	} else {
		r = 0;
	}
	unlink(tmp);
	free(tmp);
	return r;
}

static int sheet(char **text, size_t *len,
                 void (*fn)(FILE *, const struct cdsource *,
                            const struct disc *, const char *),
                 const struct cdsource *s, const struct disc *d,
                 const char *base)
{
	FILE *f = open_memstream(text, len);

	if (!f)
		cd_die(CD_EXIT_FAIL, "out of memory");
	fn(f, s, d, base);
	if (ferror(f) | fclose(f))
		cd_die(CD_EXIT_FAIL, "out of memory");
	return 0;
}

/* A data track whose ISO 9660 volume ends past the track's end: a
 * truncated image file, which a data copy and --toc call one (exit 1);
 * its BIN and sheets would pass for a whole disc. 1 after a message, or
 * 0 (descriptors that cannot be read are the copy's to find). */
static int truncated(struct cdsource *s)
{
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *t = &s->tracks[i];
		int32_t end;

		if (!t->audio && cdsrc_iso_end(s, t->start, &end) > 0 &&
		    end > t->start + t->size) {
			cd_msg("%s: the ISO 9660 volume on track %d ends at "
			       "block %" PRId32 " but the track at %" PRId32
			       ": a truncated image (a copy or a write that "
			       "did not finish)",
			       s->name, t->num, end, t->start + t->size);
			return 1;
		}
	}
	return 0;
}

/* the name's directory must be there; the names must be free. 0, or the
 * exit status after a message */
static int check_names(const char *name, char *const paths[3])
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	struct stat st;

	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		cd_msg(
		    "--image %s: no NAME after the directory (DIR/NAME makes "
		    "DIR/NAME.bin, .cue and .toc)",
		    name);
		return CD_EXIT_USAGE;
	}
	/* the sheets name the BIN in quotes, and a CUE has no escape */
	for (const char *p = base; *p; p++)
		if (*p == '"' || (unsigned char)*p < 32 || *p == 0x7f) {
			cd_msg("--image %s: a quote or a control character in "
			       "NAME: the CUE sheet could not name its BIN",
			       name);
			return CD_EXIT_USAGE;
		}
	if (slash) {
		char *dir = strndup(name, (size_t)(slash - name) + 1);

		if (!dir)
			cd_die(CD_EXIT_FAIL, "out of memory");
		int r = stat(dir, &st);

		if (r < 0 || !S_ISDIR(st.st_mode)) {
			cd_msg("--image %s: %s: %s", name, dir,
			       r < 0 ? strerror(errno) : "not a directory");
			free(dir);
			return CD_EXIT_USAGE;
		}
		free(dir);
	}
	for (int i = 0; i < 3; i++)
		if (lstat(paths[i], &st) == 0) {
			cd_msg("%s: already there: cdread does not write over "
			       "an image (remove it first)",
			       paths[i]);
			return CD_EXIT_MEDIUM;
		}
	return 0;
}

int cdimage_write(struct cdsource *s, const char *name,
                  const struct cdaudio_track *o)
{
	char *paths[3] = {join(name, ".bin"), join(name, ".cue"),
	                  join(name, ".toc")};
	const char *slash = strrchr(paths[0], '/');
	const char *base = slash ? slash + 1 : paths[0];
	char *cue = NULL, *toc = NULL;
	size_t cuelen = 0, toclen = 0;
	struct disc d;
	struct job j = {.s = s, .o = o, .out = -1, .bin = paths[0]};
	sigset_t block, old;
	int status, made = 0, sheets = 0;

	status = check_names(name, paths);
	if (status)
		goto out;
	status = CD_EXIT_MEDIUM;
	if (s->nsessions > 1) {
		cd_msg("%s: %d sessions: a CUE/BIN image holds one (copy the "
		       "data with cdread --session N)",
		       s->name, s->nsessions);
		goto out;
	}
	status = CD_EXIT_FAIL;
	/* a TOC's length 0 is "to the end of the file" for cdrdao: the
	 * sheets would describe another disc than the BIN */
	for (int i = 0; i < s->ntracks; i++)
		if (s->tracks[i].size <= 0) {
			cd_msg(
			    "%s: track %d has no blocks: no CD has such a "
			    "track, and no CUE sheet or cdrdao TOC can say it",
			    s->name, s->tracks[i].num);
			goto out;
		}
	if (truncated(s))
		goto out;
	if (cdaudio_open(&j.a, s, o->mode, o->noerror) < 0)
		goto out;
	survey(s, &d);
	sheet(&cue, &cuelen, write_cue, s, &d, base);
	sheet(&toc, &toclen, write_toc, s, &d, base);
	j.out = open(paths[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (j.out < 0) {
		cd_msg("%s: cannot create: %s", paths[0], strerror(errno));
		status = errno == EEXIST ? CD_EXIT_MEDIUM : CD_EXIT_FAIL;
		goto out;
	}
	made = 1;
	xio_partial(AT_FDCWD, paths[0]);
	j.buf = malloc((size_t)27 * CDAUDIO_SECTOR);
	if (!j.buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (o->verbose)
		cd_msg("%s: %d track%s, blocks 0 to %" PRId32 " into %s",
		       s->name, s->ntracks, s->ntracks == 1 ? "" : "s",
		       d.end - 1, paths[0]);
	progress_init(&j.p, o->progress, (uint64_t)d.end * CDAUDIO_SECTOR);
	for (int i = 0; i < s->ntracks; i++) {
		int32_t to = i + 1 < s->ntracks ? d.from[i + 1] : d.end;

		if (copy_range(&j, &s->tracks[i], d.from[i], to) < 0)
			break;
	}
	progress_end(&j.p, (uint64_t)j.done * CDAUDIO_SECTOR);
	cdaudio_report(&j.a, o->bad_list);
	if (j.done < d.end)
		goto out;
	if (fsync(j.out) < 0 || close(j.out) < 0) {
		j.out = -1;
		cd_msg("%s: cannot write: %s", paths[0], strerror(errno));
		goto out;
	}
	j.out = -1;
	/* the sheets, while a signal waits: all three files are there
	 * whole, or none is */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (write_sheet(paths[1], cue, cuelen) == 0) {
		if (write_sheet(paths[2], toc, toclen) == 0)
			sheets = 1;
		else
			unlink(paths[1]);
	}
	if (sheets) {
		xio_partial(AT_FDCWD, NULL);
		made = 0;
		status = j.a.bad.blocks ? CD_EXIT_FAIL : 0;
		if (o->digest)
			digest_report(o->digest);
		cd_note("%s: %d track%s, %" PRId32 " blocks: %s, .cue, .toc",
		        s->name, s->ntracks, s->ntracks == 1 ? "" : "s", d.end,
		        paths[0]);
	} else {
		unlink(paths[0]);
		xio_partial(AT_FDCWD, NULL);
		made = 0;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	if (j.out >= 0)
		close(j.out);
	if (made) {
		/* nothing half written stays */
		unlink(paths[0]);
		xio_partial(AT_FDCWD, NULL);
	}
	if (status && status != CD_EXIT_USAGE && status != CD_EXIT_MEDIUM &&
	    !sheets)
		cd_msg("%s: nothing written", name);
	cdaudio_close(&j.a);
	free(j.buf);
	free(cue);
	free(toc);
	for (int i = 0; i < 3; i++)
		free(paths[i]);
	return status;
}
