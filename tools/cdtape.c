/* cdtape: a rewritable disc or image file used like a tape drive: `tar cf
 * - dir | cdtape save`, `cdtape restore | tar tvf -`. The medium holds a
 * header (lib/tape.h) and the bytes of standard input, exactly; restore
 * gives them back and checks their SHA-256 as it goes.
 *
 * This version writes one volume, to media written at random (image files
 * and overwriteable media): the header at block 0 is written first with
 * its "complete" flag clear, then the payload, then the header again
 * with the payload's length and digests. */
#include "config.h"

#include "args.h"
#include "burn.h"
#include "cli.h"
#include "device.h"
#include "json.h"
#include "media.h"
#include "tape.h"
#include "xio.h"

#include <errno.h>
#include <inttypes.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	O_DEV = 1,
	O_FORCE,
	O_HELP,
	O_JSON,
	O_LABEL,
	O_PROGRESS,
	O_QUIET,
	O_VERBOSE,
	O_VERSION,
};

/* sorted by name, then form (lib/args.h) */
static const struct cd_arg options[] = {
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
    {.name = "progress", .id = O_PROGRESS},
    {.name = "q", .id = O_QUIET},
    {.name = "quiet", .id = O_QUIET},
    {.name = "v", .id = O_VERBOSE},
    {.name = "verbose", .id = O_VERBOSE},
    {.name = "version", .id = O_VERSION},
};

enum cmd { CMD_SAVE = 1, CMD_RESTORE, CMD_VERIFY, CMD_LIST };

struct opts {
	enum cmd cmd;
	const char *dev;
	const char *label;
	int force, json, verbose;
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
	    "255 "
	    "bytes)\n"
	    "  --force            save: write over a medium that holds "
	    "something else\n"
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
		case O_FORCE:
			o->force = 1;
			break;
		case O_HELP:
			usage();
			cd_exit();
		case O_JSON:
			o->json = 1;
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
	if (o->label && o->cmd != CMD_SAVE)
		cd_usage("--label is for save");
	if (o->force && o->cmd != CMD_SAVE)
		cd_usage("--force is for save");
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

/* ---------------------------------------------------------------- save */

/* Standard input into a pipe that burn_track reads: the provisional
 * header first, then every byte, hashed on the way. */
struct feeder {
	int out; /* the pipe's write end */
	unsigned char head[TAPE_HEADER_SIZE];
	struct sha256_ctx sha;
	uint64_t bytes;
	int read_errno;  /* reading standard input failed */
	int write_errno; /* burn_track stopped reading */
};

static void *feed(void *arg)
{
	struct feeder *f = arg;
	size_t cap = 1024 * 1024;
	unsigned char *buf = malloc(cap);

	if (!buf) {
		f->read_errno = ENOMEM;
		goto out;
	}
	if (xio_write_all(f->out, f->head, sizeof f->head) < 0) {
		f->write_errno = errno;
		goto out;
	}
	for (;;) {
		ssize_t n = read(0, buf, cap);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			f->read_errno = errno;
			break;
		}
		if (n == 0)
			break;
		sha256_update(&f->sha, (size_t)n, buf);
		f->bytes += (uint64_t)n;
		if (xio_write_all(f->out, buf, (size_t)n) < 0) {
			f->write_errno = errno;
			break;
		}
	}
out:
	free(buf);
	close(f->out);
	f->out = -1;
	return NULL;
}

/* What is on the medium may be written over: a cdtape archive, nothing,
 * or anything with --force. 0, or the status after a message. */
static int may_overwrite(struct device *dev, const struct opts *o)
{
	struct tape_header old;
	struct media m;
	enum tape_error err;
	char why[160];
	int r;

	if (media_probe(dev, &m) < 0)
		return CD_EXIT_FAIL;
	if (!m.emulated || m.role == 3 || m.role == 5) {
		cd_msg("%s: %s: this version of cdtape writes only image files "
		       "and overwriteable media (DVD+RW, DVD-RW restricted "
		       "overwrite, DVD-RAM, BD-RE)",
		       device_name(dev),
		       m.profile_name[0] ? m.profile_name : "unknown medium");
		return CD_EXIT_MEDIUM;
	}
	if (o->force) {
		/* an ISO session: only another can follow it, unless the
		 * medium starts over */
		if (m.state == MEDIA_APPENDABLE)
			return burn_blank(dev, 1, 0, 0, o->verbose);
		return 0;
	}
	r = read_header(dev, &old, &err, why, sizeof why);
	if (r == 1) {
		if (o->verbose)
			cd_note(
			    "%s: writing over cdtape archive volume %" PRIu32
			    "%s%s",
			    device_name(dev), old.volume,
			    old.label[0] ? " labelled " : "", old.label);
		return 0;
	}
	if (r < 0) {
		cd_msg("%s holds a damaged cdtape header (%s): nothing written "
		       "(--force writes over it)",
		       device_name(dev), why);
		return CD_EXIT_MEDIUM;
	}
	if (m.state == MEDIA_APPENDABLE) {
		cd_msg("%s holds an ISO 9660 session (%" PRId64
		       " blocks): nothing written (--force writes over it)",
		       device_name(dev), m.volume_blocks);
		return CD_EXIT_MEDIUM;
	}
	if (m.state != MEDIA_BLANK || m.foreign) {
		cd_msg("%s is not blank: it holds %s: nothing written (--force "
		       "writes over it)",
		       device_name(dev),
		       m.foreign ? m.foreign : media_state_name(m.state));
		return CD_EXIT_MEDIUM;
	}
	return 0;
}

static int save(const struct opts *o)
{
	struct device dev;
	struct tape_header h;
	struct feeder f;
	struct burn_job job;
	pthread_t th;
	unsigned char final[TAPE_HEADER_SIZE];
	int status = 0, fds[2];

	xio_refuse_tty(0, "standard input");
	if (tape_header_init(&h, (uint64_t)time(NULL)) < 0)
		cd_die(CD_EXIT_FAIL,
		       "cannot get random bits for the archive "
		       "id: %s",
		       strerror(errno));
	if (o->label)
		snprintf(h.label, sizeof h.label, "%s", o->label);

	device_init(o->verbose);
	if (device_open(&dev, o->dev, DEVICE_CREATE, &status) < 0) {
		device_finish();
		return status ? status : CD_EXIT_FAIL;
	}
	/* an image file: ours from the look at what it holds to the end */
	if (device_lock(&dev, 1, 0, &status) < 0)
		goto out;
	if ((status = may_overwrite(&dev, o)) != 0)
		goto out;

	memset(&f, 0, sizeof f);
	sha256_init(&f.sha);
	if (tape_encode(&h, f.head) < 0)
		cd_die(CD_EXIT_FAIL, "cannot encode the header");
	if (pipe(fds) < 0)
		cd_die(CD_EXIT_FAIL, "cannot make a pipe: %s", strerror(errno));
	f.out = fds[1];
	if (pthread_create(&th, NULL, feed, &f) != 0)
		cd_die(CD_EXIT_FAIL, "cannot start a thread");

	memset(&job, 0, sizeof job);
	job.fd = fds[0];
	job.name = "standard input";
	job.size = -1;
	job.force = 1; /* what is there was looked at above */
	job.fifo_mb = 4;
	job.progress = o->progress;
	job.verbose = o->verbose;
	status = burn_track(&dev, &job);
	/* burn_track has read all it will: the feeder ends */
	close(fds[0]);
	pthread_join(th, NULL);

	if (f.read_errno) {
		cd_msg("cannot read standard input: %s: the archive on %s is "
		       "marked unfinished",
		       strerror(f.read_errno), device_name(&dev));
		status = status ? status : CD_EXIT_FAIL;
		goto out;
	}
	if (status != 0)
		goto out;
	if (f.write_errno) {
		cd_msg("%s: the write ended before standard input did: the "
		       "archive is marked unfinished",
		       device_name(&dev));
		status = CD_EXIT_FAIL;
		goto out;
	}

	h.flags = TAPE_COMPLETE | TAPE_LAST;
	h.length = h.total = f.bytes;
	sha256_digest(&f.sha, TAPE_SHA_LEN, h.sha_volume);
	memcpy(h.sha_total, h.sha_volume, TAPE_SHA_LEN);
	if (tape_encode(&h, final) < 0) {
		cd_msg("the archive is too long for a cdtape header");
		status = CD_EXIT_FAIL;
		goto out;
	}
	if (device_regrab(&dev) < 0 ||
	    burn_random_access_write(dev.drive, 0, (char *) final, sizeof final,
	                             1) <= 0) {
		device_messages(o->verbose);
		cd_msg("%s: cannot write the finished header: the archive is "
		       "marked unfinished",
		       device_name(&dev));
		status = CD_EXIT_FAIL;
		goto out;
	}
	{
		char hex[2 * TAPE_SHA_LEN + 1];

		tape_hex(h.sha_volume, TAPE_SHA_LEN, hex);
		cd_note("saved %" PRIu64 " bytes to %s, sha256 %s", f.bytes,
		        device_name(&dev), hex);
	}
out:
	device_close(&dev, 0);
	device_finish();
	return status;
}

/* ------------------------------------------------------ restore, verify */

static int open_archive(struct device *dev, const struct opts *o,
                        struct tape_header *h)
{
	enum tape_error err;
	char why[160];
	int status = 0, r;

	device_init(o->verbose);
	if (device_open(dev, o->dev, DEVICE_EXISTING, &status) < 0) {
		device_finish();
		return status ? status : CD_EXIT_FAIL;
	}
	/* an image file: as it is before a save or after it */
	if (device_lock(dev, 0, 1, &status) < 0)
		return status;
	r = read_header(dev, h, &err, why, sizeof why);
	if (r == 0) {
		struct media m;
		const char *what = "no cdtape archive";

		if (media_probe(dev, &m) == 0) {
			if (m.state == MEDIA_APPENDABLE)
				what = "an ISO 9660 session";
			else if (m.foreign)
				what = m.foreign;
			else if (m.state == MEDIA_BLANK)
				what = "nothing (blank)";
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
	return 0;
}

static int restore(const struct opts *o)
{
	struct device dev;
	struct tape_header h;
	struct sha256_ctx sha;
	struct progress pr;
	unsigned char got_sha[TAPE_SHA_LEN];
	size_t cap = 1024 * 1024;
	unsigned char *buf;
	uint64_t done = 0;
	int status, out = o->cmd == CMD_RESTORE;

	if (out)
		xio_refuse_tty(1, "the archive");
	if ((status = open_archive(&dev, o, &h)) != 0)
		goto end;
	if (!(h.flags & TAPE_COMPLETE)) {
		cd_msg("%s: the save of this archive did not finish: nothing "
		       "to restore",
		       device_name(&dev));
		status = CD_EXIT_MEDIUM;
		goto end;
	}
	if (h.volume != 1 || !(h.flags & TAPE_LAST)) {
		cd_msg("%s holds volume %" PRIu32 " of an archive of several: "
		       "this version of cdtape reads single volumes only",
		       device_name(&dev), h.volume);
		status = CD_EXIT_MEDIUM;
		goto end;
	}
	buf = malloc(cap);
	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	sha256_init(&sha);
	progress_init(&pr, o->progress, h.length);
	while (done < h.length) {
		size_t want =
		    h.length - done < cap ? (size_t)(h.length - done) : cap;
		ssize_t got = read_medium(&dev, h.offset + done, buf, want);

		if (got != (ssize_t)want) {
			/* what was read before the end is good to keep */
			if (got > 0) {
				sha256_update(&sha, (size_t)got, buf);
				if (out)
					xio_write_all(1, buf, (size_t)got);
				done += (uint64_t)got;
			}
			progress_end(&pr, done);
			cd_msg(
			    "%s: volume %" PRIu32 ": cannot read bytes %" PRIu64
			    " to %" PRIu64 " of the archive (truncated or a "
			    "read error)%s",
			    device_name(&dev), h.volume, done, h.length,
			    out ? ": the bytes before them were written" : "");
			status = CD_EXIT_MEDIUM;
			free(buf);
			goto end;
		}
		sha256_update(&sha, want, buf);
		if (out && xio_write_all(1, buf, want) < 0) {
			cd_msg("cannot write standard output: %s",
			       strerror(errno));
			status = CD_EXIT_FAIL;
			free(buf);
			goto end;
		}
		done += want;
		progress_update(&pr, done);
	}
	progress_end(&pr, done);
	free(buf);
	sha256_digest(&sha, TAPE_SHA_LEN, got_sha);
	if (memcmp(got_sha, h.sha_volume, TAPE_SHA_LEN) != 0) {
		char want_hex[2 * TAPE_SHA_LEN + 1],
		    got_hex[2 * TAPE_SHA_LEN + 1];

		tape_hex(h.sha_volume, TAPE_SHA_LEN, want_hex);
		tape_hex(got_sha, TAPE_SHA_LEN, got_hex);
		cd_msg("%s: volume %" PRIu32 ": bytes 0 to %" PRIu64
		       " of the archive do not match their SHA-256 (saved %s, "
		       "read %s): the archive is damaged",
		       device_name(&dev), h.volume, h.length, want_hex,
		       got_hex);
		status = CD_EXIT_MISMATCH;
	} else if (o->cmd == CMD_VERIFY) {
		cd_note("%s: volume %" PRIu32 ": %" PRIu64 " bytes, sha256 "
		        "matches",
		        device_name(&dev), h.volume, h.length);
	}
end:
	if (dev.drive || dev.info) {
		device_close(&dev, 0);
		device_finish();
	}
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
		    ",\"complete\":%s,\"last\":%s,\"label\":",
		    h->version, id, h->volume,
		    h->flags & TAPE_COMPLETE ? "true" : "false",
		    h->flags & TAPE_LAST ? "true" : "false");
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
	printf("complete: %s\n", h->flags & TAPE_COMPLETE ? "yes" : "no");
	printf("label: %s\n", h->label);
	printf("date: %s\n", date);
	printf("payload: %" PRIu64 " bytes at byte %" PRIu64 "\n", h->length,
	       h->offset);
	printf("total: %" PRIu64 " bytes\n", h->total);
	printf("sha256: %s\n", sv);
	printf("total sha256: %s\n", st);
}

static int list(const struct opts *o)
{
	struct device dev;
	struct tape_header h;
	int status = open_archive(&dev, o, &h);

	if (status == 0)
		print_header(&dev, &h, o->json);
	if (dev.drive || dev.info) {
		device_close(&dev, 0);
		device_finish();
	}
	return status;
}

int main(int argc, char **argv)
{
	struct opts o;

	memset(&o, 0, sizeof o);
	cd_set_prog(argv[0]);
	xio_init();
	parse(argc, argv, &o);
	switch (o.cmd) {
	case CMD_SAVE:
		cd_raise(save(&o));
		break;
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
