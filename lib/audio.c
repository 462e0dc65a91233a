/* audio: CD audio tracks from .wav, .au and raw files. See audio.h. */
#include "config.h"

#include "audio.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libburn/libburn.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file with a WAVE or .au header goes to libburn's extractor; one
 * without is raw. (Standard input is raw, as cdrecord takes it: a header
 * cannot be given back to a pipe once read.) */
static int has_header(int fd)
{
	unsigned char h[12];
	ssize_t n = pread(fd, h, sizeof h, 0);

	if (n >= 12 && !memcmp(h, "RIFF", 4) && !memcmp(h + 8, "WAVE", 4))
		return 1;
	if (n >= 4 && !memcmp(h, ".snd", 4))
		return 1;
	return 0;
}

static int extract(struct audio_src *a, char *err, size_t elen)
{
	struct libdax_audioxtr *x = NULL;
	char *fmt = NULL, *info = NULL;
	int channels = 0, rate = 0, bits = 0, msb = 0, r;
	off_t size = 0, here;
	struct stat st;

	r = libdax_audioxtr_new(&x, (char *)a->path, 0);
	if (r <= 0) {
		snprintf(err, elen,
		         "a WAVE or .au header that libburn cannot read "
		         "(compressed or damaged)");
		libdax_audioxtr_destroy(&x, 0);
		return -1;
	}
	libdax_audioxtr_get_id(x, &fmt, &info, &channels, &rate, &bits, &msb,
	                       0);
	if (channels != 2 || rate != 44100 || bits != 16) {
		snprintf(err, elen,
		         "%d Hz, %d-bit, %d channel%s: CD audio is 44100 Hz, "
		         "16-bit, 2 channels (sox IN -r 44100 -b 16 -c 2 "
		         "OUT.wav converts it)",
		         rate, bits, channels, channels == 1 ? "" : "s");
		libdax_audioxtr_destroy(&x, 0);
		return -1;
	}
	if (libdax_audioxtr_get_size(x, &size, 0) <= 0 || size < 0 ||
	    libdax_audioxtr_detach_fd(x, &a->fd, 0) <= 0) {
		snprintf(err, elen, "cannot find the samples in the %s file",
		         fmt);
		libdax_audioxtr_destroy(&x, 0);
		return -1;
	}
	/* a header written before its stream ended may claim 0 or 4 GiB:
	 * what the file holds after it is what there is */
	if (fstat(a->fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (here = lseek(a->fd, 0, SEEK_CUR)) >= 0 && here <= st.st_size &&
	    (size == 0 || size > st.st_size - here)) {
		cd_warn("%s: its header says %lld bytes of samples, the file "
		        "holds %lld: those are written",
		        a->path, (long long)size,
		        (long long)(st.st_size - here));
		size = st.st_size - here;
	}
	a->size = size;
	a->swap = msb == 1;
	snprintf(a->format, sizeof a->format, "%s",
	         !strcmp(fmt, ".wav") ? "WAVE" : "Sun .au");
	libdax_audioxtr_destroy(&x, 0);
	return 0;
}

int audio_open(struct audio_src *a, const char *path, int swab, char *err,
               size_t elen)
{
	struct stat st;
	int fd;

	memset(a, 0, sizeof *a);
	a->path = path;
	a->fd = -1;
	a->size = -1;
	if (!strcmp(path, "-")) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			snprintf(err, elen, "cannot open: %s", strerror(errno));
			return -1;
		}
	}
	if (fd != STDIN_FILENO && has_header(fd)) {
		close(fd);
		if (extract(a, err, elen) < 0)
			return -1;
	} else {
		a->fd = fd;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			a->size = st.st_size;
		/* cdrecord's rule: raw audio is big-endian unless -swab */
		a->swap = !swab;
		snprintf(a->format, sizeof a->format, "raw %s-endian",
		         swab ? "little" : "big");
	}
	if (a->size >= 0 && a->size < (off_t)AUDIO_MIN_SECTORS * AUDIO_SECTOR) {
		snprintf(err, elen,
		         "%.2f s of audio: a CD audio track must be at least 4 "
		         "s long",
		         (double)a->size / (AUDIO_SECTOR * 75));
		audio_close(a);
		return -1;
	}
	return 0;
}

int audio_open_samples(struct audio_src *a, const char *path, char *err,
                       size_t elen)
{
	int fd, head;

	memset(a, 0, sizeof *a);
	a->path = path;
	a->fd = -1;
	a->size = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, elen, "cannot open: %s", strerror(errno));
		return -1;
	}
	head = has_header(fd);
	close(fd);
	if (!head) {
		snprintf(err, elen, "no WAVE header");
		return -1;
	}
	return extract(a, err, elen);
}

void audio_close(struct audio_src *a)
{
	if (a->fd > STDIN_FILENO)
		close(a->fd);
	a->fd = -1;
}

void audio_swap(unsigned char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2) {
		unsigned char t = buf[i];

		buf[i] = buf[i + 1];
		buf[i + 1] = t;
	}
}
