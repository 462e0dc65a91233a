/* isoread: reading ISO 9660 images and discs from untrusted bytes: volume
 * descriptors (primary, Joliet, El Torito boot record), directory trees in
 * the plain ISO 9660, Rock Ridge and Joliet name spaces, multi-extent files
 * (4 GiB and more) as one file, and directories relocated for depth
 * (RR_MOVED) at their real place.
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

#endif
