/* xio: checked full writes and the broken-pipe convention. See xio.h. */
#include "config.h"

#include "xio.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

void xio_init(void)
{
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);
	/* A standard stream the caller closed (prog >&-) is held by
	 * /dev/null, so that no file the program opens takes its number:
	 * the next open would be an image read as standard output, and a
	 * copy written into it. Output is opened read-only there, so writing
	 * it fails and says so, as a closed stream should. */
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", O_RDONLY);

			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
}

static volatile sig_atomic_t partial_dir;
static const char *volatile partial_name;

static void remove_partial(int sig)
{
	if (partial_name)
		unlinkat((int)partial_dir, partial_name, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}

void xio_partial(int dirfd, const char *name)
{
	static int armed;

	partial_name = NULL;
	partial_dir = dirfd;
	partial_name = name;
	if (name && !armed) {
		struct sigaction sa = {.sa_handler = remove_partial};
		int sigs[] = {SIGINT, SIGTERM, SIGHUP};

		sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
			struct sigaction old;

			/* nohup's SIGHUP stays ignored (a shell ignores
			 * SIGINT for its background jobs too, but a kill
			 * -INT is meant) */
			if (sigs[i] == SIGHUP &&
			    sigaction(sigs[i], NULL, &old) == 0 &&
			    old.sa_handler == SIG_IGN)
				continue;
			sigaction(sigs[i], &sa, NULL);
		}
		armed = 1;
	}
}

void xio_broken_pipe(void)
{
	/* Die as a filter killed by SIGPIPE would: no message, and the
	 * status that shells and pipefail scripts already understand. */
	signal(SIGPIPE, SIG_DFL);
	raise(SIGPIPE);
	_exit(128 + SIGPIPE);
}

int xio_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				xio_broken_pipe();
			return -1;
		}
		if (n == 0) {
			errno = ENOSPC;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int xio_write_zeros(int fd, size_t len)
{
	static const char zeros[65536];

	while (len > 0) {
		size_t n = len < sizeof zeros ? len : sizeof zeros;

		if (xio_write_all(fd, zeros, n) < 0)
			return -1;
		len -= n;
	}
	return 0;
}

ssize_t xio_pread_all(int fd, void *buf, size_t len, off_t off)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, p + got, len - got, off + (off_t)got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

int xio_reader_gone(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	struct stat st;

	if (fstat(fd, &st) < 0 ||
	    !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		return 0;
	/* Linux says POLLERR for a pipe with no reader left, POLLHUP for a
	 * socket whose peer shut down */
	return poll(&p, 1, 0) == 1 && (p.revents & (POLLERR | POLLHUP)) != 0;
}

void xio_refuse_tty(int fd, const char *what)
{
	if (isatty(fd))
		cd_die(CD_EXIT_USAGE,
		       "refusing to write %s to a terminal: redirect standard "
		       "output to a file or a pipe",
		       what);
}

enum { M_SPLICE, M_COPY_RANGE, M_RW };
#define COPY_BUF (1 << 20)

void xio_copier_init(struct xio_copier *c, int out)
{
	struct stat st;

	c->out = out;
	c->sparse = 0;
	c->skipped = 0;
	c->buf = NULL;
	c->method = M_RW;
	if (fstat(out, &st) < 0)
		return;
	if (S_ISFIFO(st.st_mode)) {
		c->method = M_SPLICE;
		fcntl(out, F_SETPIPE_SZ, COPY_BUF);
	} else if (S_ISREG(st.st_mode)) {
		int fl = fcntl(out, F_GETFL);

		c->method = M_COPY_RANGE;
		c->sparse = fl >= 0 && !(fl & O_APPEND) &&
		            lseek(out, 0, SEEK_CUR) >= st.st_size;
	}
}

/* Skip the hole at off, if any, up to off + len (and in_size), by seeking
 * the output forward. Returns the bytes skipped. */
static size_t skip_hole(struct xio_copier *c, int in, off_t off, size_t len,
                        off_t in_size)
{
	off_t data, end = off + (off_t)len;

	if (end > in_size)
		end = in_size; /* past its end: the reads tell */
	if (off >= end)
		return 0;
	data = lseek(in, off, SEEK_DATA);
	if (data < 0)
		data = errno == ENXIO ? end : off;
	if (data > end)
		data = end;
	if (data - off < 65536)
		return 0;
	if (lseek(c->out, data - off, SEEK_CUR) < 0)
		return 0;
	c->skipped = 1;
	return (size_t)(data - off);
}

/* How much of [off, off+len) is data before the next hole. */
static size_t data_run(int in, off_t off, size_t len)
{
	off_t hole = lseek(in, off, SEEK_HOLE);

	if (hole <= off || hole - off >= (off_t)len)
		return len;
	return (size_t)(hole - off);
}

ssize_t xio_copy(struct xio_copier *c, int in, off_t off, size_t len,
                 off_t in_size)
{
	size_t done = 0;

	while (done < len) {
		size_t want = len - done;
		ssize_t n;

		if (c->sparse) {
			size_t h = skip_hole(c, in, off, want, in_size);

			off += (off_t)h;
			done += h;
			if (done == len)
				break;
			want = data_run(in, off, len - done);
		}
		if (c->method == M_SPLICE) {
			n = splice(in, &off, c->out, NULL, want, SPLICE_F_MORE);
			if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
				c->method = M_RW;
				continue;
			}
		} else if (c->method == M_COPY_RANGE) {
			n = copy_file_range(in, &off, c->out, NULL, want, 0);
			if (n < 0 && (errno == EXDEV || errno == EINVAL ||
			              errno == ENOSYS || errno == EOPNOTSUPP)) {
				c->method = M_RW;
				continue;
			}
		} else {
			if (!c->buf)
				c->buf = malloc(COPY_BUF);
			if (!c->buf) {
				errno = ENOMEM;
				return -1;
			}
			if (want > COPY_BUF)
				want = COPY_BUF;
			n = xio_pread_all(in, c->buf, want, off);
			if (n < 0)
				return -2;
			if (n > 0 &&
			    xio_write_all(c->out, c->buf, (size_t)n) < 0)
				return -1;
			off += n;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EPIPE)
				xio_broken_pipe();
			/* these only the output's side says */
			if (errno == ENOSPC || errno == EFBIG ||
			    errno == EDQUOT)
				return -1;
			return -2;
		}
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

int xio_copier_end(struct xio_copier *c)
{
	int r = 0;

	if (c->skipped) {
		off_t end = lseek(c->out, 0, SEEK_CUR);

		if (end < 0 || ftruncate(c->out, end) < 0)
			r = -1;
	}
	free(c->buf);
	c->buf = NULL;
	return r;
}
