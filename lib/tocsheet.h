/* tocsheet: a cdrdao TOC file read as the audio tracks of a CD, for
 * cdwrite to write as it writes -audio tracks (to a CD-R, or as a CUE/BIN
 * image): per track the pieces of data it is made of (FILE / AUDIOFILE /
 * DATAFILE parts of files, SILENCE, ZERO, PREGAP), its pre-gap (START),
 * index marks, ISRC, copy and pre-emphasis flags and CD-TEXT; for the disc
 * the media catalogue number and CD-TEXT. The meaning is cdrdao(1)'s:
 * lengths in samples (1/44100 s) or MM:SS:FF blocks, a #N byte offset,
 * FILE names relative to the TOC file's own directory (as cdrdao takes
 * them, not the current directory as libcdio 2.1 does), .wav files by
 * their WAVE header (little-endian), raw files big-endian as cdrdao reads
 * them ("MSBLeft LSBLeft MSBRight LSBRight", cdrdao(1)) unless the FILE
 * says SWAP (little-endian: a BIN, cdread --image's TOC). The disc holds
 * little-endian samples: big-endian pieces are swapped on the way.
 *
 * Why not libcdio's TOC driver (cdio_open(path, DRIVER_CDRDAO)), measured
 * on its own test files with cd-info 2.1.0 against cdrdao show-toc: it
 * puts cdda.toc's track 1 at LSN -125 (it takes DATAFILE's length as the
 * track's address), t5.toc's FILE start 1:0:0 as the disc address 4500,
 * a track of SILENCE 1:0:0 as 2 sectors long, ignores INDEX, reads every
 * track's audio from the first track's file at LSN * 2352 whatever the
 * offsets, and opens FILE names relative to the current directory. A disc
 * written from that would be wrong; cdrdao reads each of these right.
 * This parser is bounded (lines, tokens, 99 tracks, 99 indexes) and says
 * which line it cannot read. */
#ifndef CDPIPE_TOCSHEET_H
#define CDPIPE_TOCSHEET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The most sectors a CD holds: its lead-out, 2 s after the first
 * track's address, must be an MSF time, 99:59:74 at most. */
#define TOC_MAX_SECTORS (100 * 60 * 75 - 150 - 1)

/* The CD-TEXT items a sheet names, in pack type order (0x80 + n; the
 * last is pack type 0x8e: the disc's UPC/EAN, a track's ISRC). */
enum {
	TOC_TITLE,
	TOC_PERFORMER,
	TOC_SONGWRITER,
	TOC_COMPOSER,
	TOC_ARRANGER,
	TOC_MESSAGE,
	TOC_DISC_ID,
	TOC_UPC_ISRC,
	TOC_TEXT_N
};

/* The CUE sheet and TOC keyword of each item (UPC_EAN for the disc; a
 * track's is ISRC), and its libburn pack type. */
extern const char *const toc_text_key[TOC_TEXT_N];
extern const int toc_text_pack[TOC_TEXT_N];

/* A piece of a track: bytes of a file, or zeros (path NULL). */
struct toc_piece {
	char *path;    /* resolved against the TOC's directory */
	off_t offset;  /* where the bytes start in the file */
	int64_t bytes; /* how many */
	int swap;      /* big-endian samples: swap each byte pair */
};

struct toc_track {
	struct toc_piece *piece;
	int npiece;
	int64_t bytes;     /* all pieces */
	int64_t pregap;    /* sectors of index 0 at its start (START, PREGAP) */
	int64_t index[98]; /* index 2.. in sectors after index 1 */
	int nindex;
	int copy, preemph; /* the COPY and PRE_EMPHASIS flags */
	char isrc[13];     /* "" for none */
	char *text[TOC_TEXT_N];
};

struct toc_sheet {
	struct toc_track track[99];
	int n;
	char mcn[14]; /* CATALOG, "" for none */
	char *text[TOC_TEXT_N];
};

/* Read the TOC file path. 0, or the exit status (1: a file that cannot
 * be read, a line that is no cdrdao TOC, a track that is not AUDIO, a
 * data file that is missing or shorter than the sheet says) with the
 * reason in err. */
int toc_read(const char *path, struct toc_sheet *s, char *err, size_t elen);
void toc_free(struct toc_sheet *s);

/* Reading a track's data, piece after piece, zeros where it says so. */
struct toc_reader {
	const struct toc_track *t;
	int i;        /* the piece */
	int64_t done; /* bytes of it given */
	int fd;
};

void toc_reader_init(struct toc_reader *r, const struct toc_track *t);
/* Up to len bytes as the disc has them (little-endian samples); 0 at the
 * end of the track; -1 with errno. */
ssize_t toc_reader_read(struct toc_reader *r, unsigned char *buf, size_t len);
void toc_reader_close(struct toc_reader *r);

/* Is s the ISRC form CCOOOYYSSSSS (country and owner letters or digits,
 * year and serial digits)? */
int toc_isrc_ok(const char *s);

#endif
