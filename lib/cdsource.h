/* cdsource: reading a disc or a disc image 1:1, for cdread. A source is an
 * optical drive (through libcdio, which sends the drive READ commands of
 * its own, so that a bad block is exactly that block), a CD image that
 * libcdio reads as a drive (CUE/BIN, cdrdao TOC, NRG), or a plain image
 * file or block device (ISO; read with pread).
 *
 * The table of contents says where tracks start and how long they are.
 * libcdio gives a drive's track lengths as "to the next track", which
 * across a session boundary counts the 11,400 or 6,900 blocks of lead-out
 * and lead-in that cannot be read; the full TOC (READ TOC format 2) says
 * which session each track is in and where each session's lead-out
 * starts, so track lengths end there. Image files have one session: an
 * image grown by cdwrite (sessions emulated as growisofs does) is one
 * span whose newest descriptors at block 16 describe all of it.
 *
 * What dd gets wrong and this gets right: the exact size of a data copy
 * is the ISO 9660 volume size in the newest volume descriptors (cdsrc_iso_end),
 * not the track length, which counts the two run-out blocks of a TAO
 * track (unreadable on most drives) and whatever padding was written. */
#ifndef CDPIPE_CDSOURCE_H
#define CDPIPE_CDSOURCE_H

#include <cdio/cdio.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#define CDSRC_BLOCK 2048

enum cdsrc_kind {
	CDSRC_FILE,    /* a plain image file or block device */
	CDSRC_DRIVE,   /* an optical drive */
	CDSRC_CDIMAGE, /* CUE/BIN, cdrdao TOC or NRG, read by libcdio */
};

struct cdsrc_track {
	int num;        /* as the TOC numbers it */
	int session;    /* 1.. */
	int32_t start;  /* first block (LSN: 0 is the first after the
	                   2-second lead-in offset) */
	int32_t size;   /* blocks, to the next track of its session or the
	                   session's lead-out */
	int32_t pregap; /* blocks of pregap before start, when known */
	int audio;      /* CD-DA, else data */
	int format;     /* libcdio's track_format_t */
	int copy;       /* digital copy permitted */
	int preemph;    /* pre-emphasis (audio) */
	int channels;   /* audio: 2 or 4; 0 unknown */
	int raw;        /* a CD image's data track of raw 2352-byte sectors */
};

struct cdsource {
	enum cdsrc_kind kind;
	const char *name; /* for messages: as the user named it */
	char path[4096];  /* what was opened */
	int fd;           /* CDSRC_FILE: the file (shared-locked), else -1 */
	uint64_t bytes;   /* CDSRC_FILE: its size in bytes */
	CdIo_t *cdio;     /* CDSRC_DRIVE and CDSRC_CDIMAGE */
	int ntracks;
	struct cdsrc_track tracks[99];
	int nsessions;
	int32_t leadout;  /* first block after the last track */
	int full_toc;     /* sessions come from the drive's full TOC */
	int raw_bin;      /* its data tracks were looked at for raw sectors */
	int warned_2048;  /* a track of 2048-byte sectors was said */
	char why[96];     /* why the drive's last read failed (its sense) */
	unsigned retries; /* further tries of a block that fails */
	int verbose;
};

/* Open what the address names (lib/device's forms; "-" is refused: a
 * disc is read by address). An image file is locked for reading (a
 * writer busy with it is waited for). 0, or -1 after a message with
 * *status set: 2 usage, 3 no such drive or file, no medium, 1 otherwise. */
int cdsrc_open(struct cdsource *s, const char *given, int verbose, int *status);
void cdsrc_close(struct cdsource *s);

/* Take the sessions and track lengths from a full TOC (the reply to READ
 * TOC/PMA/ATIP format 2, len bytes) whose tracks start where s->tracks
 * say: each track's session, its length to the next track of its session
 * or to the session's lead-out (never across the lead-out and lead-in
 * between sessions), and nsessions. 0, or -1 (s unchanged) when the reply
 * does not fit the tracks. For drives; tests call it with TOCs of their
 * own. */
int cdsrc_full_toc(struct cdsource *s, const unsigned char *buf, size_t len);

/* Read n blocks of 2048 bytes at lba, once (no retries). 0, or -1 with
 * errno set (EIO for a block that cannot be read, and for every block
 * of a CUE's or TOC's track of 2048-byte sectors, which libcdio 2.1
 * reads at 2352-byte offsets: said once). */
int cdsrc_read(struct cdsource *s, int32_t lba, uint32_t n, void *buf);

/* The track holding block lba, or NULL (a gap between sessions, the
 * lead-out, past the end). */
const struct cdsrc_track *cdsrc_track_at(const struct cdsource *s, int32_t lba);
const struct cdsrc_track *cdsrc_track(const struct cdsource *s, int num);

/* The end of the ISO 9660 volume whose descriptors start at block
 * start + 16: start + the volume space size of its primary descriptor
 * (libisofs and genisoimage count a session's size from its start), or
 * that size alone when only it fits in the track (a size counted from
 * block 0). 1 and *end set when the volume was grown onto
 * sessions before it (its root directory at start or after: a copy
 * starts at block 0), 2 when it is a volume of its own (root directory
 * before start: a copy starts at start); *end is INT32_MAX for a size
 * beyond it, larger than any medium; 0 when there is no ISO 9660 volume
 * there or its size is too small to hold its own descriptors (said as a
 * warning), -1 when the descriptors cannot be read with s->retries
 * (errno). */
int cdsrc_iso_end(struct cdsource *s, int32_t start, int32_t *end);

/* Is the file out the image being read: the image file, or the data
 * file (BIN) of a CUE sheet or the NRG that libcdio reads? Written to,
 * it would be cut or grow under the reader, and end as neither. 1 or 0. */
int cdsrc_is_source(const struct cdsource *s, int out);

/* The last block + 1 of the medium as a whole. */
int32_t cdsrc_end(const struct cdsource *s);

/* Which blocks a data copy is (cdread without --toc, --image or an audio
 * track): with session and track 0 and all unset, the ISO 9660 volume of
 * the newest session with data, from block 0 (a multisession volume
 * counts from there) to the volume size in its descriptors, never the
 * run-out blocks or padding after it; without a file system, that data
 * track whole. session N: that session's blocks, start to the end of
 * its volume. track N: the same for one track. all: from the first data
 * track to the end of the last. 0 with *first and *count set, or -1
 * after a message with *status set (3: no data there, an audio CD;
 * 1: a volume larger than the medium, or than the track asked for,
 * holds; 2: no such session or track). */
int cdsrc_data_range(struct cdsource *s, int session, int track, int all,
                     int32_t *first, int64_t *count, int *status);

/* The blocks a copy could not read, as ranges, said the same way by every
 * kind of copy (data, audio, --image). */
struct cdsrc_bad {
	int64_t (*r)[2]; /* first, count */
	size_t n, cap;
	int64_t blocks; /* all of them */
};

void cdsrc_bad_add(struct cdsrc_bad *b, int64_t lba);

/* Say the ranges on stderr ("blocks that could not be read:", then one a
 * line) and write them to f ("FIRST COUNT" a line; f is closed, file
 * names it in messages), then how many blocks could not be read (zeros
 * in their place with noerror: a damaged copy). Frees the ranges (blocks
 * stays). 0, or 1 when there were some (or f could not be written). */
int cdsrc_bad_report(const struct cdsource *s, struct cdsrc_bad *b, FILE *f,
                     const char *file, int noerror);

/* A range to copy: blocks [first, first + count), of which those outside
 * every data track (a gap between sessions, an audio track of a CD Extra)
 * are written as zeros, said once. */
struct cdsrc_copy {
	int32_t first;
	int64_t count;
	int noerror;           /* unreadable blocks become zeros; go on */
	int trim_runout;       /* unreadable blocks at a data track's very end
	                          (the run-out of a TAO track) are left out, said,
	                          and are no error (--all); never blocks of the
	                          track's ISO 9660 volume */
	const char *bad_list;  /* write the unreadable ranges here */
	int progress;          /* enum progress_mode */
	struct digest *digest; /* or NULL */
	int out;               /* where to write */

	/* results */
	int64_t written; /* blocks written */
	int64_t bad;     /* blocks that could not be read */
	int64_t zeros;   /* blocks written as zeros that are no data */
	int64_t trimmed; /* run-out blocks left out */
};

/* Copy the range to c->out with retries and the bad-block rules:
 * without noerror the copy stops at the first block that cannot be read
 * (named, with what was written so far); with it, the block is written
 * as zeros and every bad range is listed at the end. Returns the exit
 * status: 0, 1 (a block unreadable, a write failed, a bad_list that
 * cannot be written: said before any block is read), or 2 when c->out
 * is the image being read (its file, or the BIN of a CUE sheet), before
 * anything is read. */
int cdsrc_copy(struct cdsource *s, struct cdsrc_copy *c);

#endif
