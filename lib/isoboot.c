/* isoboot: El Torito entries and the system area. See isoboot.h. */
#include "config.h"

#include "isoboot.h"
#include "cli.h"
#include "isowrite.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SYSAREA 32768
#define INTERVAL "--interval:"
#define EFI_BOOT_IMAGE "--efi-boot-image"

/* ------------------------------------------------------------ options */

/* El Torito allows 32 entries in all (libisofs: the default one and 31
 * more) */
#define MAX_ENTRIES 32

/* A new entry, opened by word (-b, -e, or an option that changes the
 * entry, given before them) */
static struct isoboot_entry *new_entry(struct isoboot_opts *b, const char *word,
                                       const char *path)
{
	struct isoboot_entry *v;

	if (b->n >= MAX_ENTRIES)
		cd_usage("%s%s%s: El Torito takes at most %d boot images", word,
		         path ? " " : "", path ? path : "", MAX_ENTRIES);
	v = realloc(b->v, (b->n + 1) * sizeof *v);
	if (!v)
		cd_die(CD_EXIT_FAIL, "out of memory");
	b->v = v;
	memset(&v[b->n], 0, sizeof v[b->n]);
	v[b->n].platform = b->next_platform;
	snprintf(v[b->n].given, sizeof v[b->n].given, "%s", word);
	b->cur_open = 1;
	return &v[b->n++];
}

void isoboot_image(struct isoboot_opts *b, const char *word, const char *path,
                   int efi)
{
	struct isoboot_entry *e;

	if (!*path)
		cd_usage("%s needs the path of a boot image in the image",
		         word);
	if (b->cur_open && b->n) {
		e = &b->v[b->n - 1];
		/* as xorriso: -b and -e name the image of the current
		 * entry; a second one replaces the first */
		if (e->path)
			cd_warn("%s %s replaces %s %s: put -eltorito-alt-boot "
			        "between them for two boot entries",
			        word, path, e->given, e->path);
	} else {
		e = new_entry(b, word, path);
	}
	e->path = path;
	snprintf(e->given, sizeof e->given, "%s", word);
	if (efi) {
		e->platform = 0xef;
		/* xorriso: an EFI image is loaded whole, no emulation */
		e->emul = ISOBOOT_NOEMUL;
	} else {
		/* the platform -eltorito-platform set (x86 by default), also
		 * when this -b replaces an -e */
		e->platform = b->next_platform;
	}
}

void isoboot_alt(struct isoboot_opts *b)
{
	/* as xorriso: an entry that has no image yet stays open, with the
	 * options given for it so far */
	if (b->n && b->cur_open && !b->v[b->n - 1].path)
		return;
	b->cur_open = 0;
}

void isoboot_efi_boot(struct isoboot_opts *b, const char *word,
                      const char *path)
{
	/* xorriso: -eltorito-alt-boot -e PATH -no-emul-boot
	 * -eltorito-alt-boot */
	if (b->n)
		isoboot_alt(b);
	isoboot_image(b, word, path, 1);
	isoboot_alt(b);
}

void isoboot_platform(struct isoboot_opts *b, const char *word, const char *val)
{
	uint64_t n;
	int id;

	if (!strcasecmp(val, "x86") || !strcasecmp(val, "bios"))
		id = 0;
	else if (!strcasecmp(val, "PPC"))
		id = 1;
	else if (!strcasecmp(val, "Mac"))
		id = 2;
	else if (!strcasecmp(val, "efi"))
		id = 0xef;
	else if ((!strncasecmp(val, "0x", 2) && strlen(val) <= 4 &&
	          strlen(val) > 2 &&
	          strspn(val + 2, "0123456789abcdefABCDEF") == strlen(val + 2)))
		id = (int)strtol(val + 2, NULL, 16);
	else if (cd_parse_uint(val, 255, &n) == 0)
		id = (int)n;
	else
		cd_usage("%s wants x86, PPC, Mac, efi or a number 0..255 "
		         "(0x00..0xff), not '%s'",
		         word, val);
	/* xorriso: a new platform begins a new entry, unless the open one
	 * has no image yet (options given before its -b) */
	if (b->n && b->cur_open && !b->v[b->n - 1].path)
		b->v[b->n - 1].platform = id;
	else if (b->n && id != b->next_platform)
		isoboot_alt(b);
	b->next_platform = id;
}

struct isoboot_entry *isoboot_cur(struct isoboot_opts *b, const char *word)
{
	/* as mkisofs and xorriso: an option before -b or -e (the first one,
	 * or the first after -eltorito-alt-boot) is for the entry they
	 * name */
	if (!b->n || !b->cur_open)
		return new_entry(b, word, NULL);
	return &b->v[b->n - 1];
}

void isoboot_load_size(struct isoboot_opts *b, const char *word,
                       const char *val)
{
	struct isoboot_entry *e;
	uint64_t n;
	long size;

	if (!strcmp(val, "full"))
		size = -1;
	else if (cd_parse_uint(val, UINT64_MAX, &n) < 0 || n == 0)
		cd_usage("%s wants a count of 512-byte sectors (1 to 65535) "
		         "or full, not '%s'",
		         word, val);
	else if (n > 65535)
		cd_usage("%s %s: El Torito cannot load more than 65535 "
		         "sectors of 512 bytes",
		         word, val);
	else
		size = (long)n;
	e = isoboot_cur(b, word);
	if (e)
		e->load_size = size;
}

void isoboot_load_seg(struct isoboot_opts *b, const char *word, const char *val)
{
	struct isoboot_entry *e;
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(val, &end, 0);
	if (!*val || *end || errno || n > 0xffff || val[0] == '-')
		cd_usage("%s wants a segment 0..0xffff, not '%s'", word, val);
	e = isoboot_cur(b, word);
	if (e)
		e->load_seg = (int)n;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* len bytes from 2 * len hex digits; -1 when s is not that */
static int parse_hex(const char *s, uint8_t *out, size_t len)
{
	if (strlen(s) != 2 * len)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int hi = hexval((unsigned char)s[2 * i]);
		int lo = hexval((unsigned char)s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void isoboot_id(struct isoboot_opts *b, const char *word, const char *val,
                int crit)
{
	struct isoboot_entry *e = isoboot_cur(b, word);
	size_t len = crit ? 20 : 28;
	uint8_t *out;

	if (!e)
		return;
	out = crit ? e->crit : e->id;
	if (crit) {
		/* xorriso: up to 20 bytes, as hex digits */
		size_t n = strlen(val);

		memset(out, 0, len);
		if (n == 0 || n % 2 || n > 2 * len ||
		    parse_hex(val, out, n / 2) < 0)
			cd_usage("%s wants up to %zu bytes as hex digits, not "
			         "'%s'",
			         word, len, val);
	} else if (parse_hex(val, out, len) < 0) {
		/* as xorriso: 56 hex digits are bytes, else the text's
		 * first 28 bytes */
		size_t n = strlen(val);

		if (n > len)
			cd_usage("%s '%s': at most %zu bytes (or %zu hex "
			         "digits)",
			         word, val, len, 2 * len);
		memset(out, 0, len);
		memcpy(out, val, n);
	}
	if (crit)
		e->crit_set = 1;
	else
		e->id_set = 1;
}

void isoboot_sysarea_file(struct isoboot_opts *b, const char *word,
                          const char *file, int kind)
{
	if (!*file)
		cd_usage("%s needs a file", word);
	if (b->sysarea && b->sysarea != kind)
		cd_usage("%s %s: the system area was already given by another "
		         "option (-G, -isohybrid-mbr and --grub2-mbr each "
		         "give all of it): choose one",
		         word, file);
	b->sysarea = kind;
	b->sysarea_file = file;
}

int isoboot_parse_guid(const char *s, uint8_t guid[16])
{
	/* text form: the fields and, stored, their byte order */
	static const int len[5] = {4, 2, 2, 2, 6};
	static const int swap[5] = {1, 1, 1, 0, 0};
	const char *p = s;
	uint8_t *o = guid;

	if (parse_hex(s, guid, 16) == 0)
		return 0;
	if (strlen(s) != 36)
		return -1;
	for (int f = 0; f < 5; f++) {
		uint8_t field[6];
		char hex[13];

		memcpy(hex, p, (size_t)(2 * len[f]));
		hex[2 * len[f]] = '\0';
		if (parse_hex(hex, field, (size_t)len[f]) < 0)
			return -1;
		p += 2 * len[f];
		if (f < 4 && *p++ != '-')
			return -1;
		for (int i = 0; i < len[f]; i++)
			*o++ = field[swap[f] ? len[f] - 1 - i : i];
	}
	return 0;
}

/* an MBR type: 0xNN or a decimal number (017 is 17, as xorriso reads
 * it, not octal) */
static int parse_type(const char *s)
{
	uint64_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t len = strlen(s + 2);

		if (len == 0 || len > 8 ||
		    strspn(s + 2, "0123456789abcdefABCDEF") != len)
			return -1;
		n = strtoul(s + 2, NULL, 16);
		return n > 255 ? -1 : (int)n;
	}
	if (cd_parse_uint(s, 255, &n) < 0)
		return -1;
	return (int)n;
}

static const struct {
	const char *guid;
	int type;
} known_guids[] = {
    /* EFI system partition */
    {"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", 0xef},
    /* Microsoft basic data */
    {"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", 0x07},
    /* Linux filesystem */
    {"0FC63DAF-8483-4772-8E79-3D69D8477DE4", 0x83},
};

void isoboot_append(struct isoboot_opts *b, const char *word, char *const *vals)
{
	uint64_t n;
	int type;
	uint8_t guid[16];
	int guid_set = 0;

	if (cd_parse_uint(vals[0], ISOBOOT_PARTS, &n) < 0 || n == 0)
		cd_usage("%s wants a partition number 1..%d first, not '%s'",
		         word, ISOBOOT_PARTS, vals[0]);
	type = parse_type(vals[1]);
	if (type < 0) {
		if (isoboot_parse_guid(vals[1], guid) < 0)
			cd_usage("%s %s %s: the type is an MBR type (0x00 to "
			         "0xff) or a GPT type GUID, not '%s'",
			         word, vals[0], vals[1], vals[1]);
		guid_set = 1;
		type = 0x83;
		for (size_t i = 0;
		     i < sizeof known_guids / sizeof known_guids[0]; i++) {
			uint8_t g[16];

			isoboot_parse_guid(known_guids[i].guid, g);
			if (!memcmp(g, guid, 16))
				type = known_guids[i].type;
		}
	}
	if (!*vals[2])
		cd_usage("%s %s %s needs a file", word, vals[0], vals[1]);
	b->part[n - 1].file = vals[2];
	b->part[n - 1].type = type;
	b->part[n - 1].guid_set = guid_set;
	if (guid_set)
		memcpy(b->part[n - 1].guid, guid, 16);
}

void isoboot_part_num(struct isoboot_opts *b, const char *word, const char *val)
{
	uint64_t n;

	if (!strcmp(word + strspn(word, "-"), "partition_offset")) {
		if (cd_parse_uint(val, UINT32_MAX / 4, &n) < 0 ||
		    (n > 0 && n < 16))
			cd_usage("%s wants 0 or a block number of at least 16 "
			         "(2048-byte blocks), not '%s'",
			         word, val);
		b->part_offset = (uint32_t)n;
	} else if (!strcmp(word + strspn(word, "-"), "partition_sec_hd")) {
		if (cd_parse_uint(val, 63, &n) < 0 || n == 0)
			cd_usage("%s wants 1 to 63 sectors a head, not '%s'",
			         word, val);
		b->part_sec_hd = (int)n;
	} else {
		if (cd_parse_uint(val, 255, &n) < 0 || n == 0)
			cd_usage("%s wants 1 to 255 heads a cylinder, not "
			         "'%s'",
			         word, val);
		b->part_hd_cyl = (int)n;
	}
}

void isoboot_iso_part_type(struct isoboot_opts *b, const char *word,
                           const char *val)
{
	int type = parse_type(val);

	if (!strcmp(val, "default")) {
		b->iso_part_type = -1;
		b->iso_guid_set = 0;
	} else if (type >= 0) {
		b->iso_part_type = type;
	} else if (isoboot_parse_guid(val, b->iso_guid) == 0) {
		b->iso_guid_set = 1;
	} else {
		cd_usage("%s wants default, an MBR type 0x00 to 0xff or a GPT "
		         "type GUID, not '%s'",
		         word, val);
	}
}

void isoboot_cyl_align(struct isoboot_opts *b, const char *word,
                       const char *val)
{
	static const char *const modes[] = {"auto", "on", "off", "all"};

	for (int i = 0; i < 4; i++)
		if (!strcmp(val, modes[i])) {
			b->cyl_align = i;
			return;
		}
	cd_usage("%s wants auto, on, off or all, not '%s'", word, val);
}

void isoboot_finish(struct isoboot_opts *b, int quiet)
{
	int gpt = 0;
	size_t kept = 0;

	/* an entry opened by -no-emul-boot and such with no -b or -e after
	 * them (after the last -eltorito-alt-boot): xorriso leaves it out */
	for (size_t i = 0; i < b->n; i++) {
		if (!b->v[i].path) {
			if (!quiet)
				cd_warn("%s is ignored: no -b or -e names the "
				        "boot image it is for",
				        b->v[i].given);
			continue;
		}
		gpt |= b->v[i].gpt || b->v[i].apm;
		b->v[kept++] = b->v[i];
	}
	b->n = kept;
	for (size_t i = 0; i < b->n; i++) {
		struct isoboot_entry *e = &b->v[i];

		/* xorriso patches it, and the FAT file system of the image
		 * is gone: UEFI firmware finds no boot loader */
		if (e->platform == 0xef && (e->info_table || e->grub2_info)) {
			if (!quiet)
				cd_warn("%s %s: %s is ignored: it would "
				        "overwrite bytes 8 to 63 of the UEFI "
				        "image, its FAT boot sector",
				        e->given, e->path,
				        e->info_table ? "-boot-info-table"
				                      : "--grub2-boot-info");
			e->info_table = e->grub2_info = 0;
		}
	}
	for (size_t i = 0; i < b->n; i++) {
		const struct isoboot_entry *e = &b->v[i];
		int part = 0;

		if (strncmp(e->path, INTERVAL, strlen(INTERVAL)) != 0)
			continue;
		/* libisofs would fail only while writing, and leave the
		 * image made so far (a catalog of zeros, an image that is
		 * not patched) */
		if (sscanf(e->path, INTERVAL "appended_partition_%d", &part) !=
		        1 ||
		    part < 1 || part > ISOBOOT_PARTS)
			cd_usage("%s %s: a boot image outside the tree is an "
			         "appended partition, "
			         "--interval:appended_partition_N:all::",
			         e->given, e->path);
		if (!b->part[part - 1].file)
			cd_usage("%s %s: there is no -append_partition %d",
			         e->given, e->path, part);
		if (e->info_table || e->grub2_info)
			cd_usage(
			    "%s %s: -boot-info-table and --grub2-boot-info "
			    "patch a file of the image, not an appended "
			    "partition",
			    e->given, e->path);
	}
	if (b->catalog && !b->n && !quiet)
		cd_warn("-c %s is ignored: there is no boot image (-b, -e)",
		        b->catalog);
	if (b->sysarea == ISOBOOT_SA_ISOHYBRID) {
		if (!b->n || b->v[0].platform != 0 ||
		    b->v[0].emul != ISOBOOT_NOEMUL)
			cd_usage("-isohybrid-mbr makes the first boot image "
			         "boot from a disk: it must be an isolinux.bin "
			         "given with -b and -no-emul-boot");
		if (b->protective_msdos)
			cd_usage("--protective-msdos-label and -isohybrid-mbr "
			         "each make the partition table: choose one");
	}
	/* as xorriso: they make nothing then (a script may run isohybrid
	 * on the image afterwards): said, not refused */
	if (gpt && b->sysarea != ISOBOOT_SA_ISOHYBRID && !b->like_isohybrid &&
	    !quiet)
		cd_warn("-isohybrid-gpt-basdat, -isohybrid-gpt-hfsplus and "
		        "-isohybrid-apm-hfsplus make no GPT or APM without "
		        "-isohybrid-mbr (or -part_like_isohybrid): the image "
		        "has none");
	if (b->sysarea == ISOBOOT_SA_GRUB2 && !b->n)
		cd_usage("--grub2-mbr needs a boot image (-b): the MBR is "
		         "patched with its address");
	if (b->efi_part && !strcmp(b->efi_part, EFI_BOOT_IMAGE)) {
		int efi = 0;

		for (size_t i = 0; i < b->n; i++)
			efi |= b->v[i].platform == 0xef;
		/* libisofs would find out once the output file is made */
		if (!efi)
			cd_usage("-efi-boot-part %s needs a UEFI boot image "
			         "(-e)",
			         EFI_BOOT_IMAGE);
	} else if (b->efi_part &&
	           strncmp(b->efi_part, INTERVAL, strlen(INTERVAL)) != 0 &&
	           access(b->efi_part, R_OK)) {
		cd_usage("-efi-boot-part %s: %s", b->efi_part, strerror(errno));
	}
	for (int i = 0; i < ISOBOOT_PARTS; i++) {
		const char *f = b->part[i].file;

		if (f && strncmp(f, INTERVAL, strlen(INTERVAL)) != 0 &&
		    access(f, R_OK) < 0)
			cd_usage("-append_partition %d: cannot read '%s': %s",
			         i + 1, f, strerror(errno));
	}
}

void isoboot_free(struct isoboot_opts *b)
{
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

/* -------------------------------------------------------------- apply */

static int fail(int *status, int st)
{
	*status = st;
	return -1;
}

/* "/path" for libisofs */
static void abs_path(char *buf, size_t len, const char *path)
{
	snprintf(buf, len, "%s%s", path[0] == '/' ? "" : "/", path);
}

/* Check one entry's image before libisofs sees it: a file of the image
 * of a size its emulation takes. */
static int check_image(const struct isoboot_entry *e, IsoImage *image,
                       IsoFile **file, int *status)
{
	char path[4096];
	IsoNode *node = NULL;
	off_t size;

	*file = NULL;
	if (!strncmp(e->path, INTERVAL, strlen(INTERVAL))) {
		if (e->emul != ISOBOOT_NOEMUL) {
			cd_msg("%s %s: an image outside the tree boots "
			       "without emulation only (-no-emul-boot)",
			       e->given, e->path);
			return fail(status, CD_EXIT_USAGE);
		}
		return 0;
	}
	abs_path(path, sizeof path, e->path);
	if (iso_tree_path_to_node(image, path, &node) != 1 || !node) {
		cd_msg("%s %s: no such file in the image (boot images are "
		       "named by their path in the image, not on disk)",
		       e->given, e->path);
		return fail(status, CD_EXIT_USAGE);
	}
	if (iso_node_get_type(node) != LIBISO_FILE) {
		cd_msg("%s %s: not a file in the image but a %s", e->given,
		       e->path,
		       iso_node_get_type(node) == LIBISO_DIR       ? "directory"
		       : iso_node_get_type(node) == LIBISO_SYMLINK ? "symbolic "
		                                                     "link (-f "
		                                                     "follows "
		                                                     "links)"
		                                                   : "special "
		                                                     "file");
		return fail(status, CD_EXIT_USAGE);
	}
	*file = (IsoFile *)node;
	size = (off_t)iso_file_get_size(*file);
	if (e->emul == ISOBOOT_FLOPPY && size != 1200 * 1024 &&
	    size != 1440 * 1024 && size != 2880 * 1024) {
		cd_msg("%s %s: %jd bytes: floppy emulation (neither "
		       "-no-emul-boot nor -hard-disk-boot given) takes an "
		       "image of exactly 1200, 1440 or 2880 KiB",
		       e->given, e->path, (intmax_t)size);
		return fail(status, CD_EXIT_USAGE);
	}
	if (size == 0) {
		cd_msg("%s %s: the file is empty", e->given, e->path);
		return fail(status, CD_EXIT_USAGE);
	}
	if (e->emul == ISOBOOT_HARD && size < 512) {
		/* libisofs reads its MBR and says only "Read error" */
		cd_msg("%s %s: %jd bytes: hard disk emulation takes an image "
		       "that starts with an MBR of exactly one partition",
		       e->given, e->path, (intmax_t)size);
		return fail(status, CD_EXIT_USAGE);
	}
	if ((e->info_table || e->grub2_info) && size < 64) {
		cd_msg("%s %s: %jd bytes: too small for a boot-info table "
		       "(it is written at bytes 8 to 63)",
		       e->given, e->path, (intmax_t)size);
		return fail(status, CD_EXIT_USAGE);
	}
	if (e->grub2_info && size < 2560) {
		cd_msg("%s %s: %jd bytes: too small for --grub2-boot-info "
		       "(it patches bytes 2548 to 2555)",
		       e->given, e->path, (intmax_t)size);
		return fail(status, CD_EXIT_USAGE);
	}
	if ((e->info_table || e->grub2_info) && size > 32 * 1024 * 1024) {
		cd_msg("%s %s: larger than 32 MiB: libisofs patches no boot "
		       "image that large (-boot-info-table, "
		       "--grub2-boot-info)",
		       e->given, e->path);
		return fail(status, CD_EXIT_USAGE);
	}
	return 0;
}

/* The catalog's place: its directory must be in the image; a file of
 * that name in the tree (the catalog of the image being re-mastered) is
 * replaced. */
static int place_catalog(const struct isoboot_opts *b, IsoImage *image,
                         const char *cat, int quiet, int *status)
{
	char path[4096], dir[4096], *slash;
	IsoNode *node = NULL;

	abs_path(path, sizeof path, cat);
	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (!slash[1]) {
		cd_msg("-c %s: the boot catalog needs a file name", cat);
		return fail(status, CD_EXIT_USAGE);
	}
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (iso_tree_path_to_node(image, dir, &node) != 1 || !node ||
	    iso_node_get_type(node) != LIBISO_DIR) {
		cd_msg("-c %s: the directory %s is not in the image", cat, dir);
		return fail(status, CD_EXIT_USAGE);
	}
	if (iso_tree_path_to_node(image, path, &node) == 1 && node) {
		if (iso_node_get_type(node) != LIBISO_FILE) {
			cd_msg("-c %s: a %s of that name is in the image", cat,
			       iso_node_get_type(node) == LIBISO_DIR
			           ? "directory"
			           : "non-file");
			return fail(status, CD_EXIT_USAGE);
		}
		/* the catalog would take the boot image's place */
		for (size_t i = 0; i < b->n; i++) {
			char bpath[4096];
			IsoNode *bnode = NULL;

			abs_path(bpath, sizeof bpath, b->v[i].path);
			if (iso_tree_path_to_node(image, bpath, &bnode) == 1 &&
			    bnode == node) {
				cd_msg(
				    "-c %s: that is the boot image of %s %s: "
				    "the catalog needs a path of its own",
				    cat, b->v[i].given, b->v[i].path);
				return fail(status, CD_EXIT_USAGE);
			}
		}
		if (!quiet)
			cd_note("the file %s of the tree is replaced by the "
			        "new boot catalog",
			        path);
		iso_node_remove(node);
	}
	return 0;
}

static enum eltorito_boot_media_type media(int emul)
{
	return emul == ISOBOOT_NOEMUL ? ELTORITO_NO_EMUL
	       : emul == ISOBOOT_HARD ? ELTORITO_HARD_DISC_EMUL
	                              : ELTORITO_FLOPPY_EMUL;
}

static int set_entry(const struct isoboot_entry *e, ElToritoBootImage *boot,
                     IsoFile *file, int quiet)
{
	int opts = 0;

	el_torito_set_boot_platform_id(boot, (uint8_t)e->platform);
	if (e->emul == ISOBOOT_NOEMUL && e->platform == 0xef) {
		/* as xorriso: UEFI firmware reads the whole image (the FAT
		 * file system), whatever -boot-load-size says; with a count
		 * given, xorriso records the file's 512-byte sectors, without
		 * one, whole 2048-byte blocks */
		long n = file ? (long)(iso_file_get_size(file) + 511) / 512 : 0;

		if (n > 65535)
			n = 65535;
		if (e->load_size > 0 && n > 0) {
			if (e->load_size != n && !quiet)
				cd_warn(
				    "%s %s: -boot-load-size %ld is ignored: "
				    "a UEFI image is loaded whole (%ld "
				    "sectors), as xorriso does",
				    e->given, e->path, e->load_size, n);
			el_torito_set_load_size(boot, (short)n);
		} else {
			el_torito_set_full_load(boot, 1);
		}
		if (e->load_seg)
			el_torito_set_load_seg(boot, (short)e->load_seg);
	} else if (e->emul == ISOBOOT_NOEMUL) {
		if (e->load_size > 0) {
			el_torito_set_load_size(boot, (short)e->load_size);
		} else {
			/* as xorriso and mkisofs: the whole image */
			el_torito_set_full_load(boot, 1);
		}
		if (e->load_seg)
			el_torito_set_load_seg(boot, (short)e->load_seg);
	}
	if (e->no_boot)
		el_torito_set_no_bootable(boot);
	if (e->id_set)
		el_torito_set_id_string(boot, (uint8_t *)e->id);
	if (e->crit_set)
		el_torito_set_selection_crit(boot, (uint8_t *)e->crit);
	if (e->info_table)
		opts |= 1;
	if (e->grub2_info)
		opts |= 1 << 9;
	opts |= (e->gpt & 0x3f) << 2;
	if (e->apm)
		opts |= 1 << 8;
	el_torito_set_isolinux_options(boot, opts, 0);
	/* libisofs reads a boot image itself (to patch it, to find the
	 * isohybrid signature): it must see the file's bytes, not the
	 * fast writer's tokens */
	if (file)
		isowrite_stream_real(iso_file_get_stream(file));
	return 0;
}

/* st is the file an option names: it must not be the image being
 * written (it would be read while it is made, or truncated before) */
static int is_output(const struct isoboot_opts *b, const struct stat *st)
{
	return b->out_set && S_ISREG(st->st_mode) && st->st_dev == b->out_dev &&
	       st->st_ino == b->out_ino;
}

/* The file that an interval reader description
 * --interval:local_fs:FROM-TO:ZEROIZERS:PATH reads; NULL for other forms
 * (imported_iso: the session -M names) */
static const char *interval_file(const char *s)
{
	static const char lfs[] = INTERVAL "local_fs:";
	int colons = 1;

	if (strncmp(s, lfs, strlen(lfs)) != 0)
		return NULL;
	for (s += strlen(lfs); *s && colons < 3; s++)
		colons += *s == ':';
	return colons == 3 ? s : NULL;
}

/* A system area cut out of a file (xorriso's
 * -report_el_torito as_mkisofs gives re-mastering command lines so), read
 * with libisofs's interval reader */
static ssize_t read_interval(const struct isoboot_opts *b, IsoImage *image,
                             const char *word, char *buf, int *status)
{
	const char *file = b->sysarea_file, *src = interval_file(file);
	struct iso_interval_reader *ivr = NULL;
	off_t count = 0;
	ssize_t n = 0;
	struct stat fst;
	int r, fill;

	if (src && stat(src, &fst) < 0) {
		cd_msg("%s %s: cannot read '%s': %s", word, file, src,
		       strerror(errno));
		return fail(status, CD_EXIT_USAGE);
	}
	if (src) {
		if (is_output(b, &fst) || S_ISFIFO(fst.st_mode)) {
			cd_msg("%s %s: %s", word, file,
			       S_ISFIFO(fst.st_mode)
			           ? "an interval of a FIFO"
			           : "that is the image being written");
			return fail(status, CD_EXIT_USAGE);
		}
	}
	r = iso_interval_reader_new(image, (char *)file + strlen(INTERVAL),
	                            &ivr, &count, 0);
	while (r >= 0 && n < SYSAREA) {
		uint8_t block[2048];

		r = iso_interval_reader_read(ivr, block, &fill, 0);
		if (r <= 0)
			break;
		memcpy(buf + n, block, (size_t)fill);
		n += fill;
		if (fill < (int)sizeof block)
			break;
	}
	if (ivr)
		iso_interval_reader_destroy(&ivr, 0);
	if (r < 0) {
		isowrite_flush_msgs();
		cd_msg("%s %s: %s", word, file, iso_error_to_msg(r));
		return fail(status, CD_EXIT_USAGE);
	}
	if (count > SYSAREA)
		cd_warn("%s %s: only its first 32 KiB are used (the system "
		        "area)",
		        word, file);
	return n;
}

static int read_sysarea(const struct isoboot_opts *b, IsoImage *image,
                        struct isoboot_state *st, int *status)
{
	const char *word = b->sysarea == ISOBOOT_SA_G ? "-G"
	                   : b->sysarea == ISOBOOT_SA_ISOHYBRID
	                       ? "-isohybrid-mbr"
	                       : "--grub2-mbr";
	int fd;
	ssize_t n = 0, got;
	struct stat fst;
	char extra;

	if (!strncmp(b->sysarea_file, INTERVAL, strlen(INTERVAL))) {
		st->sysarea = calloc(1, SYSAREA);
		if (!st->sysarea)
			cd_die(CD_EXIT_FAIL, "out of memory");
		n = read_interval(b, image, word, st->sysarea, status);
		if (n < 0)
			return -1;
		goto check;
	}
	/* O_NONBLOCK: a FIFO with no writer would block the open forever */
	fd = open(b->sysarea_file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		cd_msg("%s %s: %s", word, b->sysarea_file, strerror(errno));
		return fail(status, CD_EXIT_USAGE);
	}
	if (fstat(fd, &fst) < 0)
		fst.st_mode = 0;
	if (is_output(b, &fst)) {
		cd_msg("%s %s: that is the image being written", word,
		       b->sysarea_file);
		close(fd);
		return fail(status, CD_EXIT_USAGE);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	st->sysarea = calloc(1, SYSAREA);
	if (!st->sysarea)
		cd_die(CD_EXIT_FAIL, "out of memory");
	while (n < SYSAREA &&
	       (got = read(fd, st->sysarea + n, (size_t)(SYSAREA - n))) > 0)
		n += got;
	if (n >= 0 && n == SYSAREA && read(fd, &extra, 1) == 1)
		cd_warn("%s %s: only its first 32 KiB are used (the system "
		        "area)",
		        word, b->sysarea_file);
	if (n < SYSAREA && got < 0) {
		cd_msg("%s %s: %s", word, b->sysarea_file, strerror(errno));
		close(fd);
		return fail(status, CD_EXIT_USAGE);
	}
	close(fd);
	if (n == 0 && S_ISFIFO(fst.st_mode)) {
		/* a FIFO that nothing writes into: EOF at once */
		cd_msg("%s %s: a FIFO with nothing written into it", word,
		       b->sysarea_file);
		return fail(status, CD_EXIT_USAGE);
	}
check:
	if (b->sysarea != ISOBOOT_SA_G && n < 432) {
		cd_msg("%s %s: %zd bytes: an MBR boot program has at least "
		       "432 (isolinux's isohdp*.bin, GRUB's boot_hybrid.img)",
		       word, b->sysarea_file, n);
		return fail(status, CD_EXIT_USAGE);
	}
	return 0;
}

static int boot_error(const struct isoboot_entry *e, int r, int *status)
{
	if (r == (int)ISO_BOOT_IMAGE_NOT_VALID && e->emul == ISOBOOT_HARD)
		cd_msg("%s %s: hard disk emulation takes an image that starts "
		       "with an MBR of exactly one partition",
		       e->given, e->path);
	else
		cd_msg("%s %s: cannot make it a boot image: %s", e->given,
		       e->path, iso_error_to_msg(r));
	return fail(status, CD_EXIT_USAGE);
}

/* A file libisofs appends after the image: it takes a regular file (or a
 * block device) of some size, and refuses the rest only once the output
 * file is made. */
static int check_part_file(const struct isoboot_opts *b, const char *what,
                           const char *f, int *status)
{
	struct stat fst;

	if (!strncmp(f, INTERVAL, strlen(INTERVAL))) {
		const char *src = interval_file(f);

		if (src && stat(src, &fst) == 0 && is_output(b, &fst)) {
			cd_msg("%s: '%s' is the image being written", what,
			       src);
			return fail(status, CD_EXIT_USAGE);
		}
		return 0;
	}
	if (stat(f, &fst) < 0) {
		cd_msg("%s: cannot read '%s': %s", what, f, strerror(errno));
		return fail(status, CD_EXIT_USAGE);
	}
	if (is_output(b, &fst)) {
		cd_msg("%s: '%s' is the image being written", what, f);
		return fail(status, CD_EXIT_USAGE);
	}
	if (!S_ISREG(fst.st_mode) && !S_ISBLK(fst.st_mode)) {
		cd_msg("%s: '%s' is not a regular file", what, f);
		return fail(status, CD_EXIT_USAGE);
	}
	if (S_ISREG(fst.st_mode) && fst.st_size == 0) {
		cd_msg("%s: '%s' is empty", what, f);
		return fail(status, CD_EXIT_USAGE);
	}
	return 0;
}

int isoboot_apply(const struct isoboot_opts *b, IsoImage *image, int quiet,
                  struct isoboot_state *st, int *status)
{
	const char *cat = b->catalog ? b->catalog : "/boot.catalog";
	char path[4096], catpath[4096];
	ElToritoBootImage *boot;
	IsoFile *file;
	int r;

	if (b->sysarea && read_sysarea(b, image, st, status) < 0)
		return -1;
	for (int i = 0; i < ISOBOOT_PARTS; i++) {
		char what[32];

		snprintf(what, sizeof what, "-append_partition %d", i + 1);
		if (b->part[i].file &&
		    check_part_file(b, what, b->part[i].file, status) < 0)
			return -1;
	}
	if (b->efi_part && strcmp(b->efi_part, EFI_BOOT_IMAGE) != 0 &&
	    check_part_file(b, "-efi-boot-part", b->efi_part, status) < 0)
		return -1;
	if (!b->n) {
		ElToritoBootImage *old = NULL;
		IsoBoot *cat_node = NULL;

		/* a session added to a bootable one (-M) keeps its boot
		 * entry, as libisofs imports it: what it boots is the old
		 * session's boot image, with the files its boot loader finds
		 * from there (xorriso drops it instead); said */
		if (!quiet && iso_image_get_boot_image(image, &old, &file,
		                                       &cat_node) == 1)
			cd_note("the previous session's boot entry is kept: it "
			        "boots its boot image as before (-b and the "
			        "other boot options replace it)");
		return 0;
	}
	for (size_t i = 0; i < b->n; i++)
		if (check_image(&b->v[i], image, &file, status) < 0)
			return -1;
	/* an imported session's boot entries give way to the new ones; its
	 * catalog node goes with them (it may be at the path of the new one) */
	iso_image_remove_boot_image(image);
	if (place_catalog(b, image, cat, quiet, status) < 0)
		return -1;
	abs_path(catpath, sizeof catpath, cat);
	for (size_t i = 0; i < b->n; i++) {
		const struct isoboot_entry *e = &b->v[i];

		if (check_image(e, image, &file, status) < 0)
			return -1;
		if (file)
			abs_path(path, sizeof path, e->path);
		else
			snprintf(path, sizeof path, "%s", e->path);
		if (i == 0)
			r = iso_image_set_boot_image(
			    image, path, media(e->emul), catpath, &boot);
		else
			r = iso_image_add_boot_image(image, path,
			                             media(e->emul), 0, &boot);
		if (r < 0)
			return boot_error(e, r, status);
		/* never compressed: isotree_compress (--zisofs) leaves the
		 * boot images out, the firmware loads them as they are */
		set_entry(e, boot, file, quiet);
	}
	if (b->catalog_hide)
		iso_image_set_boot_catalog_hidden(
		    image, LIBISO_HIDE_ON_RR | LIBISO_HIDE_ON_JOLIET |
		               LIBISO_HIDE_ON_1999);
	return 0;
}

static int is_interval(const char *s)
{
	return !strncmp(s, INTERVAL, strlen(INTERVAL));
}

/* what libisofs's interval reader takes: the text after --interval: */
static const char *interval_desc(const char *s)
{
	return is_interval(s) ? s + strlen(INTERVAL) : s;
}

void isoboot_write_opts(const struct isoboot_opts *b,
                        const struct isoboot_state *st, IsoWriteOpts *w)
{
	int sa = 0;

	if (b->protective_msdos)
		sa |= 1;
	if (b->sysarea == ISOBOOT_SA_ISOHYBRID)
		sa |= 2;
	if (b->sysarea == ISOBOOT_SA_GRUB2)
		sa |= 1 << 14;
	if (b->force_bootable)
		sa |= 1 << 15;
	sa |= (b->cyl_align & 3) << 8;
	if (st->sysarea || sa)
		iso_write_opts_set_system_area(w, st->sysarea, sa,
		                               st->sysarea ? 0 : 1);
	if (b->part_offset || b->part_sec_hd || b->part_hd_cyl)
		iso_write_opts_set_part_offset(w, b->part_offset,
		                               b->part_sec_hd, b->part_hd_cyl);
	if (b->iso_part_type >= 0)
		iso_write_opts_set_iso_mbr_part_type(w, b->iso_part_type);
	if (b->iso_guid_set)
		iso_write_opts_set_iso_type_guid(w, (uint8_t *)b->iso_guid, 1);
	if (b->efi_part)
		iso_write_opts_set_efi_bootp(w,
		                             (char *)interval_desc(b->efi_part),
		                             is_interval(b->efi_part));
	if (b->like_isohybrid)
		iso_write_opts_set_part_like_isohybrid(w, 1);
	if (b->appended_gpt)
		iso_write_opts_set_appended_as_gpt(w, 1);
	if (b->appended_apm)
		iso_write_opts_set_appended_as_apm(w, 1);
	for (int i = 0; i < ISOBOOT_PARTS; i++) {
		const char *f = b->part[i].file;

		if (!f)
			continue;
		/* libisofs takes the description without --interval: */
		iso_write_opts_set_partition_img(
		    w, i + 1, (uint8_t)b->part[i].type,
		    (char *)interval_desc(f), is_interval(f));
		if (b->part[i].guid_set)
			iso_write_opts_set_part_type_guid(
			    w, i + 1, (uint8_t *)b->part[i].guid, 1);
	}
}

void isoboot_state_free(struct isoboot_state *st)
{
	free(st->sysarea);
	st->sysarea = NULL;
}
