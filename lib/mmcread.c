/* mmcread: READ(10) from a drive. See mmcread.h. */
#include "mmcread.h"

#include <cdio/mmc.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *sense_text(int key, int asc)
{
	if (key == 3)
		return "medium error (the disc cannot be read there)";
	if (key == 5 && asc == 0x21)
		return "logical block address out of range";
	if (key == 2)
		return "not ready (no medium?)";
	if (key == 4)
		return "hardware error";
	if (key == 6)
		return "unit attention (medium changed?)";
	return NULL;
}

int mmc_read_blocks(CdIo_t *p, int32_t lba, uint32_t n, void *buf, char *why,
                    size_t wlen)
{
	mmc_cdb_t cdb = {{0}};
	uint32_t a = (uint32_t)lba;
	driver_return_code_t r;

	if (why && wlen)
		why[0] = '\0';
	if (lba < 0 || n == 0 || n > 0xffff) {
		errno = EINVAL;
		return -1;
	}
	cdb.field[0] = CDIO_MMC_GPCMD_READ_10;
	cdb.field[2] = (unsigned char)(a >> 24);
	cdb.field[3] = (unsigned char)(a >> 16);
	cdb.field[4] = (unsigned char)(a >> 8);
	cdb.field[5] = (unsigned char)a;
	cdb.field[7] = (unsigned char)(n >> 8);
	cdb.field[8] = (unsigned char)n;
	r = mmc_run_cmd(p, 30000, &cdb, SCSI_MMC_DATA_READ, n * 2048u, buf);
	if (r == DRIVER_OP_SUCCESS)
		return 0;
	if (why && wlen) {
		cdio_mmc_request_sense_t *s = NULL;
		int len = mmc_last_cmd_sense(p, &s);

		if (len >= 14 && s) {
			const char *t = sense_text(s->sense_key, s->asc);

			if (t)
				snprintf(why, wlen, "%s", t);
			else
				snprintf(why, wlen,
				         "sense key %x, asc %02x, ascq %02x",
				         s->sense_key, s->asc, s->ascq);
		}
		free(s);
	}
	errno = EIO;
	return -1;
}
