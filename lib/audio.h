/* audio: the tracks of a CD session as cdwrite is given them. An audio
 * track is a .wav or Sun .au file (its header read by libburn's audio
 * extractor, which must say 44,100 Hz, 16-bit, stereo) or raw CD audio,
 * which is taken to be big-endian as cdrecord takes it (-swab: little-
 * endian). On the disc, and in a CUE/BIN image, CD audio is 16-bit
 * little-endian stereo, 2352 bytes (1/75 s) a sector. */
#ifndef CDPIPE_AUDIO_H
#define CDPIPE_AUDIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define AUDIO_SECTOR 2352
#define AUDIO_MIN_SECTORS 300 /* 4 s: the shortest track Red Book allows */

struct audio_src {
	const char *path; /* as given; "-" is standard input */
	int fd;           /* positioned at the samples */
	off_t size;       /* bytes of samples, -1 unknown (a pipe of raw) */
	int swap;         /* swap byte pairs to get little-endian */
	char format[32];  /* "WAVE", "Sun .au", "raw big-endian", ... */
};

/* Open an audio track; swab: raw data is little-endian already. 0, or -1
 * with the reason in err (a format that is not CD audio, a track shorter
 * than 4 s, a file that cannot be read). */
int audio_open(struct audio_src *a, const char *path, int swab, char *err,
               size_t elen);
/* The samples of a .wav or .au file of any length (a piece of a track in
 * a TOC file): 0, or -1 with the reason in err. */
int audio_open_samples(struct audio_src *a, const char *path, char *err,
                       size_t elen);
void audio_close(struct audio_src *a);

/* Swap the byte pairs of buf in place. */
void audio_swap(unsigned char *buf, size_t len);

#endif
