/* shim.h: what the LD_PRELOAD test shims share. */
#ifndef CDPIPE_SHIM_H
#define CDPIPE_SHIM_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Is fd open on the file the environment variable var names (its
 * absolute path, as /proc/self/fd shows it)? */
static int fd_is(int fd, const char *var)
{
	const char *want = getenv(var);
	char link[64], path[PATH_MAX];
	ssize_t n;

	if (!want)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = '\0';
	return strcmp(path, want) == 0;
}

#endif
