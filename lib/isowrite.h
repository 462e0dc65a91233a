/* isowrite: files on disk as libisofs streams, and the pump that moves a
 * libisofs image to a file descriptor.
 *
 * libisofs's writer thread reads every file 2 KiB at a time and pushes each
 * block through a mutex-locked ring buffer; measured here, a plain loop over
 * its burn_source runs about 5x slower than genisoimage (see the comment in
 * isowrite.c for what was measured and what this module does instead). In
 * the fast mode the streams made here hand libisofs a small token per block
 * instead of file data; the pump recognises the tokens in the output and
 * moves the file's bytes itself, with splice(2) to a pipe or
 * copy_file_range(2) to a file, so libisofs lays out only the metadata.
 * When libisofs must see the data (MD5 tags), the streams read the files
 * in 1 MiB steps instead. */
#ifndef CDPIPE_ISOWRITE_H
#define CDPIPE_ISOWRITE_H

#include <stdint.h>
#include <sys/stat.h>

/* libburn's struct burn_source is the one libisofs fills in */
#include <libburn/libburn.h>
#include <libisofs/libisofs.h>

#include "progress.h"

struct isowrite_tab;

struct isowrite_tab *isowrite_tab_new(void);
void isowrite_tab_free(struct isowrite_tab *tab);

/* A stream for the regular file at path, described by st (its size is
 * fixed now; a file that changes size later is reported when written).
 * The stream's id is (cdpipe, st_dev, st_ino), so hard links share data.
 * Returns 1, or a libisofs error code < 0. */
int isowrite_file_stream(struct isowrite_tab *tab, const char *path,
                         const struct stat *st, IsoStream **stream);

/* A stream for len bytes at off of the open file fd (which must stay open
 * until the image is written; it is not closed here): data made for the
 * image, such as a file compressed into a scratch file, standing for the
 * file at path (which messages name). Its id is unique. 1, or < 0. */
int isowrite_region_stream(struct isowrite_tab *tab, int fd, off_t off,
                           off_t len, const char *path, IsoStream **stream);

/* The path of the file a stream made here reads, or NULL. */
const char *isowrite_stream_path(IsoStream *s);

/* Make libisofs see the real bytes of this stream's file even in the fast
 * mode: for a file that libisofs reads itself (a boot image it patches, a
 * zisofs header it parses), not one it only copies to the output. The rest of
 * the image stays fast. Every other stream of the same file (a hard link,
 * a file grafted twice) is marked too: libisofs writes one of them.
 * Returns 1, or 0 when s is not one of these
 * streams (such a stream reads real bytes anyway). */
int isowrite_stream_real(IsoStream *s);

/* Write the image to fd. fast selects the token mode described above
 * (it must be off when libisofs computes MD5s of file contents).
 * Stores the number of bytes written. Returns 0, or -1 after a message
 * (libisofs failure or write error). Problems with single files (a file
 * that vanished, shrank or grew) are reported and raise the exit status
 * to 1, but the image is completed. */
int isowrite_run(IsoImage *image, IsoWriteOpts *opts, struct isowrite_tab *tab,
                 int fd, int fast, enum progress_mode progress,
                 uint64_t *written);

/* Lay the image out and hand its first bytes, as they come, to enough
 * (all that was read so far, file data as the fast mode's tokens), until
 * it returns 1 (enough) or -1 (an error, said) or the image ends. For
 * what libisofs decides only at layout time, such as the ISO 9660 names.
 * 0, or -1 after a message. */
int isowrite_head(IsoImage *image, IsoWriteOpts *opts, struct isowrite_tab *tab,
                  int (*enough)(const unsigned char *buf, size_t len,
                                void *ctx),
                  void *ctx);

/* The exact size in bytes that isowrite_run would write. 0 or -1. */
int isowrite_size(IsoImage *image, IsoWriteOpts *opts, uint64_t *bytes);

/* Print pending libisofs messages as ours; errors raise the exit status.
 * Warnings (a symlink left out of the Joliet tree) only when
 * isowrite_verbose is set. */
extern int isowrite_verbose;
void isowrite_flush_msgs(void);

#endif
