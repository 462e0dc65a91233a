/* isoextract: files out of an image, safely. See isoextract.h.
 *
 * Safety: every directory is opened from the target directory one
 * component at a time with O_NOFOLLOW|O_DIRECTORY, and every file is made
 * with openat(O_CREAT|O_EXCL|O_NOFOLLOW) in such a directory, so neither a
 * name from the image (names with '/', "." or ".." are refused by isoread)
 * nor a symbolic link the image planted earlier can lead outside it.
 * Directories are made 0700 and get their own modes and times at the end,
 * deepest first, so a read-only directory does not stop its contents. */
#include "config.h"

#include "isoextract.h"
#include "cli.h"
#include "xio.h"
#include "bytes.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/*
 * zisofs (Rock Ridge ZF "pz", as mkzftree, xorriso and libisofs write it,
 * and the Linux kernel and libarchive read it): the file's data begins
 * with a 16-byte header (magic, real size little-endian, header size / 4,
 * log2 of the block size), then one 32-bit little-endian pointer per block
 * and one past the last, each the offset of a block in the data; each
 * block is a zlib stream of its own that gives the whole block (the last
 * one: what is left), and an empty block is a block of zeros. Every
 * pointer and length comes from the image: each is checked against the
 * data's size before anything is read or allocated by it, so a hostile
 * image costs at most one pointer table (512 KiB for 4 GiB) and two
 * blocks.
 */
static const unsigned char zf_magic[8] = {0x37, 0xe4, 0x53, 0x96,
                                          0xc9, 0xdb, 0xd6, 0x07};

/* Read len bytes at off of e's (single-extent) data into out. */
static int zf_read(struct iso_vol *v, const struct iso_entry *e, uint64_t off,
                   size_t len, unsigned char *out)
{
	uint32_t lba = e->extents[0].lba + (uint32_t)(off / ISO_BLOCK);
	size_t skip = off % ISO_BLOCK;
	uint32_t blocks = (uint32_t)((skip + len + ISO_BLOCK - 1) / ISO_BLOCK);
	unsigned char *buf = malloc((size_t)blocks * ISO_BLOCK);
	int r;

	if (!buf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	r = iso_src_read(v->src, lba, blocks, buf);
	if (r == 0)
		memcpy(out, buf + skip, len);
	free(buf);
	return r;
}

static int copy_zisofs(struct iso_vol *v, const struct iso_entry *e, int out,
                       const char *what)
{
	uint64_t stored = e->stored, size = e->size, nblocks, table;
	size_t bs, zmax;
	unsigned char head[16], *ptr = NULL, *zbuf = NULL, *obuf = NULL;
	const char *why = NULL;
	uint64_t i;
	int ret = -1;

	if (e->zf < 0) {
		cd_error("%s: compressed by a method isoinfo does not know "
		         "('%.2s'): not extracted",
		         e->path, e->zf_alg);
		return -1;
	}
	if (e->nextents != 1 || e->extents[0].len != stored) {
		cd_error("%s: zisofs data in %" PRIu32
		         " extents: not extracted",
		         e->path, e->nextents);
		return -1;
	}
	if (e->zf_hdr != 4 || e->zf_log2 < 15 || e->zf_log2 > 17) {
		cd_error("%s: zisofs with header size %u and block size 2^%u, "
		         "which no zisofs writer makes: not extracted",
		         e->path, e->zf_hdr * 4, e->zf_log2);
		return -1;
	}
	bs = (size_t)1 << e->zf_log2;
	nblocks = (size + bs - 1) >> e->zf_log2;
	table = (nblocks + 1) * 4;
	if (stored < sizeof head + table) {
		why = "shorter than its header";
		goto bad;
	}
	if (zf_read(v, e, 0, sizeof head, head) < 0)
		goto io;
	if (memcmp(head, zf_magic, sizeof zf_magic) ||
	    get_le32(head + 8) != size || head[12] != e->zf_hdr ||
	    head[13] != e->zf_log2) {
		why = "its header does not match its ZF entry";
		goto bad;
	}
	ptr = malloc(table);
	/* a block deflated to more than twice its size is not zlib's */
	zmax = 2 * bs;
	zbuf = malloc(zmax);
	obuf = malloc(bs);
	if (!ptr || !zbuf || !obuf)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (zf_read(v, e, sizeof head, table, ptr) < 0)
		goto io;
	for (i = 0; i < nblocks; i++) {
		uint32_t from = get_le32(ptr + 4 * i);
		uint32_t to = get_le32(ptr + 4 * i + 4);
		size_t want = i + 1 < nblocks ? bs : size - i * bs;
		z_stream z = {0};
		int zr;

		if (from < sizeof head + table || to < from || to > stored ||
		    to - from > zmax) {
			cd_error("%s: zisofs block %" PRIu64 " lies outside "
			         "the file's data",
			         e->path, i);
			goto out;
		}
		if (from == to) {
			memset(obuf, 0, want);
		} else {
			if (zf_read(v, e, from, to - from, zbuf) < 0)
				goto io;
			if (inflateInit(&z) != Z_OK)
				cd_die(CD_EXIT_FAIL, "out of memory");
			z.next_in = zbuf;
			z.avail_in = to - from;
			z.next_out = obuf;
			z.avail_out = (uInt)want;
			zr = inflate(&z, Z_FINISH);
			inflateEnd(&z);
			if (zr != Z_STREAM_END || z.total_out != want) {
				cd_error("%s: zisofs block %" PRIu64 " is "
				         "damaged: %s",
				         e->path, i,
				         zr == Z_STREAM_END ? "it is too short"
				         : z.msg            ? z.msg
				         : zr == Z_BUF_ERROR
				             ? "it is cut short or too long"
				             : "it is not zlib data");
				goto out;
			}
		}
		if (xio_write_all(out, obuf, want) < 0) {
			cd_error("cannot write %s: %s", what, strerror(errno));
			goto out;
		}
	}
	ret = 0;
	goto out;
bad:
	cd_error("%s: zisofs data damaged: %s", e->path, why);
	goto out;
io:
	cd_error("%s: cannot read the image at block %" PRIu32, e->path,
	         e->extents[0].lba);
out:
	free(ptr);
	free(zbuf);
	free(obuf);
	return ret;
}

int iso_copy_file(struct iso_vol *v, const struct iso_entry *e, int out,
                  const char *what)
{
	struct xio_copier c;
	char *buf = NULL;
	int ret = 0;

	if (e->zf)
		return copy_zisofs(v, e, out, what);
	xio_copier_init(&c, out);
	for (uint32_t i = 0; i < e->nextents && ret == 0; i++) {
		const struct iso_extent *x = &e->extents[i];

		if (v->src->fd >= 0 && !v->src->seq) {
			off_t off = (off_t)(x->lba - v->src->shift) * ISO_BLOCK;
			ssize_t n = xio_copy(&c, v->src->fd, off, x->len,
			                     (off_t)v->src->size);

			if (n == -1) {
				cd_error("cannot write %s: %s", what,
				         strerror(errno));
				ret = -1;
			} else if (n < 0 || (size_t)n < x->len) {
				cd_error("%s: cannot read the image at block "
				         "%" PRIu32 "%s%s",
				         e->path, x->lba, n < 0 ? ": " : "",
				         n < 0 ? strerror(errno) : "");
				ret = -1;
			}
			continue;
		}
		/* a drive or memory: in steps of 64 KiB */
		if (!buf && !(buf = malloc(32 * ISO_BLOCK)))
			cd_die(CD_EXIT_FAIL, "out of memory");
		for (uint32_t left = x->len, lba = x->lba;
		     left > 0 && ret == 0;) {
			uint32_t want =
			    left > 32 * ISO_BLOCK ? 32 * ISO_BLOCK : left;
			uint32_t blocks = (want + ISO_BLOCK - 1) / ISO_BLOCK;

			if (iso_src_read(v->src, lba, blocks, buf) < 0) {
				cd_error("%s: cannot read block %" PRIu32,
				         e->path, lba);
				ret = -1;
			} else if (xio_write_all(out, buf, want) < 0) {
				cd_error("cannot write %s: %s", what,
				         strerror(errno));
				ret = -1;
			}
			left -= want;
			lba += blocks;
		}
	}
	if (xio_copier_end(&c) < 0 && ret == 0) {
		cd_error("cannot write %s: %s", what, strerror(errno));
		ret = -1;
	}
	free(buf);
	return ret;
}

struct fixup {
	char *rel;
	mode_t mode;
	int64_t mtime;
	unsigned long uid, gid;
};

struct link {
	uint64_t key;
	char *rel;
};

struct xt {
	struct iso_vol *v;
	int root;      /* the target directory */
	size_t prefix; /* bytes of the subtree's path cut from entry paths */
	int cur;       /* the directory whose entries come now; -1: skip */
	int as_root;
	int verbose;
	struct fixup *fix;
	size_t nfix, capfix;
	struct link *links;
	size_t nlinks, caplinks;
};

/* Open the directory rel below x->root without following any link. */
static int open_rel(struct xt *x, const char *rel)
{
	int fd = dup(x->root);
	char *copy = strdup(rel), *save = NULL;

	if (!copy)
		cd_die(CD_EXIT_FAIL, "out of memory");
	for (char *c = strtok_r(copy, "/", &save); c && fd >= 0;
	     c = strtok_r(NULL, "/", &save)) {
		int nfd = openat(
		    fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

		close(fd);
		fd = nfd;
	}
	free(copy);
	return fd;
}

static const char *rel_of(struct xt *x, const char *path)
{
	path += strlen(path) >= x->prefix ? x->prefix : strlen(path);
	while (*path == '/')
		path++;
	return path;
}

static int on_dir(const char *path, void *ctx)
{
	struct xt *x = ctx;
	const char *rel = rel_of(x, path);

	if (x->cur >= 0)
		close(x->cur);
	x->cur = open_rel(x, rel);
	if (x->cur < 0 && *rel)
		cd_error("%s: cannot extract into it: %s (its contents are "
		         "left out)",
		         rel,
		         errno == ELOOP || errno == ENOTDIR
		             ? "not a directory there"
		             : strerror(errno));
	return 0;
}

/* Make room for name: remove what is there unless it is a directory. */
static int clear(struct xt *x, const char *name, const char *rel)
{
	if (unlinkat(x->cur, name, 0) == 0 || errno == ENOENT)
		return 0;
	cd_error("%s: cannot replace what is there: %s", rel,
	         errno == EISDIR || errno == EPERM ? "a directory"
	                                           : strerror(errno));
	return -1;
}

static void times_of(struct timespec ts[2], int64_t mtime)
{
	ts[0].tv_sec = ts[1].tv_sec = (time_t)mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
}

static void set_times_fd(int fd, int64_t mtime)
{
	struct timespec ts[2];

	times_of(ts, mtime);
	futimens(fd, ts);
}

/* a link or special file's own times, not its target's */
static void set_times_at(int dirfd, const char *name, int64_t mtime)
{
	struct timespec ts[2];

	times_of(ts, mtime);
	utimensat(dirfd, name, ts, AT_SYMLINK_NOFOLLOW);
}

static uint64_t link_key(const struct iso_entry *e)
{
	if (e->ino)
		return e->ino;
	if (e->size > 0 && e->nextents)
		return (uint64_t)1 << 63 | e->extents[0].lba;
	return 0;
}

static const char *find_link(struct xt *x, uint64_t key)
{
	for (size_t i = 0; key && i < x->nlinks; i++)
		if (x->links[i].key == key)
			return x->links[i].rel;
	return NULL;
}

static void add_link(struct xt *x, uint64_t key, const char *rel)
{
	if (!key)
		return;
	if (x->nlinks == x->caplinks) {
		x->caplinks = x->caplinks ? x->caplinks * 2 : 64;
		x->links = realloc(x->links, x->caplinks * sizeof *x->links);
		if (!x->links)
			cd_die(CD_EXIT_FAIL, "out of memory");
	}
	x->links[x->nlinks].key = key;
	x->links[x->nlinks++].rel = strdup(rel);
}

static void extract_file(struct xt *x, const struct iso_entry *e,
                         const char *rel)
{
	uint64_t key = e->nlink > 1 ? link_key(e) : 0;
	const char *first = find_link(x, key);
	int fd;

	if (clear(x, e->name, rel) < 0)
		return;
	if (first) {
		if (linkat(x->root, first, x->cur, e->name, 0) == 0)
			return;
		cd_error("%s: cannot make the hard link to %s: %s", rel, first,
		         strerror(errno));
		return;
	}
	fd = openat(x->cur, e->name,
	            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		cd_error("%s: cannot create: %s", rel, strerror(errno));
		return;
	}
	xio_partial(x->cur, e->name);
	if (iso_copy_file(x->v, e, fd, rel) < 0) {
		xio_partial(-1, NULL);
		close(fd);
		unlinkat(x->cur, e->name, 0);
		return;
	}
	xio_partial(-1, NULL);
	if (x->as_root && fchown(fd, (uid_t)e->uid, (gid_t)e->gid) < 0)
		cd_warn("%s: cannot set the owner: %s", rel, strerror(errno));
	fchmod(fd, e->mode & 07777);
	set_times_fd(fd, e->mtime);
	if (close(fd) < 0)
		cd_error("%s: cannot write: %s", rel, strerror(errno));
	add_link(x, key, rel);
}

static int on_entry(const struct iso_entry *e, void *ctx)
{
	struct xt *x = ctx;
	const char *rel = rel_of(x, e->path);

	if (x->cur < 0 || e->bad_name || e->bad_extent)
		return 0; /* said already */
	if (x->verbose)
		cd_msg("%s", rel);
	switch (e->type) {
	case 'd': {
		struct stat st;

		if (mkdirat(x->cur, e->name, 0700) < 0 &&
		    (errno != EEXIST ||
		     fstatat(x->cur, e->name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		     !S_ISDIR(st.st_mode))) {
			cd_error("%s: cannot make the directory: %s", rel,
			         errno == EEXIST ? "something else is there"
			                         : strerror(errno));
			return 0;
		}
		if (x->nfix == x->capfix) {
			x->capfix = x->capfix ? x->capfix * 2 : 64;
			x->fix = realloc(x->fix, x->capfix * sizeof *x->fix);
			if (!x->fix)
				cd_die(CD_EXIT_FAIL, "out of memory");
		}
		x->fix[x->nfix++] = (struct fixup){strdup(rel), e->mode,
		                                   e->mtime, e->uid, e->gid};
		return 0;
	}
	case '-':
		extract_file(x, e, rel);
		return 0;
	case 'l':
		if (clear(x, e->name, rel) < 0)
			return 0;
		if (symlinkat(e->target ? e->target : "", x->cur, e->name) <
		    0) {
			cd_error("%s: cannot make the symbolic link: %s", rel,
			         strerror(errno));
			return 0;
		}
		if (x->as_root)
			fchownat(x->cur, e->name, (uid_t)e->uid, (gid_t)e->gid,
			         AT_SYMLINK_NOFOLLOW);
		set_times_at(x->cur, e->name, e->mtime);
		return 0;
	case 'p':
	case 'c':
	case 'b': {
		mode_t type = e->type == 'p'   ? S_IFIFO
		              : e->type == 'c' ? S_IFCHR
		                               : S_IFBLK;

		if (e->type != 'p' && !x->as_root) {
			cd_error("%s: device files need root: left out", rel);
			return 0;
		}
		if (clear(x, e->name, rel) < 0)
			return 0;
		if (mknodat(x->cur, e->name, type | 0600, (dev_t)e->rdev) < 0) {
			cd_error("%s: cannot make it: %s", rel,
			         strerror(errno));
			return 0;
		}
		if (x->as_root)
			fchownat(x->cur, e->name, (uid_t)e->uid, (gid_t)e->gid,
			         AT_SYMLINK_NOFOLLOW);
		fchmodat(x->cur, e->name, e->mode & 07777, 0);
		set_times_at(x->cur, e->name, e->mtime);
		return 0;
	}
	default:
		if (x->verbose)
			cd_msg("%s: a socket: not extracted", rel);
		return 0;
	}
}

int iso_extract_tree(struct iso_vol *v, enum iso_ns ns, const char *subtree,
                     const char *charset, const char *dir, int verbose)
{
	struct xt x = {0};
	struct iso_walker w = {0};
	char *clean;
	int r, made;

	made = mkdir(dir, 0755) == 0;
	if (!made && errno != EEXIST) {
		cd_error("%s: cannot make the directory: %s", dir,
		         strerror(errno));
		return CD_EXIT_FAIL;
	}
	x.root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (x.root < 0) {
		cd_error("%s: cannot open: %s", dir, strerror(errno));
		return CD_EXIT_FAIL;
	}
	x.v = v;
	x.cur = -1;
	x.as_root = geteuid() == 0;
	x.verbose = verbose;
	/* entry paths are "/sub/tree/name": cut the subtree's part */
	clean = iso_clean_path(subtree ? subtree : "");
	x.prefix = strlen(clean);
	w.dir = on_dir;
	w.entry = on_entry;
	w.ctx = &x;
	w.charset = charset;
	r = iso_walk(v, ns, clean, &w);
	if (r < 0)
		cd_error("%s: not a directory in the image", clean);
	/* a directory made for a subtree that is not there goes again (it
	 * is empty: nothing was extracted) */
	if (r < 0 && made)
		rmdir(dir);
	if (x.cur >= 0)
		close(x.cur);
	/* directories: their modes, owners and times, deepest first */
	for (size_t i = x.nfix; i-- > 0;) {
		struct fixup *f = &x.fix[i];
		int fd = open_rel(&x, f->rel);

		if (fd >= 0) {
			if (x.as_root)
				fchown(fd, (uid_t)f->uid, (gid_t)f->gid);
			fchmod(fd, f->mode & 07777);
			set_times_fd(fd, f->mtime);
			close(fd);
		}
		free(f->rel);
	}
	for (size_t i = 0; i < x.nlinks; i++)
		free(x.links[i].rel);
	free(x.links);
	free(x.fix);
	free(clean);
	close(x.root);
	return r < 0 || w.errors ? CD_EXIT_FAIL : 0;
}
