/* device: addresses and drives. See device.h. */
#include "config.h"

#include "device.h"
#include "burn.h"
#include "cli.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

static int up;
static int chatty; /* device_init's verbose */

void device_init(int verbose)
{
	char prefix[64];

	if (up)
		return;
	if (!burn_initialize())
		cd_die(CD_EXIT_FAIL, "cannot initialise libburn");
	snprintf(prefix, sizeof prefix, "%s: libburn: ", cd_prog);
	/* queued, and said by device_messages in words a person can use */
	burn_msgs_set_severities(verbose ? "NOTE" : "SORRY", "NEVER", prefix);
	chatty = verbose;
	/* stdio: files that can only be read are drives too (msinfo) */
	burn_allow_drive_role_4(1);
	up = 1;
}

void device_finish(void)
{
	if (up)
		burn_finish();
	up = 0;
}

static const struct {
	const char *says; /* in libburn's message, any case */
	const char *advice;
} advice[] = {
    {"no medium", "there is no medium in the drive: insert a writable disc"},
    {"medium not present",
     "there is no medium in the drive: insert a writable disc"},
    {"power calibration", "the drive could not calibrate its laser for "
                          "this disc (OPC failure): try other media, or a "
                          "lower speed="},
    {"opc", "the drive could not calibrate its laser for this disc (OPC "
            "failure): try other media, or a lower speed="},
    {"underrun", "buffer underrun: the data did not come fast enough; use "
                 "driveropts=burnfree, a bigger fs=, or a lower speed="},
    {"write protect", "the medium is write-protected"},
    {"incompatible medium", "this drive cannot write this kind of medium"},
    {"unsuitable media", "this drive cannot write this kind of medium"},
    {"not suitable", "this drive cannot write this kind of medium"},
    {"busy", "the drive is busy: another program is using it (wait for it "
             "to end, or end it)"},
    {"reserve track", "the drive refused to write session at once (RESERVE "
                      "TRACK): write track at once, with -tao"},
    {"cannot write desired amount",
     "the drive or file refused the data: the medium may be damaged or "
     "full, or the file system full"},
};

static int has(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (; *text; text++)
		if (!strncasecmp(text, word, n))
			return 1;
	return 0;
}

int device_messages(int verbose)
{
	char text[BURN_MSGS_MESSAGE_LEN], sev[80];
	const char *last = NULL;
	int code, os_errno, problems = 0;

	while (burn_msgs_obtain("ALL", &code, text, &os_errno, sev) > 0) {
		const char *a = NULL;
		int bad =
		    strcmp(sev, "SORRY") == 0 || strcmp(sev, "FAILURE") == 0 ||
		    strcmp(sev, "FATAL") == 0 || strcmp(sev, "ABORT") == 0;

		if (bad)
			problems++;
		for (size_t i = 0; i < sizeof advice / sizeof advice[0]; i++)
			if (has(text, advice[i].says)) {
				a = advice[i].advice;
				break;
			}
		if (verbose || chatty || (!a && bad))
			fprintf(stderr, "%s: libburn: %s%s%s\n", cd_prog, text,
			        os_errno ? ": " : "",
			        os_errno ? strerror(os_errno) : "");
		if (a && a != last && (bad || verbose || chatty)) {
			if (os_errno)
				cd_msg("%s (%s)", a, strerror(os_errno));
			else
				cd_msg("%s", a);
			last = a;
		}
	}
	return problems;
}

int device_scan(struct burn_drive_info **info, unsigned int *n)
{
	struct timespec nap = {0, 10 * 1000 * 1000};
	int r, waited = 0;

	/* libburn scans in a thread of its own and answers 0 until it is
	 * done; asked once, it finds nothing. A minute is more than any
	 * bus of drives takes to answer. */
	*info = NULL;
	*n = 0;
	while ((r = burn_drive_scan(info, n)) == 0) {
		if (++waited == 6000) {
			cd_msg("the drive scan did not end within a minute");
			return 0;
		}
		nanosleep(&nap, NULL);
	}
	if (r < 0 || *n == 0) {
		if (*info)
			burn_drive_info_free(*info);
		*info = NULL;
		*n = 0;
		return 0;
	}
	return (int)*n;
}

/* MMC profiles a drive can write (from its profile list) */
static const int writable[] = {0x09, 0x0a, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16,
                               0x1a, 0x1b, 0x2a, 0x2b, 0x41, 0x42, 0x43};

int device_writes(const struct burn_drive_info *info, char *buf, size_t len)
{
	int profiles[64], num = 0, any;
	char current[64], name[80];
	size_t used = 0;

	buf[0] = '\0';
	any = info->write_cdr || info->write_cdrw || info->write_dvdr ||
	      info->write_dvdram || info->tao_block_types ||
	      info->sao_block_types || info->raw_block_types ||
	      info->packet_block_types;
	if (burn_drive_get_drive_role(info->drive) != 1) {
		snprintf(buf, len, "image file");
		return 1;
	}
	burn_drive_get_all_profiles(info->drive, &num, profiles, current);
	for (int i = 0; i < num && i < 64; i++)
		for (size_t k = 0; k < sizeof writable / sizeof writable[0];
		     k++)
			if (profiles[i] == writable[k] &&
			    burn_obtain_profile_name(profiles[i], name) > 0 &&
			    used + strlen(name) + 2 < len) {
				used += (size_t)snprintf(buf + used, len - used,
				                         "%s%s",
				                         used ? " " : "", name);
				any = 1;
			}
	if (any && !used)
		snprintf(buf, len, "%s%s%s%s", info->write_cdr ? "CD-R " : "",
		         info->write_cdrw ? "CD-RW " : "",
		         info->write_dvdr ? "DVD-R " : "",
		         info->write_dvdram ? "DVD-RAM" : "");
	return any;
}

int device_print_drives(FILE *to)
{
	struct burn_drive_info *info;
	unsigned int n;
	char adr[BURN_DRIVE_ADR_LEN], writes[256], scsi[64];

	if (device_scan(&info, &n) == 0)
		return 0;
	for (unsigned int i = 0; i < n; i++) {
		int bus, host, chan, target, lun;

		if (burn_drive_get_adr(&info[i], adr) <= 0)
			strcpy(adr, "?");
		scsi[0] = '\0';
		if (burn_drive_obtain_scsi_adr(adr, &bus, &host, &chan, &target,
		                               &lun) > 0)
			snprintf(scsi, sizeof scsi, " or dev=%d,%d,%d", bus,
			         target, lun);
		fprintf(to, "dev=%s%s\t'%s' '%s' '%s'\t%s%s\n", adr, scsi,
		        info[i].vendor, info[i].product, info[i].revision,
		        device_writes(&info[i], writes, sizeof writes)
		            ? "writes: "
		            : "reads only",
		        writes);
	}
	burn_drive_info_free(info);
	return (int)n;
}

void device_list(void)
{
	fflush(stdout);
	fprintf(stderr, "%s: the drives there are:\n", cd_prog);
	if (device_print_drives(stderr) == 0)
		fprintf(stderr, "  none (an image file works as a drive: "
		                "dev=stdio:FILE)\n");
}

/* "0,6,0" and "ATA:0,6,0" */
static int btl(const char *s, int *b, int *t, int *l)
{
	char end;

	if (!strncmp(s, "ATA:", 4))
		s += 4;
	else if (!strncmp(s, "ATAPI:", 6))
		s += 6;
	return sscanf(s, "%d,%d,%d%c", b, t, l, &end) == 3 ? 0 : -1;
}

/* An image file a reader is given must be there: no medium else */
static int missing_image(const char *given, const char *path, int flags,
                         int *status)
{
	struct stat st;

	if (!(flags & DEVICE_EXISTING) || stat(path, &st) == 0)
		return 0;
	if (errno == ENOENT || errno == ENOTDIR)
		cd_msg("%s: no such image file%s", given,
		       path[0] == '/' ? " or drive" : "");
	else
		cd_msg("%s: %s", given, strerror(errno));
	*status = CD_EXIT_MEDIUM;
	return 1;
}

/* An address too long for libburn, or a directory: said, 1 */
static int unusable(const char *given, int *status)
{
	const char *path = !strncmp(given, "stdio:", 6) ? given + 6 : given;
	struct stat st;

	if (strlen(given) >= BURN_DRIVE_ADR_LEN - 7) {
		cd_msg("%s: address too long", given);
		*status = CD_EXIT_FAIL;
		return 1;
	}
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		cd_msg("%s is a directory, not a drive or an image file",
		       given);
		*status = CD_EXIT_MEDIUM;
		return 1;
	}
	return 0;
}

/* dev= with nothing after it: a slip, never "the default drive" */
static int empty_address(int *status)
{
	cd_msg("an empty device address: name a drive or an image file "
	       "(cdwrite -scanbus lists the drives)");
	*status = CD_EXIT_USAGE;
	return -1;
}

int device_resolve(const char *given, char adr[BURN_DRIVE_ADR_LEN], int flags,
                   int *status)
{
	struct stat st;
	int b, t, l;

	*status = CD_EXIT_FAIL;
	if (given && !*given)
		return empty_address(status);
	if (!given) {
		struct burn_drive_info *info;
		unsigned int n = 0;

		given = getenv("CDPIPE_DEVICE");
		if (!given || !*given) {
			if (device_scan(&info, &n) == 1) {
				int r = burn_drive_get_adr(&info[0], adr);

				burn_drive_info_free(info);
				if (r > 0)
					return 0;
			} else if (n > 1) {
				burn_drive_info_free(info);
			}
			cd_msg("no device: name one with dev=ADDRESS (or set "
			       "CDPIPE_DEVICE)%s",
			       n > 1 ? "; there are several" : "");
			device_list();
			*status = CD_EXIT_USAGE;
			return -1;
		}
	}
	if (unusable(given, status))
		return -1;
	if (!strncmp(given, "stdio:", 6)) {
		if (missing_image(given, given + 6, flags, status))
			return -1;
		strcpy(adr, given);
		return 0;
	}
	if (btl(given, &b, &t, &l) == 0) {
		if (burn_drive_convert_scsi_adr(b, -1, -1, t, l, adr) > 0)
			return 0;
		cd_msg("%s: no drive at SCSI bus %d, target %d, lun %d", given,
		       b, t, l);
		device_list();
		*status = CD_EXIT_MEDIUM;
		return -1;
	}
	if (stat(given, &st) == 0 &&
	    (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)) &&
	    strncmp(given, "/dev/null", 9) != 0) {
		if (burn_drive_convert_fs_adr((char *)given, adr) > 0)
			return 0;
		cd_msg("%s: not an optical drive libburn can use", given);
		device_list();
		*status = CD_EXIT_MEDIUM;
		return -1;
	}
	/* an image file, existing or not: a drive of its own */
	if (missing_image(given, given, flags, status))
		return -1;
	snprintf(adr, BURN_DRIVE_ADR_LEN, "stdio:%s", given);
	return 0;
}

int device_is_optical(const char *path)
{
	struct stat st;

	/* the kernel's SCSI CD-ROM driver (sr): block major 11, whatever
	 * the node or a symlink to it (/dev/cdrom, /dev/dvd) is called */
	return stat(path, &st) == 0 && S_ISBLK(st.st_mode) &&
	       major(st.st_rdev) == 11;
}

int device_locate(const char *given, char *path, size_t len, int *drive,
                  int *status)
{
	char adr[BURN_DRIVE_ADR_LEN];
	const char *p;
	int b, t, l, r;

	*status = CD_EXIT_FAIL;
	*drive = 0;
	if (given && !*given)
		return empty_address(status);
	if (!given) {
		given = getenv("CDPIPE_DEVICE");
		if (given && !*given)
			given = NULL;
	}
	if (given && !strcmp(given, "-")) {
		snprintf(path, len, "-");
		return 0;
	}
	/* the forms only libburn knows (and no address: the only drive) go
	 * through device_resolve; a path is taken as it is */
	if (!given || btl(given, &b, &t, &l) == 0) {
		device_init(0);
		r = device_resolve(given, adr, DEVICE_EXISTING, status);
		device_finish();
		if (r < 0)
			return -1;
		p = adr;
	} else {
		if (unusable(given, status))
			return -1;
		p = given;
	}
	if (!strncmp(p, "stdio:", 6))
		p += 6;
	if (missing_image(given ? given : p, p, DEVICE_EXISTING, status))
		return -1;
	*drive = device_is_optical(p);
	snprintf(path, len, "%s", p);
	*status = 0;
	return 0;
}

int device_is_cue(const struct device *dev)
{
	size_t len = strlen(dev->adr);

	return !strncmp(dev->adr, "stdio:", 6) && len > 10 &&
	       !strcasecmp(dev->adr + len - 4, ".cue");
}

/* An OFD lock on the whole file (it conflicts with POSIX locks too, and
 * belongs to the open file, so two paths to one file are one lock), or
 * -1 with EAGAIN or EACCES when another holds one in the way */
static int ofd_lock(int fd, short type)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET};

	return fcntl(fd, F_OFD_SETLK, &fl);
}

/* The kind of lock that stands in the way of one of type: F_WRLCK,
 * F_RDLCK, or F_UNLCK when there is none (any more) */
static short lock_holder(int fd, short type)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET};

	if (fcntl(fd, F_OFD_GETLK, &fl) < 0)
		return F_UNLCK;
	return fl.l_type;
}

static int lock_path(const char *path, int exclusive, int wait, int *status,
                     int *created)
{
	short type = exclusive ? F_WRLCK : F_RDLCK;
	struct timespec nap = {0, 50 * 1000 * 1000};
	int said = 0;

	*created = 0;
	for (;;) {
		struct stat st, at;
		int fd;

		if (stat(path, &st) < 0) {
			/* nothing to read; a writer makes it, locked */
			if (errno != ENOENT || !exclusive)
				return -2;
			fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC,
			          0666);
			if (fd < 0 && errno == EEXIST) {
				char to[256];
				ssize_t n;

				if (lstat(path, &at) < 0 ||
				    !S_ISLNK(at.st_mode))
					continue; /* another writer made it */
				/* O_EXCL does not follow a symbolic link to
				 * nothing, and neither does cdwrite */
				n = readlink(path, to, sizeof to - 1);
				to[n > 0 ? n : 0] = '\0';
				cd_msg(
				    "%s: a symbolic link to %s, which is not "
				    "there: name the image file itself",
				    path, to);
				*status = CD_EXIT_MEDIUM;
				return -1;
			}
			*created = fd >= 0;
		} else if (!S_ISREG(st.st_mode)) {
			return -2;
		} else {
			fd = open(path,
			          (exclusive ? O_RDWR : O_RDONLY) | O_CLOEXEC);
		}
		if (fd < 0) {
			cd_msg("%s: cannot open: %s", path, strerror(errno));
			*status = CD_EXIT_FAIL;
			return -1;
		}
		while (ofd_lock(fd, type) < 0) {
			short h;

			if (errno != EAGAIN && errno != EACCES) {
				/* a file system without locks: go on without */
				cd_warn(
				    "%s: cannot lock it (%s): nothing keeps "
				    "another program from writing to it "
				    "meanwhile",
				    path, strerror(errno));
				return fd;
			}
			h = lock_holder(fd, type);
			if (h == F_UNLCK)
				continue; /* released meanwhile */
			if (exclusive && h == F_WRLCK && !wait) {
				cd_msg("busy: another program is writing to %s "
				       "(--wait waits for it to end)",
				       path);
				close(fd);
				*status = CD_EXIT_MEDIUM;
				return -1;
			}
			if (!said)
				cd_note("%s: %s: waiting", path,
				        h == F_WRLCK
				            ? "another program is writing to it"
				            : "other programs are reading it");
			said = 1;
			/* tried again every 50 ms, not F_OFD_SETLKW: a signal
			 * that came just before that call, or to another
			 * thread, would be seen only once the other program
			 * ended (a cancel from burn_catch_signals) */
			if (burn_cancel_signal) {
				cd_msg("cancelled while waiting for another "
				       "program %s %s",
				       h == F_WRLCK ? "writing to" : "reading",
				       path);
				close(fd);
				*status = 128 + abs(burn_cancel_signal);
				return -1;
			}
			nanosleep(&nap, NULL);
		}
		/* the file a writer before us removed is not the medium */
		if (fstat(fd, &at) == 0 && stat(path, &st) == 0 &&
		    at.st_dev == st.st_dev && at.st_ino == st.st_ino)
			return fd;
		close(fd);
	}
}

int device_lock_path(const char *path, int exclusive, int wait, int *status)
{
	int created;

	return lock_path(path, exclusive, wait, status, &created);
}

int device_lock(struct device *dev, int exclusive, int wait, int *status)
{
	int fd;

	*status = 0;
	if (dev->lock_fd >= 0 || strncmp(dev->adr, "stdio:", 6) != 0)
		return 0;
	fd = lock_path(dev->adr + 6, exclusive, wait, status, &dev->created);
	if (fd == -1)
		return -1;
	dev->lock_fd = fd;
	/* libburn knows the file as it was when grabbed (its length bounds
	 * what it reads): grabbed again, it sees it as it is under the lock */
	if (fd >= 0 && dev->drive && device_regrab(dev) < 0) {
		cd_msg("%s: cannot open it again under the lock",
		       device_name(dev));
		*status = CD_EXIT_FAIL;
		return -1;
	}
	return 0;
}

int device_open(struct device *dev, const char *given, int flags, int *status)
{
	memset(dev, 0, sizeof *dev);
	dev->lock_fd = -1;
	dev->given = given ? given : getenv("CDPIPE_DEVICE");
	if (device_resolve(given, dev->adr, flags, status) < 0)
		return -1;
	if (burn_drive_scan_and_grab(&dev->info, dev->adr, 1) <= 0) {
		device_messages(0);
		cd_msg("%s: cannot open the drive (busy, no permission, or "
		       "not there)",
		       device_name(dev));
		if (strncmp(dev->adr, "stdio:", 6) != 0)
			device_list();
		*status = CD_EXIT_MEDIUM;
		dev->info = NULL;
		return -1;
	}
	dev->drive = dev->info[0].drive;
	*status = 0;
	return 0;
}

int device_file_kept(const struct device *dev)
{
	struct stat st, at;

	if (dev->lock_fd < 0 || fstat(dev->lock_fd, &st) < 0)
		return 1;
	return stat(dev->adr + 6, &at) == 0 && at.st_dev == st.st_dev &&
	       at.st_ino == st.st_ino;
}

void device_close(struct device *dev, int eject)
{
	struct stat st, at;

	device_messages(0);
	if (dev->drive)
		burn_drive_release(dev->drive, eject);
	if (dev->info)
		burn_drive_info_free(dev->info);
	dev->drive = NULL;
	dev->info = NULL;
	/* an image file made for a write that wrote nothing goes again
	 * (unless another file took its name: a CUE sheet renamed there) */
	if (dev->created && dev->lock_fd >= 0 &&
	    fstat(dev->lock_fd, &st) == 0 && st.st_size == 0 &&
	    stat(dev->adr + 6, &at) == 0 && at.st_dev == st.st_dev &&
	    at.st_ino == st.st_ino)
		unlink(dev->adr + 6);
	if (dev->lock_fd >= 0)
		close(dev->lock_fd);
	dev->lock_fd = -1;
	dev->created = 0;
}

int device_reader_gone(const struct device *dev)
{
	struct stat st;
	int fd, gone;

	if (strncmp(dev->adr, "stdio:", 6) != 0 ||
	    stat(dev->adr + 6, &st) < 0 || !S_ISFIFO(st.st_mode))
		return 0;
	/* opening a FIFO to write, without waiting, fails with ENXIO when
	 * no one reads it */
	fd = open(dev->adr + 6, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENXIO;
	gone = xio_reader_gone(fd);
	close(fd);
	return gone;
}

int device_regrab(struct device *dev)
{
	if (dev->drive)
		burn_drive_release(dev->drive, 0);
	if (dev->info)
		burn_drive_info_free(dev->info);
	dev->drive = NULL;
	dev->info = NULL;
	if (burn_drive_scan_and_grab(&dev->info, dev->adr, 1) <= 0) {
		device_messages(0);
		dev->info = NULL;
		return -1;
	}
	dev->drive = dev->info[0].drive;
	return 0;
}
