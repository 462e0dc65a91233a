/* device: addresses and drives. See device.h. */
#include "config.h"

#include "device.h"
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int up;

void device_init(int verbose)
{
	char prefix[64];

	if (up)
		return;
	if (!burn_initialize())
		cd_die(CD_EXIT_FAIL, "cannot initialise libburn");
	snprintf(prefix, sizeof prefix, "%s: libburn: ", cd_prog);
	burn_msgs_set_severities("NEVER", verbose ? "NOTE" : "SORRY", prefix);
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

void device_list(void)
{
	struct burn_drive_info *info;
	unsigned int n = 0;
	char adr[BURN_DRIVE_ADR_LEN];

	if (burn_drive_scan(&info, &n) <= 0 || n == 0) {
		fprintf(stderr,
		        "%s: no optical drives found (an image file "
		        "works as a drive: dev=stdio:FILE)\n",
		        cd_prog);
		return;
	}
	fprintf(stderr, "%s: drives:\n", cd_prog);
	for (unsigned int i = 0; i < n; i++) {
		if (burn_drive_get_adr(&info[i], adr) <= 0)
			strcpy(adr, "?");
		fprintf(stderr, "  dev=%-16s %s %s %s\n", adr, info[i].vendor,
		        info[i].product, info[i].revision);
	}
	burn_drive_info_free(info);
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

int device_resolve(const char *given, char adr[BURN_DRIVE_ADR_LEN], int *status)
{
	struct stat st;
	int b, t, l;

	*status = CD_EXIT_FAIL;
	if (!given || !*given) {
		struct burn_drive_info *info;
		unsigned int n = 0;

		given = getenv("CDPIPE_DEVICE");
		if (!given || !*given) {
			if (burn_drive_scan(&info, &n) > 0 && n == 1) {
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
	if (strlen(given) >= BURN_DRIVE_ADR_LEN - 7) {
		cd_msg("%s: address too long", given);
		return -1;
	}
	if (!strncmp(given, "stdio:", 6)) {
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
	snprintf(adr, BURN_DRIVE_ADR_LEN, "stdio:%s", given);
	return 0;
}

int device_open(struct device *dev, const char *given, int *status)
{
	memset(dev, 0, sizeof *dev);
	dev->given = given ? given : getenv("CDPIPE_DEVICE");
	if (device_resolve(given, dev->adr, status) < 0)
		return -1;
	if (burn_drive_scan_and_grab(&dev->info, dev->adr, 1) <= 0) {
		cd_msg("%s: cannot open the drive (busy, no permission, or "
		       "not there)",
		       dev->given ? dev->given : dev->adr);
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

void device_close(struct device *dev, int eject)
{
	if (dev->drive)
		burn_drive_release(dev->drive, eject);
	if (dev->info)
		burn_drive_info_free(dev->info);
	dev->drive = NULL;
	dev->info = NULL;
}
