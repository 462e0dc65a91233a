/* isomd5-check: calls lib/isomd5 on an image file, for t/t0410-isomd5.sh.
 *
 *   isomd5-check [--bad-block N] [--blocks N] IMAGE
 *
 * reads IMAGE's 2048-byte blocks with pread (all of the file, or the
 * first N; --blocks 0: up to the volume size at block 16), says what
 * isomd5_report says and exits with its status. --bad-block N makes
 * every read that touches block N fail, as an unreadable sector of a
 * disc does. Then one line on stdout per session, for the test to
 * compare: "START STATE TAG_LBA BAD_FROM BAD_TO". */
#include "config.h"

#include "cli.h"
#include "isomd5.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct image {
	int fd;
	int64_t bad; /* the block that cannot be read, or -1 */
};

static int read_image(void *ctx, uint32_t lba, uint32_t n, unsigned char *buf)
{
	struct image *im = ctx;
	size_t len = (size_t)n * 2048;
	ssize_t got;

	if (im->bad >= 0 && (int64_t)lba <= im->bad &&
	    im->bad < (int64_t)lba + n)
		return -1;
	got = pread(im->fd, buf, len, (off_t)lba * 2048);
	if (got < 0)
		return -1;
	/* past the end of the file: as a medium, nothing there */
	if ((size_t)got < len)
		return -1;
	return 0;
}

static const char *state_name(enum isomd5_state st)
{
	static const char *names[] = {"good", "bad", "damaged", "truncated",
	                              "superseded"};

	return names[st];
}

int main(int argc, char **argv)
{
	struct image im = {.fd = -1, .bad = -1};
	struct isomd5_result res;
	uint64_t blocks = UINT64_MAX, v;
	struct stat st;
	int i, status;

	cd_set_prog(argv[0]);
	for (i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--bad-block") == 0 &&
		    cd_parse_uint(argv[i + 1], UINT32_MAX, &v) == 0)
			im.bad = (int64_t)v;
		else if (strcmp(argv[i], "--blocks") == 0 &&
		         cd_parse_uint(argv[i + 1], UINT32_MAX, &v) == 0)
			blocks = v;
		else
			break;
	}
	if (i + 1 != argc)
		cd_usage("usage: isomd5-check [--bad-block N] [--blocks N] "
		         "IMAGE");
	im.fd = open(argv[i], O_RDONLY);
	if (im.fd < 0 || fstat(im.fd, &st) < 0)
		cd_die(CD_EXIT_FAIL, "cannot open '%s': %s", argv[i],
		       strerror(errno));
	if (blocks == UINT64_MAX)
		blocks = (uint64_t)st.st_size / 2048;
	if (blocks > UINT32_MAX)
		cd_die(CD_EXIT_FAIL, "'%s' is too big", argv[i]);
	if (isomd5_check(read_image, &im, 0, (uint32_t)blocks, &res) < 0)
		cd_exit_with(CD_EXIT_FAIL);
	status = isomd5_report(&res);
	for (size_t k = 0; k < res.n; k++)
		printf("%" PRIu32 " %s %" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
		       res.s[k].start, state_name(res.s[k].state),
		       res.s[k].tag_lba, res.s[k].bad_from, res.s[k].bad_to);
	isomd5_free(&res);
	close(im.fd);
	cd_exit_with(status);
}
