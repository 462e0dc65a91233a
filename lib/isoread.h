/* isoread: reading ISO 9660 images and discs from untrusted bytes: volume
 * descriptors (primary, Joliet, El Torito boot record), directory trees in
 * the plain ISO 9660, Rock Ridge and Joliet name spaces, multi-extent files
 * (4 GiB and more) as one file, and directories relocated for depth
 * (RR_MOVED) at their real place; and what makes an image boot: the whole
 * El Torito catalog, boot info tables, and the system area's MBR, GPT and
 * Apple partition map (iso_boot_read, at the end of this header).
 *
 * Why cdpipe parses directories itself instead of walking with
 * libiso9660 (../shared/notes/libiso9660-speed.md): listing a 15,000-entry
 * image through iso9660_ifs_readdir takes 8 to 11 times as long as
 * genisoimage's isoinfo (a full stat with time zone conversions and an
 * iconv per entry, the path resolved from the root for every directory,
 * one lseek+read per sector); and libiso9660, like genisoimage's isoinfo,
 * shows multi-extent files as several entries and relocated directories
 * in RR_MOVED. Here each directory extent is read with one read and only
 * what is asked for is decoded. Every length comes from the image, so
 * every one is bounded before it is used: records stay inside their
 * sector, directories inside the volume and below DIR_MAX, continuation
 * areas are followed a bounded number of times, and a directory that is
 * reached twice is a loop. Nothing is allocated by what the image claims
 * before that claim is checked against the image's real size.
 * t/fuzz/fuzz-isoread.c fuzzes all of it. */
#ifndef CDPIPE_ISOREAD_H
#define CDPIPE_ISOREAD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ISO_BLOCK 2048

/* Where the blocks come from. */
struct iso_src {
	int fd;                   /* an image file or block device, or -1 */
	void *cdio;               /* a drive opened with libcdio, or NULL */
	const unsigned char *mem; /* bytes in memory (tests, fuzzing) */
	size_t mem_len;
	uint64_t size;  /* bytes there are; 0 when unknown (a drive) */
	uint32_t shift; /* -N: block 0 of the source is this LBA */
	int seq;        /* a pipe: only the first blocks, read once */
	unsigned char *head;
	size_t head_len;
};

/* Open path as lib/device's device_locate found it: "-" is standard input
 * (read sequentially: descriptors only); a drive (drive set) is read
 * through libcdio; anything else is a file or block device. 0, or with a
 * message in err -1, or -2 when the drive cannot be opened or holds no
 * medium. */
int iso_src_open(struct iso_src *s, const char *path, int drive, char *err,
                 size_t elen);
void iso_src_mem(struct iso_src *s, const void *buf, size_t len);
void iso_src_close(struct iso_src *s);
/* Read count blocks at lba. 0, or -1 (past the end, I/O error). */
int iso_src_read(struct iso_src *s, uint32_t lba, uint32_t count, void *buf);

struct iso_pvd {
	char system_id[33], volume_id[33], volset_id[129], publisher_id[129];
	char preparer_id[129], application_id[129], copyright_id[38];
	char abstract_id[38], biblio_id[38];
	char created[18], modified[18]; /* "YYYYMMDDhhmmsscc" */
	uint16_t set_size, seq_number, block_size;
	uint32_t volume_size; /* blocks */
	uint32_t root_lba, root_size;
};

struct iso_boot {
	int found;        /* an El Torito boot record */
	int version;      /* of the boot record descriptor */
	uint32_t catalog; /* LBA of the boot catalog */
	int catalog_ok;   /* the validation entry checks out */
	int platform;     /* validation entry: 0 x86, 1 PPC, 2 Mac, 0xef EFI */
	char id[25];
	unsigned char key[2];
	int bootable; /* default entry: 0x88 */
	int media;    /* 0 no emulation, 1..3 floppies, 4 hard disk */
	unsigned load_segment, sys_type, sectors;
	uint32_t image_lba;
};

struct iso_vol {
	struct iso_src *src;
	uint32_t start; /* the session's first block (-T) */
	struct iso_pvd pvd;
	int joliet_level; /* 0: none; 1..3 UCS-2 level */
	uint32_t joliet_root_lba, joliet_root_size;
	struct iso_boot boot;
	int susp; /* the root directory has SUSP (SP) */
	int susp_skip;
	int rr; /* Rock Ridge: 1 when found */
	int rr_version;
	int mbr;        /* a hybrid MBR (0x55AA at 510 with a partition) */
	int gpt;        /* "EFI PART" at block 512 bytes in */
	uint64_t limit; /* blocks that can be read: min(source, volume) */
	int truncated;  /* the source is shorter than the volume */
};

/* Read the descriptors of the session at start. 0, or -1 with err. */
int iso_vol_open(struct iso_vol *v, struct iso_src *src, uint32_t start,
                 char *err, size_t elen);

enum iso_ns { ISO_NS_AUTO, ISO_NS_ISO, ISO_NS_RR, ISO_NS_JOLIET };

struct iso_extent {
	uint32_t lba;
	uint32_t len; /* bytes */
};

struct iso_entry {
	const char *path; /* "/dir/name" */
	const char *name;
	char type;   /* 'd' '-' 'l' 'c' 'b' 'p' 's' */
	mode_t mode; /* permission bits and type */
	unsigned long nlink;
	unsigned long uid, gid;
	uint64_t size;
	int64_t mtime;
	const char *target; /* symbolic link target */
	uint64_t rdev;
	uint64_t ino; /* Rock Ridge 1.12 inode number, or 0 */
	const struct iso_extent *extents;
	uint32_t nextents;
	/* zisofs (a Rock Ridge ZF entry): the data is zlib-compressed in
	 * blocks of 1 << zf_log2 bytes; size is the file's real size */
	int zf;          /* 0 plain, 1 zisofs ("pz"), -1 an unknown method */
	char zf_alg[3];  /* the method's two letters */
	unsigned zf_hdr; /* the file header's size in 4-byte words */
	unsigned zf_log2;
	uint64_t stored; /* bytes the (compressed) data takes in the image */
	int bad_name;    /* a name no file system can take ('/', ".", "..") */
	int bad_extent; /* its data lies (partly) past the end of the image */
};

struct iso_walker {
	/* called once for each directory before its entries (path "/" for
	 * the root), and for each entry; a non-zero return stops the walk */
	int (*dir)(const char *path, void *ctx);
	int (*entry)(const struct iso_entry *e, void *ctx);
	/* called after a directory's entries and subdirectories */
	int (*dir_end)(const struct iso_entry *d, void *ctx);
	void *ctx;
	const char *charset; /* for Joliet names; NULL: UTF-8 */
	int errors;          /* problems reported (the walk goes on) */
	int quiet;           /* no messages (fuzzing) */
};

/* The name space that ISO_NS_AUTO means for this volume. */
enum iso_ns iso_ns_pick(const struct iso_vol *v, enum iso_ns ns);

/* Walk the tree below path (NULL or "/" for all). Returns 0, 1 when the
 * walker stopped it, -1 when path is not a directory there. Problems in
 * the image are reported as messages and counted in w->errors. */
int iso_walk(struct iso_vol *v, enum iso_ns ns, const char *path,
             struct iso_walker *w);

/* Find one entry by path (";1" versions optional). fn is called with it.
 * 0 found, -1 not found (or broken on the way: see w->errors). */
int iso_lookup(struct iso_vol *v, enum iso_ns ns, const char *path,
               struct iso_walker *w);

/* A path as walks and lookups take it, malloc'ed: "/a//b/" is "/a/b",
 * "" and "/" are "". */
char *iso_clean_path(const char *path);

/* Does all of e's data lie inside the image? If not, *bad is the index of
 * the first extent that does not. */
int iso_entry_in_image(const struct iso_vol *v, const struct iso_entry *e,
                       uint32_t *bad);

/* ---------------------------------------------------------------- boot
 * What makes a volume boot: the whole El Torito catalog (validation
 * entry, default entry, section headers and their entries), the boot
 * info table that mkisofs -boot-info-table (isolinux, grub2) writes into
 * a boot image and grub2's boot info, and the system area (the first
 * 32 KiB: MBR, isohybrid, GPT with its backup, Apple partition map).
 * Everything here comes from the image and is bounded before use: the
 * catalog is read for at most ISO_CAT_BLOCKS blocks and ISO_BOOT_ENTRIES
 * entries, a GPT's entry array for at most ISO_GPT_ARRAY_MAX bytes, a
 * boot info table is summed over at most ISO_BIT_MAX bytes (all of
 * them over ISO_BIT_TOTAL, an image two entries share once); what lies
 * beyond is said in problems[], never read. */

#define ISO_CAT_BLOCKS 4     /* blocks of a boot catalog looked at */
#define ISO_BOOT_ENTRIES 128 /* boot entries reported */
#define ISO_BOOT_SECTIONS 64 /* section headers reported */
#define ISO_GPT_PARTS 128    /* GPT partitions reported (used entries) */
#define ISO_GPT_ARRAY_MAX (1u << 20) /* bytes of a GPT entry array read */
#define ISO_APM_PARTS 63             /* Apple partition map entries */
#define ISO_BIT_MAX (64u << 20)      /* bytes of a boot image summed */
#define ISO_BIT_TOTAL (256u << 20)   /* bytes of all boot images summed */
#define ISO_BOOT_PROBLEMS 16

struct iso_boot_entry {
	int section;    /* 0 the default entry, else its section (1..) */
	int platform;   /* the validation entry's, or its section's */
	int indicator;  /* 0x88 bootable, 0x00 not */
	int media;      /* low 4 bits: 0 none, 1..3 floppies, 4 hard disk */
	int media_byte; /* the whole byte (0x20: extensions follow) */
	unsigned load_segment, sys_type, sectors; /* sectors of 512 bytes */
	uint32_t lba;  /* of the image, in 2048-byte blocks */
	int readable;  /* its first block lies in the image */
	int isohybrid; /* 0xfb 0xc0 0x78 0x70 at 64: isolinux for isohybrid */
	/* a boot info table: at byte 8, LE32 PVD block, image block, image
	 * length, sum of the LE32 words from byte 64 to the length */
	int bit; /* the table's image block is this entry's */
	uint32_t bit_pvd, bit_lba, bit_len, bit_sum;
	int bit_pvd_ok; /* it names this session's PVD (start + 16) */
	int bit_summed; /* the length lies in the image and was summed */
	int bit_why;    /* if not, why: ISO_BIT_* */
	uint32_t bit_sum_real;
	int grub2; /* byte 2548 holds LE64 image block * 4 + 5 */
};

enum {
	ISO_BIT_SUMMED,
	ISO_BIT_BAD_LENGTH, /* less than 64, more than ISO_BIT_MAX */
	ISO_BIT_PAST_END,   /* the length reaches past the image */
	ISO_BIT_BUDGET,     /* ISO_BIT_TOTAL summed already */
	ISO_BIT_UNREADABLE, /* a block of it could not be read */
};

struct iso_boot_section {
	int header; /* 0x90, or 0x91 for the last one */
	int platform;
	unsigned count; /* entries it claims */
	unsigned found; /* entries that were there */
	char id[29];
};

struct iso_mbr_part {
	int status, type;
	uint32_t start, sectors; /* 512-byte sectors */
};

struct iso_gpt_part {
	uint32_t index; /* 1.. in the entry array */
	unsigned char type[16], guid[16];
	uint64_t start, end, flags; /* 512-byte sectors, end inclusive */
	char name[112];             /* UTF-8 */
};

struct iso_gpt {
	int found; /* "EFI PART" */
	unsigned revision, header_size;
	int header_crc_ok;
	uint64_t my_lba, alt_lba, first_usable, last_usable, array_lba;
	unsigned char disk_guid[16];
	uint32_t nentries, entry_size, array_crc;
	int array_read; /* the array lay in the image, within the bound */
	int array_crc_ok;
};

struct iso_apm_part {
	uint32_t start, blocks; /* in the map's block size */
	char name[33], type[33];
};

struct iso_boot_report {
	/* El Torito: the catalog (v->boot.catalog) */
	int catalog_read; /* its first block could be read */
	int val_header;   /* the validation entry: header byte 1, key 55 AA */
	int val_sum_ok;   /* its words sum to 0 */
	int platform;
	char id[25];
	unsigned nentries, entries_total;
	struct iso_boot_entry entries[ISO_BOOT_ENTRIES];
	unsigned nsections;
	struct iso_boot_section sections[ISO_BOOT_SECTIONS];
	/* the system area (only when the source starts at block 0) */
	int sysarea_read;
	int mbr;           /* 55 AA at 510 */
	uint32_t mbr_id;   /* the disk signature at 440 */
	int mbr_isohybrid; /* an isohybrid MBR: LE32 at 432 is the default
	                    * image's block * 4 and the image is isolinux's */
	struct iso_mbr_part mbr_parts[4];
	struct iso_gpt gpt, gpt_backup;
	unsigned ngpt_parts, gpt_parts_total;
	struct iso_gpt_part gpt_parts[ISO_GPT_PARTS];
	int apm; /* "ER" at 0 and "PM" entries */
	unsigned apm_block_size, napm;
	struct iso_apm_part apm_parts[ISO_APM_PARTS];
	/* damage found, as messages (the report goes on) */
	unsigned nproblems;
	char problems[ISO_BOOT_PROBLEMS][160];
};

/* Read all of the above for v. Never fails: what cannot be read or does
 * not check out is said in r->problems. */
void iso_boot_read(struct iso_vol *v, struct iso_boot_report *r);

/* GUID as text, as sfdisk and the UEFI spec write it
 * (XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX, the first three fields LE). */
void iso_guid_str(char out[37], const unsigned char g[16]);
/* A name for a well known GPT partition type, or NULL. */
const char *iso_gpt_type_name(const unsigned char g[16]);

#endif
