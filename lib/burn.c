/* burn: one data track through libburn. See burn.h. */
#include "config.h"

#include "burn.h"
#include "audio.h"
#include "bytes.h"
#include "cueimage.h"
#include "cli.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libisofs/libisofs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 2048
#define HEAD_BLOCKS 64 /* read ahead of writing: the volume descriptors */

volatile int burn_cancel_signal;

/* ------------------------------------------------------------ source */

/* The track as libburn reads it: first the bytes read ahead, then the
 * file descriptor; it counts, keeps an MD5 per block for --verify, and
 * notices data beyond a declared size (tsize= too small). */
struct src {
	int fd;
	unsigned char *head;
	size_t head_len, head_pos;
	off_t size; /* declared; -1 unknown */
	off_t done;
	int eof, too_long, read_error;
	int verify;
	unsigned char (*md5)[16];
	size_t nmd5, capmd5;
	unsigned char part[BLOCK]; /* a block not yet complete, for md5 */
	size_t part_len;
};

static void md5_block(struct src *s, const unsigned char *b)
{
	void *ctx = NULL; /* iso_md5_start frees what is there */

	if (s->nmd5 == s->capmd5) {
		size_t cap = s->capmd5 ? s->capmd5 * 2 : 65536;
		void *v = realloc(s->md5, cap * 16);

		if (!v)
			cd_die(CD_EXIT_FAIL, "out of memory");
		s->md5 = v;
		s->capmd5 = cap;
	}
	if (iso_md5_start(&ctx) <= 0)
		cd_die(CD_EXIT_FAIL, "out of memory");
	iso_md5_compute(ctx, (char *)b, BLOCK);
	iso_md5_end(&ctx, (char *)s->md5[s->nmd5++]);
}

static void sum(struct src *s, const unsigned char *p, size_t n)
{
	while (n > 0) {
		size_t k = BLOCK - s->part_len < n ? BLOCK - s->part_len : n;

		if (s->part_len == 0 && n >= BLOCK) {
			md5_block(s, p);
			p += BLOCK;
			n -= BLOCK;
			continue;
		}
		memcpy(s->part + s->part_len, p, k);
		s->part_len += k;
		p += k;
		n -= k;
		if (s->part_len == BLOCK) {
			md5_block(s, s->part);
			s->part_len = 0;
		}
	}
}

static int src_read(struct burn_source *bs, unsigned char *buf, int size)
{
	struct src *s = bs->data;
	size_t want = (size_t)size, got = 0;

	if (s->size >= 0 && s->done + (off_t)want > s->size)
		want = s->done < s->size ? (size_t)(s->size - s->done) : 0;
	while (got < want && s->head_pos < s->head_len) {
		size_t k = s->head_len - s->head_pos;

		if (k > want - got)
			k = want - got;
		memcpy(buf + got, s->head + s->head_pos, k);
		s->head_pos += k;
		got += k;
	}
	while (got < want && !s->eof) {
		ssize_t n = read(s->fd, buf + got, want - got);

		if (n < 0 && errno == EINTR && burn_cancel_signal) {
			s->eof = 1; /* cancelled: stop waiting for input */
			break;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			s->read_error = errno;
			s->eof = 1;
			break;
		}
		if (n == 0) {
			s->eof = 1;
			break;
		}
		got += (size_t)n;
	}
	/* a declared size reached: is there more? */
	if (s->size >= 0 && s->done + (off_t)got == s->size && !s->eof &&
	    !s->too_long) {
		unsigned char c;
		ssize_t n = s->head_pos < s->head_len ? 1 : read(s->fd, &c, 1);

		if (n > 0)
			s->too_long = 1;
		s->eof = 1;
	}
	if (s->verify)
		sum(s, buf, got);
	s->done += (off_t)got;
	return (int)got;
}

static off_t src_get_size(struct burn_source *bs)
{
	struct src *s = bs->data;

	return s->size >= 0 ? s->size : 0;
}

static int src_set_size(struct burn_source *bs, off_t size)
{
	struct src *s = bs->data;

	s->size = size;
	return 1;
}

static void src_free(struct burn_source *bs)
{
}

/* ----------------------------------------------------- ISO addressing */

/* Is the ISO session in head addressed for block start? 0 yes or not an
 * ISO image, -1 after a message. */
static int check_address(const struct burn_job *j, const unsigned char *head,
                         size_t len, int32_t start, const char *dev)
{
	const unsigned char *pvd = head + 16 * BLOCK;
	uint32_t root, size;

	if (len < 17 * BLOCK || pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5))
		return 0;
	root = get_le32(pvd + 158);
	size = get_le32(pvd + 80);
	if ((uint32_t)start + 17 <= root && root < (uint32_t)start + size)
		return 0;
	if (start == 0)
		cd_msg("%s is an ISO session made for block %" PRIu32
		       " or so (isomk -C), but it would be written at block 0 "
		       "of %s, which is blank: it would be unreadable. Make it "
		       "without -C (or say -force)",
		       j->name, root > 20 ? root - 20 : 0, dev);
	else if (root < (uint32_t)start)
		cd_msg("%s is an ISO session made for block %s, but %s is "
		       "appendable and it would go to block %" PRId32
		       ": it would be unreadable. Make it with isomk -C "
		       "$(msinfo dev=%s) -M %s (or say -force)",
		       j->name, root < 40 ? "0 (no isomk -C)" : "another place",
		       dev, start, dev, dev);
	else
		cd_msg("%s is an ISO session made for another place than "
		       "block %" PRId32 " where it would go on %s: make it "
		       "with isomk -C $(msinfo dev=%s) -M %s (or say -force)",
		       j->name, start, dev, dev, dev);
	return -1;
}

/* After a session at start on an emulated medium: its volume descriptors
 * to block 16, all of them, with sizes counting from block 0. */
static int copy_descriptors(struct device *dev, int32_t start, uint32_t written)
{
	unsigned char vd[32 * BLOCK];
	off_t got = 0;
	int n;

	if (burn_read_data(dev->drive, (off_t)(start + 16) * BLOCK, (char *)vd,
	                   sizeof vd, &got, 2) <= 0 ||
	    got < 2 * BLOCK) {
		cd_error("cannot read back the new session's volume "
		         "descriptors at block %" PRId32,
		         start + 16);
		return -1;
	}
	for (n = 0; n < (int)(got / BLOCK); n++) {
		unsigned char *b = vd + n * BLOCK;

		if (memcmp(b + 1, "CD001", 5) != 0)
			break;
		if (b[0] == 1 || b[0] == 2) {
			uint32_t size = get_le32(b + 80);

			/* mkisofs and libisofs count a later session's size
			 * from its own start: it is no more than what was
			 * written. Counted from block 0 it would be more. */
			if (size <= written)
				put_both32(b + 80, size + (uint32_t)start);
		}
		if (b[0] == 255) {
			n++;
			break;
		}
	}
	if (n < 2 || 16 + n > start) {
		cd_error("the new session's volume descriptors are not there");
		return -1;
	}
	if (burn_random_access_write(dev->drive, 16 * BLOCK, (char *)vd,
	                             (off_t)n * BLOCK, 1) <= 0) {
		cd_error("cannot write the volume descriptors to block 16");
		return -1;
	}
	return 0;
}

/* -------------------------------------------------------------- verify */

static int verify(struct device *dev, struct src *s, int32_t start)
{
	size_t chunk = 512, nblocks = s->nmd5;
	unsigned char *buf = malloc(chunk * BLOCK);

	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	for (size_t b = 0; b < nblocks; b += chunk) {
		size_t n = nblocks - b < chunk ? nblocks - b : chunk;
		off_t got = 0;

		if (burn_read_data(
		        dev->drive, (off_t)(start + (off_t)b) * BLOCK,
		        (char *)buf, (off_t)n * BLOCK, &got, 2) <= 0 ||
		    got != (off_t)n * BLOCK) {
			cd_msg("verify: cannot read block %" PRId64
			       " back from the medium",
			       (int64_t)start + (int64_t)b + got / BLOCK);
			free(buf);
			return CD_EXIT_MISMATCH;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned char md5[16];
			void *ctx =
			    NULL; /* iso_md5_start frees what is there */

			if (iso_md5_start(&ctx) <= 0)
				cd_die(CD_EXIT_FAIL, "out of memory");
			iso_md5_compute(ctx, (char *)buf + i * BLOCK, BLOCK);
			iso_md5_end(&ctx, (char *)md5);
			if (memcmp(md5, s->md5[b + i], 16) != 0) {
				cd_msg("verify: block %" PRId64
				       " of the medium (block %zu of the "
				       "track) differs from what was written",
				       (int64_t)start + (int64_t)(b + i),
				       b + i);
				free(buf);
				return CD_EXIT_MISMATCH;
			}
		}
	}
	free(buf);
	return 0;
}

/* --------------------------------------------------------------- write */

static void show_progress(struct device *dev, struct burn_source *fifo,
                          struct progress *pr)
{
	struct burn_progress p;
	int size = 0, avail = 0;
	char *txt = NULL;
	char extra[64];
	off_t done;

	memset(&p, 0, sizeof p);
	burn_drive_get_status(dev->drive, &p);
	if (fifo)
		burn_fifo_inquire_status(fifo, &size, &avail, &txt);
	done = (off_t)p.sector * BLOCK;
	if (!fifo) {
		progress_update(pr, (uint64_t)done);
		return;
	}
	snprintf(extra, sizeof extra, ", fifo %d%%, buffer %d%%",
	         size ? 100 - (int)((int64_t)avail * 100 / size) : 0,
	         p.buffer_capacity ? 100 - (int)((uint64_t)p.buffer_available *
	                                         100 / p.buffer_capacity)
	                           : 0);
	progress_update_extra(pr, (uint64_t)done, extra);
}

/* Image files (libburn's stdio: drives of role 2). Measured writing a 2 GiB
 * image to a file, median of 5, against cat > file && sync at 3.2 s:
 * through libburn 4.5 s (its writer thread writes 32 KiB at a time and
 * this cannot be changed; its FIFO doubled that again). So cdwrite writes
 * image files itself from the same source (which keeps tsize= and the
 * counts), starts the write-back of every 8 MiB at once (sync_file_range:
 * 3.0 s against cat+sync's 3.0 s, where waiting for one fsync at the end
 * took 3.5 s), and fsync(2)s: the data must be on the medium, not only in
 * the page cache. A track that is a regular file is moved by the kernel
 * (copy_file_range through lib/xio's copier, after the volume descriptors
 * read ahead): medians of five alternating runs, 2.1 s against cat+sync's
 * 2.7 s, where reading it through this process 1 MiB at a time took 2.9 s;
 * bench/cdwrite-bench.sh then gave 2.95 s against cat+sync's 3.30 s (the
 * disk's speed wanders). --verify's checksums need the bytes, so they are
 * still read then, as data from a pipe is. libburn still probes the
 * medium, copies the descriptors and reads back for --verify.
 * 1 written, 0 failed or cancelled (after a message). */
static int write_file(struct device *dev, struct burn_job *j,
                      struct burn_source *bs, int32_t start,
                      struct progress *pr)
{
	struct src *s = bs->data;
	const char *path = dev->adr + 6; /* "stdio:" */
	unsigned char *buf = malloc(1 << 20);
	off_t written = 0, flushed = 0, in_off = -1;
	struct xio_copier cp;
	struct stat st;
	int out, ok = 1;

	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	out = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (out < 0 || lseek(out, (off_t)start * BLOCK, SEEK_SET) < 0) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		free(buf);
		if (out >= 0)
			close(out);
		return 0;
	}
	if (!s->verify && fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		in_off = lseek(s->fd, 0, SEEK_CUR);
	xio_copier_init(&cp, out);
	for (;;) {
		ssize_t n;

		if (in_off >= 0 && s->head_pos == s->head_len) {
			/* the rest of a regular file: the kernel copies it */
			size_t want = 8 << 20;

			if (s->size >= 0 && s->size - s->done < (off_t)want)
				want = (size_t)(s->size - s->done);
			n = want
			        ? xio_copy(&cp, s->fd, in_off, want, st.st_size)
			        : 0;
			if (n == -2) {
				s->read_error = errno;
				break;
			}
			if (n < 0) {
				cd_msg("%s: cannot write: %s", path,
				       strerror(errno));
				ok = 0;
				break;
			}
			if (n == 0)
				break;
			in_off += n;
			s->done += n;
		} else {
			/* the bytes read ahead first, exactly, when the rest
			 * is copied from the file's offset after them */
			n = src_read(bs, buf,
			             in_off >= 0
			                 ? (int)(s->head_len - s->head_pos)
			                 : 1 << 20);
			if (n <= 0)
				break;
			if (n % BLOCK) { /* the last block, filled up as
				            libburn does */
				memset(buf + n, 0, (size_t)(BLOCK - n % BLOCK));
				n += BLOCK - n % BLOCK;
			}
			if (xio_write_all(out, buf, (size_t)n) < 0) {
				cd_msg("%s: cannot write: %s", path,
				       strerror(errno));
				ok = 0;
				break;
			}
		}
		/* start writing back what is written, without waiting: the
		 * disk works while we copy, and the final fsync has less left
		 * to do */
		written += (off_t)n;
		if (written - flushed >= (8 << 20)) {
			sync_file_range(out, (off_t)start * BLOCK + flushed,
			                written - flushed,
			                SYNC_FILE_RANGE_WRITE);
			flushed = written;
		}
		progress_update(pr, (uint64_t)s->done);
		if (burn_cancel_signal)
			break;
	}
	if (in_off >= 0) {
		/* a declared size reached with more in the file: tsize= was
		 * too small */
		if (s->size >= 0 && s->done == s->size &&
		    fstat(s->fd, &st) == 0 && st.st_size > in_off)
			s->too_long = 1;
		if (ok && xio_copier_end(&cp) < 0) {
			cd_msg("%s: cannot write: %s", path, strerror(errno));
			ok = 0;
		}
		/* the last block filled up, as libburn does */
		if (ok && written % BLOCK &&
		    xio_write_zeros(out, (size_t)(BLOCK - written % BLOCK)) <
		        0) {
			cd_msg("%s: cannot write: %s", path, strerror(errno));
			ok = 0;
		}
	}
	if (ok && !burn_cancel_signal &&
	    xio_write_zeros(out, (size_t)j->pad_blocks * BLOCK) < 0) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		ok = 0;
	}
	if (fsync(out) < 0 && ok) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		ok = 0;
	}
	if (close(out) < 0 && ok) {
		cd_msg("%s: cannot write: %s", path, strerror(errno));
		ok = 0;
	}
	free(buf);
	return ok && !burn_cancel_signal;
}

/* libburn writes the disc in a thread of its own: wait for it with
 * progress, cancel it on a signal. 1 written well, 0 not. */
static int run_write(struct device *dev, struct burn_write_opts *o,
                     struct burn_disc *disc, struct burn_source *fifo,
                     struct progress *pr)
{
	struct timespec nap = {0, 100 * 1000 * 1000};

	burn_disc_write(o, disc);
	while (burn_drive_get_status(dev->drive, NULL) == BURN_DRIVE_SPAWNING)
		nanosleep(&nap, NULL);
	while (burn_drive_get_status(dev->drive, NULL) != BURN_DRIVE_IDLE) {
		if (burn_cancel_signal > 0) {
			burn_drive_cancel(dev->drive);
			burn_cancel_signal = -burn_cancel_signal;
		}
		show_progress(dev, fifo, pr);
		nanosleep(&nap, NULL);
	}
	return burn_drive_wrote_well(dev->drive);
}

/* Write through libburn: real drives (with its FIFO), sequential stdio:
 * targets, and -dummy. 1 written, 0 failed (or cancelled). */
static int write_libburn(struct device *dev, struct burn_job *j,
                         const struct media *m, struct burn_source *bs,
                         int32_t start, struct progress *pr)
{
	struct burn_source *fifo;
	struct burn_disc *disc;
	struct burn_session *session;
	struct burn_track *track;
	struct burn_write_opts *o;
	int ok;

	/* libburn's FIFO smooths the input for a real drive. For an image
	 * file it only costs: writing a 2 GiB image took 10 s through it
	 * against 4.6 s without it and 4.8 s for cat + sync, whatever its
	 * chunk size (bench/cdwrite-bench.sh). The page cache is buffer
	 * enough there. */
	fifo = NULL;
	if (m->role == 1) {
		fifo = burn_fifo_source_new(
		    bs, 32 * BLOCK, (j->fifo_mb > 0 ? j->fifo_mb : 16) * 16, 1);
		if (!fifo)
			cd_die(CD_EXIT_FAIL, "cannot set up the FIFO");
	}
	disc = burn_disc_create();
	session = burn_session_create();
	burn_disc_add_session(disc, session, BURN_POS_END);
	track = burn_track_create();
	burn_track_define_data(track, 0, j->pad_blocks * BLOCK, 1, BURN_MODE1);
	burn_track_set_source(track, fifo ? fifo : bs);
	if (j->size >= 0)
		burn_track_set_default_size(track, j->size);
	burn_session_add_track(session, track, BURN_POS_END);

	o = burn_write_opts_new(dev->drive);
	/* SAO is for write-once media; image files take TAO */
	burn_write_opts_set_write_type(
	    o, j->sao && m->role == 1 ? BURN_WRITE_SAO : BURN_WRITE_TAO,
	    BURN_BLOCK_MODE1);
	/* overwriteable media and files: sessions are ours to emulate */
	burn_write_opts_set_multi(o, j->multi && !m->emulated);
	burn_write_opts_set_simulate(o, j->dummy);
	burn_write_opts_set_underrun_proof(o, j->burnfree);
	burn_write_opts_set_perform_opc(o, 1);
	/* an image file: data forced out at the end only (libburn's default
	 * fsync every 16 MB is what makes cdrskin slow on files) */
	burn_write_opts_set_stdio_fsync(o, 1);
	if (m->emulated && start > 0)
		burn_write_opts_set_start_byte(o, (off_t)start * BLOCK);
	if (j->speed_kb > 0)
		burn_drive_set_speed(dev->drive, 0, j->speed_kb);

	ok = run_write(dev, o, disc, fifo, pr);
	burn_write_opts_free(o);
	if (fifo)
		burn_source_free(fifo);
	burn_track_free(track);
	burn_session_free(session);
	burn_disc_free(disc);
	return ok;
}

/* What is in the drive; 0, or the status when there is nothing to use
 * (a drive that only reads, no medium). */
static int probe(struct device *dev, struct media *m)
{
	char writes[256];

	if (!device_writes(&dev->info[0], writes, sizeof writes)) {
		cd_msg("%s: the drive (%s %s) only reads: it cannot write any "
		       "medium (cdwrite -scanbus lists the drives)",
		       device_name(dev), dev->info[0].vendor,
		       dev->info[0].product);
		return CD_EXIT_MEDIUM;
	}
	if (media_probe(dev, m) < 0)
		return CD_EXIT_FAIL;
	if (m->state == MEDIA_NONE) {
		cd_msg("%s: there is no medium in the drive", device_name(dev));
		return CD_EXIT_MEDIUM;
	}
	return 0;
}

/* A closed medium takes nothing more: said, exit status 3. */
static int refuse_closed(const char *devname)
{
	cd_msg("%s: the medium is closed: nothing more can be written (blank "
	       "it if it is rewritable: blank=fast)",
	       devname);
	return CD_EXIT_MEDIUM;
}

static int is_cd(int profile)
{
	return profile == 0x09 || profile == 0x0a; /* CD-R, CD-RW */
}

/* A CD session for a drive: a real CD-R or CD-RW, not closed, with room
 * for need sectors. 0, or the exit status after a message. */
static int cd_ready(struct device *dev, const struct media *m, int audio,
                    int64_t need)
{
	const char *devname = device_name(dev);

	if (m->state == MEDIA_CLOSED)
		return refuse_closed(devname);
	if (m->state == MEDIA_UNUSABLE || (audio && !is_cd(m->profile))) {
		cd_msg("%s: %s%s", devname,
		       audio ? "audio tracks need a CD-R or CD-RW; this is "
		             : "this drive cannot write this medium: ",
		       m->profile_name[0] ? m->profile_name : "unknown");
		return CD_EXIT_MEDIUM;
	}
	if (m->free_blocks >= 0 && need > m->free_blocks) {
		cd_msg("%s: the medium has %" PRId64
		       " blocks free, the tracks need %" PRId64 " (%" PRId64
		       " too many): nothing written",
		       devname, m->free_blocks, need, need - m->free_blocks);
		return CD_EXIT_MEDIUM;
	}
	return 0;
}

/* Write a disc of one session to a real drive with the job's options,
 * after libburn has agreed to the write type (SAO when sao, else TAO).
 * Returns the exit status. */
static int write_disc(struct device *dev, struct burn_job *j,
                      const struct media *m, struct burn_disc *disc,
                      struct burn_source *fifo, int sao, int64_t sectors,
                      unsigned char *text_packs, int num_packs)
{
	struct burn_write_opts *o = burn_write_opts_new(dev->drive);
	struct progress pr;
	char reasons[BURN_REASONS_LEN];
	const char *devname = device_name(dev);
	int status = 0, ok;

	burn_write_opts_set_multi(o, j->multi);
	burn_write_opts_set_simulate(o, j->dummy);
	burn_write_opts_set_underrun_proof(o, j->burnfree);
	burn_write_opts_set_perform_opc(o, 1);
	burn_write_opts_set_write_type(o, sao ? BURN_WRITE_SAO : BURN_WRITE_TAO,
	                               sao ? BURN_BLOCK_SAO : BURN_BLOCK_MODE1);
	if (num_packs > 0)
		burn_write_opts_set_leadin_text(o, text_packs, num_packs, 0);
	if (j->speed_kb > 0)
		burn_drive_set_speed(dev->drive, 0, j->speed_kb);
	reasons[0] = '\0';
	if (burn_write_opts_auto_write_type(o, disc, reasons, 1) ==
	    BURN_WRITE_NONE) {
		cd_msg("%s: the drive cannot write these tracks %s: %s",
		       devname,
		       sao ? "session at once (-sao)" : "track at once (-tao)",
		       reasons);
		burn_write_opts_free(o);
		return CD_EXIT_MEDIUM;
	}
	if (j->verbose)
		cd_msg("%s: %s, %s; %" PRId64 " sectors%s", devname,
		       m->profile_name, media_state_name(m->state), sectors,
		       j->dummy ? " (simulated)" : "");
	progress_init(&pr, j->progress, (uint64_t)sectors * BLOCK);
	ok = run_write(dev, o, disc, fifo, &pr);
	progress_end(&pr, (uint64_t)sectors * BLOCK);
	if (burn_cancel_signal) {
		cd_msg("cancelled: %s holds an incomplete session", devname);
		status = 128 + (burn_cancel_signal < 0 ? -burn_cancel_signal
		                                       : burn_cancel_signal);
	} else if (!ok) {
		device_messages(j->verbose);
		cd_msg("%s: writing failed%s", devname,
		       j->verbose ? "" : " (-v tells libburn's own words)");
		status = CD_EXIT_FAIL;
	}
	burn_write_opts_free(o);
	return status;
}

int burn_session(struct device *dev, struct burn_job *j,
                 struct session_track *t, int n)
{
	struct media m;
	struct burn_disc *disc;
	struct burn_session *session;
	struct burn_track *tracks[99];
	struct burn_source *fifos[99] = {NULL};
	int64_t need = 0;
	int status, audio = 0, i;
	const char *devname = device_name(dev);

	for (i = 0; i < n; i++)
		audio += t[i].audio;
	if ((status = probe(dev, &m)) != 0)
		return status;
	if (m.role != 1) {
		if (device_is_cue(dev))
			return cue_write(dev->adr + 6, t, n, j);
		cd_msg("%s is an image file: %s; for a CD image with audio "
		       "tracks name a CUE file (dev=NAME.cue)",
		       devname,
		       audio ? "audio tracks need a CD-R or CD-RW"
		             : "it holds one data track a session");
		return CD_EXIT_MEDIUM;
	}
	/* does it fit? a sector a block, and a 2 s gap before each track
	 * after the first when written track at once */
	for (i = 0; i < n; i++) {
		int64_t sec =
		    t[i].size < 0 ? 0
		    : t[i].audio
		        ? ((int64_t)t[i].size + AUDIO_SECTOR - 1) / AUDIO_SECTOR
		        : ((int64_t)t[i].size + BLOCK - 1) / BLOCK +
		              j->pad_blocks;

		need += sec + (i > 0 && !j->sao ? 150 : 0);
	}
	if ((status = cd_ready(dev, &m, audio, need)) != 0)
		return status;

	disc = burn_disc_create();
	session = burn_session_create();
	burn_disc_add_session(disc, session, BURN_POS_END);
	for (i = 0; i < n; i++) {
		struct burn_source *src = burn_fd_source_new(
		    t[i].fd, -1, t[i].size > 0 ? t[i].size : 0);
		int chunk = t[i].audio ? AUDIO_SECTOR : BLOCK;

		fifos[i] = src ? burn_fifo_source_new(
		                     src, chunk,
		                     (j->fifo_mb > 0 ? j->fifo_mb : 16) *
		                         (1 << 20) / chunk / n,
		                     1)
		               : NULL;
		if (src)
			burn_source_free(src); /* the FIFO holds it */
		if (!fifos[i])
			cd_die(CD_EXIT_FAIL, "cannot set up the FIFO");
		tracks[i] = burn_track_create();
		burn_track_define_data(tracks[i], 0,
		                       t[i].audio ? 0 : j->pad_blocks * BLOCK,
		                       1, t[i].audio ? BURN_AUDIO : BURN_MODE1);
		if (t[i].audio)
			burn_track_set_byte_swap(tracks[i], t[i].swap);
		burn_track_set_source(tracks[i], fifos[i]);
		if (t[i].size >= 0)
			burn_track_set_default_size(tracks[i], t[i].size);
		burn_session_add_track(session, tracks[i], BURN_POS_END);
	}
	status = write_disc(dev, j, &m, disc, fifos[0], j->sao, need, NULL, 0);
	for (i = 0; i < n; i++) {
		burn_source_free(fifos[i]);
		burn_track_free(tracks[i]);
	}
	burn_session_free(session);
	burn_disc_free(disc);
	return status;
}

int burn_cue_image(struct device *dev, struct burn_job *j, const char *cue)
{
	struct media m;
	struct burn_disc *disc = burn_disc_create();
	struct burn_session *session = burn_session_create();
	struct burn_source *fifo = NULL;
	struct burn_track **tracks;
	unsigned char *text = NULL;
	int num_packs = 0, n = 0, audio = 0, status;
	int64_t need = 0;

	burn_disc_add_session(disc, session, BURN_POS_END);
	/* libburn reads the sheet (and its FILE) before the drive is asked */
	if (burn_session_by_cue_file(session, (char *)cue,
	                             (j->fifo_mb > 0 ? j->fifo_mb : 16) *
	                                 (1 << 20),
	                             &fifo, &text, &num_packs, 0) <= 0) {
		device_messages(1);
		cd_msg(
		    "%s: libburn cannot read this CUE sheet: nothing written",
		    cue);
		status = CD_EXIT_FAIL;
		goto out;
	}
	tracks = burn_session_get_tracks(session, &n);
	for (int i = 0; i < n; i++) {
		need += burn_track_get_sectors(tracks[i]);
		audio |= burn_track_get_mode(tracks[i]) & BURN_AUDIO;
	}
	if (j->verbose)
		cd_msg("%s: %d track%s, %" PRId64
		       " sectors, as libburn reads it",
		       cue, n, n == 1 ? "" : "s", need);
	if ((status = probe(dev, &m)) != 0)
		goto out;
	if (m.role != 1) {
		cd_msg("%s is an image file: a CUE image goes to a CD-R or "
		       "CD-RW in a drive",
		       device_name(dev));
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if ((status = cd_ready(dev, &m, audio, need)) != 0)
		goto out;
	/* a CUE sheet lays out the whole session: session at once */
	status = write_disc(dev, j, &m, disc, fifo, 1, need, text, num_packs);
out:
	if (fifo)
		burn_source_free(fifo);
	free(text);
	burn_session_free(session);
	burn_disc_free(disc);
	return status;
}

int burn_track(struct device *dev, struct burn_job *j)
{
	struct media m;
	struct src s;
	struct burn_source bs;
	struct progress pr;
	int32_t start = 0;
	int64_t need, free_blocks;
	int status = 0, ok;
	const char *devname = device_name(dev);

	if ((status = probe(dev, &m)) != 0)
		return status;
	if (device_is_cue(dev)) {
		cd_msg("%s: a CUE image holds audio tracks: say -audio before "
		       "them (a data session goes to an image of its own)",
		       devname);
		return CD_EXIT_MEDIUM;
	}
	if (m.state == MEDIA_CLOSED)
		return refuse_closed(devname);
	if (m.state == MEDIA_UNUSABLE) {
		cd_msg("%s: this drive cannot write this medium (%s)", devname,
		       m.profile_name);
		return CD_EXIT_MEDIUM;
	}
	if (m.state == MEDIA_APPENDABLE && m.next >= 0)
		start = m.next;

	/* read ahead: the volume descriptors of an ISO session */
	memset(&s, 0, sizeof s);
	s.fd = j->fd;
	s.size = j->size;
	s.verify = j->verify && !j->dummy;
	s.head = malloc(HEAD_BLOCKS * BLOCK);
	if (!s.head)
		cd_die(CD_EXIT_FAIL, "out of memory");
	while (s.head_len < HEAD_BLOCKS * BLOCK &&
	       (s.size < 0 || (off_t)s.head_len < s.size)) {
		ssize_t n = read(j->fd, s.head + s.head_len,
		                 HEAD_BLOCKS * BLOCK - s.head_len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cd_msg("cannot read %s: %s", j->name, strerror(errno));
			free(s.head);
			return CD_EXIT_FAIL;
		}
		if (n == 0)
			break;
		s.head_len += (size_t)n;
	}
	if (s.size >= 0 && (off_t)s.head_len > s.size)
		s.head_len = (size_t)s.size;
	if (s.head_len == 0) {
		cd_msg("%s is empty: nothing to write", j->name);
		free(s.head);
		return CD_EXIT_FAIL;
	}
	if (!j->force &&
	    check_address(j, s.head, s.head_len, start, devname) < 0) {
		free(s.head);
		return CD_EXIT_MEDIUM;
	}

	/* does it fit? */
	free_blocks = m.free_blocks;
	if (j->capacity_blocks > 0) {
		free_blocks = j->capacity_blocks - start;
		if (free_blocks < 0)
			free_blocks = 0;
	}
	need =
	    j->size >= 0 ? (j->size + BLOCK - 1) / BLOCK + j->pad_blocks : -1;
	if (need >= 0 && free_blocks >= 0 && need > free_blocks) {
		cd_msg("%s: the medium has %" PRId64
		       " blocks free, %s needs %" PRId64 " (%" PRId64
		       " too many): nothing written",
		       devname, free_blocks, j->name, need, need - free_blocks);
		free(s.head);
		return CD_EXIT_MEDIUM;
	}
	if (j->verbose)
		cd_msg("%s: %s, %s; writing at block %" PRId32 "%s", devname,
		       m.profile_name, media_state_name(m.state), start,
		       j->dummy ? " (simulated)" : "");

	memset(&bs, 0, sizeof bs);
	bs.refcount = 1;
	bs.version = 1;
	bs.read_xt = src_read;
	bs.get_size = src_get_size;
	bs.set_size = src_set_size;
	bs.free_data = src_free;
	bs.data = &s;
	progress_init(&pr, j->progress, j->size >= 0 ? (uint64_t)j->size : 0);
	if (m.role == 2 && !j->dummy) {
		ok = write_file(dev, j, &bs, start, &pr);
		if (ok && device_regrab(dev) < 0) {
			cd_msg("%s: cannot open it again after writing",
			       devname);
			ok = 0;
		}
	} else
		ok = write_libburn(dev, j, &m, &bs, start, &pr);
	progress_end(&pr, (uint64_t)s.done);

	if (burn_cancel_signal) {
		cd_msg("cancelled: %s holds an incomplete session (blank it, "
		       "or write again)",
		       devname);
		status = 128 + (burn_cancel_signal < 0 ? -burn_cancel_signal
		                                       : burn_cancel_signal);
	} else if (!ok) {
		device_messages(j->verbose);
		cd_msg("%s: writing failed%s", devname,
		       j->verbose || m.role == 2
		           ? ""
		           : " (-v tells libburn's own words)");
		status = CD_EXIT_FAIL;
	} else if (s.read_error) {
		cd_msg("cannot read %s: %s: the session is incomplete", j->name,
		       strerror(s.read_error));
		status = CD_EXIT_FAIL;
	} else if (s.too_long) {
		cd_msg("%s has more data than tsize= said: only %" PRId64
		       " bytes were written, the session is incomplete",
		       j->name, (int64_t)s.done);
		status = CD_EXIT_FAIL;
	} else if (j->size >= 0 && s.done < j->size) {
		cd_msg("%s ended after %" PRId64 " of %" PRId64
		       " bytes: the rest of the session is zeros",
		       j->name, (int64_t)s.done, (int64_t)j->size);
		status = CD_EXIT_FAIL;
	}
	if (status == 0 && !j->dummy && m.emulated && start > 0 &&
	    m.role != 3 && m.role != 5) {
		if (copy_descriptors(dev, start,
		                     (uint32_t)((s.done + BLOCK - 1) / BLOCK) +
		                         (uint32_t)j->pad_blocks) < 0)
			status = CD_EXIT_FAIL;
	}
	if (status == 0 && s.verify) {
		if (s.part_len) {
			memset(s.part + s.part_len, 0, BLOCK - s.part_len);
			md5_block(&s, s.part);
		}
		status = verify(dev, &s, start);
		if (status == 0 && j->verbose)
			cd_msg("verify: %zu blocks read back and compared: all "
			       "match",
			       s.nmd5);
	}
	if (status == 0 && j->verbose)
		cd_msg("%" PRId64 " bytes written to %s at block %" PRId32,
		       (int64_t)s.done, devname, start);

	free(s.head);
	free(s.md5);
	return status;
}

/* Wait for blanking or formatting to end (minutes, an hour for a
 * certified DVD-RAM), with its share done on stderr now and then. Returns
 * the exit status. */
static int wait_done(struct device *dev, const char *what, int verbose)
{
	struct timespec nap = {0, 200 * 1000 * 1000};
	struct burn_progress p;
	time_t last = time(NULL);

	while (burn_drive_get_status(dev->drive, &p) != BURN_DRIVE_IDLE) {
		if (time(NULL) - last >= 10 && p.sectors > 0) {
			cd_msg("%s: %d%% done", what,
			       (int)((int64_t)p.sector * 100 / p.sectors));
			last = time(NULL);
		}
		nanosleep(&nap, NULL);
	}
	if (!burn_drive_wrote_well(dev->drive)) {
		device_messages(verbose);
		cd_msg("%s: %s failed", device_name(dev), what);
		return CD_EXIT_FAIL;
	}
	if (verbose)
		cd_msg("%s: %s done", device_name(dev), what);
	return 0;
}

int burn_blank(struct device *dev, int fast, int dummy, int verbose)
{
	struct media m;
	int status;
	const char *devname = device_name(dev);

	if ((status = probe(dev, &m)) != 0)
		return status;
	if (m.emulated) {
		/* overwriteable: the volume descriptors go, as growisofs
		 * blanks a DVD+RW; the data stays where it was */
		static unsigned char zeros[32 * BLOCK];

		if (m.role == 3 || m.role == 5) {
			cd_msg("%s: a sequential target cannot be blanked",
			       devname);
			return CD_EXIT_MEDIUM;
		}
		if (m.state == MEDIA_BLANK) {
			if (verbose)
				cd_msg("%s: already blank", devname);
			return 0;
		}
		if (dummy)
			return 0;
		if (burn_random_access_write(dev->drive, 0, (char *)zeros,
		                             sizeof zeros, 1) <= 0) {
			cd_msg("%s: cannot write the first blocks", devname);
			return CD_EXIT_FAIL;
		}
		if (verbose)
			cd_msg("%s: blank again (the volume descriptors are "
			       "gone)",
			       devname);
		return 0;
	}
	if (!burn_disc_erasable(dev->drive)) {
		cd_msg("%s: this medium cannot be blanked (%s)", devname,
		       m.profile_name);
		return CD_EXIT_MEDIUM;
	}
	if (dummy)
		return 0;
	burn_disc_erase(dev->drive, fast);
	return wait_done(dev, "blanking", verbose);
}

int burn_format(struct device *dev, int force, int dummy, int verbose)
{
	struct media m;
	int status, fstatus = 0, nformats = 0, flag = 0;
	off_t fsize = 0;
	unsigned bl_sas = 0;
	const char *devname = device_name(dev);

	if ((status = probe(dev, &m)) != 0)
		return status;
	if (m.role != 1) {
		cd_msg("%s: an image file needs no formatting: it can be "
		       "written as it is (nothing done)",
		       devname);
		return 0;
	}
	switch (m.profile) {
	case 0x12:             /* DVD-RAM */
	case 0x43:             /* BD-RE */
		flag = 3 << 1; /* the drive's default size */
		break;
	case 0x13: /* DVD-RW restricted overwrite */
	case 0x14: /* DVD-RW sequential: to restricted overwrite */
	case 0x1a: /* DVD+RW */
	case 0x2a: /* DVD+RW DL */
		break;
	case 0x0a:
		cd_msg("%s: a CD-RW is not formatted but blanked: say "
		       "blank=fast or blank=all",
		       devname);
		return CD_EXIT_MEDIUM;
	default:
		cd_msg("%s: %s cannot be formatted (DVD-RW, DVD+RW, DVD-RAM "
		       "and BD-RE can)",
		       devname, m.profile_name);
		return CD_EXIT_MEDIUM;
	}
	if (burn_disc_get_formats(dev->drive, &fstatus, &fsize, &bl_sas,
	                          &nformats) > 0 &&
	    fstatus == BURN_FORMAT_IS_FORMATTED && m.profile != 0x14) {
		if (!force) {
			cd_msg("%s: the %s is formatted already (%" PRId64
			       " blocks): nothing done (-force formats it "
			       "again)",
			       devname, m.profile_name,
			       (int64_t)(fsize / BLOCK));
			return 0;
		}
		flag |= 1 << 4; /* format again */
	}
	if (dummy) {
		cd_msg("%s: -dummy: the %s would be formatted", devname,
		       m.profile_name);
		return 0;
	}
	burn_disc_format(dev->drive, 0, flag);
	return wait_done(dev, "formatting", verbose);
}
