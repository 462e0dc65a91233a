/* cueimage: audio tracks as a CUE/BIN image. See cueimage.h. */
#include "config.h"

#include "cueimage.h"
#include "audio.h"
#include "cli.h"
#include "xio.h"

#include <cdio/cdtext.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (AUDIO_SECTOR * 448) /* about 1 MiB, whole sectors */

/* Fill buf from a track's file, or from a TOC track's pieces (rd), as far
 * as they go: a short count only at the end. */
static ssize_t read_full(int fd, struct toc_reader *rd, unsigned char *buf,
                         size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r;

		if (!rd && !burn_wait_input(fd)) {
			errno = EINTR; /* cancelled while the input stalls */
			return -1;
		}
		r = rd ? toc_reader_read(rd, buf + got, len - got)
		       : read(fd, buf + got, len - got);

		if (r < 0 && errno == EINTR && !burn_cancel_signal)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int64_t copy_pieces(int out, const char *bin, struct session_track *t,
                           struct toc_reader *rd, unsigned char *buf,
                           struct progress *pr, uint64_t *done);

/* Copy one track into out, byte pairs swapped as needed, the last sector
 * filled up. Returns its sectors, or -1 after a message. */
static int64_t copy_track(int out, const char *bin, struct session_track *t,
                          unsigned char *buf, struct progress *pr,
                          uint64_t *done)
{
	struct toc_reader r, *rd = &r;
	int64_t sectors;

	if (t->toc)
		toc_reader_init(rd, t->toc);
	sectors = copy_pieces(out, bin, t, rd, buf, pr, done);
	if (t->toc)
		toc_reader_close(rd);
	return sectors;
}

static int64_t copy_pieces(int out, const char *bin, struct session_track *t,
                           struct toc_reader *rd, unsigned char *buf,
                           struct progress *pr, uint64_t *done)
{
	off_t total = 0;

	for (;;) {
		size_t want = CHUNK;
		ssize_t n;

		if (t->size >= 0 && t->size - total < (off_t)want)
			want = (size_t)(t->size - total);
		n = want ? read_full(t->fd, t->toc ? rd : NULL, buf, want) : 0;
		if (burn_cancel_signal)
			return -1;
		if (n < 0) {
			cd_msg("cannot read %s: %s", t->name, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		total += n;
		if (t->swap)
			audio_swap(buf, (size_t)n);
		if (n % AUDIO_SECTOR) { /* the end: fill up the sector */
			size_t fill = AUDIO_SECTOR - (size_t)n % AUDIO_SECTOR;

			memset(buf + n, 0, fill);
			n += (ssize_t)fill;
		}
		if (xio_write_all(out, buf, (size_t)n) < 0) {
			cd_msg("%s: cannot write: %s", bin, strerror(errno));
			return -1;
		}
		*done += (uint64_t)n;
		progress_update(pr, *done);
	}
	if (t->size >= 0 && total < t->size) {
		cd_msg("%s ended after %" PRId64 " of %" PRId64 " bytes",
		       t->name, (int64_t)total, (int64_t)t->size);
		return -1;
	}
	if (total < (off_t)AUDIO_MIN_SECTORS * AUDIO_SECTOR) {
		cd_msg("%s: %.2f s of audio: a CD audio track must be at "
		       "least 4 s long",
		       t->name, (double)total / (AUDIO_SECTOR * 75));
		return -1;
	}
	return ((int64_t)total + AUDIO_SECTOR - 1) / AUDIO_SECTOR;
}

/* The CD-TEXT items the sheet names: a TOC's, or those of textfile='s
 * packs as libcdio reads them. */
struct sheet_text {
	const char *disc[TOC_TEXT_N];
	const char *track[99][TOC_TEXT_N];
	cdtext_t *ct;
};

static void sheet_text(struct sheet_text *x, const struct burn_job *j,
                       const struct session_track *t, int n)
{
	/* libcdio's fields in the order of tocsheet.h's items */
	static const cdtext_field_t field[TOC_TEXT_N] = {
	    CDTEXT_FIELD_TITLE,      CDTEXT_FIELD_PERFORMER,
	    CDTEXT_FIELD_SONGWRITER, CDTEXT_FIELD_COMPOSER,
	    CDTEXT_FIELD_ARRANGER,   CDTEXT_FIELD_MESSAGE,
	    CDTEXT_FIELD_DISCID,     CDTEXT_FIELD_UPC_EAN};

	memset(x, 0, sizeof *x);
	for (int k = 0; k < TOC_TEXT_N; k++) {
		x->disc[k] = j->text ? j->text[k] : NULL;
		for (int i = 0; i < n; i++)
			x->track[i][k] = t[i].toc ? t[i].toc->text[k] : NULL;
	}
	if (!j->text_packs)
		return;
	x->ct = cdtext_init();
	if (!x->ct ||
	    cdtext_data_init(x->ct, j->text_packs, (size_t)j->num_packs * 18)) {
		cd_warn("%s: libcdio cannot read its CD-TEXT: the sheet names "
		        "the pack file only (CDTEXTFILE)",
		        j->textfile);
		return;
	}
	for (int k = 0; k < TOC_TEXT_N; k++) {
		x->disc[k] = cdtext_get_const(x->ct, field[k], 0);
		for (int i = 0; i < n; i++)
			x->track[i][k] = cdtext_get_const(
			    x->ct,
			    k == TOC_UPC_ISRC ? CDTEXT_FIELD_ISRC : field[k],
			    (track_t)(i + 1));
	}
}

/* TITLE "..." and the others a CUE sheet has (libburn reads these six;
 * DISC_ID and UPC/EAN are in the pack file only). A sheet cannot quote
 * a '"'. */
static void put_text(FILE *f, const char *indent, const char *const *text)
{
	for (int k = 0; k <= TOC_MESSAGE; k++) {
		if (!text[k] || !text[k][0])
			continue;
		fprintf(f, "%s%s \"", indent, toc_text_key[k]);
		for (const char *p = text[k]; *p; p++)
			fputc(*p == '"'                 ? '\''
			      : (unsigned char)*p < ' ' ? ' '
			                                : *p,
			      f);
		fputs("\"\n", f);
	}
}

static void put_index(FILE *f, int k, int64_t at)
{
	fprintf(f, "    INDEX %02d %02" PRId64 ":%02" PRId64 ":%02" PRId64 "\n",
	        k, at / (75 * 60), at / 75 % 60, at % 75);
}

/* The packs as a CD-TEXT file: the packs alone, which libburn, cdrskin
 * and libcdio's CUE reader take (libcdio 2.1 refuses the 4-byte header
 * that cdrecord -vv -toc writes). 0, or -1 after a message. */
static int write_packs(const char *path, const unsigned char *packs, int num)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);

	if (fd < 0 || xio_write_all(fd, packs, (size_t)num * 18) < 0 ||
	    fsync(fd) < 0 || close(fd) < 0) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		if (fd >= 0)
			unlink(path);
		return -1;
	}
	return 0;
}

static void toc_string(FILE *f, const char *v)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)(v ? v : ""); *p;
	     p++)
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < ' ' || *p > '~')
			fprintf(f, "\\%03o", *p);
		else
			fputc(*p, f);
	fputc('"', f);
}

/* A CD_TEXT block: every item that the disc or a track has, "" where
 * this one lacks it (cdrdao wants an item on all or none). The disc's
 * is there too when only tracks have CD-TEXT: its LANGUAGE_MAP says what
 * language 0 is. */
static void toc_text(FILE *f, const struct sheet_text *x, int n,
                     const char *const *text, int track)
{
	fprintf(f, "CD_TEXT {\n");
	if (!track)
		fprintf(f, "  LANGUAGE_MAP { 0 : EN }\n");
	fprintf(f, "  LANGUAGE 0 {\n");
	for (int k = 0; k < TOC_TEXT_N; k++) {
		int used = x->disc[k] && x->disc[k][0];

		if (k == TOC_DISC_ID && track)
			continue;
		for (int i = 0; i < n; i++)
			used |= x->track[i][k] && x->track[i][k][0];
		if (!used)
			continue;
		fprintf(f, "    %s ",
		        k == TOC_UPC_ISRC && track ? "ISRC" : toc_text_key[k]);
		toc_string(f, text[k]);
		fputc('\n', f);
	}
	fprintf(f, "  }\n}\n");
}

static const char *msf(char *buf, size_t len, int64_t at)
{
	snprintf(buf, len, "%02" PRId64 ":%02" PRId64 ":%02" PRId64,
	         at / (75 * 60), at / 75 % 60, at % 75);
	return buf;
}

/* The image as a cdrdao TOC too (cdrdao reads no CD-TEXT and no INDEX 02
 * from a CUE sheet): the same BIN, the same tracks. 0, or -1 after a
 * message. */
static int write_toc(const char *path, const char *base,
                     const struct session_track *t, int n, const int64_t *start,
                     const int64_t *sectors, const struct burn_job *j,
                     const struct sheet_text *x)
{
	FILE *f = fopen(path, "wx");
	char a[64], b[64];
	int any = 0, bad;

	if (!f) {
		cd_msg("%s: cannot create: %s", path, strerror(errno));
		return -1;
	}
	fprintf(f, "// written by cdwrite (cdpipe %s)\nCD_DA\n",
	        PACKAGE_VERSION);
	if (j->mcn[0])
		fprintf(f, "CATALOG \"%s\"\n", j->mcn);
	for (int k = 0; k < TOC_TEXT_N; k++) {
		any |= x->disc[k] && x->disc[k][0];
		for (int i = 0; i < n; i++)
			any |= x->track[i][k] && x->track[i][k][0];
	}
	if (any)
		toc_text(f, x, n, x->disc, 0);
	for (int i = 0; i < n; i++) {
		const struct toc_track *tt = t[i].toc;

		/* the flags that are set (cdrdao 1.2.4 reads NO COPY then
		 * NO PRE_EMPHASIS as a syntax error) */
		fprintf(f, "\nTRACK AUDIO\n%s%s",
		        tt && tt->copy ? "COPY\n" : "",
		        tt && tt->preemph ? "PRE_EMPHASIS\n" : "");
		if (t[i].isrc[0])
			fprintf(f, "ISRC \"%s\"\n", t[i].isrc);
		if (any)
			toc_text(f, x, n, x->track[i], 1);
		/* the BIN is little-endian, which cdrdao reads only when
		 * told SWAP (a raw file is big-endian to it) */
		fprintf(f, "FILE ");
		toc_string(f, base);
		fprintf(f, " SWAP %s %s\n", msf(a, sizeof a, start[i]),
		        msf(b, sizeof b, sectors[i]));
		if (tt && tt->pregap)
			fprintf(f, "START %s\n", msf(a, sizeof a, tt->pregap));
		for (int k = 0; tt && k < tt->nindex; k++)
			fprintf(f, "INDEX %s\n",
			        msf(a, sizeof a, tt->index[k]));
	}
	bad = fflush(f) != 0 || fsync(fileno(f)) < 0;
	if (fclose(f) != 0 || bad) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* Is path one of the files the image is made of: a track's, a TOC
 * piece's, the CD-TEXT file's? Its name then, or NULL. */
static const char *input_file(const char *path, const struct session_track *t,
                              int n, const struct burn_job *j)
{
	struct stat out, in;

	if (stat(path, &out) < 0)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (!t[i].toc && t[i].fd >= 0 && fstat(t[i].fd, &in) == 0 &&
		    in.st_dev == out.st_dev && in.st_ino == out.st_ino)
			return t[i].name;
		for (int k = 0; t[i].toc && k < t[i].toc->npiece; k++) {
			const char *p = t[i].toc->piece[k].path;

			if (p && stat(p, &in) == 0 && in.st_dev == out.st_dev &&
			    in.st_ino == out.st_ino)
				return p;
		}
	}
	if (j->textfile && stat(j->textfile, &in) == 0 &&
	    in.st_dev == out.st_dev && in.st_ino == out.st_ino)
		return j->textfile;
	return NULL;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size);
}

int cue_write(const char *cue, struct session_track *t, int n,
              const struct burn_job *j)
{
	size_t len = strlen(cue);
	char *bin = malloc(len + 1), *tmp = malloc(len + 8);
	char *cdt = NULL, *tocf = malloc(len + 1);
	const char *base, *cdt_base = NULL;
	unsigned char *packs = NULL;
	int num_packs = 0;
	struct sheet_text text;
	unsigned char *buf = malloc(CHUNK);
	int64_t start[99], length[99], sectors = 0;
	uint64_t done = 0, total = 0;
	struct progress pr;
	FILE *f = NULL;
	int out = -1, status = CD_EXIT_FAIL, made = 0, i;

	if (!bin || !tmp || !buf || !tocf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	memcpy(bin, cue, len - 4);
	strcpy(bin + len - 4, cue[len - 3] == 'C' ? ".BIN" : ".bin");
	memcpy(tocf, cue, len - 4);
	strcpy(tocf + len - 4, cue[len - 3] == 'C' ? ".TOC" : ".toc");
	snprintf(tmp, len + 8, "%s.part", cue);
	base = strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin;
	sheet_text(&text, j, t, n);
	if (burn_text_packs(j, t, n, &packs, &num_packs) < 0) {
		status = CD_EXIT_FAIL;
		goto out;
	}
	if (num_packs > 0) {
		/* the CD-TEXT whole, for a writer of the image: NAME.cdt */
		cdt = malloc(len + 1);
		if (!cdt)
			cd_die(CD_EXIT_FAIL, "out of memory");
		memcpy(cdt, cue, len - 4);
		strcpy(cdt + len - 4, cue[len - 3] == 'C' ? ".CDT" : ".cdt");
		cdt_base = strrchr(cdt, '/') ? strrchr(cdt, '/') + 1 : cdt;
	}
	for (i = 0; i < n; i++)
		if (!t[i].audio) {
			cd_msg("%s: a CUE image here holds audio tracks only: "
			       "write %s, a data track, to an image of its own",
			       cue, t[i].name);
			status = CD_EXIT_MEDIUM;
			goto out;
		}
	if (strchr(base, '"')) {
		cd_msg("%s: a CUE sheet cannot name a file with a \" in it",
		       bin);
		status = CD_EXIT_USAGE;
		goto out;
	}
	{
		/* the image's files must not be its own input: "remove it"
		 * below would be advice to delete the user's data */
		const char *const outs[] = {cue, bin, tocf, cdt};

		for (i = 0; i < 4; i++) {
			const char *in =
			    outs[i] ? input_file(outs[i], t, n, j) : NULL;

			if (in) {
				cd_msg(
				    "%s: the image would be written over its "
				    "own input (%s): name another image",
				    outs[i], in);
				status = CD_EXIT_USAGE;
				goto out;
			}
		}
	}
	for (i = 0; i < n; i++)
		sectors += t[i].size > 0
		               ? (t[i].size + AUDIO_SECTOR - 1) / AUDIO_SECTOR
		               : 0;
	if (sectors > TOC_MAX_SECTORS) {
		cd_msg("%s: %" PRId64 " sectors (%" PRId64 ":%02" PRId64
		       "): more than a CD holds (%d sectors, 99:59:74 "
		       "with the lead-out)",
		       cue, sectors, sectors / (75 * 60), sectors / 75 % 60,
		       TOC_MAX_SECTORS);
		status = CD_EXIT_FAIL;
		goto out;
	}
	sectors = 0;
	if (exists(cue)) {
		cd_msg("%s: the image is there already (a CD written once); "
		       "remove %s and %s, or name another",
		       cue, cue, bin);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if (exists(tocf)) {
		cd_msg("%s is there without a sheet (%s): left by a write that "
		       "was killed, or another program's: remove it, or name "
		       "another image",
		       tocf, cue);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if (cdt && exists(cdt)) {
		cd_msg("%s is there without a sheet (%s): left by a write that "
		       "was killed, or another program's: remove it, or name "
		       "another image",
		       cdt, cue);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if (exists(bin)) {
		cd_msg("%s is there without a sheet (%s): left by a write that "
		       "was killed, or another program's: remove it, or name "
		       "another image",
		       bin, cue);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if (j->dummy) {
		cd_msg("%s: -dummy: %d audio track%s would be written", cue, n,
		       n > 1 ? "s" : "");
		status = 0;
		goto out;
	}
	if (j->multi)
		cd_warn("%s: a CUE image holds one session: -multi does not "
		        "apply",
		        cue);
	/* the sheet is locked (burn_session): no other cdwrite writes this
	 * image meanwhile */
	out = open(bin, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (out < 0) {
		cd_msg("%s: cannot create: %s", bin, strerror(errno));
		goto out;
	}
	made = 1;
	for (i = 0; i < n; i++)
		total += t[i].size > 0 ? (uint64_t)t[i].size : 0;
	progress_init(&pr, j->progress, total);
	for (i = 0; i < n; i++) {
		int64_t s = copy_track(out, bin, &t[i], buf, &pr, &done);

		if (s < 0)
			break;
		start[i] = sectors;
		length[i] = s;
		sectors += s;
		if (sectors > TOC_MAX_SECTORS) { /* standard input's */
			cd_msg("%s: more than a CD holds (%d sectors, 99:59:74 "
			       "with the lead-out) after %s",
			       cue, TOC_MAX_SECTORS, t[i].name);
			break;
		}
	}
	progress_end(&pr, done);
	if (i < n || burn_cancel_signal)
		goto out;
	if (fsync(out) < 0 || close(out) < 0) {
		out = -1;
		cd_msg("%s: cannot write: %s", bin, strerror(errno));
		goto out;
	}
	out = -1;
	if (cdt) {
		unlink(cdt); /* an empty one left by a killed write */
		if (write_packs(cdt, packs, num_packs) < 0)
			goto out;
	}
	unlink(tocf);
	if (write_toc(tocf, base, t, n, start, length, j, &text) < 0)
		goto out;
	/* the sheet last, whole or not at all */
	f = fopen(tmp, "w");
	if (!f) {
		cd_msg("%s: cannot create: %s", tmp, strerror(errno));
		goto out;
	}
	fprintf(f, "REM written by cdwrite (cdpipe %s)\n", PACKAGE_VERSION);
	if (j->mcn[0])
		fprintf(f, "CATALOG %s\n", j->mcn);
	if (cdt)
		fprintf(f, "CDTEXTFILE \"%s\"\n", cdt_base);
	put_text(f, "", text.disc);
	fprintf(f, "FILE \"%s\" BINARY\n", base);
	for (i = 0; i < n; i++) {
		const struct toc_track *tt = t[i].toc;
		int64_t at = start[i];

		fprintf(f, "  TRACK %02d AUDIO\n", i + 1);
		if (tt && (tt->copy || tt->preemph))
			fprintf(f, "    FLAGS%s%s\n", tt->copy ? " DCP" : "",
			        tt->preemph ? " PRE" : "");
		if (t[i].isrc[0])
			fprintf(f, "    ISRC %s\n", t[i].isrc);
		put_text(f, "    ", text.track[i]);
		if (tt && tt->pregap) {
			put_index(f, 0, at);
			at += tt->pregap;
		}
		put_index(f, 1, at);
		for (int k = 0; tt && k < tt->nindex; k++)
			put_index(f, k + 2, at + tt->index[k]);
	}
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || fclose(f) != 0) {
		f = NULL;
		cd_msg("%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, cue) < 0) {
		cd_msg("%s: cannot write: %s", cue, strerror(errno));
		goto out;
	}
	if (j->verbose)
		cd_msg("%s: %d audio track%s, %" PRId64 " sectors (%" PRId64
		       ":%02" PRId64 ")",
		       cue, n, n > 1 ? "s" : "", sectors, sectors / (75 * 60),
		       sectors / 75 % 60);
	status = 0;
out:
	if (f)
		fclose(f);
	if (out >= 0)
		close(out);
	if (status != 0 && made) {
		/* nothing half-written stays */
		unlink(bin);
		unlink(tmp);
		unlink(tocf);
		if (cdt)
			unlink(cdt);
		if (burn_cancel_signal) {
			cd_msg("cancelled: nothing written to %s", cue);
			status = 128 + burn_cancel_signal;
		} else {
			cd_msg("%s: nothing written", cue);
		}
	}
	free(bin);
	free(tmp);
	free(cdt);
	free(tocf);
	free(buf);
	free(packs);
	if (text.ct)
		cdtext_destroy(text.ct);
	return status;
}
