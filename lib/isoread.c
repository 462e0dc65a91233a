/* isoread: bounded parsing of ISO 9660, Rock Ridge and Joliet. See
 * isoread.h for why this is not libiso9660's walk, and for the rules every
 * length from the image follows here. */
#include "config.h"

#include "isoread.h"
#include "bytes.h"
#include "cli.h"
#include "mmcread.h"

#include <cdio/cdio.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define DIR_MAX (64u << 20) /* bytes of one directory */
#define SU_MAX (64u << 10)  /* bytes of system use area for one record */
#define CE_HOPS 32          /* continuation areas followed per record */
#define NAME_MAX_RR 4096    /* bytes of a Rock Ridge name or link */
#define EXTENTS_MAX 65536   /* extents of one multi-extent file */
#define VD_MAX 64           /* volume descriptors looked at */
#define HEAD_BLOCKS 64      /* blocks of a pipe kept for the descriptors */

/* ------------------------------------------------------------ source */

int iso_src_open(struct iso_src *s, const char *path, int drive, char *err,
                 size_t elen)
{
	struct stat st;

	memset(s, 0, sizeof *s);
	s->fd = -1;
	if (!strcmp(path, "-")) {
		ssize_t n;

		s->seq = 1;
		s->head = malloc((size_t)HEAD_BLOCKS * ISO_BLOCK);
		if (!s->head) {
			snprintf(err, elen, "out of memory");
			return -1;
		}
		while (s->head_len < (size_t)HEAD_BLOCKS * ISO_BLOCK) {
			n = read(STDIN_FILENO, s->head + s->head_len,
			         (size_t)HEAD_BLOCKS * ISO_BLOCK - s->head_len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0) {
				snprintf(err, elen,
				         "cannot read standard input: %s",
				         strerror(errno));
				return -1;
			}
			if (n == 0)
				break;
			s->head_len += (size_t)n;
		}
		return 0;
	}
	if (drive) {
		CdIo_t *p = cdio_open(path, DRIVER_DEVICE);
		lsn_t last;

		if (!p) {
			snprintf(err, elen,
			         "cannot open the drive: no medium, no such "
			         "drive, or no permission");
			return -2;
		}
		s->cdio = p;
		/* an empty drive opens; it has no table of contents */
		last = cdio_get_disc_last_lsn(p);
		if (last == CDIO_INVALID_LSN || last <= 0) {
			snprintf(err, elen,
			         "there is no medium in the drive (or one it "
			         "cannot read)");
			cdio_destroy(p);
			s->cdio = NULL;
			return -2;
		}
		s->size = (uint64_t)last * ISO_BLOCK;
		return 0;
	}
	s->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0) {
		snprintf(err, elen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode))
		s->size = (uint64_t)st.st_size;
	else if (fstat(s->fd, &st) == 0 && S_ISBLK(st.st_mode)) {
		off_t end = lseek(s->fd, 0, SEEK_END);

		s->size = end > 0 ? (uint64_t)end : 0;
	} else if (S_ISDIR(st.st_mode)) {
		snprintf(err, elen, "is a directory");
		close(s->fd);
		s->fd = -1;
		return -1;
	}
	return 0;
}

void iso_src_mem(struct iso_src *s, const void *buf, size_t len)
{
	memset(s, 0, sizeof *s);
	s->fd = -1;
	s->mem = buf;
	s->mem_len = len;
	s->size = len;
}

void iso_src_close(struct iso_src *s)
{
	if (s->fd >= 0)
		close(s->fd);
	if (s->cdio)
		cdio_destroy(s->cdio);
	free(s->head);
	s->fd = -1;
	s->cdio = NULL;
	s->head = NULL;
}

int iso_src_read(struct iso_src *s, uint32_t lba, uint32_t count, void *buf)
{
	uint64_t off, len = (uint64_t)count * ISO_BLOCK;

	if (lba < s->shift)
		return -1;
	off = (uint64_t)(lba - s->shift) * ISO_BLOCK;
	if (s->mem) {
		if (off > s->mem_len || len > s->mem_len - off)
			return -1;
		memcpy(buf, s->mem + off, len);
		return 0;
	}
	if (s->seq) {
		if (off > s->head_len || len > s->head_len - off)
			return -1;
		memcpy(buf, s->head + off, len);
		return 0;
	}
	if (s->cdio) {
		/* READ(10), not cdio_read_data_sectors: lib/mmcread.h */
		if (mmc_read_blocks(s->cdio, (int32_t)(lba - s->shift), count,
		                    buf, NULL, 0) < 0)
			return -1;
		return 0;
	}
	if (s->size && (off > s->size || len > s->size - off))
		return -1;
	{
		char *p = buf;
		size_t got = 0;

		while (got < len) {
			ssize_t n = pread(s->fd, p + got, len - got,
			                  (off_t)(off + got));

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return -1;
			got += (size_t)n;
		}
	}
	return 0;
}

/* ------------------------------------------------------------ helpers */

/* a fixed-width id, trailing spaces cut, control bytes shown as '?' */
static void id_copy(char *dst, const unsigned char *src, size_t len)
{
	size_t n = len;

	while (n > 0 && (src[n - 1] == ' ' || src[n - 1] == 0))
		n--;
	for (size_t i = 0; i < n; i++)
		dst[i] = src[i] < 0x20 || src[i] == 0x7f ? '?' : (char)src[i];
	dst[n] = '\0';
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01 */
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int64_t mk_time(int64_t y, unsigned mo, unsigned d, unsigned h,
                       unsigned mi, unsigned s, int gmtoff15)
{
	if (mo < 1 || mo > 12)
		mo = 1;
	if (d < 1 || d > 31)
		d = 1;
	return days_from_civil(y, mo, d) * 86400 + (int64_t)h * 3600 +
	       (int64_t)mi * 60 + s - (int64_t)gmtoff15 * 900;
}

/* 7-byte directory record time */
static int64_t rec_time(const unsigned char *t)
{
	return mk_time(1900 + t[0], t[1], t[2], t[3] % 24, t[4] % 60, t[5] % 61,
	               (signed char)t[6]);
}

static unsigned digits(const unsigned char *p, int n)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (p[i] >= '0' && p[i] <= '9' ? p[i] - '0' : 0);
	return v;
}

/* 17-byte descriptor time */
static int64_t long_time(const unsigned char *t)
{
	return mk_time(digits(t, 4), digits(t + 4, 2), digits(t + 6, 2),
	               digits(t + 8, 2) % 24, digits(t + 10, 2) % 60,
	               digits(t + 12, 2) % 61, (signed char)t[16]);
}

static void report(struct iso_walker *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void report(struct iso_walker *w, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	w->errors++;
	if (w->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cd_error("%s", msg);
}

/* ------------------------------------------------------------ volume */

static void read_boot_catalog(struct iso_vol *v)
{
	unsigned char b[ISO_BLOCK];
	unsigned sum = 0;

	if (iso_src_read(v->src, v->boot.catalog, 1, b) < 0)
		return;
	/* validation entry: header 1, key 55 AA, words summing to 0 */
	for (int i = 0; i < 32; i += 2)
		sum += get_le16(b + i);
	if (b[0] != 1 || b[30] != 0x55 || b[31] != 0xaa || (sum & 0xffff))
		return;
	v->boot.catalog_ok = 1;
	v->boot.platform = b[1];
	id_copy(v->boot.id, b + 4, 24);
	v->boot.key[0] = b[30];
	v->boot.key[1] = b[31];
	v->boot.bootable = b[32];
	v->boot.media = b[33] & 0x0f;
	v->boot.load_segment = get_le16(b + 34);
	v->boot.sys_type = b[36];
	v->boot.sectors = get_le16(b + 38);
	v->boot.image_lba = get_le32(b + 40);
}

static void read_su_root(struct iso_vol *v);

int iso_vol_open(struct iso_vol *v, struct iso_src *src, uint32_t start,
                 char *err, size_t elen)
{
	unsigned char b[ISO_BLOCK];
	int have_pvd = 0, n;

	memset(v, 0, sizeof *v);
	v->src = src;
	v->start = start;
	for (n = 0; n < VD_MAX; n++) {
		uint32_t lba = start + 16 + (uint32_t)n;

		if (lba < start || iso_src_read(src, lba, 1, b) < 0) {
			if (n == 0) {
				snprintf(err, elen,
				         "cannot read block %" PRIu32
				         ": too short to be an ISO 9660 image",
				         lba);
				return -1;
			}
			break;
		}
		if (memcmp(b + 1, "CD001", 5) != 0) {
			if (n == 0) {
				snprintf(
				    err, elen,
				    "no volume descriptor at block %" PRIu32
				    ": not an ISO 9660 image (or not "
				    "this session: see -T and -N)",
				    lba);
				return -1;
			}
			break;
		}
		if (b[0] == 255)
			break;
		if (b[0] == 1 && !have_pvd) {
			struct iso_pvd *p = &v->pvd;

			have_pvd = 1;
			id_copy(p->system_id, b + 8, 32);
			id_copy(p->volume_id, b + 40, 32);
			p->volume_size = get_le32(b + 80);
			p->set_size = get_le16(b + 120);
			p->seq_number = get_le16(b + 124);
			p->block_size = get_le16(b + 128);
			p->root_lba = get_le32(b + 156 + 2);
			p->root_size = get_le32(b + 156 + 10);
			id_copy(p->volset_id, b + 190, 128);
			id_copy(p->publisher_id, b + 318, 128);
			id_copy(p->preparer_id, b + 446, 128);
			id_copy(p->application_id, b + 574, 128);
			id_copy(p->copyright_id, b + 702, 37);
			id_copy(p->abstract_id, b + 739, 37);
			id_copy(p->biblio_id, b + 776, 37);
			id_copy(p->created, b + 813, 16);
			id_copy(p->modified, b + 830, 16);
		} else if (b[0] == 2 && !v->joliet_level && b[88] == '%' &&
		           b[89] == '/' &&
		           (b[90] == '@' || b[90] == 'C' || b[90] == 'E')) {
			v->joliet_level = b[90] == '@'   ? 1
			                  : b[90] == 'C' ? 2
			                                 : 3;
			v->joliet_root_lba = get_le32(b + 156 + 2);
			v->joliet_root_size = get_le32(b + 156 + 10);
		} else if (b[0] == 0 && !v->boot.found &&
		           !memcmp(b + 7, "EL TORITO SPECIFICATION", 23)) {
			v->boot.found = 1;
			v->boot.version = b[6];
			v->boot.catalog = get_le32(b + 71);
		}
	}
	if (!have_pvd) {
		snprintf(err, elen,
		         "no primary volume descriptor: not an ISO "
		         "9660 image");
		return -1;
	}
	if (v->pvd.block_size != ISO_BLOCK) {
		snprintf(err, elen,
		         "logical block size %u: only 2048 is supported",
		         v->pvd.block_size);
		return -1;
	}
	/* what can be read: the volume, and no more than the source has.
	 * A later session's size may count from its own start (mkisofs -C
	 * writes it so) or from block 0 (growisofs patches it so): start +
	 * size bounds both */
	v->limit = (uint64_t)start + v->pvd.volume_size;
	if (src->size) {
		uint64_t have = src->size / ISO_BLOCK + src->shift;

		if (have < v->limit)
			v->limit = have;
	}
	if (src->size && (uint64_t)start + v->pvd.volume_size >
	                     src->size / ISO_BLOCK + src->shift)
		v->truncated = 1;
	if (src->seq && src->head_len / ISO_BLOCK < v->limit)
		v->limit = src->head_len / ISO_BLOCK;
	if (v->boot.found)
		read_boot_catalog(v);
	if (start == 0 && iso_src_read(src, 0, 1, b) == 0) {
		if (b[510] == 0x55 && b[511] == 0xaa &&
		    (b[446 + 4] || b[462 + 4] || b[478 + 4] || b[494 + 4]))
			v->mbr = 1;
		if (!memcmp(b + 512, "EFI PART", 8))
			v->gpt = 1;
	}
	read_su_root(v);
	return 0;
}

/* --------------------------------------------------------- directories */

/* Memory for one directory's entries: freed together. */
struct arena {
	struct chunk {
		struct chunk *next;
		size_t used, cap;
		char data[];
	} * head;
};

static void *arena_alloc(struct arena *a, size_t n)
{
	struct chunk *c = a->head;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;

		c = malloc(sizeof *c + cap);
		if (!c)
			cd_die(CD_EXIT_FAIL, "out of memory");
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
	}
	c->used += n;
	return c->data + c->used - n;
}

static char *arena_str(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void arena_free(struct arena *a)
{
	while (a->head) {
		struct chunk *c = a->head;

		a->head = c->next;
		free(c);
	}
}

/* What one directory record's system use area says (Rock Ridge). */
struct su {
	int has_px, has_tf, has_nm, has_sl, has_pn, has_cl, has_re, has_sp;
	int has_zf;
	unsigned char zf[12]; /* the ZF entry's data: method, sizes */
	int er_rrip, er_version;
	int sp_skip;
	mode_t mode;
	unsigned long nlink, uid, gid;
	uint64_t ino, rdev;
	int64_t mtime;
	uint32_t cl;
	size_t name_len;
	size_t link_len;
	int sl_more; /* the last SL component continues */
	int bad;     /* malformed */
	/* the buffers last: a record resets what comes before them */
	char name[NAME_MAX_RR + 1];
	char link[NAME_MAX_RR + 1];
};

static void su_append(char *dst, size_t *len, const void *src, size_t n,
                      int *bad)
{
	if (*len + n > NAME_MAX_RR) {
		*bad = 1;
		return;
	}
	memcpy(dst + *len, src, n);
	*len += n;
}

static void su_sl(struct su *su, const unsigned char *d, size_t n)
{
	/* components: flags, length, content */
	size_t i = 1;

	while (i + 2 <= n) {
		unsigned f = d[i], l = d[i + 1];

		if (i + 2 + l > n) {
			su->bad = 1;
			return;
		}
		if (su->link_len > 0 && !su->sl_more &&
		    su->link[su->link_len - 1] != '/')
			su_append(su->link, &su->link_len, "/", 1, &su->bad);
		if (f & 0x08) {
			su_append(su->link, &su->link_len, "/", 1, &su->bad);
		} else if (f & 0x02)
			su_append(su->link, &su->link_len, ".", 1, &su->bad);
		else if (f & 0x04)
			su_append(su->link, &su->link_len, "..", 2, &su->bad);
		else
			su_append(su->link, &su->link_len, d + i + 2, l,
			          &su->bad);
		su->sl_more = f & 0x01;
		i += 2 + l;
	}
}

static void su_tf(struct su *su, const unsigned char *d, size_t n)
{
	unsigned flags = d[4];
	size_t w = flags & 0x80 ? 17 : 7, at = 5;

	for (int bit = 0; bit < 7; bit++) {
		if (!(flags & (1u << bit)))
			continue;
		if (at + w > n) {
			su->bad = 1;
			return;
		}
		if (bit == 1) {
			su->mtime =
			    w == 7 ? rec_time(d + at) : long_time(d + at);
			su->has_tf = 1;
		}
		at += w;
	}
}

/* Parse one area of SUSP entries; CE areas are queued in *ce. */
static void su_area(struct su *su, const unsigned char *a, size_t len,
                    uint32_t *ce_lba, uint32_t *ce_off, uint32_t *ce_len,
                    int *ce)
{
	size_t i = 0;

	while (i + 4 <= len) {
		const unsigned char *d = a + i;
		size_t n = d[2];

		if (n < 4 || i + n > len) {
			if (d[0] || d[1]) /* zero padding ends an area */
				su->bad = 1;
			return;
		}
		if (d[0] == 'S' && d[1] == 'T')
			return;
		if (d[0] == 'C' && d[1] == 'E' && n >= 28) {
			*ce_lba = get_le32(d + 4);
			*ce_off = get_le32(d + 12);
			*ce_len = get_le32(d + 20);
			*ce = 1;
		} else if (d[0] == 'S' && d[1] == 'P' && n >= 7 &&
		           d[4] == 0xbe && d[5] == 0xef) {
			su->has_sp = 1;
			su->sp_skip = d[6];
		} else if (d[0] == 'E' && d[1] == 'R' && n >= 8) {
			size_t idl = d[4];

			if (8 + idl <= n &&
			    ((idl == 10 && !memcmp(d + 8, "RRIP_1991A", 10)) ||
			     (idl == 10 && !memcmp(d + 8, "IEEE_P1282", 10)) ||
			     (idl == 9 && !memcmp(d + 8, "IEEE_1282", 9)))) {
				su->er_rrip = 1;
				su->er_version = d[7];
			}
		} else if (d[0] == 'P' && d[1] == 'X' && n >= 36) {
			su->has_px = 1;
			su->mode = (mode_t)get_le32(d + 4);
			su->nlink = get_le32(d + 12);
			su->uid = get_le32(d + 20);
			su->gid = get_le32(d + 28);
			if (n >= 44)
				su->ino = get_le32(d + 36);
		} else if (d[0] == 'P' && d[1] == 'N' && n >= 20) {
			uint32_t hi = get_le32(d + 4), lo = get_le32(d + 12);

			/* as Linux reads it: an old 16-bit dev_t in the low
			 * word, else major and minor in the two words */
			su->has_pn = 1;
			if (hi == 0 && (lo & ~0xffu))
				su->rdev = makedev(lo >> 8, lo & 0xff);
			else
				su->rdev = makedev(hi, lo);
		} else if (d[0] == 'T' && d[1] == 'F' && n >= 5) {
			su_tf(su, d, n);
		} else if (d[0] == 'N' && d[1] == 'M' && n >= 5) {
			if (!(d[4] & 0x06))
				su_append(su->name, &su->name_len, d + 5, n - 5,
				          &su->bad);
			su->has_nm = 1;
		} else if (d[0] == 'S' && d[1] == 'L' && n >= 5) {
			su->has_sl = 1;
			su_sl(su, d + 4, n - 4);
		} else if (d[0] == 'C' && d[1] == 'L' && n >= 12) {
			su->has_cl = 1;
			su->cl = get_le32(d + 4);
		} else if (d[0] == 'Z' && d[1] == 'F' && n >= 16) {
			/* "pz", header size / 4, log2 of the block size,
			 * the real size (both byte orders) */
			su->has_zf = 1;
			memcpy(su->zf, d + 4, sizeof su->zf);
		} else if (d[0] == 'R' && d[1] == 'E') {
			su->has_re = 1;
		}
		i += n;
	}
}

/* Parse a record's system use area and the continuation areas it names,
 * at most CE_HOPS of them and SU_MAX bytes in all. */
static void su_parse(struct iso_vol *v, const unsigned char *a, size_t len,
                     struct su *su)
{
	uint32_t lba = 0, off = 0, clen = 0, total = (uint32_t)len;
	int ce = 0;

	su_area(su, a, len, &lba, &off, &clen, &ce);
	for (int hop = 0; ce && hop < CE_HOPS; hop++) {
		unsigned char *buf;
		uint32_t blocks;

		ce = 0;
		if (clen == 0 || clen > SU_MAX || total + clen > SU_MAX ||
		    off >= ISO_BLOCK || lba >= v->limit) {
			su->bad = 1;
			return;
		}
		blocks = (off + clen + ISO_BLOCK - 1) / ISO_BLOCK;
		if (blocks > v->limit - lba) {
			su->bad = 1;
			return;
		}
		buf = malloc((size_t)blocks * ISO_BLOCK);
		if (!buf)
			cd_die(CD_EXIT_FAIL, "out of memory");
		if (iso_src_read(v->src, lba, blocks, buf) < 0) {
			free(buf);
			su->bad = 1;
			return;
		}
		total += clen;
		su_area(su, buf + off, clen, &lba, &off, &clen, &ce);
		free(buf);
	}
	if (ce)
		su->bad = 1; /* a chain longer than CE_HOPS: a loop */
}

/* Rock Ridge presence: the SP and ER entries of the root's "." record */
static void read_su_root(struct iso_vol *v)
{
	unsigned char b[ISO_BLOCK];
	unsigned len, nl, at;
	struct su *su;

	if (v->pvd.root_lba >= v->limit ||
	    iso_src_read(v->src, v->pvd.root_lba, 1, b) < 0)
		return;
	len = b[0];
	nl = b[32];
	if (len < 34 || 33 + nl > len)
		return;
	at = 33 + nl + !(nl & 1);
	if (at >= len)
		return;
	su = calloc(1, sizeof *su);
	if (!su)
		cd_die(CD_EXIT_FAIL, "out of memory");
	su_parse(v, b + at, len - at, su);
	if (su->has_sp) {
		v->susp = 1;
		v->susp_skip = su->sp_skip;
		if (su->er_rrip || su->has_px) {
			v->rr = 1;
			v->rr_version = su->er_rrip ? su->er_version : 1;
		}
	}
	free(su);
}

enum iso_ns iso_ns_pick(const struct iso_vol *v, enum iso_ns ns)
{
	if (ns != ISO_NS_AUTO)
		return ns;
	if (v->rr)
		return ISO_NS_RR;
	if (v->joliet_level)
		return ISO_NS_JOLIET;
	return ISO_NS_ISO;
}

/* A directory read into memory: its entries and what they point to. */
struct dir {
	struct arena arena;
	struct iso_entry *v;
	uint32_t *dir_lba, *dir_size; /* for subdirectories */
	unsigned char *re;            /* entry is a relocated directory */
	size_t n, cap;
};

static void dir_free(struct dir *d)
{
	arena_free(&d->arena);
	free(d->v);
	free(d->dir_lba);
	free(d->dir_size);
	free(d->re);
	memset(d, 0, sizeof *d);
}

static struct iso_entry *dir_add(struct dir *d)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;

		d->v = realloc(d->v, cap * sizeof *d->v);
		d->dir_lba = realloc(d->dir_lba, cap * sizeof *d->dir_lba);
		d->dir_size = realloc(d->dir_size, cap * sizeof *d->dir_size);
		d->re = realloc(d->re, cap);
		if (!d->v || !d->dir_lba || !d->dir_size || !d->re)
			cd_die(CD_EXIT_FAIL, "out of memory");
		d->cap = cap;
	}
	memset(&d->v[d->n], 0, sizeof d->v[d->n]);
	d->dir_lba[d->n] = d->dir_size[d->n] = 0;
	d->re[d->n] = 0;
	return &d->v[d->n++];
}

/* Joliet UCS-2 (UTF-16) big-endian to UTF-8; returns the length. */
static size_t ucs2_to_utf8(const unsigned char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i + 1 < n; i += 2) {
		uint32_t c = (uint32_t)s[i] << 8 | s[i + 1];

		if (c >= 0xd800 && c < 0xdc00 && i + 3 < n) {
			uint32_t lo = (uint32_t)s[i + 2] << 8 | s[i + 3];

			if (lo >= 0xdc00 && lo < 0xe000) {
				c = 0x10000 + ((c - 0xd800) << 10) +
				    (lo - 0xdc00);
				i += 2;
			}
		}
		if (c >= 0xd800 && c < 0xe000)
			c = 0xfffd;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	return o;
}

/* Cut ";1" (any digits), and then a dot left at the end ("EMPTY.;1"):
 * for ISO names always, for Joliet names when there was a version. */
static size_t strip_version(const char *s, size_t n, int iso)
{
	size_t i = n;
	int had = 0;

	while (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9')
		i--;
	if (i > 0 && i < n && s[i - 1] == ';') {
		n = i - 1;
		had = 1;
	}
	if ((iso || had) && n > 1 && s[n - 1] == '.')
		n--;
	return n;
}

static int bad_name(const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.') ||
	    (n == 2 && s[0] == '.' && s[1] == '.'))
		return 1;
	return memchr(s, '/', n) != NULL || memchr(s, '\0', n) != NULL;
}

static char *convert(struct arena *a, const char *charset, const char *s,
                     size_t n)
{
	iconv_t cd = iconv_open(charset, "UTF-8");
	char *out, *in = (char *)s, *o;
	size_t inl = n, outl = n * 4 + 4;

	if (cd == (iconv_t)-1)
		return arena_str(a, s, n);
	out = arena_alloc(a, outl + 1);
	o = out;
	while (inl > 0) {
		if (iconv(cd, &in, &inl, &o, &outl) == (size_t)-1) {
			if (errno == EILSEQ && outl > 0) {
				*o++ = '?';
				outl--;
				in++;
				inl--;
				continue;
			}
			break;
		}
	}
	*o = '\0';
	iconv_close(cd);
	return out;
}

/* The directory at (lba, size) of the directory at path dpath into d.
 * Returns 0, or -1 after a report when it cannot be read at all. */
static int read_dir(struct iso_vol *v, enum iso_ns ns, uint32_t lba,
                    uint32_t size, const char *dpath, struct dir *d,
                    struct iso_walker *w)
{
	uint32_t blocks =
	    (uint32_t)(((uint64_t)size + ISO_BLOCK - 1) / ISO_BLOCK);
	unsigned char *buf;
	struct iso_extent *pend = NULL;
	size_t npend = 0, cappend = 0;
	char pend_name[1024];
	size_t pend_name_len = 0;
	int rr = ns == ISO_NS_RR;
	struct su *su = NULL;

	if (size == 0 || size > DIR_MAX || lba >= v->limit ||
	    blocks > v->limit - lba) {
		report(w,
		       "%s: directory at block %" PRIu32 " of %" PRIu32
		       " bytes lies outside the image (%" PRIu64 " blocks)",
		       *dpath ? dpath : "/", lba, size, v->limit);
		return -1;
	}
	buf = malloc((size_t)blocks * ISO_BLOCK);
	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (iso_src_read(v->src, lba, blocks, buf) < 0) {
		report(w, "%s: cannot read the directory at block %" PRIu32,
		       *dpath ? dpath : "/", lba);
		free(buf);
		return -1;
	}
	if (rr) {
		su = malloc(sizeof *su);
		if (!su)
			cd_die(CD_EXIT_FAIL, "out of memory");
	}
	for (uint32_t blk = 0; blk < blocks; blk++) {
		const unsigned char *sec = buf + (size_t)blk * ISO_BLOCK;
		unsigned off = 0;

		while (off < ISO_BLOCK) {
			const unsigned char *r = sec + off;
			unsigned len = r[0], nl, flags, at;
			uint32_t elba, elen;
			char nbuf[1024];
			size_t nlen;
			struct iso_entry *e;

			if (len == 0)
				break; /* the rest of the sector is padding */
			if (len < 34 || off + len > ISO_BLOCK ||
			    33 + (nl = r[32]) > len) {
				report(w,
				       "%s: broken directory record at block "
				       "%" PRIu32 " offset %u: rest of the "
				       "sector skipped",
				       *dpath ? dpath : "/", lba + blk, off);
				break;
			}
			off += len;
			elba = get_le32(r + 2);
			elen = get_le32(r + 10);
			flags = r[25];
			if (nl == 1 && (r[33] == 0 || r[33] == 1))
				continue; /* "." and ".." */
			at = 33 + nl + !(nl & 1);
			if (su) {
				memset(su, 0, offsetof(struct su, name));
				if (v->susp &&
				    at + (unsigned)v->susp_skip < len)
					su_parse(v, r + at + v->susp_skip,
					         len - at - v->susp_skip, su);
				if (su->bad)
					report(
					    w,
					    "%s: broken Rock Ridge fields in "
					    "the record at block %" PRIu32
					    " (a loop, or lengths that do "
					    "not fit)",
					    *dpath ? dpath : "/", lba + blk);
			}
			/* the name in the chosen name space */
			if (rr && su->has_nm) {
				nlen = su->name_len < sizeof nbuf
				           ? su->name_len
				           : sizeof nbuf - 1;
				memcpy(nbuf, su->name, nlen);
			} else if (ns == ISO_NS_JOLIET) {
				nlen = ucs2_to_utf8(r + 33, nl & ~1u, nbuf);
				nlen = strip_version(nbuf, nlen, 0);
			} else {
				memcpy(nbuf, r + 33, nl);
				nlen = strip_version(nbuf, nl, 1);
			}
			/* a multi-extent file: collect its extents */
			if (flags & 0x80 || npend) {
				if (npend &&
				    (nlen != pend_name_len ||
				     memcmp(nbuf, pend_name, nlen) != 0)) {
					report(w,
					       "%s/%.*s: the parts of a "
					       "multi-extent file do not "
					       "follow each other",
					       dpath, (int)pend_name_len,
					       pend_name);
					npend = 0;
				}
				if (npend == cappend) {
					if (cappend >= EXTENTS_MAX) {
						report(w,
						       "%s/%.*s: too many "
						       "extents",
						       dpath, (int)nlen, nbuf);
						npend = 0;
						continue;
					}
					cappend = cappend ? cappend * 2 : 8;
					pend = realloc(pend,
					               cappend * sizeof *pend);
					if (!pend)
						cd_die(CD_EXIT_FAIL,
						       "out of memory");
				}
				pend[npend].lba = elba;
				pend[npend++].len = elen;
				memcpy(pend_name, nbuf, nlen);
				pend_name_len = nlen;
				if (flags & 0x80)
					continue;
			}
			if (rr && su->has_re) {
				/* relocated: shown at its placeholder (CL) */
				npend = 0;
				continue;
			}
			e = dir_add(d);
			e->bad_name = bad_name(nbuf, nlen);
			if (ns == ISO_NS_JOLIET && w->charset &&
			    strcmp(w->charset, "UTF-8") != 0)
				e->name =
				    convert(&d->arena, w->charset, nbuf, nlen);
			else
				e->name = arena_str(&d->arena, nbuf, nlen);
			{
				size_t dl = strlen(dpath), l = strlen(e->name);
				char *p = arena_alloc(&d->arena, dl + l + 2);

				memcpy(p, dpath, dl);
				p[dl] = '/';
				memcpy(p + dl + 1, e->name, l + 1);
				e->path = p;
			}
			e->mtime = rec_time(r + 18);
			e->nlink = 1;
			if (flags & 0x02) {
				e->type = 'd';
				e->mode = S_IFDIR | 0555;
				e->size = elen;
				d->dir_lba[d->n - 1] = elba;
				d->dir_size[d->n - 1] = elen;
			} else {
				e->type = '-';
				e->mode = S_IFREG | 0444;
			}
			if (npend) {
				struct iso_extent *x =
				    arena_alloc(&d->arena, npend * sizeof *x);
				uint64_t total = 0;

				memcpy(x, pend, npend * sizeof *x);
				for (size_t i = 0; i < npend; i++)
					total += x[i].len;
				e->extents = x;
				e->nextents = (uint32_t)npend;
				e->size = total;
				npend = 0;
			} else if (e->type != 'd') {
				struct iso_extent *x =
				    arena_alloc(&d->arena, sizeof *x);

				x->lba = elba;
				x->len = elen;
				e->extents = x;
				e->nextents = 1;
				e->size = elen;
			}
			if (!rr)
				continue;
			if (su->has_px) {
				e->mode = su->mode;
				e->nlink = su->nlink;
				e->uid = su->uid;
				e->gid = su->gid;
				e->ino = su->ino;
				switch (su->mode & S_IFMT) {
				case S_IFDIR:
					if (e->type != 'd' && !su->has_cl) {
						/* a directory flag is what
						 * decides how it is read */
						e->mode =
						    (e->mode & 07777) | S_IFREG;
					}
					break;
				case S_IFLNK:
					e->type = 'l';
					break;
				case S_IFCHR:
					e->type = 'c';
					break;
				case S_IFBLK:
					e->type = 'b';
					break;
				case S_IFIFO:
					e->type = 'p';
					break;
				case S_IFSOCK:
					e->type = 's';
					break;
				default:
					if (e->type == 'd')
						e->mode =
						    (e->mode & 07777) | S_IFDIR;
					else
						e->mode =
						    (e->mode & 07777) | S_IFREG;
				}
				if (e->type != '-' && e->type != 'd')
					e->size = 0;
			}
			if (su->has_zf && e->type == '-') {
				e->stored = e->size;
				e->zf_alg[0] = (char)su->zf[0];
				e->zf_alg[1] = (char)su->zf[1];
				e->zf_hdr = su->zf[2];
				e->zf_log2 = su->zf[3];
				e->zf = su->zf[0] == 'p' && su->zf[1] == 'z'
				            ? 1
				            : -1;
				if (e->zf == 1)
					e->size = get_le32(su->zf + 4);
			}
			if (su->has_tf)
				e->mtime = su->mtime;
			if (su->has_pn)
				e->rdev = su->rdev;
			if (e->type == 'l')
				e->target = arena_str(&d->arena, su->link,
				                      su->link_len);
			if (su->has_cl) {
				/* the real directory, relocated for depth */
				e->type = 'd';
				e->mode = (e->mode & 07777) | S_IFDIR;
				e->extents = NULL;
				e->nextents = 0;
				d->dir_lba[d->n - 1] = su->cl;
				d->dir_size[d->n - 1] = 0; /* from its "." */
				d->re[d->n - 1] = 1;
			}
		}
	}
	if (npend)
		report(w, "%s/%.*s: a multi-extent file without its last part",
		       dpath, (int)pend_name_len, pend_name);
	free(pend);
	free(su);
	free(buf);
	return 0;
}

/* The size of the directory at lba, from its "." record. */
static int dot_size(struct iso_vol *v, uint32_t lba, uint32_t *size)
{
	unsigned char b[ISO_BLOCK];

	if (lba >= v->limit || iso_src_read(v->src, lba, 1, b) < 0)
		return -1;
	if (b[0] < 34 || b[32] != 1 || b[33] != 0 || get_le32(b + 2) != lba)
		return -1;
	*size = get_le32(b + 10);
	return 0;
}

/* ------------------------------------------------------------- walks */

/* Directory blocks seen, to stop at loops. */
struct seen {
	uint32_t *v;
	size_t n, cap; /* open addressing; 0 is never a directory block */
};

static int seen_add(struct seen *s, uint32_t lba)
{
	size_t mask, i;

	if (lba == 0)
		return 0;
	if (2 * (s->n + 1) > s->cap) {
		struct seen t = {NULL, 0, s->cap ? s->cap * 2 : 1024};

		t.v = calloc(t.cap, sizeof *t.v);
		if (!t.v)
			cd_die(CD_EXIT_FAIL, "out of memory");
		for (size_t k = 0; k < s->cap; k++)
			if (s->v[k])
				seen_add(&t, s->v[k]);
		free(s->v);
		*s = t;
	}
	mask = s->cap - 1;
	for (i = (lba * 2654435761u) & mask; s->v[i]; i = (i + 1) & mask)
		if (s->v[i] == lba)
			return 0;
	s->v[i] = lba;
	s->n++;
	return 1;
}

struct walk {
	struct iso_vol *v;
	enum iso_ns ns;
	struct iso_walker *w;
	struct seen seen;
	int stop;
};

static int is_rr_moved(const char *name)
{
	return !strcmp(name, "rr_moved") || !strcmp(name, ".rr_moved") ||
	       !strcmp(name, "RR_MOVED");
}

/* Is this root-level directory the relocation directory, holding only
 * relocated directories? Then Rock Ridge readers do not show it. */
static int hidden_reloc(struct walk *k, uint32_t lba, uint32_t size)
{
	struct dir d = {0};
	int quiet = k->w->quiet, errors = k->w->errors, r;

	k->w->quiet = 1;
	r = read_dir(k->v, k->ns, lba, size, "/rr_moved", &d, k->w);
	k->w->quiet = quiet;
	k->w->errors = errors;
	r = r == 0 && d.n == 0;
	dir_free(&d);
	return r;
}

int iso_entry_in_image(const struct iso_vol *v, const struct iso_entry *e,
                       uint32_t *bad)
{
	for (uint32_t i = 0; i < e->nextents; i++) {
		const struct iso_extent *x = &e->extents[i];
		uint64_t blocks =
		    ((uint64_t)x->len + ISO_BLOCK - 1) / ISO_BLOCK;

		if (x->len &&
		    (x->lba >= v->limit || blocks > v->limit - x->lba)) {
			*bad = i;
			return 0;
		}
	}
	return 1;
}

static void check_extents(struct walk *k, struct iso_entry *e)
{
	uint32_t i;

	if (iso_entry_in_image(k->v, e, &i))
		return;
	report(k->w,
	       "%s: its data (block %" PRIu32 ", %" PRIu32
	       " bytes) lies past the end of the image",
	       e->path, e->extents[i].lba, e->extents[i].len);
	e->bad_extent = 1;
}

static void walk_dir(struct walk *k, uint32_t lba, uint32_t size,
                     const char *path, const struct iso_entry *self)
{
	struct dir d = {0};

	if (k->w->dir && k->w->dir(*path ? path : "/", k->w->ctx)) {
		k->stop = 1;
		return;
	}
	if (read_dir(k->v, k->ns, lba, size, path, &d, k->w) < 0)
		goto end;
	for (size_t i = 0; i < d.n && !k->stop; i++) {
		struct iso_entry *e = &d.v[i];

		if (e->type == 'd') {
			if (d.re[i] &&
			    dot_size(k->v, d.dir_lba[i], &d.dir_size[i]) < 0) {
				report(k->w,
				       "%s: the relocated directory it points "
				       "to (block %" PRIu32 ") is not there",
				       e->path, d.dir_lba[i]);
				d.dir_lba[i] = 0;
			}
			if (k->ns == ISO_NS_RR && !*path &&
			    is_rr_moved(e->name) && d.dir_lba[i] &&
			    hidden_reloc(k, d.dir_lba[i], d.dir_size[i])) {
				d.dir_lba[i] = 0;
				e->type = 0; /* not shown */
				continue;
			}
			e->size = d.dir_size[i];
		} else {
			check_extents(k, e);
		}
		if (e->bad_name)
			report(k->w,
			       "%s: a name no file system can take (empty, "
			       "'.', '..' or with '/')",
			       e->path);
		if (k->w->entry && k->w->entry(e, k->w->ctx))
			k->stop = 1;
	}
	for (size_t i = 0; i < d.n && !k->stop; i++) {
		if (d.v[i].type != 'd' || !d.dir_lba[i])
			continue;
		if (!seen_add(&k->seen, d.dir_lba[i])) {
			report(k->w,
			       "%s: directory loop: block %" PRIu32
			       " is already one of its parents or seen "
			       "elsewhere: not followed",
			       d.v[i].path, d.dir_lba[i]);
			continue;
		}
		walk_dir(k, d.dir_lba[i], d.dir_size[i], d.v[i].path, &d.v[i]);
	}
end:
	if (!k->stop && self && k->w->dir_end && k->w->dir_end(self, k->w->ctx))
		k->stop = 1;
	dir_free(&d);
}

static void root_of(struct iso_vol *v, enum iso_ns ns, uint32_t *lba,
                    uint32_t *size)
{
	if (ns == ISO_NS_JOLIET && v->joliet_level) {
		*lba = v->joliet_root_lba;
		*size = v->joliet_root_size;
	} else {
		*lba = v->pvd.root_lba;
		*size = v->pvd.root_size;
	}
}

/* Compare a path component of the user's with a name (";1" optional). */
static int same_name(const char *comp, size_t clen, const char *name)
{
	size_t n = strlen(name);

	clen = strip_version(comp, clen, 0);
	return clen == n && !memcmp(comp, name, n);
}

/* Find path: its directory's dir/size, or the entry (copied into *out
 * with strings in arena a). 1 directory, 2 other entry, -1 not found. */
static int find(struct walk *k, const char *path, uint32_t *lba, uint32_t *size,
                struct arena *a, struct iso_entry *out, struct iso_extent **ext)
{
	const char *p = path;

	root_of(k->v, k->ns, lba, size);
	seen_add(&k->seen, *lba);
	for (;;) {
		const char *c, *end;
		struct dir d = {0};
		size_t i;
		int found = 0;

		while (*p == '/')
			p++;
		if (!*p)
			return 1;
		c = p;
		end = strchr(c, '/');
		if (!end)
			end = c + strlen(c);
		p = end;
		if (read_dir(k->v, k->ns, *lba, *size, "", &d, k->w) < 0)
			return -1;
		for (i = 0; i < d.n; i++)
			if (same_name(c, (size_t)(end - c), d.v[i].name)) {
				found = 1;
				break;
			}
		if (!found) {
			dir_free(&d);
			return -1;
		}
		if (d.v[i].type == 'd') {
			*lba = d.dir_lba[i];
			*size = d.dir_size[i];
			if (d.re[i] && dot_size(k->v, *lba, size) < 0) {
				dir_free(&d);
				return -1;
			}
			if (!seen_add(&k->seen, *lba)) {
				dir_free(&d);
				return -1;
			}
			while (*p == '/')
				p++;
			if (!*p && out) {
				*out = d.v[i];
				out->name =
				    arena_str(a, out->name, strlen(out->name));
				out->size = *size;
			}
			dir_free(&d);
			continue;
		}
		while (*p == '/')
			p++;
		if (*p) { /* a file where a directory should be */
			dir_free(&d);
			return -1;
		}
		if (out) {
			*out = d.v[i];
			out->name =
			    arena_str(a, d.v[i].name, strlen(d.v[i].name));
			out->target = d.v[i].target
			                  ? arena_str(a, d.v[i].target,
			                              strlen(d.v[i].target))
			                  : NULL;
			*ext =
			    arena_alloc(a, d.v[i].nextents * sizeof **ext + 1);
			if (d.v[i].nextents)
				memcpy(*ext, d.v[i].extents,
				       d.v[i].nextents * sizeof **ext);
			out->extents = *ext;
		}
		dir_free(&d);
		return 2;
	}
}

char *iso_clean_path(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n + 2), *o = out;

	if (!out)
		cd_die(CD_EXIT_FAIL, "out of memory");
	for (const char *p = path; *p;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		*o++ = '/';
		while (*p && *p != '/')
			*o++ = *p++;
	}
	*o = '\0';
	return out;
}

static void say_truncated(struct iso_vol *v, struct iso_walker *w)
{
	if (v->truncated)
		report(w,
		       "the image is shorter than its volume (%" PRIu64
		       " of %" PRIu32 " blocks): cut short?",
		       v->src->size / ISO_BLOCK, v->pvd.volume_size);
}

int iso_walk(struct iso_vol *v, enum iso_ns ns, const char *path,
             struct iso_walker *w)
{
	struct walk k = {v, iso_ns_pick(v, ns), w, {0}, 0};
	uint32_t lba, size;
	char *clean = iso_clean_path(path ? path : "");
	int r = 0;

	say_truncated(v, w);

	if (*clean) {
		struct arena a = {0};
		struct iso_entry e;
		struct iso_extent *x = NULL;
		int f = find(&k, clean, &lba, &size, &a, &e, &x);

		arena_free(&a);
		if (f != 1) {
			free(clean);
			free(k.seen.v);
			return -1;
		}
	} else {
		root_of(v, k.ns, &lba, &size);
		seen_add(&k.seen, lba);
	}
	walk_dir(&k, lba, size, clean, NULL);
	if (k.stop)
		r = 1;
	free(clean);
	free(k.seen.v);
	return r;
}

int iso_lookup(struct iso_vol *v, enum iso_ns ns, const char *path,
               struct iso_walker *w)
{
	struct walk k = {v, iso_ns_pick(v, ns), w, {0}, 0};
	struct arena a = {0};
	struct iso_entry e;
	struct iso_extent *x = NULL;
	uint32_t lba, size;
	char *clean = iso_clean_path(path);
	int f;

	memset(&e, 0, sizeof e);
	say_truncated(v, w);
	f = find(&k, clean, &lba, &size, &a, &e, &x);
	if (f > 0) {
		e.path = clean;
		if (f == 1 && !*clean) {
			e.type = 'd';
			e.name = "";
		}
		if (w->entry)
			w->entry(&e, w->ctx);
	}
	arena_free(&a);
	free(clean);
	free(k.seen.v);
	return f > 0 ? 0 : -1;
}

/* ---------------------------------------------------------------- boot */

static void problem(struct iso_boot_report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void problem(struct iso_boot_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nproblems >= ISO_BOOT_PROBLEMS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->problems[r->nproblems++], sizeof r->problems[0], fmt, ap);
	va_end(ap);
}

/* blocks of the source that can be read (block numbers count from 0) */
static uint64_t src_blocks(const struct iso_vol *v)
{
	const struct iso_src *s = v->src;

	if (s->seq)
		return s->head_len / ISO_BLOCK;
	if (s->size)
		return s->size / ISO_BLOCK + s->shift;
	return v->limit;
}

/* len bytes at byte off of the source (off counted from block 0), read
 * block by block into buf. 0, or -1 when some of it is not there. */
static int read_bytes(struct iso_vol *v, uint64_t off, size_t len, void *buf)
{
	unsigned char b[ISO_BLOCK];
	unsigned char *p = buf;

	while (len) {
		uint64_t lba = off / ISO_BLOCK;
		size_t in = (size_t)(off % ISO_BLOCK), n = ISO_BLOCK - in;

		if (n > len)
			n = len;
		if (lba >= src_blocks(v) ||
		    iso_src_read(v->src, (uint32_t)lba, 1, b) < 0)
			return -1;
		memcpy(p, b + in, n);
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

static uint32_t crc32_iso3309(uint32_t crc, const unsigned char *p, size_t n)
{
	static uint32_t table[256];

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	crc = ~crc;
	while (n--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static uint64_t get_le64(const unsigned char *p)
{
	return (uint64_t)get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void iso_guid_str(char out[37], const unsigned char g[16])
{
	snprintf(out, 37,
	         "%08" PRIX32 "-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X",
	         get_le32(g), get_le16(g + 4), get_le16(g + 6), g[8], g[9],
	         g[10], g[11], g[12], g[13], g[14], g[15]);
}

const char *iso_gpt_type_name(const unsigned char g[16])
{
	static const struct {
		const char *guid, *name;
	} types[] = {
	    {"C12A7328-F81F-11D2-BA4B-00A0C93EC93B", "EFI System"},
	    {"EBD0A0A2-B9E5-4433-87C0-68B6B72699C7", "Microsoft basic data"},
	    {"48465300-0000-11AA-AA11-00306543ECAC", "Apple HFS/HFS+"},
	    {"0FC63DAF-8483-4772-8E79-3D69D8477DE4", "Linux filesystem"},
	    {"21686148-6449-6E6F-744E-656564454649", "BIOS boot"},
	    {"024DEE41-33E7-11D3-9D69-0008C781F39F", "MBR partition scheme"},
	    {"0657FD6D-A4AB-43C4-84E5-0933C84B4F4F", "Linux swap"},
	};
	char s[37];

	iso_guid_str(s, g);
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(s, types[i].guid))
			return types[i].name;
	return NULL;
}

/* A boot image's first bytes: a boot info table, grub2's boot info,
 * isolinux's isohybrid signature; the table's sum over its length. */
static void look_at_image(struct iso_vol *v, struct iso_boot_report *r,
                          struct iso_boot_entry *e, unsigned n,
                          uint64_t *budget)
{
	unsigned char b[2 * ISO_BLOCK];
	uint64_t have = src_blocks(v);

	if (e->lba >= have || iso_src_read(v->src, e->lba, 1, b) < 0) {
		if (v->src->seq) /* past what a pipe keeps: not looked at */
			return;
		problem(r,
		        "boot entry %u: its image at block %" PRIu32
		        " lies past the end of the image",
		        n, e->lba);
		return;
	}
	e->readable = 1;
	e->isohybrid =
	    b[64] == 0xfb && b[65] == 0xc0 && b[66] == 0x78 && b[67] == 0x70;
	if (e->lba + 1 < have &&
	    iso_src_read(v->src, e->lba + 1, 1, b + ISO_BLOCK) == 0)
		e->grub2 = get_le64(b + 2548) == (uint64_t)e->lba * 4 + 5;
	if (get_le32(b + 12) != e->lba)
		return;
	e->bit = 1;
	e->bit_pvd = get_le32(b + 8);
	e->bit_lba = get_le32(b + 12);
	e->bit_len = get_le32(b + 16);
	e->bit_sum = get_le32(b + 20);
	e->bit_pvd_ok = e->bit_pvd == v->start + 16;
	if (e->bit_len < 64 || e->bit_len > ISO_BIT_MAX) {
		problem(r,
		        "boot entry %u: its boot info table gives a length "
		        "of %" PRIu32 " bytes (%s): not checked",
		        n, e->bit_len,
		        e->bit_len < 64 ? "less than 64" : "more than 64 MiB");
		e->bit_why = ISO_BIT_BAD_LENGTH;
		return;
	}
	if (e->bit_len > *budget) {
		problem(r,
		        "boot entry %u: its boot info table is not checked: "
		        "%u MiB of boot images were summed already",
		        n, ISO_BIT_TOTAL >> 20);
		e->bit_why = ISO_BIT_BUDGET;
		return;
	}
	if ((uint64_t)e->lba + (e->bit_len + ISO_BLOCK - 1) / ISO_BLOCK >
	    have) {
		e->bit_why = ISO_BIT_PAST_END;
		if (!v->src->seq)
			problem(r,
			        "boot entry %u: its boot info table's length "
			        "%" PRIu32 " reaches past the end of the image",
			        n, e->bit_len);
		return;
	}
	{
		/* LE32 words from byte 64 to the length; a last part word
		 * is taken with zeros after it, as mkisofs sums it */
		uint32_t sum = 0, left = e->bit_len - 64, lba = e->lba;
		unsigned char *p = b + 64;
		size_t in = ISO_BLOCK - 64;

		while (left) {
			size_t k = in < left ? in : left;

			for (size_t i = 0; i < k; i += 4) {
				unsigned char w[4] = {0, 0, 0, 0};

				memcpy(w, p + i, k - i < 4 ? k - i : 4);
				sum += get_le32(w);
			}
			left -= (uint32_t)k;
			if (!left)
				break;
			if (iso_src_read(v->src, ++lba, 1, b) < 0) {
				problem(r,
				        "boot entry %u: cannot read block "
				        "%" PRIu32 " of its image",
				        n, lba);
				e->bit_why = ISO_BIT_UNREADABLE;
				return;
			}
			p = b;
			in = ISO_BLOCK;
		}
		e->bit_summed = 1;
		e->bit_sum_real = sum;
		*budget -= e->bit_len;
	}
	if (e->bit_sum_real != e->bit_sum || !e->bit_pvd_ok)
		problem(r,
		        "boot entry %u: its boot info table does not match "
		        "(%s): the image was changed after it was written?",
		        n,
		        e->bit_sum_real != e->bit_sum
		            ? "the checksum of its bytes differs"
		            : "it names another block as the PVD");
}

static void fill_entry(struct iso_boot_entry *e, const unsigned char *rec,
                       int section, int platform)
{
	e->section = section;
	e->platform = platform;
	e->indicator = rec[0];
	e->media_byte = rec[1];
	e->media = rec[1] & 0x0f;
	e->load_segment = get_le16(rec + 2);
	e->sys_type = rec[4];
	e->sectors = get_le16(rec + 6);
	e->lba = get_le32(rec + 8);
}

static void read_catalog(struct iso_vol *v, struct iso_boot_report *r)
{
	enum { SLOTS = ISO_CAT_BLOCKS * ISO_BLOCK / 32 };
	unsigned char cat[ISO_CAT_BLOCKS * ISO_BLOCK];
	unsigned nblocks = 0, slot, sum = 0;
	uint32_t at = v->boot.catalog;
	uint64_t have = src_blocks(v), budget = ISO_BIT_TOTAL;

	/* as many blocks as the image has, up to the bound; slots past
	 * them are never looked at */
	while (nblocks < ISO_CAT_BLOCKS && at + nblocks < have &&
	       at + nblocks >= at &&
	       iso_src_read(v->src, at + nblocks, 1,
	                    cat + (size_t)nblocks * ISO_BLOCK) == 0)
		nblocks++;
	if (!nblocks) {
		if (v->src->seq) /* past what a pipe keeps */
			return;
		problem(r,
		        "boot catalog: block %" PRIu32
		        " lies past the end of the image",
		        at);
		return;
	}
	r->catalog_read = 1;
	for (int i = 0; i < 32; i += 2)
		sum += get_le16(cat + i);
	r->val_header = cat[0] == 1 && cat[30] == 0x55 && cat[31] == 0xaa;
	if (!r->val_header) {
		problem(r,
		        "boot catalog: no validation entry at the start of "
		        "block %" PRIu32 " (header 0x%02x, key %02x %02x)",
		        at, cat[0], cat[30], cat[31]);
		return;
	}
	r->val_sum_ok = !(sum & 0xffff);
	if (!r->val_sum_ok)
		problem(r,
		        "boot catalog: the validation entry's checksum is "
		        "wrong (its words sum to 0x%04x, not 0)",
		        sum & 0xffff);
	r->platform = cat[1];
	id_copy(r->id, cat + 4, 24);
	/* the default entry, then sections until the last one (0x91) or a
	 * record that is not a section header */
	r->entries_total = 1;
	r->nentries = 1;
	fill_entry(&r->entries[0], cat + 32, 0, r->platform);
	if (cat[32] != 0x88 && cat[32] != 0)
		problem(r,
		        "boot catalog: the default entry's boot indicator is "
		        "0x%02x (not 0x88 or 0)",
		        cat[32]);
	slot = 2;
	while (slot < SLOTS && slot < nblocks * (ISO_BLOCK / 32)) {
		const unsigned char *h = cat + (size_t)slot * 32;
		struct iso_boot_section *s;
		unsigned sno;
		int notentry;

		if (h[0] != 0x90 && h[0] != 0x91)
			break;
		sno = r->nsections + 1;
		if (r->nsections >= ISO_BOOT_SECTIONS) {
			problem(r,
			        "boot catalog: more than %d sections: the rest "
			        "are not read",
			        ISO_BOOT_SECTIONS);
			break;
		}
		s = &r->sections[r->nsections++];
		s->header = h[0];
		s->platform = h[1];
		s->count = get_le16(h + 2);
		id_copy(s->id, h + 4, 28);
		slot++;
		notentry = -1;
		while (s->found < s->count) {
			const unsigned char *e = cat + (size_t)slot * 32;

			if (slot >= nblocks * (ISO_BLOCK / 32))
				break;
			if (e[0] != 0x88 && e[0] != 0) {
				notentry = e[0];
				break;
			}
			if (r->nentries < ISO_BOOT_ENTRIES)
				fill_entry(&r->entries[r->nentries++], e,
				           (int)sno, s->platform);
			r->entries_total++;
			s->found++;
			slot++;
			/* extension records (0x44) follow an entry whose
			 * media byte has bit 5; bit 5 of theirs: more */
			if (e[1] & 0x20)
				while (slot < nblocks * (ISO_BLOCK / 32) &&
				       cat[(size_t)slot * 32] == 0x44) {
					int more = cat[slot * 32 + 1] & 0x20;

					slot++;
					if (!more)
						break;
				}
		}
		if (s->found < s->count && notentry >= 0) {
			problem(r,
			        "boot catalog: section %u claims %u entries, "
			        "only %u are there (then a record with boot "
			        "indicator 0x%02x)",
			        sno, s->count, s->found, (unsigned)notentry);
			break;
		}
		if (s->found < s->count) {
			problem(r,
			        "boot catalog: section %u claims %u entries, "
			        "only %u are there (the catalog is read for "
			        "%u blocks)",
			        sno, s->count, s->found, nblocks);
			break;
		}
		if (h[0] == 0x91)
			break;
	}
	if (r->entries_total > r->nentries)
		problem(r,
		        "boot catalog: %u entries, only the first %d are "
		        "shown",
		        r->entries_total, ISO_BOOT_ENTRIES);
	for (unsigned i = 0; i < r->nentries; i++) {
		struct iso_boot_entry *e = &r->entries[i];
		unsigned j;

		/* an image that an earlier entry has too: looked at once */
		for (j = 0; j < i && r->entries[j].lba != e->lba; j++)
			;
		if (j < i) {
			const struct iso_boot_entry *o = &r->entries[j];

			e->readable = o->readable;
			e->isohybrid = o->isohybrid;
			e->grub2 = o->grub2;
			e->bit = o->bit;
			e->bit_pvd = o->bit_pvd;
			e->bit_lba = o->bit_lba;
			e->bit_len = o->bit_len;
			e->bit_sum = o->bit_sum;
			e->bit_pvd_ok = o->bit_pvd_ok;
			e->bit_summed = o->bit_summed;
			e->bit_why = o->bit_why;
			e->bit_sum_real = o->bit_sum_real;
			continue;
		}
		look_at_image(v, r, e, i + 1, &budget);
	}
}

/* a GPT header at 512-byte sector lba: 0, or -1 when there is none */
static int read_gpt_header(struct iso_vol *v, uint64_t lba, struct iso_gpt *g)
{
	unsigned char h[512];

	memset(g, 0, sizeof *g);
	if (lba > UINT64_MAX / 512 || read_bytes(v, lba * 512, 512, h) < 0 ||
	    memcmp(h, "EFI PART", 8) != 0)
		return -1;
	g->found = 1;
	g->revision = get_le32(h + 8);
	g->header_size = get_le32(h + 12);
	if (g->header_size >= 92 && g->header_size <= 512) {
		uint32_t crc = get_le32(h + 16);

		memset(h + 16, 0, 4);
		g->header_crc_ok = crc32_iso3309(0, h, g->header_size) == crc;
		memcpy(h + 16, &crc, 4); /* not used again */
	}
	g->my_lba = get_le64(h + 24);
	g->alt_lba = get_le64(h + 32);
	g->first_usable = get_le64(h + 40);
	g->last_usable = get_le64(h + 48);
	memcpy(g->disk_guid, h + 56, 16);
	g->array_lba = get_le64(h + 72);
	g->nentries = get_le32(h + 80);
	g->entry_size = get_le32(h + 84);
	g->array_crc = get_le32(h + 88);
	return 0;
}

/* the entry array: checked against its CRC when it is not too large;
 * parts: fill r's partition list from it */
static void read_gpt_array(struct iso_vol *v, struct iso_boot_report *r,
                           struct iso_gpt *g, const char *which, int parts)
{
	uint64_t bytes = (uint64_t)g->nentries * g->entry_size;
	unsigned char *a;

	if (g->entry_size < 128 || g->entry_size > 4096 || g->entry_size % 8) {
		problem(r, "%s GPT: entry size %" PRIu32 " is not one", which,
		        g->entry_size);
		return;
	}
	if (bytes > ISO_GPT_ARRAY_MAX) {
		problem(r,
		        "%s GPT: %" PRIu32 " entries of %" PRIu32
		        " bytes are more than the %u bytes read: not checked",
		        which, g->nentries, g->entry_size, ISO_GPT_ARRAY_MAX);
		return;
	}
	a = malloc(bytes ? (size_t)bytes : 1);
	if (!a) {
		problem(r, "%s GPT: out of memory", which);
		return;
	}
	if (g->array_lba > UINT64_MAX / 512 ||
	    read_bytes(v, g->array_lba * 512, (size_t)bytes, a) < 0) {
		if (!v->src->seq)
			problem(r,
			        "%s GPT: its entries at sector %" PRIu64
			        " lie past the end of the image",
			        which, g->array_lba);
		free(a);
		return;
	}
	g->array_read = 1;
	g->array_crc_ok = crc32_iso3309(0, a, (size_t)bytes) == g->array_crc;
	if (!g->array_crc_ok)
		problem(r, "%s GPT: the entries' CRC is wrong", which);
	for (uint32_t i = 0; parts && i < g->nentries; i++) {
		const unsigned char *e = a + (size_t)i * g->entry_size;
		struct iso_gpt_part *p;
		static const unsigned char zero[16];
		size_t o = 0;

		if (!memcmp(e, zero, 16))
			continue;
		r->gpt_parts_total++;
		if (r->ngpt_parts >= ISO_GPT_PARTS)
			continue;
		p = &r->gpt_parts[r->ngpt_parts++];
		p->index = i + 1;
		memcpy(p->type, e, 16);
		memcpy(p->guid, e + 16, 16);
		p->start = get_le64(e + 32);
		p->end = get_le64(e + 40);
		p->flags = get_le64(e + 48);
		/* UTF-16LE, 36 units at most, to UTF-8 (BMP only; a
		 * surrogate or a control character is '?') */
		for (int k = 0; k < 36; k++) {
			unsigned c = get_le16(e + 56 + 2 * k);

			if (!c)
				break;
			if (c < 0x20 || (c >= 0xd800 && c < 0xe000) ||
			    c == 0x7f)
				c = '?';
			if (c < 0x80) {
				p->name[o++] = (char)c;
			} else if (c < 0x800) {
				p->name[o++] = (char)(0xc0 | c >> 6);
				p->name[o++] = (char)(0x80 | (c & 0x3f));
			} else {
				p->name[o++] = (char)(0xe0 | c >> 12);
				p->name[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
				p->name[o++] = (char)(0x80 | (c & 0x3f));
			}
		}
		p->name[o] = '\0';
	}
	if (r->gpt_parts_total > r->ngpt_parts)
		problem(r, "GPT: %u partitions, only the first %d are shown",
		        r->gpt_parts_total, ISO_GPT_PARTS);
	free(a);
}

static void read_gpt(struct iso_vol *v, struct iso_boot_report *r)
{
	struct iso_gpt *g = &r->gpt, *b = &r->gpt_backup;

	if (read_gpt_header(v, 1, g) < 0)
		return;
	if (!g->header_crc_ok)
		problem(r,
		        "GPT: the header's CRC is wrong (or its size %u is "
		        "not one)",
		        g->header_size);
	read_gpt_array(v, r, g, "primary", 1);
	if (g->alt_lba == g->my_lba || g->my_lba != 1) {
		/* one header read once: no backup to look for */
		problem(r,
		        "GPT: the header at sector 1 says it is at sector "
		        "%" PRIu64 " and its backup at %" PRIu64,
		        g->my_lba, g->alt_lba);
		return;
	}
	if (read_gpt_header(v, g->alt_lba, b) < 0) {
		if (v->src->seq) /* past what a pipe keeps */
			return;
		problem(r,
		        "GPT: no backup header at sector %" PRIu64
		        " (the one the primary names)",
		        g->alt_lba);
		return;
	}
	if (!b->header_crc_ok)
		problem(r, "backup GPT: the header's CRC is wrong");
	if (b->my_lba != g->alt_lba || b->alt_lba != g->my_lba ||
	    memcmp(b->disk_guid, g->disk_guid, 16) ||
	    b->nentries != g->nentries || b->entry_size != g->entry_size ||
	    b->array_crc != g->array_crc)
		problem(r, "backup GPT: its header does not match the "
		           "primary's");
	if (b->array_lba != g->array_lba)
		read_gpt_array(v, r, b, "backup", 0);
	else
		b->array_read = g->array_read,
		b->array_crc_ok = g->array_crc_ok;
}

/* Apple partition map: block 0 "ER" with the block size, then "PM"
 * entries from block 1, all inside the system area */
static void read_apm(struct iso_boot_report *r, const unsigned char *sa,
                     size_t len)
{
	unsigned bs = (unsigned)(sa[2] << 8 | sa[3]), n;

	if (sa[0] != 'E' || sa[1] != 'R' || (bs != 512 && bs != 2048))
		return;
	if (memcmp(sa + bs, "PM", 2) != 0)
		return;
	r->apm = 1;
	r->apm_block_size = bs;
	n = (unsigned)get_be32(sa + bs + 4); /* entries in the map */
	for (unsigned i = 0; i < n && i < ISO_APM_PARTS; i++) {
		const unsigned char *e = sa + (size_t)(i + 1) * bs;
		struct iso_apm_part *p;

		if ((size_t)(i + 2) * bs > len) {
			problem(r,
			        "APM: %u entries claimed, %u fit in the "
			        "system area",
			        n, i);
			return;
		}
		if (memcmp(e, "PM", 2) != 0) {
			problem(r, "APM: entry %u has no PM signature", i + 1);
			return;
		}
		p = &r->apm_parts[r->napm++];
		p->start = get_be32(e + 8);
		p->blocks = get_be32(e + 12);
		id_copy(p->name, e + 16, 32);
		id_copy(p->type, e + 48, 32);
	}
	if (n > ISO_APM_PARTS)
		problem(r, "APM: %u entries claimed, only %d are read", n,
		        ISO_APM_PARTS);
}

static void read_sysarea(struct iso_vol *v, struct iso_boot_report *r)
{
	unsigned char *sa = malloc(16 * ISO_BLOCK);

	if (!sa)
		return;
	if (v->src->shift || src_blocks(v) < 16 ||
	    iso_src_read(v->src, 0, 16, sa) < 0) {
		free(sa);
		return;
	}
	r->sysarea_read = 1;
	if (sa[510] == 0x55 && sa[511] == 0xaa) {
		r->mbr = 1;
		r->mbr_id = get_le32(sa + 440);
		for (int i = 0; i < 4; i++) {
			const unsigned char *p = sa + 446 + 16 * i;

			r->mbr_parts[i].status = p[0];
			r->mbr_parts[i].type = p[4];
			r->mbr_parts[i].start = get_le32(p + 8);
			r->mbr_parts[i].sectors = get_le32(p + 12);
		}
		r->mbr_isohybrid =
		    r->nentries && r->entries[0].isohybrid &&
		    get_le32(sa + 432) == (uint64_t)r->entries[0].lba * 4;
	}
	read_apm(r, sa, 16 * ISO_BLOCK);
	free(sa);
	read_gpt(v, r);
}

void iso_boot_read(struct iso_vol *v, struct iso_boot_report *r)
{
	memset(r, 0, sizeof *r);
	if (v->boot.found)
		read_catalog(v, r);
	read_sysarea(v, r);
}
