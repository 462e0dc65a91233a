/* isotrans: TRANS.TBL files. See isotrans.h. */
#include "config.h"

#include "isotrans.h"
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define BLOCK 2048
/* genisoimage pads the ISO 9660 name to this width */
#define NAME_WIDTH 208
/* continuation areas followed for one record's Rock Ridge entries */
#define MAX_CE 16

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void set_attrs(IsoNode *node, int hide_joliet, time_t when)
{
	iso_node_set_permissions(node, 0444);
	iso_node_set_uid(node, 0);
	iso_node_set_gid(node, 0);
	iso_node_set_mtime(node, when);
	iso_node_set_atime(node, when);
	iso_node_set_ctime(node, when);
	if (hide_joliet)
		iso_node_set_hidden(node, LIBISO_HIDE_ON_JOLIET);
}

/* Put a table with content buf (len bytes, taken over) into dir, in place
 * of what has its name there. 0, or -1 after a message. */
static int put_table(IsoDir *dir, const char *name, unsigned char *buf,
                     size_t len, int hide_joliet, time_t when)
{
	IsoStream *stream;
	IsoFile *file;
	IsoNode *old = NULL;
	int r;

	if (iso_dir_get_node(dir, name, &old) == 1 && old)
		iso_node_remove(old);
	r = iso_memory_stream_new(buf, len, &stream);
	if (r < 0) {
		free(buf);
		cd_error("cannot make %s: %s", name, iso_error_to_msg(r));
		return -1;
	}
	/* the new file takes the stream's reference */
	r = iso_tree_add_new_file(dir, name, stream, &file);
	if (r < 0) {
		iso_stream_unref(stream);
		cd_error("cannot add %s: %s", name, iso_error_to_msg(r));
		return -1;
	}
	set_attrs((IsoNode *)file, hide_joliet, when);
	return 0;
}

static int add_tables(IsoDir *dir, const char *name, int hide_joliet,
                      time_t when, int *replaced)
{
	IsoDirIter *it;
	IsoNode *node = NULL;
	unsigned char *empty;

	if (iso_dir_get_node(dir, name, &node) == 1 && node) {
		if (iso_node_get_type(node) == LIBISO_DIR) {
			cd_msg("-T: a directory is named %s: the translation "
			       "table cannot take its place (-table-name "
			       "names another)",
			       name);
			return -2;
		}
		++*replaced;
	}
	empty = malloc(1);
	if (!empty || put_table(dir, name, empty, 0, hide_joliet, when) < 0)
		return -1;
	if (iso_dir_get_children(dir, &it) < 0)
		return -1;
	while (iso_dir_iter_next(it, &node) == 1) {
		int r;

		if (iso_node_get_type(node) == LIBISO_DIR &&
		    (r = add_tables((IsoDir *)node, name, hide_joliet, when,
		                    replaced)) < 0) {
			iso_dir_iter_free(it);
			return r;
		}
	}
	iso_dir_iter_free(it);
	return 0;
}

int isotrans_add(IsoImage *image, const char *name, int hide_joliet,
                 time_t when, int *replaced)
{
	*replaced = 0;
	return add_tables(iso_image_get_root(image), name, hide_joliet, when,
	                  replaced);
}

/* -------------------------------------------------------------- fill */

struct text {
	unsigned char *buf;
	size_t len, cap;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;

		while (cap < t->len + n + 1)
			cap *= 2;
		t->buf = realloc(t->buf, cap);
		if (!t->buf)
			cd_die(CD_EXIT_FAIL, "out of memory");
		t->cap = cap;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
}

/* one directory to read, and its table */
struct job {
	IsoDir *dir;
	uint32_t lba, size;
	struct text tbl;
};

struct fill {
	const unsigned char *meta;
	size_t len;
	uint32_t base;
	struct job *v;
	size_t n, cap;
	int more;    /* a directory reaches past len */
	size_t need; /* then the bytes that it needs */
};

/* The bytes of [lba, lba + size) in meta, or NULL (f->more set when they
 * are past what was read so far). */
static const unsigned char *at(struct fill *f, uint32_t lba, uint32_t size)
{
	uint64_t off;

	if (lba < f->base)
		return NULL;
	off = (uint64_t)(lba - f->base) * BLOCK;
	if (off + size > f->len) {
		f->more = 1;
		f->need = (size_t)(off + size);
		return NULL;
	}
	return f->meta + off;
}

static void push(struct fill *f, IsoDir *dir, uint32_t lba, uint32_t size)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		struct job *v = realloc(f->v, cap * sizeof *v);

		if (!v)
			cd_die(CD_EXIT_FAIL, "out of memory");
		f->v = v;
		f->cap = cap;
	}
	f->v[f->n++] = (struct job){.dir = dir, .lba = lba, .size = size};
}

/* What the Rock Ridge entries of one record say */
struct rr {
	char nm[1024];
	size_t nm_len;
	int relocated; /* RE: shown at its real place, not here */
	int cl;        /* CL: a directory relocated to cl_lba */
	uint32_t cl_lba;
};

static void read_susp(struct fill *f, const unsigned char *p, size_t n,
                      struct rr *rr, int depth)
{
	while (n >= 4) {
		size_t l = p[2];

		if (l < 4 || l > n)
			return;
		if (!memcmp(p, "NM", 2) && l >= 5) {
			size_t k = l - 5;

			if (rr->nm_len + k >= sizeof rr->nm)
				k = sizeof rr->nm - 1 - rr->nm_len;
			memcpy(rr->nm + rr->nm_len, p + 5, k);
			rr->nm_len += k;
		} else if (!memcmp(p, "RE", 2)) {
			rr->relocated = 1;
		} else if (!memcmp(p, "CL", 2) && l >= 12) {
			rr->cl = 1;
			rr->cl_lba = le32(p + 4);
		} else if (!memcmp(p, "CE", 2) && l >= 28 && depth < MAX_CE) {
			uint32_t lba = le32(p + 4), off = le32(p + 12),
			         len = le32(p + 20);
			const unsigned char *c;

			if (off < BLOCK && len <= BLOCK - off &&
			    (c = at(f, lba, BLOCK)) != NULL)
				read_susp(f, c + off, len, rr, depth + 1);
			return; /* CE is the last entry of its area */
		} else if (!memcmp(p, "ST", 2)) {
			return;
		}
		p += l;
		n -= l;
	}
}

static char node_type(IsoNode *node)
{
	mode_t m;

	switch (iso_node_get_type(node)) {
	case LIBISO_DIR:
		return 'D';
	case LIBISO_SYMLINK:
		return 'L';
	case LIBISO_SPECIAL:
		m = iso_node_get_mode(node);
		return S_ISFIFO(m)   ? 'P'
		       : S_ISBLK(m)  ? 'B'
		       : S_ISCHR(m)  ? 'C'
		       : S_ISSOCK(m) ? 'S'
		                     : 'F';
	default:
		return 'F';
	}
}

/* A directory's nodes by name: iso_dir_get_node walks the list of
 * children, which made a directory of n entries cost n * n / 2 name
 * comparisons (40,000 files: 20 s) */
struct kid {
	const char *name;
	IsoNode *node;
};

static int kid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kid *)a)->name,
	              ((const struct kid *)b)->name);
}

static struct kid *kids_of(IsoDir *dir, size_t *n)
{
	int count = iso_dir_get_children_count(dir);
	struct kid *v = malloc((count > 0 ? (size_t)count : 1) * sizeof *v);
	IsoDirIter *it;
	IsoNode *node;

	if (!v)
		cd_die(CD_EXIT_FAIL, "out of memory");
	*n = 0;
	if (iso_dir_get_children(dir, &it) < 0)
		return v;
	while (*n < (size_t)count && iso_dir_iter_next(it, &node) == 1)
		v[(*n)++] = (struct kid){iso_node_get_name(node), node};
	iso_dir_iter_free(it);
	qsort(v, *n, sizeof *v, kid_cmp);
	return v;
}

static IsoNode *kid_named(const struct kid *v, size_t n, const char *name)
{
	struct kid key = {name, NULL};
	const struct kid *k = bsearch(&key, v, n, sizeof *v, kid_cmp);

	return k ? k->node : NULL;
}

/* Read one directory's records: its table's lines, and its
 * subdirectories pushed. 0, or -1 (f->more: not all read yet). */
static int read_dir(struct fill *f, size_t j, const char *name, int with_links)
{
	uint32_t lba = f->v[j].lba, size = f->v[j].size;
	const unsigned char *d = at(f, lba, size);
	size_t pos = 0, nkids;
	struct kid *kids;
	int ret = 0;

	if (!d)
		return -1;
	kids = kids_of(f->v[j].dir, &nkids);
	while (pos < size) {
		const unsigned char *r = d + pos;
		size_t rl = r[0], nl, sua;
		struct rr rr = {.nm_len = 0};
		IsoNode *node = NULL;
		char line[NAME_WIDTH + 64], type;
		const char *target = NULL;

		if (rl == 0) {
			pos = (pos / BLOCK + 1) * BLOCK;
			continue;
		}
		if (rl < 34 || pos % BLOCK + rl > BLOCK || pos + rl > size)
			break;
		pos += rl;
		nl = r[32];
		if (33 + nl > rl)
			continue;
		if (nl == 1 && (r[33] == 0 || r[33] == 1))
			continue;
		/* all extents of a file of 4 GiB or more but its last */
		if (r[25] & 0x80)
			continue;
		sua = 33 + nl + (nl % 2 == 0);
		if (sua < rl)
			read_susp(f, r + sua, rl - sua, &rr, 0);
		if (f->more) {
			ret = -1;
			break;
		}
		if (rr.relocated || rr.nm_len == 0)
			continue;
		rr.nm[rr.nm_len] = '\0';
		if (!strcmp(rr.nm, name))
			continue;
		node = kid_named(kids, nkids, rr.nm);
		if (!node)
			continue;
		type = node_type(node);
		if (type != 'F' && type != 'D' && !with_links)
			continue;
		if (type == 'L')
			target = iso_symlink_get_dest((IsoSymlink *)node);
		if (type == 'D') {
			uint32_t dl = le32(r + 2), ds = le32(r + 10);

			if (rr.cl) {
				const unsigned char *dot =
				    at(f, rr.cl_lba, BLOCK);

				if (!dot) {
					ret = -1;
					break;
				}
				dl = rr.cl_lba;
				ds = le32(dot + 10);
			}
			push(f, (IsoDir *)node, dl, ds);
		}
		snprintf(line, sizeof line, "%c %-*.*s\t", type, NAME_WIDTH,
		         (int)nl, (const char *)r + 33);
		text_add(&f->v[j].tbl, line, strlen(line));
		text_add(&f->v[j].tbl, rr.nm, rr.nm_len);
		if (target) {
			text_add(&f->v[j].tbl, "\t", 1);
			text_add(&f->v[j].tbl, target, strlen(target));
		}
		text_add(&f->v[j].tbl, "\n", 1);
	}
	free(kids);
	return ret;
}

/* The tables still empty are in directories that the ISO 9660 tree does
 * not hold (-hide), which the layout pass did not reach: genisoimage
 * writes none there, and an empty one would show in Joliet and HFS+ */
static void drop_empty(IsoDir *dir, const char *name)
{
	IsoDirIter *it;
	IsoNode *node = NULL;

	if (iso_dir_get_node(dir, name, &node) == 1 && node &&
	    iso_node_get_type(node) == LIBISO_FILE &&
	    iso_file_get_size((IsoFile *)node) == 0)
		iso_node_remove(node);
	if (iso_dir_get_children(dir, &it) < 0)
		return;
	while (iso_dir_iter_next(it, &node) == 1)
		if (iso_node_get_type(node) == LIBISO_DIR)
			drop_empty((IsoDir *)node, name);
	iso_dir_iter_free(it);
}

int isotrans_fill(IsoImage *image, const char *name, int hide_joliet,
                  time_t when, int with_links, const unsigned char *meta,
                  size_t len, uint32_t base, size_t *need)
{
	struct fill f = {.meta = meta, .len = len, .base = base};
	const unsigned char *pvd;
	int ret = 1;

	/* not yet what the last call missed: no need to read it all again */
	if (len < 17 * BLOCK || len < *need)
		return 0;
	pvd = meta + 16 * BLOCK;
	if (pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0) {
		cd_error(
		    "-T: the image laid out has no volume descriptor where "
		    "it should");
		return -1;
	}
	push(&f, iso_image_get_root(image), le32(pvd + 156 + 2),
	     le32(pvd + 156 + 10));
	for (size_t j = 0; j < f.n; j++)
		if (read_dir(&f, j, name, with_links) < 0) {
			ret = f.more ? 0 : -1;
			if (ret == 0)
				*need = f.need;
			if (ret < 0)
				cd_error(
				    "-T: a directory of the image laid out "
				    "lies before it");
			break;
		}
	if (ret == 1) {
		for (size_t j = 0; j < f.n; j++) {
			struct text *t = &f.v[j].tbl;
			IsoNode *node = NULL;

			/* as genisoimage: no table in an empty directory */
			if (t->len == 0) {
				if (iso_dir_get_node(f.v[j].dir, name, &node) ==
				        1 &&
				    node)
					iso_node_remove(node);
				continue;
			}
			if (!t->buf)
				t->buf = malloc(1);
			if (!t->buf || put_table(f.v[j].dir, name, t->buf,
			                         t->len, hide_joliet, when) < 0)
				ret = -1;
			t->buf = NULL;
		}
		drop_empty(iso_image_get_root(image), name);
	}
	for (size_t j = 0; j < f.n; j++)
		free(f.v[j].tbl.buf);
	free(f.v);
	return ret;
}
