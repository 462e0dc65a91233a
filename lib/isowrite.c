/* isowrite: file streams for libisofs and the output pump. See isowrite.h.
 *
 * What was measured (2 GiB in two files, -R -J, output to a pipe, against
 * genisoimage in the same run; ../shared/notes/libisofs-speed.md and
 * bench/isomk-bench):
 *   - libisofs's own file streams, burn_source read in 64 KiB: about 5x;
 *   - draining the ring buffer only once it is half full: about 2.6x
 *     (a reader that keeps it empty is woken for every 2 KiB block);
 *   - streams that read the file in 1 MiB steps: about 1.4x, the rest being
 *     three memory copies per block (stream, ring buffer, consumer).
 * So in the fast mode a stream does not read its file at all. It fills each
 * 2 KiB block libisofs asks for with a token: a 16-byte random nonce made at
 * start-up, the file's index and the block number, and a check word. The
 * pump reads the burn_source in large chunks, writes metadata blocks as they
 * are, and replaces each run of token blocks by the file's own bytes, moved
 * by the kernel (splice to a pipe, copy_file_range to a file, pread+write
 * otherwise). A real file cannot produce a token by chance: it would have to
 * contain the nonce, which exists only in this process.
 * The token is written into the first bytes of the block only; libisofs
 * still copies 2 KiB per block into its ring, and the pump copies it out,
 * but both stay in the CPU cache and neither touches the file's pages. */
#include "config.h"

#include "isowrite.h"
#include "cli.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 2048
/* fs_id of cdpipe's streams in libisofs's (fs_id, dev, ino) file ids;
 * libisofs uses small numbers for its own. */
#define CDPIPE_FS_ID 0x63647069u
#define STREAM_BUF (1 << 20)
#define FIFO_BYTES (8 << 20)
#define CHUNK (FIFO_BYTES / 2)

struct token {
	unsigned char nonce[16];
	uint64_t idx;
	uint64_t block;
	uint64_t check;
};

/* One file on disk. Kept small: there is one per file of the image (the
 * 1,000,000-file case in bench/ measures bytes per file). The IsoStream
 * comes first: libisofs frees the whole block with free(stream). */
struct srcfile {
	IsoStream stream;
	struct isowrite_tab *tab;
	char *path; /* NULL for empty files: they have no data blocks */
	off_t size;
	dev_t dev;
	ino_t ino;
	off_t pos;    /* the next byte libisofs will ask for */
	uint32_t idx; /* in tab->v; NO_IDX for empty files */
	unsigned char reported;
	unsigned char real; /* libisofs reads its bytes even in fast mode */
};

#define NO_IDX UINT32_MAX

/* A stream whose bytes are a piece of an open file (compressed data in a
 * scratch file): its srcfile has dev REGION_DEV and ino its index here */
#define REGION_DEV ((dev_t)-2)

struct region {
	int fd;
	off_t off;
};

struct isowrite_tab {
	struct srcfile **v;
	size_t n, cap;
	struct region *reg;
	size_t nreg;
	int fast;
	unsigned char nonce[16];
	uint64_t key;
	/* data mode: libisofs's writer has one file stream open at a time */
	struct srcfile *rd_file;
	int rd_fd;
	char *rd_buf;
	off_t rd_off;
	size_t rd_len;
};

/* ---------------------------------------------------------------- tab */

struct isowrite_tab *isowrite_tab_new(void)
{
	struct isowrite_tab *tab = calloc(1, sizeof *tab);

	if (!tab)
		return NULL;
	tab->rd_fd = -1;
	if (getrandom(tab->nonce, sizeof tab->nonce, 0) != sizeof tab->nonce ||
	    getrandom(&tab->key, sizeof tab->key, 0) != sizeof tab->key) {
		free(tab);
		return NULL;
	}
	return tab;
}

void isowrite_tab_free(struct isowrite_tab *tab)
{
	/* the srcfiles belong to their streams, freed by libisofs */
	if (!tab)
		return;
	for (size_t i = 0; i < tab->n; i++)
		if (tab->v[i])
			tab->v[i]->tab = NULL;
	if (tab->rd_fd >= 0)
		close(tab->rd_fd);
	free(tab->rd_buf);
	free(tab->reg);
	free(tab->v);
	free(tab);
}

static uint64_t token_check(const struct isowrite_tab *tab, uint64_t idx,
                            uint64_t block)
{
	uint64_t x = tab->key ^ (idx * 0x9e3779b97f4a7c15ULL) ^
	             (block * 0xc2b2ae3d27d4eb4fULL);

	x ^= x >> 31;
	return x * 0x94d049bb133111ebULL;
}

/* ------------------------------------------------------------- stream */

static int is_region(const struct srcfile *f)
{
	return f->dev == REGION_DEV;
}

/* Where the stream's byte 0 is in what open_src opens */
static off_t base_of(const struct srcfile *f)
{
	return is_region(f) && f->tab ? f->tab->reg[f->ino].off : 0;
}

/* The file that holds the stream's bytes, opened for reading: -1 with
 * errno */
static int open_src(const struct srcfile *f)
{
	if (is_region(f))
		return f->tab
		           ? fcntl(f->tab->reg[f->ino].fd, F_DUPFD_CLOEXEC, 0)
		           : -1;
	return open(f->path, O_RDONLY | O_CLOEXEC);
}

static void file_problem(struct srcfile *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void file_problem(struct srcfile *f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (f->reported)
		return;
	f->reported = 1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cd_error("%s: %s", f->path, msg);
}

/* Report a file whose size is not what it was when listed; returns its
 * size now (0 when fstat fails). */
static off_t check_size(struct srcfile *f, int fd)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return 0;
	if (st.st_size != f->size)
		file_problem(
		    f,
		    "file changed size while the image was made "
		    "(%jd bytes when listed, %jd now): the image holds "
		    "%s",
		    (intmax_t)f->size, (intmax_t)st.st_size,
		    st.st_size > f->size ? "only the first bytes"
		                         : "zeros past its new end");
	return st.st_size;
}

/* Called once the last byte of a file has been read: a file that is
 * larger now than when it was listed grew while it was read, and the
 * image holds only the bytes it had then. */
static void check_grown(struct srcfile *f, int fd)
{
	struct stat st;

	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > f->size)
		file_problem(f,
		             "file grew while the image was made (%jd bytes "
		             "when listed, %jd now): the image holds only its "
		             "first %jd bytes",
		             (intmax_t)f->size, (intmax_t)st.st_size,
		             (intmax_t)f->size);
}

static void rd_close(struct isowrite_tab *tab)
{
	if (tab->rd_fd >= 0)
		close(tab->rd_fd);
	tab->rd_fd = -1;
	tab->rd_file = NULL;
	tab->rd_len = 0;
}

static int fs_open(IsoStream *s)
{
	struct srcfile *f = s->data;
	struct isowrite_tab *tab = f->tab;

	f->pos = 0;
	if (!tab || (tab->fast && !f->real) || !f->path)
		return ISO_SUCCESS;
	rd_close(tab);
	tab->rd_file = f;
	if (!tab->rd_buf)
		tab->rd_buf = malloc(STREAM_BUF);
	if (!tab->rd_buf)
		return ISO_OUT_OF_MEM;
	tab->rd_fd = open_src(f);
	if (tab->rd_fd < 0) {
		file_problem(f,
		             "cannot read: %s: the image holds zeros in "
		             "its place",
		             strerror(errno));
		return ISO_SUCCESS; /* zeros follow from read_data */
	}
	posix_fadvise(tab->rd_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	if (!is_region(f))
		check_size(f, tab->rd_fd);
	return ISO_SUCCESS;
}

static int fs_close(IsoStream *s)
{
	struct srcfile *f = s->data;

	if (f->tab && f->tab->rd_file == f)
		rd_close(f->tab);
	return ISO_SUCCESS;
}

static off_t fs_get_size(IsoStream *s)
{
	return ((struct srcfile *)s->data)->size;
}

/* Fast mode: one token per block; never more than the blocks the file
 * has (libisofs asks for exactly those). */
static int read_tokens(struct srcfile *f, unsigned char *buf, size_t count)
{
	off_t nblocks = (f->size + BLOCK - 1) / BLOCK;
	size_t done = 0;

	while (count - done >= BLOCK && f->pos / BLOCK < nblocks) {
		struct token t;

		memcpy(t.nonce, f->tab->nonce, sizeof t.nonce);
		t.idx = f->idx;
		t.block = (uint64_t)(f->pos / BLOCK);
		t.check = token_check(f->tab, t.idx, t.block);
		memcpy(buf + done, &t, sizeof t);
		done += BLOCK;
		f->pos += BLOCK;
	}
	return (int)done;
}

/* Data mode: serve libisofs's small requests from a 1 MiB buffer filled
 * by one pread. Past the real end of the file (it shrank), zeros. */
static int read_data(struct srcfile *f, unsigned char *buf, size_t count)
{
	struct isowrite_tab *tab = f->tab;
	size_t done = 0;

	if (f->pos >= f->size)
		return 0;
	if ((off_t)count > f->size - f->pos)
		count = (size_t)(f->size - f->pos);
	if (tab->rd_file != f) {
		/* not opened through fs_open: libisofs never does this */
		memset(buf, 0, count);
		f->pos += (off_t)count;
		return (int)count;
	}
	while (done < count) {
		off_t at = f->pos + (off_t)done;
		size_t n;

		if (at < tab->rd_off ||
		    at >= tab->rd_off + (off_t)tab->rd_len) {
			ssize_t got = 0;

			if (tab->rd_fd >= 0)
				got =
				    xio_pread_all(tab->rd_fd, tab->rd_buf,
				                  STREAM_BUF, at + base_of(f));
			if (got < 0) {
				file_problem(f,
				             "read error: %s: the image holds "
				             "zeros from byte %jd on",
				             strerror(errno), (intmax_t)at);
				close(tab->rd_fd);
				tab->rd_fd = -1;
				got = 0;
			}
			if (got == 0) {
				if (tab->rd_fd >= 0)
					file_problem(f,
					             "file shrank while the "
					             "image was made: zeros "
					             "from byte %jd on",
					             (intmax_t)at);
				memset(buf + done, 0, count - done);
				done = count;
				break;
			}
			tab->rd_off = at;
			tab->rd_len = (size_t)got;
		}
		n = (size_t)(tab->rd_off + (off_t)tab->rd_len - at);
		if (n > count - done)
			n = count - done;
		memcpy(buf + done, tab->rd_buf + (at - tab->rd_off), n);
		done += n;
	}
	f->pos += (off_t)done;
	if (f->pos >= f->size && !is_region(f))
		check_grown(f, tab->rd_fd);
	return (int)done;
}

static int fs_read(IsoStream *s, void *buf, size_t count)
{
	struct srcfile *f = s->data;

	if (!f->path)
		return 0;
	if (f->tab && f->tab->fast && !f->real)
		return read_tokens(f, buf, count);
	return read_data(f, buf, count);
}

static int fs_is_repeatable(IsoStream *s)
{
	return 1;
}

static void fs_get_id(IsoStream *s, unsigned int *fs_id, dev_t *dev_id,
                      ino_t *ino_id)
{
	struct srcfile *f = s->data;

	*fs_id = CDPIPE_FS_ID;
	*dev_id = f->dev;
	*ino_id = f->ino;
}

/* libisofs frees the block itself (f is the stream) after this */
static void fs_free(IsoStream *s)
{
	struct srcfile *f = s->data;

	if (f->tab && f->idx < f->tab->n)
		f->tab->v[f->idx] = NULL;
	if (f->tab && f->tab->rd_file == f)
		rd_close(f->tab);
	free(f->path);
}

static int fs_update_size(IsoStream *s)
{
	return ISO_SUCCESS;
}

static IsoStreamIface file_iface = {
    .version = 1,
    .type = "cdpf",
    .open = fs_open,
    .close = fs_close,
    .get_size = fs_get_size,
    .read = fs_read,
    .is_repeatable = fs_is_repeatable,
    .get_id = fs_get_id,
    .free = fs_free,
    .update_size = fs_update_size,
};

int isowrite_file_stream(struct isowrite_tab *tab, const char *path,
                         const struct stat *st, IsoStream **stream)
{
	struct srcfile *f = calloc(1, sizeof *f);

	if (!f)
		return ISO_OUT_OF_MEM;
	f->tab = tab;
	f->size = st->st_size;
	f->dev = st->st_dev;
	f->ino = st->st_ino;
	f->idx = NO_IDX;
	if (f->size > 0) {
		if (tab->n >= NO_IDX)
			goto oom;
		f->path = strdup(path);
		if (!f->path)
			goto oom;
		if (tab->n == tab->cap) {
			size_t cap = tab->cap ? tab->cap * 2 : 1024;
			struct srcfile **v = realloc(tab->v, cap * sizeof *v);

			if (!v)
				goto oom;
			tab->v = v;
			tab->cap = cap;
		}
		f->idx = (uint32_t)tab->n;
		tab->v[tab->n++] = f;
	}
	f->stream.class = &file_iface;
	f->stream.refcount = 1;
	f->stream.data = f;
	*stream = &f->stream;
	return 1;
oom:
	free(f->path);
	free(f);
	return ISO_OUT_OF_MEM;
}

int isowrite_region_stream(struct isowrite_tab *tab, int fd, off_t off,
                           off_t len, const char *path, IsoStream **stream)
{
	struct region *r = realloc(tab->reg, (tab->nreg + 1) * sizeof *r);
	struct stat st = {.st_size = len, .st_dev = REGION_DEV};
	int ret;

	if (!r)
		return ISO_OUT_OF_MEM;
	tab->reg = r;
	r[tab->nreg] = (struct region){.fd = fd, .off = off};
	st.st_ino = (ino_t)tab->nreg;
	ret = isowrite_file_stream(tab, path, &st, stream);
	if (ret >= 0)
		tab->nreg++;
	return ret;
}

const char *isowrite_stream_path(IsoStream *s)
{
	if (!s || s->class != &file_iface)
		return NULL;
	return ((struct srcfile *)s->data)->path;
}

int isowrite_stream_real(IsoStream *s)
{
	struct srcfile *f;

	if (!s || s->class != &file_iface)
		return 0;
	f = s->data;
	f->real = 1;
	/* libisofs writes a file once, however many names it has (hard
	 * links, a file grafted twice): by the stream of the name it meets
	 * first, which need not be this one. All of them must read for
	 * real, or libisofs patches a copy of the tokens. */
	for (size_t i = 0; f->tab && i < f->tab->n; i++) {
		struct srcfile *g = f->tab->v[i];

		if (g && g->dev == f->dev && g->ino == f->ino)
			g->real = 1;
	}
	return 1;
}

/* --------------------------------------------------------------- pump */

struct pump {
	struct isowrite_tab *tab;
	int out;
	struct xio_copier copier;
	/* the source file currently open for a run of token blocks */
	struct srcfile *cur;
	int cur_fd;
	off_t cur_size; /* its size when opened */
	int failed;     /* a write to out failed: stop */
};

static int out_error(struct pump *p)
{
	cd_error("cannot write the image: %s", strerror(errno));
	p->failed = 1;
	return -1;
}

static int put(struct pump *p, const void *buf, size_t len)
{
	if (len && xio_write_all(p->out, buf, len) < 0)
		return out_error(p);
	return 0;
}

static int put_zeros(struct pump *p, size_t len)
{
	if (len && xio_write_zeros(p->out, len) < 0)
		return out_error(p);
	return 0;
}

static void cur_close(struct pump *p)
{
	if (p->cur_fd >= 0)
		close(p->cur_fd);
	p->cur_fd = -1;
	p->cur = NULL;
}

/* Output blocks [block, block+count) of file idx, zero-padded. */
static int emit_file(struct pump *p, uint64_t idx, uint64_t block,
                     uint64_t count)
{
	struct srcfile *f;
	off_t off = (off_t)(block * BLOCK);
	size_t len = (size_t)(count * BLOCK), data = 0;
	ssize_t n;

	if (idx >= p->tab->n || !(f = p->tab->v[idx])) {
		cd_error("internal error: unknown file index %" PRIu64, idx);
		p->failed = 1;
		return -1;
	}
	if (f != p->cur) {
		cur_close(p);
		p->cur = f;
		p->cur_fd = open_src(f);
		if (p->cur_fd < 0)
			file_problem(f,
			             "cannot read: %s: the image holds "
			             "zeros in its place",
			             strerror(errno));
		else {
			posix_fadvise(p->cur_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
			p->cur_size = is_region(f) ? base_of(f) + f->size
			                           : check_size(f, p->cur_fd);
		}
	}
	if (f->size > off)
		data = (size_t)(f->size - off) < len ? (size_t)(f->size - off)
		                                     : len;
	n = 0;
	if (p->cur_fd >= 0 && data > 0) {
		n = xio_copy(&p->copier, p->cur_fd, off + base_of(f), data,
		             p->cur_size);
		if (n == -1)
			return out_error(p);
		if (n == -2) {
			/* the read side failed (write errors leave errno
			 * from write and were reported as -1 by put) */
			if (errno == ENOSPC || errno == EIO || errno == EFBIG ||
			    errno == EDQUOT) {
				char probe;

				if (pread(p->cur_fd, &probe, 1,
				          off + base_of(f)) == 1)
					return out_error(p);
			}
			file_problem(f,
			             "read error: %s: the image holds zeros "
			             "from byte %jd on",
			             strerror(errno), (intmax_t)off);
			cur_close(p);
			p->cur = f;
			n = 0;
		} else if ((size_t)n < data) {
			file_problem(f,
			             "file shrank while the image was made: "
			             "zeros from byte %jd on",
			             (intmax_t)(off + n));
		} else if (off + (off_t)data >= f->size && !is_region(f)) {
			check_grown(f, p->cur_fd);
		}
	}
	return put_zeros(p, len - (size_t)n);
}

static int is_token(const struct isowrite_tab *tab, const unsigned char *b,
                    struct token *t)
{
	if (memcmp(b, tab->nonce, sizeof tab->nonce) != 0)
		return 0;
	memcpy(t, b, sizeof *t);
	return t->check == token_check(tab, t->idx, t->block);
}

/* Write a chunk of whole blocks, replacing token runs by file data. */
static int pump_chunk(struct pump *p, const unsigned char *buf, size_t n)
{
	size_t meta = 0, off = 0;

	while (off + BLOCK <= n) {
		struct token t, u;
		uint64_t count = 1;

		if (!is_token(p->tab, buf + off, &t)) {
			off += BLOCK;
			continue;
		}
		if (put(p, buf + meta, off - meta) < 0)
			return -1;
		while (off + (count + 1) * BLOCK <= n &&
		       is_token(p->tab, buf + off + count * BLOCK, &u) &&
		       u.idx == t.idx && u.block == t.block + count)
			count++;
		if (emit_file(p, t.idx, t.block, count) < 0)
			return -1;
		off += count * BLOCK;
		meta = off;
	}
	return put(p, buf + meta, n - meta);
}

int isowrite_verbose;

/* libisofs's messages but those with code skip (0: none) */
static void flush_msgs_but(int skip)
{
	int code, imgid;
	char msg[ISO_MSGS_MESSAGE_LEN], sev[80];

	while (iso_obtain_msgs("ALL", &code, &imgid, msg, sev) > 0) {
		if ((skip && code == skip) || !strcmp(sev, "NOTE") ||
		    !strcmp(sev, "UPDATE") || !strcmp(sev, "DEBUG") ||
		    !strcmp(sev, "HINT"))
			continue;
		if (!strcmp(sev, "WARNING")) {
			/* such as "Cannot add /link to Joliet tree":
			 * expected, and said in the man page */
			if (isowrite_verbose)
				cd_warn("libisofs: %s", msg);
		} else
			cd_error("libisofs: %s", msg);
	}
}

void isowrite_flush_msgs(void)
{
	flush_msgs_but(0);
}

static int make_source(IsoImage *image, IsoWriteOpts *opts,
                       struct burn_source **bs)
{
	int r;

	iso_write_opts_set_fifo_size(opts, FIFO_BYTES / BLOCK);
	r = iso_image_create_burn_source(image, opts, bs);
	if (r < 0) {
		isowrite_flush_msgs();
		cd_error("cannot lay out the image: %s", iso_error_to_msg(r));
		return -1;
	}
	return 0;
}

int isowrite_size(IsoImage *image, IsoWriteOpts *opts, uint64_t *bytes)
{
	struct burn_source *bs;

	iso_write_opts_set_will_cancel(opts, 1);
	if (make_source(image, opts, &bs) < 0)
		return -1;
	*bytes = (uint64_t)bs->get_size(bs);
	bs->cancel(bs);
	bs->free_data(bs);
	free(bs);
	return 0;
}

int isowrite_head(IsoImage *image, IsoWriteOpts *opts, struct isowrite_tab *tab,
                  int (*enough)(const unsigned char *buf, size_t len,
                                void *ctx),
                  void *ctx)
{
	struct burn_source *bs;
	unsigned char *buf = NULL;
	uint64_t total, done = 0;
	int r = 0;

	/* the fast mode: file data does not matter here (a writer thread
	 * runs: will_cancel would stop it from starting) */
	tab->fast = 1;
	if (make_source(image, opts, &bs) < 0)
		return -1;
	total = (uint64_t)bs->get_size(bs);
	while (r == 0) {
		int want = total - done < CHUNK ? (int)(total - done) : CHUNK;
		unsigned char *nb;
		int n;

		if (want == 0) {
			cd_error("libisofs: the image ended before all of its "
			         "directories were read");
			r = -1;
			break;
		}
		nb = realloc(buf, done + (size_t)want);
		if (!nb) {
			cd_error("out of memory");
			r = -1;
			break;
		}
		buf = nb;
		n = bs->read_xt ? bs->read_xt(bs, buf + done, want)
		                : bs->read(bs, buf + done, want);
		if (n <= 0) {
			isowrite_flush_msgs();
			cd_error("libisofs failed while laying out the image");
			r = -1;
			break;
		}
		done += (uint64_t)n;
		r = enough(buf, (size_t)done, ctx);
	}
	bs->cancel(bs);
	bs->free_data(bs);
	free(bs);
	/* the writer thread, stopped here on purpose once the image is
	 * larger than its ring, says "Image write cancelled" (a MISHAP;
	 * a message carries the low 16 bits of the code, and 0x30000) */
	flush_msgs_but((int)((ISO_IMAGE_WRITE_CANCELED & 0xffff) | 0x30000));
	free(buf);
	return r < 0 ? -1 : 0;
}

/* Wait until the ring holds want bytes or the writer has finished: a
 * reader that takes each block as it comes is woken for every 2 KiB. */
static void wait_fill(struct burn_source *bs, size_t want)
{
	struct timespec nap = {0, 200 * 1000};

	for (;;) {
		size_t size, avail;
		int st = iso_ring_buffer_get_status(bs, &size, &avail);

		if (st != 1 || size - avail >= want)
			return;
		nanosleep(&nap, NULL);
	}
}

int isowrite_run(IsoImage *image, IsoWriteOpts *opts, struct isowrite_tab *tab,
                 int fd, int fast, enum progress_mode mode, uint64_t *written)
{
	struct burn_source *bs;
	struct pump p = {.tab = tab, .out = fd, .cur_fd = -1};
	struct progress prog;
	unsigned char *buf;
	uint64_t total, done = 0;
	int ret = 0;

	tab->fast = fast;
	xio_copier_init(&p.copier, fd);
	buf = malloc(CHUNK);
	if (!buf) {
		cd_error("out of memory");
		return -1;
	}
	if (make_source(image, opts, &bs) < 0) {
		free(buf);
		return -1;
	}
	total = (uint64_t)bs->get_size(bs);
	progress_init(&prog, mode, total);
	while (done < total) {
		/* libisofs's read delivers the whole count or nothing (EOF),
		 * so never ask for more than is left */
		int want = total - done < CHUNK ? (int)(total - done) : CHUNK;
		int n;

		wait_fill(bs, (size_t)want);
		n = bs->read_xt ? bs->read_xt(bs, buf, want)
		                : bs->read(bs, buf, want);
		if (n < 0) {
			isowrite_flush_msgs();
			cd_error("libisofs failed while writing the image");
			ret = -1;
			break;
		}
		if (n == 0)
			break;
		if (pump_chunk(&p, buf, (size_t)n) < 0) {
			ret = -1;
			break;
		}
		done += (uint64_t)n;
		progress_update(&prog, done);
	}
	progress_end(&prog, done);
	cur_close(&p);
	if (xio_copier_end(&p.copier) < 0 && ret == 0) {
		cd_error("cannot write the image: %s", strerror(errno));
		ret = -1;
	}
	if (ret < 0)
		bs->cancel(bs);
	else if (done != total) {
		cd_error("libisofs delivered %" PRIu64 " bytes, %" PRIu64
		         " were announced",
		         done, total);
		ret = -1;
	}
	bs->free_data(bs);
	free(bs);
	isowrite_flush_msgs();
	free(buf);
	*written = done;
	return ret;
}
