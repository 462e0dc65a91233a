/* isomk: build an ISO 9660 image (mkisofs-compatible options) to stdout. */
#include "config.h"

#include "args.h"
#include "cli.h"
#include "isoboot.h"
#include "isotree.h"
#include "xio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <inttypes.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
	O_ABSTRACT = 1,
	/* weights, zisofs, HFS+, volume dates (parse_extra) */
	O_APM_BLOCK,
	O_HFS_BLESS,
	O_HFS_BLESS_BY,
	O_HFSP,
	O_HFSP_BLOCK,
	O_HFSP_CREATOR,
	O_HFSP_SERIAL,
	O_HIDE_HFSP,
	O_HIDE_HFSP_LIST,
	O_MODIFICATION_DATE,
	O_SET_ALL_FILE_DATES,
	O_SORT,
	O_SORT_WEIGHT,
	O_SORT_WEIGHT_LIST,
	O_SORT_WEIGHT_PATTERNS,
	O_VOLUME_DATE,
	O_ZISOFS,
	O_ZISOFS_MAGIC,
	O_ALLOW_LEADING_DOTS,
	O_APPID,
	O_BIBLIO,
	O_COPYRIGHT,
	O_DEEP,
	O_DIR_MODE,
	O_EXCLUDE,
	O_EXCLUDE_LIST,
	O_FILE_MODE,
	O_FOLLOW,
	O_FULL_NAMES,
	O_GID,
	O_GRAFT_POINTS,
	O_HELP,
	O_HIDE,
	O_HIDE_JOLIET,
	O_HIDE_JOLIET_LIST,
	O_HIDE_LIST,
	O_HIDE_RR_MOVED,
	O_INPUT_CHARSET,
	O_JCHARSET,
	O_OUTPUT_CHARSET,
	O_ISO_LEVEL,
	O_JOLIET,
	O_JOLIET_LONG,
	O_MD5,
	O_MS,
	O_MS_DEV,
	O_NEW_DIR_MODE,
	O_NOBAK,
	O_NOROCK,
	O_NO_PAD,
	O_OLD_EXCLUDE,
	O_OMIT_PERIOD,
	O_OMIT_VERSION,
	O_OUTPUT,
	O_PAD,
	O_PATH_LIST,
	O_PREPARER,
	O_PRINT_SIZE,
	O_PROGRESS,
	O_PUBLISHER,
	O_QUIET,
	O_RATIONAL,
	O_ROCK,
	O_SECTYPE,
	O_SYSID,
	O_UID,
	O_VERBOSE,
	O_VERSION,
	O_VOLID,
	O_VOLSET,
	O_VOLSET_SEQNO,
	O_VOLSET_SIZE,
	/* El Torito and the system area (lib/isoboot) */
	O_APPEND_PARTITION,
	O_APPENDED_APM,
	O_APPENDED_GPT,
	O_BOOT_B,
	O_BOOT_CATALOG_HIDE,
	O_BOOT_E,
	O_BOOT_INFO_TABLE,
	O_BOOT_LOAD_SEG,
	O_BOOT_LOAD_SIZE,
	O_CATALOG,
	O_EFI_BOOT,
	O_EFI_BOOT_PART,
	O_ELTORITO_ALT,
	O_ELTORITO_ID,
	O_ELTORITO_PLATFORM,
	O_ELTORITO_SELCRIT,
	O_GRUB2_BOOT_INFO,
	O_GRUB2_MBR,
	O_HARD_DISK_BOOT,
	O_ISO_MBR_PART_TYPE,
	O_ISOHYBRID_APM_HFSPLUS,
	O_ISOHYBRID_GPT_BASDAT,
	O_ISOHYBRID_GPT_HFSPLUS,
	O_ISOHYBRID_MBR,
	O_MBR_FORCE_BOOTABLE,
	O_NO_BOOT,
	O_NO_EMUL_BOOT,
	O_PART_LIKE_ISOHYBRID,
	O_PARTITION_CYL_ALIGN,
	O_PARTITION_NUM,
	O_PROTECTIVE_MSDOS,
	O_SYSAREA_G,
	O_TRANS,
	O_TABLE_NAME,
	O_HIDE_JOLIET_TRANS,
};

/* conflict bits */
#define RR 0x1 /* Rock Ridge asked for (-R, -r, -md5) */

/* Rows of the option table. The ids' field limits are the PVD's, counted
 * in bytes as genisoimage counts them: a longer id is refused, never cut
 * (ECMA-119 8.4: volume id and system id 32, volume set, publisher,
 * preparer and application ids 128, file ids 37). */
#define FLAG(n, i)                                                             \
	{                                                                      \
		.name = n, .id = i                                             \
	}
#define FLAGX(n, i, s, ns)                                                     \
	{                                                                      \
		.name = n, .id = i, .set = s, .noset = ns                      \
	}
#define STR(n, i)                                                              \
	{                                                                      \
		.name = n, .id = i, .type = CD_ARG_STRING                      \
	}
#define STR1(n, i)                                                             \
	{                                                                      \
		.name = n, .id = i, .type = CD_ARG_STRING,                     \
		.flags = CD_ARG_ONCE                                           \
	}
#define ID(n, i, len)                                                          \
	{                                                                      \
		.name = n, .id = i, .type = CD_ARG_STRING, .max = len          \
	}
#define IGN(n, w)                                                              \
	{                                                                      \
		.name = n, .disp = CD_ARG_IGNORED, .why = w                    \
	}
#define IGNV(n, k, w)                                                          \
	{                                                                      \
		.name = n, .disp = CD_ARG_IGNORED, .type = CD_ARG_STRING,      \
		.nvals = k, .why = w                                           \
	}
#define NO(n, w)                                                               \
	{                                                                      \
		.name = n, .disp = CD_ARG_UNSUPPORTED, .why = w                \
	}

#define BOOT                                                                   \
	"isomk makes boot images for PCs (BIOS and UEFI) only, not this "      \
	"machine's boot blocks"
#define HFS                                                                    \
	"isomk makes no HFS hybrid images (libisofs makes HFS+ only: "         \
	"-hfsplus)"
#define APPLE "isomk makes no Apple extensions"
#define JIGDO "isomk makes no jigdo files"
#define UDF "isomk makes no UDF file system"
#define NAMES "ISO 9660 names are made as libisofs makes them"
#define OLD "the previous session is read as it is (Rock Ridge when present)"
#define STRN(n, i, k)                                                          \
	{                                                                      \
		.name = n, .id = i, .type = CD_ARG_STRING, .nvals = k          \
	}
#define ZISOFS2                                                                \
	"zisofs version 2 is not made or recognised (Linux reads version 1, "  \
	"which -z and --zisofs make)"

/* Every option that genisoimage -help and xorriso -as mkisofs -help list,
 * and isomk's own: handled, ignored with a warning when that is harmless,
 * or refused (exit 2) when ignoring it would make another image than the
 * one asked for. Sorted by strcmp for bsearch; t0008 runs them all. */
static const struct cd_arg opts[] = {
    ID("A", O_APPID, 128),
    NO("B", BOOT),
    STR1("C", O_MS),
    FLAG("D", O_DEEP),
    STR("G", O_SYSAREA_G),
    NO("H", HFS),
    FLAG("J", O_JOLIET),
    FLAG("L", O_ALLOW_LEADING_DOTS),
    STR1("M", O_MS_DEV),
    FLAG("N", O_OMIT_VERSION),
    ID("P", O_PUBLISHER, 128),
    FLAGX("R", O_ROCK, RR, 0),
    FLAG("T", O_TRANS),
    NO("U", "untranslated ISO 9660 names are not made; -R or -J keep "
            "the real names"),
    ID("V", O_VOLID, 32),
    NO("XA", "isomk makes no XA records"),
    ID("abstract", O_ABSTRACT, 37),
    NO("acl", "isomk records no ACLs"),
    FLAG("allow-leading-dots", O_ALLOW_LEADING_DOTS),
    IGN("allow-limited-size",
        "it matters with UDF only, which isomk does not make"),
    NO("allow-lowercase", NAMES),
    NO("allow-multidot", NAMES),
    NO("alpha-boot", BOOT),
    {.name = "apm-block-size",
     .id = O_APM_BLOCK,
     .type = CD_ARG_UINT,
     .max = 2048},
        {.name = "append_partition",
     .id = O_APPEND_PARTITION,
     .type = CD_ARG_STRING,
     .nvals = 3},
    FLAG("appended_part_as_apm", O_APPENDED_APM),
    FLAG("appended_part_as_gpt", O_APPENDED_GPT),
    ID("appid", O_APPID, 128),
    NO("apple", APPLE),
    NO("application_use", "isomk sets no application use field"),
    NO("auto", HFS),
    STR("b", O_BOOT_B),
    ID("biblio", O_BIBLIO, 37),
    FLAG("boot-catalog-hide", O_BOOT_CATALOG_HIDE),
    NO("boot-hfs-file", HFS),
    FLAG("boot-info-table", O_BOOT_INFO_TABLE),
    STR("boot-load-seg", O_BOOT_LOAD_SEG),
    STR("boot-load-size", O_BOOT_LOAD_SIZE),
    STR("c", O_CATALOG),
    IGN("cache-inodes", "hard links are always found"),
    NO("cap", APPLE),
    STR1("cdrecord-params", O_MS),
    IGN("check-oldnames", OLD),
    IGNV("check-session", 1, OLD),
    NO("checksum-list", JIGDO),
    NO("checksum_algorithm_iso", JIGDO),
    NO("checksum_algorithm_template", JIGDO),
    NO("chrp-boot", BOOT),
    NO("chrp-boot-part", BOOT),
    NO("cluster-size", APPLE),
    ID("copyright", O_COPYRIGHT, 37),
    FLAG("d", O_OMIT_PERIOD),
    NO("dave", APPLE),
    IGN("debug", "there is nothing more to say than -v says"),
    STR1("dev", O_MS_DEV),
    STR("dir-mode", O_DIR_MODE),
    FLAG("disable-deep-relocation", O_DEEP),
    IGN("disallow_dir_id_ext",
        "directory names get no dots and no extensions anyway"),
    NO("double", APPLE),
    NO("dvd-video", UDF),
    STR("e", O_BOOT_E),
    STR("efi-boot", O_EFI_BOOT),
    STR("efi-boot-part", O_EFI_BOOT_PART),
    FLAG("eltorito-alt-boot", O_ELTORITO_ALT),
    STR("eltorito-boot", O_BOOT_B),
    STR("eltorito-catalog", O_CATALOG),
    STR("eltorito-id", O_ELTORITO_ID),
    STR("eltorito-platform", O_ELTORITO_PLATFORM),
    STR("eltorito-selcrit", O_ELTORITO_SELCRIT),
    STR("embedded-boot", O_SYSAREA_G),
    NO("emul-toc", "isomk writes no emulated TOC; cdwrite keeps the "
                   "sessions of overwriteable media"),
    NO("ethershare", APPLE),
    NO("exchange", APPLE),
    STR("exclude", O_EXCLUDE),
    STR("exclude-list", O_EXCLUDE_LIST),
    FLAG("f", O_FOLLOW),
    STR("file-mode", O_FILE_MODE),
    NO("file_name_limit", "Rock Ridge names are kept whole"),
    FLAG("follow-links", O_FOLLOW),
    NO("for_backup", "isomk records no ACLs or xattrs"),
    IGN("force-rr", OLD),
    FLAG("full-iso9660-filenames", O_FULL_NAMES),
    NO("g", APPLE),
    STR("generic-boot", O_SYSAREA_G),
    {.name = "gid", .id = O_GID, .type = CD_ARG_UINT, .max = UINT32_MAX - 1},
    NO("gpt_disk_guid", "the GPT disk GUID is libisofs's"),
    FLAG("graft-points", O_GRAFT_POINTS),
    FLAG("grub2-boot-info", O_GRUB2_BOOT_INFO),
    STR("grub2-mbr", O_GRUB2_MBR),
    NO("grub2-sparc-core", BOOT),
    IGN("gui", "progress goes to stderr on a terminal, or with --progress"),
    NO("h", "in mkisofs -h is -hfs: " HFS "; for help use --help"),
    FLAG("hard-disk-boot", O_HARD_DISK_BOOT),
    IGN("hardlinks", "hard links are always recorded with -R or -r"),
    FLAG("help", O_HELP),
    NO("hfs", HFS),
    STR("hfs-bless", O_HFS_BLESS),
    STRN("hfs-bless-by", O_HFS_BLESS_BY, 2),
    NO("hfs-creator", HFS),
    NO("hfs-parms", HFS),
    NO("hfs-type", HFS),
    NO("hfs-unlock", HFS),
    NO("hfs-volid", HFS),
    FLAG("hfsplus", O_HFSP),
    {.name = "hfsplus-block-size",
     .id = O_HFSP_BLOCK,
     .type = CD_ARG_UINT,
     .max = 2048},
    STRN("hfsplus-file-creator-type", O_HFSP_CREATOR, 3),
    STR("hfsplus-serial-no", O_HFSP_SERIAL),
    NO("hidden", "isomk sets no ISO 9660 hidden flags; -hide leaves files "
                 "out of the ISO tree"),
    NO("hidden-list", "isomk sets no ISO 9660 hidden flags; -hide-list "
                      "leaves files out of the ISO tree"),
    STR("hide", O_HIDE),
    NO("hide-hfs", HFS),
    NO("hide-hfs-list", HFS),
    STR("hide-hfsplus", O_HIDE_HFSP),
    STR("hide-hfsplus-list", O_HIDE_HFSP_LIST),
    STR("hide-joliet", O_HIDE_JOLIET),
    STR("hide-joliet-list", O_HIDE_JOLIET_LIST),
    FLAG("hide-joliet-trans-tbl", O_HIDE_JOLIET_TRANS),
    STR("hide-list", O_HIDE_LIST),
    FLAG("hide-rr-moved", O_HIDE_RR_MOVED),
    NO("hppa-bootloader", BOOT),
    NO("hppa-cmdline", BOOT),
    NO("hppa-hdrversion", BOOT),
    NO("hppa-kernel-32", BOOT),
    NO("hppa-kernel-64", BOOT),
    NO("hppa-ramdisk", BOOT),
    NO("i", "genisoimage no longer supports it either: name the files"),
    NO("icon-position", HFS),
    STR("input-charset", O_INPUT_CHARSET),
    NO("input-hfs-charset", HFS),
    STR("iso-level", O_ISO_LEVEL),
    STR("iso_mbr_part_type", O_ISO_MBR_PART_TYPE),
    FLAG("isohybrid-apm-hfsplus", O_ISOHYBRID_APM_HFSPLUS),
    FLAG("isohybrid-gpt-basdat", O_ISOHYBRID_GPT_BASDAT),
    FLAG("isohybrid-gpt-hfsplus", O_ISOHYBRID_GPT_HFSPLUS),
    STR("isohybrid-mbr", O_ISOHYBRID_MBR),
    STR("jcharset", O_JCHARSET),
    NO("jigdo-checksum-algorithm", JIGDO),
    NO("jigdo-exclude", JIGDO),
    NO("jigdo-force-checksum", JIGDO),
    NO("jigdo-force-md5", JIGDO),
    NO("jigdo-jigdo", JIGDO),
    NO("jigdo-map", JIGDO),
    NO("jigdo-min-file-size", JIGDO),
    NO("jigdo-template", JIGDO),
    NO("jigdo-template-compress", JIGDO),
    FLAG("joliet", O_JOLIET),
    FLAG("joliet-long", O_JOLIET_LONG),
    NO("joliet-utf16", "Joliet names are UCS-2, as genisoimage writes them"),
    FLAG("l", O_FULL_NAMES),
    FLAG("ldots", O_ALLOW_LEADING_DOTS),
    IGNV("log-file", 1, "messages go to stderr; redirect it"),
    STR("m", O_EXCLUDE),
    NO("mac-name", HFS),
    NO("macbin", APPLE),
    NO("magic", HFS),
    NO("map", HFS),
    NO("max-iso9660-filenames", NAMES),
    FLAG("mbr-force-bootable", O_MBR_FORCE_BOOTABLE),
    FLAGX("md5", O_MD5, RR, 0),
    NO("md5-list", JIGDO),
    NO("mips-boot", BOOT),
    NO("mipsel-boot", BOOT),
    STR("modification-date", O_MODIFICATION_DATE),
    NO("netatalk", APPLE),
    STR("new-dir-mode", O_NEW_DIR_MODE),
    FLAG("no-bak", O_NOBAK),
    FLAG("no-boot", O_NO_BOOT),
    IGN("no-cache-inodes", "hard links are always found"),
    NO("no-desktop", HFS),
    FLAG("no-emul-boot", O_NO_EMUL_BOOT),
    IGN("no-emul-toc", "isomk writes no emulated TOC"),
    NO("no-iso-translate", NAMES),
    NO("no-mac-files", APPLE),
    FLAG("no-pad", O_NO_PAD),
    NO("no-rr", "the previous session is read with Rock Ridge when present"),
    IGN("no-split-symlink-components", "symbolic links are written whole"),
    IGN("no-split-symlink-fields", "symbolic links are written whole"),
    IGN("no_rc", "isomk reads no startup files"),
    FLAG("nobak", O_NOBAK),
    FLAGX("norock", O_NOROCK, 0, RR),
    STR1("o", O_OUTPUT),
    NO("old-empty", "empty files get the addresses libisofs gives them"),
    STR("old-exclude", O_OLD_EXCLUDE),
    NO("old-root", "the previous session is kept as it is"),
    NO("old-root-devno", "the previous session is kept as it is"),
    NO("old-root-no-ino", "the previous session is kept as it is"),
    NO("old-root-no-md5", "the previous session is kept as it is"),
    FLAG("omit-period", O_OMIT_PERIOD),
    FLAG("omit-version-number", O_OMIT_VERSION),
    NO("osx-double", APPLE),
    NO("osx-hfs", APPLE),
    STR1("output", O_OUTPUT),
    STR("output-charset", O_OUTPUT_CHARSET),
    NO("output-hfs-charset", HFS),
    ID("p", O_PREPARER, 128),
    FLAG("pad", O_PAD),
    NO("part", HFS),
    FLAG("part_like_isohybrid", O_PART_LIKE_ISOHYBRID),
    STR("partition_cyl_align", O_PARTITION_CYL_ALIGN),
    STR("partition_hd_cyl", O_PARTITION_NUM),
    STR("partition_offset", O_PARTITION_NUM),
    STR("partition_sec_hd", O_PARTITION_NUM),
    STR("path-list", O_PATH_LIST),
    NO("prep-boot", BOOT),
    NO("prep-boot-part", BOOT),
    ID("preparer", O_PREPARER, 128),
    STR1("prev-session", O_MS_DEV),
    FLAG("print-size", O_PRINT_SIZE),
    NO("probe", HFS),
    FLAG("progress", O_PROGRESS),
    FLAG("protective-msdos-label", O_PROTECTIVE_MSDOS),
    ID("publisher", O_PUBLISHER, 128),
    FLAG("q", O_QUIET),
    FLAG("quiet", O_QUIET),
    NO("quoted_path_list", "use -path-list, one pathspec a line"),
    FLAGX("r", O_RATIONAL, RR, 0),
    FLAGX("rational-rock", O_RATIONAL, RR, 0),
    NO("relaxed-filenames", NAMES),
    FLAGX("rock", O_ROCK, RR, 0),
    NO("root", "use -graft-points: TARGET/=SOURCE"),
    NO("root-info", HFS),
    NO("rr_reloc_dir", "deep directories are relocated to rr_moved"),
    STR("s", O_SECTYPE),
    NO("scdbackup_tag", "use -md5"),
    STR("sectype", O_SECTYPE),
    STR("set_all_file_dates", O_SET_ALL_FILE_DATES),
    NO("sfm", APPLE),
    NO("sgi", APPLE),
    NO("single", APPLE),
    STR("sort", O_SORT),
    STRN("sort-weight", O_SORT_WEIGHT, 2),
    STR("sort-weight-list", O_SORT_WEIGHT_LIST),
    STR("sort-weight-patterns", O_SORT_WEIGHT_PATTERNS),
    NO("sparc-boot", BOOT),
    NO("sparc-label", BOOT),
    NO("split-output", "isomk writes one stream; use split(1)"),
    IGNV("stdio_sync", 1, "the output is flushed once, at the end"),
    NO("stream-file-name", "isomk makes no stream-file images"),
    NO("stream-media-size", "isomk makes no stream-file images"),
    NO("sunx86-boot", BOOT),
    NO("sunx86-label", BOOT),
    ID("sysid", O_SYSID, 32),
    STR("table-name", O_TABLE_NAME),
    FLAG("translation-table", O_TRANS),
    FLAGX("transparent-compression", O_ZISOFS_MAGIC, RR, 0),
    NO("ucs-level", "Joliet names are UCS-2 level 3, as genisoimage's"),
    NO("udf", UDF),
    {.name = "uid", .id = O_UID, .type = CD_ARG_UINT, .max = UINT32_MAX - 1},
    NO("untranslated-filenames", "untranslated ISO 9660 names are not "
                                 "made; -R or -J keep the real names"),
    NO("untranslated_name_len", "untranslated ISO 9660 names are not "
                                "made; -R or -J keep the real names"),
    NO("use-fileversion", NAMES),
    NO("ushare", APPLE),
    FLAG("v", O_VERBOSE),
    FLAG("verbose", O_VERBOSE),
    FLAG("version", O_VERSION),
    ID("volid", O_VOLID, 32),
    ID("volset", O_VOLSET, 128),
    {.name = "volset-seqno", .id = O_VOLSET_SEQNO, .type = CD_ARG_UINT},
    {.name = "volset-size", .id = O_VOLSET_SIZE, .type = CD_ARG_UINT},
    STRN("volume_date", O_VOLUME_DATE, 2),
    STR("x", O_OLD_EXCLUDE),
    NO("xa", "isomk makes no XA records"),
    NO("xattr", "isomk records no xattrs"),
    NO("xattr-any", "isomk records no xattrs"),
    NO("xinet", APPLE),
    FLAGX("z", O_ZISOFS_MAGIC, RR, 0),
    FLAGX("zisofs", O_ZISOFS, RR, 0),
    NO("zisofs-version-2", ZISOFS2),
    NO("zisofs2-susp-z2", ZISOFS2),
    NO("zisofs2-susp-zf", ZISOFS2),
};

static void usage(void)
{
	printf(
	    "Usage: %s [options] pathspec...\n"
	    "Build an ISO 9660 image of files and directories and write "
	    "it to standard output.\n"
	    "\n"
	    "  -o FILE             write the image to FILE instead\n"
	    "  -R, -r              Rock Ridge: names, modes, owners, links "
	    "(-r: sensible modes, owner root)\n"
	    "  -J, -joliet-long    Joliet names for Windows (-joliet-long: "
	    "up to 103 characters)\n"
	    "  -iso-level N        1 (default), 2, 3, or 4 (ISO 9660:1999); "
	    "files of 4 GiB or more use 3\n"
	    "  -l, -L, -N, -D      31-character ISO names, leading dots, "
	    "no ;1 versions, no deep relocation\n"
	    "  -V ID, -A ID, -p ID, -publisher ID, -sysid ID, -volset ID\n"
	    "                      volume, application, preparer, "
	    "publisher, system, volume set ids\n"
	    "                      (at most 32, 128, 128, 128, 32, 128 "
	    "bytes; longer is refused)\n"
	    "  -abstract F, -biblio F, -copyright F\n"
	    "                      file ids in the volume descriptor "
	    "(at most 37 bytes)\n"
	    "  -graft-points       pathspecs may be TARGET=SOURCE ('\\=' for "
	    "a literal '=')\n"
	    "  -path-list FILE     read pathspecs from FILE, one a line "
	    "('-' for stdin)\n"
	    "  -m GLOB, -x PATH    leave out files whose name matches GLOB, "
	    "or the source PATH\n"
	    "  -exclude-list FILE  leave out the globs in FILE, one a line\n"
	    "  -no-bak             leave out names with '~' or '#', or "
	    "ending in .bak\n"
	    "  -hide GLOB, -hide-joliet GLOB\n"
	    "                      hide matching files from the ISO/Rock "
	    "Ridge or the Joliet tree\n"
	    "  -hide-list FILE, -hide-joliet-list FILE\n"
	    "                      the same for the globs in FILE, one "
	    "a line\n"
	    "  -uid N, -gid N, -file-mode MODE, -dir-mode MODE, "
	    "-new-dir-mode MODE\n"
	    "                      owner, group, mode of files and "
	    "directories (turn on -R)\n"
	    "  -f                  follow symbolic links\n"
	    "  -input-charset CS   charset of file names (default: the "
	    "locale's, UTF-8 in the C locale)\n"
	    "  -C LAST,NEXT        make a session to be written at NEXT "
	    "(from msinfo)\n"
	    "  -M DEV              import the previous session from an image, "
	    "stdio:PATH or a drive\n"
	    "  -T, -table-name F   a TRANS.TBL (or F) in every directory: "
	    "ISO 9660 names to real ones\n"
	    "  -md5                record MD5 checksums of the session and "
	    "of each file\n"
	    "  -b IMG, -e IMG      boot image for BIOS, for UEFI (a path in "
	    "the image); -c CATALOG\n"
	    "  -no-emul-boot, -boot-load-size N, -boot-info-table, "
	    "-eltorito-alt-boot\n"
	    "                      the entry's emulation, load size, "
	    "isolinux table; the next entry\n"
	    "  -isohybrid-mbr FILE, -isohybrid-gpt-basdat, -G FILE, "
	    "--grub2-mbr FILE\n"
	    "                      boot from a disk too: MBR, GPT, system "
	    "area (see isomk(1))\n"
	    "  -append_partition N TYPE FILE, -partition_offset BLOCKS\n"
	    "  -sort FILE          'SOURCE_GLOB WEIGHT' lines: heavier "
	    "files' data first\n"
	    "  --sort-weight N ISO_PATH, --sort-weight-list F, "
	    "--sort-weight-patterns F\n"
	    "                      the same by image path, as xorriso\n"
	    "  -z                  mkzftree's compressed files get zisofs "
	    "entries (and -R)\n"
	    "  --zisofs            compress files with zisofs, which Linux "
	    "reads (and -R)\n"
	    "  -hfsplus            an HFS+ tree and an Apple partition map "
	    "too (with\n"
	    "                      -hfsplus-file-creator-type, -hfs-bless, "
	    "-hfs-bless-by...)\n"
	    "  --modification-date=YYYYMMDDhhmmsscc\n"
	    "  -volume_date c|m|x|f|uuid|all_file_dates TIME\n"
	    "                      the volume's dates (GMT), over "
	    "SOURCE_DATE_EPOCH's\n"
	    "  -pad, -no-pad       add (default) or leave out 300 KiB of "
	    "zeros at the end\n"
	    "  -print-size         print the image size in 2048-byte blocks "
	    "and nothing else\n"
	    "  -v, -q, -quiet      more messages; no progress and no notes\n"
	    "  --progress          show progress even when stderr is not a "
	    "terminal\n"
	    "  --help, --version\n"
	    "\n"
	    "Options match exactly, with one dash or two. Other mkisofs "
	    "options are ignored\nwith a warning when that is harmless, or "
	    "refused (exit 2): other machines' boot\nblocks, HFS, UDF, jigdo "
	    "(see isomk(1)). -h is genisoimage's -hfs: refused.\n"
	    "\n"
	    "Exit status: 0 success, 1 failure (a file left out or "
	    "incomplete, I/O error),\n"
	    "2 usage, 3 the -M medium is blank or missing.\n",
	    cd_prog);
}

/* Read lines of a list file into sv; the copies are also put in own, to
 * be freed at the end. */
static void read_list(const char *file, struct cd_strv *sv, struct cd_strv *own,
                      const char *what)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[ISOTREE_LINE];
	ssize_t n;
	unsigned long lineno = 0;

	if (!f)
		cd_die(CD_EXIT_USAGE, "cannot open %s '%s': %s", what, file,
		       strerror(errno));
	while ((n = isotree_read_line(f, line)) != -1) {
		char *copy;

		lineno++;
		if (n < 0)
			cd_die(CD_EXIT_USAGE,
			       "%s '%s' line %lu: longer than %d bytes, or a "
			       "NUL byte in it: not a list of paths",
			       what, file, lineno, ISOTREE_LINE - 1);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0)
			continue;
		copy = strdup(line);
		if (!copy)
			cd_die(CD_EXIT_FAIL, "out of memory");
		cd_strv_push(own, copy);
		cd_strv_push(sv, copy);
	}
	if (ferror(f))
		cd_die(CD_EXIT_FAIL, "cannot read %s '%s': %s", what, file,
		       strerror(errno));
	if (f != stdin)
		fclose(f);
}

/* Ctrl-C or kill while writing an image file: remove the incomplete file
 * (a device or pipe given with -o is never removed) and die of the signal */

/* The new session must not be written over the -M image it follows (-M X
 * -o X, also through a link, or standard output redirected to X): the
 * sessions X holds would be lost. 1 after a message (exit status 2). */
static int refuse_old_source(struct isotree *t, const struct isotree_opts *o,
                             const struct stat *st, const char *out)
{
	if (!isotree_is_old_source(t, st))
		return 0;
	cd_msg("%s%s is the -M %s itself: writing it would destroy the "
	       "sessions it holds; write the new session to another file, "
	       "or pipe it to cdwrite -multi dev=%s -",
	       out ? "-o " : "", out ? out : "standard output",
	       S_ISREG(st->st_mode) ? "image" : "medium", o->ms_dev);
	cd_raise(CD_EXIT_USAGE);
	return 1;
}

/* Open -o's file. It is truncated only once it is known not to be the -M
 * image. -1 after a message. */
static int open_output(struct isotree *t, const struct isotree_opts *o,
                       const char *out)
{
	struct stat st;
	int fd;

	/* a drive that libburn holds for -M may not open a second time */
	if (stat(out, &st) == 0 && refuse_old_source(t, o, &st, out))
		return -1;
	fd = open(out, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		cd_error("cannot open '%s': %s", out, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		cd_error("cannot open '%s': %s", out, strerror(errno));
		close(fd);
		return -1;
	}
	if (refuse_old_source(t, o, &st, out)) {
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode)) {
		if (ftruncate(fd, 0) < 0) {
			cd_error("cannot truncate '%s': %s", out,
			         strerror(errno));
			close(fd);
			return -1;
		}
		xio_partial(AT_FDCWD, out);
	}
	return fd;
}

static void parse_ms(const char *arg, struct isotree_opts *o)
{
	char *comma = strchr(arg, ',');
	uint64_t a, b;
	char first[32];

	if (!comma || (size_t)(comma - arg) >= sizeof first)
		cd_usage("-C wants LAST_START,NEXT_WRITABLE (as msinfo "
		         "prints), not '%s'",
		         arg);
	memcpy(first, arg, (size_t)(comma - arg));
	first[comma - arg] = '\0';
	if (cd_parse_uint(first, UINT32_MAX, &a) < 0 ||
	    cd_parse_uint(comma + 1, UINT32_MAX, &b) < 0)
		cd_usage("-C wants two block numbers LAST,NEXT, not '%s'", arg);
	if (b < a)
		cd_usage("-C %s: the next session cannot start before the "
		         "last one",
		         arg);
	o->ms = 1;
	o->ms_last = (uint32_t)a;
	o->ms_next = (uint32_t)b;
}

/* -file-mode and -dir-mode: an octal mode such as 0644 or 444 */
static mode_t parse_mode(const struct cd_args *a)
{
	const char *p = a->val;
	unsigned long m = 0;

	if (!*p || strlen(p) > 5)
		p = "x";
	for (; *p; p++) {
		if (*p < '0' || *p > '7')
			cd_usage(
			    "%s wants an octal mode such as 0644, not '%s'",
			    a->word, a->val);
		m = m * 8 + (unsigned long)(*p - '0');
	}
	if (m > 07777)
		cd_usage("%s wants an octal mode such as 0644, not '%s'",
		         a->word, a->val);
	return (mode_t)m;
}

/* What the command line asks for. */
struct job {
	struct isotree_opts o;
	struct cd_strv specs; /* pathspecs, in order */
	struct cd_strv lines; /* the lines of list files, owned */
	const char *out;      /* -o */
	int print_size, quiet;
};

/* -hfsplus-block-size, -apm-block-size: what libisofs takes */
static int block_size(const struct cd_args *a)
{
	if (a->num != 0 && a->num != 512 && a->num != 2048)
		cd_usage("%s wants 0 (libisofs's choice), 512 or 2048, not %s",
		         a->word, a->val);
	return (int)a->num;
}

/* 2156-01-01 00:00:00 and 9999-12-31 23:59:59 GMT */
#define LAST_FILE_TIME ((time_t)5869584000)
#define LAST_VOLUME_TIME ((time_t)253402300799)

/* -volume_date TYPE TIME, --modification-date, --set_all_file_dates */
static void parse_date(struct isotree_opts *o, const char *word,
                       const char *type, const char *when)
{
	static const char types[] = "cmxf";
	const char *p = strchr(types, *type);
	int dflt = !strcmp(when, "default") || !strcmp(when, "overridden");
	time_t tm = 0;

	if (!strcmp(type, "uuid")) {
		if (dflt) {
			o->vol_uuid = NULL;
			return;
		}
		if (isotree_parse_uuid(when) < 0)
			cd_usage("%s %s: want 16 digits YYYYMMDDhhmmsscc (GMT, "
			         "a date and time of the years 1970 to 2999)",
			         word, when);
		o->vol_uuid = when;
		return;
	}
	if (!strcmp(type, "all_file_dates")) {
		o->all_dates_set = !dflt && *when;
		o->all_dates_mtime = !strcmp(when, "set_to_mtime");
		if (o->all_dates_set && !o->all_dates_mtime &&
		    isotree_parse_time(when, &o->all_dates) < 0)
			cd_usage(
			    "%s %s: not a time isomk reads (YYYYMMDDhhmmsscc, "
			    "=SECONDS, YYYY.MM.DD[.hh[mm[ss]]] or "
			    "set_to_mtime)",
			    word, when);
		/* a directory record's year is a byte after 1900: libisofs
		 * wrote 2155 for any later date, without a word */
		if (o->all_dates_set && !o->all_dates_mtime &&
		    o->all_dates >= LAST_FILE_TIME)
			cd_usage(
			    "%s %s: after 2155, the last year ISO 9660 and "
			    "Rock Ridge record for a file",
			    word, when);
		return;
	}
	if (!p || !*type || type[1])
		cd_usage("%s %s: the type is c, m, x, f, uuid or "
		         "all_file_dates",
		         word, type);
	if (!dflt && isotree_parse_time(when, &tm) < 0)
		cd_usage("%s %s %s: not a time isomk reads (YYYYMMDDhhmmsscc, "
		         "=SECONDS, YYYY.MM.DD[.hh[mm[ss]]] or default)",
		         word, type, when);
	/* libisofs wrote 9999-12-31 23:59:59 for any later time */
	if (tm > LAST_VOLUME_TIME)
		cd_usage("%s %s %s: after the year 9999, the last a volume's "
		         "date holds",
		         word, type, when);
	if (dflt)
		o->vol_set &= ~(1u << (p - types));
	else
		o->vol_set |= 1u << (p - types);
	switch (*p) {
	case 'c':
		o->vol_c = tm;
		break;
	case 'm':
		o->vol_m = tm;
		break;
	case 'x':
		o->vol_x = tm;
		break;
	default:
		o->vol_f = tm;
		break;
	}
}

/* The options of weights, zisofs, HFS+ and volume dates */
static void parse_extra(const struct cd_args *a, int c, struct job *j)
{
	struct isotree_opts *o = &j->o;

	switch (c) {
	case O_APM_BLOCK:
		o->apm_block = block_size(a);
		break;
	case O_HFS_BLESS:
		cd_strv_push(&o->hfsp_bless, "disk");
		cd_strv_push(&o->hfsp_bless, a->val);
		o->hfsplus = 1;
		break;
	case O_HFS_BLESS_BY:
		if (isotree_hfs_blessing(a->vals[0]) < 0)
			cd_usage("%s %s: the blessing is p (ppc_bootdir), i "
			         "(intel_bootfile), s (show_folder), 9 "
			         "(os9_folder) or x (osx_folder)",
			         a->word, a->vals[0]);
		cd_strv_push(&o->hfsp_bless, a->vals[0]);
		cd_strv_push(&o->hfsp_bless, a->vals[1]);
		o->hfsplus = 1;
		break;
	case O_HFSP:
		o->hfsplus = 1;
		break;
	case O_HFSP_BLOCK:
		o->hfsp_block = block_size(a);
		break;
	case O_HFSP_CREATOR:
		if (strlen(a->vals[0]) != 4 || strlen(a->vals[1]) != 4)
			cd_usage("%s %s %s: creator and type are 4 bytes each",
			         a->word, a->vals[0], a->vals[1]);
		for (int i = 0; i < 3; i++)
			cd_strv_push(&o->hfsp_creator_type, a->vals[i]);
		o->hfsplus = 1;
		break;
	case O_HFSP_SERIAL:
		if (strlen(a->val) != 16 ||
		    strspn(a->val, "0123456789abcdefABCDEF") != 16)
			cd_usage("%s %s: want 16 hexadecimal digits", a->word,
			         a->val);
		o->hfsp_serial = a->val;
		break;
	case O_HIDE_HFSP:
		cd_strv_push(&o->hide_hfsplus, a->val);
		break;
	case O_HIDE_HFSP_LIST:
		read_list(a->val, &o->hide_hfsplus, &j->lines,
		          "hide-hfsplus list");
		break;
	case O_MODIFICATION_DATE:
		parse_date(o, a->word, "uuid", a->val);
		break;
	case O_SET_ALL_FILE_DATES:
		parse_date(o, a->word, "all_file_dates", a->val);
		break;
	case O_SORT:
		cd_strv_push(&o->sort_files, a->val);
		break;
	case O_SORT_WEIGHT:
		cd_strv_push(&o->sort_weights, a->vals[0]);
		cd_strv_push(&o->sort_weights, a->vals[1]);
		break;
	case O_SORT_WEIGHT_LIST:
	case O_SORT_WEIGHT_PATTERNS:
		/* as in xorriso, only the last list counts */
		o->sort_list = a->val;
		o->sort_list_patterns = c == O_SORT_WEIGHT_PATTERNS;
		break;
	case O_VOLUME_DATE:
		parse_date(o, a->word, a->vals[0], a->vals[1]);
		break;
	case O_ZISOFS:
	case O_ZISOFS_MAGIC:
		/* zisofs is recorded in Rock Ridge fields (ZF): on, as
		 * xorriso always has them (-norock is refused beside) */
		o->zisofs |= c == O_ZISOFS;
		o->zisofs_magic |= c == O_ZISOFS_MAGIC;
		o->rock = 1;
		break;
	}
}

/* "UTF-8", "utf8", "Utf-8": one charset */
static int same_charset(const char *x, const char *y)
{
	for (;; x++, y++) {
		while (*x == '-' || *x == '_')
			x++;
		while (*y == '-' || *y == '_')
			y++;
		if (tolower((unsigned char)*x) != tolower((unsigned char)*y))
			return 0;
		if (!*x)
			return 1;
	}
}

/* The options that change the current boot entry */
static void boot_flag(struct isoboot_opts *b, int c, const char *word)
{
	struct isoboot_entry *e = isoboot_cur(b, word);

	if (!e)
		return;
	switch (c) {
	case O_BOOT_INFO_TABLE:
		e->info_table = 1;
		break;
	case O_GRUB2_BOOT_INFO:
		e->grub2_info = 1;
		break;
	case O_HARD_DISK_BOOT:
		e->emul = ISOBOOT_HARD;
		break;
	case O_ISOHYBRID_APM_HFSPLUS:
		e->apm = 1;
		break;
	case O_ISOHYBRID_GPT_BASDAT:
		e->gpt = 1;
		break;
	case O_ISOHYBRID_GPT_HFSPLUS:
		e->gpt = 2;
		break;
	case O_NO_BOOT:
		e->no_boot = 1;
		break;
	case O_NO_EMUL_BOOT:
		e->emul = ISOBOOT_NOEMUL;
		break;
	}
}

/* Read the command line into j; a usage error ends the program (2). */
static void parse(int argc, char **argv, struct job *j)
{
	const char *output_charset = NULL;
	struct cd_args a;
	int c;

	cd_args_init(&a, opts, sizeof opts / sizeof opts[0], argc, argv);
	while ((c = cd_args_get(&a)) > 0) {
		switch (c) {
		case O_ABSTRACT:
			j->o.abstract = a.val;
			break;
		case O_ALLOW_LEADING_DOTS:
			j->o.leading_dots = 1;
			break;
		case O_APPID:
			j->o.appid = a.val;
			break;
		case O_BIBLIO:
			j->o.biblio = a.val;
			break;
		case O_COPYRIGHT:
			j->o.copyright = a.val;
			break;
		case O_DEEP:
			j->o.deep = 1;
			break;
		case O_DIR_MODE:
			j->o.dir_mode = parse_mode(&a);
			j->o.dir_mode_set = 1;
			break;
		case O_EXCLUDE:
			cd_strv_push(&j->o.exclude_globs, a.val);
			break;
		case O_EXCLUDE_LIST:
			read_list(a.val, &j->o.exclude_globs, &j->lines,
			          "exclude list");
			break;
		case O_FILE_MODE:
			j->o.file_mode = parse_mode(&a);
			j->o.file_mode_set = 1;
			break;
		case O_FOLLOW:
			j->o.follow = 1;
			break;
		case O_FULL_NAMES:
			j->o.full_names = 1;
			break;
		case O_GID:
			j->o.gid = (gid_t)a.num;
			j->o.gid_set = 1;
			break;
		case O_GRAFT_POINTS:
			j->o.graft_points = 1;
			break;
		case O_HELP:
			usage();
			cd_args_free(&a);
			cd_exit();
		case O_HIDE:
			cd_strv_push(&j->o.hide, a.val);
			break;
		case O_HIDE_JOLIET:
			cd_strv_push(&j->o.hide_joliet, a.val);
			break;
		case O_HIDE_JOLIET_LIST:
			read_list(a.val, &j->o.hide_joliet, &j->lines,
			          "hide-joliet list");
			break;
		case O_HIDE_LIST:
			read_list(a.val, &j->o.hide, &j->lines, "hide list");
			break;
		case O_INPUT_CHARSET:
			j->o.input_charset = a.val;
			break;
		case O_JCHARSET:
			/* genisoimage: -J -input-charset CS */
			j->o.joliet = 1;
			j->o.input_charset = a.val;
			break;
		case O_OUTPUT_CHARSET:
			output_charset = a.val;
			break;
		case O_HIDE_RR_MOVED:
			j->o.hide_rr_moved = 1;
			break;
		case O_ISO_LEVEL:
			if (strlen(a.val) != 1 || a.val[0] < '1' ||
			    a.val[0] > '4')
				cd_usage("-iso-level wants 1, 2, 3 or 4, not "
				         "'%s'",
				         a.val);
			j->o.iso_level = a.val[0] - '0';
			break;
		case O_JOLIET:
			j->o.joliet = 1;
			break;
		case O_JOLIET_LONG:
			j->o.joliet = 1;
			j->o.joliet_long = 1;
			break;
		case O_MD5:
			j->o.md5 = 1;
			break;
		case O_MS:
			parse_ms(a.val, &j->o);
			break;
		case O_MS_DEV:
			j->o.ms_dev = a.val;
			break;
		case O_NEW_DIR_MODE:
			j->o.new_dir_mode = parse_mode(&a);
			j->o.new_dir_mode_set = 1;
			break;
		case O_NOBAK:
			/* genisoimage leaves out names with '~' or '#' in
			 * them, or ending in .bak */
			cd_strv_push(&j->o.exclude_globs, "*~*");
			cd_strv_push(&j->o.exclude_globs, "*#*");
			cd_strv_push(&j->o.exclude_globs, "*.bak");
			break;
		case O_NOROCK:
			j->o.rock = j->o.rational = 0;
			break;
		case O_NO_PAD:
			j->o.pad = 0;
			break;
		case O_OLD_EXCLUDE:
			cd_strv_push(&j->o.exclude_paths, a.val);
			break;
		case O_OMIT_PERIOD:
			j->o.omit_period = 1;
			break;
		case O_OMIT_VERSION:
			j->o.omit_version = 1;
			break;
		case O_OUTPUT:
			if (!*a.val)
				cd_usage("-o needs a file name (or - for "
				         "standard output)");
			j->out = a.val;
			break;
		case O_PAD:
			j->o.pad = 1;
			break;
		case O_PATH_LIST:
			read_list(a.val, &j->specs, &j->lines, "path list");
			break;
		case O_PREPARER:
			j->o.preparer = a.val;
			break;
		case O_PRINT_SIZE:
			j->print_size = 1;
			break;
		case O_PROGRESS:
			j->o.progress = PROGRESS_FORCE;
			break;
		case O_PUBLISHER:
			j->o.publisher = a.val;
			break;
		case O_QUIET:
			j->quiet = 1;
			break;
		case O_RATIONAL:
			j->o.rational = 1;
			break;
		case O_ROCK:
			j->o.rock = 1;
			break;
		case O_SECTYPE:
			/* genisoimage's default; xa1 and raw sectors are
			 * the writer's business (cdwrite -xa, -raw) */
			if (strcmp(a.val, "data") != 0)
				cd_usage(
				    "%s %s: not supported: isomk writes "
				    "2048-byte data sectors only (-s data)",
				    a.word, a.val);
			break;
		case O_SYSID:
			j->o.sysid = a.val;
			break;
		case O_UID:
			j->o.uid = (uid_t)a.num;
			j->o.uid_set = 1;
			break;
		case O_VERBOSE:
			j->o.verbose = 1;
			break;
		case O_VERSION:
			cd_args_free(&a);
			cd_version();
		case O_VOLID:
			j->o.volid = a.val;
			break;
		case O_VOLSET:
			j->o.volset = a.val;
			break;
		case O_APPEND_PARTITION:
			isoboot_append(&j->o.boot, a.word, a.vals);
			break;
		case O_APPENDED_APM:
			j->o.boot.appended_apm = 1;
			break;
		case O_APPENDED_GPT:
			j->o.boot.appended_gpt = 1;
			break;
		case O_BOOT_B:
		case O_BOOT_E:
			isoboot_image(&j->o.boot, a.word, a.val, c == O_BOOT_E);
			break;
		case O_BOOT_CATALOG_HIDE:
			j->o.boot.catalog_hide = 1;
			break;
		case O_BOOT_INFO_TABLE:
		case O_GRUB2_BOOT_INFO:
		case O_HARD_DISK_BOOT:
		case O_ISOHYBRID_APM_HFSPLUS:
		case O_ISOHYBRID_GPT_BASDAT:
		case O_ISOHYBRID_GPT_HFSPLUS:
		case O_NO_BOOT:
		case O_NO_EMUL_BOOT:
			boot_flag(&j->o.boot, c, a.word);
			break;
		case O_BOOT_LOAD_SEG:
			isoboot_load_seg(&j->o.boot, a.word, a.val);
			break;
		case O_BOOT_LOAD_SIZE:
			isoboot_load_size(&j->o.boot, a.word, a.val);
			break;
		case O_CATALOG:
			if (!*a.val)
				cd_usage(
				    "%s needs the path of the boot catalog "
				    "in the image",
				    a.word);
			j->o.boot.catalog = a.val;
			break;
		case O_EFI_BOOT:
			isoboot_efi_boot(&j->o.boot, a.word, a.val);
			break;
		case O_EFI_BOOT_PART:
			j->o.boot.efi_part = a.val;
			break;
		case O_ELTORITO_ALT:
			isoboot_alt(&j->o.boot);
			break;
		case O_ELTORITO_ID:
		case O_ELTORITO_SELCRIT:
			isoboot_id(&j->o.boot, a.word, a.val,
			           c == O_ELTORITO_SELCRIT);
			break;
		case O_ELTORITO_PLATFORM:
			isoboot_platform(&j->o.boot, a.word, a.val);
			break;
		case O_GRUB2_MBR:
			isoboot_sysarea_file(&j->o.boot, a.word, a.val,
			                     ISOBOOT_SA_GRUB2);
			break;
		case O_ISO_MBR_PART_TYPE:
			isoboot_iso_part_type(&j->o.boot, a.word, a.val);
			break;
		case O_ISOHYBRID_MBR:
			isoboot_sysarea_file(&j->o.boot, a.word, a.val,
			                     ISOBOOT_SA_ISOHYBRID);
			break;
		case O_MBR_FORCE_BOOTABLE:
			j->o.boot.force_bootable = 1;
			break;
		case O_PART_LIKE_ISOHYBRID:
			j->o.boot.like_isohybrid = 1;
			break;
		case O_PARTITION_CYL_ALIGN:
			isoboot_cyl_align(&j->o.boot, a.word, a.val);
			break;
		case O_PARTITION_NUM:
			isoboot_part_num(&j->o.boot, a.word, a.val);
			break;
		case O_PROTECTIVE_MSDOS:
			j->o.boot.protective_msdos = 1;
			break;
		case O_SYSAREA_G:
			isoboot_sysarea_file(&j->o.boot, a.word, a.val,
			                     ISOBOOT_SA_G);
			break;
		case O_TRANS:
			if (!j->o.trans_name)
				j->o.trans_name = "TRANS.TBL";
			break;
		case O_TABLE_NAME:
			/* genisoimage: -table-name implies -T */
			/* what libisofs takes as a name: not . or .., at
			 * most 255 bytes (else exit 1, after the walk) */
			if (!*a.val || strchr(a.val, '/') ||
			    !strcmp(a.val, ".") || !strcmp(a.val, "..") ||
			    strlen(a.val) > 255)
				cd_usage("%s wants a file name, not '%s'",
				         a.word, a.val);
			j->o.trans_name = a.val;
			break;
		case O_HIDE_JOLIET_TRANS:
			j->o.trans_hide_joliet = 1;
			break;
		case O_VOLSET_SEQNO:
		case O_VOLSET_SIZE:
			/* the PVD of a one-volume set says 1 and 1 */
			if (a.num != 1)
				cd_usage("%s %s: not supported: isomk makes "
				         "volume sets of one volume (1)",
				         a.word, a.val);
			break;
		default:
			parse_extra(&a, c, j);
			break;
		}
	}
	/* Rock Ridge names are written in the charset they come in (UTF-8
	 * by default): asking for another is refused, not ignored */
	if (output_charset &&
	    !same_charset(output_charset,
	                  j->o.input_charset ? j->o.input_charset : "UTF-8"))
		cd_usage("-output-charset %s: not supported: Rock Ridge names "
		         "are written as they come in (%s)",
		         output_charset,
		         j->o.input_charset ? j->o.input_charset : "UTF-8");
	for (size_t i = 0; i < a.operands.n; i++)
		cd_strv_push(&j->specs, a.operands.v[i]);
	cd_args_free(&a);
	if (j->specs.n == 0)
		cd_usage("no pathspec: name the files and directories to put "
		         "in the image");
	if (j->o.ms_dev && !j->o.ms)
		cd_usage("-M %s needs -C LAST,NEXT to say where the new "
		         "session goes: isomk -C $(msinfo dev=%s) -M %s ...",
		         j->o.ms_dev, j->o.ms_dev, j->o.ms_dev);
	if (j->o.ms && !j->o.ms_dev)
		cd_warn("-C without -M: the new session will not show the "
		        "files of earlier sessions (right for CD-Extra after "
		        "audio, wrong for adding to a data disc: add -M)");
	/* as in genisoimage, -uid, -gid, -file-mode and -dir-mode are Rock
	 * Ridge attributes and turn it on */
	if (j->o.rational || j->o.uid_set || j->o.gid_set ||
	    j->o.file_mode_set || j->o.dir_mode_set)
		j->o.rock = 1;
	isoboot_finish(&j->o.boot, j->quiet);
	if (j->o.zisofs && j->o.boot.n && !j->quiet)
		cd_warn("--zisofs does not compress the boot images, but it "
		        "does the files a boot loader reads from the tree "
		        "(its configuration, modules, kernel), and boot "
		        "loaders read no zisofs: compress only what the booted "
		        "system reads (mkzftree and -z)");
	for (size_t i = 0; i < j->o.boot.n; i++)
		if (j->o.boot.v[i].gpt == 2 && j->o.hfsplus)
			cd_usage("-isohybrid-gpt-hfsplus marks a boot image as "
			         "the HFS+ partition, which -hfsplus makes: "
			         "choose one");
	if (j->quiet) {
		j->o.quiet = 1;
		j->o.progress = PROGRESS_OFF;
		j->o.verbose = 0;
	}
}

/* Build the image j asks for and write it (or its size). The exit
 * status is raised on the way. */
static void build(struct job *j)
{
	struct isotree *t;
	struct stat st;
	uint64_t bytes;
	int fd = STDOUT_FILENO, status;
	if (!j->print_size && !(j->out && strcmp(j->out, "-") != 0))
		xio_refuse_tty(STDOUT_FILENO, "an image");
	/* the image must not contain itself (a backup written into the tree
	 * it backs up): remember which file it is, as mkisofs does */
	if (!j->print_size) {
		if ((j->out && strcmp(j->out, "-") != 0)
		        ? stat(j->out, &st) == 0
		        : fstat(STDOUT_FILENO, &st) == 0) {
			if (S_ISREG(st.st_mode)) {
				j->o.out_set = 1;
				j->o.out_dev = st.st_dev;
				j->o.out_ino = st.st_ino;
				/* nor read it for its system area or
				 * partitions */
				j->o.boot.out_set = 1;
				j->o.boot.out_dev = st.st_dev;
				j->o.boot.out_ino = st.st_ino;
			}
		}
	}

	t = isotree_new(&j->o, &status);
	if (!t) {
		cd_raise(status ? status : CD_EXIT_FAIL);
		fd = -1;
		goto end;
	}
	for (size_t i = 0; i < j->specs.n; i++)
		isotree_add(t, j->specs.v[i]);
	if (isotree_compress(t) < 0 || isotree_boot(t) < 0 ||
	    isotree_trans(t) < 0 || isotree_finish(t) < 0) {
		fd = -1;
		goto end;
	}
	/* the output file is made only now: a failure until here leaves
	 * nothing behind */
	if (j->print_size)
		fd = -1;
	else if (j->out && strcmp(j->out, "-") != 0)
		fd = open_output(t, &j->o, j->out);
	else if (fstat(STDOUT_FILENO, &st) == 0 &&
	         refuse_old_source(t, &j->o, &st, NULL))
		fd = -1;

	if (j->print_size) {
		if (isotree_size(t, &bytes) < 0) {
			cd_error("cannot compute the image size");
		} else {
			printf("%" PRIu64 "\n", bytes / 2048);
		}
	} else if (fd >= 0) {
		if (isotree_write(t, fd, &bytes) < 0) {
			/* an incomplete image file is removed; a device or
			 * a pipe named with -o is of course left alone */
			if (fd != STDOUT_FILENO && fstat(fd, &st) == 0 &&
			    S_ISREG(st.st_mode) && unlink(j->out) == 0)
				cd_msg("'%s' is incomplete: removed", j->out);
			cd_raise(CD_EXIT_FAIL);
		} else if (j->o.verbose) {
			cd_msg("%" PRIu64 " blocks written (%" PRIu64 " bytes)",
			       bytes / 2048, bytes);
		}
		if (fd != STDOUT_FILENO && close(fd) < 0)
			cd_error("cannot write '%s': %s", j->out,
			         strerror(errno));
		xio_partial(-1, NULL);
	}
end:
	isotree_free(t);
	for (size_t i = 0; i < j->lines.n; i++)
		free((char *)j->lines.v[i]);
	cd_strv_free(&j->lines);
	cd_strv_free(&j->specs);
	cd_strv_free(&j->o.exclude_globs);
	cd_strv_free(&j->o.exclude_paths);
	cd_strv_free(&j->o.hide);
	cd_strv_free(&j->o.hide_joliet);
	isoboot_free(&j->o.boot);
}

int main(int argc, char **argv)
{
	struct job j = {
	    .o = {.iso_level = 1, .pad = 1, .boot.iso_part_type = -1}};

	cd_set_prog(argv[0]);
	setlocale(LC_CTYPE, ""); /* the locale's charset for file names */
	xio_init();
	parse(argc, argv, &j);
	build(&j);
	cd_exit();
}
