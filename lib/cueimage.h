/* cueimage: a CD with audio tracks as an image: NAME.bin with the raw
 * sectors (2352 bytes each, 16-bit little-endian stereo, the last sector
 * of each track filled up with silence) and NAME.cue describing the tracks
 * (gapless, as -sao writes them). libcdio, cdrdao and most CD tools read
 * the pair as a disc, and cdwrite (burn_cue_image) or cdrdao writes it to a
 * CD-R. */
#ifndef CDPIPE_CUEIMAGE_H
#define CDPIPE_CUEIMAGE_H

#include "burn.h"

/* Write the tracks (audio only) as the image cue names; its .bin beside
 * it. An image that is there already is left alone (exit 3). Nothing is
 * left behind when writing fails or is cancelled. Returns the exit
 * status. */
int cue_write(const char *cue, struct session_track *t, int n,
              const struct burn_job *j);

#endif
