/* cdsource: reading a disc or a disc image 1:1. See cdsource.h. */
#include "config.h"

#include "cdsource.h"

#include "bytes.h"
#include "cdsector.h"
#include "cli.h"
#include "device.h"
#include "digest.h"
#include "mmcread.h"
#include "progress.h"
#include "xio.h"

#include <cdio/logging.h>
#include <cdio/mmc.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* libcdio logs read errors on stderr by itself ("++ WARN: ..."); cdread
 * says what failed in its own words, and libcdio's only with -v. */
static int cdio_verbose;

static void log_cdio(cdio_log_level_t level, const char *msg)
{
	if (cdio_verbose || level >= CDIO_LOG_ASSERT)
		fprintf(stderr, "%s: libcdio: %s\n", cd_prog, msg);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcasecmp(s + n - m, suf);
}

int cdsrc_full_toc(struct cdsource *s, const unsigned char *buf, size_t len)
{
	int32_t leadout[100] = {0};
	int session[99] = {0};

	if (len < 4)
		return -1;
	if ((size_t)(buf[0] << 8 | buf[1]) + 2 < len)
		len = (size_t)(buf[0] << 8 | buf[1]) + 2;
	for (size_t o = 4; o + 11 <= len; o += 11) {
		const unsigned char *d = buf + o;
		int ses = d[0], adr = d[1] >> 4, point = d[3];
		int32_t lba = (d[8] * 60 + d[9]) * 75 + d[10] - 150;

		if (adr != 1 || ses < 1 || ses > 99)
			continue;
		if (point == 0xa2)
			leadout[ses] = lba;
		for (int i = 0; i < s->ntracks; i++)
			if (s->tracks[i].num == point) {
				/* not the TOC libcdio read */
				if (s->tracks[i].start != lba)
					return -1;
				session[i] = ses;
			}
	}
	for (int i = 0; i < s->ntracks; i++) {
		int32_t end = session[i] ? leadout[session[i]] : 0;

		/* sessions in order, each track in one, a lead-out after */
		if (!end || (i && session[i] < session[i - 1]))
			return -1;
		if (i + 1 < s->ntracks && session[i + 1] == session[i])
			end = s->tracks[i + 1].start;
		if (end < s->tracks[i].start)
			return -1;
	}
	s->nsessions = 0;
	for (int i = 0; i < s->ntracks; i++) {
		struct cdsrc_track *t = &s->tracks[i];

		t->session = session[i];
		t->size = (i + 1 < s->ntracks && session[i + 1] == session[i]
		               ? s->tracks[i + 1].start
		               : leadout[session[i]]) -
		          t->start;
		if (t->session > s->nsessions)
			s->nsessions = t->session;
	}
	s->full_toc = 1;
	return 0;
}

/* The full TOC (READ TOC/PMA/ATIP format 2) of a drive. 0, or -1 when
 * the drive does not give it. */
static int full_toc(struct cdsource *s)
{
	unsigned char buf[4 + 11 * 300];
	mmc_cdb_t cdb = {{0}};

	cdb.field[0] = CDIO_MMC_GPCMD_READ_TOC;
	cdb.field[1] = 0x02; /* MSF */
	cdb.field[2] = 0x02; /* full TOC */
	cdb.field[6] = 1;    /* from session 1 */
	cdb.field[7] = (unsigned char)(sizeof buf >> 8);
	cdb.field[8] = (unsigned char)(sizeof buf & 0xff);
	memset(buf, 0, sizeof buf);
	if (mmc_run_cmd(s->cdio, 10000, &cdb, SCSI_MMC_DATA_READ, sizeof buf,
	                buf) != DRIVER_OP_SUCCESS)
		return -1;
	return cdsrc_full_toc(s, buf, sizeof buf);
}

static int read_toc(struct cdsource *s)
{
	track_t first = cdio_get_first_track_num(s->cdio);
	track_t n = cdio_get_num_tracks(s->cdio);
	lsn_t lo = cdio_get_track_lsn(s->cdio, CDIO_CDROM_LEADOUT_TRACK);

	if (first == CDIO_INVALID_TRACK || n == CDIO_INVALID_TRACK || n < 1 ||
	    n > 99 || lo == CDIO_INVALID_LSN || lo <= 0)
		return -1;
	s->ntracks = n;
	s->leadout = lo;
	for (int i = 0; i < n; i++) {
		struct cdsrc_track *t = &s->tracks[i];
		track_t num = (track_t)(first + i);
		lsn_t start = cdio_get_track_lsn(s->cdio, num);
		lsn_t next =
		    i + 1 < n ? cdio_get_track_lsn(s->cdio, num + 1) : lo;
		lsn_t pre = cdio_get_track_pregap_lsn(s->cdio, num);
		track_format_t f = cdio_get_track_format(s->cdio, num);

		if (start == CDIO_INVALID_LSN || next == CDIO_INVALID_LSN ||
		    next < start || start < 0)
			return -1;
		t->num = num;
		t->session = 1;
		t->start = start;
		t->size = next - start;
		t->pregap = pre != CDIO_INVALID_LSN && pre <= start
		                ? start - pre
		                : (i == 0 ? 150 : 0);
		t->format = f;
		t->audio = f == TRACK_FORMAT_AUDIO;
		t->copy = cdio_get_track_copy_permit(s->cdio, num) ==
		          CDIO_TRACK_FLAG_TRUE;
		t->preemph = cdio_get_track_preemphasis(s->cdio, num) ==
		             CDIO_TRACK_FLAG_TRUE;
		t->channels = cdio_get_track_channels(s->cdio, num);
		if (t->channels < 0)
			t->channels = 0;
	}
	s->nsessions = 1;
	if (s->kind == CDSRC_DRIVE && full_toc(s) < 0) {
		/* no full TOC: one session per the last one libcdio knows */
		lsn_t last = CDIO_INVALID_LSN;

		s->nsessions = 1;
		for (int i = 0; i < n; i++) {
			s->tracks[i].session = 1;
			s->tracks[i].size =
			    (i + 1 < n ? s->tracks[i + 1].start : lo) -
			    s->tracks[i].start;
		}
		if (cdio_get_last_session(s->cdio, &last) ==
		        DRIVER_OP_SUCCESS &&
		    last > 0)
			for (int i = 0; i < n; i++)
				if (s->tracks[i].start >= last) {
					s->tracks[i].session = 2;
					s->nsessions = 2;
				}
	}
	return 0;
}

static const unsigned char sync_pattern[12] = {
    0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};

/* Which data tracks of a CD image hold raw 2352-byte sectors (sync and
 * EDC to check): one of its first sectors read raw has the sync
 * pattern (a track of 2048-byte sectors has none). */
static void find_raw(struct cdsource *s)
{
	unsigned char raw[CDIO_CD_FRAMESIZE_RAW];

	s->raw_bin = 1;
	for (int i = 0; i < s->ntracks; i++) {
		struct cdsrc_track *t = &s->tracks[i];

		for (int32_t k = 0;
		     !t->audio && !t->raw && k < 3 && k < t->size; k++)
			t->raw =
			    cdio_read_audio_sectors(s->cdio, raw, t->start + k,
			                            1) == DRIVER_OP_SUCCESS &&
			    !memcmp(raw, sync_pattern, sizeof sync_pattern);
	}
}

/* A regular file with no NUL byte in its first 4 KiB: a sheet, not the
 * image of a disc (which has them in its first block). */
static int is_text(const char *path)
{
	char b[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	ssize_t n;

	if (fd < 0)
		return 0;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return 0;
	}
	n = read(fd, b, sizeof b);
	close(fd);
	return n > 0 && !memchr(b, 0, (size_t)n);
}

static int open_cdio_at(struct cdsource *s, const char *path, driver_id_t drv,
                        int *status)
{
	s->cdio = cdio_open_am(path, drv, NULL);
	if (!s->cdio) {
		if (drv == DRIVER_DEVICE)
			cd_msg("%s: cannot open the drive (no permission, or "
			       "not a drive)",
			       s->name);
		else
			cd_msg("%s: not a CD image libcdio can read (a bad "
			       "sheet, or its data file is missing)",
			       s->name);
		*status = drv == DRIVER_DEVICE ? CD_EXIT_MEDIUM : CD_EXIT_FAIL;
		return -1;
	}
	if (read_toc(s) < 0) {
		if (drv == DRIVER_DEVICE) {
			cd_msg("%s: there is no medium in the drive (or one "
			       "it cannot read)",
			       s->name);
			*status = CD_EXIT_MEDIUM;
		} else {
			cd_msg("%s: the image's table of contents cannot be "
			       "read",
			       s->name);
			*status = CD_EXIT_FAIL;
		}
		return -1;
	}
	if (drv != DRIVER_DEVICE)
		find_raw(s);
	return 0;
}

static int open_cdio(struct cdsource *s, driver_id_t drv, int *status)
{
	return open_cdio_at(s, s->path, drv, status);
}

/* A cdrdao TOC file. Its FILE names are relative to the TOC's directory
 * (as cdrdao takes them), and libcdio looks for them in the working
 * directory: while the sheet is read, and its data files are first opened
 * (a sector of each track read, which libcdio keeps open), the working
 * directory is the TOC's. */
static int open_toc(struct cdsource *s, int *status)
{
	const char *slash = strrchr(s->path, '/'), *name = s->path;
	unsigned char raw[CDIO_CD_FRAMESIZE_RAW];
	char dir[sizeof s->path];
	int here = -1, r = -1;

	if (slash) {
		snprintf(dir, sizeof dir, "%.*s",
		         slash == s->path ? 1 : (int)(slash - s->path),
		         s->path);
		name = slash + 1;
		here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (here < 0 || chdir(dir) < 0) {
			cd_msg("%s: cannot go to its directory: %s", s->name,
			       strerror(errno));
			*status = CD_EXIT_FAIL;
			if (here >= 0)
				close(here);
			return -1;
		}
	}
	if (!cdio_is_tocfile(name)) {
		/* a sheet libcdio refuses is no disc image to read raw */
		cd_msg("%s: not a cdrdao TOC file libcdio can read (a bad "
		       "sheet, or its data file is missing)",
		       s->name);
		*status = CD_EXIT_FAIL;
	} else if ((r = open_cdio_at(s, name, DRIVER_CDRDAO, status)) == 0) {
		for (int i = 0; i < s->ntracks; i++)
			if (s->tracks[i].size > 0)
				(void)cdio_read_audio_sectors(
				    s->cdio, raw, s->tracks[i].start, 1);
	}
	if (here >= 0) {
		if (fchdir(here) < 0) {
			cd_msg("cannot return to the working directory: %s",
			       strerror(errno));
			*status = CD_EXIT_FAIL;
			r = -1;
		}
		close(here);
	}
	return r;
}

static int open_file(struct cdsource *s, int *status)
{
	struct stat st, out;
	int fd = device_lock_path(s->path, 0, 1, status);

	if (fd == -1)
		return -1;
	/* not a regular file: a FIFO named as the image would wait for a
	 * writer forever on an open that blocks (it is refused below) */
	if (fd == -2)
		fd = open(s->path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cd_msg("%s: cannot open: %s", s->name, strerror(errno));
		*status = errno == ENOENT ? CD_EXIT_MEDIUM : CD_EXIT_FAIL;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	s->fd = fd;
	if (S_ISREG(st.st_mode))
		s->bytes = (uint64_t)st.st_size;
	else if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(fd, 0, SEEK_END);

		s->bytes = end > 0 ? (uint64_t)end : 0;
	} else {
		cd_msg("%s: not an image file, block device or drive", s->name);
		*status = CD_EXIT_USAGE;
		return -1;
	}
	if (!s->bytes && S_ISREG(st.st_mode) &&
	    fstat(STDOUT_FILENO, &out) == 0 && out.st_dev == st.st_dev &&
	    out.st_ino == st.st_ino) {
		/* cdread img > img: "no medium" would hide what happened */
		cd_msg("%s: standard output is the image being read: the shell "
		       "emptied it (> %s) before cdread started",
		       s->name, s->name);
		*status = CD_EXIT_USAGE;
		return -1;
	}
	if (s->bytes < CDSRC_BLOCK) {
		cd_msg("%s: %s", s->name,
		       s->bytes ? "shorter than one 2048-byte block"
		                : "empty: no medium in it");
		*status = CD_EXIT_MEDIUM;
		return -1;
	}
	/* block numbers are int32_t, as on every medium: a larger file
	 * (a hard disk) would wrap to a negative length and a copy of nothing
	 * that ends well */
	if (s->bytes / CDSRC_BLOCK > INT32_MAX) {
		cd_msg("%s: too large: %" PRIu64 " blocks, more than the "
		       "%" PRId32 " of any medium cdread reads",
		       s->name, s->bytes / CDSRC_BLOCK, INT32_MAX);
		*status = CD_EXIT_FAIL;
		return -1;
	}
	if (s->bytes % CDSRC_BLOCK)
		cd_warn("%s: its size is no multiple of 2048 bytes: the last "
		        "%" PRIu64 " bytes are not read",
		        s->name, s->bytes % CDSRC_BLOCK);
	/* one data track; one session however many were grown onto it */
	s->ntracks = 1;
	s->nsessions = 1;
	s->leadout = (int32_t)(s->bytes / CDSRC_BLOCK);
	s->tracks[0] = (struct cdsrc_track){.num = 1,
	                                    .session = 1,
	                                    .start = 0,
	                                    .size = s->leadout,
	                                    .format = TRACK_FORMAT_DATA,
	                                    .copy = 1};
	return 0;
}

int cdsrc_open(struct cdsource *s, const char *given, int verbose, int *status)
{
	int drive = 0;
	char *cue;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->retries = 3;
	s->verbose = verbose;
	cdio_verbose = verbose;
	cdio_log_set_handler(log_cdio);
	if (device_locate(given, s->path, sizeof s->path, &drive, status) < 0)
		return -1;
	s->name = given && *given ? given : getenv("CDPIPE_DEVICE");
	if (!s->name || !*s->name)
		s->name = s->path;
	if (!strcmp(s->path, "-")) {
		cd_msg("standard input: cdread reads a drive or an image "
		       "file (dev=ADDRESS), not a stream");
		*status = CD_EXIT_USAGE;
		return -1;
	}
	if (drive) {
		s->kind = CDSRC_DRIVE;
		return open_cdio(s, DRIVER_DEVICE, status);
	}
	s->kind = CDSRC_CDIMAGE;
	if (has_suffix(s->path, ".cue"))
		return open_cdio(s, DRIVER_BINCUE, status);
	/* a sheet libcdio cannot parse (or whose data file is missing) is
	 * that, not an image file of a few hundred bytes; an image named
	 * .toc (it has NUL bytes) is read as one */
	if (has_suffix(s->path, ".toc") && is_text(s->path))
		return open_toc(s, status);
	if (has_suffix(s->path, ".nrg") && cdio_is_nrg(s->path))
		return open_cdio(s, DRIVER_NRG, status);
	/* NAME.bin with NAME.cue beside it: raw sectors, read as the
	 * sheet describes them */
	if (has_suffix(s->path, ".bin") && (cue = cdio_is_binfile(s->path))) {
		struct stat st;
		int ok = stat(cue, &st) == 0;

		if (ok) {
			snprintf(s->path, sizeof s->path, "%s", cue);
			free(cue);
			return open_cdio(s, DRIVER_BINCUE, status);
		}
		free(cue);
	}
	s->kind = CDSRC_FILE;
	return open_file(s, status);
}

void cdsrc_close(struct cdsource *s)
{
	if (s->cdio)
		cdio_destroy(s->cdio);
	s->cdio = NULL;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* A CD image's data sectors as the BIN holds them (2352 bytes), checked.
 * Why: libcdio 2.1's image drivers do not look at what fread returns, so
 * a BIN that cannot be read (an I/O error, measured with
 * t/helper/eioread.c) gives whatever was in their buffer, and
 * cdio_read_data_sectors says it succeeded. Read raw, a sector whose sync,
 * address or EDC do not match (lib/cdsector) is an error, as a drive
 * would report it. 0, or -1 (EIO). */
static int read_checked(struct cdsource *s, int32_t lba, uint32_t n,
                        unsigned char *buf)
{
	unsigned char raw[32 * CDSECTOR_RAW];

	for (uint32_t i = 0; i < n;) {
		uint32_t k = n - i < 32 ? n - i : 32;

		if (cdio_read_audio_sectors(s->cdio, raw, lba + (int32_t)i,
		                            k) != DRIVER_OP_SUCCESS)
			goto bad;
		for (uint32_t j = 0; j < k; j++, i++)
			if (cdsector_user(raw + (size_t)j * CDSECTOR_RAW,
			                  lba + (int32_t)i,
			                  buf + (size_t)i * CDSRC_BLOCK) < 0)
				goto bad;
	}
	return 0;
bad:
	errno = EIO;
	return -1;
}

int cdsrc_read(struct cdsource *s, int32_t lba, uint32_t n, void *buf)
{
	if (lba < 0 || n == 0) {
		errno = EINVAL;
		return -1;
	}
	if (s->kind == CDSRC_FILE) {
		size_t len = (size_t)n * CDSRC_BLOCK;
		off_t off = (off_t)lba * CDSRC_BLOCK;
		ssize_t got = xio_pread_all(s->fd, buf, len, off);

		if (got < 0)
			return -1;
		if ((size_t)got < len) {
			errno = ENXIO; /* past the end */
			return -1;
		}
		return 0;
	}
	if (s->kind == CDSRC_DRIVE)
		return mmc_read_blocks(s->cdio, lba, n, buf, s->why,
		                       sizeof s->why);
	if (s->kind == CDSRC_CDIMAGE && s->raw_bin) {
		const struct cdsrc_track *t = cdsrc_track_at(s, lba);

		if (t && !t->audio && t->raw &&
		    lba + (int64_t)n <= (int64_t)t->start + t->size)
			return read_checked(s, lba, n, buf);
		/* libcdio 2.1 reads a CUE's MODE1/2048 and a TOC's MODE1
		 * track (2048-byte sectors) at 2352-byte offsets: other
		 * data, said to be good (measured: an ISO in such a track
		 * copied as 52 of its 60 blocks, differing at byte 28673) */
		if (t && !t->audio && !t->raw &&
		    (cdio_get_driver_id(s->cdio) == DRIVER_BINCUE ||
		     cdio_get_driver_id(s->cdio) == DRIVER_CDRDAO)) {
			if (!s->warned_2048++)
				cd_msg("%s: track %d holds 2048-byte sectors, "
				       "which libcdio reads wrong: its data "
				       "file is the image (read a link to it "
				       "named .iso)",
				       s->name, t->num);
			errno = EIO;
			return -1;
		}
	}
	if (cdio_read_data_sectors(s->cdio, buf, lba, CDSRC_BLOCK, n) !=
	    DRIVER_OP_SUCCESS) {
		errno = EIO;
		return -1;
	}
	return 0;
}

const struct cdsrc_track *cdsrc_track_at(const struct cdsource *s, int32_t lba)
{
	for (int i = 0; i < s->ntracks; i++)
		if (lba >= s->tracks[i].start &&
		    lba - s->tracks[i].start < s->tracks[i].size)
			return &s->tracks[i];
	return NULL;
}

const struct cdsrc_track *cdsrc_track(const struct cdsource *s, int num)
{
	for (int i = 0; i < s->ntracks; i++)
		if (s->tracks[i].num == num)
			return &s->tracks[i];
	return NULL;
}

int32_t cdsrc_end(const struct cdsource *s)
{
	const struct cdsrc_track *t = &s->tracks[s->ntracks - 1];

	return t->start + t->size;
}

static int read_block(struct cdsource *s, int32_t lba, void *buf);

int cdsrc_iso_end(struct cdsource *s, int32_t start, int32_t *end)
{
	unsigned char b[CDSRC_BLOCK];
	const struct cdsrc_track *t = cdsrc_track_at(s, start);

	/* the descriptors: primary first, up to the terminator */
	for (int i = 0; i < 64; i++) {
		int64_t pvd = (int64_t)start + 16 + i, e;
		uint32_t size;
		int r = 1;

		if (!t || t->audio || pvd >= (int64_t)t->start + t->size)
			return 0;
		/* with the retries of every other block: a descriptor that
		 * reads on the second try is no reason to give up */
		if (read_block(s, (int32_t)pvd, b) < 0)
			return -1;
		if (memcmp(b + 1, "CD001", 5) != 0 || b[0] == 255)
			return 0;
		if (b[0] != 1)
			continue;
		size = get_le32(b + 80);
		/* Where the volume ends: libisofs (isomk -C) and
		 * genisoimage -C give a session's size from its own start,
		 * as a volume written alone in a track has it; a writer may
		 * give it from block 0. Relative when that fits in the
		 * track (an absolute size read as relative ends far past it,
		 * by start blocks), else absolute. Whether the copy starts
		 * at block 0 says the root directory's extent (LBA at 158):
		 * -C writes it in the new session, at start or after, and
		 * its directories point into the sessions before; a volume
		 * of its own has it a few blocks in, before start. */
		e = size;
		if (start > 0) {
			int64_t rel = (int64_t)start + size;

			/* an absolute size ends after the session starts */
			if (rel <= (int64_t)t->start + t->size ||
			    size <= (uint32_t)start)
				e = rel;
			if (get_le32(b + 158) < (uint32_t)start)
				r = 2;
		}
		/* a size that cannot hold the descriptor itself and the
		 * terminator after it is no volume to trust: a copy of that
		 * many blocks would be no image at all */
		if (e < pvd + 2) {
			cd_warn("%s: the primary volume descriptor at block "
			        "%" PRId64 " gives a volume of %" PRIu32
			        " blocks, too few to hold it",
			        s->name, pvd, size);
			return 0;
		}
		/* larger than any medium: said by the caller, as one that
		 * is larger than this one */
		*end = e > INT32_MAX ? INT32_MAX : (int32_t)e;
		return r;
	}
	return 0;
}

/* The volume at a data track: its first block and end. 1, 0 (none), -1 */
static int volume_at(struct cdsource *s, const struct cdsrc_track *t,
                     int32_t *end, int *status)
{
	int r = cdsrc_iso_end(s, t->start, end);

	if (r < 0) {
		cd_msg("%s: the volume descriptors of track %d cannot be read "
		       "(tried %u time%s): %s; --all --noerror copies the "
		       "track's readable blocks",
		       s->name, t->num, s->retries + 1, s->retries ? "s" : "",
		       s->why[0] ? s->why : strerror(errno));
		*status = CD_EXIT_FAIL;
		return -1;
	}
	return r;
}

/* A volume that ends after the blocks there are, at have: the medium or
 * image is cut short (or its descriptors are wrong), and a copy of what
 * there is would pass for the whole. */
static int too_big(struct cdsource *s, int32_t end, int32_t have, int *status)
{
	if (end <= have)
		return 0;
	cd_msg("%s: the ISO 9660 volume is %s%" PRId32 " blocks but the %s "
	       "holds only %" PRId32 ": %s",
	       s->name, end == INT32_MAX ? "at least " : "", end,
	       s->kind == CDSRC_FILE      ? "file"
	       : s->kind == CDSRC_CDIMAGE ? "image"
	                                  : "medium",
	       have,
	       s->kind == CDSRC_FILE ? "a truncated image (a copy or a "
	                               "write that did not finish)"
	       : s->kind == CDSRC_CDIMAGE
	           ? "its data file is shorter than the volume (a copy "
	             "that did not finish)"
	           : "the medium is damaged");
	*status = CD_EXIT_FAIL;
	return 1;
}

int cdsrc_data_range(struct cdsource *s, int session, int track, int all,
                     int32_t *first, int64_t *count, int *status)
{
	const struct cdsrc_track *t = NULL, *last = NULL;
	int32_t end = 0;
	int r;

	if (track) {
		t = cdsrc_track(s, track);
		if (!t) {
			cd_msg("%s: there is no track %d (tracks %d to %d)",
			       s->name, track, s->tracks[0].num,
			       s->tracks[s->ntracks - 1].num);
			*status = CD_EXIT_USAGE;
			return -1;
		}
		if (t->audio) {
			cd_msg("%s: track %d is audio, not data", s->name,
			       track);
			*status = CD_EXIT_MEDIUM;
			return -1;
		}
		r = volume_at(s, t, &end, status);
		if (r < 0)
			return -1;
		/* the track's own blocks: a volume counting from block 0
		 * is read from the track's start all the same; one that
		 * ends after the track is a cut image or a damaged disc */
		if (r && too_big(s, end, t->start + t->size, status))
			return -1;
		if (r == 0 || end <= t->start)
			end = t->start + t->size;
		*first = t->start;
		*count = end - t->start;
		return 0;
	}
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *u = &s->tracks[i];

		if (u->audio || (session && u->session != session))
			continue;
		/* the first data track of the newest session with data
		 * (of the session asked for; of all for all) */
		if (!t || (!all && u->session > t->session))
			t = u;
		last = u;
	}
	if (session && (session < 1 || session > s->nsessions)) {
		cd_msg("%s: there is no session %d (%d session%s)", s->name,
		       session, s->nsessions, s->nsessions == 1 ? "" : "s");
		*status = CD_EXIT_USAGE;
		return -1;
	}
	if (!t) {
		if (session)
			cd_msg("%s: session %d holds no data track", s->name,
			       session);
		else
			cd_msg("%s: no data track: an audio CD (copy a track "
			       "with --track N, the whole disc with --image "
			       "DIR/NAME)",
			       s->name);
		*status = CD_EXIT_MEDIUM;
		return -1;
	}
	if (all) {
		*first = t->start;
		*count = (int64_t)last->start + last->size - t->start;
		return 0;
	}
	r = volume_at(s, t, &end, status);
	if (r < 0)
		return -1;
	if (r == 0) {
		/* no file system: the data tracks of the session whole */
		int32_t stop = t->start + t->size;

		for (const struct cdsrc_track *u = t + 1;
		     u < s->tracks + s->ntracks && u->session == t->session &&
		     !u->audio;
		     u++)
			stop = u->start + u->size;
		cd_note("%s: no ISO 9660 file system at block %" PRId32
		        ": copying %s",
		        s->name, t->start,
		        stop > t->start + t->size ? "the tracks as they are"
		                                  : "the track as it is");
		*first = t->start;
		*count = stop - t->start;
		return 0;
	}
	if (too_big(s, end, cdsrc_end(s), status))
		return -1;
	/* a volume that counts from block 0 (isomk -C) is copied from
	 * there, unless one session alone was asked for */
	*first = session || r == 2 ? t->start : 0;
	*count = end - *first;
	return 0;
}

/* ------------------------------------------------------------ copying */

void cdsrc_bad_add(struct cdsrc_bad *b, int64_t lba)
{
	b->blocks++;
	if (b->n && b->r[b->n - 1][0] + b->r[b->n - 1][1] == lba) {
		b->r[b->n - 1][1]++;
		return;
	}
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;
		void *p = realloc(b->r, cap * sizeof *b->r);

		if (!p)
			cd_die(CD_EXIT_FAIL, "out of memory");
		b->r = p;
		b->cap = cap;
	}
	b->r[b->n][0] = lba;
	b->r[b->n][1] = 1;
	b->n++;
}

int cdsrc_bad_report(const struct cdsource *s, struct cdsrc_bad *b, FILE *f,
                     const char *file, int noerror)
{
	int status = 0;

	if (b->n)
		cd_msg("%s: blocks that could not be read:", s->name);
	for (size_t i = 0; i < b->n; i++) {
		int64_t a = b->r[i][0], n = b->r[i][1];

		if (n == 1)
			fprintf(stderr, "%s:   %" PRId64 "\n", cd_prog, a);
		else
			fprintf(stderr,
			        "%s:   %" PRId64 "-%" PRId64 " (%" PRId64
			        " blocks)\n",
			        cd_prog, a, a + n - 1, n);
		if (f)
			fprintf(f, "%" PRId64 " %" PRId64 "\n", a, n);
	}
	if (f && (ferror(f) | fclose(f))) {
		cd_error("%s: cannot write the list of bad blocks: %s", file,
		         strerror(errno));
		status = 1;
	}
	if (b->blocks) {
		cd_error("%s: %" PRId64 " block%s could not be read%s", s->name,
		         b->blocks, b->blocks == 1 ? "" : "s",
		         !noerror         ? ""
		         : b->blocks == 1 ? " and was written as zeros: the "
		                            "copy is damaged"
		                          : " and were written as zeros: the "
		                            "copy is damaged");
		status = 1;
	}
	free(b->r);
	b->r = NULL;
	b->n = b->cap = 0;
	return status;
}

/* Read one block with retries. 0 or -1 (errno). */
static int read_block(struct cdsource *s, int32_t lba, void *buf)
{
	int r = -1;

	for (unsigned try = 0; try <= s->retries; try++) {
		r = cdsrc_read(s, lba, 1, buf);
		if (r == 0 || errno == ENXIO)
			break;
	}
	return r;
}

/* Write len bytes of blocks. 0, or -1 after a message, with the blocks
 * that did go out (a disk that filled up in the middle of a chunk)
 * counted in c->written, so that "N of M blocks written" is what the
 * output holds. A reader that went away ends the program (lib/xio.h). */
static int put(struct cdsrc_copy *c, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	size_t done = 0;

	if (c->digest)
		digest_update(c->digest, buf, len);
	while (done < len) {
		ssize_t n = write(c->out, p + done, len - done);

		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EPIPE)
			xio_broken_pipe();
		if (n == 0)
			errno = ENOSPC;
		c->written += (int64_t)(done / CDSRC_BLOCK);
		cd_error("cannot write the copy: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Are the blocks from lba to the end of data track t the few that end
 * it and none of them readable (the two run-out blocks of a TAO track,
 * up to seven with packet writing)? Never blocks of the track's ISO 9660
 * volume: the run-out follows the data, and the last blocks of a volume
 * (a disc written DAO has no run-out) left out would make a damaged copy
 * that ends with exit 0. */
static int runout(struct cdsource *s, const struct cdsrc_track *t, int64_t lba)
{
	unsigned char b[CDSRC_BLOCK];
	int64_t end = (int64_t)t->start + t->size;
	int32_t vend;

	if (end - lba > 7)
		return 0;
	if (cdsrc_iso_end(s, t->start, &vend) > 0 && lba < vend)
		return 0;
	for (int64_t i = lba; i < end; i++)
		if (cdsrc_read(s, (int32_t)i, 1, b) == 0)
			return 0;
	return 1;
}

/* Move n blocks at lba of an image file to the pipe out with splice(2),
 * no copy through this program: measured by bench/cdread-bench.sh
 * against dd bs=1M to a pipe. Returns the blocks moved, n when all;
 * fewer when the file could not be read there (the caller reads the rest
 * block by block and finds the bad one); -1 when splice cannot be used
 * (nothing moved). A block moved in part (not seen: splice stops at page
 * boundaries, and pages hold whole blocks) is finished with pread. */
static int64_t splice_blocks(struct cdsource *s, int out, int32_t lba,
                             uint32_t n, unsigned char *tmp)
{
	loff_t off = (loff_t)lba * CDSRC_BLOCK;
	size_t len = (size_t)n * CDSRC_BLOCK, moved = 0;

	while (moved < len) {
		ssize_t r =
		    splice(s->fd, &off, out, NULL, len - moved, SPLICE_F_MORE);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EPIPE)
			xio_broken_pipe();
		if (r < 0 && moved == 0 &&
		    (errno == EINVAL || errno == ENOSYS || errno == EBADF))
			return -1;
		if (r <= 0)
			break;
		moved += (size_t)r;
	}
	if (moved % CDSRC_BLOCK) {
		size_t rest = CDSRC_BLOCK - moved % CDSRC_BLOCK;

		if (xio_pread_all(s->fd, tmp, rest, (off_t)off) !=
		        (ssize_t)rest ||
		    xio_write_all(out, tmp, rest) < 0)
			return -2;
		moved += rest;
	}
	return (int64_t)(moved / CDSRC_BLOCK);
}

static void runout_note(const struct cdsource *s, const struct cdsrc_track *t,
                        int64_t from, int64_t n)
{
	char what[64];

	if (n > 1)
		snprintf(what, sizeof what, "blocks %" PRId64 " to %" PRId64,
		         from, from + n - 1);
	else
		snprintf(what, sizeof what, "block %" PRId64, from);
	cd_note("%s: %s at the end of track %d cannot be read: the run-out "
	        "of a track written in TAO mode, left out",
	        s->name, what, t->num);
}

int cdsrc_is_source(const struct cdsource *s, int out)
{
	struct stat o, in;
	const char *src = s->cdio ? cdio_get_arg(s->cdio, "source") : NULL;

	if (fstat(out, &o) < 0 || !S_ISREG(o.st_mode))
		return 0;
	if (s->fd >= 0 && fstat(s->fd, &in) == 0 && in.st_dev == o.st_dev &&
	    in.st_ino == o.st_ino)
		return 1;
	return src && stat(src, &in) == 0 && in.st_dev == o.st_dev &&
	       in.st_ino == o.st_ino;
}

/* Blocks at a time: 1 MiB from a file (as dd bs=1M), 64 KiB from a drive
 * or a CD image (what every drive takes in one READ). */
static uint32_t chunk_of(const struct cdsource *s)
{
	return s->kind == CDSRC_FILE ? 512 : 32;
}

int cdsrc_copy(struct cdsource *s, struct cdsrc_copy *c)
{
	uint32_t chunk = chunk_of(s);
	unsigned char *own = malloc((size_t)chunk * CDSRC_BLOCK);
	struct cdsrc_bad bad = {0};
	struct progress p;
	int64_t end = c->first + c->count;
	int said_zeros = 0, status = 0, use_splice = 0;
	struct stat st;
	FILE *list = NULL;

	if (!own)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (cdsrc_is_source(s, c->out)) {
		cd_msg("%s: the copy would be written into the image being "
		       "read",
		       s->name);
		free(own);
		return CD_EXIT_USAGE;
	}
	/* opened (made empty) before the first block is read: a list that
	 * cannot be written is said before an hour of reading, not after,
	 * and no old list stays to be retried when the copy is cut short */
	if (c->bad_list) {
		list = fopen(c->bad_list, "we");
		if (!list) {
			cd_error("%s: cannot write the list of bad blocks: %s",
			         c->bad_list, strerror(errno));
			free(own);
			return 1;
		}
	}
	/* a pipe's buffer as large as a read: fewer wake-ups of the reader
	 * (lib/xio.c measured half the time of the 64 KiB default) */
	if (fstat(c->out, &st) == 0 && S_ISFIFO(st.st_mode)) {
		fcntl(c->out, F_SETPIPE_SZ, (int)(chunk * CDSRC_BLOCK));
		use_splice = s->kind == CDSRC_FILE && !c->digest;
	}
	c->written = c->bad = c->zeros = c->trimmed = 0;
	progress_init(&p, c->progress, (uint64_t)c->count * CDSRC_BLOCK);
	for (int64_t lba = c->first; lba < end;) {
		const struct cdsrc_track *t = cdsrc_track_at(s, (int32_t)lba);
		uint32_t n = chunk;
		/* read into the checksum's own buffer: hashed with no copy */
		unsigned char *slot = c->digest ? digest_slot(c->digest) : NULL;
		unsigned char *buf = slot ? slot : own;

		if (end - lba < n)
			n = (uint32_t)(end - lba);
		if (!t && lba >= cdsrc_end(s)) {
			cd_error("%s: block %" PRId64 " is past the end of the "
			         "%s (%" PRId32 " blocks)",
			         s->name, lba,
			         s->kind == CDSRC_FILE ? "image" : "medium",
			         cdsrc_end(s));
			status = 1;
			break;
		}
		if (!t || t->audio) {
			/* no data here: as far as the next data track */
			int64_t stop = lba + 1;

			while (stop < end && stop - lba < n) {
				const struct cdsrc_track *u =
				    cdsrc_track_at(s, (int32_t)stop);
				if (u && !u->audio)
					break;
				stop++;
			}
			if (!said_zeros++)
				cd_note("%s: blocks from %" PRId64
				        " are no data (%s) and are written "
				        "as zeros",
				        s->name, lba,
				        t ? "an audio track"
				          : "a gap between sessions");
			memset(buf, 0, (size_t)(stop - lba) * CDSRC_BLOCK);
			if (put(c, buf, (size_t)(stop - lba) * CDSRC_BLOCK) <
			    0) {
				status = 1;
				break;
			}
			c->zeros += stop - lba;
			c->written += stop - lba;
			lba = stop;
			continue;
		}
		if (lba + n > t->start + t->size)
			n = (uint32_t)(t->start + t->size - lba);
		if (use_splice) {
			int64_t m =
			    splice_blocks(s, c->out, (int32_t)lba, n, buf);

			if (m == -2) {
				cd_error("%s: block %" PRId64
				         " cannot be read, "
				         "and part of it was written",
				         s->name, lba);
				status = 1;
				break;
			}
			if (m < 0) {
				use_splice = 0;
			} else {
				c->written += m;
				lba += m;
				progress_update(&p, (uint64_t)c->written *
				                        CDSRC_BLOCK);
				if ((uint32_t)m == n)
					continue;
				/* the rest of the chunk, block by block */
				n -= (uint32_t)m;
			}
		}
		if (cdsrc_read(s, (int32_t)lba, n, buf) < 0) {
			/* find the bad blocks one by one */
			uint32_t k;
			int stop = 0;
			int64_t trimmed = 0;

			for (k = 0; k < n; k++) {
				unsigned char *b =
				    buf + (size_t)k * CDSRC_BLOCK;

				if (read_block(s, (int32_t)(lba + k), b) == 0)
					continue;
				if (errno == ENXIO) {
					cd_error("%s: the image ends at block "
					         "%" PRId64 ", before block "
					         "%" PRId64
					         " where the copy ends",
					         s->name, lba + k, end);
					stop = 1;
					break;
				}
				if (c->trim_runout && runout(s, t, lba + k)) {
					trimmed =
					    t->start + t->size - (lba + k);
					runout_note(s, t, lba + k, trimmed);
					c->trimmed += trimmed;
					break;
				}
				cdsrc_bad_add(&bad, lba + k);
				c->bad++;
				if (!c->noerror) {
					cd_error(
					    "%s: block %" PRId64 " cannot "
					    "be read (tried %u time%s): %s",
					    s->name, lba + k, s->retries + 1,
					    s->retries ? "s" : "",
					    s->why[0] ? s->why
					              : strerror(errno));
					stop = 1;
					break;
				}
				memset(b, 0, CDSRC_BLOCK);
			}
			if (trimmed) {
				if (k &&
				    put(c, buf, (size_t)k * CDSRC_BLOCK) < 0) {
					status = 1;
					break;
				}
				c->written += k;
				lba += k + trimmed;
				progress_update(&p, (uint64_t)c->written *
				                        CDSRC_BLOCK);
				continue;
			}
			if (stop) {
				/* what was good before it still goes out */
				if (k &&
				    put(c, buf, (size_t)k * CDSRC_BLOCK) == 0)
					c->written += k;
				status = 1;
				break;
			}
		}
		if (put(c, buf, (size_t)n * CDSRC_BLOCK) < 0) {
			status = 1;
			break;
		}
		c->written += n;
		lba += n;
		progress_update(&p, (uint64_t)(c->written) * CDSRC_BLOCK);
	}
	progress_end(&p, (uint64_t)c->written * CDSRC_BLOCK);
	if (cdsrc_bad_report(s, &bad, list, c->bad_list, c->noerror))
		status = 1;
	if (status && c->written < c->count)
		cd_msg("%s: the copy is incomplete: %" PRId64 " of %" PRId64
		       " blocks written",
		       s->name, c->written, c->count);
	free(own);
	return status;
}
