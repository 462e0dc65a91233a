/* isoextract: copying files out of an ISO 9660 image: one file's data
 * (all its extents) to a file descriptor, or a whole tree into a
 * directory, keeping modes, times, owners (as root), symbolic links, hard
 * links, fifos and devices (as root), as bsdtar -xpf does. The image is
 * not trusted: nothing is ever written outside the directory or through a
 * symbolic link, whatever the image says. */
#ifndef CDPIPE_ISOEXTRACT_H
#define CDPIPE_ISOEXTRACT_H

#include "isoread.h"

/* Copy e's data to out (what names out in messages), decompressed when
 * it is zisofs. 0, or -1 after a message. */
int iso_copy_file(struct iso_vol *v, const struct iso_entry *e, int out,
                  const char *what);

/* Extract the tree below subtree (NULL: all) into dir (made if missing).
 * Returns the exit status: 0, or 1 after messages about what could not be
 * extracted. */
int iso_extract_tree(struct iso_vol *v, enum iso_ns ns, const char *subtree,
                     const char *charset, const char *dir, int verbose);

#endif
