/* isotrans: TRANS.TBL files, as mkisofs -T makes them: one in every
 * directory, a line for each entry that maps its ISO 9660 name (what a
 * reader without Rock Ridge or Joliet sees, "LONGFILE.TXT;1") to its real
 * name ("LongFileName.txt"):
 *
 *     F LONGFILE.TXT;1<spaces to column 210><TAB>LongFileName.txt
 *     D SUB<spaces><TAB>sub
 *     L LINK.;1<spaces><TAB>link<TAB>target
 *
 * (F file, D directory, L symbolic link, P fifo, B and C devices, S
 * socket; in the directory's record order, as genisoimage writes them).
 * libisofs chooses the ISO 9660 names only when it lays the image out, so
 * the tables are made in two steps: isotrans_add puts an empty table into
 * every directory (its own name is then reserved), the caller lays the
 * image out once and hands the first bytes of it to isotrans_fill, which
 * reads the names from the directory records and fills the tables. A
 * table's size changes no name. */
#ifndef CDPIPE_ISOTRANS_H
#define CDPIPE_ISOTRANS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <libisofs/libisofs.h>

/* An empty table named name in every directory of image; a file of that
 * name in the tree is replaced (counted in *replaced). hide_joliet: not
 * in the Joliet tree (-hide-joliet-trans-tbl). 0, or after a message -2
 * when a directory has the name (a usage error), else -1. */
int isotrans_add(IsoImage *image, const char *name, int hide_joliet,
                 time_t when, int *replaced);

/* Fill the tables from meta, the image's first len bytes as libisofs
 * writes them, whose block 0 is at LBA base (the -C address). The image
 * must have been laid out with Rock Ridge (the real names are read from
 * its NM entries). with_links: list symbolic links and special files (they
 * are in the image with Rock Ridge only). Returns 1 when done, 0 when the
 * directories reach past len (call again with more), -1 after a
 * message. *need (0 at first) is the caller's between calls: on 0 it is
 * set to the bytes the first directory found past len needs, and a call
 * with fewer returns 0 at once, instead of reading everything again. */
int isotrans_fill(IsoImage *image, const char *name, int hide_joliet,
                  time_t when, int with_links, const unsigned char *meta,
                  size_t len, uint32_t base, size_t *need);

#endif
