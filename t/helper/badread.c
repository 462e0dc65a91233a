/* badread.so: an LD_PRELOAD shim for tests that makes one block of one
 * file read back wrong, as a faulty medium would: reads through read(2)
 * or pread(2) of the file named by $BADREAD_FILE get the byte at
 * $BADREAD_OFFSET flipped. Writes are not touched. Built by the test that
 * uses it (t/t0202-cdwrite.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "shim.h"

static int is_target(int fd)
{
	return fd_is(fd, "BADREAD_FILE");
}

static void flip(int fd, void *buf, ssize_t got, off_t at)
{
	const char *o = getenv("BADREAD_OFFSET");
	off_t bad;

	if (got <= 0 || !o || !is_target(fd))
		return;
	bad = (off_t)strtoll(o, NULL, 10);
	if (bad >= at && bad < at + got)
		((unsigned char *)buf)[bad - at] ^= 0xff;
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real)(int, void *, size_t);
	off_t at = lseek(fd, 0, SEEK_CUR);
	ssize_t got;

	if (!real)
		real = (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	got = real(fd, buf, count);
	if (at >= 0)
		flip(fd, buf, got, at);
	return got;
}

ssize_t pread64(int fd, void *buf, size_t count, off_t off)
{
	static ssize_t (*real)(int, void *, size_t, off_t);
	ssize_t got;

	if (!real)
		real = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT,
		                                                       "pread64");
	got = real(fd, buf, count, off);
	flip(fd, buf, got, off);
	return got;
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	return pread64(fd, buf, count, off);
}
