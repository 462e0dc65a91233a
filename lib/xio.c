/* xio: checked full writes and the broken-pipe convention. See xio.h. */
#include "config.h"

#include "xio.h"
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

void xio_init(void)
{
	signal(SIGPIPE, SIG_IGN);
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

void xio_refuse_tty(int fd, const char *what)
{
	if (isatty(fd))
		cd_die(CD_EXIT_USAGE,
		       "refusing to write %s to a terminal: redirect standard "
		       "output to a file or a pipe, or use -o FILE",
		       what);
}

void xio_close_stdout(void)
{
	if (close(STDOUT_FILENO) < 0 && errno != EBADF) {
		if (errno == EPIPE)
			xio_broken_pipe();
		cd_die(CD_EXIT_FAIL, "cannot write standard output: %s",
		       strerror(errno));
	}
}
