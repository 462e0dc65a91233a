/* burn: writing one data track to a drive with libburn: the FIFO, progress
 * on stderr, simulation, cancelling on SIGINT/SIGTERM, the check that an
 * ISO session is addressed for the place it goes, and multisession on
 * overwriteable media and image files emulated as growisofs does (the new
 * session at the next 32 KiB boundary, then all of its volume descriptors
 * copied to block 16 with the volume size made to count from block 0, so
 * that every reader sees the newest tree in Rock Ridge and in Joliet). */
#ifndef CDPIPE_BURN_H
#define CDPIPE_BURN_H

#include <stdint.h>
#include <sys/types.h>

#include "device.h"
#include "media.h"
#include "progress.h"
#include "tocsheet.h"

struct burn_job {
	int fd;                  /* the track's data */
	/* or a function that gives it, as read(2) would (cdtape: its header
	 * and the hashed input, with no pipe between); it sees a cancel
	 * (burn_cancel_signal) itself; fd is then -1 */
	ssize_t (*read)(void *arg, void *buf, size_t len);
	void *read_arg;
	const char *name;        /* for messages: a path or "standard input" */
	off_t size;              /* bytes, or -1 when unknown (a pipe) */
	int multi;               /* -multi: leave write-once media appendable */
	int dummy;               /* -dummy: simulate, write nothing */
	int pad_blocks;          /* zeros after the track */
	int burnfree;            /* driveropts=burnfree */
	int sao;                 /* -sao/-dao instead of TAO */
	int force;               /* -force: skip the addressing check */
	int verify;              /* --verify: read back and compare */
	int fifo_mb;             /* fs= in MiB */
	int speed_kb;            /* speed= in kB/s, 0 for the fastest */
	int64_t capacity_blocks; /* capacity=: an image file's emulated size */
	int tsize_given;         /* size is the user's tsize=, not a file's */
	int wait;                /* --wait: for another writer of the file */
	int no_hold;             /* write the first blocks first (cdtape:
	                          * its header says "unfinished" at once) */
	enum progress_mode progress;
	const char *progress_what; /* names the progress line: "volume 2" */
	int verbose;
	/* an audio CD's: the media catalogue number ("" none), CD-TEXT as
	 * packs (textfile=) or as the disc's items (a TOC's CD_TEXT), and
	 * the pack file they came from (copied beside a CUE image) */
	char mcn[14];
	unsigned char *text_packs;
	int num_packs;
	const char *textfile;
	char *const *text; /* TOC_TEXT_N items or NULL (tocsheet.h) */
};

/* A track of a session of several, or of audio: the data (a file or
 * standard input, read as it is; audio samples with any header skipped)
 * and what it is. */
struct session_track {
	const char *name; /* for messages */
	int fd;
	off_t size; /* bytes, -1 unknown */
	int audio;  /* CD audio, else a data track (mode 1) */
	int swap;   /* audio: swap byte pairs to get little-endian */
	char isrc[13]; /* audio: "" or CCOOOYYSSSSS */
	/* a track of a TOC file: read from its pieces, not from fd, with
	 * its pre-gap, indexes, flags and CD-TEXT */
	const struct toc_track *toc;
};

/* Write a session of audio and data tracks (cdrecord's -audio, several
 * tracks in one run) with libburn: audio needs a CD-R or CD-RW. On an
 * image file whose name ends in .cue the audio tracks are written as a
 * CUE/BIN image instead (lib/cueimage.c). Returns the exit status. */
int burn_session(struct device *dev, struct burn_job *j,
                 struct session_track *t, int n);

/* Write a CD image (a CUE sheet and the files it names, as cdwrite -audio
 * dev=NAME.cue or cdrdao make them) to a CD-R or CD-RW, session at once;
 * libburn reads the sheet first, so a sheet it cannot use is an error
 * (exit 1) before the drive is touched. Returns the exit status. */
int burn_cue_image(struct device *dev, struct burn_job *j, const char *cue);

/* Write the track. Returns the exit status (0, 1, 3, 4, or 128+signal
 * after a cancel), after messages.
 *
 * What is already on the medium is never lost: an image file is locked
 * (device_lock) from the volume descriptors read ahead to the end, and
 * looked at again under the lock. An ISO session is written only where
 * it was made for (the blocks its descriptors point to), and only whole:
 * the volume size in its descriptor is the least the input must give.
 * Its descriptors are written last, after the data is on the medium
 * (fsync): for a later session the copy to block 16, for a first one
 * on overwriteable media or an image file its first 32 blocks, written
 * as zeros until then. A write that fails leaves an image file as it
 * was (its length too, or not there), the earlier sessions the newest. */
int burn_track(struct device *dev, struct burn_job *job);

/* Make an overwriteable medium or image file blank again (blank=fast:
 * the volume descriptors are overwritten; an image file locked as for
 * writing, waited for with wait), or blank real media with libburn.
 * Returns the exit status. */
int burn_blank(struct device *dev, int fast, int dummy, int wait, int verbose);

/* -format: DVD-RW (to restricted overwrite), DVD+RW, DVD-RAM and BD-RE;
 * one formatted already only with force. Image files need none (a note,
 * status 0). Returns the exit status: 3 for media that cannot be
 * formatted (a CD-RW is blanked instead). */
int burn_format(struct device *dev, int force, int dummy, int verbose);

/* The CD-TEXT packs of the session: textfile='s, or made by libburn of
 * the items of j->text and the tracks' TOC CD_TEXT; none (*num 0) when
 * there are none. 0, or -1 after a message. Free *packs. */
int burn_text_packs(const struct burn_job *j, const struct session_track *t,
                    int n, unsigned char **packs, int *num);

/* Set by burn_catch_signals's handler: cancel what is under way. */
extern volatile int burn_cancel_signal;

/* For a signal handler about to end the program (a second signal): an
 * image file being written is put back as it was, its length or not
 * there; async-signal-safe. */
void burn_put_back(void);

/* The writers' signals (cdwrite, cdtape save): the first SIGINT, SIGTERM
 * or SIGHUP sets burn_cancel_signal, and what is under way stops cleanly
 * (libburn's write is cancelled; the program then says what is left and
 * ends of the signal); a second ends the program at once, an image file
 * put back (burn_put_back). SIGXFSZ is ignored: past a file size limit
 * a write fails with EFBIG and is said, not a death without a word. The
 * handler does not restart system calls: a read that waits is
 * interrupted (EINTR). */
void burn_catch_signals(void);

/* Wait until fd (a pipe, FIFO or terminal: a regular file is ready at
 * once) has input or its end, seeing a cancel every 200 ms: 1 there is
 * something to read(2), 0 cancelled. A read that blocks sees the signal
 * only if the signal reaches its own thread; libburn's threads may take
 * it instead. */
int burn_wait_input(int fd);

#endif
