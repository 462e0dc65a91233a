/* isomd5: verifying the MD5 checksum tags that libisofs writes into a
 * session made with iso_write_opts_set_record_md5 (isomk -md5, xorriso
 * -md5 on), as xorriso -check_md5 and -check_media do, on any medium whose
 * 2048-byte blocks a callback can read: an image file, a CUE/BIN image, a
 * drive.
 *
 * Each session carries three tags, each one block of text
 * ("libisofs_checksum_tag_v1 pos=182 range_start=0 range_size=182
 * md5=... self=..."; libisofs's doc/checksums.txt): the superblock tag
 * after the volume descriptors, the tree tag after the directory tree and
 * the session tag after the data and the checksum array. Each holds the
 * MD5 of the blocks from the session's start up to the tag, and the MD5
 * of its own text (self=). The superblock and tree tags name where the
 * next tag is (next=): a tag that is not there, a next= that does not
 * point forward (the chain would end early, the blocks after it
 * unchecked), or a tag whose own MD5 is wrong, is a damaged tag. Tags are
 * decoded and MD5s computed with libisofs's own functions
 * (iso_util_decode_md5_tag, iso_md5_*).
 *
 * The medium is read once, from block 0 to the end, in 64 KiB reads;
 * every block whose text starts like a tag is decoded, and a tag counts
 * only where it says it is (pos=): a tag inside a file's data (an image
 * stored in the image) says another place. A session's MD5 starts from
 * the last blocks kept in memory when its first tag shows up (its
 * superblock range is the system area and the descriptors, about 20
 * blocks), so every block is read once and summed once per session that
 * covers it; only when a session's first tag is gone or far away are its
 * blocks read again. Each session's tags cover its own range, so every
 * session of a multisession disc is checked.
 *
 * One MD5 cannot say which block of its range differs: a mismatch names
 * the smallest range the tag chain allows, from the end of the last range
 * that was good (the superblock's, then the tree's) to the failing tag.
 *
 * An image file grown as growisofs grows a DVD+RW (cdwrite -multi on an
 * image file, xorriso --grow_overwriteable_iso) has the newest session's
 * volume descriptors copied to block 16, over the first session's: the
 * first session's ranges then differ by design (xorriso -check_md5 calls
 * it a "false MD5 alarm"). Such a session is told apart, by comparing its
 * descriptors with the later session's, and reported as not verifiable
 * rather than as a mismatch. */
#ifndef CDPIPE_ISOMD5_H
#define CDPIPE_ISOMD5_H

#include <stddef.h>
#include <stdint.h>

/* Read n 2048-byte blocks from block lba into buf: 0, or -1 when they
 * cannot be read (the check stops and names the block). */
typedef int (*isomd5_read_fn)(void *ctx, uint32_t lba, uint32_t n,
                              unsigned char *buf);

enum isomd5_state {
	ISOMD5_GOOD,       /* every tag of the session matches */
	ISOMD5_BAD,        /* a tag's MD5 differs from its blocks' */
	ISOMD5_DAMAGED,    /* a tag is damaged or not where the chain says */
	ISOMD5_TRUNCATED,  /* the chain points past the end of the medium */
	ISOMD5_SUPERSEDED, /* its descriptors were replaced by a later
	                      session's: not verifiable */
};

enum isomd5_tag {
	ISOMD5_TAG_SESSION = 1,
	ISOMD5_TAG_SUPERBLOCK = 2,
	ISOMD5_TAG_TREE = 3,
	ISOMD5_TAG_RELOCATED = 4, /* the 64 KiB superblock copy at block 0 */
};

enum isomd5_damage {
	ISOMD5_SELF = 1, /* its own MD5 (self=) is wrong */
	ISOMD5_MISSING,  /* not where the tag before it says (next=) */
	ISOMD5_PLACE,    /* its range does not end where it is */
};

struct isomd5_session {
	uint32_t start;  /* range_start of its tags: its first block */
	uint32_t good;   /* blocks start..good-1 are proven by a tag */
	int tags;        /* tags that matched */
	int session_tag; /* its session tag was found */
	int relocated;   /* only a relocated superblock tag: not a session
	                    but the copy of the newest one's descriptors at
	                    block 0 that xorriso writes on overwriteable
	                    media (its sessions start at block 32) */
	enum isomd5_state state;
	/* not GOOD: the tag concerned (its block and type); BAD: the
	 * blocks bad_from..bad_to-1, one of which differs */
	uint32_t tag_lba;
	int tag_type;
	uint32_t bad_from, bad_to;
	enum isomd5_damage damage; /* DAMAGED: how */
	uint32_t superseded_by;    /* SUPERSEDED: the later session's start */
	/* while reading: the next tag the chain names, and its type */
	uint32_t expect;
	int expect_type;
	/* while reading: MD5 of blocks start..md5_at-1, or NULL */
	void *md5;
	uint32_t md5_at;
};

enum isomd5_verdict {
	ISOMD5_OK,         /* tags found, every one matches */
	ISOMD5_MISMATCH,   /* a session is BAD, DAMAGED or TRUNCATED */
	ISOMD5_NO_TAGS,    /* no tag at all: made without -md5 */
	ISOMD5_READ_ERROR, /* block bad_lba could not be read */
};

struct isomd5_result {
	enum isomd5_verdict verdict;
	uint32_t first; /* blocks read: first..end-1 */
	uint32_t end;
	uint32_t bad_lba; /* READ_ERROR: the block */
	size_t n;         /* sessions found, by start */
	struct isomd5_session *s;
};

/* Check blocks first..end-1 of a medium (every session whose tags are
 * in there; tags name absolute block addresses, so first is a session's
 * start or 0); end 0: up to the volume size in the primary volume
 * descriptor at first + 16 (the end of the newest session of a grown
 * image). 0 with the result filled (free it with isomd5_free), or -1
 * when no memory or no MD5 (a message said it). A read error is a
 * result (READ_ERROR), with the sessions checked so far. */
int isomd5_check(isomd5_read_fn read, void *ctx, uint32_t first, uint32_t end,
                 struct isomd5_result *res);
void isomd5_free(struct isomd5_result *res);

/* Say on stderr what the check found, one line a session that is not
 * good and a summary (the good ones with cd_note), and return the exit
 * status: 0 every tag matches, 4 (CD_EXIT_MISMATCH) a mismatch or a
 * damaged tag, 1 no tags or a read error. */
int isomd5_report(const struct isomd5_result *res);

/* "superblock", "tree", "session", "relocated superblock" */
const char *isomd5_tag_name(int type);

#endif
