/* faults.so: an LD_PRELOAD shim for tests that makes writes to one file
 * fail as a full disk or a killed program would, at a chosen byte:
 *
 *   FAULT_FILE  the file (its absolute path, as /proc/self/fd shows it)
 *   FAULT_AT    the byte offset
 *   FAULT_NTH   the how-many-th write that covers FAULT_AT (default 1)
 *   FAULT_DO    kill: the bytes before FAULT_AT are written, then the
 *                     program gets SIGKILL (nothing after runs)
 *               enospc: the bytes before FAULT_AT are written, then this
 *                     and every later write reaching FAULT_AT fail with
 *                     ENOSPC, as on a full disk
 *
 * write, pwrite and writev are caught; copy_file_range and splice into the
 * file fail with EXDEV/EINVAL, so that the program falls back to write.
 * Built by the tests that use it (t/t0205-cdwrite-safety.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

#include "shim.h"

static int hits, full;

static int is_target(int fd)
{
	return fd_is(fd, "FAULT_FILE");
}

/* How much of a write of len bytes at off may go through: len when no
 * fault, else the bytes before FAULT_AT (after which fault() acts) */
static size_t allowed(int fd, off_t off, size_t len, int *fault)
{
	const char *at = getenv("FAULT_AT"), *nth = getenv("FAULT_NTH");
	off_t a;

	*fault = 0;
	if (!at || len == 0 || !is_target(fd))
		return len;
	a = (off_t)strtoll(at, NULL, 10);
	if (off + (off_t)len <= a || (off > a && !full))
		return len;
	if (full || ++hits == (nth ? atoi(nth) : 1)) {
		*fault = 1;
		return off < a ? (size_t)(a - off) : 0;
	}
	return len;
}

/* after the allowed part: die, or say the disk is full */
static ssize_t fault(ssize_t done)
{
	const char *what = getenv("FAULT_DO");

	if (what && !strcmp(what, "kill"))
		raise(SIGKILL);
	full = 1;
	if (done > 0)
		return done;
	errno = ENOSPC;
	return -1;
}

ssize_t write(int fd, const void *buf, size_t len)
{
	static ssize_t (*real)(int, const void *, size_t);
	int f = 0;
	off_t off;
	size_t ok = len;
	ssize_t n;

	if (!real)
		real = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT,
		                                                    "write");
	off = lseek(fd, 0, SEEK_CUR);
	if (off >= 0)
		ok = allowed(fd, off, len, &f);
	if (!f)
		return real(fd, buf, len);
	n = ok ? real(fd, buf, ok) : 0;
	return fault(n);
}

static ssize_t pwrite_at(int fd, const void *buf, size_t len, off_t off,
                         const char *name)
{
	ssize_t (*real)(int, const void *, size_t, off_t) =
	    (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT,
	                                                        name);
	int f = 0;
	size_t ok = allowed(fd, off, len, &f);
	ssize_t n;

	if (!f)
		return real(fd, buf, len, off);
	n = ok ? real(fd, buf, ok, off) : 0;
	return fault(n);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite_at(fd, buf, len, off, "pwrite");
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	return pwrite_at(fd, buf, len, off, "pwrite64");
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	ssize_t done = 0;

	/* one at a time through write(), which knows the faults */
	for (int i = 0; i < n; i++) {
		ssize_t k = write(fd, iov[i].iov_base, iov[i].iov_len);

		if (k < 0)
			return done ? done : -1;
		done += k;
		if ((size_t)k < iov[i].iov_len)
			break;
	}
	return done;
}

ssize_t copy_file_range(int in, off_t *in_off, int out, off_t *out_off,
                        size_t len, unsigned flags)
{
	static ssize_t (*real)(int, off_t *, int, off_t *, size_t, unsigned);

	if (is_target(out)) {
		errno = EXDEV;
		return -1;
	}
	if (!real)
		real =
		    (ssize_t(*)(int, off_t *, int, off_t *, size_t,
		                unsigned))dlsym(RTLD_NEXT, "copy_file_range");
	return real(in, in_off, out, out_off, len, flags);
}

ssize_t splice(int in, off_t *in_off, int out, off_t *out_off, size_t len,
               unsigned flags)
{
	static ssize_t (*real)(int, off_t *, int, off_t *, size_t, unsigned);

	if (is_target(out)) {
		errno = EINVAL;
		return -1;
	}
	if (!real)
		real = (ssize_t(*)(int, off_t *, int, off_t *, size_t,
		                   unsigned))dlsym(RTLD_NEXT, "splice");
	return real(in, in_off, out, out_off, len, flags);
}
