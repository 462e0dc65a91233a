/* mmcread: reading 2048-byte blocks from an optical drive with the MMC
 * READ(10) command, sent through libcdio (SG_IO on Linux), for every
 * program that reads a drive (cdread, isoinfo).
 *
 * Why not cdio_read_data_sectors: on Linux, libcdio 2.1 reads data
 * sectors through the block device, in the page cache's 4 KiB pages, and
 * a read of several blocks that meets an unreadable one came back as a
 * success with wrong bytes in its place (measured with vmdrive
 * --bad-blocks: a 8-block read over bad block 100 returned exit 0 and
 * other data at block 100; a 1-block read of good block 101 failed,
 * because it shares a page with 100). READ(10) asks the drive for exactly
 * those blocks and gets its answer: an error is an error, for that block
 * alone. It works on CDs, DVDs and BDs alike (READ CD is for CDs only). */
#ifndef CDPIPE_MMCREAD_H
#define CDPIPE_MMCREAD_H

#include <cdio/cdio.h>
#include <stddef.h>
#include <stdint.h>

/* Read n blocks of 2048 bytes at lba (n at most 65535). 0, or -1 with
 * errno EIO and, when the drive said why, its sense in why ("medium
 * error", "LBA out of range", ...; may be NULL). */
int mmc_read_blocks(CdIo_t *p, int32_t lba, uint32_t n, void *buf, char *why,
                    size_t wlen);

#endif
