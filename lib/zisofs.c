/* zisofs: parallel zisofs compression into scratch files. See zisofs.h. */
#include "config.h"

#include "zisofs.h"
#include "cli.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BS (1 << ZISOFS_LOG2)
#define LEVEL 6 /* libisofs's */
#define MAX_THREADS 16

static const unsigned char magic[8] = {0x37, 0xe4, 0x53, 0x96,
                                       0xc9, 0xdb, 0xd6, 0x07};

static int *scratch;
static int nscratch;

struct shared {
	struct zisofs_job *v;
	size_t n;
	size_t next; /* the next job, taken atomically */
	int full;    /* a scratch file could not be written: stop */
	int full_errno;
};

struct worker {
	struct shared *sh;
	int fd;    /* its scratch file */
	off_t end; /* where the next file goes in it */
	pthread_t th;
};

static int pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = pwrite(fd, p, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Compress one job at w->end of w's scratch file. A file that cannot be
 * read, or changes size, or would not shrink, stays as it is (done 0):
 * the writer then copies (and reports) it as it copies any file. */
static void compress_one(struct worker *w, struct zisofs_job *j,
                         unsigned char *in, unsigned char *out, uLong cap)
{
	off_t nblocks = j->size / BS + !!(j->size % BS);
	size_t table = (size_t)(nblocks + 1) * 4;
	unsigned char *head = malloc(16 + table);
	off_t pos = (off_t)(16 + table);
	struct stat st;
	int fd;

	j->done = 0;
	if (!head)
		return;
	fd = open(j->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(head);
		return;
	}
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	put32(head + 16, (uint32_t)pos);
	for (off_t b = 0; b < nblocks; b++) {
		size_t want =
		    j->size - b * BS < BS ? (size_t)(j->size - b * BS) : BS;
		ssize_t got = xio_pread_all(fd, in, want, b * BS);
		uLong olen = cap;

		if (got != (ssize_t)want)
			goto keep; /* a read error, or it shrank */
		if (all_zero(in, want)) {
			olen = 0;
		} else if (compress2(out, &olen, in, want, LEVEL) != Z_OK) {
			goto keep;
		} else if (pwrite_all(w->fd, out, olen, w->end + pos) < 0) {
			__atomic_store_n(&w->sh->full_errno, errno,
			                 __ATOMIC_RELAXED);
			__atomic_store_n(&w->sh->full, 1, __ATOMIC_RELAXED);
			goto keep;
		}
		pos += (off_t)olen;
		if (pos > UINT32_MAX)
			goto keep;
		put32(head + 16 + 4 * (b + 1), (uint32_t)pos);
	}
	/* it grew: the writer says so, and stores what was listed */
	if (fstat(fd, &st) < 0 || st.st_size != j->size)
		goto keep;
	/* as libisofs's filter: only when it takes fewer blocks */
	if ((pos + 2047) / 2048 >= (j->size + 2047) / 2048)
		goto keep;
	memcpy(head, magic, 8);
	put32(head + 8, (uint32_t)j->size);
	head[12] = 4;
	head[13] = ZISOFS_LOG2;
	head[14] = head[15] = 0;
	if (pwrite_all(w->fd, head, 16 + table, w->end) < 0) {
		__atomic_store_n(&w->sh->full_errno, errno, __ATOMIC_RELAXED);
		__atomic_store_n(&w->sh->full, 1, __ATOMIC_RELAXED);
		goto keep;
	}
	j->fd = w->fd;
	j->off = w->end;
	j->len = pos;
	j->done = 1;
	w->end += pos;
keep:
	close(fd);
	free(head);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct shared *sh = w->sh;
	uLong cap = compressBound(BS);
	unsigned char *in = malloc(BS), *out = malloc(cap);

	for (;;) {
		size_t i = __atomic_fetch_add(&sh->next, 1, __ATOMIC_RELAXED);

		if (i >= sh->n)
			break;
		if (!in || !out ||
		    __atomic_load_n(&sh->full, __ATOMIC_RELAXED)) {
			sh->v[i].done = 0;
			continue;
		}
		compress_one(w, &sh->v[i], in, out, cap);
	}
	free(in);
	free(out);
	return NULL;
}

static int open_scratch(const char *dir)
{
	char path[4096];
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0)
		return fd;
	/* a file system without O_TMPFILE: made, then unlinked at once */
	snprintf(path, sizeof path, "%s/isomk-zisofs.XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	return fd;
}

int zisofs_run(struct zisofs_job *v, size_t n, int threads, const char *dir)
{
	struct shared sh = {.v = v, .n = n};
	struct worker w[MAX_THREADS];
	int nw = threads;

	for (size_t i = 0; i < n; i++)
		v[i].done = -1;
	if (n == 0)
		return 0;
	if (!dir)
		dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	if (nw <= 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		nw = c > 0 ? (int)c : 1;
	}
	if (nw > MAX_THREADS)
		nw = MAX_THREADS;
	if ((size_t)nw > n)
		nw = (int)n;
	scratch = calloc((size_t)nw, sizeof *scratch);
	if (!scratch)
		cd_die(CD_EXIT_FAIL, "out of memory");
	for (int k = 0; k < nw; k++) {
		w[k] = (struct worker){.sh = &sh, .fd = open_scratch(dir)};
		if (w[k].fd < 0) {
			cd_error(
			    "--zisofs: cannot make a scratch file in %s: %s "
			    "(TMPDIR names another directory)",
			    dir, strerror(errno));
			for (int m = 0; m < k; m++)
				close(w[m].fd);
			free(scratch);
			scratch = NULL;
			return -1;
		}
		scratch[nscratch++] = w[k].fd;
	}
	for (int k = 1; k < nw; k++)
		if (pthread_create(&w[k].th, NULL, work, &w[k]) != 0)
			cd_die(CD_EXIT_FAIL, "cannot start a thread");
	work(&w[0]);
	for (int k = 1; k < nw; k++)
		pthread_join(w[k].th, NULL);
	for (size_t i = 0; i < n; i++)
		if (v[i].done < 0)
			v[i].done = 0;
	if (sh.full)
		cd_warn("--zisofs: the scratch files in %s could not take "
		        "more (%s): the files left are stored uncompressed "
		        "(TMPDIR names another directory)",
		        dir, strerror(sh.full_errno));
	return 0;
}

void zisofs_end(void)
{
	for (int k = 0; k < nscratch; k++)
		close(scratch[k]);
	free(scratch);
	scratch = NULL;
	nscratch = 0;
}
