/* msinfo: print a medium's multisession numbers, last_start,next_writable,
 * as cdrecord -msinfo did, for isomk -C. */
#include "config.h"

#include "args.h"
#include "cli.h"
#include "device.h"
#include "json.h"
#include "media.h"
#include "xio.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { O_DEV = 1, O_HELP, O_JSON, O_MSINFO, O_QUIET, O_VERBOSE, O_VERSION };

/* sorted by name, then form (lib/args.h) */
static const struct cd_arg options[] = {
    {.name = "d", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "dev", .id = O_DEV, .form = CD_ARG_KEY, .type = CD_ARG_STRING},
    {.name = "device", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "h", .id = O_HELP},
    {.name = "help", .id = O_HELP},
    {.name = "json", .id = O_JSON},
    /* cdrecord -msinfo dev=... habits: -msinfo is what msinfo does */
    {.name = "msinfo", .id = O_MSINFO},
    {.name = "q", .id = O_QUIET},
    {.name = "quiet", .id = O_QUIET},
    {.name = "silent", .id = O_QUIET},
    {.name = "v", .id = O_VERBOSE},
    {.name = "verbose", .id = O_VERBOSE},
    {.name = "version", .id = O_VERSION},
};

static void usage(void)
{
	printf("Usage: %s [-v|-q] [--json] [dev=]ADDRESS\n"
	       "Print LAST_SESSION_START,NEXT_WRITABLE_ADDRESS of the medium, "
	       "for isomk -C.\n"
	       "\n"
	       "  dev=ADDR, -d ADDR  /dev/sr0, 0,6,0 (Bus,Target,Lun), "
	       "ATA:0,0,0, stdio:FILE or FILE;\n"
	       "                     default $CDPIPE_DEVICE, else the only "
	       "drive\n"
	       "  -v                 the medium, its sessions and free space, "
	       "on stderr\n"
	       "  -q                 no notes (waiting for a writer), only "
	       "errors\n"
	       "  --json             all of that as one JSON object on stdout\n"
	       "  -h, --help, --version\n"
	       "\n"
	       "Exit status: 0 printed; 1 failure; 2 usage; 3 blank medium "
	       "(first session:\n"
	       "make it without -C), closed medium, or no medium.\n",
	       cd_prog);
}

static void json(const struct device *dev, const struct media *m)
{
	printf("{\"device\":");
	json_str(stdout, dev->adr);
	printf(",\"profile\":%d,\"profile_name\":", m->profile);
	json_str(stdout, m->profile_name);
	printf(",\"emulated_sessions\":%s,\"state\":",
	       m->emulated ? "true" : "false");
	json_str(stdout, media_state_name(m->state));
	if (m->state == MEDIA_APPENDABLE && m->next >= 0)
		printf(",\"last_session_start\":%" PRId32
		       ",\"next_writable\":%" PRId32,
		       m->last_start, m->next);
	printf(",\"free_blocks\":%" PRId64 ",\"sessions\":[", m->free_blocks);
	for (int i = 0; i < m->nsessions; i++)
		printf("%s{\"start\":%" PRId32 ",\"blocks\":%" PRId32 "}",
		       i ? "," : "", m->sessions[i].start, m->sessions[i].size);
	printf("],\"tracks\":[");
	for (int i = 0; i < m->ntracks; i++)
		printf("%s{\"session\":%d,\"start\":%" PRId32
		       ",\"blocks\":%" PRId32 ",\"type\":\"%s\"}",
		       i ? "," : "", m->tracks[i].session, m->tracks[i].start,
		       m->tracks[i].size,
		       m->tracks[i].audio ? "audio" : "data");
	printf("]}\n");
}

static void verbose(const struct device *dev, const struct media *m)
{
	fprintf(stderr, "%s: device %s: %s, %s%s\n", cd_prog, dev->adr,
	        m->profile_name[0] ? m->profile_name : "unknown medium",
	        media_state_name(m->state),
	        m->emulated ? " (sessions emulated, as growisofs does)" : "");
	for (int i = 0; i < m->nsessions; i++)
		fprintf(
		    stderr,
		    "%s: session %d: start %" PRId32 ", %" PRId32 " blocks\n",
		    cd_prog, i + 1, m->sessions[i].start, m->sessions[i].size);
	for (int i = 0; i < m->ntracks; i++)
		fprintf(stderr,
		        "%s:   track %d (session %d): start %" PRId32
		        ", %" PRId32 " blocks, %s\n",
		        cd_prog, i + 1, m->tracks[i].session,
		        m->tracks[i].start, m->tracks[i].size,
		        m->tracks[i].audio ? "audio" : "data");
	if (m->free_blocks >= 0)
		fprintf(stderr, "%s: free: %" PRId64 " blocks\n", cd_prog,
		        m->free_blocks);
}

/* The address the command line names (NULL: none); a usage error ends
 * the program (2). */
static const char *parse(int argc, char **argv, int *verb, int *as_json)
{
	const char *addr = NULL;
	struct cd_args a;
	int c;

	cd_args_init(&a, options, sizeof options / sizeof options[0], argc,
	             argv);
	while ((c = cd_args_get(&a)) != 0) {
		switch (c) {
		case O_DEV:
			if (addr)
				cd_usage("two devices: '%s' and '%s'", addr,
				         a.val);
			addr = a.val;
			break;
		case O_HELP:
			usage();
			cd_exit();
		case O_QUIET:
			cd_quiet = 1;
			break;
		case O_VERBOSE:
			*verb = 1;
			break;
		case O_VERSION:
			cd_version();
		case O_JSON:
			*as_json = 1;
			break;
		case O_MSINFO:
			break;
		}
	}
	/* the address alone, as cdrecord's dev= */
	for (size_t i = 0; i < a.operands.n; i++) {
		if (addr)
			cd_usage("unexpected argument '%s'", a.operands.v[i]);
		addr = a.operands.v[i];
	}
	cd_args_free(&a);
	return addr;
}

int main(int argc, char **argv)
{
	const char *addr = NULL;
	int verb = 0, as_json = 0, status = 0;
	struct device dev;
	struct media m;

	cd_set_prog(argv[0]);
	xio_init();
	addr = parse(argc, argv, &verb, &as_json);
	device_init(verb);
	/* an image file that is not there is no medium (and libburn is
	 * not to make one) */
	if (device_open(&dev, addr, DEVICE_EXISTING, &status) < 0) {
		device_finish();
		cd_exit_with(status ? status : CD_EXIT_FAIL);
	}
	/* an image file: as it was before a cdwrite or after it, never
	 * half written (waits for a writer to end) */
	if (device_lock(&dev, 0, 1, &status) < 0) {
		device_close(&dev, 0);
		device_finish();
		cd_exit_with(status);
	}
	media_probe(&dev, &m);
	if (verb)
		verbose(&dev, &m);
	if (as_json)
		json(&dev, &m);
	cd_raise(media_msinfo(&dev, &m, !as_json));
	device_close(&dev, 0);
	device_finish();
	cd_exit();
}
