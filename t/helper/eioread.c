/* eioread.so: an LD_PRELOAD shim for tests that makes chosen blocks of
 * one file unreadable, as scratches on a disc are: a read(2), pread(2)
 * or fread(3) of the file that touches one of them fails with EIO.
 *
 *   EIOREAD_FILE    the file (its absolute path, as /proc/self/fd shows it)
 *   EIOREAD_BLOCKS  the bad blocks, "100,150,151"
 *   EIOREAD_SIZE    the size of a block in bytes (default 2048; 2352 for
 *                   the raw sectors of a BIN)
 *   EIOREAD_FAILS   a bad block fails this many reads, then reads well
 *                   (default: always fails), to prove retries
 *
 * fread is caught because libcdio reads CUE/BIN images through stdio.
 * Built by the tests that use it (t/t0400-cdread-data.sh). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "shim.h"

#define MAXBAD 64

static long long bad[MAXBAD];
static int fails[MAXBAD];
static int nbad = -1;

static void load(void)
{
	const char *s = getenv("EIOREAD_BLOCKS");
	char *end;

	nbad = 0;
	while (s && *s && nbad < MAXBAD) {
		bad[nbad++] = strtoll(s, &end, 10);
		s = *end == ',' ? end + 1 : "";
	}
}

/* Does a read of len bytes at off touch a bad block that still fails? */
static int hit(int fd, off_t off, size_t len)
{
	const char *z = getenv("EIOREAD_SIZE"), *f = getenv("EIOREAD_FAILS");
	long long size = z ? strtoll(z, NULL, 10) : 2048;
	int r = 0;

	if (nbad < 0)
		load();
	if (!nbad || !len || off < 0 || size <= 0 || !fd_is(fd, "EIOREAD_FILE"))
		return 0;
	for (int i = 0; i < nbad; i++) {
		long long a = bad[i] * size, b = a + size;

		if (off < b && off + (off_t)len > a) {
			if (f && fails[i] >= atoi(f))
				continue;
			fails[i]++;
			r = 1;
		}
	}
	return r;
}

ssize_t read(int fd, void *buf, size_t count)
{
	static ssize_t (*real)(int, void *, size_t);

	if (!real)
		real =
		    (ssize_t(*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
	if (hit(fd, lseek(fd, 0, SEEK_CUR), count)) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, count);
}

ssize_t pread64(int fd, void *buf, size_t count, off_t off)
{
	static ssize_t (*real)(int, void *, size_t, off_t);

	if (!real)
		real = (ssize_t(*)(int, void *, size_t, off_t))dlsym(RTLD_NEXT,
		                                                     "pread64");
	if (hit(fd, off, count)) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, count, off);
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	return pread64(fd, buf, count, off);
}

size_t fread(void *ptr, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(void *, size_t, size_t, FILE *);

	if (!real)
		real = (size_t(*)(void *, size_t, size_t, FILE *))dlsym(
		    RTLD_NEXT, "fread");
	if (hit(fileno(f), ftello(f), size * n)) {
		errno = EIO;
		return 0;
	}
	return real(ptr, size, n, f);
}
