/* cdtoc: the table of contents of an open source (lib/cdsource), for
 * cdread --toc and --json: what is on a disc or in an image before
 * anything is copied from it.
 *
 * The text (--toc) keeps the lines of cdrecord -toc that people and old
 * scripts know ("first: 1 last: 2", "track:   1 lba: ... (lba * 4)
 * MSF", "track:lout ...") and adds on each track line what cdrecord
 * leaves out: the session, the mode as cd-info names it, the length and
 * the pregap in blocks, the copy flag and the ISRC. Then the sessions,
 * the media catalogue number, CD-TEXT (each language block the disc
 * has, disc fields and track fields), the ISO 9660 volume and the exact
 * blocks cdread copies by default. One fact a line, "key: value".
 *
 * The JSON (--json) is one object with the same facts; its field names
 * are documented here and stay as they are (scripts read them):
 *
 *   source        the address as given
 *   kind          "drive", "image" (CUE/BIN, cdrdao TOC, NRG) or "file"
 *                 (a plain ISO image or block device)
 *   first_track, last_track, leadout (the block after the last track)
 *   sessions      [{session, first_track, last_track, start, leadout}]
 *   tracks        [{track, session, start, msf ("MM:SS:FF" of start +
 *                 150), blocks (the length), pregap (blocks before
 *                 start, in the track's index 0; 150 for track 1),
 *                 type ("audio" or "data", as msinfo --json), format
 *                 ("audio", "data", "xa", "cdi", "psx": libcdio's),
 *                 copy_permitted, preemphasis, channels (audio: 2 or
 *                 4; 0 unknown), isrc (string or null)}]
 *   mcn           the media catalogue number, or null
 *   cdtext        [] without CD-TEXT, else one object a language block:
 *                 {block (0-7), language (libcdio's name: "English",
 *                 "Unknown", ...), disc {field: string}, tracks [{track,
 *                 field: string, ...}]}; fields title, performer,
 *                 songwriter, composer, message, arranger, isrc,
 *                 upc_ean, genre, disc_id, present only when not empty;
 *                 the disc's genre_code too (a number, 1-28: the genre
 *                 list of the CD-TEXT standard, as libcdio names them)
 *   file_blocks   kind "file": the file's size in 2048-byte blocks
 *   iso_end       the end (last block + 1, counted from block 0) of the
 *                 ISO 9660 volume cdread copies by default, or null
 *   copy_first, copy_blocks  the blocks cdread without --toc copies
 *                 (cdsrc_data_range), or null (no data track)
 *
 * Blocks are 2048-byte sectors (2352 bytes raw for audio), numbered as
 * LBA (0 is 00:02:00), as cd-info's LSN column and cdrecord's lba. */
#ifndef CDPIPE_CDTOC_H
#define CDPIPE_CDTOC_H

#include "cdsource.h"

#include <stdio.h>

/* Print the table of contents of s on f: as text, or as one JSON object
 * (json). Returns the exit status: 0, or 1 when the volume descriptors
 * the copy size comes from cannot be read (said; the rest is printed). */
int cdtoc_print(struct cdsource *s, FILE *f, int json);

#endif
