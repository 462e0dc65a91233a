/* cueimage: audio tracks as a CUE/BIN image. See cueimage.h. */
#include "config.h"

#include "cueimage.h"
#include "audio.h"
#include "cli.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK (AUDIO_SECTOR * 448) /* about 1 MiB, whole sectors */

/* Fill buf from fd as far as it goes: a short count only at the end. */
static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r < 0 && errno == EINTR && !burn_cancel_signal)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Copy one track into out, byte pairs swapped as needed, the last sector
 * filled up. Returns its sectors, or -1 after a message. */
static int64_t copy_track(int out, const char *bin, struct session_track *t,
                          unsigned char *buf, struct progress *pr,
                          uint64_t *done)
{
	off_t total = 0;

	for (;;) {
		size_t want = CHUNK;
		ssize_t n;

		if (t->size >= 0 && t->size - total < (off_t)want)
			want = (size_t)(t->size - total);
		n = want ? read_full(t->fd, buf, want) : 0;
		if (burn_cancel_signal)
			return -1;
		if (n < 0) {
			cd_msg("cannot read %s: %s", t->name, strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		total += n;
		if (t->swap)
			audio_swap(buf, (size_t)n);
		if (n % AUDIO_SECTOR) { /* the end: fill up the sector */
			size_t fill = AUDIO_SECTOR - (size_t)n % AUDIO_SECTOR;

			memset(buf + n, 0, fill);
			n += (ssize_t)fill;
		}
		if (xio_write_all(out, buf, (size_t)n) < 0) {
			cd_msg("%s: cannot write: %s", bin, strerror(errno));
			return -1;
		}
		*done += (uint64_t)n;
		progress_update(pr, *done);
	}
	if (t->size >= 0 && total < t->size) {
		cd_msg("%s ended after %" PRId64 " of %" PRId64 " bytes",
		       t->name, (int64_t)total, (int64_t)t->size);
		return -1;
	}
	if (total < (off_t)AUDIO_MIN_SECTORS * AUDIO_SECTOR) {
		cd_msg("%s: %.2f s of audio: a CD audio track must be at "
		       "least 4 s long",
		       t->name, (double)total / (AUDIO_SECTOR * 75));
		return -1;
	}
	return ((int64_t)total + AUDIO_SECTOR - 1) / AUDIO_SECTOR;
}

static int exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size);
}

int cue_write(const char *cue, struct session_track *t, int n,
              const struct burn_job *j)
{
	size_t len = strlen(cue);
	char *bin = malloc(len + 1), *tmp = malloc(len + 8);
	const char *base;
	unsigned char *buf = malloc(CHUNK);
	int64_t start[99], sectors = 0;
	uint64_t done = 0, total = 0;
	struct progress pr;
	FILE *f = NULL;
	int out = -1, status = CD_EXIT_FAIL, made = 0, i;

	if (!bin || !tmp || !buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	memcpy(bin, cue, len - 4);
	strcpy(bin + len - 4, cue[len - 3] == 'C' ? ".BIN" : ".bin");
	snprintf(tmp, len + 8, "%s.part", cue);
	base = strrchr(bin, '/') ? strrchr(bin, '/') + 1 : bin;
	for (i = 0; i < n; i++)
		if (!t[i].audio) {
			cd_msg("%s: a CUE image here holds audio tracks only: "
			       "write %s, a data track, to an image of its own",
			       cue, t[i].name);
			status = CD_EXIT_MEDIUM;
			goto out;
		}
	if (strchr(base, '"')) {
		cd_msg("%s: a CUE sheet cannot name a file with a \" in it",
		       bin);
		status = CD_EXIT_USAGE;
		goto out;
	}
	if (exists(cue)) {
		cd_msg("%s: the image is there already (a CD written once); "
		       "remove %s and %s, or name another",
		       cue, cue, bin);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if (exists(bin)) {
		cd_msg("%s is there without a sheet (%s): left by a write that "
		       "was killed, or another program's: remove it, or name "
		       "another image",
		       bin, cue);
		status = CD_EXIT_MEDIUM;
		goto out;
	}
	if (j->dummy) {
		cd_msg("%s: -dummy: %d audio track%s would be written", cue, n,
		       n > 1 ? "s" : "");
		status = 0;
		goto out;
	}
	if (j->multi)
		cd_warn("%s: a CUE image holds one session: -multi does not "
		        "apply",
		        cue);
	/* the sheet is locked (burn_session): no other cdwrite writes this
	 * image meanwhile */
	out = open(bin, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (out < 0) {
		cd_msg("%s: cannot create: %s", bin, strerror(errno));
		goto out;
	}
	made = 1;
	for (i = 0; i < n; i++)
		total += t[i].size > 0 ? (uint64_t)t[i].size : 0;
	progress_init(&pr, j->progress, total);
	for (i = 0; i < n; i++) {
		int64_t s = copy_track(out, bin, &t[i], buf, &pr, &done);

		if (s < 0)
			break;
		start[i] = sectors;
		sectors += s;
	}
	progress_end(&pr, done);
	if (i < n || burn_cancel_signal)
		goto out;
	if (fsync(out) < 0 || close(out) < 0) {
		out = -1;
		cd_msg("%s: cannot write: %s", bin, strerror(errno));
		goto out;
	}
	out = -1;
	/* the sheet last, whole or not at all */
	f = fopen(tmp, "w");
	if (!f) {
		cd_msg("%s: cannot create: %s", tmp, strerror(errno));
		goto out;
	}
	fprintf(f, "REM written by cdwrite (cdpipe %s)\n", PACKAGE_VERSION);
	fprintf(f, "FILE \"%s\" BINARY\n", base);
	for (i = 0; i < n; i++)
		fprintf(f,
		        "  TRACK %02d AUDIO\n"
		        "    INDEX 01 %02" PRId64 ":%02" PRId64 ":%02" PRId64
		        "\n",
		        i + 1, start[i] / (75 * 60), start[i] / 75 % 60,
		        start[i] % 75);
	if (fflush(f) != 0 || fsync(fileno(f)) < 0 || fclose(f) != 0) {
		f = NULL;
		cd_msg("%s: cannot write: %s", tmp, strerror(errno));
		goto out;
	}
	f = NULL;
	if (rename(tmp, cue) < 0) {
		cd_msg("%s: cannot write: %s", cue, strerror(errno));
		goto out;
	}
	if (j->verbose)
		cd_msg("%s: %d audio track%s, %" PRId64 " sectors (%" PRId64
		       ":%02" PRId64 ")",
		       cue, n, n > 1 ? "s" : "", sectors, sectors / (75 * 60),
		       sectors / 75 % 60);
	status = 0;
out:
	if (f)
		fclose(f);
	if (out >= 0)
		close(out);
	if (status != 0 && made) {
		/* nothing half-written stays */
		unlink(bin);
		unlink(tmp);
		if (burn_cancel_signal) {
			cd_msg("cancelled: nothing written to %s", cue);
			status = 128 + burn_cancel_signal;
		} else {
			cd_msg("%s: nothing written", cue);
		}
	}
	free(bin);
	free(tmp);
	free(buf);
	return status;
}
