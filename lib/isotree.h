/* isotree: build an ISO 9660 image with libisofs from files on disk the way
 * mkisofs does: pathspecs and graft points, exclusions (-m, -x), hiding
 * from the ISO or Joliet tree, Rock Ridge and Joliet, automatic ISO level 3
 * for files of 4 GiB and more, and a previous session imported (-C/-M) so
 * that the new session is written to follow it. The files' data is moved
 * by isowrite. */
#ifndef CDPIPE_ISOTREE_H
#define CDPIPE_ISOTREE_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "cli.h"
#include "isoboot.h"
#include "progress.h"

struct isotree_opts {
	int rock;         /* -R: Rock Ridge with the files' own attributes */
	int rational;     /* -r: Rock Ridge with sensible modes and owners */
	int joliet;       /* -J */
	int joliet_long;  /* -joliet-long: 103-character Joliet names */
	int iso_level;    /* 1, 2, 3, or 4 (ISO 9660:1999 names) */
	int full_names;   /* -l: 31-character ISO names */
	int leading_dots; /* -L, -allow-leading-dots */
	int omit_version; /* -N */
	int omit_period;  /* -d: no dot forced into ISO 9660 names */
	int hide_rr_moved; /* the relocation directory is .rr_moved */
	int deep;         /* -D: no relocation of deep directories */
	int follow;       /* -f: follow symbolic links */
	int graft_points; /* -graft-points */
	int md5;          /* -md5: session and file MD5 tags */
	int pad;          /* 1: 300 KiB of zeros at the end (mkisofs -pad) */
	int verbose;      /* -v */
	int quiet;        /* -quiet: no notes */
	enum progress_mode progress;
	const char *volid, *appid, *preparer, *publisher, *sysid, *volset;
	const char *abstract, *biblio, *copyright; /* file ids in the PVD */
	/* -uid, -gid, -file-mode, -dir-mode: given for every file (after
	 * -r's), when set; -uid and -gid also for the directories made */
	int uid_set, gid_set, file_mode_set, dir_mode_set, new_dir_mode_set;
	uid_t uid;
	gid_t gid;
	mode_t file_mode, dir_mode;
	mode_t new_dir_mode; /* -new-dir-mode: directories made by graft
	                        points (else 0755) */
	const char *input_charset;
	struct cd_strv exclude_globs; /* -m, -exclude-list */
	struct cd_strv exclude_paths; /* -x */
	struct cd_strv hide, hide_joliet;
	int ms;             /* -C given */
	uint32_t ms_last;   /* start of the last session */
	uint32_t ms_next;   /* where the new session will be written */
	const char *ms_dev; /* -M: image file, stdio:PATH or drive */
	struct isoboot_opts boot; /* El Torito and the system area */
	const char *trans_name;   /* -T: TRANS.TBL files of this name */
	int trans_hide_joliet;    /* -hide-joliet-trans-tbl */
	/* the image file being written, which must not go into itself */
	int out_set;
	dev_t out_dev;
	ino_t out_ino;

	/* -sort FILE: genisoimage's sort files, "SOURCE_GLOB WEIGHT" lines
	 * matched against each file's source path as the walk builds it
	 * (the last matching line wins; a directory's weight goes to what
	 * is below it). Read by isotree_new. */
	struct cd_strv sort_files;
	/* xorriso's --sort-weight N ISO_PATH, as pairs "N", "ISO_PATH" in
	 * order; and the last --sort-weight-list FILE ("N ISO_PATH" lines)
	 * or --sort-weight-patterns FILE (the same with globs), which is
	 * applied before them. Applied once the tree is built. */
	struct cd_strv sort_weights;
	const char *sort_list;
	int sort_list_patterns;
	int zisofs_magic; /* -z: files mkzftree compressed get ZF entries */
	int zisofs;       /* --zisofs: compress files with zisofs */
	/* -hfsplus and its settings: block sizes 0 (libisofs's choice),
	 * 512 or 2048; creator_type as triples CREATOR, TYPE, ISO_PATH;
	 * bless as pairs KIND ("p", "i", "s", "9", "x" or their long
	 * names), ISO_PATH, with KIND "disk" for -hfs-bless's source path */
	int hfsplus;
	int hfsp_block, apm_block;
	const char *hfsp_serial; /* 16 hex digits */
	struct cd_strv hfsp_creator_type, hfsp_bless, hide_hfsplus;
	/* -volume_date c/m/x/f (set bits 1, 2, 4, 8) and uuid, also
	 * --modification-date: override SOURCE_DATE_EPOCH and the time of
	 * writing */
	unsigned vol_set;
	time_t vol_c, vol_m, vol_x, vol_f;
	const char *vol_uuid; /* YYYYMMDDhhmmsscc, GMT */
	/* -volume_date all_file_dates, --set_all_file_dates: every file's
	 * and directory's times; all_dates_mtime: atime and ctime set to
	 * the mtime (set_to_mtime) */
	int all_dates_set, all_dates_mtime;
	time_t all_dates;
};

struct isotree;

/* Make an empty image, importing the previous session when o->ms_dev is
 * set. Returns NULL after a message; *status tells which exit status. */
struct isotree *isotree_new(const struct isotree_opts *o, int *status);

/* Is st the file or device the previous session was imported from (-M)?
 * Writing the new session over it would destroy the sessions it holds.
 * Compares st_dev and st_ino, and st_rdev for two device nodes. */
int isotree_is_old_source(const struct isotree *t, const struct stat *st);

/* Add one pathspec (a path, or with graft_points "target=source").
 * Problems with single files are reported and raise the exit status;
 * returns -1 only when the pathspec as a whole could not be added. */
int isotree_add(struct isotree *t, const char *pathspec);

/* Make the image bootable as o->boot asks, once every pathspec is added
 * (the boot images are files of the tree). 0, or -1 after a message with
 * the exit status raised. */
int isotree_boot(struct isotree *t);

/* --zisofs: compress the files, on every core, once the tree is complete
 * and before isotree_boot (boot images are left as they are). 0, or -1
 * after a message (no scratch file could be made; a file that could not
 * be put back compressed) with the exit status raised: no image then. */
int isotree_compress(struct isotree *t);

/* -T: a translation table in every directory (lib/isotrans), once the
 * tree is complete. 0, or -1 after a message. */
int isotree_trans(struct isotree *t);

/* What names image paths (--sort-weight*, the HFS+ codes and blessings)
 * and all_file_dates, once the tree is whole with its tables: called
 * before the output is made, so that a path the image lacks leaves an
 * old -o file as it was (isotree_size and isotree_write call it too).
 * 0, or -1 after a message (exit status 2 raised). */
int isotree_finish(struct isotree *t);

/* Bytes the image will have. 0 or -1 after a message. */
int isotree_size(struct isotree *t, uint64_t *bytes);

/* Write the image to fd. 0 or -1 after a message. */
int isotree_write(struct isotree *t, int fd, uint64_t *written);

void isotree_free(struct isotree *t);

/* Split a graft point at its first unescaped '=' and undo the escapes
 * ("\=" and "\\") in both halves. target is NULL when there is no '='.
 * The results are malloc'ed. Returns 0, or -1 when out of memory. */
int isotree_split_graft(const char *spec, char **target, char **source);

/* The longest line of a list file (sort files, weight lists, -*-list
 * files: a path and a number, or a graft point's two paths), with its
 * NUL */
#define ISOTREE_LINE (2 * PATH_MAX + 64)

/* One line of f into buf (ISOTREE_LINE bytes), without its newline: its
 * length, -1 at the end of the file (or an error: ferror tells), -2 for a
 * line longer than ISOTREE_LINE - 1 or with a NUL byte in it. getline
 * would grow its buffer for as long as a file has no newline: a list
 * named /dev/zero ate all memory. */
ssize_t isotree_read_line(FILE *f, char *buf);

/* The HFS+ blessing of -hfs-bless-by's KIND ("p" or "ppc_bootdir", "i",
 * "s", "9", "x" and their long names), or -1 */
int isotree_hfs_blessing(const char *kind);

/* -volume_date's times: YYYYMMDDhhmmsscc (GMT, as ECMA-119 writes them),
 * =SECONDS since 1970, or xorriso's YYYY.MM.DD[.hh[mm[ss]]] (local
 * time). 0, or -1 when s is none of these. */
int isotree_parse_time(const char *s, time_t *when);

/* Is s a volume uuid (--modification-date): 16 digits YYYYMMDDhhmmsscc,
 * years 1970 to 2999, months 1 to 12, days 1 to 31, hours to 23, minutes
 * and seconds to 59? 0 or -1 */
int isotree_parse_uuid(const char *s);

#endif
