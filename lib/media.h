/* media: what is in a drive, as msinfo and cdwrite need it: the kind of
 * medium, blank / appendable / closed, the sessions, the next writable
 * address and the space left.
 *
 * Overwriteable media (DVD+RW, DVD-RW in restricted overwrite, DVD-RAM,
 * BD-RE) and image files (libburn's stdio: drives) have no sessions of
 * their own: libburn calls them blank whatever they hold. Sessions are
 * emulated on them as growisofs does: the ISO 9660 volume at block 16
 * describes everything written so far (its size counts from block 0), the
 * next session goes to the next 32 KiB boundary after it, and it is read
 * from block 0 (msinfo prints 0,NEXT). */
#ifndef CDPIPE_MEDIA_H
#define CDPIPE_MEDIA_H

#include <stdint.h>

#include "device.h"

enum media_state {
	MEDIA_NONE,       /* no medium */
	MEDIA_BLANK,      /* nothing written yet */
	MEDIA_APPENDABLE, /* sessions, more can follow */
	MEDIA_CLOSED,     /* sessions, no more can follow */
	MEDIA_UNUSABLE,   /* libburn cannot tell or use it */
};

struct media_session {
	int32_t start; /* first block */
	int32_t size;  /* blocks */
};

struct media_track {
	int session;   /* 1.. */
	int32_t start; /* first block */
	int32_t size;  /* blocks */
	int audio;     /* CD audio, else data */
};

struct media {
	enum media_state state;
	int role;    /* libburn's drive role: 1 real, 2..5 stdio */
	int profile; /* MMC profile, 0xffff for stdio */
	char profile_name[80];
	int emulated;          /* sessions emulated on overwriteable media */
	int32_t last_start;    /* msinfo's first number */
	int32_t next;          /* msinfo's second number */
	int64_t free_blocks;   /* -1: unknown */
	int64_t volume_blocks; /* emulated: the size of the volume at 16 */
	const char *foreign;   /* emulated, no ISO volume but data: what */
	int64_t file_blocks;   /* an image file's length (-1: not a file) */
	int nsessions;
	struct media_session sessions[100];
	int ntracks;
	struct media_track tracks[99];
};

/* Find out what is in the drive. 0, or -1 after a message.
 *
 * An image file or overwriteable medium with no ISO volume at block 16
 * but data in its first 32 blocks (what blank=fast clears) is not blank:
 * foreign says what is there (a cdtape archive, a tar archive, a PDF
 * document, data), and nothing is written over it unless told. An image file shorter than the
 * volume its descriptors describe is truncated (file_blocks tells). */
int media_probe(struct device *dev, struct media *m);

const char *media_state_name(enum media_state s);

/* An image file shorter than the volume it holds */
static inline int media_truncated(const struct media *m)
{
	return m->file_blocks >= 0 && m->state == MEDIA_APPENDABLE &&
	       m->file_blocks < m->volume_blocks;
}

/* What msinfo (and cdwrite -msinfo) says: "last_start,next" on stdout
 * when print is set and the medium is appendable (status 0), else a
 * message on stderr and the status: 3 for blank, closed, none and data
 * that is not an ISO session; 1 for a truncated image file. */
int media_msinfo(const struct device *dev, const struct media *m, int print);

#endif
