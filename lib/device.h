/* device: drive addresses and opening drives with libburn. cdrecord's
 * forms are understood: /dev/srN, /dev/sgN, Bus,Target,Lun (dev=0,6,0),
 * ATA:/ATAPI:B,T,L, stdio:PATH and a plain path to an image file (the same
 * as stdio:PATH). With no address, $CDPIPE_DEVICE, else the only drive
 * there is. A wrong address gets the list of drives that exist. */
#ifndef CDPIPE_DEVICE_H
#define CDPIPE_DEVICE_H

#include <libburn/libburn.h>
#include <stddef.h>
#include <stdio.h>

struct device {
	struct burn_drive_info *info;
	struct burn_drive *drive;
	char adr[BURN_DRIVE_ADR_LEN]; /* libburn's address */
	const char *given;            /* as the user named it */
	int lock_fd;                  /* an image file's lock, or -1 */
	int created;                  /* the image file did not exist */
};

/* Start libburn (messages of severity SORRY and worse on stderr with the
 * program's name; more with verbose). */
void device_init(int verbose);
void device_finish(void);

/* The drive as messages name it: as the user gave it, else libburn's. */
static inline const char *device_name(const struct device *dev)
{
	return dev->given ? dev->given : dev->adr;
}

/* An image file named NAME.cue: a CD image (lib/cueimage.c) */
int device_is_cue(const struct device *dev);

/* device_resolve's flags */
enum {
	DEVICE_CREATE = 0,   /* an image file that is not there is one to
	                      * write (cdwrite) */
	DEVICE_EXISTING = 1, /* it is no medium: exit 3 (readers) */
};

/* Turn an address as the user gives it into libburn's. 0, or -1 with a
 * message (and the drives listed) and *status set: 2 for no address
 * and no single drive, 3 for no such drive or image file (with
 * DEVICE_EXISTING) or a directory, 1 otherwise. */
int device_resolve(const char *given, char adr[BURN_DRIVE_ADR_LEN], int flags,
                   int *status);

/* Resolve and grab. 0, or -1 after a message; *status: 1, 2 or 3. */
int device_open(struct device *dev, const char *given, int flags, int *status);

/* Where an address leads, for a program that reads the medium itself
 * rather than through libburn (isoinfo): "-" is standard input (returned
 * as "-"); a drive in any of its forms is its device node (Bus,Target,
 * Lun and ATA: found through libburn); stdio:PATH and a plain path are
 * that file or block device. *drive is set when path is a drive (the
 * kernel's sr driver's node, whatever its name). With no address:
 * $CDPIPE_DEVICE, else the only drive there is. The same forms, messages and
 * exit statuses as device_resolve with DEVICE_EXISTING. 0, or -1 after a
 * message with *status set. */
int device_locate(const char *given, char *path, size_t len, int *drive,
                  int *status);

/* Is path (after symlinks) an optical drive's device node? 1 or 0. */
int device_is_optical(const char *path);
void device_close(struct device *dev, int eject);

/* Lock an image file (a stdio: drive that is a regular file, or none
 * yet) against other programs, cdpipe's and any that take OFD or POSIX
 * locks: exclusive to write, shared to read, held until device_close. A
 * real drive needs none (libburn opens it exclusively), nor does a pipe.
 * Readers wait for a writer to end (saying so once); a writer waits for
 * readers, and for another writer only with wait, else it is refused.
 * The drive is grabbed again under the lock, so that libburn sees the
 * file as it is now. 0, or -1 after a message with *status set (3:
 * busy; 128+N: a wait cancelled by signal N, burn_cancel_signal). */
int device_lock(struct device *dev, int exclusive, int wait, int *status);

/* An image file under device_lock is still the file its path names: 1,
 * or 1 when there is no lock (a drive, -dummy); 0 when the file was
 * removed or another was put in its place meanwhile, so that what is
 * written goes to a file no one can open. */
int device_file_kept(const struct device *dev);

/* The same for a path (isomk -M reading an image file): the locked file
 * descriptor, -2 when path is no regular file (no lock needed), -1 after a
 * message and *status set. */
int device_lock_path(const char *path, int exclusive, int wait, int *status);

/* Is the drive a pipe (stdio:/dev/stdout, a FIFO) whose reader has gone
 * away? 1 or 0. */
int device_reader_gone(const struct device *dev);

/* Release and grab the drive again, so that libburn learns what was
 * written behind its back (an image file grown by cdwrite itself). */
int device_regrab(struct device *dev);

/* Print what libburn had to say since the last call, as advice a person
 * can act on where the message is known (no medium, wrong medium, OPC
 * failure, buffer underrun, a write refused); libburn's own words, with
 * any SCSI sense data, only with verbose. Returns how many problems
 * (SORRY or worse) there were. */
int device_messages(int verbose);

/* Scan for drives (waiting for libburn's scan to finish). Returns how many
 * were found; *info is to be freed with burn_drive_info_free when any. */
int device_scan(struct burn_drive_info **info, unsigned int *n);

/* Can the drive write? 1 or 0; buf gets the media it writes, by MMC
 * profile name ("CD-R CD-RW DVD+RW ..."), or "image file". */
int device_writes(const struct burn_drive_info *info, char *buf, size_t len);

/* One line a drive: its dev= addresses (path and Bus,Target,Lun), vendor,
 * product, revision and what it writes. Returns how many drives. */
int device_print_drives(FILE *to);

/* List the drives there are on stderr, with their dev= addresses. */
void device_list(void);

#endif
