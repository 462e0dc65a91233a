/* cdaudio: reading audio sectors. See cdaudio.h. */
#include "cdaudio.h"

#include "cli.h"
#include "digest.h"
#include "progress.h"
#include "xio.h"

#include <cdio/cdio.h>
#include <cdio/paranoia/cdda.h>
#include <cdio/paranoia/paranoia.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* cdrdao's --paranoia-mode levels as libcdio-paranoia flags */
static int paranoia_flags(int mode)
{
	switch (mode) {
	case 0:
		return PARANOIA_MODE_DISABLE;
	case 1:
		return PARANOIA_MODE_OVERLAP;
	case 2:
		return PARANOIA_MODE_OVERLAP | PARANOIA_MODE_VERIFY;
	default:
		return PARANOIA_MODE_FULL ^ PARANOIA_MODE_NEVERSKIP;
	}
}

int cdaudio_open(struct cdaudio *a, struct cdsource *s, int mode, int noerror)
{
	memset(a, 0, sizeof *a);
	a->s = s;
	a->noerror = noerror;
	a->next = -1;
	if (mode < 0)
		mode = s->kind == CDSRC_DRIVE ? 3 : -1;
	a->mode = mode;
	return 0;
}

/* the cdaudio whose drive guarded_read reads for (one at a time) */
static struct cdaudio *guarded;

static void note_unread(struct cdaudio *a, int32_t lba)
{
	for (size_t i = 0; i < a->nunread; i++)
		if (a->unread[i] == lba)
			return;
	if (a->nunread == a->capunread) {
		size_t cap = a->capunread ? 2 * a->capunread : 16;
		void *p = realloc(a->unread, cap * sizeof *a->unread);

		if (!p)
			cd_die(CD_EXIT_FAIL, "out of memory");
		a->unread = p;
		a->capunread = cap;
	}
	a->unread[a->nunread++] = lba;
}

static int was_unread(const struct cdaudio *a, int32_t lba)
{
	for (size_t i = 0; i < a->nunread; i++)
		if (a->unread[i] == lba)
			return 1;
	return 0;
}

/* paranoia's reads of the drive (cdrom_drive_t's read_audio): a read
 * that fails is done again a sector at a time, each with the source's
 * retries; a sector that still fails is silence, noted, so that paranoia
 * goes on (left to itself it re-reads it forever) and cdaudio_read says
 * it cannot be read. */
static long guarded_read(cdrom_drive_t *d, void *buf, lsn_t lba, long n)
{
	struct cdaudio *a = guarded;
	long r = a->drive_read(d, buf, lba, n);

	/* no buffer: paranoia only moves the drive (its cache model) */
	if (r > 0 || !buf)
		return r;
	for (long k = 0; k < n; k++) {
		unsigned char *b = (unsigned char *)buf + k * CDAUDIO_SECTOR;
		long got = -1;

		for (unsigned t = 0; got != 1 && t <= a->s->retries; t++)
			got = a->drive_read(d, b, lba + (lsn_t)k, 1);
		if (got != 1) {
			memset(b, 0, CDAUDIO_SECTOR);
			note_unread(a, lba + (int32_t)k);
		}
	}
	return n;
}

/* libcdio-paranoia, at the first audio sector (a data disc has none, and
 * paranoia does not take one). 0, or -1 after a message */
static int start_paranoia(struct cdaudio *a)
{
	struct cdsource *s = a->s;
	char *msg = NULL;

	if (a->p)
		return 0;
	if (!s->cdio) {
		cd_msg("%s: not a CD: no audio to read", s->name);
		return -1;
	}
	a->drive =
	    cdio_cddap_identify_cdio(s->cdio, CDDA_MESSAGE_FORGETIT, &msg);
	if (msg)
		cdio_cddap_free_messages(msg);
	if (!a->drive || cdio_cddap_open(a->drive) != 0) {
		cd_msg("%s: libcdio-paranoia cannot read audio from it",
		       s->name);
		if (a->drive)
			cdio_cddap_close_no_free_cdio(a->drive);
		a->drive = NULL;
		return -1;
	}
	a->p = cdio_paranoia_init(a->drive);
	if (!a->p) {
		cd_msg("%s: libcdio-paranoia cannot read audio from it",
		       s->name);
		cdio_cddap_close_no_free_cdio(a->drive);
		a->drive = NULL;
		return -1;
	}
	/* one try a read: guarded_read does the retries */
	a->drive->error_retry = 0;
	a->drive_read = a->drive->read_audio;
	a->drive->read_audio = guarded_read;
	guarded = a;
	cdio_paranoia_modeset(a->p, paranoia_flags(a->mode));
	if (s->verbose)
		cd_msg("%s: reading audio with paranoia mode %d", s->name,
		       a->mode);
	return 0;
}

void cdaudio_close(struct cdaudio *a)
{
	if (a->p)
		cdio_paranoia_free(a->p);
	if (a->drive)
		cdio_cddap_close_no_free_cdio(a->drive);
	a->p = NULL;
	a->drive = NULL;
	if (guarded == a)
		guarded = NULL;
	free(a->unread);
	a->unread = NULL;
	a->nunread = a->capunread = 0;
	free(a->bad.r);
	memset(&a->bad, 0, sizeof a->bad);
}

void cdaudio_bad(struct cdaudio *a, int64_t lba)
{
	cdsrc_bad_add(&a->bad, lba);
}

int cdaudio_report(struct cdaudio *a, const char *file)
{
	FILE *f = NULL;

	/* made empty when every block was read: no old list stays */
	if (file) {
		f = fopen(file, "we");
		if (!f)
			cd_error("%s: cannot write the list of bad blocks: %s",
			         file, strerror(errno));
	}
	return cdsrc_bad_report(a->s, &a->bad, f, file, a->noerror);
}

/* what paranoia said of the sector it read last */
static int paranoia_gave_up;

static void paranoia_cb(long inpos, paranoia_cb_mode_t what)
{
	(void)inpos;
	if (what == PARANOIA_CB_SKIP || what == PARANOIA_CB_READERR)
		paranoia_gave_up |= what == PARANOIA_CB_SKIP ? 2 : 1;
}

/* One sector through paranoia: 0, or -1 when paranoia gave up on it. */
static int read_paranoia(struct cdaudio *a, int32_t lba, unsigned char *buf)
{
	int16_t *p;

	if (a->next != lba) {
		cdio_paranoia_seek(a->p, lba, SEEK_SET);
		a->next = lba;
	}
	paranoia_gave_up = 0;
	p = cdio_paranoia_read_limited(
	    a->p, paranoia_cb, (int)(a->s->retries ? a->s->retries : 1));
	a->next++;
	if (!p) {
		/* paranoia lost its place: seek again next time */
		a->next = -1;
		return -1;
	}
	/* samples in host order: a BIN holds them little-endian */
	for (int i = 0; i < CDAUDIO_SECTOR / 2; i++) {
		uint16_t v = (uint16_t)p[i];

		buf[2 * i] = (unsigned char)(v & 0xff);
		buf[2 * i + 1] = (unsigned char)(v >> 8);
	}
	/* mode 0 reads once: a read error is the sector's; in the others a
	 * read error may be retried away, a skip is final */
	if ((paranoia_gave_up & 2) || (a->mode == 0 && paranoia_gave_up) ||
	    was_unread(a, lba))
		return -1;
	return 0;
}

static int read_straight(struct cdaudio *a, int32_t lba, uint32_t n,
                         unsigned char *buf)
{
	return cdio_read_audio_sectors(a->s->cdio, buf, lba, n) ==
	               DRIVER_OP_SUCCESS
	           ? 0
	           : -1;
}

int cdaudio_read(struct cdaudio *a, int32_t lba, uint32_t n, unsigned char *buf)
{
	if (a->mode < 0 && read_straight(a, lba, n, buf) == 0)
		return 0;
	if (a->mode >= 0 && start_paranoia(a) < 0)
		return -1;
	for (uint32_t k = 0; k < n; k++) {
		unsigned char *b = buf + (size_t)k * CDAUDIO_SECTOR;
		int r = -1;

		if (a->mode >= 0)
			r = read_paranoia(a, lba + (int32_t)k, b);
		else
			for (unsigned t = 0; r < 0 && t <= a->s->retries; t++)
				r = read_straight(a, lba + (int32_t)k, 1, b);
		if (r == 0)
			continue;
		cdaudio_bad(a, lba + k);
		if (!a->noerror) {
			if (a->mode >= 0)
				cd_error("%s: audio sector %" PRId64 " cannot "
				         "be read (paranoia gave up on it)",
				         a->s->name, (int64_t)lba + k);
			else
				cd_error("%s: audio sector %" PRId64 " cannot "
				         "be read (tried %u times)",
				         a->s->name, (int64_t)lba + k,
				         a->s->retries + 1);
			return -1;
		}
		memset(b, 0, CDAUDIO_SECTOR);
	}
	return 0;
}

static void le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
	le16(p, (uint16_t)v);
	le16(p + 2, (uint16_t)(v >> 16));
}

void cdaudio_wave_header(unsigned char h[44], uint32_t len)
{
	memcpy(h, "RIFF", 4);
	le32(h + 4, len + 36);
	memcpy(h + 8, "WAVEfmt ", 8);
	le32(h + 16, 16);        /* fmt chunk size */
	le16(h + 20, 1);         /* PCM */
	le16(h + 22, 2);         /* channels */
	le32(h + 24, 44100);     /* sample rate */
	le32(h + 28, 44100 * 4); /* bytes a second */
	le16(h + 32, 4);         /* bytes a frame */
	le16(h + 34, 16);        /* bits a sample */
	memcpy(h + 36, "data", 4);
	le32(h + 40, len);
}

static int put(const struct cdaudio_track *o, const void *buf, size_t len)
{
	if (o->digest)
		digest_update(o->digest, buf, len);
	if (xio_write_all(o->out, buf, len) < 0) {
		cd_error("cannot write the copy: %s", strerror(errno));
		return -1;
	}
	return 0;
}

int cdaudio_track(struct cdsource *s, const struct cdaudio_track *o)
{
	const struct cdsrc_track *t = cdsrc_track(s, o->track);
	const uint32_t chunk = 27; /* what one READ CD of CD-DA takes */
	unsigned char *buf;
	struct cdaudio a;
	struct progress p;
	int64_t done = 0;
	int status = 0;

	if (!t || !t->audio || !s->cdio) {
		cd_msg("%s: track %d is %s", s->name, o->track,
		       t ? "data, not audio" : "not there");
		return t ? CD_EXIT_MEDIUM : CD_EXIT_USAGE;
	}
	if ((uint64_t)t->size * CDAUDIO_SECTOR > UINT32_MAX - 36) {
		cd_msg("%s: track %d is too long for a WAVE file", s->name,
		       o->track);
		return CD_EXIT_FAIL;
	}
	if (cdaudio_open(&a, s, o->mode, o->noerror) < 0)
		return CD_EXIT_FAIL;
	if (o->verbose)
		cd_msg("%s: audio track %d: sectors %" PRId32 " to %" PRId32
		       " (%" PRId32 " sectors, %" PRId32 ":%02" PRId32
		       ".%02" PRId32 ")",
		       s->name, t->num, t->start, t->start + t->size - 1,
		       t->size, t->size / (75 * 60), t->size / 75 % 60,
		       t->size % 75);
	buf = malloc((size_t)chunk * CDAUDIO_SECTOR);
	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (!o->raw) {
		unsigned char h[44];

		cdaudio_wave_header(h, (uint32_t)t->size * CDAUDIO_SECTOR);
		if (put(o, h, sizeof h) < 0)
			status = 1;
	}
	progress_init(&p, o->progress, (uint64_t)t->size * CDAUDIO_SECTOR);
	while (!status && done < t->size) {
		uint32_t n = chunk;

		if (t->size - done < n)
			n = (uint32_t)(t->size - done);
		if (cdaudio_read(&a, t->start + (int32_t)done, n, buf) < 0) {
			/* what was good before it still goes out */
			int64_t good =
			    a.bad.n ? a.bad.r[a.bad.n - 1][0] - t->start - done
			            : 0;

			if (good > 0 &&
			    put(o, buf, (size_t)good * CDAUDIO_SECTOR) == 0)
				done += good;
			status = 1;
			break;
		}
		if (put(o, buf, (size_t)n * CDAUDIO_SECTOR) < 0) {
			status = 1;
			break;
		}
		done += n;
		progress_update(&p, (uint64_t)done * CDAUDIO_SECTOR);
	}
	progress_end(&p, (uint64_t)done * CDAUDIO_SECTOR);
	if (cdaudio_report(&a, o->bad_list))
		status = 1;
	/* the checksum of a copy that stopped short would pass for one */
	if (o->digest && done == t->size)
		digest_report(o->digest);
	if (status && done < t->size)
		cd_msg("%s: the copy is incomplete: %" PRId64 " of %" PRId32
		       " sectors written",
		       s->name, done, t->size);
	free(buf);
	cdaudio_close(&a);
	return status;
}
