/* cdtape: a rewritable disc or image file used like a tape drive: `tar cf
 * - dir | cdtape save`, `cdtape restore | tar tvf -`. The medium holds a
 * header (lib/tape.h) and the bytes of standard input, exactly; restore
 * gives them back and checks their SHA-256 as it goes.
 *
 * Media written at random (image files and overwriteable media) get the
 * header at block 0 first with its "complete" flag clear, then the
 * payload, then the header again with the payload's length and digests.
 * Media written once, front to back (CD-R, DVD±R, BD-R, a CD-RW after
 * blanking, a pipe) get the final header after the payload instead: a
 * trailer. An archive larger than a volume (--capacity, or the medium's
 * free space) goes on on the next volume: the next address of --volumes,
 * the same address after the -F/--new-volume-script command has changed
 * what it holds, or after a person asked on /dev/tty has. */
#include "config.h"

#include "args.h"
#include "burn.h"
#include "cli.h"
#include "device.h"
#include "digest.h"
#include "json.h"
#include "media.h"
#include "tape.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum {
	O_CAPACITY = 1,
	O_DEV,
	O_FORCE,
	O_HELP,
	O_JSON,
	O_LABEL,
	O_PROGRESS,
	O_SCRIPT,
	O_QUIET,
	O_VERBOSE,
	O_VERSION,
	O_VOLUMES,
	O_WAIT,
};

/* sorted by name, then form (lib/args.h) */
static const struct cd_arg options[] = {
    {.name = "F", .id = O_SCRIPT, .type = CD_ARG_STRING, .flags = CD_ARG_ONCE},
    {.name = "capacity",
     .id = O_CAPACITY,
     .type = CD_ARG_SIZE,
     .min = 2 * TAPE_HEADER_SIZE,
     .max = TAPE_LENGTH_MAX, /* no volume holds more payload */
     .flags = CD_ARG_ONCE},
    {.name = "d", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "dev", .id = O_DEV, .form = CD_ARG_KEY, .type = CD_ARG_STRING},
    {.name = "device", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "force", .id = O_FORCE},
    {.name = "h", .id = O_HELP},
    {.name = "help", .id = O_HELP},
    {.name = "json", .id = O_JSON},
    {.name = "label",
     .id = O_LABEL,
     .type = CD_ARG_STRING,
     .max = TAPE_LABEL_MAX,
     .flags = CD_ARG_ONCE},
    {.name = "new-volume-script",
     .id = O_SCRIPT,
     .type = CD_ARG_STRING,
     .flags = CD_ARG_ONCE},
    {.name = "progress", .id = O_PROGRESS},
    {.name = "q", .id = O_QUIET},
    {.name = "quiet", .id = O_QUIET},
    {.name = "v", .id = O_VERBOSE},
    {.name = "verbose", .id = O_VERBOSE},
    {.name = "version", .id = O_VERSION},
    {.name = "volumes",
     .id = O_VOLUMES,
     .type = CD_ARG_STRING,
     .flags = CD_ARG_ONCE},
    {.name = "wait", .id = O_WAIT},
};

enum cmd { CMD_SAVE = 1, CMD_RESTORE, CMD_VERIFY, CMD_LIST };

struct opts {
	enum cmd cmd;
	const char *dev;
	const char *label;
	const char *script;     /* -F: changes the volume at dev */
	struct cd_strv volumes; /* --volumes */
	uint64_t capacity;      /* bytes per volume, 0: the medium's */
	int force, json, verbose, wait;
	enum progress_mode progress;
};

static void usage(void)
{
	printf(
	    "Usage: %s save|restore|verify|list|info [OPTIONS] [dev=]ADDRESS\n"
	    "Use a rewritable disc or an image file as a tape: save standard "
	    "input to it,\n"
	    "restore it to standard output exactly, with its SHA-256 checked.\n"
	    "\n"
	    "  save               write standard input (to its end) to the "
	    "medium\n"
	    "  restore            write the saved bytes to standard output, "
	    "checked\n"
	    "  verify             check the saved bytes, write nothing\n"
	    "  list, info         print the header of the archive\n"
	    "\n"
	    "  dev=ADDR, -d ADDR  /dev/sr0, 0,6,0, stdio:FILE or FILE; default "
	    "$CDPIPE_DEVICE,\n"
	    "                     else the only drive\n"
	    "  --label TEXT       save: the archive's label (UTF-8, at most "
	    "255 bytes); an\n"
	    "                     archive labelled otherwise is not written "
	    "over;\n"
	    "                     restore, verify: the archive must have it\n"
	    "  --force            save: write over a medium that holds "
	    "something else\n"
	    "  --wait             save: wait for another program writing "
	    "the image file\n"
	    "  --capacity SIZE    save: use at most SIZE of each volume "
	    "(650m, 332500s)\n"
	    "  --volumes=A,B,...  the volumes, one address each, in turn\n"
	    "  -F, --new-volume-script CMD\n"
	    "                     run CMD (sh -c) when the next volume is "
	    "needed at the same\n"
	    "                     address; $CDTAPE_VOLUME is its number, "
	    "$CDTAPE_DEVICE the\n"
	    "                     address; a status other than 0 ends cdtape"
	    "\n"
	    "                     (without --volumes or -F, cdtape asks on "
	    "the terminal)\n"
	    "  --json             list: the header as one JSON object\n"
	    "  --progress         progress on stderr even when it is no "
	    "terminal\n"
	    "  -v, -q             more messages; no notes or progress\n"
	    "  -h, --help, --version\n"
	    "\n"
	    "Exit status: 0 ok; 1 failure (a read or write error, a damaged "
	    "header);\n"
	    "2 usage; 3 the medium holds no cdtape archive, an unfinished or "
	    "truncated one,\n"
	    "or something else that save will not overwrite without --force; "
	    "4 the saved\n"
	    "bytes or the header do not match their SHA-256.\n",
	    cd_prog);
}

static void parse(int argc, char **argv, struct opts *o)
{
	struct cd_args a;
	const char *bad;
	int c;

	cd_args_init(&a, options, sizeof options / sizeof options[0], argc,
	             argv);
	while ((c = cd_args_get(&a)) != 0) {
		switch (c) {
		case O_DEV:
			if (o->dev)
				cd_usage("two devices: '%s' and '%s'", o->dev,
				         a.val);
			o->dev = a.val;
			break;
		case O_CAPACITY:
			o->capacity = a.num;
			break;
		case O_FORCE:
			o->force = 1;
			break;
		case O_SCRIPT:
			o->script = a.val;
			break;
		case O_VOLUMES: {
			char *v = strdup(a.val), *save = NULL;

			if (!v)
				cd_die(CD_EXIT_FAIL, "out of memory");
			for (char *t = strtok_r(v, ",", &save); t;
			     t = strtok_r(NULL, ",", &save))
				cd_strv_push(&o->volumes, t);
			if (o->volumes.n == 0)
				cd_usage("--volumes: no address");
			break;
		}
		case O_HELP:
			usage();
			cd_exit();
		case O_JSON:
			o->json = 1;
			break;
		case O_WAIT:
			o->wait = 1;
			break;
		case O_LABEL:
			o->label = a.val;
			break;
		case O_PROGRESS:
			o->progress = PROGRESS_FORCE;
			break;
		case O_QUIET:
			cd_quiet = 1;
			o->progress = PROGRESS_OFF;
			break;
		case O_VERBOSE:
			o->verbose = 1;
			break;
		case O_VERSION:
			cd_version();
		}
	}
	if (a.operands.n == 0)
		cd_usage("no command: save, restore, verify, list or info");
	if (!strcmp(a.operands.v[0], "save"))
		o->cmd = CMD_SAVE;
	else if (!strcmp(a.operands.v[0], "restore"))
		o->cmd = CMD_RESTORE;
	else if (!strcmp(a.operands.v[0], "verify"))
		o->cmd = CMD_VERIFY;
	else if (!strcmp(a.operands.v[0], "list") ||
	         !strcmp(a.operands.v[0], "info"))
		o->cmd = CMD_LIST;
	else
		cd_usage("unknown command '%s': save, restore, verify, list or "
		         "info",
		         a.operands.v[0]);
	for (size_t i = 1; i < a.operands.n; i++) {
		if (o->dev)
			cd_usage("unexpected argument '%s'", a.operands.v[i]);
		o->dev = a.operands.v[i];
	}
	if (o->label && o->cmd == CMD_LIST)
		cd_usage("--label is for save, restore and verify");
	if (o->force && o->cmd != CMD_SAVE)
		cd_usage("--force is for save");
	if (o->capacity && o->cmd != CMD_SAVE)
		cd_usage("--capacity is for save");
	if (o->wait && o->cmd != CMD_SAVE)
		cd_usage("--wait is for save (restore always waits for a "
		         "save to end)");
	if (o->volumes.n && o->dev)
		cd_usage("both dev= and --volumes: name the volumes with one");
	if (o->volumes.n && o->script)
		cd_usage("both --volumes and -F: the volumes are named, or "
		         "changed by the script");
	if (o->cmd == CMD_SAVE)
		for (size_t i = 0; i < o->volumes.n; i++)
			for (size_t j = 0; j < i; j++)
				if (!strcmp(o->volumes.v[i], o->volumes.v[j]))
					cd_usage("--volumes names '%s' twice: "
					         "volume %zu would write over "
					         "volume %zu",
					         o->volumes.v[i], i + 1, j + 1);
	if (o->json && o->cmd != CMD_LIST)
		cd_usage("--json is for list and info");
	if (o->label && (bad = tape_label_invalid(o->label)) != NULL)
		cd_usage("--label: %s", bad);
	cd_args_free(&a);
}

/* len bytes at off of the medium into buf: how many, fewer only at its
 * end or on a read error (-1 then, when nothing was read). An image file
 * is read with pread (exact at its end: libburn's reads of a file that
 * is no whole number of blocks count its last block whole). */
static ssize_t read_medium(struct device *dev, uint64_t off, void *buf,
                           size_t len)
{
	off_t got = 0;

	if (dev->lock_fd >= 0)
		return xio_pread_all(dev->lock_fd, buf, len, (off_t)off);
	if (burn_read_data(dev->drive, (off_t)off, buf, (off_t)len, &got, 2) >
	    0)
		return (ssize_t)len;
	return got > 0 && got <= (off_t)len ? (ssize_t)got : -1;
}

/* Block 0 of the medium: 1 and the header decoded; 0 when there is no
 * cdtape header (or nothing to read); -1 when there is one this program
 * cannot use (*err says how, why what). */
static int read_header(struct device *dev, struct tape_header *h,
                       enum tape_error *err, char *why, size_t whylen)
{
	unsigned char buf[TAPE_HEADER_SIZE];

	*err = TAPE_E_MAGIC;
	snprintf(why, whylen, "nothing readable at block 0");
	if (read_medium(dev, 0, buf, sizeof buf) != (ssize_t)sizeof buf)
		return 0;
	*err = tape_decode(buf, sizeof buf, h, why, whylen);
	if (*err == TAPE_OK)
		return 1;
	return *err == TAPE_E_MAGIC ? 0 : -1;
}

/* Wait for the new-volume script, seeing a cancel (the signal may come
 * to any thread, so waitpid is not counted on to be interrupted): after
 * one, the script is stopped (SIGTERM, a second later SIGKILL), never
 * waited for to its end. 0, or -1 (errno set). */
static int wait_script(pid_t pid, int *st)
{
	struct timespec nap = {0, 20 * 1000 * 1000};
	int naps = 0;
	pid_t r;

	while ((r = waitpid(pid, st, WNOHANG)) == 0 ||
	       (r < 0 && errno == EINTR)) {
		if (burn_cancel_signal && naps == 0)
			kill(pid, SIGTERM);
		if (burn_cancel_signal && ++naps == 50)
			kill(pid, SIGKILL);
		nanosleep(&nap, NULL);
	}
	return r < 0 ? -1 : 0;
}

/* Run the new-volume script for volume n: 0, or -1 after a message. Its
 * standard input is /dev/null and its output goes to stderr: standard
 * input and output carry the archive. */
static int run_script(const struct opts *o, unsigned n)
{
	char num[16];
	pid_t pid;
	int st;

	snprintf(num, sizeof num, "%u", n);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		cd_msg("cannot run the new-volume script: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null < 0 || dup2(null, 0) < 0 || dup2(2, 1) < 0)
			_exit(127);
		/* as a shell would start it (xio_init ignores them) */
		signal(SIGPIPE, SIG_DFL);
		signal(SIGXFSZ, SIG_DFL);
		setenv("CDTAPE_VOLUME", num, 1);
		setenv("CDTAPE_DEVICE", o->dev ? o->dev : "", 1);
		execl("/bin/sh", "sh", "-c", o->script, (char *)NULL);
		_exit(127);
	}
	if (wait_script(pid, &st) < 0) {
		cd_msg("cannot wait for the new-volume script: %s",
		       strerror(errno));
		return -1;
	}
	if (burn_cancel_signal) {
		cd_msg("cancelled while the new-volume script ran for volume "
		       "%u",
		       n);
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		cd_msg("the new-volume script failed for volume %u (%s %d)", n,
		       WIFEXITED(st) ? "status" : "signal",
		       WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		return -1;
	}
	return 0;
}

/* Ask on the terminal for volume n at addr, as tar -M does: 1 when the
 * person pressed Enter, 0 when they typed q (after a message), -1 when
 * there is no terminal to ask on (standard input and output carry the
 * archive, so it is /dev/tty). */
static int ask_volume(const char *addr, unsigned n)
{
	char line[64];
	FILE *tty = fopen("/dev/tty", "r+e");
	const char *p = line;
	int got;

	if (!tty)
		return -1;
	fprintf(tty,
	        "%s: insert volume %u into %s and press Enter (q and "
	        "Enter to stop): ",
	        cd_prog, n, addr ? addr : "the drive");
	fflush(tty);
	got = fgets(line, sizeof line, tty) != NULL;
	fclose(tty);
	if (burn_cancel_signal) {
		cd_msg("cancelled while asking for volume %u", n);
		return 0;
	}
	if (!got) {
		cd_msg("no answer on the terminal: stopped at volume %u", n);
		return 0;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == 'q' || *p == 'Q') {
		cd_msg("stopped at volume %u", n);
		return 0;
	}
	return 1;
}

/* How the next volume comes: named (--volumes), changed by the script
 * (-F) or by a person asked on the terminal (neither) */
static int asking(const struct opts *o)
{
	return !o->volumes.n && !o->script;
}

/* The address of volume n (1..): the n-th of --volumes, else dev= (after
 * the new-volume script has run, or the person has said the volume is
 * in, for n > 1; again is set when the volume at the address was the
 * wrong one). 0, or -1 after a message, with *status set, when there is
 * none. */
static int volume_addr(const struct opts *o, unsigned n, int again,
                       const char **addr, int *status)
{
	int r;

	/* a wrong volume is asked for again, never taken again from a list
	 * or a script (which would give it again) nor as the first */
	if (again && (n == 1 || !asking(o))) {
		*status = CD_EXIT_MEDIUM;
		return -1;
	}
	if (o->volumes.n) {
		if (n <= o->volumes.n) {
			*addr = o->volumes.v[n - 1];
			return 0;
		}
		cd_msg("volume %u is needed, and --volumes names %zu", n,
		       o->volumes.n);
		*status = CD_EXIT_MEDIUM;
		return -1;
	}
	*addr = o->dev;
	if (n == 1)
		return 0;
	if (o->script) {
		if (run_script(o, n) < 0) {
			*status = CD_EXIT_FAIL;
			return -1;
		}
		return 0;
	}
	*status = CD_EXIT_MEDIUM;
	r = ask_volume(o->dev, n);
	if (r > 0)
		return 0;
	if (r < 0 && !again)
		cd_msg("volume %u is needed: name the volumes "
		       "(--volumes=ADDR1,ADDR2,...), a command that changes "
		       "them (-F CMD), or run cdtape where it can ask on a "
		       "terminal",
		       n);
	return -1;
}

/* ---------------------------------------------------------------- save */

/* What burn_track writes for a volume, made on demand (pull): the
 * provisional header, then up to limit bytes of standard input, hashed
 * on the way (in lib/digest's thread: the hashing runs beside the
 * reading and writing), then on media written once (seq) zeros to the
 * block's end and the final header. burn_track reads it through its read
 * function: no pipe, no copy between (a real drive's FIFO thread reads a
 * pipe that a thread of ours pumps, so that no thread of libburn's ever
 * waits inside pull). What was read past a volume's end waits in own for
 * the next volume. */
enum stage { ST_HEAD, ST_DATA, ST_TAIL, ST_END };

struct feeder {
	unsigned char head[TAPE_HEADER_SIZE];
	unsigned char tail[2 * TAPE_HEADER_SIZE]; /* zeros, the trailer */
	size_t tail_len, out_pos;
	enum stage stage;
	struct tape_header *h;
	int seq;
	/* the volume's digest, and the archive's from volume 2 on (on volume
	 * 1 the two are one: its state becomes the archive's at the end) */
	struct digest vol, all;
	struct sha256_ctx all_before; /* the archive's up to this volume */
	uint64_t vol_bytes, total, limit;
	unsigned char *own;
	size_t have, pos; /* in own */
	int eof, more;
	int read_errno;    /* reading standard input failed (or a cancel) */
	volatile int stop; /* burn_track has ended: stop waiting for input */
	/* a real drive: the pump's pipe, and how writing it failed */
	int out, write_errno;
};

/* read(2) of standard input, waiting for a producer that is slow or
 * stuck while seeing a cancel (a signal) or the end of the write: > 0, or
 * 0 at its end, on a read error or a cancel (read_errno set then). */
static size_t input(struct feeder *f, unsigned char *buf, size_t len)
{
	for (;;) {
		struct pollfd p = {.fd = 0, .events = POLLIN};
		ssize_t n;
		int r;

		if (burn_cancel_signal || f->stop) {
			f->read_errno = ECANCELED;
			return 0;
		}
		r = poll(&p, 1, 200);
		if (r == 0 || (r < 0 && errno == EINTR))
			continue; /* a signal: see whether it cancels */
		n = read(0, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			f->read_errno = errno;
			return 0;
		}
		if (n == 0)
			f->eof = 1;
		return (size_t)n;
	}
}

/* The volume's header in its final form, from what the feeder counted */
static void finish_header(struct feeder *f)
{
	struct tape_header *h = f->h;
	struct sha256_ctx c;

	digest_end(&f->vol);
	h->flags = TAPE_COMPLETE | (f->more ? 0 : TAPE_LAST) |
	           (f->seq ? TAPE_TRAILER : 0);
	h->length = f->vol_bytes;
	h->total = f->total;
	c = f->vol.s;
	sha256_digest(&c, TAPE_SHA_LEN, h->sha_volume);
	if (h->volume == 1) {
		f->all_before = f->vol.s;
	} else {
		digest_end(&f->all);
		f->all_before = f->all.s;
	}
	c = f->all_before;
	sha256_digest(&c, TAPE_SHA_LEN, h->sha_total);
}

/* The payload has ended (the volume is full, or the input ended): is
 * there more? Then, written once, the trailer after it. */
static void end_data(struct feeder *f)
{
	if (!f->read_errno && !f->eof && f->pos == f->have) {
		f->have = input(f, f->own, DIGEST_SLOT);
		f->pos = 0;
	}
	f->more = !(f->pos == f->have && f->eof);
	f->out_pos = 0;
	f->stage = ST_END;
	/* unfinished: no trailer says otherwise */
	if (f->seq && !f->read_errno) {
		size_t pad =
		    (TAPE_HEADER_SIZE - f->vol_bytes % TAPE_HEADER_SIZE) %
		    TAPE_HEADER_SIZE;

		finish_header(f);
		memset(f->tail, 0, pad);
		if (tape_encode(f->h, f->tail + pad) == 0) {
			f->tail_len = pad + TAPE_HEADER_SIZE;
			f->stage = ST_TAIL;
		} else {
			f->read_errno = EOVERFLOW;
		}
	}
}

/* burn_track's read function: up to len bytes of the volume, 0 at its
 * end */
static ssize_t pull(void *arg, void *vbuf, size_t len)
{
	struct feeder *f = arg;
	unsigned char *buf = vbuf;
	size_t got = 0;

	while (got < len && f->stage != ST_END) {
		const unsigned char *from;
		size_t n, size;

		if (f->stage != ST_DATA) {
			from = f->stage == ST_HEAD ? f->head : f->tail;
			size =
			    f->stage == ST_HEAD ? sizeof f->head : f->tail_len;
			n = size - f->out_pos < len - got ? size - f->out_pos
			                                  : len - got;
			memcpy(buf + got, from + f->out_pos, n);
			f->out_pos += n;
			got += n;
			if (f->out_pos == size) {
				f->out_pos = 0;
				f->stage =
				    f->stage == ST_HEAD ? ST_DATA : ST_END;
			}
			continue;
		}
		if (f->vol_bytes == f->limit || f->read_errno ||
		    (f->eof && f->pos == f->have)) {
			end_data(f);
			continue;
		}
		n = len - got;
		if (n > f->limit - f->vol_bytes)
			n = (size_t)(f->limit - f->vol_bytes);
		if (f->pos < f->have) {
			/* what the volume before read past its end */
			if (n > f->have - f->pos)
				n = f->have - f->pos;
			memcpy(buf + got, f->own + f->pos, n);
			f->pos += n;
		} else {
			/* no waiting for input with bytes in hand */
			if (got > 0)
				break;
			n = input(f, buf + got, n);
			if (n == 0)
				continue;
		}
		digest_update(&f->vol, buf + got, n);
		if (f->h->volume > 1)
			digest_update(&f->all, buf + got, n);
		f->vol_bytes += n;
		f->total += n;
		got += n;
	}
	return (ssize_t)got;
}

/* All of len bytes into the pipe: 0, or -1 (errno set). Not
 * xio_write_all, which ends the program on EPIPE: a pipe that burn_track
 * closed after a failed write is that failure, for save to report. */
static int pipe_write(int fd, const unsigned char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A real drive: pull into the pipe its FIFO reads */
static void *pump(void *arg)
{
	struct feeder *f = arg;
	unsigned char *buf = malloc(DIGEST_SLOT);
	ssize_t n;

	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	while ((n = pull(f, buf, DIGEST_SLOT)) > 0)
		if (pipe_write(f->out, buf, (size_t)n) < 0) {
			f->write_errno = errno;
			break;
		}
	free(buf);
	close(f->out);
	f->out = -1;
	return NULL;
}

/* Is descriptor fd (standard input of save, output of restore) the
 * image file itself? Reading the archive being written, or writing over
 * the one being read, loses it. 0, or CD_EXIT_FAIL after a message. */
static int same_file(const struct device *dev, int fd, const char *what)
{
	struct stat a, b;

	if (dev->lock_fd < 0 || fstat(fd, &a) < 0 ||
	    fstat(dev->lock_fd, &b) < 0)
		return 0;
	if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return 0;
	cd_msg("%s is %s itself: nothing %s", what, device_name(dev),
	       fd == 0 ? "written" : "restored");
	return CD_EXIT_FAIL;
}

/* MMC profiles of media written once, front to back: CD-R, DVD-R (three
 * kinds), DVD+R, DVD+R DL, BD-R (two) */
static int write_once(int profile)
{
	static const int p[] = {0x09, 0x11, 0x15, 0x16, 0x1b, 0x2b, 0x41, 0x42};

	for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
		if (profile == p[i])
			return 1;
	return 0;
}

/* What the medium holds, for messages */
static const char *what_held(const struct media *m, int r,
                             const struct tape_header *old, char *buf,
                             size_t len)
{
	if (r == 1)
		snprintf(buf, len, "volume %" PRIu32 " of a cdtape archive%s%s",
		         old->volume, old->label[0] ? " labelled " : "",
		         old->label);
	else if (r < 0)
		snprintf(buf, len, "a damaged cdtape header");
	else if (m->state == MEDIA_APPENDABLE || m->state == MEDIA_CLOSED)
		snprintf(buf, len, "%s%s",
		         m->emulated ? "an ISO 9660 session" : "sessions",
		         m->emulated ? "" : " (it is written)");
	else if (m->foreign)
		snprintf(buf, len, "%s", m->foreign);
	else
		snprintf(buf, len, "%s", media_state_name(m->state));
	return buf;
}

/* Make the medium ready for volume h->volume: what is on it may be
 * written over (a cdtape archive, nothing, or anything with --force;
 * never a volume of this very archive), a CD-RW is blanked, a DVD-RW
 * formatted to be overwritten. *seq: the medium is written once, front
 * to back. 0, or the status after a message. */
static int prepare(struct device *dev, const struct opts *o,
                   const struct tape_header *h, struct media *mp, int *seq)
{
	struct tape_header old;
	struct media m;
	enum tape_error err;
	char why[160], held[320];
	const char *name = device_name(dev);
	int r, st;

	if (media_probe(dev, &m) < 0)
		return CD_EXIT_FAIL;
	*mp = m;
	*seq = 0;
	if (m.state == MEDIA_NONE) {
		cd_msg("%s: no medium in the drive", name);
		return CD_EXIT_MEDIUM;
	}
	if (m.role == 4) {
		cd_msg("%s can only be read: nothing written", name);
		return CD_EXIT_MEDIUM;
	}
	/* a pipe or a device only written: nothing there to look at */
	if (m.role == 3 || m.role == 5) {
		*seq = 1;
		return 0;
	}
	if (!m.emulated && (m.state == MEDIA_UNUSABLE ||
	                    !(write_once(m.profile) || m.profile == 0x0a ||
	                      m.profile == 0x14))) {
		/* and what it holds: tgt's writer (vmdrive --writer) calls a
		 * DVD+R it wrote a closed DVD-ROM */
		r = read_header(dev, &old, &err, why, sizeof why);
		cd_msg("%s: a %s cannot take a cdtape archive%s%s", name,
		       m.profile_name[0] ? m.profile_name : "unknown",
		       r || m.state == MEDIA_CLOSED ? ": it holds " : "",
		       r || m.state == MEDIA_CLOSED
		           ? what_held(&m, r, &old, held, sizeof held)
		           : "");
		return CD_EXIT_MEDIUM;
	}
	r = read_header(dev, &old, &err, why, sizeof why);
	/* a volume of this very archive: the volume was not changed, or one
	 * is named twice; not even --force loses it */
	if (r == 1 && h->volume > 1 &&
	    memcmp(old.id, h->id, TAPE_ID_LEN) == 0) {
		cd_msg("%s holds volume %" PRIu32 " of this archive: it is "
		       "not written over with volume %" PRIu32
		       " (the volume was not changed, or is named twice)",
		       name, old.volume, h->volume);
		return CD_EXIT_MEDIUM;
	}
	if (!m.emulated && write_once(m.profile)) {
		if (m.state != MEDIA_BLANK) {
			cd_msg("%s: the %s holds %s and is written once: "
			       "insert a blank one",
			       name, m.profile_name,
			       what_held(&m, r, &old, held, sizeof held));
			return CD_EXIT_MEDIUM;
		}
		*seq = 1;
		return 0;
	}
	/* rewritable: is what it holds ours to write over? */
	if (!o->force) {
		if (r == 1 && o->label && old.label[0] &&
		    strcmp(old.label, o->label) != 0) {
			cd_msg("%s holds %s, not '%s': nothing written "
			       "(--force writes over it)",
			       name, what_held(&m, r, &old, held, sizeof held),
			       o->label);
			return CD_EXIT_MEDIUM;
		}
		if (r < 0) {
			cd_msg("%s holds a damaged cdtape header (%s): nothing "
			       "written (--force writes over it)",
			       name, why);
			return CD_EXIT_MEDIUM;
		}
		if (r == 0 && (m.state != MEDIA_BLANK || m.foreign)) {
			cd_msg("%s holds %s: nothing written (--force writes "
			       "over it)",
			       name, what_held(&m, r, &old, held, sizeof held));
			return CD_EXIT_MEDIUM;
		}
	}
	if (r == 1 && o->verbose)
		cd_note("%s: writing over %s", name,
		        what_held(&m, r, &old, held, sizeof held));
	if (m.profile == 0x14 && !m.emulated) {
		/* a DVD-RW written front to back: formatted for overwriting
		 * (as growisofs does), then written at random */
		cd_note("%s: formatting the DVD-RW to be overwritten", name);
		if ((st = burn_format(dev, 1, 0, o->verbose)) != 0)
			return st;
	} else if (m.state != MEDIA_BLANK) {
		/* a CD-RW: blank=fast; an image file or overwriteable medium
		 * with something at block 16 (an ISO session, or a payload
		 * that looks like one): its descriptors go, so that the
		 * volume starts at block 0 */
		if (!m.emulated)
			cd_note("%s: blanking the CD-RW", name);
		if ((st = burn_blank(dev, 1, 0, 0, o->verbose)) != 0)
			return st;
	} else if (!m.emulated) {
		*seq = 1;
		return 0;
	} else {
		return 0;
	}
	if (device_regrab(dev) < 0 || media_probe(dev, &m) < 0)
		return CD_EXIT_FAIL;
	*mp = m;
	if (m.state != MEDIA_BLANK && !m.emulated) {
		cd_msg("%s: the %s is %s after blanking: nothing written", name,
		       m.profile_name, media_state_name(m.state));
		return CD_EXIT_MEDIUM;
	}
	*seq = !m.emulated;
	return 0;
}

/* After a save that failed: what the medium holds now, as it is (block 0
 * read again), never as it should be */
static void say_left(struct device *dev, const struct media *m,
                     const struct tape_header *h)
{
	struct tape_header now;
	enum tape_error err;
	char why[160];
	struct stat st;
	const char *name = device_name(dev);

	/* a file made for the save: put away again by burn_track, or empty
	 * (device_close removes it) */
	if (dev->created && (stat(dev->adr + 6, &st) < 0 || st.st_size == 0)) {
		cd_msg("%s: nothing is kept (the file is gone again)", name);
		return;
	}
	/* a pipe or a device only written: nothing to read back (and
	 * libburn would say so) */
	if (m->role == 3 || m->role == 5) {
		cd_msg("%s is only written: what went out of volume %" PRIu32
		       " has no final header (the volume is unfinished)",
		       name, h->volume);
		return;
	}
	if (device_regrab(dev) < 0) {
		cd_msg("%s may hold an unfinished volume %" PRIu32
		       " (cdtape list tells)",
		       name, h->volume);
		return;
	}
	if (read_header(dev, &now, &err, why, sizeof why) == 1 &&
	    memcmp(now.id, h->id, TAPE_ID_LEN) == 0 && now.volume == h->volume)
		cd_msg("%s: volume %" PRIu32 " is marked unfinished%s", name,
		       h->volume,
		       !dev->created && (m->state != MEDIA_BLANK || m->foreign)
		           ? ": what was there before is lost"
		           : "");
	else
		cd_msg("%s holds what it held before: nothing of volume "
		       "%" PRIu32 " was written",
		       name, h->volume);
}

/* The path of the file an address names (stdio:PATH or PATH), for a
 * look at it before libburn opens it; NULL for no address */
static const char *addr_path(const char *addr)
{
	if (addr && !strncmp(addr, "stdio:", 6))
		return addr + 6;
	return addr;
}

/* Is addr a device that keeps nothing (/dev/null, /dev/zero)? A save
 * there would end well and hold nothing. */
static int discards(const char *addr)
{
	static const char *const sinks[] = {"/dev/null", "/dev/zero"};
	struct stat a, b;

	addr = addr_path(addr);
	if (!addr || stat(addr, &a) < 0 || !S_ISCHR(a.st_mode))
		return 0;
	for (size_t i = 0; i < sizeof sinks / sizeof sinks[0]; i++)
		if (stat(sinks[i], &b) == 0 && S_ISCHR(b.st_mode) &&
		    a.st_rdev == b.st_rdev)
			return 1;
	return 0;
}

/* Write volume h->volume to addr: as much of standard input as it takes.
 * Returns the exit status; *retry is set when the medium was the wrong
 * one to write (not blank, a volume of this archive) and nothing was
 * written, so that another may be asked for. */
static int save_volume(const struct opts *o, const char *addr,
                       struct tape_header *h, struct feeder *f, int *retry)
{
	struct device dev;
	struct media m;
	struct burn_job job;
	pthread_t th;
	unsigned char final[TAPE_HEADER_SIZE];
	char what[32];
	int status = 0, fds[2], seq;
	uint64_t blocks = 0;

	*retry = 0;
	memset(&m, 0, sizeof m);
	if (discards(addr)) {
		cd_msg("%s keeps nothing written to it: no archive there could "
		       "be restored",
		       addr);
		return CD_EXIT_USAGE;
	}
	if (device_open(&dev, addr, DEVICE_CREATE, &status) < 0)
		return status ? status : CD_EXIT_FAIL;
	/* an image file: ours from the look at what it holds to the end */
	/* a cancel while waiting for another writer is said there */
	if (device_lock(&dev, 1, o->wait, &status) < 0)
		goto out;
	if ((status = same_file(&dev, 0, "standard input")) != 0)
		goto out;
	if ((status = prepare(&dev, o, h, &m, &seq)) != 0) {
		*retry = status == CD_EXIT_MEDIUM;
		goto out;
	}

	/* the blocks this volume may take: the header, the payload, and on
	 * media written once the trailer (and on a drive some to spare: a
	 * DVD's track ends on a 16-block boundary, a CD's TAO track has
	 * run-out blocks) */
	if (o->capacity)
		blocks = o->capacity / TAPE_HEADER_SIZE;
	else if (m.role == 1 && m.free_blocks > 0)
		blocks = (uint64_t)m.free_blocks - (seq ? 32 : 0);
	f->limit = UINT64_MAX;
	if (blocks) {
		uint64_t meta = seq ? 2 : 1;

		if (blocks <= meta) {
			cd_msg("%s: a volume of %" PRIu64 " blocks has no "
			       "room for data: its header%s take%s them "
			       "(--capacity)",
			       device_name(&dev), blocks,
			       seq ? " and trailer" : "", seq ? "" : "s");
			status = CD_EXIT_MEDIUM;
			goto out;
		}
		f->limit = (blocks - meta) * TAPE_HEADER_SIZE;
	}
	f->h = h;
	f->seq = seq;
	f->stop = 0;
	f->stage = ST_HEAD;
	f->out_pos = 0;
	f->out = -1;
	f->write_errno = 0;
	f->vol_bytes = 0;
	digest_init(&f->vol, 0, 1);
	if (h->volume > 1) {
		digest_init(&f->all, 0, 1);
		f->all.s = f->all_before;
	}
	h->flags = seq ? TAPE_TRAILER : 0;
	h->length = 0;
	h->total = h->volume == 1 ? 0 : f->total;
	if (tape_encode(h, f->head) < 0)
		cd_die(CD_EXIT_FAIL, "cannot encode the header");
	memset(&job, 0, sizeof job);
	job.fd = -1;
	if (m.role == 1) {
		/* a drive: libburn's FIFO thread reads a pipe we fill */
		if (pipe(fds) < 0)
			cd_die(CD_EXIT_FAIL, "cannot make a pipe: %s",
			       strerror(errno));
		f->out = fds[1];
		if (pthread_create(&th, NULL, pump, f) != 0)
			cd_die(CD_EXIT_FAIL, "cannot start a thread");
		job.fd = fds[0];
	} else {
		job.read = pull;
		job.read_arg = f;
	}
	job.name = "standard input";
	job.size = -1;
	job.force = 1; /* what is there was looked at above */
	/* the unfinished header first: a save cut short (a signal, a
	 * crash) leaves a volume that says so, not one that looks blank */
	job.no_hold = 1;
	job.fifo_mb = 4;
	job.progress = o->progress;
	snprintf(what, sizeof what, "volume %" PRIu32, h->volume);
	job.progress_what = what;
	job.verbose = o->verbose;
	if (o->capacity)
		job.capacity_blocks = (int64_t)(o->capacity / TAPE_HEADER_SIZE);
	status = burn_track(&dev, &job);
	/* burn_track has read all it will: the pump ends */
	f->stop = 1;
	if (job.fd >= 0) {
		close(fds[0]);
		pthread_join(th, NULL);
	}
	digest_end(&f->vol);
	if (h->volume > 1)
		digest_end(&f->all);

	if (burn_cancel_signal) {
		cd_msg("cancelled");
		status = 128 + abs(burn_cancel_signal);
	} else if (status == 0 && f->read_errno) {
		/* (after a write that failed, burn_track said why, and the
		 * pump's input was only stopped) */
		cd_msg("cannot read standard input: %s",
		       strerror(f->read_errno));
		status = CD_EXIT_FAIL;
	} else if (status == 0 && f->write_errno) {
		cd_msg("%s: the write ended before standard input did",
		       device_name(&dev));
		status = CD_EXIT_FAIL;
	}
	if (status != 0) {
		say_left(&dev, &m, h);
		goto out;
	}
	if (!seq) {
		/* written at random: the header again, in its final form,
		 * after the payload (burn_track synced it to the medium) */
		finish_header(f);
		if (tape_encode(h, final) < 0) {
			cd_msg("the archive is too long for a cdtape header");
			status = CD_EXIT_FAIL;
			goto out;
		}
		if (device_regrab(&dev) < 0 ||
		    burn_random_access_write(dev.drive, 0, (char *) final,
		                             sizeof final, 1) <= 0) {
			device_messages(o->verbose);
			cd_msg("%s: cannot write the finished header: volume "
			       "%" PRIu32 " is marked unfinished",
			       device_name(&dev), h->volume);
			status = CD_EXIT_FAIL;
			goto out;
		}
	}
	if (f->more)
		cd_note("volume %" PRIu32 " on %s is full: %" PRIu64
		        " bytes; volume %" PRIu32 " next",
		        h->volume, device_name(&dev), h->length, h->volume + 1);
out:
	/* a full volume comes out of the drive when a person changes it */
	device_close(&dev,
	             asking(o) && m.role == 1 &&
	                 (status == 0 ? f->more : *retry && h->volume > 1));
	return status;
}

/* Is addr (stdio:/dev/stdout, /dev/fd/1) a pipe or socket without a
 * name: one stream, in which no script or person changes the volume (a
 * FIFO gets a new reader, a drive a new disc). *st: which one. */
static int one_stream(const char *addr, struct stat *st)
{
	struct statfs fs;

	addr = addr_path(addr);
	if (!addr || stat(addr, st) < 0 || statfs(addr, &fs) < 0)
		return 0;
	return (S_ISFIFO(st->st_mode) && fs.f_type == PIPEFS_MAGIC) ||
	       S_ISSOCK(st->st_mode);
}

/* Would volume n (> 1) go into the stream an earlier one went to? It
 * would follow that volume there, where no reader takes the two apart. 0,
 * or CD_EXIT_MEDIUM after a message. */
static int stream_again(const struct opts *o, unsigned n)
{
	const char *addr =
	    o->volumes.n ? (n <= o->volumes.n ? o->volumes.v[n - 1] : NULL)
	                 : o->dev;
	struct stat a, b;

	if (!one_stream(addr, &a))
		return 0;
	for (unsigned k = 1; k < n; k++) {
		const char *was = o->volumes.n ? o->volumes.v[k - 1] : o->dev;

		if (one_stream(was, &b) && a.st_dev == b.st_dev &&
		    a.st_ino == b.st_ino) {
			cd_msg("%s is a pipe: volume %u cannot follow volume "
			       "%u in it (name a file or FIFO for each "
			       "volume with --volumes)",
			       addr, n, k);
			return CD_EXIT_MEDIUM;
		}
	}
	return 0;
}

/* Standard input was closed when cdtape started */
static int stdin_closed;

static int save(const struct opts *o)
{
	uint64_t before;
	struct stat st;
	struct tape_header h;
	struct feeder f;
	const char *addr;
	int status = 0, again = 0;

	/* xio_init gave a closed standard input /dev/null: an empty
	 * archive and exit 0 would look like a backup */
	if (stdin_closed)
		cd_die(CD_EXIT_FAIL, "standard input is closed: nothing to "
		                     "save");
	if (isatty(0))
		cd_die(CD_EXIT_USAGE,
		       "refusing to read the archive from a terminal: "
		       "redirect standard input from a file or a pipe");
	if (tape_header_init(&h, (uint64_t)time(NULL)) < 0)
		cd_die(CD_EXIT_FAIL,
		       "cannot get random bits for the archive id: %s",
		       strerror(errno));
	if (o->label)
		snprintf(h.label, sizeof h.label, "%s", o->label);
	/* a signal cancels the write cleanly, as in cdwrite */
	burn_catch_signals();
	/* a pipe into cdtape holds a MiB, not 64 KiB: a read takes more at
	 * once, and the producer waits less (where the system allows) */
	if (fstat(0, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(0, F_SETPIPE_SZ, DIGEST_SLOT);
	memset(&f, 0, sizeof f);
	f.own = malloc(DIGEST_SLOT);
	if (!f.own)
		cd_die(CD_EXIT_FAIL, "out of memory");

	device_init(o->verbose);
	for (unsigned n = 1;;) {
		h.volume = n;
		if (n > TAPE_VOLUME_MAX) {
			cd_msg("more than %d volumes", TAPE_VOLUME_MAX);
			status = CD_EXIT_FAIL;
			break;
		}
		if ((n > 1 && (status = stream_again(o, n)) != 0) ||
		    volume_addr(o, n, again, &addr, &status) < 0) {
			if (burn_cancel_signal)
				status = 128 + abs(burn_cancel_signal);
			cd_msg("the archive is cut short after volume %u: "
			       "saved %" PRIu64 " bytes",
			       n - 1, f.total);
			break;
		}
		before = f.total;
		status = save_volume(o, addr, &h, &f, &again);
		if (status != 0 && again && n > 1 && asking(o))
			continue; /* another medium, asked for */
		if (status != 0) {
			if (n > 1)
				cd_msg("the archive is cut short after volume "
				       "%u: saved %" PRIu64 " bytes",
				       n - 1, before);
			break;
		}
		if (!f.more) {
			char hex[2 * TAPE_SHA_LEN + 1];

			tape_hex(h.sha_total, TAPE_SHA_LEN, hex);
			cd_note("saved %" PRIu64 " bytes in %u volume%s, "
			        "sha256 %s",
			        f.total, n, n > 1 ? "s" : "", hex);
			break;
		}
		n++;
	}
	device_finish();
	free(f.own);
	return status;
}

/* ------------------------------------------------------ restore, verify */

/* The end of what the medium holds, in blocks: an image file's length, a
 * disc's first track's end, else what the drive says can be read (READ
 * CAPACITY); 0 when not known. */
static uint64_t medium_end(struct device *dev)
{
	struct media m;
	struct stat st;
	int cap = 0;

	if (dev->lock_fd >= 0)
		return fstat(dev->lock_fd, &st) == 0
		           ? (uint64_t)st.st_size / TAPE_HEADER_SIZE
		           : 0;
	if (media_probe(dev, &m) < 0 || (m.ntracks >= 1 && m.tracks[0].start))
		return 0;
	if (m.ntracks >= 1 && m.tracks[0].size > 0)
		return (uint64_t)m.tracks[0].size;
	/* a track of no length: tgt's emulated writer (vmdrive --writer)
	 * answers READ TOC of the disc it wrote with lead-out 0 */
	if (burn_get_read_capacity(dev->drive, &cap, 0) > 0 && cap > 0)
		return (uint64_t)cap;
	return 0;
}

/* A volume written once: its final header, the trailer after the
 * payload (lib/tape.h). h is block 0's header, replaced by the trailer.
 * 1 found, 0 not (the save did not finish, or the volume was cut
 * short), -1 found damaged (its own SHA-256 does not match; why says
 * so). */
static int find_trailer(struct device *dev, struct tape_header *h, char *why,
                        size_t whylen)
{
	unsigned char buf[TAPE_HEADER_SIZE];
	uint64_t end = medium_end(dev), first = h->offset / TAPE_HEADER_SIZE;
	struct tape_header t;
	enum tape_error e;

	/* from the end back over zero blocks, and blocks that do not read
	 * (a CD's run-out), to the first that is neither */
	for (uint64_t b = end; b > first && end - b < 64; b--) {
		size_t i;

		if (read_medium(dev, (b - 1) * TAPE_HEADER_SIZE, buf,
		                sizeof buf) != (ssize_t)sizeof buf)
			continue;
		for (i = 0; i < sizeof buf && buf[i] == 0; i++)
			;
		if (i == sizeof buf)
			continue;
		e = tape_decode(buf, sizeof buf, &t, why, whylen);
		if (e == TAPE_E_CHECKSUM)
			return -1;
		if (e != TAPE_OK || memcmp(t.id, h->id, TAPE_ID_LEN) != 0 ||
		    t.volume != h->volume || t.offset != h->offset ||
		    (t.flags & (TAPE_COMPLETE | TAPE_TRAILER)) !=
		        (TAPE_COMPLETE | TAPE_TRAILER) ||
		    (t.offset + t.length + TAPE_HEADER_SIZE - 1) /
		            TAPE_HEADER_SIZE !=
		        b - 1)
			return 0;
		*h = t;
		return 1;
	}
	return 0;
}

/* Open the volume at addr and read its header (the final one: the
 * trailer of a volume written once). 0, or the status after a message. */
static int open_archive(struct device *dev, const char *addr,
                        struct tape_header *h)
{
	enum tape_error err;
	char why[160];
	int status = 0, r;

	if (device_open(dev, addr, DEVICE_EXISTING, &status) < 0)
		return status ? status : CD_EXIT_FAIL;
	/* an image file: as it is before a save or after it */
	if (device_lock(dev, 0, 1, &status) < 0)
		return status;
	r = read_header(dev, h, &err, why, sizeof why);
	if (r == 0) {
		struct media m;
		const char *what = "no cdtape archive";

		if (media_probe(dev, &m) == 0) {
			if (m.role == 3 || m.role == 5)
				what = "nothing cdtape can read (it is only "
				       "written: save a stream from a pipe "
				       "into a file first)";
			else if (m.state == MEDIA_APPENDABLE ||
			         m.state == MEDIA_CLOSED)
				what = m.emulated
				           ? "an ISO 9660 session"
				           : "sessions of something else";
			else if (m.foreign)
				what = m.foreign;
			else if (m.state == MEDIA_BLANK)
				what = "nothing (blank)";
			else if (m.state == MEDIA_NONE)
				what = "no medium";
		}
		cd_msg("%s holds no cdtape archive: it holds %s",
		       device_name(dev), what);
		return CD_EXIT_MEDIUM;
	}
	if (r < 0) {
		cd_msg("%s: %s", device_name(dev), why);
		return err == TAPE_E_VERSION    ? CD_EXIT_MEDIUM
		       : err == TAPE_E_CHECKSUM ? CD_EXIT_MISMATCH
		                                : CD_EXIT_FAIL;
	}
	if ((h->flags & TAPE_TRAILER) && !(h->flags & TAPE_COMPLETE) &&
	    find_trailer(dev, h, why, sizeof why) < 0) {
		cd_msg("%s: the final header after the payload is damaged: %s",
		       device_name(dev), why);
		return CD_EXIT_MISMATCH;
	}
	return 0;
}

static void close_archive(struct device *dev)
{
	if (dev->drive || dev->info)
		device_close(dev, 0);
}

/* What restore carries from volume to volume */
struct reader {
	struct tape_header first;
	struct sha256_ctx all_before; /* of the archive before this volume */
	uint64_t total;               /* bytes of it */
	unsigned char *own;
	int out, last;
	struct progress pr;
};

/* Is h volume n of the archive r reads? 0, or the status after a
 * message; *retry is set when it is another volume or archive. */
static int right_volume(const struct opts *o, const struct device *dev,
                        const struct reader *r, const struct tape_header *h,
                        unsigned n, int *retry)
{
	char want[2 * TAPE_ID_LEN + 1], got[2 * TAPE_ID_LEN + 1];

	*retry = 0;
	if (n == 1 && o->label && strcmp(h->label, o->label) != 0) {
		cd_msg("%s holds an archive labelled '%s', not '%s'",
		       device_name(dev), h->label, o->label);
		return CD_EXIT_MEDIUM;
	}
	if (n > 1 && memcmp(h->id, r->first.id, TAPE_ID_LEN) != 0) {
		tape_hex(r->first.id, TAPE_ID_LEN, want);
		tape_hex(h->id, TAPE_ID_LEN, got);
		cd_msg("%s holds volume %" PRIu32 " of another archive (%s), "
		       "not volume %u of %s",
		       device_name(dev), h->volume, got, n, want);
		*retry = 1;
		return CD_EXIT_MEDIUM;
	}
	if (h->volume != n) {
		cd_msg("%s holds volume %" PRIu32 " of the archive, not volume "
		       "%u%s",
		       device_name(dev), h->volume, n,
		       n == 1 ? " (start with the first)" : "");
		*retry = 1;
		return CD_EXIT_MEDIUM;
	}
	if (!(h->flags & TAPE_COMPLETE)) {
		cd_msg("%s: volume %" PRIu32 ": its save did not finish%s: "
		       "nothing more to restore",
		       device_name(dev), h->volume,
		       h->flags & TAPE_TRAILER
		           ? " (no final header after its payload)"
		           : "");
		return CD_EXIT_MEDIUM;
	}
	if (h->total != r->total + h->length) {
		cd_msg("%s: volume %u says the archive is %" PRIu64
		       " bytes to its end, but the volumes before it held "
		       "%" PRIu64 " and it holds %" PRIu64,
		       device_name(dev), n, h->total, r->total, h->length);
		return CD_EXIT_MEDIUM;
	}
	return 0;
}

static int restore_volume(const struct opts *o, const char *addr, unsigned n,
                          struct reader *r, int *retry)
{
	struct device dev;
	struct tape_header h;
	struct digest vol, all;
	struct sha256_ctx c;
	unsigned char got_sha[TAPE_SHA_LEN], all_sha[TAPE_SHA_LEN];
	uint64_t done = 0;
	int status, dual = n > 1;
	char what[32];

	*retry = 0;
	memset(&dev, 0, sizeof dev);
	dev.lock_fd = -1;
	digest_init(&vol, 0, 1);
	digest_init(&all, 0, dual);
	all.s = r->all_before;
	if ((status = open_archive(&dev, addr, &h)) != 0 ||
	    (r->out && (status = same_file(&dev, 1, "standard output")) != 0) ||
	    (status = right_volume(o, &dev, r, &h, n, retry)) != 0)
		goto end;
	if (n == 1)
		r->first = h;
	snprintf(what, sizeof what, "volume %u", n);
	progress_what(&r->pr, what);
	while (done < h.length) {
		unsigned char *buf = digest_slot(&vol);
		size_t want;
		ssize_t got;

		if (!buf)
			buf = r->own;
		want = h.length - done < DIGEST_SLOT ? (size_t)(h.length - done)
		                                     : DIGEST_SLOT;
		got = read_medium(&dev, h.offset + done, buf, want);
		if (got != (ssize_t)want) {
			/* what was read before the end is good to keep */
			if (got > 0) {
				if (r->out)
					xio_write_all(1, buf, (size_t)got);
				done += (uint64_t)got;
			}
			progress_end(&r->pr, r->total + done);
			cd_msg("%s: volume %u: cannot read bytes %" PRIu64
			       " to %" PRIu64 " of the archive (truncated or a "
			       "read error)%s",
			       device_name(&dev), n, r->total + done, h.total,
			       r->out ? ": the bytes before them were written, "
			                "unchecked"
			              : "");
			status = CD_EXIT_MEDIUM;
			goto end;
		}
		digest_update(&vol, buf, want);
		if (dual)
			digest_update(&all, buf, want);
		if (r->out && xio_write_all(1, buf, want) < 0) {
			cd_msg("cannot write standard output: %s",
			       strerror(errno));
			status = CD_EXIT_FAIL;
			goto end;
		}
		done += want;
		progress_update(&r->pr, r->total + done);
	}
	digest_end(&vol);
	digest_end(&all);
	c = vol.s;
	sha256_digest(&c, TAPE_SHA_LEN, got_sha);
	c = dual ? all.s : vol.s;
	sha256_digest(&c, TAPE_SHA_LEN, all_sha);
	if (memcmp(got_sha, h.sha_volume, TAPE_SHA_LEN) != 0 ||
	    memcmp(all_sha, h.sha_total, TAPE_SHA_LEN) != 0) {
		char want_hex[2 * TAPE_SHA_LEN + 1],
		    got_hex[2 * TAPE_SHA_LEN + 1];

		tape_hex(h.sha_volume, TAPE_SHA_LEN, want_hex);
		tape_hex(got_sha, TAPE_SHA_LEN, got_hex);
		cd_msg("%s: volume %u: bytes %" PRIu64 " to %" PRIu64
		       " of the archive do not match their SHA-256 (saved %s, "
		       "read %s): the archive is damaged%s",
		       device_name(&dev), n, r->total, h.total, want_hex,
		       got_hex,
		       r->out ? " (they were written: do not use them)" : "");
		status = CD_EXIT_MISMATCH;
		goto end;
	}
	if (o->cmd == CMD_VERIFY)
		cd_note("%s: volume %u: %" PRIu64 " bytes, sha256 matches",
		        device_name(&dev), n, h.length);
	r->all_before = dual ? all.s : vol.s;
	r->total = h.total;
	r->last = (h.flags & TAPE_LAST) != 0;
end:
	digest_end(&vol);
	digest_end(&all);
	/* a volume done comes out of the drive when a person changes it */
	if (dev.drive || dev.info)
		device_close(&dev,
		             asking(o) && strncmp(dev.adr, "stdio:", 6) != 0 &&
		                 (status == 0 ? !r->last : *retry && n > 1));
	return status;
}

/* Is standard output one of the volumes named (dev=, --volumes)? The
 * volumes before it would be restored over it before it is read; the
 * first over itself. 0, or CD_EXIT_FAIL after a message. */
static int output_is_volume(const struct opts *o)
{
	size_t n = o->volumes.n ? o->volumes.n : 1;
	struct stat out, st;

	if (fstat(1, &out) < 0 || !S_ISREG(out.st_mode))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const char *addr =
		    addr_path(o->volumes.n ? o->volumes.v[i] : o->dev);

		if (!addr || stat(addr, &st) < 0 || st.st_dev != out.st_dev ||
		    st.st_ino != out.st_ino)
			continue;
		cd_msg("standard output is %s itself (volume %zu): nothing "
		       "restored%s",
		       addr, i + 1,
		       st.st_size == 0 ? ": the shell emptied it (>) before "
		                         "cdtape started"
		                       : "");
		return CD_EXIT_FAIL;
	}
	return 0;
}

static int restore(const struct opts *o)
{
	struct reader r;
	const char *addr;
	int status = 0, again = 0;

	memset(&r, 0, sizeof r);
	r.out = o->cmd == CMD_RESTORE;
	if (r.out)
		xio_refuse_tty(1, "the archive");
	if (r.out && (status = output_is_volume(o)) != 0)
		return status;
	r.own = malloc(DIGEST_SLOT);
	if (!r.own)
		cd_die(CD_EXIT_FAIL, "out of memory");
	sha256_init(&r.all_before);
	progress_init(&r.pr, o->progress, 0);
	device_init(o->verbose);
	for (unsigned n = 1; !r.last;) {
		if (volume_addr(o, n, again, &addr, &status) < 0) {
			cd_msg("the archive goes on after volume %u: %" PRIu64
			       " bytes%s",
			       n - 1, r.total,
			       r.out ? " were written" : " were checked");
			break;
		}
		status = restore_volume(o, addr, n, &r, &again);
		if (status != 0 && again && n > 1 && asking(o))
			continue; /* the wrong volume: ask again */
		if (status != 0)
			break;
		n++;
	}
	progress_end(&r.pr, r.total);
	device_finish();
	free(r.own);
	return status;
}

/* ---------------------------------------------------------------- list */

static void print_header(const struct device *dev, const struct tape_header *h,
                         int as_json)
{
	char id[2 * TAPE_ID_LEN + 1], sv[2 * TAPE_SHA_LEN + 1],
	    st[2 * TAPE_SHA_LEN + 1], date[64] = "";
	time_t t = (time_t)h->date;
	struct tm tm;

	tape_hex(h->id, TAPE_ID_LEN, id);
	tape_hex(h->sha_volume, TAPE_SHA_LEN, sv);
	tape_hex(h->sha_total, TAPE_SHA_LEN, st);
	if (h->date <= (uint64_t)INT64_MAX && gmtime_r(&t, &tm))
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (as_json) {
		printf("{\"device\":");
		json_str(stdout, device_name(dev));
		printf(
		    ",\"version\":%u,\"archive_id\":\"%s\",\"volume\":%" PRIu32
		    ",\"complete\":%s,\"last\":%s,\"written_once\":%s,"
		    "\"label\":",
		    h->version, id, h->volume,
		    h->flags & TAPE_COMPLETE ? "true" : "false",
		    h->flags & TAPE_LAST ? "true" : "false",
		    h->flags & TAPE_TRAILER ? "true" : "false");
		json_str(stdout, h->label);
		printf(",\"date\":%" PRIu64 ",\"date_utc\":", h->date);
		json_str(stdout, date);
		printf(",\"payload_offset\":%" PRIu64
		       ",\"payload_length\":%" PRIu64
		       ",\"total_length\":%" PRIu64
		       ",\"sha256\":\"%s\",\"total_sha256\":\"%s\"}\n",
		       h->offset, h->length, h->total, sv, st);
		return;
	}
	printf("device: %s\n", device_name(dev));
	printf("format version: %u\n", h->version);
	printf("archive id: %s\n", id);
	printf("volume: %" PRIu32 "%s\n", h->volume,
	       h->flags & TAPE_LAST ? " (last)" : "");
	printf("complete: %s\n",
	       h->flags & TAPE_COMPLETE ? "yes"
	       : h->flags & TAPE_TRAILER
	           ? "no (no final header after the payload: the save did "
	             "not finish, or the volume is cut short)"
	           : "no (the save did not finish)");
	printf("written: %s\n", h->flags & TAPE_TRAILER
	                            ? "once, front to back (final header "
	                              "after the payload)"
	                            : "at random (final header at block 0)");
	printf("label: %s\n", h->label);
	printf("date: %s\n", date);
	printf("payload: %" PRIu64 " bytes at byte %" PRIu64 "\n", h->length,
	       h->offset);
	printf("total: %" PRIu64 " bytes\n", h->total);
	printf("sha256: %s\n", sv);
	printf("total sha256: %s\n", st);
}

/* The header of each volume named (dev=, or each of --volumes) */
static int list(const struct opts *o)
{
	size_t n = o->volumes.n ? o->volumes.n : 1;
	int status = 0;

	device_init(o->verbose);
	for (size_t i = 0; i < n; i++) {
		struct device dev;
		struct tape_header h;
		int st = open_archive(
		    &dev, o->volumes.n ? o->volumes.v[i] : o->dev, &h);

		if (st == 0)
			print_header(&dev, &h, o->json);
		close_archive(&dev);
		if (st > status)
			status = st;
	}
	device_finish();
	return status;
}

int main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof o);
	cd_set_prog(argv[0]);
	stdin_closed = fcntl(0, F_GETFD) < 0 && errno == EBADF;
	xio_init();
	parse(argc, argv, &o);
	switch (o.cmd) {
	case CMD_SAVE: {
		int st = save(&o);

		if (st > 128) {
			/* cancelled: die of the signal, as the shell expects */
			signal(st - 128, SIG_DFL);
			raise(st - 128);
		}
		cd_raise(st);
		break;
	}
	case CMD_RESTORE:
	case CMD_VERIFY:
		cd_raise(restore(&o));
		break;
	case CMD_LIST:
		cd_raise(list(&o));
		break;
	}
	cd_exit();
}
