/* cdaudio: reading the audio (CD-DA) sectors of a disc or a CD image, for
 * cdread --track N of an audio track and cdread --image. A drive is read
 * through libcdio-paranoia (full paranoia unless asked otherwise, as
 * cdrdao read-cd does), an image straight with cdio_read_audio_sectors
 * (there is no jitter or scratch in a file) unless a paranoia mode is
 * asked for. Sectors come out as a BIN holds them: 2352 bytes, 16-bit
 * little-endian stereo samples.
 *
 * Paranoia modes are cdrdao's --paranoia-mode: 0 no checking (the data
 * as the drive gives it), 1 overlapped reading against jitter, 2 that
 * and verification of the data read, 3 full paranoia (also scratch
 * detection and repair). A sector that cannot be read (or that paranoia
 * gave up on) follows the bad-block rules of a data copy (cdsrc_copy):
 * the copy stops there, or with noerror it becomes silence and is listed
 * at the end. libcdio-paranoia itself never gives up on a sector that
 * cannot be read (modes 1-3 re-read it without end: measured with
 * t/helper/eioread.c, no sector after it in 5 minutes), so its reads go
 * through a guard that tries each sector of a failed read alone, with
 * the source's retries, and gives paranoia silence for one that still
 * fails, which is then that sector's read error. */
#ifndef CDPIPE_CDAUDIO_H
#define CDPIPE_CDAUDIO_H

#include "cdsource.h"

#include <stdint.h>

#define CDAUDIO_SECTOR 2352

struct cdrom_drive_s;
struct cdrom_paranoia_s;

struct cdaudio {
	struct cdsource *s;
	int mode;    /* paranoia mode 0..3, or -1: straight reads */
	int noerror; /* unreadable sectors become silence; go on */
	struct cdrom_drive_s *drive;
	struct cdrom_paranoia_s *p;
	int32_t next;      /* where paranoia reads next */
	/* sectors the drive could not read with the source's retries, that
	 * paranoia was given as silence (cdaudio.c: guarded_read) */
	int32_t *unread;
	size_t nunread, capunread;
	long (*drive_read)(struct cdrom_drive_s *, void *, int32_t, long);
	struct cdsrc_bad bad; /* unreadable sectors */
};

/* Prepare reading audio from s. mode: 0..3, or -1 for the default (3 on
 * a drive, straight reads from an image). libcdio-paranoia is started at
 * the first audio sector read (it does not take a disc without audio; a
 * failure to start it is that read's). 0, or -1 after a message. */
int cdaudio_open(struct cdaudio *a, struct cdsource *s, int mode, int noerror);
void cdaudio_close(struct cdaudio *a);

/* Read n audio sectors from lba into buf (n * 2352 bytes), with the
 * source's retries. 0; or -1 after a message naming the sector that
 * cannot be read (without noerror; with it such a sector is silence and
 * counted, and the read succeeds). */
int cdaudio_read(struct cdaudio *a, int32_t lba, uint32_t n,
                 unsigned char *buf);

/* Note an unreadable block (the list cdaudio_report says). */
void cdaudio_bad(struct cdaudio *a, int64_t lba);

/* Say the unreadable ranges on stderr, and write them to file ("FIRST
 * COUNT" a line; made empty when there are none) when it is not NULL.
 * 0, or 1 when there were some. */
int cdaudio_report(struct cdaudio *a, const char *file);

/* The 44-byte RIFF/WAVE header of 16-bit 44.1 kHz stereo data of len
 * bytes. */
void cdaudio_wave_header(unsigned char h[44], uint32_t len);

/* cdread --track N of an audio track: write it to out as WAVE, or raw
 * (2352-byte sectors) with raw set. The digest, when given, is of all
 * that is written (the WAVE header too: md5sum of the file). Returns the
 * exit status. */
struct cdaudio_track {
	int track;
	int mode; /* paranoia: -1 default, 0..3 */
	int raw;
	int noerror;
	const char *bad_list;
	int progress;          /* enum progress_mode */
	struct digest *digest; /* or NULL */
	int out;
	int verbose;
};
int cdaudio_track(struct cdsource *s, const struct cdaudio_track *o);

#endif
