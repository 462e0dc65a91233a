/* msinfo: print a medium's multisession numbers, last_start,next_writable,
 * as cdrecord -msinfo did, for isomk -C. */
#include "config.h"

#include "cli.h"
#include "device.h"
#include "json.h"
#include "media.h"
#include "xio.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { OPT_HELP = 256, OPT_VERSION, OPT_JSON };

static const struct option longopts[] = {
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {"json", no_argument, NULL, OPT_JSON},
    {"device", required_argument, NULL, 'd'},
    {"verbose", no_argument, NULL, 'v'},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
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

int main(int argc, char **argv)
{
	const char *addr = NULL;
	int c, verb = 0, as_json = 0, status = 0;
	struct device dev;
	struct media m;

	cd_set_prog(argv[0]);
	xio_init();
	/* cdrecord -msinfo dev=... habits: -msinfo is what msinfo does */
	{
		int j = 1;

		for (int i = 1; i < argc; i++)
			if (strcmp(argv[i], "-msinfo") != 0)
				argv[j++] = argv[i];
		argc = j;
		argv[argc] = NULL;
	}
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":d:hqv", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			addr = optarg;
			break;
		case 'h':
		case OPT_HELP:
			usage();
			cd_exit();
		case 'q':
			cd_quiet = 1;
			break;
		case 'v':
			verb = 1;
			break;
		case OPT_VERSION:
			cd_version();
		case OPT_JSON:
			as_json = 1;
			break;
		default:
			cd_option_error(c, argv[optind - 1]);
		}
	}
	for (int i = optind; i < argc; i++) {
		const char *v = cd_keyval(argv[i], "dev");

		if (addr)
			cd_usage("unexpected argument '%s'", argv[i]);
		addr = v ? v : argv[i];
	}

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
