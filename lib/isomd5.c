/* isomd5: verifying libisofs's MD5 checksum tags (see isomd5.h). */
#include "config.h"

#include "isomd5.h"

#include "bytes.h"
#include "cli.h"

#include <inttypes.h>
#include <libisofs/libisofs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK 2048
#define CHUNK 32 /* blocks a read: 64 KiB */
/* blocks kept behind the one being read: a session's first tag (the
 * superblock tag) covers its system area and descriptors, 16 + 3 or 4
 * blocks; with a boot record, ISO 9660:1999 and Joliet a few more */
#define RING 64
/* a volume descriptor set longer than this is not one */
#define VD_MAX 32

struct check {
	isomd5_read_fn read;
	void *ctx;
	unsigned char *ring; /* block b at (b % RING) */
	uint32_t seen;       /* blocks 0..seen-1 went by */
	struct isomd5_result *res;
	size_t cap;
};

const char *isomd5_tag_name(int type)
{
	switch (type) {
	case ISOMD5_TAG_SESSION:
		return "session";
	case ISOMD5_TAG_SUPERBLOCK:
		return "superblock";
	case ISOMD5_TAG_TREE:
		return "tree";
	case ISOMD5_TAG_RELOCATED:
		return "relocated superblock";
	}
	return "unknown";
}

static struct isomd5_session *find_session(struct check *c, uint32_t start)
{
	for (size_t i = 0; i < c->res->n; i++)
		if (c->res->s[i].start == start)
			return &c->res->s[i];
	return NULL;
}

/* The session that starts at start, added (in order of start) if new */
static struct isomd5_session *get_session(struct check *c, uint32_t start)
{
	struct isomd5_result *r = c->res;
	struct isomd5_session *s = find_session(c, start);
	size_t i;

	if (s)
		return s;
	if (r->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		void *p = realloc(r->s, cap * sizeof *r->s);

		if (!p) {
			cd_error("out of memory");
			return NULL;
		}
		r->s = p;
		c->cap = cap;
	}
	for (i = r->n; i > 0 && r->s[i - 1].start > start; i--)
		r->s[i] = r->s[i - 1];
	s = &r->s[i];
	memset(s, 0, sizeof *s);
	s->start = start;
	s->good = start;
	s->state = ISOMD5_GOOD;
	r->n++;
	return s;
}

static void close_md5(struct isomd5_session *s)
{
	char sum[16];

	if (s->md5)
		iso_md5_end(&s->md5, sum);
	s->md5 = NULL;
}

static int read_fail(struct check *c, uint32_t lba, uint32_t n,
                     unsigned char *buf)
{
	/* a read of several blocks failed: name the first that fails alone */
	if (n > 1)
		for (uint32_t i = 0; i < n; i++)
			if (c->read(c->ctx, lba + i, 1,
			            buf + (size_t)i * BLOCK) < 0)
				return (int)i;
	return n > 1 ? -1 : 0;
}

/* Read n blocks (n <= CHUNK): 0, or -1 with the read error recorded */
static int read_blocks(struct check *c, uint32_t lba, uint32_t n,
                       unsigned char *buf)
{
	int i;

	if (c->read(c->ctx, lba, n, buf) == 0)
		return 0;
	i = read_fail(c, lba, n, buf);
	if (i < 0) /* each block reads alone */
		return 0;
	c->res->verdict = ISOMD5_READ_ERROR;
	c->res->bad_lba = lba + (uint32_t)i;
	return -1;
}

/* Make s->md5 the MD5 of blocks s->start..lba-1, lba being the block
 * about to go by: from the blocks kept behind, or read again. 0, or -1
 * (no memory, a read error). */
static int md5_upto(struct check *c, struct isomd5_session *s, uint32_t lba)
{
	unsigned char *buf;
	uint32_t b;

	if (s->md5 && s->md5_at == lba)
		return 0;
	close_md5(s);
	if (iso_md5_start(&s->md5) < 0) {
		s->md5 = NULL;
		cd_error("cannot start an md5 computation");
		return -1;
	}
	s->md5_at = s->start;
	if (lba - s->start <= RING && c->seen == lba) {
		for (b = s->start; b < lba; b++)
			iso_md5_compute(s->md5,
			                (char *)c->ring +
			                    (size_t)(b % RING) * BLOCK,
			                BLOCK);
		s->md5_at = lba;
		return 0;
	}
	/* its first tag is far from its start, or damaged: read again */
	buf = malloc((size_t)CHUNK * BLOCK);
	if (!buf) {
		cd_error("out of memory");
		return -1;
	}
	for (b = s->start; b < lba;) {
		uint32_t n = lba - b < CHUNK ? lba - b : CHUNK;

		if (read_blocks(c, b, n, buf) < 0) {
			free(buf);
			return -1;
		}
		iso_md5_compute(s->md5, (char *)buf, (int)n * BLOCK);
		b += n;
	}
	free(buf);
	s->md5_at = lba;
	return 0;
}

/* The first problem of a session is the one to name */
static void set_bad(struct isomd5_session *s, uint32_t lba, int type)
{
	if (s->state != ISOMD5_GOOD)
		return;
	s->state = ISOMD5_BAD;
	s->tag_lba = lba;
	s->tag_type = type;
	s->bad_from = s->good;
	s->bad_to = lba;
}

static void set_damaged(struct isomd5_session *s, uint32_t lba, int type,
                        enum isomd5_damage how)
{
	if (s->state != ISOMD5_GOOD)
		return;
	s->state = ISOMD5_DAMAGED;
	s->tag_lba = lba;
	s->tag_type = type;
	s->damage = how;
}

/* A tag that says it is at lba (the block about to be summed) */
static int on_tag(struct check *c, uint32_t lba, int type, uint32_t start,
                  uint32_t size, uint32_t next, char *want)
{
	struct isomd5_session *s = get_session(c, start);
	void *copy = NULL;
	char got[16];

	if (!s)
		return -1;
	if (s->expect == lba) {
		if (s->expect_type != type)
			set_damaged(s, lba, s->expect_type, ISOMD5_MISSING);
		s->expect = 0;
	}
	if (start > lba || lba - start != size) {
		/* libisofs writes each tag right after its range */
		set_damaged(s, lba, type, ISOMD5_PLACE);
		return 0;
	}
	if (s->state == ISOMD5_BAD)
		return 0; /* every later range holds the bad block too */
	if (md5_upto(c, s, lba) < 0)
		return -1;
	if (iso_md5_clone(s->md5, &copy) < 0 || iso_md5_end(&copy, got) < 0) {
		cd_error("cannot compute an md5");
		return -1;
	}
	if (!iso_md5_match(got, want)) {
		set_bad(s, lba, type);
		close_md5(s);
		return 0;
	}
	if (type == ISOMD5_TAG_RELOCATED)
		s->relocated = !s->tags;
	else
		s->relocated = 0;
	s->tags++;
	if (lba > s->good)
		s->good = lba;
	if (type == ISOMD5_TAG_SUPERBLOCK || type == ISOMD5_TAG_TREE) {
		int after = type == ISOMD5_TAG_SUPERBLOCK ? ISOMD5_TAG_TREE
		                                          : ISOMD5_TAG_SESSION;

		/* the next tag is after this one: a next= that points back
		 * (here or before) ends the chain, and the blocks after it
		 * would go unchecked while the session passed for good */
		if (next > lba) {
			s->expect = next;
			s->expect_type = after;
		} else {
			set_damaged(s, next, after, ISOMD5_MISSING);
		}
	}
	if (type == ISOMD5_TAG_SESSION) {
		s->session_tag = 1;
		close_md5(s);
	}
	return 0;
}

/* Block lba, about to be summed: a tag, or where a tag should be? */
static int on_block(struct check *c, uint32_t lba, unsigned char *blk)
{
	struct isomd5_result *r = c->res;
	uint32_t pos = 0, start = 0, size = 0, next = 0;
	int type = 0, ret = 0;
	char md5[16];

	if (memcmp(blk, "libisofs_", 9) == 0)
		ret = iso_util_decode_md5_tag((char *)blk, &type, &pos, &start,
		                              &size, &next, md5, 0);
	if (ret == 1 && pos == lba) {
		if (on_tag(c, lba, type, start, size, next, md5) < 0)
			return -1;
	} else if (ret < 0) {
		/* its own MD5 (self=) is wrong: what it says is not to be
		 * trusted, but a damaged tag where a chain expects one, or
		 * one that still says it is here, is a session's tag */
		struct isomd5_session *s = NULL;

		for (size_t i = 0; i < r->n && !s; i++)
			if (r->s[i].expect == lba)
				s = &r->s[i];
		if (!s && pos == lba && start <= lba &&
		    !(s = get_session(c, start)))
			return -1;
		if (s) {
			set_damaged(s, lba,
			            s->expect == lba ? s->expect_type : type,
			            ISOMD5_SELF);
			s->expect = 0;
		}
	}
	/* a tag the chain named that is not here */
	for (size_t i = 0; i < r->n; i++) {
		struct isomd5_session *s = &r->s[i];

		if (s->expect == lba) {
			set_damaged(s, lba, s->expect_type, ISOMD5_MISSING);
			s->expect = 0;
		}
	}
	for (size_t i = 0; i < r->n; i++) {
		struct isomd5_session *s = &r->s[i];

		if (s->md5 && s->md5_at == lba) {
			iso_md5_compute(s->md5, (char *)blk, BLOCK);
			s->md5_at++;
		}
	}
	memcpy(c->ring + (size_t)(lba % RING) * BLOCK, blk, BLOCK);
	c->seen = lba + 1;
	return 0;
}

/* The volume descriptors at a and b the same, volume sizes aside? */
static int same_descriptors(struct check *c, uint32_t a, uint32_t b)
{
	unsigned char x[BLOCK], y[BLOCK];

	for (uint32_t k = 16; k < 16 + VD_MAX; k++) {
		if (c->read(c->ctx, a + k, 1, x) < 0 ||
		    c->read(c->ctx, b + k, 1, y) < 0)
			return 0;
		if (memcmp(y + 1, "CD001", 5) != 0)
			return 0;
		/* bytes 80-87: the volume space size, made absolute in the
		 * copy at block 16 */
		if (memcmp(x, y, 80) != 0 ||
		    memcmp(x + 88, y + 88, BLOCK - 88) != 0)
			return 0;
		if (y[0] == 255)
			return 1;
	}
	return 0;
}

/* A session whose first range is bad: were its descriptors replaced by
 * a later session's, as growisofs grows an image? */
static void find_superseded(struct check *c)
{
	struct isomd5_result *r = c->res;

	for (size_t i = 0; i < r->n; i++) {
		struct isomd5_session *s = &r->s[i];

		if (s->state != ISOMD5_BAD || s->bad_from != s->start)
			continue;
		for (size_t j = i + 1; j < r->n; j++)
			if (same_descriptors(c, s->start, r->s[j].start)) {
				s->state = ISOMD5_SUPERSEDED;
				s->superseded_by = r->s[j].start;
				break;
			}
	}
}

/* The end of the volume whose descriptors are at first + 16: its size
 * counts from block 0 in a multisession volume, from first in a track
 * written on its own. 0 with *end set (first: no volume there), or -1
 * (a read error, recorded). */
static int volume_end(struct check *c, uint32_t first, uint32_t *end)
{
	unsigned char pvd[BLOCK];
	uint32_t size;

	*end = first;
	if (read_blocks(c, first + 16, 1, pvd) < 0)
		return -1;
	if (pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0)
		return 0;
	size = get_le32(pvd + 80);
	*end = size > first ? size : first + size;
	return 0;
}

int isomd5_check(isomd5_read_fn read, void *ctx, uint32_t first, uint32_t end,
                 struct isomd5_result *res)
{
	struct check c = {.read = read, .ctx = ctx, .seen = first, .res = res};
	unsigned char *buf;
	uint32_t lba;
	int ret = 0;

	memset(res, 0, sizeof *res);
	res->verdict = ISOMD5_OK;
	res->first = res->end = first;
	if (!end && volume_end(&c, first, &end) < 0)
		return 0;
	buf = malloc((size_t)CHUNK * BLOCK);
	c.ring = malloc((size_t)RING * BLOCK);
	if (!buf || !c.ring) {
		cd_error("out of memory");
		ret = -1;
		goto out;
	}
	for (lba = first; lba < end && res->verdict == ISOMD5_OK;) {
		uint32_t n = end - lba < CHUNK ? end - lba : CHUNK;
		uint32_t got = n;

		if (read(ctx, lba, n, buf) < 0) {
			int i = read_fail(&c, lba, n, buf);

			if (i >= 0) {
				got = (uint32_t)i;
				res->verdict = ISOMD5_READ_ERROR;
				res->bad_lba = lba + got;
			}
		}
		for (uint32_t i = 0; i < got; i++) {
			unsigned char *blk = buf + (size_t)i * BLOCK;

			if (on_block(&c, lba + i, blk) == 0)
				continue;
			if (res->verdict != ISOMD5_READ_ERROR) {
				ret = -1;
				goto out;
			}
			break;
		}
		lba += got;
		res->end = c.seen;
	}
	if (res->verdict == ISOMD5_READ_ERROR)
		goto out;
	for (size_t i = 0; i < res->n; i++) {
		struct isomd5_session *s = &res->s[i];

		if (s->expect) { /* past the end */
			s->state = ISOMD5_TRUNCATED;
			s->tag_lba = s->expect;
			s->tag_type = s->expect_type;
		}
	}
	find_superseded(&c);
	if (!res->n)
		res->verdict = ISOMD5_NO_TAGS;
	for (size_t i = 0; i < res->n; i++) {
		enum isomd5_state st = res->s[i].state;

		if (st != ISOMD5_GOOD && st != ISOMD5_SUPERSEDED)
			res->verdict = ISOMD5_MISMATCH;
	}
out:
	for (size_t i = 0; i < res->n; i++)
		close_md5(&res->s[i]);
	free(buf);
	free(c.ring);
	return ret;
}

void isomd5_free(struct isomd5_result *res)
{
	free(res->s);
	res->s = NULL;
	res->n = 0;
}

/* "blocks A-B" or "block A" */
static const char *range(char *buf, size_t len, uint32_t from, uint32_t to)
{
	if (to - from == 1)
		snprintf(buf, len, "block %" PRIu32, from);
	else
		snprintf(buf, len, "blocks %" PRIu32 "-%" PRIu32, from, to - 1);
	return buf;
}

/* i: its index; the session's number counts no relocated superblocks */
static void say_session(const struct isomd5_result *r, size_t i)
{
	const struct isomd5_session *s = &r->s[i];
	size_t num = 1;
	const char *tag = isomd5_tag_name(s->tag_type);
	char a[64], b[64];

	for (size_t k = 0; k < i; k++)
		num += !r->s[k].relocated;
	i = num - 1;
	switch (s->state) {
	case ISOMD5_GOOD:
		if (s->relocated)
			cd_note("superblock copy at block %" PRIu32
			        ": md5 good: %s",
			        s->start,
			        range(a, sizeof a, s->start, s->good));
		else if (!s->session_tag) /* the check stopped before its end */
			cd_msg("session %zu at block %" PRIu32 ": md5 good as "
			       "far as checked: %s, %d tag%s, no session tag",
			       i + 1, s->start,
			       range(a, sizeof a, s->start, s->good), s->tags,
			       s->tags == 1 ? "" : "s");
		else
			cd_note("session %zu at block %" PRIu32 ": md5 good: "
			        "%s, %d tag%s",
			        i + 1, s->start,
			        range(a, sizeof a, s->start, s->good), s->tags,
			        s->tags == 1 ? "" : "s");
		break;
	case ISOMD5_BAD:
		cd_msg("md5 mismatch in session %zu at block %" PRIu32
		       ": the first bad block is in %s (the %s tag at block "
		       "%" PRIu32 " covers %s%s)",
		       i + 1, s->start,
		       range(a, sizeof a, s->bad_from, s->bad_to), tag,
		       s->tag_lba, range(b, sizeof b, s->start, s->tag_lba),
		       s->bad_from > s->start ? ", the blocks before are good"
		                              : "");
		break;
	case ISOMD5_DAMAGED:
		cd_msg("md5 tag damaged in session %zu at block %" PRIu32
		       ": the %s tag at block %" PRIu32 " %s",
		       i + 1, s->start, tag, s->tag_lba,
		       s->damage == ISOMD5_SELF ? "has a wrong self checksum"
		       : s->damage == ISOMD5_MISSING
		           ? "is missing (the tag before it points there)"
		           : "does not follow its range");
		break;
	case ISOMD5_TRUNCATED:
		cd_msg("md5 check of session %zu at block %" PRIu32
		       " incomplete: its %s tag is at block %" PRIu32
		       ", past the end (block %" PRIu32 ")",
		       i + 1, s->start, tag, s->tag_lba, r->end);
		break;
	case ISOMD5_SUPERSEDED:
		cd_warn("session %zu at block %" PRIu32 " not verified: its "
		        "volume descriptors were replaced by those of the "
		        "session at block %" PRIu32
		        " when the image grew (as growisofs does)",
		        i + 1, s->start, s->superseded_by);
		break;
	}
}

int isomd5_report(const struct isomd5_result *r)
{
	size_t good = 0;
	uint64_t blocks = 0;

	for (size_t i = 0; i < r->n; i++) {
		say_session(r, i);
		if (r->s[i].state == ISOMD5_GOOD && !r->s[i].relocated) {
			good++;
			blocks += r->s[i].good - r->s[i].start;
		}
	}
	switch (r->verdict) {
	case ISOMD5_READ_ERROR:
		cd_msg("md5 check stopped: cannot read block %" PRIu32,
		       r->bad_lba);
		return CD_EXIT_FAIL;
	case ISOMD5_NO_TAGS:
		if (r->end == r->first)
			cd_msg("no md5 tags: no ISO 9660 volume at block "
			       "%" PRIu32,
			       r->first + 16);
		else
			cd_msg("no md5 tags in blocks %" PRIu32 "-%" PRIu32
			       ": the image was made without -md5",
			       r->first, r->end - 1);
		return CD_EXIT_FAIL;
	case ISOMD5_MISMATCH:
		return CD_EXIT_MISMATCH;
	case ISOMD5_OK:
		break;
	}
	if (!good) {
		cd_msg("md5 not verified: no session's tags could be checked");
		return CD_EXIT_FAIL;
	}
	cd_note("md5 good: %zu session%s, %" PRIu64
	        " blocks checked of %" PRIu32,
	        good, good == 1 ? "" : "s", blocks, r->end - r->first);
	return CD_EXIT_OK;
}
