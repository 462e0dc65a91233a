/* cdwrite: write a data track (an ISO session) to a drive or an image file,
 * cdrecord-style. */
#include "config.h"

#include "args.h"
#include "audio.h"
#include "burn.h"
#include "cli.h"
#include "device.h"
#include "media.h"
#include "tocsheet.h"
#include "xio.h"

#include <libburn/libburn.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct track_arg {
	const char *path;
	int audio; /* -audio was in force */
	int swab;  /* -swab was in force */
	char isrc[13]; /* isrc= before it */
};

struct opts {
	const char *dev;
	struct track_arg tracks[99];
	int ntracks;
	int audio, swab; /* the track options in force */
	char isrc[13];   /* isrc= for the next track */
	const char *mcn_arg, *textfile;
	const char *blank;
	int scanbus, checkdrive, atip, msinfo, eject, verbose, quiet, force;
	int format;
	int gracetime;
	uint64_t tsize;
	int tsize_set;
	struct burn_job job;
};

static void usage(void)
{
	printf(
	    "Usage: %s [options] dev=ADDRESS [track]\n"
	    "       %s [options] dev=ADDRESS [-data|-audio|-swab] track...\n"
	    "Write a data track (an ISO 9660 session from a file or - for "
	    "standard input),\n"
	    "audio tracks (.wav, .au, raw), or a CD image (NAME.cue or a "
	    "cdrdao NAME.toc)\n"
	    "to a drive or an image file, as cdrecord does. dev=NAME.cue "
	    "makes a CD image\n"
	    "of audio tracks.\n"
	    "\n"
	    "  dev=ADDRESS, -d ADDRESS  /dev/sr0, 0,6,0 (Bus,Target,Lun), "
	    "ATA:B,T,L, "
	    "stdio:FILE or FILE\n"
	    "                   (default $CDPIPE_DEVICE, else the only "
	    "drive)\n"
	    "  -multi           leave the medium open for more sessions\n"
	    "  -dummy           simulate: write nothing\n"
	    "  -pad, padsize=N  zeros after the track (-pad: 15 blocks); "
	    "-nopad: none\n"
	    "  tsize=SIZE       the size of data from a pipe (650m, "
	    "332500s, 4.7g)\n"
	    "  speed=N          write speed (1 = 176.4 kB/s CD speed); "
	    "default the fastest\n"
	    "  fs=SIZE          FIFO size (default 16m)\n"
	    "  blank=fast|all|help  blank the medium (an image file: "
	    "its descriptors)\n"
	    "  -tao, -sao, -dao write mode for write-once media (default "
	    "TAO)\n"
	    "  driveropts=burnfree     buffer underrun protection\n"
	    "  gracetime=N      wait N seconds before writing\n"
	    "  capacity=SIZE    an image file's size as a medium (e.g. 650m "
	    "for a CD)\n"
	    "  --wait           wait for another program writing to the image "
	    "file (else exit 3)\n"
	    "  --verify         read the track back and compare; exit 4 on "
	    "a mismatch\n"
	    "  -format          format a DVD-RW, DVD+RW, DVD-RAM or BD-RE "
	    "(-force: again)\n"
	    "  -force           write an ISO session made for another "
	    "place, or over data\n"
	    "                   that is no ISO session\n"
	    "  -eject           eject the medium afterwards\n"
	    "  -checkdrive, -atip, -scanbus, --devices   about drives and "
	    "media\n"
	    "  -msinfo          print LAST,NEXT for isomk -C, as msinfo does\n"
	    "  -audio, -data    the tracks after it are audio, or data (the "
	    "default)\n"
	    "  -swab            raw audio after it is little-endian (else "
	    "big-endian)\n"
	    "  mcn=N            the media catalogue number (13 digits) of "
	    "an audio CD\n"
	    "  isrc=CCOOOYYSSSSS  the ISRC of the next -audio track\n"
	    "  textfile=FILE    CD-TEXT packs for the -audio tracks (as "
	    "cdrecord -vv -toc\n"
	    "                   or cdrskin write them)\n"
	    "  -v, -q, --progress, -h, --help, --version\n"
	    "\n"
	    "Exit status: 0 written; 1 failure (a bad track, an input cut "
	    "short); 2 usage;\n"
	    "3 drive or medium not suitable (a reader, closed, full, too "
	    "small, busy, holding\n"
	    "data that is no ISO session, the session made for another "
	    "place); 4 --verify\nmismatch; "
	    "128+N when signal N cancelled the write.\n",
	    cd_prog, cd_prog);
}

enum {
	O_ATIP = 1,
	O_AUDIO,
	O_BLANK,
	O_CAPACITY,
	O_CHECKDRIVE,
	O_DATA,
	O_DEV,
	O_DRIVEROPTS,
	O_DUMMY,
	O_EJECT,
	O_FORCE,
	O_FORMAT,
	O_FS,
	O_GRACETIME,
	O_HELP,
	O_ISRC,
	O_MCN,
	O_MSINFO,
	O_MULTI,
	O_NOPAD,
	O_PAD,
	O_PADSIZE,
	O_PROGRESS,
	O_QUIET,
	O_SAO,
	O_SCANBUS,
	O_SPEED,
	O_SWAB,
	O_TAO,
	O_TEXTFILE,
	O_TSIZE,
	O_VERBOSE,
	O_VERIFY,
	O_VERSION,
	O_WAIT,
};

#define KEY(n, i, t)                                                           \
	{                                                                      \
		.name = n, .id = i, .form = CD_ARG_KEY, .type = t              \
	}
#define NOT(n, f, w)                                                           \
	{                                                                      \
		.name = n, .form = f, .type = CD_ARG_NONE,                     \
		.disp = CD_ARG_UNSUPPORTED, .why = w                           \
	}
#define NOTKEY(n, w)                                                           \
	{                                                                      \
		.name = n, .form = CD_ARG_KEY, .type = CD_ARG_STRING,          \
		.disp = CD_ARG_UNSUPPORTED, .why = w                           \
	}
#define IGNKEY(n, w)                                                           \
	{                                                                      \
		.name = n, .form = CD_ARG_KEY, .type = CD_ARG_STRING,          \
		.disp = CD_ARG_IGNORED, .why = w                               \
	}

/* cdrecord's spellings, sorted by name, then form (lib/args.h). Its
 * options cdwrite does not have are refused with what to do instead, or,
 * where leaving them out changes nothing on the medium, warned about. */
static const struct cd_arg options[] = {
    NOT("abort", CD_ARG_DASH, "nothing is left to abort"),
    {.name = "atip", .id = O_ATIP},
    {.name = "audio", .id = O_AUDIO},
    KEY("blank", O_BLANK, CD_ARG_STRING),
    /* more than any medium holds (8 PiB) is a mistake, and its bytes
     * must stay an int64_t */
    {.name = "capacity",
     .id = O_CAPACITY,
     .form = CD_ARG_KEY,
     .type = CD_ARG_SIZE,
     .max = (uint64_t)1 << 53},
    {.name = "checkdrive", .id = O_CHECKDRIVE},
    NOT("clone", CD_ARG_DASH, "clone (raw) images are not written"),
    NOT("copy", CD_ARG_DASH, "the copy bit is not set"),
    NOTKEY("cuefile", "a CUE image is written as dev=NAME.cue, or "
                      "named as the track: cdwrite dev=... NAME.cue"),
    {.name = "d", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "dao", .id = O_SAO},
    {.name = "data", .id = O_DATA},
    IGNKEY("debug", "libburn's messages come with -v"),
    NOTKEY("defpregap", "pregaps are 2 seconds"),
    KEY("dev", O_DEV, CD_ARG_STRING),
    {.name = "device", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "devices", .id = O_SCANBUS},
    KEY("driveropts", O_DRIVEROPTS, CD_ARG_STRING),
    {.name = "dummy", .id = O_DUMMY},
    {.name = "eject", .id = O_EJECT},
    NOT("fix", CD_ARG_DASH, "a session is closed as it is written"),
    {.name = "force", .id = O_FORCE},
    {.name = "format", .id = O_FORMAT},
    KEY("fs", O_FS, CD_ARG_SIZE),
    KEY("gracetime", O_GRACETIME, CD_ARG_UINT),
    {.name = "h", .id = O_HELP},
    {.name = "help", .id = O_HELP},
    {.name = "ignsize",
     .disp = CD_ARG_UNSUPPORTED,
     .why = "the medium's size is never ignored"},
    {.name = "immed",
     .disp = CD_ARG_IGNORED,
     .why = "libburn waits for the drive its own way"},
    NOT("inq", CD_ARG_DASH, "-checkdrive describes the drive"),
    KEY("isrc", O_ISRC, CD_ARG_STRING),
    IGNKEY("kdebug", "libburn's messages come with -v"),
    NOT("load", CD_ARG_DASH, "the drive loads the medium when it is used"),
    NOT("lock", CD_ARG_DASH, "the drive is locked while it writes"),
    KEY("mcn", O_MCN, CD_ARG_STRING),
    NOT("media-info", CD_ARG_DASH, "msinfo -v describes the medium"),
    NOT("minfo", CD_ARG_DASH, "msinfo -v describes the medium"),
    NOT("mode2", CD_ARG_DASH, "data tracks are mode 1"),
    {.name = "msinfo", .id = O_MSINFO},
    {.name = "multi", .id = O_MULTI},
    NOT("nofix", CD_ARG_DASH,
        "a session is closed as it is written; "
        "-multi leaves the disc open for more"),
    {.name = "nopad", .id = O_NOPAD},
    NOT("overburn", CD_ARG_DASH,
        "nothing is written past the medium's "
        "capacity"),
    NOT("packet", CD_ARG_DASH, "packet writing is not supported"),
    {.name = "pad", .id = O_PAD},
    /* more than any medium holds is a mistake (and must fit an int) */
    {.name = "padsize",
     .id = O_PADSIZE,
     .form = CD_ARG_KEY,
     .type = CD_ARG_SIZE,
     .max = 128ULL << 30},
    NOT("prcap", CD_ARG_DASH, "-checkdrive describes the drive"),
    NOT("preemp", CD_ARG_DASH, "pre-emphasis is not written"),
    {.name = "progress", .id = O_PROGRESS},
    {.name = "q", .id = O_QUIET},
    {.name = "quiet", .id = O_QUIET},
    NOT("raw", CD_ARG_DASH, "raw writing is not supported: -tao or -sao"),
    NOT("raw16", CD_ARG_DASH, "raw writing is not supported: -tao or -sao"),
    NOT("raw96p", CD_ARG_DASH, "raw writing is not supported: -tao or -sao"),
    NOT("raw96r", CD_ARG_DASH, "raw writing is not supported: -tao or -sao"),
    NOT("reset", CD_ARG_DASH, "the SCSI bus is not reset"),
    {.name = "s", .id = O_QUIET},
    {.name = "sao", .id = O_SAO},
    {.name = "scanbus", .id = O_SCANBUS},
    {.name = "silent", .id = O_QUIET},
    KEY("speed", O_SPEED, CD_ARG_UINT),
    {.name = "swab", .id = O_SWAB},
    {.name = "tao", .id = O_TAO},
    NOT("text", CD_ARG_DASH,
        "CD-TEXT comes from textfile=, or from the sheet of a NAME.cue "
        "or NAME.toc track"),
    KEY("textfile", O_TEXTFILE, CD_ARG_STRING),
    IGNKEY("timeout", "libburn's own timeouts apply"),
    NOT("toc", CD_ARG_DASH, "msinfo -v lists the sessions and tracks"),
    IGNKEY("ts", "libburn chooses the transfer size"),
    KEY("tsize", O_TSIZE, CD_ARG_SIZE),
    NOT("useinfo", CD_ARG_DASH, "no .inf files are read"),
    {.name = "v", .id = O_VERBOSE},
    {.name = "verbose", .id = O_VERBOSE},
    {.name = "verify", .id = O_VERIFY},
    {.name = "version", .id = O_VERSION},
    {.name = "wait", .id = O_WAIT},
    NOT("xa", CD_ARG_DASH, "data tracks are mode 1"),
    NOT("xa1", CD_ARG_DASH, "data tracks are mode 1"),
    NOT("xa2", CD_ARG_DASH, "data tracks are mode 1"),
};

static void blank_kind(struct opts *o, const char *v)
{
	if (!strcmp(v, "help")) {
		printf("blank=fast     erase the table of contents (an image "
		       "file or overwriteable medium:\n"
		       "               its volume descriptors)\n"
		       "blank=minimal  the same as fast\n"
		       "blank=all      erase the whole medium\n");
		cd_exit();
	}
	if (!strcmp(v, "session"))
		cd_usage("blank=session: libburn cannot blank the last "
		         "session alone, and blank=fast would erase them all: "
		         "nothing done");
	if (strcmp(v, "fast") && strcmp(v, "all") && strcmp(v, "minimal"))
		cd_usage("blank=%s: say blank=fast or all (blank=help lists "
		         "them)",
		         v);
	o->blank = v;
}

static void track(struct opts *o, const char *a)
{
	/* cdrecord: a key=value that is no setting is a mistake, unless a
	 * file has that name */
	if (strchr(a, '=') && access(a, F_OK) != 0)
		cd_usage("unknown setting '%s'", a);
	if (o->ntracks == 99)
		cd_usage("%s: a CD holds 99 tracks at most", a);
	for (int k = 0; k < o->ntracks; k++)
		if (!strcmp(a, "-") && !strcmp(o->tracks[k].path, "-"))
			cd_usage("standard input can be one track only");
	if (o->isrc[0] && !o->audio)
		cd_usage("isrc=%s: %s is no -audio track", o->isrc, a);
	o->tracks[o->ntracks] = (struct track_arg){a, o->audio, o->swab, ""};
	memcpy(o->tracks[o->ntracks++].isrc, o->isrc, sizeof o->isrc);
	o->isrc[0] = '\0';
}

/* isrc=: CCOOOYYSSSSS, or with dashes as CC-OOO-YY-SSSSS; lower case
 * letters taken as upper case */
static void isrc_arg(struct opts *o, const char *v)
{
	char code[13];
	size_t n = 0;

	for (const char *p = v; *p; p++) {
		if (*p == '-')
			continue;
		if (n == 12) {
			n = 13;
			break;
		}
		code[n++] =
		    (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	}
	code[n < 13 ? n : 12] = '\0';
	if (n != 12 || !toc_isrc_ok(code))
		cd_usage("isrc=%s: an ISRC is 12 characters CCOOOYYSSSSS: "
		         "country and owner letters or digits, year and serial "
		         "digits",
		         v);
	memcpy(o->isrc, code, sizeof code);
}

static int has_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), k = strlen(suffix);

	return n > k && !strcasecmp(path + n - k, suffix);
}

/* Which pack of the CD-TEXT packs is no pack (its type is not 0x80 to
 * 0x8f, or its CRC, CRC-16 CCITT inverted, is wrong)? -1 for none. What
 * libburn checks only when it writes a CD (burn_write_opts_set_leadin_text)
 * is checked for an image too. */
static int bad_pack(const unsigned char *packs, int num)
{
	for (int i = 0; i < num; i++) {
		const unsigned char *p = packs + (size_t)i * 18;
		unsigned crc = 0;

		for (int k = 0; k < 16; k++) {
			crc ^= (unsigned)p[k] << 8;
			for (int b = 0; b < 8; b++)
				crc = crc & 0x8000 ? (crc << 1) ^ 0x1021
				                   : crc << 1;
		}
		crc = ~crc & 0xffff;
		if (p[0] < 0x80 || p[0] > 0x8f ||
		    crc != ((unsigned)p[16] << 8 | p[17]))
			return i;
	}
	return -1;
}

/* mcn= and textfile= are an audio CD's: -audio tracks, whose CD-TEXT
 * packs are read here; a NAME.cue or NAME.toc names its own */
static void text_args(struct opts *o)
{
	const char *opt = o->mcn_arg ? "mcn=" : "textfile=";
	int audio = 0, bad;
	char *path;

	if (!o->mcn_arg && !o->textfile)
		return;
	for (int i = 0; i < o->ntracks; i++) {
		if (has_suffix(o->tracks[i].path, ".cue") ||
		    has_suffix(o->tracks[i].path, ".toc"))
			cd_usage("%s: %s names its own (CATALOG, CD-TEXT)", opt,
			         o->tracks[i].path);
		audio |= o->tracks[i].audio;
	}
	if (!audio)
		cd_usage("%s is for a CD of -audio tracks", opt);
	if (o->mcn_arg)
		memcpy(o->job.mcn, o->mcn_arg, 14);
	if (!o->textfile)
		return;
	path = strdup(o->textfile);
	if (!path)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (access(path, R_OK) != 0)
		cd_usage("textfile=%s: %s", o->textfile, strerror(errno));
	if (burn_cdtext_from_packfile(path, &o->job.text_packs,
	                              &o->job.num_packs, 0) <= 0 ||
	    o->job.num_packs <= 0) {
		device_messages(o->verbose);
		cd_usage("textfile=%s: not a CD-TEXT pack file (a multiple of "
		         "18 bytes, with or without cdrecord's 4-byte header)",
		         o->textfile);
	}
	free(path);
	bad = bad_pack(o->job.text_packs, o->job.num_packs);
	if (bad >= 0)
		cd_usage("textfile=%s: not a CD-TEXT pack file: pack %d of %d "
		         "is %s",
		         o->textfile, bad + 1, o->job.num_packs,
		         o->job.text_packs[(size_t)bad * 18] < 0x80 ||
		                 o->job.text_packs[(size_t)bad * 18] > 0x8f
		             ? "of no CD-TEXT type"
		             : "damaged (its CRC is wrong)");
	o->job.textfile = o->textfile;
}

static void parse(int argc, char **argv, struct opts *o)
{
	const char *dangling = NULL; /* a track option no track followed */
	struct cd_args a;
	int c;

	cd_args_init(&a, options, sizeof options / sizeof options[0], argc,
	             argv);
	a.inline_operands = 1; /* -audio and -data work on what follows */
	while ((c = cd_args_get(&a)) != 0) {
		const char *v = a.val;

		switch (c) {
		case CD_ARG_OPERAND:
			track(o, v);
			dangling = NULL;
			break;
		case O_DEV:
			if (o->dev)
				cd_usage("two devices: '%s' and '%s'", o->dev,
				         v);
			o->dev = v;
			break;
		case O_SPEED:
			if (a.num > 1000)
				cd_usage("speed=%s: not a speed", v);
			o->job.speed_kb = (int)(a.num * 176);
			break;
		case O_TSIZE:
			o->tsize = a.num;
			o->tsize_set = 1;
			break;
		case O_PADSIZE:
			o->job.pad_blocks = (int)((a.num + 2047) / 2048);
			break;
		case O_FS:
			if (a.num < (1 << 20) || a.num > (1ULL << 30))
				cd_usage("fs=%s: between 1m and 1g", v);
			o->job.fifo_mb = (int)(a.num >> 20);
			break;
		case O_BLANK:
			blank_kind(o, v);
			break;
		case O_GRACETIME:
			if (a.num > 3600)
				cd_usage("gracetime=%s: not a number of "
				         "seconds (at most 3600)",
				         v);
			o->gracetime = (int)a.num;
			break;
		case O_DRIVEROPTS:
			if (!strcmp(v, "burnfree"))
				o->job.burnfree = 1;
			else if (strcmp(v, "noburnfree") != 0)
				cd_usage("driveropts=%s: only burnfree and "
				         "noburnfree",
				         v);
			break;
		case O_CAPACITY:
			o->job.capacity_blocks = (int64_t)(a.num / 2048);
			/* system area, two descriptors, two path tables and
			 * a root directory */
			if (o->job.capacity_blocks < 21)
				cd_usage("capacity=%s: too small for an ISO "
				         "9660 session (21 blocks at least)",
				         v);
			break;
		case O_VERBOSE:
			o->verbose = 1;
			break;
		case O_QUIET:
			o->quiet = 1;
			break;
		case O_PROGRESS:
			o->job.progress = PROGRESS_FORCE;
			break;
		case O_MULTI:
			o->job.multi = 1;
			break;
		case O_DUMMY:
			o->job.dummy = 1;
			break;
		case O_PAD:
			if (!o->job.pad_blocks)
				o->job.pad_blocks = 15;
			break;
		case O_NOPAD:
			o->job.pad_blocks = 0;
			break;
		case O_TAO:
			o->job.sao = 0;
			break;
		case O_SAO:
			o->job.sao = 1;
			break;
		case O_DATA:
			o->audio = 0;
			dangling = "-data";
			break;
		case O_AUDIO:
			o->audio = 1;
			dangling = "-audio";
			break;
		case O_SWAB:
			o->swab = 1;
			dangling = "-swab";
			break;
		case O_ISRC:
			if (o->isrc[0])
				cd_usage("isrc=%s: the next track has an ISRC "
				         "already (isrc=%s)",
				         v, o->isrc);
			isrc_arg(o, v);
			dangling = "isrc=";
			break;
		case O_MCN:
			if (strlen(v) != 13 || strspn(v, "0123456789") != 13)
				cd_usage("mcn=%s: a media catalogue number is "
				         "13 digits",
				         v);
			if (o->mcn_arg)
				cd_usage("two media catalogue numbers: mcn=%s "
				         "and mcn=%s",
				         o->mcn_arg, v);
			o->mcn_arg = v;
			break;
		case O_TEXTFILE:
			if (o->textfile)
				cd_usage("two CD-TEXT files: textfile=%s and "
				         "textfile=%s",
				         o->textfile, v);
			o->textfile = v;
			break;
		case O_FORMAT:
			o->format = 1;
			break;
		case O_VERIFY:
			o->job.verify = 1;
			break;
		case O_WAIT:
			o->job.wait = 1;
			break;
		case O_FORCE:
			o->force = 1;
			break;
		case O_EJECT:
			o->eject = 1;
			break;
		case O_CHECKDRIVE:
			o->checkdrive = 1;
			break;
		case O_ATIP:
			o->atip = 1;
			break;
		case O_MSINFO:
			o->msinfo = 1;
			break;
		case O_SCANBUS:
			o->scanbus = 1;
			break;
		case O_HELP:
			usage();
			cd_exit();
		case O_VERSION:
			cd_version();
		}
	}
	cd_args_free(&a);
	if (o->isrc[0])
		cd_usage("isrc=%s: no -audio track follows it", o->isrc);
	if (dangling && o->ntracks)
		cd_warn("%s after the last track applies to no track",
		        dangling);
	if (o->job.verify &&
	    (o->ntracks > 1 || (o->ntracks && o->tracks[0].audio)))
		cd_usage("--verify checks a session of one data track");
}

/* -audio NAME.bin with NAME.cue beside it: a CUE image's BIN, little-
 * endian; read as raw audio is, big-endian, every sample would be
 * swapped into noise. Exit 2. */
static void refuse_bin(const char *path)
{
	size_t n = strlen(path);
	char *cue;

	if (!has_suffix(path, ".bin"))
		return;
	cue = strdup(path);
	if (!cue)
		cd_die(CD_EXIT_FAIL, "out of memory");
	strcpy(cue + n - 4, ".cue");
	if (access(cue, F_OK) != 0)
		strcpy(cue + n - 4, ".CUE");
	if (access(cue, F_OK) == 0)
		cd_usage("-audio %s: the BIN of a CUE image is little-endian, "
		         "and raw audio is read big-endian (as cdrecord reads "
		         "it): every sample would be swapped; write the image "
		         "(cdwrite dev=... %s), or give -swab to write %s as "
		         "little-endian",
		         path, cue, path);
	free(cue);
}

/* A cdrdao TOC file: its audio tracks, read before the drive is touched.
 * Exits 1 with the reason for one that cannot be written. */
static int toc_tracks(struct opts *o, struct toc_sheet *sheet,
                      struct session_track *t)
{
	static char names[99][64];
	const char *toc = o->tracks[0].path;
	char err[1024];

	if (o->tracks[0].isrc[0])
		cd_usage("isrc=: %s names its own ISRCs", toc);
	if (o->dev) {
		/* dev=NAME.cue: its NAME.toc must not be this sheet */
		const char *d =
		    strncmp(o->dev, "stdio:", 6) ? o->dev : o->dev + 6;
		size_t n = strlen(d);
		struct stat a, b;
		char *tocf = strdup(d);

		if (!tocf)
			cd_die(CD_EXIT_FAIL, "out of memory");
		if (n > 4 && !strcasecmp(d + n - 4, ".cue")) {
			strcpy(tocf + n - 4, d[n - 3] == 'C' ? ".TOC" : ".toc");
			if (stat(tocf, &a) == 0 && stat(toc, &b) == 0 &&
			    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
				cd_die(CD_EXIT_USAGE,
				       "%s: the image would be written over "
				       "its own input (%s): name another image",
				       tocf, toc);
		}
		free(tocf);
	}
	if (toc_read(toc, sheet, err, sizeof err) != 0)
		cd_die(CD_EXIT_FAIL, "%s: %s: nothing written", toc, err);
	memset(t, 0, sizeof *t * (size_t)sheet->n);
	for (int i = 0; i < sheet->n; i++) {
		const struct toc_track *tt = &sheet->track[i];

		snprintf(names[i], sizeof names[i], "track %d", i + 1);
		t[i].name = names[i];
		t[i].fd = -1;
		t[i].audio = 1;
		t[i].size = tt->bytes;
		t[i].toc = tt;
		memcpy(t[i].isrc, tt->isrc, sizeof t[i].isrc);
		if (tt->bytes < (int64_t)AUDIO_MIN_SECTORS * AUDIO_SECTOR)
			cd_die(
			    CD_EXIT_FAIL,
			    "%s: track %d: %.2f s of audio: a CD audio track "
			    "must be at least 4 s long: nothing written",
			    toc, i + 1,
			    (double)tt->bytes / (AUDIO_SECTOR * 75));
		if (o->verbose)
			cd_msg(
			    "%s: track %d: %.2f s, pre-gap %" PRId64
			    " sectors%s%s",
			    toc, i + 1, (double)tt->bytes / (AUDIO_SECTOR * 75),
			    tt->pregap, tt->isrc[0] ? ", ISRC " : "", tt->isrc);
	}
	memcpy(o->job.mcn, sheet->mcn, sizeof sheet->mcn);
	o->job.text = sheet->text;
	return sheet->n;
}

/* The tracks: opened, and audio ones checked, before the drive is
 * touched. Exits 1 with the reason for a track that
 * cannot be written. */
static void open_tracks(struct opts *o, struct session_track *t,
                        struct audio_src *a)
{
	char err[512];

	for (int i = 0; i < o->ntracks; i++) {
		const char *path = o->tracks[i].path;
		struct stat st;

		t[i].name = strcmp(path, "-") ? path : "standard input";
		t[i].audio = o->tracks[i].audio;
		if (t[i].audio) {
			if (audio_open(&a[i], path, o->tracks[i].swab, err,
			               sizeof err) < 0)
				cd_die(CD_EXIT_FAIL, "%s: %s: nothing written",
				       t[i].name, err);
			if (!o->tracks[i].swab &&
			    !strncmp(a[i].format, "raw", 3))
				refuse_bin(path);
			t[i].fd = a[i].fd;
			t[i].size = a[i].size;
			t[i].swap = a[i].swap;
			memcpy(t[i].isrc, o->tracks[i].isrc, sizeof t[i].isrc);
			if (o->verbose && a[i].size >= 0)
				cd_msg("track %d: %s, %s, %.2f s", i + 1,
				       t[i].name, a[i].format,
				       (double)a[i].size / (AUDIO_SECTOR * 75));
			else if (o->verbose)
				cd_msg("track %d: %s, %s, length unknown",
				       i + 1, t[i].name, a[i].format);
			continue;
		}
		t[i].fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC)
		                            : STDIN_FILENO;
		if (t[i].fd < 0)
			cd_die(CD_EXIT_FAIL, "cannot open %s: %s", path,
			       strerror(errno));
		t[i].size = fstat(t[i].fd, &st) == 0 && S_ISREG(st.st_mode)
		                ? st.st_size
		                : -1;
	}
	/* tsize= is the size of standard input, or of the one track */
	for (int i = 0; i < o->ntracks; i++)
		if (o->tsize_set &&
		    (t[i].fd == STDIN_FILENO || o->ntracks == 1))
			t[i].size = (off_t)o->tsize;
	o->job.tsize_given = o->tsize_set;
}

static int scanbus(void)
{
	if (device_print_drives(stdout) == 0)
		cd_msg("no optical drives found (an image file works as a "
		       "drive: dev=stdio:FILE)");
	return 0;
}

static void describe(struct device *dev, int atip)
{
	struct media m;
	char writes[256];

	media_probe(dev, &m);
	printf("Device: %s\n", dev->adr);
	printf("Vendor: %s\nProduct: %s\nRevision: %s\n", dev->info[0].vendor,
	       dev->info[0].product, dev->info[0].revision);
	if (device_writes(&dev->info[0], writes, sizeof writes))
		printf("Writes: %s\n", writes);
	else
		printf("Writes: nothing (a reader)\n");
	if (!atip)
		return;
	printf("Medium: %s\n", m.profile_name[0] ? m.profile_name : "none");
	printf("State: %s%s\n", media_state_name(m.state),
	       m.emulated ? " (sessions emulated)" : "");
	if (m.state == MEDIA_APPENDABLE && m.next >= 0)
		printf("Next writable: %" PRId32 "\n", m.next);
	if (m.free_blocks >= 0)
		printf("Free: %" PRId64 " blocks\n", m.free_blocks);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct device dev;
	struct session_track t[99];
	struct audio_src a[99];
	struct toc_sheet sheet;
	const char *cue;
	int status = 0, single, toc, ntracks;

	memset(&o, 0, sizeof o);
	cd_set_prog(argv[0]);
	xio_init();
	parse(argc, argv, &o);
	if (!o.ntracks && !o.blank && !o.format && !o.scanbus &&
	    !o.checkdrive && !o.atip && !o.msinfo)
		cd_usage("nothing to do: name a track (a file, or - for "
		         "standard input), or blank=, -format, -checkdrive, "
		         "-atip, -msinfo, -scanbus");

	for (int i = 0; o.ntracks > 1 && i < o.ntracks; i++)
		if (has_suffix(o.tracks[i].path, ".cue") ||
		    has_suffix(o.tracks[i].path, ".toc"))
			cd_usage("%s: a CD image is written alone, not with "
			         "other tracks",
			         o.tracks[i].path);
	/* one track named NAME.cue: a CD image, which libburn reads itself;
	 * NAME.toc: cdrdao's, read here (lib/tocsheet.h) */
	cue = o.ntracks == 1 && has_suffix(o.tracks[0].path, ".cue")
	          ? o.tracks[0].path
	          : NULL;
	toc = o.ntracks == 1 && has_suffix(o.tracks[0].path, ".toc");
	if ((cue || toc) && o.job.verify)
		cd_usage("--verify checks a data track, not a %s image",
		         cue ? "CUE" : "TOC");
	if ((cue || toc) && o.tracks[0].audio)
		cd_warn("-audio: %s is a CD image; its sheet says what its "
		        "tracks are",
		        o.tracks[0].path);
	device_init(o.verbose);
	text_args(&o);
	if (toc)
		ntracks = toc_tracks(&o, &sheet, t);
	else if (!cue)
		open_tracks(&o, t, a);
	/* one data track: the session as isomk makes it, with the checks
	 * and the emulated multisession of burn_track */
	ntracks = toc ? ntracks : o.ntracks;
	single = !cue && !toc && o.ntracks == 1 && !t[0].audio;
	if (single) {
		o.job.name = t[0].name;
		o.job.fd = t[0].fd;
		o.job.size = t[0].size;
	}
	o.job.verbose = o.verbose;
	o.job.force = o.force;
	if (o.quiet) {
		o.job.progress = PROGRESS_OFF;
		cd_quiet = 1;
	}

	if (o.scanbus) {
		status = scanbus();
		if (!o.ntracks && !o.blank && !o.format && !o.checkdrive &&
		    !o.atip && !o.msinfo) {
			device_finish();
			cd_exit_with(status);
		}
	}
	burn_catch_signals();
	/* an image file that is not there is made for a write; there is
	 * nothing to blank, format or describe in it */
	if (device_open(&dev, o.dev,
	                o.ntracks ? DEVICE_CREATE : DEVICE_EXISTING,
	                &status) < 0) {
		device_finish();
		cd_exit_with(status ? status : CD_EXIT_FAIL);
	}
	if (o.checkdrive || o.atip)
		describe(&dev, o.atip);
	if (o.msinfo) {
		/* cdrecord -msinfo habits: the same as msinfo(1) */
		struct media m;

		media_probe(&dev, &m);
		status = media_msinfo(&dev, &m, 1);
	}
	/* the countdown comes before blank= and -format too (as cdrecord's
	 * does): a Ctrl-C in it leaves the medium as it was */
	if (o.ntracks && (status == 0 || o.blank)) {
		int tty = isatty(STDERR_FILENO);

		/* a countdown on a terminal; a log gets one line */
		if (o.gracetime && !o.quiet && !tty)
			cd_msg("writing in %d s (Ctrl-C to stop)", o.gracetime);
		for (int s = o.gracetime; s > 0 && !burn_cancel_signal; s--) {
			struct timespec one = {1, 0};

			if (!o.quiet && tty)
				fprintf(stderr,
				        "\r%s: writing in %d s "
				        "(Ctrl-C to stop)\033[K",
				        cd_prog, s);
			nanosleep(&one, NULL);
		}
		if (o.gracetime && !o.quiet && tty)
			fputc('\n', stderr);
		if (burn_cancel_signal) {
			cd_msg("cancelled before anything was written");
			status = 128 + abs(burn_cancel_signal);
		}
	}
	if (o.blank && !burn_cancel_signal)
		status = burn_blank(&dev, strcmp(o.blank, "all") != 0,
		                    o.job.dummy, o.job.wait, o.verbose);
	if (status == 0 && o.format)
		status = burn_format(&dev, o.force, o.job.dummy, o.verbose);
	if (status == 0 && o.ntracks) {
		if (cue)
			status = burn_cue_image(&dev, &o.job, cue);
		else if (single)
			status = burn_track(&dev, &o.job);
		else
			status = burn_session(&dev, &o.job, t, ntracks);
	}
	device_close(&dev, o.eject);
	device_finish();
	for (int i = 0; !cue && !toc && i < o.ntracks; i++)
		if (t[i].fd > STDIN_FILENO)
			close(t[i].fd);
	if (toc)
		toc_free(&sheet);
	free(o.job.text_packs);
	if (status > 128) {
		/* cancelled: die of the signal, as the shell expects */
		signal(status - 128, SIG_DFL);
		raise(status - 128);
	}
	cd_exit_with(status);
}
