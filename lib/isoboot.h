/* isoboot: what makes an image isomk builds bootable, as mkisofs and
 * xorriso -as mkisofs options ask for it: El Torito boot entries (BIOS,
 * UEFI, other platforms; no emulation, floppy or hard disk emulation, load
 * size, boot-info table), the boot catalog, and the system area in the
 * first 32 KiB (an MBR given with -G, an isohybrid or GRUB2 MBR), with its
 * partition table, GPT, appended partitions and partition offset. The
 * options are collected in command-line order by the caller (isomk) into
 * struct isoboot_opts; isoboot_apply puts them into the libisofs image once
 * its tree is complete, isoboot_write_opts into each set of write options.
 * Everything libisofs would refuse late, or take without complaint and
 * make an image that cannot boot, is checked first and said in isomk's
 * words. */
#ifndef CDPIPE_ISOBOOT_H
#define CDPIPE_ISOBOOT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <libisofs/libisofs.h>

enum isoboot_emul {
	ISOBOOT_FLOPPY, /* neither -no-emul-boot nor -hard-disk-boot */
	ISOBOOT_NOEMUL, /* -no-emul-boot */
	ISOBOOT_HARD,   /* -hard-disk-boot */
};

/* One entry of the boot catalog: -b or -e, and the options after it up to
 * the next -eltorito-alt-boot. */
struct isoboot_entry {
	const char *path; /* in the image, or --interval:appended_... */
	char given[24];   /* the option that named it, for messages */
	int platform;     /* 0 BIOS, 1 PowerPC, 2 Mac, 0xef EFI */
	int emul;         /* enum isoboot_emul */
	long load_size;   /* 512-byte sectors; 0 default (whole file);
	                     -1 "full" */
	int load_seg;     /* -boot-load-seg; 0 is the BIOS default 0x7c0 */
	int info_table;   /* -boot-info-table */
	int grub2_info;   /* --grub2-boot-info */
	int no_boot;      /* -no-boot: listed, not bootable */
	int gpt;          /* -isohybrid-gpt-basdat 1, -hfsplus 2 */
	int apm;          /* -isohybrid-apm-hfsplus */
	int id_set, crit_set;
	uint8_t id[28];   /* -eltorito-id */
	uint8_t crit[20]; /* -eltorito-selcrit */
};

/* libisofs: MBR partitions 1 to 4 (2 to 8 only in a SUN disk label) */
#define ISOBOOT_PARTS 4

enum isoboot_sysarea {
	ISOBOOT_SA_NONE,
	ISOBOOT_SA_G,         /* -G FILE: as it is */
	ISOBOOT_SA_ISOHYBRID, /* -isohybrid-mbr FILE: patched for isolinux */
	ISOBOOT_SA_GRUB2,     /* --grub2-mbr FILE: patched for GRUB2 */
};

struct isoboot_opts {
	struct isoboot_entry *v; /* the entries, in order */
	size_t n;
	int cur_open;        /* the last entry takes more options */
	int next_platform;   /* -eltorito-platform before the next -b */
	const char *catalog; /* -c; /boot.catalog when only -b is given */
	int catalog_hide;    /* --boot-catalog-hide */
	int sysarea;         /* enum isoboot_sysarea */
	const char *sysarea_file;
	int protective_msdos; /* --protective-msdos-label */
	int force_bootable;   /* --mbr-force-bootable */
	int cyl_align;        /* -partition_cyl_align: 0 auto, 1 on, 2 off,
	                         3 all */
	uint32_t part_offset; /* -partition_offset, 2048-byte blocks */
	int part_sec_hd;      /* -partition_sec_hd, 0 automatic */
	int part_hd_cyl;      /* -partition_hd_cyl, 0 automatic */
	int iso_part_type;    /* -iso_mbr_part_type, -1 default */
	int iso_guid_set;
	uint8_t iso_guid[16];
	const char *efi_part; /* -efi-boot-part */
	int like_isohybrid;   /* -part_like_isohybrid */
	int appended_gpt;     /* -appended_part_as_gpt */
	int appended_apm;     /* -appended_part_as_apm */
	struct {
		const char *file; /* NULL: partition not given */
		int type;         /* MBR type */
		int guid_set;
		uint8_t guid[16];
	} part[ISOBOOT_PARTS]; /* -append_partition 1..4 */
	/* the image file being written (set by the caller): no file the
	 * options name may be it */
	int out_set;
	dev_t out_dev;
	ino_t out_ino;
};

/* Each option of the command line, in order. The functions that take a
 * value check it; a bad one is a usage error (exit 2) naming word, the
 * option as it was given. */
void isoboot_image(struct isoboot_opts *b, const char *word, const char *path,
                   int efi);
void isoboot_alt(struct isoboot_opts *b);
void isoboot_efi_boot(struct isoboot_opts *b, const char *word,
                      const char *path); /* --efi-boot */
void isoboot_platform(struct isoboot_opts *b, const char *word,
                      const char *val);
/* The entry that -no-emul-boot, -boot-load-size, ... change: the open one,
 * or a new one that the next -b or -e names (as mkisofs and xorriso take
 * those options before -b too); isoboot_finish drops, with a warning, one
 * that no -b or -e named. */
struct isoboot_entry *isoboot_cur(struct isoboot_opts *b, const char *word);
void isoboot_load_size(struct isoboot_opts *b, const char *word,
                       const char *val);
void isoboot_load_seg(struct isoboot_opts *b, const char *word,
                      const char *val);
void isoboot_id(struct isoboot_opts *b, const char *word, const char *val,
                int crit);
void isoboot_sysarea_file(struct isoboot_opts *b, const char *word,
                          const char *file, int kind);
void isoboot_append(struct isoboot_opts *b, const char *word,
                    char *const *vals);
void isoboot_part_num(struct isoboot_opts *b, const char *word,
                      const char *val);
void isoboot_iso_part_type(struct isoboot_opts *b, const char *word,
                           const char *val);
void isoboot_cyl_align(struct isoboot_opts *b, const char *word,
                       const char *val);
/* Checks between options, once all are read (exit 2 on a conflict). */
void isoboot_finish(struct isoboot_opts *b, int quiet);
void isoboot_free(struct isoboot_opts *b);

/* What isoboot_apply made; freed by isoboot_state_free. */
struct isoboot_state {
	char *sysarea; /* 32 KiB, or NULL */
};

/* Put the boot entries and catalog into image, whose tree is complete:
 * each boot image must be a file in it, of a size its emulation takes.
 * A catalog path that names a file of the tree (an old catalog, when a
 * bootable image is re-mastered) replaces it. quiet: no notes.
 * Returns 0, or -1 after a message with *status set. */
int isoboot_apply(const struct isoboot_opts *b, IsoImage *image, int quiet,
                  struct isoboot_state *st, int *status);

/* The system area, partition table and appended partitions, into w. */
void isoboot_write_opts(const struct isoboot_opts *b,
                        const struct isoboot_state *st, IsoWriteOpts *w);

void isoboot_state_free(struct isoboot_state *st);

/* Parse a GUID given as 32 hex digits (bytes as stored on disk, as xorriso
 * reports them) or as text, 8-4-4-4-12 (the first three fields are stored
 * little-endian, as UEFI says). 0, or -1 when s is neither. */
int isoboot_parse_guid(const char *s, uint8_t guid[16]);

#endif
