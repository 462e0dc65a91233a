/* cdimage: a whole disc as an image, for cdread --image DIR/NAME, the
 * way cdrdao read-cd copies a disc: DIR/NAME.bin holds every sector from
 * block 0 to the lead-out as 2352 raw bytes (audio little-endian, data as
 * MODE1/2352 or MODE2/2352 sectors with sync, header, EDC and ECC),
 * DIR/NAME.cue and DIR/NAME.toc (cdrdao's format) describe it: tracks
 * and modes, pregaps, the catalogue number (MCN), ISRCs, copy and
 * pre-emphasis flags, CD-TEXT. A pregap that is on the disc (the audio
 * between the tracks of a CD with no pause between them) is in the BIN,
 * as INDEX 00 (START in the TOC), so that nothing between the tracks is
 * lost; the first track's two seconds before block 0 are not.
 *
 * libcdio opens NAME.cue with NAME.bin beside it whatever its FILE line
 * says; the sheets name the BIN without a directory, so that cdrdao and
 * cdwrite find it beside them. NAME.toc is cdrdao's: libcdio 2.1 (and so
 * cdread and cd-info) reads none of its FILE ... SWAP #offset, nor
 * DATAFILE, which cdrdao needs for a BIN (a copy is read as NAME.cue).
 * A track of no blocks is refused: no CD has one, and cdrdao takes a
 * length of 0 as "to the end of the file". The sheets' CD-TEXT is
 * ISO-8859-1, as libcdio and cdrdao read it; the sheets are written
 * under other names and linked into place whole.
 *
 * Data sectors are read raw where the source gives them (a CD image's
 * BIN, READ CD from a drive), checked by their header; else they are
 * made from the 2048 user bytes (MODE1 only: a MODE2 sector's subheader
 * is not in them). */
#ifndef CDPIPE_CDIMAGE_H
#define CDPIPE_CDIMAGE_H

#include "cdaudio.h"
#include "cdsource.h"

#include <stdint.h>

/* Write the disc as name.bin, name.cue and name.toc, reading audio with
 * o's paranoia mode, bad-block rules, progress and digest (of the BIN).
 * Files that are there already are left alone (exit 3); a failure or a
 * signal removes what was being written (SIGKILL can leave a part of the
 * BIN, never a sheet that is not whole: the sheets come after the whole
 * BIN). A NAME with a quote or a control character is exit 2; a track
 * of no blocks, a data track whose ISO 9660 volume ends past it (a
 * truncated image file) and a CD image's data track that is not of raw
 * sectors are exit 1. Returns the exit status. */
int cdimage_write(struct cdsource *s, const char *name,
                  const struct cdaudio_track *o);

#endif
