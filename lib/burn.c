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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 2048
/* read ahead of writing: the volume descriptors and the first structures
 * they point to (genisoimage -udf puts them after block 256) */
#define HEAD_BLOCKS 512
#define HOLD_BLOCKS 32 /* a first session's blocks written last */

volatile int burn_cancel_signal;

/* What burn_put_back puts back when a second signal ends the program in
 * the middle of writing an image file: its length (through the lock's
 * file descriptor), or the file itself when the write made it. */
static volatile sig_atomic_t armed;
static int armed_fd = -1;
static off_t armed_size;
static const char *armed_made;

void burn_put_back(void)
{
	if (!armed)
		return;
	armed = 0;
	if (ftruncate(armed_fd, armed_size) < 0)
		return;
	if (armed_made)
		unlink(armed_made);
}

static char second_say[128];

static void on_signal(int sig)
{
	if (burn_cancel_signal) {
		if (write(STDERR_FILENO, second_say, strlen(second_say)) < 0) {
			/* nothing more to do about it */
		}
		burn_put_back();
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	burn_cancel_signal = sig;
}

void burn_catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	snprintf(second_say, sizeof second_say,
	         "%s: a second signal: ending now\n", cd_prog);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGXFSZ, SIG_IGN);
}

/* ------------------------------------------------------------ source */

/* The track as libburn reads it: first the bytes read ahead, then the
 * file descriptor; it counts, keeps an MD5 per block for --verify, and
 * notices data beyond a declared size (tsize= too small). */
struct src {
	int fd;
	/* or a function gives the bytes (burn_job's read) */
	ssize_t (*rd)(void *arg, void *buf, size_t len);
	void *rd_arg;
	unsigned char *head;
	size_t head_len, head_pos;
	off_t size;  /* declared; -1 unknown */
	off_t limit; /* capacity= for input of unknown size; -1 none */
	off_t done;
	off_t expect;   /* an ISO session's size: less is a short input */
	size_t hold;    /* the first bytes, given as zeros (written last) */
	int waits;      /* fd is no regular file: poll it, to see a cancel */
	int fail_short; /* a short input is a read error (write-once) */
	int eof, too_long, over, read_error;
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

/* read(2) of the track's data */
static ssize_t src_input(const struct src *s, void *buf, size_t len)
{
	return s->rd ? s->rd(s->rd_arg, buf, len) : read(s->fd, buf, len);
}

int burn_wait_input(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	while (!burn_cancel_signal) {
		int r = poll(&p, 1, 200);

		if (r > 0 || (r < 0 && errno != EINTR))
			return 1; /* read(2) tells what it is */
	}
	return 0;
}

static int src_read(struct burn_source *bs, unsigned char *buf, int size)
{
	struct src *s = bs->data;
	size_t want = (size_t)size, got = 0;
	off_t end = s->size >= 0 ? s->size : s->limit;

	if (end >= 0 && s->done + (off_t)want > end)
		want = s->done < end ? (size_t)(end - s->done) : 0;
	while (got < want && s->head_pos < s->head_len) {
		size_t k = s->head_len - s->head_pos;

		if (k > want - got)
			k = want - got;
		memcpy(buf + got, s->head + s->head_pos, k);
		s->head_pos += k;
		got += k;
	}
	while (got < want && !s->eof) {
		ssize_t n;

		if (s->waits && !burn_wait_input(s->fd)) {
			s->eof = 1; /* cancelled: stop waiting for input */
			break;
		}
		n = src_input(s, buf + got, want - got);
		if (n < 0 && errno == EINTR && burn_cancel_signal) {
			s->eof = 1;
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
	/* a declared size or the capacity reached: is there more? */
	if (end >= 0 && s->done + (off_t)got == end && !s->eof &&
	    !s->too_long && !s->over) {
		unsigned char c;
		ssize_t n = s->head_pos < s->head_len ? 1 : src_input(s, &c, 1);

		if (n > 0 && s->size >= 0)
			s->too_long = 1;
		else if (n > 0)
			s->over = 1;
		s->eof = 1;
	}
	if (s->verify)
		sum(s, buf, got);
	/* the first blocks of a first session go last (burn_track) */
	if (s->done < (off_t)s->hold)
		memset(buf, 0,
		       s->hold - (size_t)s->done < got
		           ? s->hold - (size_t)s->done
		           : got);
	s->done += (off_t)got;
	/* a write-once medium: libburn must not close a short session */
	if (got == 0 && s->eof && s->fail_short && !burn_cancel_signal &&
	    (s->done < s->expect || s->over || s->read_error))
		return -1;
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

/* An ISO 9660 session at the start of head: its primary volume
 * descriptor's root directory and size in blocks. 1, or 0 when head
 * holds no ISO session. */
static int iso_session(const unsigned char *head, size_t len, uint32_t *root,
                       uint32_t *blocks)
{
	const unsigned char *pvd = head + 16 * BLOCK;

	if (len < 17 * BLOCK || pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5))
		return 0;
	*root = get_le32(pvd + 158);
	*blocks = get_le32(pvd + 80);
	return 1;
}

/* Is block b of head (b counted from the session's start) the root
 * directory, whose first record ("." ) names its own extent, root? */
static int root_dir_at(const unsigned char *head, size_t len, int64_t b,
                       uint32_t root)
{
	const unsigned char *r = head + b * BLOCK;

	return b >= 17 && (size_t)(b + 1) * BLOCK <= len && r[0] >= 34 &&
	       get_le32(r + 2) == root && (r[25] & 2) && r[32] == 1 &&
	       r[33] == 0;
}

/* Is block b of head the type L path table, whose first entry is the
 * root directory at block root (mkisofs and genisoimage put it before the
 * directories, which a big tree moves further than the read-ahead)? */
static int root_entry_at(const unsigned char *head, size_t len, int64_t b,
                         uint32_t root)
{
	const unsigned char *p = head + b * BLOCK;

	return b >= 17 && (size_t)(b + 1) * BLOCK <= len && p[0] == 1 &&
	       get_le32(p + 2) == root && get_le16(p + 6) == 1 && p[8] == 0;
}

/* Where the session in head was made to start: the root directory is
 * found in it, and its "." record says its absolute block. -1 when it is
 * not within the blocks read ahead. */
static int64_t made_for(const unsigned char *head, size_t len, uint32_t root)
{
	for (int64_t b = 17; (size_t)(b + 1) * BLOCK <= len; b++)
		if (root_dir_at(head, len, b, root))
			return (int64_t)root - b;
	return -1;
}

/* Is the ISO session in head made for block start? Its root directory's
 * "." record, and the root's entry in the path table, name the absolute
 * block the root was made to lie at: found at that block counted from
 * start, the session is addressed for start. (libisofs and xorriso put
 * the root directory, mkisofs and genisoimage the path table, right after
 * the volume descriptors, within the blocks read ahead; -partition_offset
 * moves both by 16 blocks, still within them.) 0 yes, or not an ISO
 * session; -1 after a message. */
static int check_address(const struct burn_job *j, const unsigned char *head,
                         size_t len, int32_t start, const char *dev)
{
	uint32_t root, blocks;
	int64_t made;
	char how[2 * BURN_DRIVE_ADR_LEN + 64];

	if (!iso_session(head, len, &root, &blocks) ||
	    root_dir_at(head, len, (int64_t)root - start, root) ||
	    root_entry_at(head, len,
	                  (int64_t)get_le32(head + 16 * BLOCK + 140) - start,
	                  root))
		return 0;
	if (start == 0)
		snprintf(how, sizeof how, "%s is blank: make it without -C",
		         dev);
	else
		snprintf(how, sizeof how,
		         "make it with isomk -C $(msinfo dev=%s) -M %s", dev,
		         dev);
	made = made_for(head, len, root);
	if (made < 0)
		cd_msg(
		    "%s is an ISO session whose root directory (block %" PRIu32
		    ") is not where a session written at block %" PRId32
		    " of %s has it: it would be unreadable; %s (or say "
		    "-force): nothing written",
		    j->name, root, start, dev, how);
	else
		cd_msg("%s is an ISO session made for block %" PRId64 "%s, but "
		       "on %s it would go to block %" PRId32
		       ": it would be unreadable; %s (or say -force): nothing "
		       "written",
		       j->name, made, made == 0 ? " (a first session)" : "",
		       dev, start, how);
	return -1;
}

/* After a session at start on an emulated medium: its volume descriptors
 * to block 16, all of them, with sizes counting from block 0. 0; -2 when
 * they cannot be found (nothing written), -1 when writing them failed;
 * after a message. */
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
		return -2;
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
		return -2;
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

		if (burn_cancel_signal) {
			cd_msg("cancelled: verify stopped after %zu of %zu "
			       "blocks (the session is written)",
			       b, nblocks);
			free(buf);
			return 128 + abs(burn_cancel_signal);
		}
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
 * progress, cancel it on a signal. A thread of libburn's that does not
 * stop within 10 s of the cancel (one blocked opening a FIFO no one
 * reads, a drive that does not answer) is not waited for: the program
 * ends of the signal, as it would without a handler. 1 written well, 0
 * not. */
static int run_write(struct device *dev, struct burn_write_opts *o,
                     struct burn_disc *disc, struct burn_source *fifo,
                     struct progress *pr)
{
	struct timespec nap = {0, 100 * 1000 * 1000};
	int waited = 0;

	burn_disc_write(o, disc);
	while (burn_drive_get_status(dev->drive, NULL) == BURN_DRIVE_SPAWNING)
		nanosleep(&nap, NULL);
	while (burn_drive_get_status(dev->drive, NULL) != BURN_DRIVE_IDLE) {
		if (burn_cancel_signal > 0) {
			burn_drive_cancel(dev->drive);
			burn_cancel_signal = -burn_cancel_signal;
		}
		if (burn_cancel_signal < 0 && ++waited == 100) {
			int sig = -burn_cancel_signal;

			cd_msg("cancelled: libburn does not stop (%s does not "
			       "answer, or waits for a reader): ending without "
			       "it; what %s holds now is not known",
			       device_name(dev), device_name(dev));
			signal(sig, SIG_DFL);
			raise(sig);
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
	    j->sao && m->role == 1 ? BURN_BLOCK_SAO : BURN_BLOCK_MODE1);
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
	if (j->mcn[0]) {
		unsigned char mcn[13];

		memcpy(mcn, j->mcn, 13);
		burn_write_opts_set_mediacatalog(o, mcn);
		burn_write_opts_set_has_mediacatalog(o, 1);
	}
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
		/* a pipe's reader went away: quietly, as a filter ends */
		if (device_reader_gone(dev))
			xio_broken_pipe();
		device_messages(j->verbose);
		cd_msg("%s: writing failed%s", devname,
		       j->verbose ? "" : " (-v tells libburn's own words)");
		status = CD_EXIT_FAIL;
	}
	burn_write_opts_free(o);
	return status;
}

/* libburn's burn_session_by_cue_file opens the sheet's FILE and
 * CDTEXTFILE relative to the working directory; a CUE sheet names them
 * relative to itself (cdrdao, libcdio beside it, cdread --image writes
 * them so): while libburn reads the sheet and opens its files, the working
 * directory is the sheet's. */
static int cue_session(struct burn_session *session, const char *cue,
                       int fifo_size, struct burn_source **fifo,
                       unsigned char **text, int *num_packs)
{
	const char *slash = strrchr(cue, '/');
	char dir[4096];
	int here = -1, r;

	if (slash && (size_t)(slash - cue) < sizeof dir) {
		snprintf(dir, sizeof dir, "%.*s",
		         slash == cue ? 1 : (int)(slash - cue), cue);
		here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (here < 0 || chdir(dir) < 0) {
			cd_msg("%s: cannot go to its directory: %s", cue,
			       strerror(errno));
			if (here >= 0)
				close(here);
			return 0;
		}
		cue = slash + 1;
	}
	r = burn_session_by_cue_file(session, (char *)cue, fifo_size, fifo,
	                             text, num_packs, 0);
	if (here >= 0) {
		if (fchdir(here) < 0) {
			cd_msg("cannot return to the working directory: %s",
			       strerror(errno));
			r = 0;
		}
		close(here);
	}
	return r;
}

/* A track of a TOC file as a libburn source: its pieces one after the
 * other. */
static int toc_src_read(struct burn_source *bs, unsigned char *buf, int size)
{
	struct toc_reader *r = bs->data;
	int got = 0;

	while (got < size) {
		ssize_t n = toc_reader_read(r, buf + got, (size_t)(size - got));

		if (n < 0 && errno == EINTR && !burn_cancel_signal)
			continue;
		if (n < 0) {
			cd_msg("cannot read %s: %s", r->t->piece[r->i].path,
			       strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		got += (int)n;
	}
	return got;
}

static off_t toc_src_get_size(struct burn_source *bs)
{
	struct toc_reader *r = bs->data;

	return r->t->bytes;
}

static int toc_src_set_size(struct burn_source *bs, off_t size)
{
	(void)bs;
	(void)size;
	return 1;
}

static void toc_src_free(struct burn_source *bs)
{
	toc_reader_close(bs->data);
	free(bs->data);
}

static struct burn_source *toc_source(const struct toc_track *t)
{
	struct burn_source *bs = calloc(1, sizeof *bs);
	struct toc_reader *r = malloc(sizeof *r);

	if (!bs || !r)
		cd_die(CD_EXIT_FAIL, "out of memory");
	toc_reader_init(r, t);
	bs->refcount = 1;
	bs->version = 1;
	bs->read_xt = toc_src_read;
	bs->get_size = toc_src_get_size;
	bs->set_size = toc_src_set_size;
	bs->free_data = toc_src_free;
	bs->data = r;
	return bs;
}

int burn_text_packs(const struct burn_job *j, const struct session_track *t,
                    int n, unsigned char **packs, int *num)
{
	struct burn_session *s;
	struct burn_track *tr[99];
	int any = 0, r;

	*packs = NULL;
	*num = 0;
	if (j->text_packs) {
		*packs = malloc((size_t)j->num_packs * 18);
		if (!*packs)
			cd_die(CD_EXIT_FAIL, "out of memory");
		memcpy(*packs, j->text_packs, (size_t)j->num_packs * 18);
		*num = j->num_packs;
		return 0;
	}
	for (int k = 0; k < TOC_TEXT_N; k++) {
		any |= j->text && j->text[k];
		for (int i = 0; i < n; i++)
			any |= t[i].toc && t[i].toc->text[k];
	}
	if (!any)
		return 0;
	/* libburn makes the packs of a session's items (block 0) */
	s = burn_session_create();
	for (int i = 0; i < n; i++) {
		tr[i] = burn_track_create();
		burn_session_add_track(s, tr[i], BURN_POS_END);
	}
	for (int k = 0; k < TOC_TEXT_N; k++) {
		const char *v = j->text ? j->text[k] : NULL;
		int tracks = 0;

		for (int i = 0; i < n; i++)
			tracks |= t[i].toc && t[i].toc->text[k];
		/* libburn makes no packs of a block whose session has no
		 * item: the tracks' items alone would be lost */
		if (!v && tracks && k != TOC_DISC_ID)
			v = "";
		if (v)
			burn_session_set_cdtext(s, 0, toc_text_pack[k], NULL,
			                        (unsigned char *)v,
			                        (int)strlen(v) + 1, 0);
		for (int i = 0; i < n; i++) {
			v = t[i].toc ? t[i].toc->text[k] : NULL;
			if (v && k != TOC_DISC_ID)
				burn_track_set_cdtext(
				    tr[i], 0, toc_text_pack[k], NULL,
				    (unsigned char *)v, (int)strlen(v) + 1, 0);
		}
	}
	r = burn_cdtext_from_session(s, packs, num, 0);
	for (int i = 0; i < n; i++)
		burn_track_free(tr[i]);
	burn_session_free(s);
	if (r <= 0) {
		device_messages(1);
		cd_msg("libburn cannot make CD-TEXT of these items");
		free(*packs);
		*packs = NULL;
		*num = 0;
		return -1;
	}
	return 0;
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
	int status, audio = 0, toc = 0, num_packs = 0, i;
	unsigned char *text = NULL;
	const char *devname = device_name(dev);

	for (i = 0; i < n; i++) {
		audio += t[i].audio;
		toc |= t[i].toc != NULL;
	}
	if ((status = probe(dev, &m)) != 0)
		return status;
	if (m.role != 1) {
		/* a CUE image: its sheet locked as an image file is (made
		 * empty, a blank CD image, until the real one replaces it) */
		if (device_is_cue(dev))
			return device_lock(dev, 1, j->wait, &status) < 0
			           ? status
			           : cue_write(dev->adr + 6, t, n, j);
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

		need += sec + (i > 0 && !j->sao && !toc ? 150 : 0);
	}
	if ((status = cd_ready(dev, &m, audio, need)) != 0)
		return status;

	disc = burn_disc_create();
	session = burn_session_create();
	burn_disc_add_session(disc, session, BURN_POS_END);
	for (i = 0; i < n; i++) {
		struct burn_source *src =
		    t[i].toc ? toc_source(t[i].toc)
		             : burn_fd_source_new(
		                   t[i].fd, -1, t[i].size > 0 ? t[i].size : 0);
		const struct toc_track *tt = t[i].toc;
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
		burn_track_define_data(
		    tracks[i], 0, t[i].audio ? 0 : j->pad_blocks * BLOCK, 1,
		    !t[i].audio
		        ? BURN_MODE1
		        : BURN_AUDIO | (tt && tt->copy ? BURN_COPY : 0) |
		              (tt && tt->preemph ? BURN_PREEMPHASIS : 0));
		if (t[i].audio)
			burn_track_set_byte_swap(tracks[i], t[i].swap);
		if (t[i].isrc[0])
			burn_track_set_isrc_string(tracks[i], t[i].isrc, 0);
		if (tt && (tt->pregap || tt->nindex)) {
			/* index 0 from the track's first sector */
			burn_track_set_index(tracks[i], 0, 0, 0);
			burn_track_set_index(tracks[i], 1, (unsigned)tt->pregap,
			                     0);
			for (int k = 0; k < tt->nindex; k++)
				burn_track_set_index(
				    tracks[i], k + 2,
				    (unsigned)(tt->pregap + tt->index[k]), 0);
		}
		burn_track_set_source(tracks[i], fifos[i]);
		if (t[i].size >= 0)
			burn_track_set_default_size(tracks[i], t[i].size);
		burn_session_add_track(session, tracks[i], BURN_POS_END);
	}
	if (burn_text_packs(j, t, n, &text, &num_packs) < 0)
		status = CD_EXIT_FAIL;
	else
		status = write_disc(dev, j, &m, disc, fifos[0],
		                    j->sao || toc || num_packs || j->mcn[0],
		                    need, text, num_packs);
	free(text);
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
	if (cue_session(session, cue,
	                (j->fifo_mb > 0 ? j->fifo_mb : 16) * (1 << 20), &fifo,
	                &text, &num_packs) <= 0) {
		device_messages(1);
		cd_msg(
		    "%s: libburn cannot read this CUE sheet: nothing written",
		    cue);
		status = CD_EXIT_FAIL;
		goto out;
	}
	/* TITLE, PERFORMER...: libburn gives packs of a CDTEXTFILE only;
	 * the sheet's items are made into packs here */
	if (num_packs <= 0 &&
	    burn_cdtext_from_session(session, NULL, NULL, 1) > 0 &&
	    burn_cdtext_from_session(session, &text, &num_packs, 0) <= 0) {
		device_messages(1);
		cd_msg("%s: libburn cannot make CD-TEXT of its TITLE, "
		       "PERFORMER... : nothing written",
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

/* -dummy on a medium the drive cannot simulate a write on (DVD+R, BD-R,
 * DVD+RW...): refused before anything is read or written. 0, or 3. */
static int refuse_dummy(struct device *dev, const struct media *m, int dummy)
{
	struct burn_multi_caps *caps = NULL;
	int can = 1;

	if (!dummy || m->role != 1)
		return 0;
	if (burn_disc_get_multi_caps(dev->drive, BURN_WRITE_NONE, &caps, 0) >
	        0 &&
	    caps)
		can = caps->might_simulate;
	burn_disc_free_multi_caps(&caps);
	if (can)
		return 0;
	cd_msg("%s: a %s cannot be written in simulation (-dummy): the drive "
	       "makes no test writes on it; nothing written",
	       device_name(dev), m->profile_name);
	return CD_EXIT_MEDIUM;
}

/* After a write that failed or was cancelled: what the medium holds now,
 * in words. An image file is as it was (burn_track put it back); an
 * overwriteable medium shows what it showed (the descriptors were not
 * touched); a write-once disc is asked again. */
static void say_left(struct device *dev, const struct media *m, int32_t start)
{
	const char *name = device_name(dev);
	struct media now;

	if (m->emulated && m->role != 3 && m->role != 5) {
		if (start > 0)
			cd_msg("%s holds its sessions as before: the new one "
			       "is not part of it",
			       name);
		else if (dev->created)
			cd_msg("%s: nothing is kept (the file is gone again)",
			       name);
		else if (m->foreign)
			cd_msg("%s: its first blocks are zeros now: what it "
			       "held (%s) is damaged (-force)",
			       name, m->foreign);
		else
			cd_msg("%s is blank as before", name);
		return;
	}
	if (m->role != 1) {
		cd_msg("%s holds an incomplete track: do not use it", name);
		return;
	}
	if (device_regrab(dev) < 0 || media_probe(dev, &now) < 0) {
		cd_msg("%s may hold an incomplete session (msinfo tells)",
		       name);
		return;
	}
	cd_msg("%s: the drive now says the %s is %s%s", name,
	       now.profile_name[0] ? now.profile_name : "medium",
	       media_state_name(now.state),
	       now.state == MEDIA_BLANK ? ""
	       : (now.profile == 0x0a || now.profile == 0x13 ||
	          now.profile == 0x14)
	           ? ": the last session may be incomplete (blank=fast "
	             "erases the disc)"
	           : ": the last session may be incomplete, and the "
	             "disc cannot be blanked");
}

/* A first session's first blocks, held back while its data was written:
 * the primary volume descriptor (block 16) goes the very last, so that
 * until the rest is on the medium no reader sees a volume. 0, or -1. */
static int publish_head(struct device *dev, unsigned char *head, size_t hold)
{
	size_t pvd = 16 * BLOCK;

	if (hold <= pvd)
		return burn_random_access_write(dev->drive, 0, (char *)head,
		                                (off_t)hold, 1) > 0
		           ? 0
		           : -1;
	if (burn_random_access_write(dev->drive, 0, (char *)head, (off_t)pvd,
	                             1) <= 0 ||
	    (hold > pvd + BLOCK &&
	     burn_random_access_write(dev->drive, (off_t)(pvd + BLOCK),
	                              (char *)head + pvd + BLOCK,
	                              (off_t)(hold - pvd - BLOCK), 1) <= 0) ||
	    burn_random_access_write(dev->drive, (off_t)pvd, (char *)head + pvd,
	                             BLOCK, 1) <= 0)
		return -1;
	return 0;
}

/* After a write that failed: an image file as it was (its length, or
 * not there when the write made it), said (unless the caller, which
 * wrote the first blocks first, says it: no_hold). */
static void put_back(struct device *dev, const struct media *m, off_t old_size,
                     int32_t start, int quiet)
{
	if (m->role == 2 && !device_file_kept(dev)) {
		/* what is at the path now is another file: not cut back */
		cd_msg("%s was removed or replaced while it was written: "
		       "nothing of this write is in the file there now",
		       device_name(dev));
		return;
	}
	if (m->role == 2 && dev->created)
		unlink(dev->adr + 6);
	else if (m->role == 2 && old_size >= 0 &&
	         truncate(dev->adr + 6, old_size) < 0)
		cd_msg("%s: cannot cut it back to %" PRId64 " bytes: %s",
		       device_name(dev), (int64_t)old_size, strerror(errno));
	if (!quiet)
		say_left(dev, m, start);
}

/* Is there an image file (or a drive) at all? */
static int image_exists(const struct device *dev)
{
	struct stat st;

	return strncmp(dev->adr, "stdio:", 6) != 0 ||
	       stat(dev->adr + 6, &st) == 0;
}

/* An empty image file that only -dummy's simulation made goes again */
static void forget_made(const struct device *dev)
{
	struct stat st;

	if (!strncmp(dev->adr, "stdio:", 6) && stat(dev->adr + 6, &st) == 0 &&
	    S_ISREG(st.st_mode) && st.st_size == 0)
		unlink(dev->adr + 6);
}

/* Are two open files one? */
static int same_file(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Read the volume descriptors ahead: 0, or the exit status */
static int read_head(struct burn_job *j, struct src *s)
{
	s->head = malloc(HEAD_BLOCKS * BLOCK);
	if (!s->head)
		cd_die(CD_EXIT_FAIL, "out of memory");
	while (s->head_len < HEAD_BLOCKS * BLOCK &&
	       (s->size < 0 || (off_t)s->head_len < s->size)) {
		ssize_t n;

		if (s->waits && !burn_wait_input(j->fd)) {
			cd_msg("cancelled before anything was written");
			return 128 + abs(burn_cancel_signal);
		}
		n = src_input(s, s->head + s->head_len,
		              HEAD_BLOCKS * BLOCK - s->head_len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cd_msg("cannot read %s: %s", j->name, strerror(errno));
			return CD_EXIT_FAIL;
		}
		/* a reading function ends at a cancel */
		if (n == 0 && s->rd && burn_cancel_signal) {
			cd_msg("cancelled before anything was written");
			return 128 + abs(burn_cancel_signal);
		}
		if (n == 0)
			break;
		s->head_len += (size_t)n;
	}
	if (s->size >= 0 && (off_t)s->head_len > s->size)
		s->head_len = (size_t)s->size;
	if (s->head_len == 0) {
		cd_msg("%s is empty: nothing to write", j->name);
		return CD_EXIT_FAIL;
	}
	return 0;
}

/* Can the medium take the track at all? 0, or the status after a message */
static int writable(struct device *dev, const struct burn_job *j,
                    const struct media *m)
{
	const char *devname = device_name(dev);

	if (m->state == MEDIA_CLOSED)
		return refuse_closed(devname);
	if (m->state == MEDIA_UNUSABLE) {
		cd_msg("%s: this drive cannot write this medium (%s)", devname,
		       m->profile_name);
		return CD_EXIT_MEDIUM;
	}
	if (j->force)
		return 0;
	if (m->foreign) {
		cd_msg("%s is not blank: it holds %s: nothing written "
		       "(blank=fast clears it, -force writes over it)",
		       devname, m->foreign);
		return CD_EXIT_MEDIUM;
	}
	if (media_truncated(m)) {
		cd_msg("%s is truncated: it has %" PRId64 " blocks, its newest "
		       "session says %" PRId64 ": nothing written (-force "
		       "appends anyway)",
		       devname, m->file_blocks, m->volume_blocks);
		return CD_EXIT_MEDIUM;
	}
	return 0;
}

int burn_track(struct device *dev, struct burn_job *j)
{
	struct media m;
	struct src s;
	struct burn_source bs;
	struct progress pr;
	struct stat st;
	int32_t start = 0;
	int64_t need, free_blocks;
	uint32_t iso_blocks = 0, root;
	off_t old_size = -1;
	int status = 0, ok, is_iso, existed;
	const char *devname = device_name(dev);

	memset(&s, 0, sizeof s);
	existed = image_exists(dev);
	if ((status = probe(dev, &m)) != 0)
		return status;
	if (device_is_cue(dev)) {
		cd_msg("%s: a CUE image holds audio tracks: say -audio before "
		       "them (a data session goes to an image of its own)",
		       devname);
		return CD_EXIT_MEDIUM;
	}
	if ((status = refuse_dummy(dev, &m, j->dummy)) != 0 ||
	    (status = writable(dev, j, &m)) != 0)
		return status;
	if (j->sao && m.role == 1 && j->size < 0) {
		cd_msg("-sao needs the size of the track before it is written: "
		       "give tsize= for standard input, or say -tao");
		return CD_EXIT_USAGE;
	}

	/* read ahead: the volume descriptors of an ISO session */
	s.fd = j->fd;
	s.rd = j->read;
	s.rd_arg = j->read_arg;
	s.size = j->size;
	s.limit = -1;
	s.verify = j->verify && !j->dummy;
	s.waits = !s.rd && (fstat(j->fd, &st) < 0 || !S_ISREG(st.st_mode));
	if ((status = read_head(j, &s)) != 0)
		goto out;

	/* an image file: ours alone until the end, and looked at again
	 * under the lock (another cdwrite may have added a session) */
	if (m.role == 2 && !j->dummy) {
		if (device_lock(dev, 1, j->wait, &status) < 0)
			goto out;
		if ((status = probe(dev, &m)) != 0 ||
		    (status = writable(dev, j, &m)) != 0)
			goto out;
		if (fstat(dev->lock_fd, &st) == 0)
			old_size = st.st_size;
		/* the track is the medium itself (cdwrite dev=X X) */
		if (same_file(j->fd, dev->lock_fd)) {
			cd_msg("%s is the medium %s itself: writing it there "
			       "would overwrite what it reads: nothing written",
			       j->name, devname);
			status = CD_EXIT_USAGE;
			goto out;
		}
	}
	if (m.state == MEDIA_APPENDABLE && m.next >= 0)
		start = m.next;
	if (!j->force &&
	    check_address(j, s.head, s.head_len, start, devname) < 0) {
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	is_iso = iso_session(s.head, s.head_len, &root, &iso_blocks);
	s.expect = is_iso ? (off_t)iso_blocks * BLOCK : 0;
	/* sessions emulated: only an ISO session can be added, for its
	 * descriptors are what make it part of the medium */
	if (!is_iso && start > 0 && m.emulated && m.role != 3 && m.role != 5) {
		cd_msg(
		    "%s holds ISO 9660 sessions: what is added to it must be "
		    "one (isomk -C $(msinfo dev=%s) -M %s), and %s is not: "
		    "nothing written (blank=fast starts the medium over)",
		    devname, devname, devname, j->name);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	s.fail_short = m.role == 1 && !m.emulated;
	/* a first session on a medium written at random: its first blocks,
	 * the descriptors among them, are written last */
	if (start == 0 && m.emulated && m.role != 3 && m.role != 5 &&
	    !j->dummy && !j->no_hold) {
		s.hold = (s.head_len + BLOCK - 1) / BLOCK * BLOCK;
		if (s.hold > HOLD_BLOCKS * BLOCK)
			s.hold = HOLD_BLOCKS * BLOCK;
		/* the last block filled up, as it is written */
		memset(s.head + s.head_len, 0,
		       HEAD_BLOCKS * BLOCK - s.head_len);
	}

	/* does it fit? */
	free_blocks = m.free_blocks;
	if (j->capacity_blocks > 0) {
		free_blocks = j->capacity_blocks - start;
		if (free_blocks < 0)
			free_blocks = 0;
		if (j->size < 0)
			s.limit = (free_blocks > j->pad_blocks
			               ? free_blocks - j->pad_blocks
			               : 0) *
			          BLOCK;
	}
	need =
	    j->size >= 0 ? (j->size + BLOCK - 1) / BLOCK + j->pad_blocks : -1;
	if (need < 0 && s.expect > 0)
		need = (int64_t)iso_blocks + j->pad_blocks;
	if (need >= 0 && free_blocks >= 0 && need > free_blocks) {
		cd_msg("%s: the medium has %" PRId64
		       " blocks free, %s needs %" PRId64 " (%" PRId64
		       " too many): nothing written",
		       devname, free_blocks, j->name, need, need - free_blocks);
		status = CD_EXIT_MEDIUM;
		goto out;
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
	progress_what(&pr, j->progress_what);
	if (m.role == 2 && !j->dummy) {
		/* a second signal puts the file back before the end */
		armed_fd = dev->lock_fd;
		armed_size = old_size;
		armed_made = dev->created ? dev->adr + 6 : NULL;
		armed = old_size >= 0 && armed_fd >= 0;
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
		cd_msg("cancelled after %" PRId64 " blocks of %s",
		       (int64_t)(s.done / BLOCK), j->name);
		status = 128 + abs(burn_cancel_signal);
	} else if (!ok) {
		/* a pipe's reader went away: quietly, as a filter ends */
		if (device_reader_gone(dev))
			xio_broken_pipe();
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
	} else if (s.over) {
		cd_msg("%s: the medium is full: %s holds more than the %" PRId64
		       " blocks capacity= leaves after block %" PRId32,
		       devname, j->name, free_blocks, start);
		status = CD_EXIT_MEDIUM;
	} else if (s.too_long) {
		if (j->tsize_given)
			cd_msg("%s has more data than tsize= said: only "
			       "%" PRId64 " bytes were written",
			       j->name, (int64_t)s.done);
		else
			cd_msg("%s grew while it was written: only its first "
			       "%" PRId64 " bytes were written",
			       j->name, (int64_t)s.done);
		status = CD_EXIT_FAIL;
	} else if (j->size >= 0 && s.done < j->size) {
		cd_msg("%s ended after %" PRId64 " of %" PRId64 " bytes",
		       j->name, (int64_t)s.done, (int64_t)j->size);
		status = CD_EXIT_FAIL;
	} else if (s.done < s.expect) {
		cd_msg("%s ended after %" PRId64 " of the %" PRIu32
		       " blocks its ISO 9660 volume says it has: the input "
		       "was cut short (did the program writing it fail?)",
		       j->name, (int64_t)(s.done / BLOCK), iso_blocks);
		status = CD_EXIT_FAIL;
	}
	if (j->dummy && !existed)
		forget_made(dev); /* libburn made it to simulate */
	if (status != 0 && !j->dummy) {
		put_back(dev, &m, old_size, start, j->no_hold);
		armed = 0;
		goto out;
	}
	armed = 0; /* written: from here on it stays */
	if (!j->dummy && m.role == 2 && !device_file_kept(dev)) {
		/* the held blocks and descriptors would go to the file at the
		 * path now: another one, or none */
		cd_msg("%s was removed or replaced while it was written: the "
		       "session went to a file no one can open now",
		       devname);
		status = CD_EXIT_FAIL;
		goto out;
	}
	/* the descriptors last: the data is on the medium now */
	if (s.hold > 0 && publish_head(dev, s.head, s.hold) < 0) {
		cd_msg("%s: cannot write the first %zu blocks: the session "
		       "is not readable",
		       devname, s.hold / BLOCK);
		status = CD_EXIT_FAIL;
	}
	if (status == 0 && !j->dummy && m.emulated && start > 0 &&
	    m.role != 3 && m.role != 5) {
		int r =
		    copy_descriptors(dev, start,
		                     (uint32_t)((s.done + BLOCK - 1) / BLOCK) +
		                         (uint32_t)j->pad_blocks);

		if (r < 0)
			status = CD_EXIT_FAIL;
		if (r == -2) /* nothing of it written to block 16 */
			put_back(dev, &m, old_size, start, j->no_hold);
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
out:
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

int burn_blank(struct device *dev, int fast, int dummy, int wait, int verbose)
{
	struct media m;
	int status;
	const char *devname = device_name(dev);

	if ((status = probe(dev, &m)) != 0)
		return status;
	/* an image file: not while another program writes to it */
	if (m.role == 2 && !dummy &&
	    (device_lock(dev, 1, wait, &status) < 0 ||
	     (status = probe(dev, &m)) != 0))
		return status ? status : CD_EXIT_FAIL;
	if (m.emulated) {
		/* overwriteable: the volume descriptors go, as growisofs
		 * blanks a DVD+RW; the data stays where it was */
		static unsigned char zeros[32 * BLOCK];

		if (m.role == 3 || m.role == 5) {
			cd_msg("%s: a sequential target cannot be blanked",
			       devname);
			return CD_EXIT_MEDIUM;
		}
		if (m.state == MEDIA_BLANK && !m.foreign) {
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
