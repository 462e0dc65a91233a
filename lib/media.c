/* media: the state of a medium, real or emulated. See media.h. */
#include "config.h"

#include "media.h"
#include "bytes.h"
#include "cli.h"

#include <cdio/cdio.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>

const char *media_state_name(enum media_state s)
{
	switch (s) {
	case MEDIA_NONE:
		return "no medium";
	case MEDIA_BLANK:
		return "blank";
	case MEDIA_APPENDABLE:
		return "appendable";
	case MEDIA_CLOSED:
		return "closed";
	default:
		return "unusable";
	}
}

static int overwriteable(int profile)
{
	/* DVD-RAM, DVD-RW restricted overwrite, DVD+RW, DVD+RW DL, BD-RE */
	return profile == 0x12 || profile == 0x13 || profile == 0x1a ||
	       profile == 0x2a || profile == 0x43;
}

/* What the first blocks of a medium with no ISO volume hold, or NULL
 * when they are all zeros (blank, or blanked: blank=fast clears them) */
static const char *what_is_there(struct device *dev)
{
	static unsigned char b[32 * 2048];
	off_t got = 0;
	size_t i;

	if (burn_read_data(dev->drive, 0, (char *)b, sizeof b, &got, 2) <= 0 &&
	    got <= 0)
		return NULL;
	for (i = 0; i < (size_t)got && b[i] == 0; i++)
		;
	if (i == (size_t)got)
		return NULL;
	if (got >= 16 && !memcmp(b, "CDPIPE-CDTAPE\n\0\0", 16))
		return "a cdtape archive";
	if (got >= 512 && !memcmp(b + 257, "ustar", 5))
		return "a tar archive";
	if (got >= 4 && !memcmp(b, "%PDF", 4))
		return "a PDF document";
	return "data that is not an ISO 9660 session";
}

/* Overwriteable media and image files: the volume at block 16 says it. */
static void probe_emulated(struct device *dev, struct media *m)
{
	unsigned char pvd[2048];
	off_t got = 0;
	struct burn_write_opts *o;
	off_t avail;
	struct stat st;

	m->emulated = 1;
	m->state = MEDIA_BLANK;
	if ((m->role == 2 || m->role == 4) && stat(dev->adr + 6, &st) == 0 &&
	    S_ISREG(st.st_mode))
		m->file_blocks = st.st_size / 2048;
	if (m->role != 3 && m->role != 5 &&
	    burn_read_data(dev->drive, 16 * 2048, (char *)pvd, 2048, &got, 2) >
	        0 &&
	    got == 2048 && pvd[0] == 1 && !memcmp(pvd + 1, "CD001", 5)) {
		uint32_t size = get_le32(pvd + 80);

		m->state = MEDIA_APPENDABLE;
		m->volume_blocks = size;
		m->last_start = 0;
		m->next = (int32_t)((size + 15) / 16 * 16);
		m->nsessions = 1;
		m->sessions[0].start = 0;
		m->sessions[0].size = (int32_t)size;
		m->ntracks = 1;
		m->tracks[0] = (struct media_track){1, 0, (int32_t)size, 0};
	} else if (m->role != 3 && m->role != 5) {
		m->foreign = what_is_there(dev);
	}
	o = burn_write_opts_new(dev->drive);
	avail = o ? burn_disc_available_space(dev->drive, o) : -1;
	if (o)
		burn_write_opts_free(o);
	m->free_blocks =
	    avail >= 0 ? avail / 2048 - (m->next > 0 ? m->next : 0) : -1;
	if (m->free_blocks < -1)
		m->free_blocks = 0;
}

/* A CD image (NAME.cue and NAME.bin, lib/cueimage.c): blank while there is
 * no sheet; once there is, closed, one session, its tracks as libcdio's
 * CUE driver reads them. */
static void probe_cue(struct device *dev, struct media *m)
{
	const char *cue = dev->adr + 6;
	struct stat st;
	CdIo_t *p;

	snprintf(m->profile_name, sizeof m->profile_name, "CD image (CUE/BIN)");
	m->state = MEDIA_BLANK;
	if (stat(cue, &st) < 0 || st.st_size == 0)
		return;
	m->state = MEDIA_CLOSED;
	m->free_blocks = 0;
	m->nsessions = 1;
	p = cdio_open_cue(cue);
	if (!p) {
		cd_warn("%s: libcdio cannot read this CUE sheet", cue);
		return;
	}
	{
		track_t first = cdio_get_first_track_num(p);
		track_t n = cdio_get_num_tracks(p);
		lsn_t end = cdio_get_disc_last_lsn(p);

		for (track_t t = first; n != CDIO_INVALID_TRACK &&
		                        t < first + n && m->ntracks < 99;
		     t++) {
			lsn_t a = cdio_get_track_lsn(p, t);
			lsn_t b = t + 1 < first + n
			              ? cdio_get_track_lsn(p, t + 1)
			              : end;

			m->tracks[m->ntracks++] = (struct media_track){
			    1, a, b - a,
			    cdio_get_track_format(p, t) == TRACK_FORMAT_AUDIO};
		}
		m->sessions[0].size = end > 0 ? end : 0;
	}
	cdio_destroy(p);
}

static void read_toc(struct device *dev, struct media *m)
{
	struct burn_disc *disc = burn_drive_get_disc(dev->drive);
	struct burn_session **ss;
	int n = 0;

	if (!disc)
		return;
	ss = burn_disc_get_sessions(disc, &n);
	for (int i = 0; i < n && m->nsessions < 100; i++) {
		int nt = 0;
		struct burn_track **tt = burn_session_get_tracks(ss[i], &nt);
		struct burn_toc_entry e;

		if (nt <= 0)
			continue;
		burn_track_get_entry(tt[0], &e);
		m->sessions[m->nsessions].start = e.start_lba;
		m->sessions[m->nsessions].size =
		    burn_session_get_sectors(ss[i]);
		m->nsessions++;
		for (int k = 0; k < nt && m->ntracks < 99; k++) {
			burn_track_get_entry(tt[k], &e);
			m->tracks[m->ntracks++] = (struct media_track){
			    m->nsessions, e.start_lba,
			    (e.extensions_valid & 1)
			        ? e.track_blocks
			        : burn_track_get_sectors(tt[k]),
			    !(e.control & 4)};
		}
	}
	burn_disc_free(disc);
}

int media_probe(struct device *dev, struct media *m)
{
	enum burn_disc_status s;
	struct burn_write_opts *o;

	memset(m, 0, sizeof *m);
	m->free_blocks = -1;
	m->file_blocks = -1;
	m->last_start = m->next = -1;
	m->role = burn_drive_get_drive_role(dev->drive);
	s = burn_disc_get_status(dev->drive);
	if (burn_disc_get_profile(dev->drive, &m->profile, m->profile_name) <=
	    0)
		m->profile_name[0] = '\0';
	if (s == BURN_DISC_EMPTY) {
		m->state = MEDIA_NONE;
		return 0;
	}
	if (device_is_cue(dev)) {
		probe_cue(dev, m);
		return 0;
	}
	if (m->role != 1 || overwriteable(m->profile)) {
		probe_emulated(dev, m);
		return 0;
	}
	switch (s) {
	case BURN_DISC_BLANK:
		m->state = MEDIA_BLANK;
		break;
	case BURN_DISC_APPENDABLE:
		m->state = MEDIA_APPENDABLE;
		break;
	case BURN_DISC_FULL:
		m->state = MEDIA_CLOSED;
		break;
	default:
		m->state = MEDIA_UNUSABLE;
	}
	read_toc(dev, m);
	o = burn_write_opts_new(dev->drive);
	if (o) {
		int lba = 0, nwa = 0;
		off_t avail;

		if (m->state == MEDIA_APPENDABLE &&
		    burn_disc_get_msc1(dev->drive, &m->last_start) > 0 &&
		    burn_disc_track_lba_nwa(dev->drive, o, 0, &lba, &nwa) > 0)
			m->next = nwa;
		avail = burn_disc_available_space(dev->drive, o);
		m->free_blocks = avail >= 0 ? avail / 2048 : -1;
		burn_write_opts_free(o);
	}
	return 0;
}

int media_msinfo(const struct device *dev, const struct media *m, int print)
{
	const char *name = device_name(dev);

	if (m->foreign) {
		cd_msg("%s is not blank: it holds %s, and no ISO 9660 session",
		       name, m->foreign);
		return CD_EXIT_MEDIUM;
	}
	if (media_truncated(m)) {
		cd_msg("%s is truncated: it has %" PRId64 " blocks, but its "
		       "newest session says the volume has %" PRId64
		       ": the files at its end are lost",
		       name, m->file_blocks, m->volume_blocks);
		return CD_EXIT_FAIL;
	}
	switch (m->state) {
	case MEDIA_APPENDABLE:
		if (m->next < 0) {
			cd_msg("%s: cannot learn the next writable address",
			       name);
			return CD_EXIT_FAIL;
		}
		if (print)
			printf("%" PRId32 ",%" PRId32 "\n", m->last_start,
			       m->next);
		return 0;
	case MEDIA_BLANK:
		cd_msg("%s: the medium is blank: this is the first session "
		       "(make it without -C)",
		       name);
		return CD_EXIT_MEDIUM;
	case MEDIA_CLOSED:
		cd_msg("%s: the medium is closed: no session can be added",
		       name);
		return CD_EXIT_MEDIUM;
	case MEDIA_NONE:
		cd_msg("%s: there is no medium in the drive", name);
		return CD_EXIT_MEDIUM;
	default:
		cd_msg("%s: the medium cannot be used (%s)", name,
		       m->profile_name);
		return CD_EXIT_MEDIUM;
	}
}
