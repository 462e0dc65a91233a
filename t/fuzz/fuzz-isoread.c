/* fuzz-isoread: the parsing path of isoinfo (lib/isoread.c) on arbitrary
 * bytes. The input is an image without its first 16 blocks: it starts
 * with the volume descriptors, so small inputs reach the directories and
 * the boot catalog. The same bytes are then read as a whole image, system
 * area first (inputs named boot-* in the corpus are such), for the boot
 * report: MBR, GPT, APM, El Torito catalog and boot info tables.
 *
 *   make fuzz FUZZ_SECONDS=1800       libFuzzer, with t/fuzz/corpus
 *   t/fuzz/isoread-replay FILE...      the same code on files (make check
 *                                      runs it on corpus/ and regress/) */
#include "config.h"

#include "isoread.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t touched;

static int on_dir(const char *path, void *ctx)
{
	touched += strlen(path);
	return 0;
}

static int on_entry(const struct iso_entry *e, void *ctx)
{
	touched += strlen(e->path) + strlen(e->name) + e->nextents;
	if (e->target)
		touched += strlen(e->target);
	for (uint32_t i = 0; i < e->nextents; i++)
		touched += e->extents[i].len & 1;
	return 0;
}

int fuzz_one(const uint8_t *data, size_t size);

/* iso_boot_read on a volume: touch what it found */
static void boot_report(struct iso_vol *v)
{
	struct iso_boot_report *r = malloc(sizeof *r);

	if (!r)
		return;
	iso_boot_read(v, r);
	touched +=
	    r->nentries + r->nsections + r->ngpt_parts + r->napm + r->nproblems;
	for (unsigned i = 0; i < r->nproblems; i++)
		touched += strlen(r->problems[i]);
	for (unsigned i = 0; i < r->ngpt_parts; i++)
		touched += strlen(r->gpt_parts[i].name);
	free(r);
}

int fuzz_one(const uint8_t *data, size_t size)
{
	static const enum iso_ns ns[] = {ISO_NS_AUTO, ISO_NS_ISO, ISO_NS_RR,
	                                 ISO_NS_JOLIET};
	unsigned char *img = calloc(1, 16 * ISO_BLOCK + size);
	struct iso_src src;
	struct iso_vol v;
	char err[256];

	if (!img)
		return 0;
	memcpy(img + 16 * ISO_BLOCK, data, size);
	iso_src_mem(&src, img, 16 * ISO_BLOCK + size);
	if (iso_vol_open(&v, &src, 0, err, sizeof err) == 0) {
		for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
			struct iso_walker w = {0};

			w.dir = on_dir;
			w.entry = on_entry;
			w.quiet = 1;
			iso_walk(&v, ns[i], NULL, &w);
			iso_lookup(&v, ns[i], "/a/b;1", &w);
			iso_walk(&v, ns[i], "/sub", &w);
		}
		boot_report(&v);
	}
	free(img);
	/* the input as a whole image, the system area first */
	iso_src_mem(&src, data, size);
	if (iso_vol_open(&v, &src, 0, err, sizeof err) == 0)
		boot_report(&v);
	return 0;
}

#ifdef REPLAY_MAIN
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *buf;
		long n;

		if (!f || fseek(f, 0, SEEK_END) < 0 || (n = ftell(f)) < 0) {
			perror(argv[i]);
			return 1;
		}
		rewind(f);
		buf = malloc((size_t)n + 1);
		if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
			perror(argv[i]);
			return 1;
		}
		fclose(f);
		fuzz_one(buf, (size_t)n);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
	}
	printf("1..%d\n", argc - 1);
	return 0;
}
#else
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_one(data, size);
}
#endif
