/* isoinfo: inspect, list, size and extract ISO 9660 images and discs. */
#include "config.h"

#include "args.h"
#include "cli.h"
#include "device.h"
#include "isoextract.h"
#include "isoread.h"
#include "json.h"
#include "xio.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

enum mode { M_NONE, M_DESC, M_LIST, M_FIND, M_EXTRACT, M_SIZE, M_DIR };

enum {
	O_DESC = 1,
	O_DEV,
	O_EXTRACT_DIR,
	O_FIND,
	O_HELP,
	O_ISO,
	O_JOLIET,
	O_JSON,
	O_CHARSET,
	O_LIST,
	O_QUIET,
	O_ROCK,
	O_SHIFT,
	O_SIZE,
	O_START,
	O_VERBOSE,
	O_VERSION,
	O_X,
};

#define LBA_MAX 0x7fffffffu /* 4 TiB: past any medium, and +16 fits */

/* sorted by name, then form (lib/args.h); cdrtools isoinfo's options
 * that are not here are refused with what to use instead */
static struct cd_arg options[] = {
    {.name = "I", .id = O_ISO},
    {.name = "J", .id = O_JOLIET},
    {.name = "N", .id = O_SHIFT, .type = CD_ARG_UINT, .max = LBA_MAX},
    {.name = "R", .id = O_ROCK},
    {.name = "T", .id = O_START, .type = CD_ARG_UINT, .max = LBA_MAX},
    {.name = "X",
     .disp = CD_ARG_UNSUPPORTED,
     .why = "use --extract-dir DIR [PATH]"},
    {.name = "d", .id = O_DESC},
    {.name = "debug",
     .disp = CD_ARG_UNSUPPORTED,
     .why = "-d and --json show the descriptors"},
    {.name = "dev", .id = O_DEV, .form = CD_ARG_KEY, .type = CD_ARG_STRING},
    {.name = "extract-dir", .id = O_EXTRACT_DIR, .type = CD_ARG_STRING},
    {.name = "f", .id = O_FIND},
    {.name = "find", .disp = CD_ARG_UNSUPPORTED, .why = "use -f and grep"},
    {.name = "h", .id = O_HELP},
    {.name = "help", .id = O_HELP},
    {.name = "i", .id = O_DEV, .type = CD_ARG_STRING},
    {.name = "j", .id = O_CHARSET, .type = CD_ARG_STRING},
    {.name = "json", .id = O_JSON},
    {.name = "l", .id = O_LIST},
    {.name = "p",
     .disp = CD_ARG_UNSUPPORTED,
     .why = "path tables are not listed; -l lists the tree"},
    {.name = "q", .id = O_QUIET},
    {.name = "quiet", .id = O_QUIET},
    {.name = "s",
     .disp = CD_ARG_UNSUPPORTED,
     .why = "-l gives sizes in bytes, --json with blocks"},
    {.name = "size", .id = O_SIZE},
    {.name = "v", .id = O_VERBOSE},
    {.name = "version", .id = O_VERSION},
    {.name = "x", .id = O_X, .type = CD_ARG_STRING, .flags = CD_ARG_ONCE},
};

struct opts {
	enum mode mode;
	const char *image;
	const char *xpath;
	const char *outdir;
	const char *subtree;
	enum iso_ns ns;
	uint32_t start, shift;
	const char *charset;
	int json;
	int sector_count; /* --size -x */
	int verbose;
	int have_start; /* -T given */
};

static void usage(void)
{
	printf("Usage: %s [-d|-l|-f|-x PATH|--size|--extract-dir DIR [PATH]] "
	       "[-i FILE | dev=DEVICE] [options]\n"
	       "Inspect, list, size and extract an ISO 9660 image or disc.\n"
	       "\n"
	       "  -d                 the volume descriptors (as cdrtools "
	       "isoinfo -d), then what\n"
	       "                     boots: El Torito catalog, boot info "
	       "tables, MBR, GPT, APM\n"
	       "  -l                 list all files like ls -lR\n"
	       "  -f                 list all paths, one a line\n"
	       "  -x PATH            write the file PATH to standard output\n"
	       "  --size             the image size in bytes from its "
	       "descriptors (works on a pipe)\n"
	       "  --size -x          'sector count: N, sector size: 2048', "
	       "as isosize -x\n"
	       "  --extract-dir DIR [PATH]\n"
	       "                     extract the tree (or PATH's subtree) "
	       "into DIR, keeping modes,\n"
	       "                     times, links and hard links\n"
	       "  -i FILE, dev=DEV   the image, stdio:PATH, a drive, or - for "
	       "standard input (-d, --size);\n"
	       "                     none: standard input when it is a pipe "
	       "or a file, else\n"
	       "                     $CDPIPE_DEVICE, else the only drive\n"
	       "  -R, -J             Rock Ridge or Joliet names (default: Rock "
	       "Ridge, else Joliet, else ISO)\n"
	       "  -I                 plain ISO 9660 names\n"
	       "  -T LBA             read the session that starts at LBA\n"
	       "  -N LBA             the image file was made to be written at "
	       "LBA (mkisofs -C x,LBA);\n"
	       "                     its session is read unless -T says "
	       "another\n"
	       "  -j CHARSET         charset for Joliet names (default UTF-8)\n"
	       "  --json             -d, -l, -f as JSON (see isoinfo(1))\n"
	       "  -v, -q             more messages; none but errors\n"
	       "  -h, --help, --version\n"
	       "\n"
	       "Exit status: 0 success, 1 failure (the image is damaged, a "
	       "path is not there),\n"
	       "2 usage, 3 no medium in the drive.\n",
	       cd_prog);
}

static void set_mode(struct opts *o, enum mode m)
{
	if (o->mode != M_NONE && o->mode != m)
		cd_usage("-d, -l, -f, -x, --size and --extract-dir exclude "
		         "each other");
	o->mode = m;
}

static int stdin_brings_data(void)
{
	struct stat st;

	if (isatty(STDIN_FILENO) || fstat(STDIN_FILENO, &st) < 0)
		return 0;
	return S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode) ||
	       S_ISREG(st.st_mode) || S_ISBLK(st.st_mode);
}

static void parse_args(int argc, char **argv, struct opts *o)
{
	struct cd_args a;
	int c;

	/* --size -x: -x is isosize's flag there (sector count), not a path,
	 * wherever --size stands */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--size") || !strcmp(argv[i], "-size")) {
			struct cd_arg *x = (struct cd_arg *)cd_args_find(
			    options, sizeof options / sizeof options[0], "x",
			    CD_ARG_DASH);

			x->type = CD_ARG_NONE;
		}
	cd_args_init(&a, options, sizeof options / sizeof options[0], argc,
	             argv);
	while ((c = cd_args_get(&a)) != 0) {
		switch (c) {
		case O_ISO:
			o->ns = ISO_NS_ISO;
			break;
		case O_JOLIET:
			o->ns = ISO_NS_JOLIET;
			break;
		case O_ROCK:
			o->ns = ISO_NS_RR;
			break;
		case O_SHIFT:
			o->shift = (uint32_t)a.num;
			break;
		case O_START:
			o->start = (uint32_t)a.num;
			o->have_start = 1;
			break;
		case O_DESC:
			set_mode(o, M_DESC);
			break;
		case O_FIND:
			set_mode(o, M_FIND);
			break;
		case O_LIST:
			set_mode(o, M_LIST);
			break;
		case O_SIZE:
			set_mode(o, M_SIZE);
			break;
		case O_HELP:
			usage();
			cd_exit();
		case O_VERSION:
			cd_version();
		case O_DEV:
			if (o->image)
				cd_usage("two images: '%s' and '%s'", o->image,
				         a.val);
			o->image = a.val;
			break;
		case O_CHARSET:
			o->charset = a.val;
			break;
		case O_QUIET:
			cd_quiet = 1;
			break;
		case O_VERBOSE:
			o->verbose = 1;
			break;
		case O_X:
			if (!a.val) {
				o->sector_count = 1;
			} else {
				set_mode(o, M_EXTRACT);
				o->xpath = a.val;
			}
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_EXTRACT_DIR:
			set_mode(o, M_DIR);
			o->outdir = a.val;
			break;
		}
	}
	for (size_t i = 0; i < a.operands.n; i++) {
		const char *w = a.operands.v[i];

		if (o->mode == M_DIR && !o->subtree)
			o->subtree = w;
		else if (!o->image)
			o->image = w;
		else
			cd_usage("unexpected argument '%s'", w);
	}
	cd_args_free(&a);
	if (o->mode == M_NONE)
		cd_usage("say what to do: -d, -l, -f, -x PATH, --size or "
		         "--extract-dir DIR");
	/* a filter: data coming in on standard input is the image (the
	 * address rules of lib/device come next: $CDPIPE_DEVICE, the only
	 * drive). A terminal, /dev/null or a closed stdin bring none. */
	if (!o->image && stdin_brings_data())
		o->image = "-";
	/* cdrtools: -N alone reads the session the file holds */
	if (o->shift && !o->have_start)
		o->start = o->shift;
	if (o->json && o->mode != M_DESC && o->mode != M_LIST &&
	    o->mode != M_FIND)
		cd_usage("--json goes with -d, -l and -f");
}

/* ------------------------------------------------------------- JSON */

static const char *type_word(char t)
{
	switch (t) {
	case 'd':
		return "dir";
	case 'l':
		return "symlink";
	case 'c':
		return "chardev";
	case 'b':
		return "blockdev";
	case 'p':
		return "fifo";
	case 's':
		return "socket";
	default:
		return "file";
	}
}

static void iso_time(char *buf, size_t len, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---------------------------------------------------------------- -d */

/* as cdrtools' isoinfo names platforms (JSON says "EFI" for 0xef too) */
static const char *arch_name(int a, int json)
{
	switch (a) {
	case 0:
		return "x86";
	case 1:
		return "PPC";
	case 2:
		return "Mac";
	case 0xef:
		return json ? "EFI" : "Unknown Arch";
	default:
		return "Unknown Arch";
	}
}

static const char *media_name(int m)
{
	static const char *names[] = {"No Emulation Boot", "1.2MB Floppy",
	                              "1.44MB Floppy", "2.88MB Floppy",
	                              "Hard Disk Emulation"};

	return m >= 0 && m <= 4 ? names[m] : "Unknown Media";
}

/* Files that start where a boot image, the catalog or a partition does:
 * found with one walk of the tree. */
#define PATHS_MAX (ISO_BOOT_ENTRIES + 4 + ISO_GPT_PARTS + 1)

struct bootpaths {
	unsigned n;
	uint32_t lba[PATHS_MAX];
	char *path[PATHS_MAX];
};

static void want_path(struct bootpaths *bp, uint32_t lba)
{
	for (unsigned i = 0; i < bp->n; i++)
		if (bp->lba[i] == lba)
			return;
	if (bp->n < PATHS_MAX && lba)
		bp->lba[bp->n++] = lba;
}

static const char *path_at(const struct bootpaths *bp, uint32_t lba)
{
	for (unsigned i = 0; i < bp->n; i++)
		if (bp->lba[i] == lba)
			return bp->path[i];
	return NULL;
}

/* a partition's start in 512-byte sectors, as a block, or 0 */
static uint32_t part_block(uint64_t start)
{
	return start % 4 || start / 4 > UINT32_MAX ? 0 : (uint32_t)(start / 4);
}

/* an APM partition's start, as a block, or 0 */
static uint32_t apm_block(const struct iso_boot_report *r, unsigned i)
{
	uint64_t b = (uint64_t)r->apm_parts[i].start * r->apm_block_size;

	return b % ISO_BLOCK || b / ISO_BLOCK > UINT32_MAX
	           ? 0
	           : (uint32_t)(b / ISO_BLOCK);
}

/* A boot image that is no file of the tree may be where a partition
 * starts (xorriso -append_partition, then -e --interval:...): which. */
static void image_partition(char *buf, size_t len,
                            const struct iso_boot_report *r, uint32_t lba)
{
	buf[0] = '\0';
	for (unsigned i = 0; r->mbr && i < 4; i++)
		if (r->mbr_parts[i].sectors &&
		    part_block(r->mbr_parts[i].start) == lba) {
			snprintf(buf, len, "mbr %u", i + 1);
			return;
		}
	for (unsigned i = 0; i < r->ngpt_parts; i++)
		if (part_block(r->gpt_parts[i].start) == lba) {
			snprintf(buf, len, "gpt %" PRIu32,
			         r->gpt_parts[i].index);
			return;
		}
}

static int path_entry(const struct iso_entry *e, void *ctx)
{
	struct bootpaths *bp = ctx;

	if (e->type != '-' || !e->nextents)
		return 0;
	for (unsigned i = 0; i < bp->n; i++)
		if (bp->lba[i] == e->extents[0].lba && !bp->path[i]) {
			bp->path[i] = strdup(e->path);
			if (!bp->path[i])
				cd_die(CD_EXIT_FAIL, "out of memory");
		}
	return 0;
}

static void find_paths(struct iso_vol *v, const struct iso_boot_report *r,
                       struct bootpaths *bp)
{
	struct iso_walker w = {0};

	if (v->boot.found)
		want_path(bp, v->boot.catalog);
	for (unsigned i = 0; i < r->nentries; i++)
		want_path(bp, r->entries[i].lba);
	for (int i = 0; r->mbr && i < 4; i++)
		want_path(bp, part_block(r->mbr_parts[i].start));
	for (unsigned i = 0; i < r->ngpt_parts; i++)
		want_path(bp, part_block(r->gpt_parts[i].start));
	for (unsigned i = 0; i < r->napm; i++)
		want_path(bp, apm_block(r, i));
	if (!bp->n || v->src->seq)
		return;
	w.entry = path_entry;
	w.ctx = bp;
	w.quiet = 1; /* -d reports the boot structures, not the tree */
	iso_walk(v, ISO_NS_AUTO, NULL, &w);
}

static const char *emul_name(int m)
{
	static const char *names[] = {"none", "1.2M floppy", "1.44M floppy",
	                              "2.88M floppy", "hard disk"};

	return m >= 0 && m <= 4 ? names[m] : "unknown";
}

/* the platform ids El Torito and UEFI define */
static const char *platform_name(int p)
{
	switch (p) {
	case 0:
		return "x86";
	case 1:
		return "PPC";
	case 2:
		return "Mac";
	case 0xef:
		return "EFI";
	default:
		return "unknown";
	}
}

/* The partitions of r's MBR (gpt 0) or GPT (gpt 1) that overlap its
 * i-th, as "2,3" (by their numbers), for the text and the JSON report */
static void overlaps(char *buf, size_t len, const struct iso_boot_report *r,
                     int gpt, unsigned i)
{
	uint64_t ext[ISO_GPT_PARTS][2]; /* start, end exclusive */
	uint32_t num[ISO_GPT_PARTS];
	unsigned n = gpt ? r->ngpt_parts : 4;
	size_t o = 0;

	for (unsigned k = 0; k < n; k++) {
		if (gpt) {
			ext[k][0] = r->gpt_parts[k].start;
			ext[k][1] = r->gpt_parts[k].end + 1;
			num[k] = r->gpt_parts[k].index;
		} else {
			ext[k][0] = r->mbr_parts[k].start;
			ext[k][1] = ext[k][0] + r->mbr_parts[k].sectors;
			num[k] = k + 1;
		}
	}
	buf[0] = '\0';
	for (unsigned j = 0; j < n; j++) {
		if (j == i || ext[i][0] >= ext[i][1] ||
		    ext[j][0] >= ext[j][1] || ext[i][0] >= ext[j][1] ||
		    ext[j][0] >= ext[i][1])
			continue;
		if (o + 12 < len)
			o += (size_t)snprintf(buf + o, len - o, "%s%" PRIu32,
			                      o ? "," : "", num[j]);
	}
}

static void json_path(const struct bootpaths *bp, uint32_t lba)
{
	const char *p = path_at(bp, lba);

	printf(",\"path\":");
	if (p)
		json_str(stdout, p);
	else
		printf("null");
}

/* why a boot info table was not summed */
static const char *bit_why(int why)
{
	switch (why) {
	case ISO_BIT_BAD_LENGTH:
		return "its length is out of bounds";
	case ISO_BIT_PAST_END:
		return "its length reaches past the image";
	case ISO_BIT_BUDGET:
		return "too many bytes summed already";
	default:
		return "a block of the image cannot be read";
	}
}

static const char *tf(int b)
{
	return b ? "true" : "false";
}

static void json_boot(const struct iso_vol *v, const struct iso_boot_report *r,
                      const struct bootpaths *bp)
{
	char part[32];

	if (!v->boot.found)
		return;
	printf(",\"catalog_read\":%s,\"validation_header\":%s,"
	       "\"checksum_ok\":%s",
	       tf(r->catalog_read), tf(r->val_header), tf(r->val_sum_ok));
	printf(",\"catalog_path\":");
	if (path_at(bp, v->boot.catalog))
		json_str(stdout, path_at(bp, v->boot.catalog));
	else
		printf("null");
	printf(",\"sections\":[");
	for (unsigned i = 0; i < r->nsections; i++) {
		const struct iso_boot_section *s = &r->sections[i];

		printf("%s{\"platform\":%d,\"platform_name\":", i ? "," : "",
		       s->platform);
		json_str(stdout, platform_name(s->platform));
		printf(",\"id\":");
		json_str(stdout, s->id);
		printf(",\"entries\":%u,\"found\":%u,\"last\":%s}", s->count,
		       s->found, tf(s->header == 0x91));
	}
	printf("],\"entries\":[");
	for (unsigned i = 0; i < r->nentries; i++) {
		const struct iso_boot_entry *e = &r->entries[i];

		printf("%s{\"section\":%d,\"bootable\":%s,\"indicator\":%d,"
		       "\"platform\":%d,\"platform_name\":",
		       i ? "," : "", e->section, tf(e->indicator == 0x88),
		       e->indicator, e->platform);
		json_str(stdout, platform_name(e->platform));
		printf(",\"media\":%d,\"emulation\":\"%s\",\"load_segment\":%u,"
		       "\"system_type\":%u,\"load_sectors\":%u,"
		       "\"image_lba\":%" PRIu32,
		       e->media, emul_name(e->media), e->load_segment,
		       e->sys_type, e->sectors, e->lba);
		json_path(bp, e->lba);
		image_partition(part, sizeof part, r, e->lba);
		printf(",\"partition\":");
		if (*part && !path_at(bp, e->lba))
			json_str(stdout, part);
		else
			printf("null");
		printf(",\"in_image\":%s,\"isohybrid_signature\":%s,"
		       "\"grub2_boot_info\":%s,\"boot_info_table\":",
		       tf(e->readable), tf(e->isohybrid), tf(e->grub2));
		if (!e->bit) {
			printf("null}");
			continue;
		}
		printf("{\"pvd_lba\":%" PRIu32 ",\"image_lba\":%" PRIu32
		       ",\"length\":%" PRIu32 ",\"checksum\":%" PRIu32
		       ",\"pvd_ok\":%s,\"checksum_ok\":",
		       e->bit_pvd, e->bit_lba, e->bit_len, e->bit_sum,
		       tf(e->bit_pvd_ok));
		if (e->bit_summed)
			printf("%s,\"unchecked\":null",
			       tf(e->bit_sum_real == e->bit_sum));
		else
			printf("null,\"unchecked\":\"%s\"",
			       bit_why(e->bit_why));
		printf("}}");
	}
	printf("]");
}

static void json_gpt(const struct iso_gpt *g)
{
	char guid[37];

	iso_guid_str(guid, g->disk_guid);
	printf("{\"header_lba\":%" PRIu64 ",\"alternate_lba\":%" PRIu64
	       ",\"disk_guid\":\"%s\",\"header_crc_ok\":%s,"
	       "\"first_usable\":%" PRIu64 ",\"last_usable\":%" PRIu64
	       ",\"entries_lba\":%" PRIu64 ",\"entries\":%" PRIu32
	       ",\"entry_size\":%" PRIu32 ",\"entries_crc_ok\":",
	       g->my_lba, g->alt_lba, guid, tf(g->header_crc_ok),
	       g->first_usable, g->last_usable, g->array_lba, g->nentries,
	       g->entry_size);
	if (g->array_read)
		printf("%s}", tf(g->array_crc_ok));
	else
		printf("null}");
}

static void json_sysarea(const struct iso_boot_report *r,
                         const struct bootpaths *bp)
{
	char ov[64];

	printf(",\"system_area\":");
	if (!r->sysarea_read) {
		printf("null");
		return;
	}
	printf("{\"mbr\":");
	if (r->mbr) {
		printf("{\"disk_id\":\"0x%08" PRIx32 "\",\"isohybrid\":%s,"
		       "\"partitions\":[",
		       r->mbr_id, tf(r->mbr_isohybrid));
		for (unsigned i = 0, k = 0; i < 4; i++) {
			const struct iso_mbr_part *p = &r->mbr_parts[i];

			if (!p->type && !p->sectors)
				continue;
			overlaps(ov, sizeof ov, r, 0, i);
			printf("%s{\"number\":%u,\"status\":%d,\"type\":%d,"
			       "\"start\":%" PRIu32 ",\"sectors\":%" PRIu32,
			       k++ ? "," : "", i + 1, p->status, p->type,
			       p->start, p->sectors);
			json_path(bp, part_block(p->start));
			printf(",\"overlaps\":[%s]}", ov);
		}
		printf("]}");
	} else {
		printf("null");
	}
	printf(",\"gpt\":");
	if (r->gpt.found) {
		json_gpt(&r->gpt);
		printf(",\"gpt_backup\":");
		if (r->gpt_backup.found)
			json_gpt(&r->gpt_backup);
		else
			printf("null");
		printf(",\"gpt_partitions\":[");
		for (unsigned i = 0; i < r->ngpt_parts; i++) {
			const struct iso_gpt_part *p = &r->gpt_parts[i];
			const char *tn = iso_gpt_type_name(p->type);
			char t[37], g[37];

			iso_guid_str(t, p->type);
			iso_guid_str(g, p->guid);
			overlaps(ov, sizeof ov, r, 1, i);
			printf("%s{\"number\":%" PRIu32 ",\"type_guid\":\"%s\","
			       "\"type_name\":",
			       i ? "," : "", p->index, t);
			if (tn)
				json_str(stdout, tn);
			else
				printf("null");
			printf(",\"guid\":\"%s\",\"name\":", g);
			json_str(stdout, p->name);
			printf(",\"start\":%" PRIu64 ",\"sectors\":%" PRIu64
			       ",\"flags\":\"0x%016" PRIx64 "\"",
			       p->start,
			       p->end >= p->start ? p->end - p->start + 1 : 0,
			       p->flags);
			json_path(bp, part_block(p->start));
			printf(",\"overlaps\":[%s]}", ov);
		}
		printf("]");
	} else {
		printf("null,\"gpt_backup\":null,\"gpt_partitions\":[]");
	}
	printf(",\"apm\":");
	if (r->apm) {
		printf("{\"block_size\":%u,\"partitions\":[",
		       r->apm_block_size);
		for (unsigned i = 0; i < r->napm; i++) {
			printf("%s{\"number\":%u,\"start\":%" PRIu32
			       ",\"blocks\":%" PRIu32 ",\"name\":",
			       i ? "," : "", i + 1, r->apm_parts[i].start,
			       r->apm_parts[i].blocks);
			json_str(stdout, r->apm_parts[i].name);
			printf(",\"type\":");
			json_str(stdout, r->apm_parts[i].type);
			json_path(bp, apm_block(r, i));
			printf("}");
		}
		printf("]}");
	} else {
		printf("null");
	}
	printf("}");
}

static void text_section(unsigned n, const struct iso_boot_section *s)
{
	printf("    Section %u: platform %d (%s), %u entr%s", n, s->platform,
	       platform_name(s->platform), s->count,
	       s->count == 1 ? "y" : "ies");
	if (s->found != s->count)
		printf(" (%u there)", s->found);
	printf(", id '%s'%s\n", s->id, s->header == 0x91 ? ", last" : "");
}

static void text_boot(const struct iso_vol *v, const struct iso_boot_report *r,
                      const struct bootpaths *bp)
{
	const char *p;
	char sname[32], part[32], pname[64];

	if (!v->boot.found || !r->catalog_read)
		return;
	p = path_at(bp, v->boot.catalog);
	printf("El Torito boot catalog in block %" PRIu32 "%s%s%s:\n",
	       v->boot.catalog, p ? " (" : "", p ? p : "", p ? ")" : "");
	if (!r->val_header) {
		printf("    No validation entry\n");
		return;
	}
	printf("    Validation entry: platform %d (%s), id '%s', checksum "
	       "%s\n",
	       r->platform, platform_name(r->platform), r->id,
	       r->val_sum_ok ? "valid" : "wrong");
	for (unsigned i = 0, sec = 0; i < r->nentries; i++) {
		const struct iso_boot_entry *e = &r->entries[i];

		/* the headers of the sections up to this entry's, and of
		 * sections with no entries before it */
		while (sec < r->nsections && (int)sec < e->section) {
			const struct iso_boot_section *s = &r->sections[sec];

			text_section(sec + 1, s);
			sec++;
		}
		p = path_at(bp, e->lba);
		image_partition(part, sizeof part, r, e->lba);
		if (!p && *part) {
			snprintf(pname, sizeof pname,
			         "where %s partition %s starts",
			         part[0] == 'm' ? "MBR" : "GPT", part + 4);
			p = pname;
		}
		if (e->section)
			snprintf(sname, sizeof sname, "section %d", e->section);
		else
			snprintf(sname, sizeof sname, "default");
		printf("    Entry %u: %s, %s, platform %d (%s), emulation %s, "
		       "load segment 0x%04x, system type 0x%02x, sectors %u, "
		       "block %" PRIu32 "%s%s%s\n",
		       i + 1, sname,
		       e->indicator == 0x88 ? "bootable" : "not bootable",
		       e->platform, platform_name(e->platform),
		       emul_name(e->media), e->load_segment, e->sys_type,
		       e->sectors, e->lba, p ? " (" : "", p ? p : "",
		       p ? ")" : "");
		if (e->isohybrid)
			printf("        isolinux isohybrid signature\n");
		if (e->bit) {
			printf("        Boot info table: PVD block %" PRIu32
			       ", image block %" PRIu32 ", length %" PRIu32
			       ", checksum 0x%08" PRIx32 ": ",
			       e->bit_pvd, e->bit_lba, e->bit_len, e->bit_sum);
			if (!e->bit_summed)
				printf("not checked (%s)\n",
				       bit_why(e->bit_why));
			else if (e->bit_sum_real == e->bit_sum && e->bit_pvd_ok)
				printf("matches\n");
			else
				printf("does not match (%s)\n",
				       e->bit_pvd_ok ? "checksum"
				                     : "PVD block");
		}
		if (e->grub2)
			printf(
			    "        GRUB2 boot info at byte 2548: block * 4 "
			    "+ 5\n");
	}
	for (unsigned sec = r->nentries
	                        ? (unsigned)r->entries[r->nentries - 1].section
	                        : 0;
	     sec < r->nsections; sec++)
		text_section(sec + 1, &r->sections[sec]);
}

static void text_gpt(const char *which, const struct iso_gpt *g)
{
	char guid[37];

	iso_guid_str(guid, g->disk_guid);
	printf("    %s GPT header at sector %" PRIu64 " (the other at %" PRIu64
	       "): disk GUID %s, %" PRIu32 " entries of %" PRIu32
	       " bytes at sector %" PRIu64 ", usable sectors %" PRIu64
	       " to %" PRIu64 ", header CRC %s, entries CRC %s\n",
	       which, g->my_lba, g->alt_lba, guid, g->nentries, g->entry_size,
	       g->array_lba, g->first_usable, g->last_usable,
	       g->header_crc_ok ? "valid" : "wrong",
	       !g->array_read    ? "not checked"
	       : g->array_crc_ok ? "valid"
	                         : "wrong");
}

static void text_sysarea(const struct iso_boot_report *r,
                         const struct bootpaths *bp)
{
	char ov[64];
	const char *p;

	if (!r->sysarea_read || (!r->mbr && !r->gpt.found && !r->apm))
		return;
	printf("System area:%s%s%s%s\n", r->mbr ? " MBR" : "",
	       r->mbr_isohybrid ? " isohybrid" : "", r->gpt.found ? " GPT" : "",
	       r->apm ? " APM" : "");
	if (r->mbr)
		printf("    MBR disk id 0x%08" PRIx32 "\n", r->mbr_id);
	for (unsigned i = 0; r->mbr && i < 4; i++) {
		const struct iso_mbr_part *m = &r->mbr_parts[i];

		if (!m->type && !m->sectors)
			continue;
		overlaps(ov, sizeof ov, r, 0, i);
		p = path_at(bp, part_block(m->start));
		printf("    MBR partition %u: status 0x%02x, type 0x%02x, "
		       "start %" PRIu32 ", sectors %" PRIu32 "%s%s%s%s%s\n",
		       i + 1, m->status, m->type, m->start, m->sectors,
		       *ov ? ", overlaps " : "", ov, p ? " (" : "", p ? p : "",
		       p ? ")" : "");
	}
	if (r->gpt.found) {
		text_gpt("Primary", &r->gpt);
		if (r->gpt_backup.found)
			text_gpt("Backup", &r->gpt_backup);
		for (unsigned i = 0; i < r->ngpt_parts; i++) {
			const struct iso_gpt_part *g = &r->gpt_parts[i];
			const char *tn = iso_gpt_type_name(g->type);
			char t[37], u[37];

			iso_guid_str(t, g->type);
			iso_guid_str(u, g->guid);
			overlaps(ov, sizeof ov, r, 1, i);
			p = path_at(bp, part_block(g->start));
			printf("    GPT partition %" PRIu32 ": type %s%s%s%s, "
			       "start %" PRIu64 ", sectors %" PRIu64
			       ", name '%s', GUID %s, flags 0x%016" PRIx64
			       "%s%s%s%s%s\n",
			       g->index, t, tn ? " (" : "", tn ? tn : "",
			       tn ? ")" : "", g->start,
			       g->end >= g->start ? g->end - g->start + 1 : 0,
			       g->name, u, g->flags, *ov ? ", overlaps " : "",
			       ov, p ? " (" : "", p ? p : "", p ? ")" : "");
		}
	}
	if (r->apm) {
		printf("    APM: block size %u, %u entries\n",
		       r->apm_block_size, r->napm);
		for (unsigned i = 0; i < r->napm; i++) {
			p = path_at(bp, apm_block(r, i));
			printf("    APM partition %u: start %" PRIu32
			       ", blocks %" PRIu32 ", name '%s', type '%s'"
			       "%s%s%s\n",
			       i + 1, r->apm_parts[i].start,
			       r->apm_parts[i].blocks, r->apm_parts[i].name,
			       r->apm_parts[i].type, p ? " (" : "", p ? p : "",
			       p ? ")" : "");
		}
	}
}

static void show_desc(struct iso_vol *v, int json, const char *name)
{
	const struct iso_pvd *p = &v->pvd;
	const struct iso_boot *b = &v->boot;
	struct iso_boot_report *r = malloc(sizeof *r);
	struct bootpaths bp = {0};

	if (!r)
		cd_die(CD_EXIT_FAIL, "out of memory");
	iso_boot_read(v, r);
	find_paths(v, r, &bp);

	/* the ids, in cdrtools' order: label for -d, key for --json */
	const struct {
		const char *label, *key, *val;
	} ids[] = {
	    {"System id", "system_id", p->system_id},
	    {"Volume id", "volume_id", p->volume_id},
	    {"Volume set id", "volume_set_id", p->volset_id},
	    {"Publisher id", "publisher_id", p->publisher_id},
	    {"Data preparer id", "preparer_id", p->preparer_id},
	    {"Application id", "application_id", p->application_id},
	    {"Copyright File id", "copyright_file_id", p->copyright_id},
	    {"Abstract File id", "abstract_file_id", p->abstract_id},
	    {"Bibliographic File id", "bibliographic_file_id", p->biblio_id},
	    {NULL, "created", p->created},
	    {NULL, "modified", p->modified},
	};
	const size_t nids = sizeof ids / sizeof ids[0];

	if (json) {
		for (size_t i = 0; i < nids; i++) {
			printf("%s\"%s\":", i ? "," : "{", ids[i].key);
			json_str(stdout, ids[i].val);
		}
		printf(",\"volume_set_size\":%u,\"volume_set_sequence\":%u,"
		       "\"block_size\":%u,\"volume_size\":%" PRIu32
		       ",\"bytes\":%" PRIu64 ",\"session_start\":%" PRIu32
		       ",\"joliet_level\":%d,\"rock_ridge_version\":%d",
		       p->set_size, p->seq_number, p->block_size,
		       p->volume_size, (uint64_t)p->volume_size * ISO_BLOCK,
		       v->start, v->joliet_level, v->rr ? v->rr_version : 0);
		printf(",\"el_torito\":");
		if (!b->found) {
			printf("null");
		} else {
			printf("{\"catalog\":%" PRIu32 ",\"valid\":%s",
			       b->catalog, b->catalog_ok ? "true" : "false");
			if (b->catalog_ok) {
				printf(",\"platform\":%d,\"platform_name\":",
				       b->platform);
				json_str(stdout, arch_name(b->platform, 1));
				printf(",\"id\":");
				json_str(stdout, b->id);
				printf(",\"bootable\":%s,\"media\":%d,"
				       "\"media_name\":",
				       b->bootable == 0x88 ? "true" : "false",
				       b->media);
				json_str(stdout, media_name(b->media));
				printf(
				    ",\"load_segment\":%u,\"system_type\":%u,"
				    "\"load_sectors\":%u,\"image_lba\":"
				    "%" PRIu32,
				    b->load_segment, b->sys_type, b->sectors,
				    b->image_lba);
			}
			json_boot(v, r, &bp);
			printf("}");
		}
		printf(",\"hybrid_mbr\":%s,\"gpt\":%s",
		       v->mbr ? "true" : "false", v->gpt ? "true" : "false");
		json_sysarea(r, &bp);
		printf(",\"problems\":[");
		for (unsigned i = 0; i < r->nproblems; i++) {
			if (i)
				printf(",");
			json_str(stdout, r->problems[i]);
		}
		printf("]}\n");
		goto out;
	}
	printf("CD-ROM is in ISO 9660 format\n");
	for (size_t i = 0; i < nids && ids[i].label; i++)
		printf("%s: %s\n", ids[i].label, ids[i].val);
	printf("Volume set size is: %u\n", p->set_size);
	printf("Volume set sequence number is: %u\n", p->seq_number);
	printf("Logical block size is: %u\n", p->block_size);
	printf("Volume size is: %" PRIu32 "\n", p->volume_size);
	if (b->found)
		printf("El Torito VD version %d found, boot catalog is in "
		       "sector %" PRIu32 "\n",
		       b->version, b->catalog);
	if (v->joliet_level)
		printf("Joliet with UCS level %d found\n", v->joliet_level);
	else
		printf("NO Joliet present\n");
	if (v->rr)
		printf("Rock Ridge signatures version %d found\n",
		       v->rr_version);
	else
		printf("NO Rock Ridge present\n");
	if (b->found && b->catalog_ok) {
		printf("Eltorito validation header:\n");
		printf("    Hid %d\n", 1);
		printf("    Arch %d (%s)\n", b->platform,
		       arch_name(b->platform, 0));
		printf("    ID '%s'\n", b->id);
		printf("    Key %X %X\n", b->key[0], b->key[1]);
		printf("    Eltorito defaultboot header:\n");
		printf("        Bootid %X (%s)\n", b->bootable,
		       b->bootable == 0x88 ? "bootable" : "not bootable");
		printf("        Boot media %X (%s)\n", b->media,
		       media_name(b->media));
		printf("        Load segment %X\n", b->load_segment);
		printf("        Sys type %X\n", b->sys_type);
		printf("        Nsect %X\n", b->sectors);
		printf("        Bootoff %" PRIX32 " %" PRIu32 "\n",
		       b->image_lba, b->image_lba);
	} else if (b->found) {
		printf("El Torito boot catalog is damaged (no valid "
		       "validation entry)\n");
	}
	if (v->mbr)
		printf("Hybrid MBR partition table present\n");
	if (v->gpt)
		printf("GPT partition table present\n");
	text_boot(v, r, &bp);
	text_sysarea(r, &bp);
out:
	/* damage is said on standard error, after the report (exit 1) */
	fflush(stdout);
	for (unsigned i = 0; i < r->nproblems; i++)
		cd_error("%s: %s", name, r->problems[i]);
	for (unsigned i = 0; i < bp.n; i++)
		free(bp.path[i]);
	free(r);
}

/* ---------------------------------------------------------- -f and -l */

struct lister {
	const struct opts *o;
	int first_dir;
};

static void mode_string(char *s, const struct iso_entry *e)
{
	mode_t m = e->mode;

	s[0] = e->type == '-' ? '-' : e->type;
	s[1] = m & S_IRUSR ? 'r' : '-';
	s[2] = m & S_IWUSR ? 'w' : '-';
	s[3] =
	    m & S_ISUID ? (m & S_IXUSR ? 's' : 'S') : (m & S_IXUSR ? 'x' : '-');
	s[4] = m & S_IRGRP ? 'r' : '-';
	s[5] = m & S_IWGRP ? 'w' : '-';
	s[6] =
	    m & S_ISGID ? (m & S_IXGRP ? 's' : 'S') : (m & S_IXGRP ? 'x' : '-');
	s[7] = m & S_IROTH ? 'r' : '-';
	s[8] = m & S_IWOTH ? 'w' : '-';
	s[9] =
	    m & S_ISVTX ? (m & S_IXOTH ? 't' : 'T') : (m & S_IXOTH ? 'x' : '-');
	s[10] = '\0';
}

/* local time, with the zone looked up once per hour of input */
static void list_time(char *buf, size_t len, int64_t t)
{
	static int64_t hour = INT64_MIN;
	static long off;
	time_t tt;
	struct tm tm;

	if (t / 3600 != hour) {
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		off = tm.tm_gmtoff;
		hour = t / 3600;
	}
	tt = (time_t)(t + off);
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
}

static int list_dir(const char *path, void *ctx)
{
	struct lister *l = ctx;

	if (l->o->mode != M_LIST || l->o->json)
		return 0;
	printf(l->first_dir ? "%s:\n" : "\n%s:\n", path);
	l->first_dir = 0;
	return 0;
}

static void json_entry(const struct iso_entry *e, int full)
{
	char t[40];

	printf("{\"path\":");
	json_str(stdout, e->path);
	printf(",\"type\":\"%s\"", type_word(e->type));
	if (full) {
		iso_time(t, sizeof t, e->mtime);
		printf(
		    ",\"mode\":\"%04o\",\"nlink\":%lu,\"uid\":%lu,\"gid\":%lu"
		    ",\"size\":%" PRIu64 ",\"mtime\":\"%s\"",
		    (unsigned)(e->mode & 07777), e->nlink, e->uid, e->gid,
		    e->size, t);
		if (e->type == 'l') {
			printf(",\"target\":");
			json_str(stdout, e->target);
		}
		if (e->type == 'c' || e->type == 'b')
			printf(",\"major\":%u,\"minor\":%u", major(e->rdev),
			       minor(e->rdev));
		if (e->nextents) {
			printf(",\"extents\":[");
			for (uint32_t i = 0; i < e->nextents; i++)
				printf("%s[%" PRIu32 ",%" PRIu32 "]",
				       i ? "," : "", e->extents[i].lba,
				       e->extents[i].len);
			printf("]");
		}
	}
	printf("}\n");
}

static int list_entry(const struct iso_entry *e, void *ctx)
{
	struct lister *l = ctx;
	char m[11], t[32], size[48];

	if (l->o->json) {
		json_entry(e, l->o->mode == M_LIST);
		return 0;
	}
	if (l->o->mode == M_FIND) {
		fputs(e->path, stdout);
		putchar('\n');
		return 0;
	}
	mode_string(m, e);
	list_time(t, sizeof t, e->mtime);
	if (e->type == 'c' || e->type == 'b')
		snprintf(size, sizeof size, "%u, %u", major(e->rdev),
		         minor(e->rdev));
	else
		snprintf(size, sizeof size, "%" PRIu64, e->size);
	printf("%s %3lu %-8lu %-8lu %12s %s %s", m, e->nlink, e->uid, e->gid,
	       size, t, e->name);
	if (e->type == 'l') {
		fputs(" -> ", stdout);
		fputs(e->target ? e->target : "", stdout);
	}
	putchar('\n');
	return 0;
}

/* ----------------------------------------------------------------- -x */

/* The entry iso_lookup found, with its extents copied (its strings are
 * gone after the call: only the data is used). */
struct getter {
	int found;
	struct iso_entry e;
	struct iso_extent *x;
};

static int get_entry(const struct iso_entry *e, void *ctx)
{
	struct getter *g = ctx;

	g->found = 1;
	g->e = *e;
	g->x = malloc(e->nextents * sizeof *g->x + 1);
	if (!g->x)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (e->nextents)
		memcpy(g->x, e->extents, e->nextents * sizeof *g->x);
	g->e.extents = g->x;
	/* its strings are freed when iso_lookup returns */
	g->e.path = g->e.name = g->e.target = NULL;
	return 1;
}

static int extract_one(struct iso_vol *v, const struct opts *o)
{
	struct iso_walker w = {0};
	struct getter g = {0, {0}, NULL};
	uint32_t bad;
	int ret;

	w.entry = get_entry;
	w.ctx = &g;
	w.charset = o->charset;
	if (iso_lookup(v, o->ns, o->xpath, &w) < 0 || !g.found) {
		cd_error("%s: not in the image", o->xpath);
		return CD_EXIT_FAIL;
	}
	if (g.e.type != '-') {
		free(g.x);
		cd_error("%s: not a regular file (a %s)", o->xpath,
		         type_word(g.e.type));
		return CD_EXIT_FAIL;
	}
	if (!iso_entry_in_image(v, &g.e, &bad)) {
		cd_error("%s: its data (block %" PRIu32 ") lies past the end "
		         "of the image",
		         o->xpath, g.e.extents[bad].lba);
		free(g.x);
		return CD_EXIT_FAIL;
	}
	g.e.path = o->xpath; /* for iso_copy_file's messages */
	xio_refuse_tty(STDOUT_FILENO, "file contents");
	ret = iso_copy_file(v, &g.e, STDOUT_FILENO, "standard output");
	free(g.x);
	return ret < 0 ? CD_EXIT_FAIL : 0;
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	struct iso_src src;
	struct iso_vol v;
	char err[512], path[4096];
	struct stat sb;
	int st = 0, drive, seq = 0, fifo = 0;

	cd_set_prog(argv[0]);
	setlocale(LC_CTYPE, "");
	xio_init();
	parse_args(argc, argv, &o);

	if (device_locate(o.image, path, sizeof path, &drive, &st) < 0)
		cd_exit_with(st);
	if (!o.image)
		o.image = getenv("CDPIPE_DEVICE");
	if (!o.image || !*o.image)
		o.image = path;
	/* standard input: a file there can be read like any other; a pipe,
	 * and a FIFO named by its path, only from start to end */
	if (!strcmp(path, "-")) {
		o.image = "standard input";
		if (fstat(STDIN_FILENO, &sb) == 0 &&
		    (S_ISREG(sb.st_mode) || S_ISBLK(sb.st_mode)))
			snprintf(path, sizeof path, "/dev/stdin");
		else
			seq = 1;
	} else if (stat(path, &sb) == 0 &&
	           (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode))) {
		fifo = seq = 1;
	}
	if (seq && o.mode != M_DESC && o.mode != M_SIZE)
		cd_usage("%s: a pipe can only be read for -d and --size (it "
		         "cannot go back to the directories)",
		         o.image);
	if (fifo) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || dup2(fd, STDIN_FILENO) < 0)
			cd_die(CD_EXIT_FAIL, "%s: cannot open: %s", o.image,
			       strerror(errno));
		close(fd);
		snprintf(path, sizeof path, "-");
	}
	st = iso_src_open(&src, path, drive, err, sizeof err);
	if (st < 0)
		cd_die(st == -2 ? CD_EXIT_MEDIUM : CD_EXIT_FAIL, "%s: %s",
		       o.image, err);
	src.shift = o.shift;
	if (iso_vol_open(&v, &src, o.start, err, sizeof err) < 0)
		cd_die(CD_EXIT_FAIL, "%s: %s", o.image, err);
	if (o.ns == ISO_NS_JOLIET && !v.joliet_level)
		cd_die(CD_EXIT_FAIL, "%s: no Joliet tree in this image",
		       o.image);
	if (o.ns == ISO_NS_RR && !v.rr)
		cd_die(CD_EXIT_FAIL, "%s: no Rock Ridge in this image",
		       o.image);

	if (v.truncated && (o.mode == M_DESC || o.mode == M_SIZE))
		cd_warn("%s: the image is shorter than its volume (%" PRIu64
		        " of %" PRIu32 " blocks): cut short?",
		        o.image, src.size / ISO_BLOCK, v.pvd.volume_size);
	switch (o.mode) {
	case M_SIZE:
		if (o.sector_count)
			printf("sector count: %" PRIu32 ", sector size: %u\n",
			       v.pvd.volume_size, v.pvd.block_size);
		else
			printf("%" PRIu64 "\n",
			       (uint64_t)v.pvd.volume_size * ISO_BLOCK);
		break;
	case M_DESC:
		show_desc(&v, o.json, o.image);
		break;
	case M_LIST:
	case M_FIND: {
		struct lister l = {&o, 1};
		struct iso_walker w = {0};

		w.dir = list_dir;
		w.entry = list_entry;
		w.ctx = &l;
		w.charset = o.charset;
		iso_walk(&v, o.ns, NULL, &w);
		break;
	}
	case M_EXTRACT:
		st = extract_one(&v, &o);
		break;
	case M_DIR:
		st = iso_extract_tree(&v, o.ns, o.subtree, o.charset, o.outdir,
		                      o.verbose);
		break;
	case M_NONE:
		break;
	}
	iso_src_close(&src);
	cd_raise(st);
	cd_exit();
}
