/* cdwrite: write a data track (an ISO session) to a drive or an image file,
 * cdrecord-style. */
#include "config.h"

#include "audio.h"
#include "burn.h"
#include "cli.h"
#include "device.h"
#include "media.h"
#include "xio.h"

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
};

struct opts {
	const char *dev;
	struct track_arg tracks[99];
	int ntracks;
	int audio, swab; /* the track options in force */
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
	    "audio tracks (.wav, .au, raw), or a CD image (NAME.cue) to a "
	    "drive or an image\n"
	    "file, as cdrecord does. dev=NAME.cue makes a CD image of "
	    "audio tracks.\n"
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

static uint64_t size_arg(const char *key, const char *v)
{
	uint64_t b;

	if (cd_parse_size(v, &b) < 0)
		cd_usage("%s=%s: not a size (say 650m, 332500s, 4.7g)", key, v);
	return b;
}

static void parse(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		uint64_t n;

		if ((v = cd_keyval(a, "dev")) ||
		    (v = cd_keyval(a, "--device"))) {
			if (!*v)
				cd_usage("dev= needs an address (cdwrite "
				         "-scanbus lists the drives)");
			o->dev = v;
		} else if ((v = cd_keyval(a, "speed"))) {
			if (cd_parse_uint(v, 1000, &n) < 0)
				cd_usage("speed=%s: not a speed", v);
			o->job.speed_kb = (int)(n * 176);
		} else if ((v = cd_keyval(a, "tsize"))) {
			o->tsize = size_arg("tsize", v);
			o->tsize_set = 1;
		} else if ((v = cd_keyval(a, "padsize"))) {
			o->job.pad_blocks =
			    (int)((size_arg("padsize", v) + 2047) / 2048);
		} else if ((v = cd_keyval(a, "fs"))) {
			n = size_arg("fs", v);
			if (n < (1 << 20) || n > (1ULL << 30))
				cd_usage("fs=%s: between 1m and 1g", v);
			o->job.fifo_mb = (int)(n >> 20);
		} else if (!strcmp(a, "-d")) {
			if (i + 1 >= argc || !*argv[i + 1])
				cd_usage("-d needs an address (cdwrite "
				         "-scanbus lists the drives)");
			o->dev = argv[++i];
		} else if ((v = cd_keyval(a, "blank"))) {
			if (!strcmp(v, "help")) {
				printf(
				    "blank=fast     erase the table of "
				    "contents "
				    "(an image file or overwriteable medium:\n"
				    "               its volume descriptors)\n"
				    "blank=minimal  the same as fast\n"
				    "blank=all      erase the whole medium\n");
				cd_exit();
			}
			if (!strcmp(v, "session"))
				cd_usage(
				    "blank=session: libburn cannot blank "
				    "the last session alone, and blank=fast "
				    "would erase them all: nothing done");
			if (strcmp(v, "fast") && strcmp(v, "all") &&
			    strcmp(v, "minimal"))
				cd_usage("blank=%s: say blank=fast or all "
				         "(blank=help lists them)",
				         v);
			o->blank = v;
		} else if ((v = cd_keyval(a, "gracetime"))) {
			if (cd_parse_uint(v, 3600, &n) < 0)
				cd_usage("gracetime=%s: not a number of "
				         "seconds",
				         v);
			o->gracetime = (int)n;
		} else if ((v = cd_keyval(a, "driveropts"))) {
			if (!strcmp(v, "burnfree"))
				o->job.burnfree = 1;
			else if (strcmp(v, "noburnfree") != 0)
				cd_usage("driveropts=%s: only burnfree and "
				         "noburnfree",
				         v);
		} else if ((v = cd_keyval(a, "capacity"))) {
			o->job.capacity_blocks =
			    (int64_t)(size_arg("capacity", v) / 2048);
			/* system area, two descriptors, two path tables and
			 * a root directory */
			if (o->job.capacity_blocks < 21)
				cd_usage("capacity=%s: too small for an ISO "
				         "9660 session (21 blocks at least)",
				         v);
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			o->verbose = 1;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet") ||
		         !strcmp(a, "-silent"))
			o->quiet = 1;
		else if (!strcmp(a, "--progress"))
			o->job.progress = PROGRESS_FORCE;
		else if (!strcmp(a, "-multi"))
			o->job.multi = 1;
		else if (!strcmp(a, "-dummy"))
			o->job.dummy = 1;
		else if (!strcmp(a, "-pad"))
			o->job.pad_blocks =
			    o->job.pad_blocks ? o->job.pad_blocks : 15;
		else if (!strcmp(a, "-nopad"))
			o->job.pad_blocks = 0;
		else if (!strcmp(a, "-tao"))
			o->job.sao = 0;
		else if (!strcmp(a, "-sao") || !strcmp(a, "-dao"))
			o->job.sao = 1;
		else if (!strcmp(a, "-data"))
			o->audio = 0;
		else if (!strcmp(a, "-audio"))
			o->audio = 1;
		else if (!strcmp(a, "-swab"))
			o->swab = 1;
		else if (!strcmp(a, "-format"))
			o->format = 1;
		else if (!strcmp(a, "--verify"))
			o->job.verify = 1;
		else if (!strcmp(a, "--wait"))
			o->job.wait = 1;
		else if (!strcmp(a, "-force"))
			o->force = 1;
		else if (!strcmp(a, "-eject"))
			o->eject = 1;
		else if (!strcmp(a, "-checkdrive"))
			o->checkdrive = 1;
		else if (!strcmp(a, "-atip"))
			o->atip = 1;
		else if (!strcmp(a, "-msinfo"))
			o->msinfo = 1;
		else if (!strcmp(a, "-scanbus") || !strcmp(a, "--devices") ||
		         !strcmp(a, "-devices"))
			o->scanbus = 1;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help") ||
		         !strcmp(a, "-help")) {
			usage();
			cd_exit();
		} else if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
			cd_version();
		} else if (a[0] == '-' && a[1] != '\0')
			cd_usage("unknown option '%s'", a);
		else if (strchr(a, '=') && access(a, F_OK) != 0)
			cd_usage("unknown setting '%s'", a);
		else if (o->ntracks == 99)
			cd_usage("%s: a CD holds 99 tracks at most", a);
		else {
			for (int k = 0; k < o->ntracks; k++)
				if (!strcmp(a, "-") &&
				    !strcmp(o->tracks[k].path, "-"))
					cd_usage("standard input can be one "
					         "track only");
			o->tracks[o->ntracks++] =
			    (struct track_arg){a, o->audio, o->swab};
		}
	}
	if (o->job.verify &&
	    (o->ntracks > 1 || (o->ntracks && o->tracks[0].audio)))
		cd_usage("--verify checks a session of one data track");
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
			t[i].fd = a[i].fd;
			t[i].size = a[i].size;
			t[i].swap = a[i].swap;
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

/* The first signal cancels what is under way, cleanly; a second ends the
 * program at once, whatever libburn is doing */
static void on_signal(int sig)
{
	static const char say[] = "cdwrite: a second signal: ending now\n";

	if (burn_cancel_signal) {
		if (write(STDERR_FILENO, say, sizeof say - 1) < 0) {
			/* nothing more to do about it */
		}
		burn_put_back();
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	burn_cancel_signal = sig;
}

static void catch_signals(void)
{
	struct sigaction sa = {.sa_handler = on_signal};

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* past a file size limit (ulimit -f): EFBIG, said, the file put
	 * back, not a death without a word */
	signal(SIGXFSZ, SIG_IGN);
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
	const char *cue;
	int status = 0, single;

	memset(&o, 0, sizeof o);
	cd_set_prog(argv[0]);
	xio_init();
	parse(argc, argv, &o);
	if (!o.ntracks && !o.blank && !o.format && !o.scanbus &&
	    !o.checkdrive && !o.atip && !o.msinfo)
		cd_usage("nothing to do: name a track (a file, or - for "
		         "standard input), or blank=, -format, -checkdrive, "
		         "-atip, -msinfo, -scanbus");

	/* one track named NAME.cue: a CD image, which libburn reads itself */
	cue =
	    o.ntracks == 1 && strlen(o.tracks[0].path) > 4 &&
	            !strcasecmp(o.tracks[0].path + strlen(o.tracks[0].path) - 4,
	                        ".cue")
	        ? o.tracks[0].path
	        : NULL;
	if (cue && o.job.verify)
		cd_usage("--verify checks a data track, not a CUE image");
	device_init(o.verbose);
	if (!cue)
		open_tracks(&o, t, a);
	/* one data track: the session as isomk makes it, with the checks
	 * and the emulated multisession of burn_track */
	single = !cue && o.ntracks == 1 && !t[0].audio;
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
	catch_signals();
	/* an image file that is not there is made, for a write */
	if (device_open(&dev, o.dev,
	                o.ntracks || o.blank || o.format ? DEVICE_CREATE
	                                                 : DEVICE_EXISTING,
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
	if (o.blank)
		status = burn_blank(&dev, strcmp(o.blank, "all") != 0,
		                    o.job.dummy, o.job.wait, o.verbose);
	if (status == 0 && o.format)
		status = burn_format(&dev, o.force, o.job.dummy, o.verbose);
	if (status == 0 && o.ntracks) {
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
		if (burn_cancel_signal)
			status = 128 + burn_cancel_signal;
		else if (cue)
			status = burn_cue_image(&dev, &o.job, cue);
		else if (single)
			status = burn_track(&dev, &o.job);
		else
			status = burn_session(&dev, &o.job, t, o.ntracks);
	}
	device_close(&dev, o.eject);
	device_finish();
	for (int i = 0; !cue && i < o.ntracks; i++)
		if (t[i].fd > STDIN_FILENO)
			close(t[i].fd);
	if (status > 128) {
		/* cancelled: die of the signal, as the shell expects */
		signal(status - 128, SIG_DFL);
		raise(status - 128);
	}
	cd_exit_with(status);
}
