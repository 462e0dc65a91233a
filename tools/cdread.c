/* cdread: read a disc, a track or a disc image 1:1 to standard output, at
 * its exact size (lib/cdsource). */
#include "config.h"

#include "args.h"
#include "cdaudio.h"
#include "cdimage.h"
#include "cdsource.h"
#include "cdtoc.h"
#include "cli.h"
#include "digest.h"
#include "isomd5.h"
#include "progress.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	O_ALL = 1,
	O_BADLIST,
	O_CHECK_MD5,
	O_COUNT,
	O_DEV,
	O_HELP,
	O_IMAGE,
	O_JSON,
	O_LBA,
	O_MD5,
	O_NOERROR,
	O_PARANOIA,
	O_PROGRESS,
	O_QUIET,
	O_RAW,
	O_RETRIES,
	O_SESSION,
	O_SHA256,
	O_TOC,
	O_TRACK,
	O_VERBOSE,
	O_VERSION,
};

/* what to read: one of these (conflict bits) */
enum { SEL_SESSION = 1, SEL_TRACK = 2, SEL_LBA = 4, SEL_ALL = 8 };
#define SEL(bit)                                                               \
	.set = (bit),                                                          \
	.noset = (SEL_SESSION | SEL_TRACK | SEL_LBA | SEL_ALL) & ~(bit)

/* sorted by name, then form (lib/args.h) */
static const struct cd_arg options[] = {
    {.name = "all", .id = O_ALL, SEL(SEL_ALL)},
    {.name = "bad-list",
     .id = O_BADLIST,
     .type = CD_ARG_STRING,
     .flags = CD_ARG_ONCE},
    {.name = "check-md5", .id = O_CHECK_MD5},
    {.name = "count",
     .id = O_COUNT,
     .type = CD_ARG_UINT,
     .min = 1,
     .max = INT32_MAX,
     .flags = CD_ARG_ONCE,
     SEL(SEL_LBA)},
    {.name = "d", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "dev", .id = O_DEV, .form = CD_ARG_KEY, .type = CD_ARG_STRING},
    {.name = "device", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "h", .id = O_HELP},
    {.name = "help", .id = O_HELP},
    {.name = "image",
     .id = O_IMAGE,
     .type = CD_ARG_STRING,
     .flags = CD_ARG_ONCE,
     .noset = SEL_SESSION | SEL_TRACK | SEL_LBA | SEL_ALL},
    /* the table of contents as JSON (--toc implied) */
    {.name = "json",
     .id = O_JSON,
     .noset = SEL_SESSION | SEL_TRACK | SEL_LBA | SEL_ALL},
    {.name = "lba",
     .id = O_LBA,
     .type = CD_ARG_UINT,
     .max = INT32_MAX,
     .flags = CD_ARG_ONCE,
     SEL(SEL_LBA)},
    {.name = "md5", .id = O_MD5},
    /* readcd's -noerror */
    {.name = "noerror", .id = O_NOERROR},
    {.name = "paranoia",
     .id = O_PARANOIA,
     .type = CD_ARG_UINT,
     .max = 3,
     .flags = CD_ARG_ONCE},
    /* cdrdao's spelling */
    {.name = "paranoia-mode",
     .id = O_PARANOIA,
     .type = CD_ARG_UINT,
     .max = 3,
     .flags = CD_ARG_ONCE},
    {.name = "progress", .id = O_PROGRESS},
    {.name = "q", .id = O_QUIET},
    {.name = "quiet", .id = O_QUIET},
    {.name = "raw", .id = O_RAW},
    {.name = "retries", .id = O_RETRIES, .type = CD_ARG_UINT, .max = 1000},
    /* readcd's retries=N */
    {.name = "retries",
     .id = O_RETRIES,
     .form = CD_ARG_KEY,
     .type = CD_ARG_UINT,
     .max = 1000},
    {.name = "session",
     .id = O_SESSION,
     .type = CD_ARG_UINT,
     .min = 1,
     .max = 99,
     .flags = CD_ARG_ONCE,
     SEL(SEL_SESSION)},
    {.name = "sha256", .id = O_SHA256},
    {.name = "toc",
     .id = O_TOC,
     .noset = SEL_SESSION | SEL_TRACK | SEL_LBA | SEL_ALL},
    {.name = "track",
     .id = O_TRACK,
     .type = CD_ARG_UINT,
     .min = 1,
     .max = 99,
     .flags = CD_ARG_ONCE,
     SEL(SEL_TRACK)},
    {.name = "v", .id = O_VERBOSE},
    {.name = "verbose", .id = O_VERBOSE},
    {.name = "version", .id = O_VERSION},
};

struct opts {
	const char *dev;
	int session, track, all, lba_set, verbose;
	int64_t lba, count;
	int md5, sha256, noerror, check_md5;
	int toc; /* 1 --toc, 2 --json */
	long retries;
	const char *bad_list;
	enum progress_mode progress;
	const char *image;
	int raw, paranoia;
};

static void usage(void)
{
	printf(
	    "Usage: %s [dev=]ADDRESS [options] > OUT\n"
	    "Read a disc, a track or a disc image 1:1, at its exact size.\n"
	    "\n"
	    "  dev=ADDR, -d ADDR  /dev/sr0, 0,6,0, ATA:0,0,0, an image file\n"
	    "                     (ISO, NAME.cue, NAME.toc, NAME.nrg); "
	    "default\n"
	    "                     $CDPIPE_DEVICE, else the only drive\n"
	    "\n"
	    "What to read (data, 2048-byte blocks; the default is the ISO "
	    "9660 volume\n"
	    "of the newest session, from block 0 to its end, never run-out "
	    "or padding):\n"
	    "  --session N        session N's blocks, to the end of its "
	    "volume\n"
	    "  --track N          data track N, to the end of its volume "
	    "(else whole)\n"
	    "  --lba A --count N  N blocks from block A\n"
	    "  --all              every block of the data tracks\n"
	    "\n"
	    "Audio (CD-DA):\n"
	    "  --track N          an audio track as WAVE (--md5 and "
	    "--sha256: of the file)\n"
	    "  --raw              as raw CD-DA instead: 2352-byte sectors, "
	    "little-endian\n"
	    "  --paranoia N       cdrdao's --paranoia-mode N (that spelling "
	    "too): 0 the\n"
	    "                     data as the drive gives it, 1 overlapped "
	    "reads, 2 and\n"
	    "                     verification, 3 full paranoia (default on "
	    "a drive; an\n"
	    "                     image is read straight unless N is given)\n"
	    "  --image DIR/NAME   the whole disc as DIR/NAME.bin (raw "
	    "sectors), .cue and\n"
	    "                     .toc (cdrdao), with pregaps, MCN, ISRCs, "
	    "CD-TEXT\n"
	    "\n"
	    "Bad blocks:\n"
	    "  --retries N        tries after the first (default 3)\n"
	    "  --noerror          write zeros for unreadable blocks and go "
	    "on (exit 1)\n"
	    "  --bad-list FILE    the unreadable ranges, \"FIRST COUNT\" a "
	    "line\n"
	    "\n"
	    "  --toc              the table of contents (sessions, tracks, "
	    "lead-out, MCN,\n"
	    "                     ISRCs, CD-TEXT, the blocks a copy reads) "
	    "on stdout\n"
	    "  --json             the same as one JSON object (lib/cdtoc.h "
	    "names its fields)\n"
	    "\n"
	    "  --md5, --sha256    print the checksum of what was read on "
	    "stderr\n"
	    "  --check-md5        copy nothing: verify the MD5 tags of every "
	    "session\n"
	    "                     read (isomk -md5, xorriso -md5 on)\n"
	    "  --progress, -q, -v, -h, --help, --version\n"
	    "\n"
	    "Exit status: 0 copied; 1 failure (a block unreadable, even with "
	    "--noerror);\n"
	    "2 usage; 3 no medium, no such drive or image, no data there;\n"
	    "4 an MD5 tag does not match (--check-md5).\n",
	    cd_prog);
}

static void parse(int argc, char **argv, struct opts *o)
{
	struct cd_args a;
	int c;

	cd_args_init(&a, options, sizeof options / sizeof options[0], argc,
	             argv);
	while ((c = cd_args_get(&a)) != 0) {
		switch (c) {
		case O_ALL:
			o->all = 1;
			break;
		case O_BADLIST:
			if (!*a.val)
				cd_usage("--bad-list: an empty file name");
			o->bad_list = a.val;
			break;
		case O_CHECK_MD5:
			o->check_md5 = 1;
			break;
		case O_COUNT:
			o->count = (int64_t)a.num;
			break;
		case O_DEV:
			if (o->dev)
				cd_usage("two devices: '%s' and '%s'", o->dev,
				         a.val);
			o->dev = a.val;
			break;
		case O_HELP:
			usage();
			cd_exit();
		case O_IMAGE:
			if (!*a.val)
				cd_usage("--image: an empty name");
			o->image = a.val;
			break;
		case O_JSON:
			o->toc = 2;
			break;
		case O_LBA:
			o->lba = (int64_t)a.num;
			o->lba_set = 1;
			break;
		case O_MD5:
			o->md5 = 1;
			break;
		case O_NOERROR:
			o->noerror = 1;
			break;
		case O_PARANOIA:
			o->paranoia = (int)a.num;
			break;
		case O_PROGRESS:
			o->progress = PROGRESS_FORCE;
			break;
		case O_QUIET:
			cd_quiet = 1;
			o->progress = PROGRESS_OFF;
			break;
		case O_RAW:
			o->raw = 1;
			break;
		case O_RETRIES:
			o->retries = (long)a.num;
			break;
		case O_SESSION:
			o->session = (int)a.num;
			break;
		case O_SHA256:
			o->sha256 = 1;
			break;
		case O_TOC:
			if (!o->toc)
				o->toc = 1;
			break;
		case O_TRACK:
			o->track = (int)a.num;
			break;
		case O_VERBOSE:
			o->verbose = 1;
			break;
		case O_VERSION:
			cd_version();
		}
	}
	for (size_t i = 0; i < a.operands.n; i++) {
		if (o->dev)
			cd_usage("unexpected argument '%s'", a.operands.v[i]);
		o->dev = a.operands.v[i];
	}
	cd_args_free(&a);
	if ((o->check_md5 || o->toc) &&
	    (o->md5 || o->sha256 || o->noerror || o->bad_list))
		cd_usage("%s makes no copy: --md5, --sha256, --noerror and "
		         "--bad-list are for copies",
		         o->toc ? "--toc" : "--check-md5");
	if (o->check_md5 && o->toc)
		cd_usage("--toc or --check-md5: one at a time");
	if ((o->check_md5 || o->toc) &&
	    (o->image || o->raw || o->paranoia >= 0))
		cd_usage("%s reads no audio: --image, --raw and --paranoia are "
		         "for copies",
		         o->toc ? "--toc" : "--check-md5");
}

/* An audio track, or the disc as an image (lib/cdaudio, lib/cdimage). */
static int copy_audio(struct cdsource *s, const struct opts *o)
{
	struct cdaudio_track a = {.track = o->track,
	                          .mode = o->paranoia,
	                          .raw = o->raw,
	                          .noerror = o->noerror,
	                          .bad_list = o->bad_list,
	                          .progress = o->progress,
	                          .out = STDOUT_FILENO,
	                          .verbose = o->verbose};
	struct digest d;
	int status;

	if (o->md5 || o->sha256) {
		digest_init(&d, o->md5, o->sha256);
		a.digest = &d;
	}
	if (o->image) {
		if (o->raw)
			cd_usage("--raw: an image's sectors are raw already");
		status = cdimage_write(s, o->image, &a);
		if (a.digest)
			digest_end(&d);
		return status;
	}
	if (!o->track)
		cd_usage("--raw and --paranoia: for an audio track "
		         "(--track N) or --image");
	xio_refuse_tty(STDOUT_FILENO, "audio");
	if (cdsrc_is_source(s, STDOUT_FILENO))
		cd_die(
		    CD_EXIT_USAGE,
		    "%s: the copy would be written into the image being read",
		    s->name);
	status = cdaudio_track(s, &a);
	if (a.digest)
		digest_end(&d);
	return status;
}

/* Does a data track hold any of count blocks from first? */
static int has_data(const struct cdsource *s, int32_t first, int64_t count)
{
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *t = &s->tracks[i];

		if (!t->audio && t->start < first + count &&
		    first < (int64_t)t->start + t->size)
			return 1;
	}
	return 0;
}

/* The blocks the options select: 0, or the exit status */
static int data_range(struct cdsource *s, const struct opts *o, int32_t *first,
                      int64_t *count)
{
	int status = 0;

	if (o->lba_set || o->count) {
		*first = (int32_t)o->lba;
		*count = o->count;
		if (*first >= cdsrc_end(s))
			cd_die(CD_EXIT_USAGE,
			       "%s: block %" PRId32 " is past the end (the "
			       "medium ends at %" PRId32 ")",
			       s->name, *first, cdsrc_end(s));
		if (!*count) {
			/* to the end of the track the block is in */
			const struct cdsrc_track *t = cdsrc_track_at(s, *first);

			if (!t)
				cd_die(CD_EXIT_USAGE,
				       "%s: block %" PRId32 " is in no track "
				       "(the medium ends at %" PRId32 ")",
				       s->name, *first, cdsrc_end(s));
			*count = (int64_t)t->start + t->size - *first;
		}
		if (!has_data(s, *first, *count))
			cd_die(CD_EXIT_MEDIUM,
			       "%s: blocks %" PRId32 " to %" PRId64 " hold no "
			       "data (audio, or a gap between sessions): an "
			       "audio track is read with --track N",
			       s->name, *first, *first + *count - 1);
	} else if (cdsrc_data_range(s, o->session, o->track, o->all, first,
	                            count, &status) < 0)
		return status ? status : CD_EXIT_FAIL;
	if (o->verbose)
		cd_msg("%s: blocks %" PRId32 " to %" PRId64 " (%" PRId64
		       " blocks, %" PRId64 " bytes)",
		       s->name, *first, *first + *count - 1, *count,
		       *count * CDSRC_BLOCK);
	return 0;
}

/* --check-md5 reads through this: what is no data (a gap between
 * sessions, an audio track) reads as zeros, as in a copy; a block that
 * fails alone is tried again as a copy tries it */
static int read_for_md5(void *ctx, uint32_t lba, uint32_t n, unsigned char *buf)
{
	struct cdsource *s = ctx;
	const struct cdsrc_track *t = cdsrc_track_at(s, (int32_t)lba);

	if (n > 1 && t && !t->audio && lba + n <= (int64_t)t->start + t->size)
		return cdsrc_read(s, (int32_t)lba, n, buf);
	for (uint32_t i = 0; i < n; i++) {
		unsigned char *b = buf + (size_t)i * CDSRC_BLOCK;
		unsigned try = 0;

		t = cdsrc_track_at(s, (int32_t)(lba + i));
		if (!t || t->audio) {
			memset(b, 0, CDSRC_BLOCK);
			continue;
		}
		while (cdsrc_read(s, (int32_t)(lba + i), 1, b) < 0)
			if (errno == ENXIO || try++ >= s->retries)
				return -1;
	}
	return 0;
}

/* --check-md5: the MD5 tags of the sessions in the blocks selected */
static int check_md5(struct cdsource *s, const struct opts *o)
{
	struct isomd5_result r;
	int32_t first;
	int64_t count;
	int status = data_range(s, o, &first, &count);

	if (status)
		return status;
	if (isomd5_check(read_for_md5, s, (uint32_t)first,
	                 (uint32_t)(first + count), &r) < 0)
		return CD_EXIT_FAIL;
	status = isomd5_report(&r);
	isomd5_free(&r);
	return status;
}

/* A data copy: the blocks the options select, to standard output. */
static int copy_data(struct cdsource *s, const struct opts *o)
{
	struct cdsrc_copy c = {0};
	struct digest d;
	int status, fd;

	/* a list from an earlier run must not outlive one that ends before
	 * the copy starts (the descriptors unreadable) */
	if (o->bad_list &&
	    (fd = open(o->bad_list, O_WRONLY | O_TRUNC | O_CLOEXEC)) >= 0)
		close(fd);
	status = data_range(s, o, &c.first, &c.count);
	if (status)
		return status;
	xio_refuse_tty(STDOUT_FILENO, "a disc image");
	c.noerror = o->noerror;
	c.trim_runout = o->all;
	c.bad_list = o->bad_list;
	c.progress = o->progress;
	c.out = STDOUT_FILENO;
	if (o->md5 || o->sha256) {
		digest_init(&d, o->md5, o->sha256);
		c.digest = &d;
	}
	status = cdsrc_copy(s, &c);
	/* the checksum of a copy that stopped short would pass for one */
	if (c.digest && c.written + c.trimmed >= c.count)
		digest_report(&d);
	else if (c.digest)
		digest_end(&d);
	return status;
}

int main(int argc, char **argv)
{
	struct opts o = {
	    .retries = -1, .progress = PROGRESS_AUTO, .paranoia = -1};
	struct cdsource s;
	int status = 0;

	cd_set_prog(argv[0]);
	xio_init();
	parse(argc, argv, &o);
	if (cdsrc_open(&s, o.dev, o.verbose, &status) < 0)
		cd_exit_with(status);
	if (o.retries >= 0)
		s.retries = (unsigned)o.retries;
	if (o.toc)
		status = cdtoc_print(&s, stdout, o.toc == 2);
	else if (o.check_md5)
		status = check_md5(&s, &o);
	else if (o.image || o.raw || o.paranoia >= 0 ||
	         (o.track && cdsrc_track(&s, o.track) &&
	          cdsrc_track(&s, o.track)->audio))
		status = copy_audio(&s, &o);
	else
		status = copy_data(&s, &o);
	cdsrc_close(&s);
	cd_exit_with(status);
}
