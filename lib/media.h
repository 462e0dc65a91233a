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
	int nsessions;
	struct media_session sessions[100];
	int ntracks;
	struct media_track tracks[99];
};

/* Find out what is in the drive. 0, or -1 after a message. */
int media_probe(struct device *dev, struct media *m);

const char *media_state_name(enum media_state s);

/* What msinfo (and cdwrite -msinfo) says: "last_start,next" on stdout
 * when print is set and the medium is appendable (status 0), else a
 * message on stderr and the status: 3 for blank, closed, none. */
int media_msinfo(const struct device *dev, const struct media *m, int print);

#endif
