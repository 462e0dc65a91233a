/* isotree: mkisofs-style image building on libisofs. See isotree.h.
 *
 * The tree is walked here (openat/fstatat relative to each directory, so a
 * deep tree costs no path lookups) rather than with iso_tree_add_dir_rec:
 * that keeps -m/-x/-hide in mkisofs's semantics, lets -f detect loops, and
 * gives every file a cdpipe stream (isowrite.c) whose data the writer can
 * move without libisofs copying it. */
#include "config.h"

#include "isotree.h"
#include "device.h"
#include "isotrans.h"
#include "isowrite.h"
#include "zisofs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <iconv.h>
#include <inttypes.h>
#include <langinfo.h>
#include <libburn/libburn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libisofs/libisofs.h>

#define FOUR_GIB 0x100000000LL

struct isotree {
	const struct isotree_opts *o;
	IsoImage *image;
	struct isowrite_tab *tab;
	IsoDataSource *old;
	struct device dev; /* -M through libburn */
	int burn_up;
	int old_blank; /* libburn said the -M medium is blank */
	int old_st_set;
	struct stat old_st; /* the -M file or device, which -o must not be */
	int root_attrs_done;
	int level;     /* the ISO level in effect (raised to 3 for big files) */
	int epoch_set; /* SOURCE_DATE_EPOCH is set: epoch */
	time_t epoch;
	char charset[64];
	iconv_t conv; /* from charset to UTF-8, to check names; -1 for UTF-8 */
	struct isoboot_state boot;
	/* -sort's lines, the weight the walk's directory passes down */
	struct sort_glob *sort_globs;
	size_t n_sort_globs;
	int sort_cur;
	int bless_disk_set; /* -hfs-bless: its directory, and the image's */
	struct stat bless_disk;
	IsoDir *bless_dir;
	int late_done; /* extra_late ran: 1, or -1 when it failed */
	size_t trans_need; /* -T: layout bytes isotrans_fill waits for */
	/* --zisofs: the files to compress (user: the IsoFile, referenced) */
	struct zisofs_job *zq;
	size_t nzq, capzq;
};

/* one directory on the walk's path, for -f loop detection */
struct ancestor {
	dev_t dev;
	ino_t ino;
	const struct ancestor *up;
};

static int lib_up;

static void lib_init(void)
{
	if (lib_up)
		return;
	if (iso_init() < 0)
		cd_die(CD_EXIT_FAIL, "cannot initialise libisofs");
	iso_set_msgs_severities("WARNING", "NEVER", "");
	lib_up = 1;
}

/* --------------------------------------------------------- graft points */

int isotree_split_graft(const char *spec, char **target, char **source)
{
	size_t n = strlen(spec);
	char *t = malloc(n + 1), *s = malloc(n + 1), *d = t;
	int seen = 0;

	if (!t || !s) {
		free(t);
		free(s);
		return -1;
	}
	for (const char *p = spec; *p; p++) {
		if (*p == '\\' && (p[1] == '=' || p[1] == '\\')) {
			*d++ = *++p;
		} else if (*p == '=' && !seen) {
			*d = '\0';
			d = s;
			seen = 1;
		} else {
			*d++ = *p;
		}
	}
	*d = '\0';
	if (!seen) {
		free(s);
		*target = NULL;
		*source = t;
	} else {
		*target = t;
		*source = s;
	}
	return 0;
}

/* ------------------------------------------------------------- matching */

static int match_list(const struct cd_strv *sv, const char *name,
                      const char *path)
{
	for (size_t i = 0; i < sv->n; i++) {
		const char *pat = sv->v[i];

		/* mkisofs: a pattern matches the file's name; a pattern
		 * with a slash also the whole source path */
		if (fnmatch(pat, name, 0) == 0)
			return 1;
		if (strchr(pat, '/') && fnmatch(pat, path, 0) == 0)
			return 1;
	}
	return 0;
}

static int same_path(const char *a, const char *b)
{
	while (a[0] == '.' && a[1] == '/')
		a += 2;
	while (b[0] == '.' && b[1] == '/')
		b += 2;
	while (*a && *a == *b) {
		a++;
		b++;
		if (a[-1] == '/') {
			while (*a == '/')
				a++;
			while (*b == '/')
				b++;
		}
	}
	while (*a == '/')
		a++;
	while (*b == '/')
		b++;
	return *a == '\0' && *b == '\0';
}

static int excluded(const struct isotree *t, const char *name, const char *path)
{
	const struct isotree_opts *o = t->o;

	for (size_t i = 0; i < o->exclude_paths.n; i++)
		if (same_path(o->exclude_paths.v[i], path))
			return 1;
	return match_list(&o->exclude_globs, name, path);
}

/* ------------------------------------------------------------ attributes */

static mode_t rational_mode(mode_t m)
{
	/* mkisofs -r: readable by all, no write bits, execute/search for
	 * all if anyone had it, no set-id or sticky bits */
	mode_t perm = m & 0777;

	perm |= 0444;
	if (perm & 0111)
		perm |= 0111;
	perm &= ~(mode_t)0222;
	return perm;
}

/* The time stamped on what isomk makes itself (volume descriptors,
 * directories a graft point creates): SOURCE_DATE_EPOCH when set, for
 * reproducible images, else now. */
static time_t made_time(void)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	uint64_t v;

	if (e && *e && cd_parse_uint(e, INT32_MAX, &v) == 0)
		return (time_t)v;
	return time(NULL);
}

static void set_times(IsoNode *node, time_t mtime, time_t atime, time_t ctime)
{
	iso_node_set_mtime(node, mtime);
	iso_node_set_atime(node, atime);
	iso_node_set_ctime(node, ctime);
}

static void set_attrs(struct isotree *t, IsoNode *node, const char *name,
                      const char *path, const struct stat *st)
{
	int hide = 0;

	if (t->o->rational) {
		iso_node_set_permissions(node, rational_mode(st->st_mode));
		iso_node_set_uid(node, 0);
		iso_node_set_gid(node, 0);
	} else {
		iso_node_set_permissions(node, st->st_mode & 07777);
		iso_node_set_uid(node, st->st_uid);
		iso_node_set_gid(node, st->st_gid);
	}
	/* genisoimage's -uid, -gid, -file-mode, -dir-mode */
	if (t->o->uid_set)
		iso_node_set_uid(node, t->o->uid);
	if (t->o->gid_set)
		iso_node_set_gid(node, t->o->gid);
	if (t->o->file_mode_set && S_ISREG(st->st_mode))
		iso_node_set_permissions(node, t->o->file_mode);
	if (t->o->dir_mode_set && S_ISDIR(st->st_mode))
		iso_node_set_permissions(node, t->o->dir_mode);
	if (t->epoch_set) {
		/* reproducible: times clamped to SOURCE_DATE_EPOCH, and
		 * atime and ctime (which reading and copying change) set
		 * to the mtime */
		time_t m = st->st_mtime < t->epoch ? st->st_mtime : t->epoch;

		set_times(node, m, m, m);
	} else {
		set_times(node, st->st_mtime, st->st_atime, st->st_ctime);
	}
	if (match_list(&t->o->hide, name, path))
		hide |= LIBISO_HIDE_ON_RR;
	if (match_list(&t->o->hide_joliet, name, path))
		hide |= LIBISO_HIDE_ON_JOLIET;
	if (match_list(&t->o->hide_hfsplus, name, path))
		hide |= LIBISO_HIDE_ON_HFSPLUS;
	if (hide)
		iso_node_set_hidden(node, hide);
}

/* ------------------------------------------- weights, filters, HFS+, dates
 *
 * What -sort, -z, --zisofs, -hfsplus and the volume dates add to the tree
 * and to the write options. Hooks: add_entry (each file and directory as
 * the walk meets it), isotree_new (files read), make_opts, and the start
 * of isotree_size and isotree_write (what names image paths: the tree
 * must be whole). */

struct sort_glob {
	char *glob;
	int weight;
};

/* An int in decimal, as a weight ("-5", "100"); -1 when it is not one */
static int parse_weight(const char *s, int *w)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < INT_MIN || v > INT_MAX)
		return -1;
	*w = (int)v;
	return 0;
}

ssize_t isotree_read_line(FILE *f, char *buf)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == '\0' || n + 1 >= ISOTREE_LINE)
			return -2;
		buf[n++] = (char)c;
	}
	if (c == EOF && (n == 0 || ferror(f)))
		return -1;
	buf[n] = '\0';
	return (ssize_t)n;
}

/* genisoimage's sort file: the weight is after the last blank of the line
 * (a tab after the last space counts), the rest is the glob, blanks and
 * all. A line without a weight is refused (genisoimage: "Incorrect sort
 * file format"), and so is a weight that is not a number (atoi would
 * take it for 0). */
static void read_sort_file(struct isotree *t, const char *file)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[ISOTREE_LINE];
	ssize_t n;
	unsigned long lineno = 0;

	if (!f)
		cd_die(CD_EXIT_USAGE, "cannot open sort file '%s': %s", file,
		       strerror(errno));
	while ((n = isotree_read_line(f, line)) != -1) {
		struct sort_glob *v;
		char *sp, *tab;
		int w;

		lineno++;
		if (n < 0)
			cd_die(CD_EXIT_USAGE,
			       "sort file '%s' line %lu: longer than %d bytes, "
			       "or a NUL byte in it: not a sort file",
			       file, lineno, ISOTREE_LINE - 1);
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (n == 0)
			continue;
		sp = strrchr(line, ' ');
		tab = strrchr(sp ? sp : line, '\t');
		if (tab)
			sp = tab;
		if (!sp || sp == line || parse_weight(sp + 1, &w) < 0)
			cd_die(CD_EXIT_USAGE,
			       "sort file '%s' line %lu: want 'PATH WEIGHT' "
			       "(a source path or glob, a blank, a whole "
			       "number), not '%s'",
			       file, lineno, line);
		*sp = '\0';
		v = realloc(t->sort_globs, (t->n_sort_globs + 1) * sizeof *v);
		if (!v)
			cd_die(CD_EXIT_FAIL, "out of memory");
		t->sort_globs = v;
		v[t->n_sort_globs].glob = strdup(line);
		if (!v[t->n_sort_globs].glob)
			cd_die(CD_EXIT_FAIL, "out of memory");
		v[t->n_sort_globs++].weight = w;
	}
	if (ferror(f))
		cd_die(CD_EXIT_FAIL, "cannot read sort file '%s': %s", file,
		       strerror(errno));
	if (f != stdin)
		fclose(f);
}

/* The weight of source path: the last line of the sort files that
 * matches it (genisoimage keeps them in a list that each line is pushed
 * on), else what its directory had */
static int sort_weight_of(const struct isotree *t, const char *path,
                          int inherited)
{
	for (size_t i = t->n_sort_globs; i-- > 0;)
		if (fnmatch(t->sort_globs[i].glob, path, FNM_PATHNAME) == 0)
			return t->sort_globs[i].weight;
	return inherited;
}

static uint32_t le32(const unsigned char *b)
{
	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

/* Does the file start with mkzftree's zisofs header? 0 no, 1 yes, 2 the
 * magic number but a header that does not fit the file: libisofs checks
 * only the header and block sizes, and would record the size claimed
 * (readers then fail on the file), so the block pointers are checked
 * too: the first must follow the table the size asks for, none may lie
 * before the one ahead of it (a block of negative length), the last must
 * lie within the file. The table is at most 512 KiB (4 GiB in 32 KiB
 * blocks). */
static int zisofs_header(int dfd, const char *name, off_t size)
{
	static const unsigned char magic[8] = {0x37, 0xe4, 0x53, 0x96,
	                                       0xc9, 0xdb, 0xd6, 0x07};
	unsigned char h[20], *tbl = NULL;
	int fd = openat(dfd, name, O_RDONLY | O_CLOEXEC);
	uint64_t blocks;
	int ret = 0;

	if (fd < 0)
		return 0;
	if (pread(fd, h, sizeof h, 0) != (ssize_t)sizeof h ||
	    memcmp(h, magic, sizeof magic) != 0)
		goto out;
	ret = 2;
	if (h[12] != 4 || h[13] < 15 || h[13] > 17)
		goto out;
	blocks = ((uint64_t)le32(h + 8) + (1u << h[13]) - 1) >> h[13];
	if (le32(h + 16) != 16 + 4 * (blocks + 1) ||
	    16 + 4 * (blocks + 1) > (uint64_t)size)
		goto out;
	tbl = malloc(4 * (blocks + 1));
	if (!tbl)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (pread(fd, tbl, 4 * (blocks + 1), 16) != (ssize_t)(4 * (blocks + 1)))
		goto out;
	for (uint64_t i = 0; i < blocks; i++)
		if (le32(tbl + 4 * i + 4) < le32(tbl + 4 * i))
			goto out;
	if (le32(tbl + 4 * blocks) > (uint64_t)size)
		goto out;
	ret = 1;
out:
	free(tbl);
	close(fd);
	return ret;
}

/* A directory met by the walk: its weight for what is below it, and
 * -hfs-bless's source directory. Returns the weight to restore after. */
static int extra_dir_enter(struct isotree *t, IsoDir *dir, const char *path,
                           const struct stat *st)
{
	int up = t->sort_cur;

	t->sort_cur = sort_weight_of(t, path, up);
	if (t->bless_disk_set && st->st_dev == t->bless_disk.st_dev &&
	    st->st_ino == t->bless_disk.st_ino)
		t->bless_dir = dir;
	return up;
}

/* A file, link or special file just added: its sort weight, and for a
 * regular file -z and --zisofs. A file whose zisofs header libisofs
 * parses is marked real first (in the fast mode the stream would hand it
 * tokens, not the file); --zisofs files are queued for isotree_compress. */
static void extra_file(struct isotree *t, IsoNode *node, int dfd,
                       const char *name, const char *path,
                       const struct stat *st)
{
	const struct isotree_opts *o = t->o;
	IsoFile *file = (IsoFile *)node;
	int w, r;

	if (iso_node_get_type(node) != LIBISO_FILE)
		return;
	w = sort_weight_of(t, path, t->sort_cur);
	if (w)
		iso_node_set_sort_weight(node, w);
	r = o->zisofs_magic && st->st_size >= 24
	        ? zisofs_header(dfd, name, st->st_size)
	        : 0;
	if (r) {
		/* libisofs reads the header (again) through the stream */
		if (r == 1) {
			isowrite_stream_real(iso_file_get_stream(file));
			r = iso_node_zf_by_magic(node, 8);
		} else {
			r = 0;
		}
		if (r == 1)
			return;
		if (r < 0)
			cd_error("%s: cannot read its zisofs header: %s", path,
			         iso_error_to_msg(r));
		else if (!o->quiet)
			cd_warn("%s: has the zisofs magic number but no "
			        "valid header: stored as it is",
			        path);
		return;
	}
	if (!o->zisofs || st->st_size == 0)
		return;
	if (st->st_size >= FOUR_GIB) {
		if (!o->quiet)
			cd_msg("%s: 4 GiB or more, more than zisofs can "
			       "hold: stored uncompressed",
			       path);
		return;
	}
	/* compressed later, all at once (isotree_compress) */
	if (t->nzq == t->capzq) {
		size_t cap = t->capzq ? 2 * t->capzq : 256;
		struct zisofs_job *v = realloc(t->zq, cap * sizeof *v);

		if (!v)
			cd_die(CD_EXIT_FAIL, "out of memory");
		t->zq = v;
		t->capzq = cap;
	}
	iso_node_ref(node);
	t->zq[t->nzq++] = (struct zisofs_job){
	    .path = isowrite_stream_path(iso_file_get_stream(file)),
	    .size = st->st_size,
	    .dev = st->st_dev,
	    .ino = st->st_ino,
	    .user = file};
}

/* old's place in the tree, with its name and attributes, for a file of the
 * same name whose data is stream (its compressed form). 0, or -1. */
static int replace_data(IsoFile *old, IsoStream *stream)
{
	IsoNode *on = (IsoNode *)old, *nn;
	IsoDir *parent = iso_node_get_parent(on);
	char *name = strdup(iso_node_get_name(on));
	IsoFile *nf;
	int r;

	if (!name || !parent) {
		free(name);
		iso_stream_unref(stream);
		return -1;
	}
	iso_node_take(on);
	r = iso_tree_add_new_file(parent, name, stream, &nf);
	free(name);
	if (r < 0) {
		iso_stream_unref(stream);
		/* the original back where it was (the tree owns it again) */
		iso_dir_add_node(parent, on, ISO_REPLACE_NEVER);
		return -1;
	}
	nn = (IsoNode *)nf;
	iso_node_set_permissions(nn, iso_node_get_permissions(on));
	iso_node_set_uid(nn, iso_node_get_uid(on));
	iso_node_set_gid(nn, iso_node_get_gid(on));
	iso_node_set_mtime(nn, iso_node_get_mtime(on));
	iso_node_set_atime(nn, iso_node_get_atime(on));
	iso_node_set_ctime(nn, iso_node_get_ctime(on));
	iso_node_set_hidden(nn, iso_node_get_hidden(on));
	iso_node_set_sort_weight(nn, iso_file_get_sort_weight(old));
	/* the ZF entry, from the header just written (bit3: this node);
	 * without it readers would take the compressed bytes for the file:
	 * then the original goes back */
	r = iso_node_zf_by_magic(nn, 8);
	if (r != 1) {
		iso_node_remove(nn);
		iso_dir_add_node(parent, on, ISO_REPLACE_NEVER);
		return -1;
	}
	iso_node_unref(on); /* the reference iso_node_take gave */
	return 0;
}

static int by_file(const void *a, const void *b)
{
	const struct zisofs_job *x = *(struct zisofs_job *const *)a,
	                        *y = *(struct zisofs_job *const *)b;

	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x < y ? -1 : x > y;
}

int isotree_compress(struct isotree *t)
{
	const struct isotree_opts *o = t->o;
	struct zisofs_job **by, *runs;
	IsoStream **streams;
	size_t n = 0, nrun = 0;
	int ret = 0;

	if (!t->nzq)
		return 0;
	/* a boot image is loaded by the firmware as it is: left out, and
	 * so is a file a later pathspec replaced (no longer in the tree) */
	for (size_t i = 0; i < t->nzq; i++) {
		IsoNode *node = t->zq[i].user;
		int keep = t->zq[i].path && iso_node_get_parent(node);

		for (size_t b = 0; keep && b < o->boot.n; b++) {
			IsoNode *bn = NULL;
			char p[4096];

			snprintf(p, sizeof p, "%s%s",
			         o->boot.v[b].path[0] == '/' ? "" : "/",
			         o->boot.v[b].path);
			if (iso_tree_path_to_node(t->image, p, &bn) == 1 &&
			    bn == node)
				keep = 0;
		}
		if (keep)
			t->zq[n++] = t->zq[i];
		else
			iso_node_unref(node);
	}
	t->nzq = n;
	/* hard links (one file, several names) are compressed once and
	 * share one stream, so that their data is stored once, as without
	 * --zisofs */
	by = malloc((n ? n : 1) * sizeof *by);
	runs = malloc((n ? n : 1) * sizeof *runs);
	streams = calloc(n ? n : 1, sizeof *streams);
	if (!by || !runs || !streams)
		cd_die(CD_EXIT_FAIL, "out of memory");
	for (size_t i = 0; i < n; i++)
		by[i] = &t->zq[i];
	qsort(by, n, sizeof *by, by_file);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || by[i]->dev != by[i - 1]->dev ||
		    by[i]->ino != by[i - 1]->ino)
			runs[nrun++] = *by[i];
	if (zisofs_run(runs, nrun, 0, NULL) < 0)
		ret = -1;
	for (size_t i = 0, r = 0; i < n; i++) {
		struct zisofs_job *j = by[i];
		IsoStream *stream = NULL;

		if (i > 0 &&
		    (j->dev != by[i - 1]->dev || j->ino != by[i - 1]->ino))
			r++;
		if (runs[r].done == 1) {
			if (!streams[r] &&
			    isowrite_region_stream(t->tab, runs[r].fd,
			                           runs[r].off, runs[r].len,
			                           j->path, &streams[r]) < 0)
				streams[r] = NULL;
			stream = streams[r];
			if (stream)
				iso_stream_ref(stream);
			if (!stream || replace_data(j->user, stream) < 0) {
				cd_error("%s: cannot store it compressed",
				         j->path);
				ret = -1;
			}
		}
		iso_node_unref(j->user);
	}
	for (size_t r = 0; r < nrun; r++)
		if (streams[r])
			iso_stream_unref(streams[r]);
	free(streams);
	free(runs);
	free(by);
	free(t->zq);
	t->zq = NULL;
	t->nzq = t->capzq = 0;
	if (ret < 0)
		cd_raise(CD_EXIT_FAIL);
	return ret;
}

static int set_all_dates(IsoNode *node, time_t when, int mtime_only)
{
	IsoDirIter *it;
	IsoNode *sub;

	if (mtime_only)
		when = iso_node_get_mtime(node);
	set_times(node, when, when, when);
	if (iso_node_get_type(node) != LIBISO_DIR)
		return 0;
	if (iso_dir_get_children((IsoDir *)node, &it) < 0)
		return -1;
	while (iso_dir_iter_next(it, &sub) == 1)
		set_all_dates(sub, when, mtime_only);
	iso_dir_iter_free(it);
	return 0;
}

/* An image path given with an option (relative ones start at the root,
 * as in xorriso): the node, or NULL after a message (exit status 2) */
static IsoNode *named_node(struct isotree *t, const char *opt, const char *path)
{
	char *p = malloc(strlen(path) + 2);
	IsoNode *node = NULL;
	size_t n;

	if (!p)
		cd_die(CD_EXIT_FAIL, "out of memory");
	p[0] = '/';
	strcpy(p + (path[0] != '/'), path);
	n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	if (iso_tree_path_to_node(t->image, p, &node) != 1 || !node) {
		cd_error("%s %s: the image has no such file", opt, path);
		cd_raise(CD_EXIT_USAGE);
		node = NULL;
	}
	free(p);
	return node;
}

struct weight_walk {
	const char *glob;
	int weight;
	int hits;
};

static void weigh_matches(IsoDir *dir, char *path, size_t len,
                          struct weight_walk *ww)
{
	IsoDirIter *it;
	IsoNode *node;

	if (iso_dir_get_children(dir, &it) < 0)
		return;
	while (iso_dir_iter_next(it, &node) == 1) {
		const char *name = iso_node_get_name(node);
		size_t nl = strlen(name);

		if (len + 1 + nl >= PATH_MAX)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, name, nl + 1);
		if (fnmatch(ww->glob, path, FNM_PATHNAME) == 0) {
			/* on a directory, libisofs weighs all below it */
			iso_node_set_sort_weight(node, ww->weight);
			ww->hits++;
		}
		if (iso_node_get_type(node) == LIBISO_DIR)
			weigh_matches((IsoDir *)node, path, len + 1 + nl, ww);
		path[len] = '\0';
	}
	iso_dir_iter_free(it);
}

/* One weight for an image path, or with pattern for what a glob
 * matches; -1 after a message */
static int weigh(struct isotree *t, const char *opt, int w, const char *path,
                 int pattern)
{
	IsoNode *node;

	if (pattern) {
		struct weight_walk ww = {path, w, 0};
		char buf[PATH_MAX];

		buf[0] = '\0';
		weigh_matches(iso_image_get_root(t->image), buf, 0, &ww);
		if (!ww.hits) {
			cd_error("%s: pattern '%s' matches no file in the "
			         "image",
			         opt, path);
			cd_raise(CD_EXIT_USAGE);
			return -1;
		}
		return 0;
	}
	node = named_node(t, opt, path);
	if (!node)
		return -1;
	iso_node_set_sort_weight(node, w);
	return 0;
}

/* --sort-weight-list and --sort-weight-patterns: "WEIGHT ISO_PATH"
 * lines, the path starting after the first blank */
static int weigh_list(struct isotree *t)
{
	const struct isotree_opts *o = t->o;
	const char *opt = o->sort_list_patterns ? "--sort-weight-patterns"
	                                        : "--sort-weight-list";
	FILE *f = fopen(o->sort_list, "r");
	char line[ISOTREE_LINE];
	ssize_t n;
	int ret = 0;

	if (!f) {
		cd_error("%s: cannot open '%s': %s", opt, o->sort_list,
		         strerror(errno));
		cd_raise(CD_EXIT_USAGE);
		return -1;
	}
	while ((n = isotree_read_line(f, line)) != -1) {
		char *blank;
		int w;

		if (n < 0) {
			cd_error("%s %s: a line longer than %d bytes, or a NUL "
			         "byte: not a list of weights",
			         opt, o->sort_list, ISOTREE_LINE - 1);
			cd_raise(CD_EXIT_USAGE);
			ret = -1;
			break;
		}
		if (n == 0)
			continue;
		blank = strpbrk(line, " \t");
		if (blank)
			*blank = '\0';
		if (!blank || !blank[1] || parse_weight(line, &w) < 0) {
			if (blank)
				*blank = ' ';
			cd_error("%s %s: want 'WEIGHT ISO_PATH' lines, not "
			         "'%s'",
			         opt, o->sort_list, line);
			cd_raise(CD_EXIT_USAGE);
			ret = -1;
			break;
		}
		if (weigh(t, opt, w, blank + 1, o->sort_list_patterns) < 0)
			ret = -1;
	}
	if (ferror(f)) {
		cd_error("%s: cannot read '%s': %s", opt, o->sort_list,
		         strerror(errno));
		ret = -1;
	}
	fclose(f);
	return ret;
}

static const char *const bless_names[][2] = {
    [ISO_HFSPLUS_BLESS_PPC_BOOTDIR] = {"p", "ppc_bootdir"},
    [ISO_HFSPLUS_BLESS_INTEL_BOOTFILE] = {"i", "intel_bootfile"},
    [ISO_HFSPLUS_BLESS_SHOWFOLDER] = {"s", "show_folder"},
    [ISO_HFSPLUS_BLESS_OS9_FOLDER] = {"9", "os9_folder"},
    [ISO_HFSPLUS_BLESS_OSX_FOLDER] = {"x", "osx_folder"},
};

int isotree_hfs_blessing(const char *kind)
{
	for (int i = 0; i < ISO_HFSPLUS_BLESS_MAX; i++)
		if (!strcmp(kind, bless_names[i][0]) ||
		    !strcmp(kind, bless_names[i][1]))
			return i;
	return -1;
}

static int bless(struct isotree *t, int kind, IsoNode *node, const char *what)
{
	int r = iso_image_hfsplus_bless(t->image, kind, node, 0);

	if (r == 1)
		return 0;
	cd_error("%s: cannot be blessed %s: %s", what, bless_names[kind][1],
	         r < 0 ? iso_error_to_msg(r)
	         : kind == ISO_HFSPLUS_BLESS_INTEL_BOOTFILE
	             ? "it must be a data file, blessed once"
	             : "it must be a directory, blessed once");
	cd_raise(CD_EXIT_USAGE);
	return -1;
}

/* HFS+ creator and type codes, and blessings */
static int hfsplus_late(struct isotree *t)
{
	const struct isotree_opts *o = t->o;
	const struct cd_strv *ct = &o->hfsp_creator_type, *bl = &o->hfsp_bless;
	int ret = 0;

	for (size_t i = 0; i + 2 < ct->n; i += 3) {
		IsoNode *node =
		    named_node(t, "-hfsplus-file-creator-type", ct->v[i + 2]);
		struct iso_hfsplus_xinfo_data *x;

		if (!node) {
			ret = -1;
			continue;
		}
		x = iso_hfsplus_xinfo_new(0);
		if (!x)
			cd_die(CD_EXIT_FAIL, "out of memory");
		memcpy(x->creator_code, ct->v[i], 4);
		memcpy(x->type_code, ct->v[i + 1], 4);
		iso_node_remove_xinfo(node, iso_hfsplus_xinfo_func);
		if (iso_node_add_xinfo(node, iso_hfsplus_xinfo_func, x) != 1) {
			iso_hfsplus_xinfo_func(x, 1);
			cd_die(CD_EXIT_FAIL, "out of memory");
		}
	}
	for (size_t i = 0; i + 1 < bl->n; i += 2) {
		IsoNode *node;

		if (!strcmp(bl->v[i], "disk")) {
			if (!t->bless_dir) {
				cd_error("-hfs-bless %s: no directory of the "
				         "image comes from there",
				         bl->v[i + 1]);
				cd_raise(CD_EXIT_USAGE);
				ret = -1;
			} else if (bless(t, ISO_HFSPLUS_BLESS_PPC_BOOTDIR,
			                 (IsoNode *)t->bless_dir,
			                 bl->v[i + 1]) < 0) {
				ret = -1;
			}
			continue;
		}
		node = named_node(t, "-hfs-bless-by", bl->v[i + 1]);
		if (!node || bless(t, isotree_hfs_blessing(bl->v[i]), node,
		                   bl->v[i + 1]) < 0)
			ret = -1;
	}
	return ret;
}

/* What names image paths, once the tree is whole: the weights of
 * --sort-weight*, HFS+ codes and blessings, all_file_dates. Once;
 * -1 after the messages. */
static int extra_late(struct isotree *t)
{
	const struct isotree_opts *o = t->o;
	int ret = 0;

	if (t->late_done)
		return t->late_done < 0 ? -1 : 0;
	if (o->sort_list && weigh_list(t) < 0)
		ret = -1;
	for (size_t i = 0; i + 1 < o->sort_weights.n; i += 2) {
		int w;

		if (parse_weight(o->sort_weights.v[i], &w) < 0)
			cd_die(CD_EXIT_USAGE,
			       "--sort-weight %s: not a whole number",
			       o->sort_weights.v[i]);
		if (weigh(t, "--sort-weight", w, o->sort_weights.v[i + 1], 0) <
		    0)
			ret = -1;
	}
	if (o->hfsplus && hfsplus_late(t) < 0)
		ret = -1;
	if (o->all_dates_set)
		set_all_dates((IsoNode *)iso_image_get_root(t->image),
		              o->all_dates, o->all_dates_mtime);
	t->late_done = ret < 0 ? -1 : 1;
	return ret;
}

/* The write options of these features */
static void extra_opts(struct isotree *t, IsoWriteOpts *w)
{
	const struct isotree_opts *o = t->o;

	if (t->n_sort_globs || o->sort_weights.n || o->sort_list)
		iso_write_opts_set_sort_files(w, 1);
	if (o->hfsplus) {
		iso_write_opts_set_hfsplus(w, 1);
		iso_write_opts_set_hfsp_block_size(w, o->hfsp_block,
		                                   o->apm_block);
		if (o->hfsp_serial) {
			uint8_t serial[8];

			for (int i = 0; i < 8; i++)
				sscanf(o->hfsp_serial + 2 * i, "%2hhx",
				       &serial[i]);
			iso_write_opts_set_hfsp_serial_number(w, serial);
		}
	}
	if (o->vol_set || o->vol_uuid) {
		/* given dates win over SOURCE_DATE_EPOCH's, the uuid (as
		 * --modification-date) over c and m, as in xorriso */
		time_t now = t->epoch_set ? t->epoch : 0;
		char uuid[32] = "";
		struct tm tm;

		if (t->epoch_set && !(o->vol_set & 3)) {
			gmtime_r(&now, &tm);
			strftime(uuid, sizeof uuid, "%Y%m%d%H%M%S00", &tm);
		}
		if (o->vol_uuid)
			snprintf(uuid, sizeof uuid, "%s", o->vol_uuid);
		iso_write_opts_set_pvd_times(w, o->vol_set & 1 ? o->vol_c : now,
		                             o->vol_set & 2 ? o->vol_m : now,
		                             o->vol_set & 4 ? o->vol_x : 0,
		                             o->vol_set & 8 ? o->vol_f : 0,
		                             uuid);
	}
}

/* Set up what isotree_new must: sort files read, -hfs-bless's source */
static void extra_new(struct isotree *t)
{
	const struct isotree_opts *o = t->o;

	for (size_t i = 0; i < o->sort_files.n; i++)
		read_sort_file(t, o->sort_files.v[i]);
	for (size_t i = 0; i + 1 < o->hfsp_bless.n; i += 2) {
		if (strcmp(o->hfsp_bless.v[i], "disk") != 0)
			continue;
		if (stat(o->hfsp_bless.v[i + 1], &t->bless_disk) < 0 ||
		    !S_ISDIR(t->bless_disk.st_mode))
			cd_die(CD_EXIT_USAGE, "-hfs-bless %s: not a directory",
			       o->hfsp_bless.v[i + 1]);
		t->bless_disk_set = 1;
	}
}

/* n digits of s as a number */
static int digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0)
		v = v * 10 + (*s++ - '0');
	return v;
}

int isotree_parse_uuid(const char *s)
{
	int year;

	if (strlen(s) != 16 || strspn(s, "0123456789") != 16)
		return -1;
	year = digits(s, 4);
	/* written as it is into the volume's dates: a month 13 or an hour
	 * 99 would be a date no reader can take (xorriso refuses some) */
	if (digits(s + 4, 2) < 1 || digits(s + 4, 2) > 12 ||
	    digits(s + 6, 2) < 1 || digits(s + 6, 2) > 31 ||
	    digits(s + 8, 2) > 23 || digits(s + 10, 2) > 59 ||
	    digits(s + 12, 2) > 59)
		return -1;
	return year >= 1970 && year <= 2999 ? 0 : -1;
}

int isotree_parse_time(const char *s, time_t *when)
{
	struct tm tm = {0};
	size_t n = strlen(s);
	uint64_t v;

	if (s[0] == '=') {
		if (cd_parse_uint(s + 1, INT64_MAX, &v) < 0)
			return -1;
		*when = (time_t)v;
		return 0;
	}
	if (n == 16 && isotree_parse_uuid(s) == 0) {
		/* ECMA-119's volume time, GMT; the centiseconds dropped */
		tm.tm_year = digits(s, 4) - 1900;
		tm.tm_mon = digits(s + 4, 2) - 1;
		tm.tm_mday = digits(s + 6, 2);
		tm.tm_hour = digits(s + 8, 2);
		tm.tm_min = digits(s + 10, 2);
		tm.tm_sec = digits(s + 12, 2);
		if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
		    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
			return -1;
		*when = timegm(&tm);
		return 0;
	}
	/* xorriso's own: YYYY.MM.DD[.hh[mm[ss]]], local time */
	if ((n == 10 || n == 13 || n == 15 || n == 17) &&
	    strspn(s, "0123456789") == 4 && s[4] == '.' &&
	    strspn(s + 5, "0123456789") == 2 && s[7] == '.' &&
	    strspn(s + 8, "0123456789") == 2 &&
	    (n == 10 ||
	     (s[10] == '.' && strspn(s + 11, "0123456789") == n - 11))) {
		tm.tm_year = digits(s, 4) - 1900;
		tm.tm_mon = digits(s + 5, 2) - 1;
		tm.tm_mday = digits(s + 8, 2);
		if (n > 10)
			tm.tm_hour = digits(s + 11, 2);
		if (n > 13)
			tm.tm_min = digits(s + 13, 2);
		if (n > 15)
			tm.tm_sec = digits(s + 15, 2);
		if (tm.tm_year < 70 || tm.tm_mon > 11 || tm.tm_mday < 1 ||
		    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
		    tm.tm_sec > 60)
			return -1;
		tm.tm_isdst = -1;
		*when = mktime(&tm);
		return *when == (time_t)-1 ? -1 : 0;
	}
	return -1;
}

/* ----------------------------------------------------------------- tree */

/* Make room for name in dir: an existing directory is kept when keep_dir
 * (merging, as mkisofs does), anything else there is replaced (a newer
 * session's file replaces the old one). Returns the directory kept, or
 * NULL when the name is free now. */
static IsoDir *make_room(struct isotree *t, IsoDir *dir, const char *name,
                         const char *path, int keep_dir)
{
	IsoNode *old;

	if (iso_dir_get_node(dir, name, &old) != 1)
		return NULL;
	if (keep_dir && iso_node_get_type(old) == LIBISO_DIR)
		return (IsoDir *)old;
	if (t->o->verbose)
		cd_msg("'%s' replaces what the image had at that name", path);
	iso_node_remove(old);
	return NULL;
}

static int add_report(const char *path, int r)
{
	if (r == (int)ISO_NODE_NAME_NOT_UNIQUE)
		cd_error("%s: the image has this name twice: kept the first",
		         path);
	else if (r == (int)ISO_WRONG_ARG_VALUE ||
	         r == (int)ISO_RR_NAME_TOO_LONG ||
	         r == (int)ISO_RR_NAME_RESERVED)
		cd_error("%s: cannot be stored under this name: %s", path,
		         iso_error_to_msg(r));
	else
		cd_error("%s: cannot add to the image: %s", path,
		         iso_error_to_msg(r));
	return -1;
}

static int valid_utf8(const unsigned char *s)
{
	while (*s) {
		int n;

		if (*s < 0x80) {
			s++;
			continue;
		}
		if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
			n = 1;
		else if ((*s & 0xf0) == 0xe0)
			n = 2;
		else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
			n = 3;
		else
			return 0;
		for (s++; n > 0; n--, s++)
			if ((*s & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

/* Can name be converted from the input charset? libisofs would write an
 * inconvertible name as '_'s in Joliet without a word. */
static int name_ok(struct isotree *t, const char *name)
{
	const unsigned char *p = (const unsigned char *)name;
	char out[512], *in = (char *)name;
	size_t inl;

	while (*p && *p < 0x80)
		p++;
	if (!*p)
		return 1;
	if (t->conv == (iconv_t)-1)
		return valid_utf8((const unsigned char *)name);
	inl = strlen(name);
	iconv(t->conv, NULL, NULL, NULL, NULL);
	while (inl > 0) {
		char *o = out;
		size_t outl = sizeof out;

		if (iconv(t->conv, &in, &inl, &o, &outl) == (size_t)-1 &&
		    errno != E2BIG)
			return 0;
	}
	return 1;
}

static int walk_dir(struct isotree *t, IsoDir *dir, int dfd, char **path,
                    size_t *cap, size_t plen, const struct ancestor *up);

/* Add the entry name of directory dfd (source path in *path) to dir,
 * under the name iname. */
static void add_entry(struct isotree *t, IsoDir *dir, int dfd, const char *name,
                      const char *iname, int follow, char **path, size_t *cap,
                      size_t plen, const struct ancestor *up)
{
	struct stat st;
	IsoNode *node = NULL;
	int r;

	if (excluded(t, name, *path))
		return;
	if (fstatat(dfd, name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) < 0) {
		if (follow &&
		    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(st.st_mode)) {
			cd_warn("%s: symbolic link leads nowhere (%s): stored "
			        "as a link",
			        *path, strerror(errno));
		} else {
			cd_error("%s: cannot stat: %s", *path, strerror(errno));
			return;
		}
	}
	if (!name_ok(t, iname)) {
		cd_error("%s: name is not valid %s: left out (name the right "
		         "charset with -input-charset)",
		         *path, t->charset);
		return;
	}

	if (S_ISDIR(st.st_mode)) {
		struct ancestor me = {st.st_dev, st.st_ino, up};
		IsoDir *sub;
		int fd;

		for (const struct ancestor *a = up; a; a = a->up)
			if (a->dev == st.st_dev && a->ino == st.st_ino) {
				cd_error("%s: symbolic link loop: this "
				         "directory contains itself: not "
				         "followed",
				         *path);
				return;
			}
		fd = openat(dfd, name,
		            O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		                (follow ? 0 : O_NOFOLLOW));
		if (fd < 0) {
			cd_error("%s: cannot open directory: %s", *path,
			         strerror(errno));
			return;
		}
		sub = make_room(t, dir, iname, *path, 1);
		if (!sub) {
			r = iso_tree_add_new_dir(dir, iname, &sub);
			if (r < 0) {
				close(fd);
				add_report(*path, r);
				return;
			}
		}
		set_attrs(t, (IsoNode *)sub, iname, *path, &st);
		r = extra_dir_enter(t, sub, *path, &st);
		walk_dir(t, sub, fd, path, cap, plen, &me);
		t->sort_cur = r;
		return;
	}

	if (S_ISREG(st.st_mode) && t->o->out_set &&
	    st.st_dev == t->o->out_dev && st.st_ino == t->o->out_ino) {
		if (t->o->verbose)
			cd_msg("%s: the image being written: left out", *path);
		return;
	}
	make_room(t, dir, iname, *path, 0);
	if (S_ISREG(st.st_mode)) {
		IsoStream *stream;
		IsoFile *file;

		if (st.st_size > 0 &&
		    faccessat(dfd, name, R_OK, AT_EACCESS) < 0) {
			cd_error("%s: cannot read: %s: left out", *path,
			         strerror(errno));
			return;
		}
		if (st.st_size >= FOUR_GIB - 1 && t->level < 3) {
			if (!t->o->quiet)
				cd_msg("%s: file of 4 GiB or more: using ISO "
				       "level 3 "
				       "(multi-extent)",
				       *path);
			t->level = 3;
		}
		r = isowrite_file_stream(t->tab, *path, &st, &stream);
		if (r < 0) {
			add_report(*path, r);
			return;
		}
		/* iso_tree_add_new_file takes over our reference */
		r = iso_tree_add_new_file(dir, iname, stream, &file);
		if (r < 0) {
			iso_stream_unref(stream);
			add_report(*path, r);
			return;
		}
		node = (IsoNode *)file;
	} else if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX + 1];
		ssize_t n = readlinkat(dfd, name, target, PATH_MAX);
		IsoSymlink *link;

		if (n < 0) {
			cd_error("%s: cannot read symbolic link: %s", *path,
			         strerror(errno));
			return;
		}
		target[n] = '\0';
		if (t->o->verbose && !follow) {
			struct stat tst;

			if (target[0] == '/' || fstatat(dfd, name, &tst, 0) < 0)
				cd_msg("%s: symbolic link to '%s' stored as a "
				       "link; its target is not included (-f "
				       "follows links)",
				       *path, target);
		}
		r = iso_tree_add_new_symlink(dir, iname, target, &link);
		if (r < 0) {
			add_report(*path, r);
			return;
		}
		node = (IsoNode *)link;
	} else {
		IsoSpecial *special;

		r = iso_tree_add_new_special(dir, iname, st.st_mode, st.st_rdev,
		                             &special);
		if (r < 0) {
			add_report(*path, r);
			return;
		}
		node = (IsoNode *)special;
	}
	set_attrs(t, node, iname, *path, &st);
	extra_file(t, node, dfd, name, *path, &st);
}

static int name_desc(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a);
}

/* Read the names of a directory (without . and ..) into *names, an array
 * of pointers into one block *pool. Returns the count, or -1. */
static long read_names(DIR *d, char ***names, char **pool)
{
	size_t n = 0, cap = 0, used = 0, pcap = 0;
	char **v = NULL, *pl = NULL;
	struct dirent *de;

	for (;;) {
		size_t len;

		errno = 0;
		de = readdir(d);
		if (!de)
			break;
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' ||
		     (de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		len = strlen(de->d_name) + 1;
		if (used + len > pcap) {
			char *np;

			pcap = (used + len) * 2 + 4096;
			np = realloc(pl, pcap);
			if (!np)
				cd_die(CD_EXIT_FAIL, "out of memory");
			pl = np;
		}
		if (n == cap) {
			char **nv;

			cap = cap ? cap * 2 : 64;
			nv = realloc(v, cap * sizeof *v);
			if (!nv)
				cd_die(CD_EXIT_FAIL, "out of memory");
			v = nv;
		}
		memcpy(pl + used, de->d_name, len);
		v[n++] = (char *)used; /* an offset until pl stops moving */
		used += len;
	}
	if (errno) {
		free(v);
		free(pl);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = pl + (size_t)v[i];
	*names = v;
	*pool = pl;
	return (long)n;
}

static int walk_dir(struct isotree *t, IsoDir *dir, int dfd, char **path,
                    size_t *cap, size_t plen, const struct ancestor *up)
{
	DIR *d = fdopendir(dfd);
	size_t sep = plen > 0 && (*path)[plen - 1] == '/' ? 0 : 1;
	char **names, *pool;
	long n;

	if (!d) {
		cd_error("%s: cannot read directory: %s", *path,
		         strerror(errno));
		close(dfd);
		return -1;
	}
	n = read_names(d, &names, &pool);
	if (n < 0) {
		cd_error("%s: cannot read directory: %s", *path,
		         strerror(errno));
		closedir(d);
		return -1;
	}
	/* libisofs keeps a directory's children in a sorted linked list and
	 * walks it from the smallest name on every insertion: names given
	 * largest first go in at the head, so a directory of n files costs
	 * n steps instead of n*n/4 (bench/: 1,000 files a directory) */
	if (n > 1)
		qsort(names, (size_t)n, sizeof *names, name_desc);
	for (long i = 0; i < n; i++) {
		size_t nlen = strlen(names[i]);

		if (plen + sep + nlen + 1 > *cap) {
			size_t ncap = (plen + sep + nlen + 1) * 2;
			char *np = realloc(*path, ncap);

			if (!np)
				cd_die(CD_EXIT_FAIL, "out of memory");
			*path = np;
			*cap = ncap;
		}
		if (sep)
			(*path)[plen] = '/';
		memcpy(*path + plen + sep, names[i], nlen + 1);
		add_entry(t, dir, dirfd(d), names[i], names[i], t->o->follow,
		          path, cap, plen + sep + nlen, up);
		(*path)[plen] = '\0';
	}
	free(names);
	free(pool);
	closedir(d);
	return 0;
}

/* The directory at image path target (made as needed, merging). */
static IsoDir *image_dir(struct isotree *t, const char *target)
{
	IsoDir *dir = iso_image_get_root(t->image);
	char *copy = strdup(target), *save = NULL;

	if (!copy)
		cd_die(CD_EXIT_FAIL, "out of memory");
	for (char *c = strtok_r(copy, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		IsoNode *node;
		IsoDir *sub;
		int r;

		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			cd_error("%s: '..' cannot name a place in the image",
			         target);
			free(copy);
			return NULL;
		}
		if (iso_dir_get_node(dir, c, &node) == 1) {
			if (iso_node_get_type(node) == LIBISO_DIR) {
				dir = (IsoDir *)node;
				continue;
			}
			iso_node_remove(node);
		}
		r = iso_tree_add_new_dir(dir, c, &sub);
		if (r < 0) {
			add_report(target, r);
			free(copy);
			return NULL;
		}
		iso_node_set_permissions(
		    (IsoNode *)sub,
		    t->o->new_dir_mode_set ? t->o->new_dir_mode : 0755);
		if (t->o->uid_set)
			iso_node_set_uid((IsoNode *)sub, t->o->uid);
		if (t->o->gid_set)
			iso_node_set_gid((IsoNode *)sub, t->o->gid);
		set_times((IsoNode *)sub, t->epoch, t->epoch, t->epoch);
		dir = sub;
	}
	free(copy);
	return dir;
}

/* Open the directory that holds path; *base is path's last component. */
static int open_parent(const char *path, const char **base)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int fd;

	if (!slash) {
		*base = path;
		return open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	*base = slash + 1;
	dir = strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		cd_die(CD_EXIT_FAIL, "out of memory");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	return fd;
}

int isotree_add(struct isotree *t, const char *pathspec)
{
	char *target = NULL, *source = NULL, *path, *slash, *name;
	size_t cap;
	struct stat st;
	IsoDir *parent;
	int ret = -1;

	if (t->o->graft_points) {
		if (isotree_split_graft(pathspec, &target, &source) < 0)
			cd_die(CD_EXIT_FAIL, "out of memory");
	} else {
		target = NULL;
		source = strdup(pathspec);
		if (!source)
			cd_die(CD_EXIT_FAIL, "out of memory");
	}
	if (!*source) {
		cd_error("'%s': no source path", pathspec);
		goto out;
	}
	/* a path given on the command line is followed if it is a link */
	if (stat(source, &st) < 0 && lstat(source, &st) < 0) {
		cd_error("%s: cannot stat: %s", source, strerror(errno));
		goto out;
	}
	cap = strlen(source) + 256;
	path = malloc(cap);
	if (!path)
		cd_die(CD_EXIT_FAIL, "out of memory");
	strcpy(path, source);

	if (S_ISDIR(st.st_mode)) {
		/* a directory's contents go into the target directory */
		struct ancestor me = {st.st_dev, st.st_ino, NULL};
		IsoDir *dir = image_dir(t, target ? target : "/");
		int fd;

		if (!dir) {
			free(path);
			goto out;
		}
		fd = open(source, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0) {
			cd_error("%s: cannot open directory: %s", source,
			         strerror(errno));
			free(path);
			goto out;
		}
		if (dir != iso_image_get_root(t->image) ||
		    !t->root_attrs_done) {
			set_attrs(t, (IsoNode *)dir, "", source, &st);
			if (dir == iso_image_get_root(t->image)) {
				t->root_attrs_done = 1;
				iso_node_set_hidden((IsoNode *)dir, 0);
			}
		}
		walk_dir(t, dir, fd, &path, &cap, strlen(path), &me);
		free(path);
		ret = 0;
		goto out;
	}

	/* a file: into the target's directory, under the target's name
	 * (or its own name when the target ends in '/' or is absent) */
	if (!target || !*target || target[strlen(target) - 1] == '/') {
		const char *base = strrchr(source, '/');

		base = base ? base + 1 : source;
		parent = image_dir(t, target ? target : "/");
		name = strdup(base);
	} else {
		slash = strrchr(target, '/');
		if (slash) {
			*slash = '\0';
			parent = image_dir(t, target);
			name = strdup(slash + 1);
		} else {
			parent = iso_image_get_root(t->image);
			name = strdup(target);
		}
	}
	if (!name)
		cd_die(CD_EXIT_FAIL, "out of memory");
	if (parent) {
		const char *own;
		int dfd = open_parent(source, &own);

		if (dfd < 0) {
			cd_error("%s: cannot open its directory: %s", source,
			         strerror(errno));
		} else {
			/* a link named on the command line is followed */
			add_entry(t, parent, dfd, own, name, 1, &path, &cap,
			          strlen(path), NULL);
			close(dfd);
			ret = 0;
		}
	}
	free(name);
	free(path);
out:
	free(target);
	free(source);
	return ret;
}

/* ------------------------------------------------------- old sessions */

static int burn_ds_open(IsoDataSource *src)
{
	return 1;
}

static int burn_ds_close(IsoDataSource *src)
{
	return 1;
}

static int burn_ds_read(IsoDataSource *src, uint32_t lba, uint8_t *buf)
{
	struct burn_drive *d = src->data;
	off_t count = 0;
	int r =
	    burn_read_data(d, (off_t)lba * 2048, (char *)buf, 2048, &count, 2);

	return r > 0 && count == 2048 ? 1 : ISO_DATA_SOURCE_FAILURE;
}

static void burn_ds_free(IsoDataSource *src)
{
}

/* Open an old session's medium through libburn: drives and stdio: paths */
static IsoDataSource *burn_source_open(struct isotree *t, const char *dev,
                                       int *status)
{
	static IsoDataSource ds;
	enum burn_disc_status s;

	device_init(t->o->verbose);
	t->burn_up = 1;
	if (device_open(&t->dev, dev, DEVICE_EXISTING, status) < 0)
		return NULL;
	s = burn_disc_get_status(t->dev.drive);
	if (s == BURN_DISC_EMPTY) {
		cd_error("%s: there is no medium in the drive", dev);
		*status = CD_EXIT_MEDIUM;
		return NULL;
	}
	/* libburn calls overwriteable media (and stdio: files) blank even
	 * when they hold an image: import_old looks at the data itself */
	t->old_blank = s == BURN_DISC_BLANK;
	ds.version = 0;
	ds.refcount = 1;
	ds.open = burn_ds_open;
	ds.close = burn_ds_close;
	ds.read_block = burn_ds_read;
	ds.free_data = burn_ds_free;
	ds.data = t->dev.drive;
	return &ds;
}

/* Remember which file or device the old session was read from: libburn's
 * address for a drive or stdio:, else the image file named with -M */
static void note_old_source(struct isotree *t)
{
	const char *path = t->dev.drive ? t->dev.adr : t->o->ms_dev;

	if (!strncmp(path, "stdio:", 6))
		path += 6;
	t->old_st_set = stat(path, &t->old_st) == 0;
}

int isotree_is_old_source(const struct isotree *t, const struct stat *st)
{
	const struct stat *m = &t->old_st;

	if (!t->old_st_set)
		return 0;
	if (st->st_dev == m->st_dev && st->st_ino == m->st_ino)
		return 1;
	/* two device nodes of one drive */
	return ((S_ISBLK(st->st_mode) && S_ISBLK(m->st_mode)) ||
	        (S_ISCHR(st->st_mode) && S_ISCHR(m->st_mode))) &&
	       st->st_rdev == m->st_rdev;
}

static int import_locked(struct isotree *t, int *status)
{
	const struct isotree_opts *o = t->o;
	IsoReadOpts *ropts;
	IsoReadImageFeatures *features = NULL;
	uint8_t block[2048];
	const char *dev = o->ms_dev;
	struct stat st;
	int r;

	*status = CD_EXIT_FAIL;
	if (!strncmp(dev, "stdio:", 6) ||
	    (stat(dev, &st) == 0 &&
	     (S_ISBLK(st.st_mode) || S_ISCHR(st.st_mode)))) {
		t->old = burn_source_open(t, dev, status);
		if (!t->old)
			return -1;
	} else {
		if (stat(dev, &st) < 0) {
			cd_error("%s: cannot open the image given with -M: %s",
			         dev, strerror(errno));
			return -1;
		}
		r = iso_data_source_new_from_file(dev, &t->old);
		if (r < 0) {
			cd_error("%s: cannot open the image given with -M: %s",
			         dev, iso_error_to_msg(r));
			return -1;
		}
	}
	if (t->old->open(t->old) < 0 ||
	    t->old->read_block(t->old, o->ms_last + 16, block) < 0 ||
	    memcmp(block + 1, "CD001", 5) != 0 || block[0] != 1) {
		if (t->old_blank) {
			cd_error(
			    "%s: the medium is blank: there is no previous "
			    "session to import; leave out -C and -M for the "
			    "first session",
			    dev);
			*status = CD_EXIT_MEDIUM;
		} else
			cd_error(
			    "%s: no ISO 9660 volume starts at block %" PRIu32
			    " (the first number of -C): it is not an ISO "
			    "image or medium, or -C does not belong to it",
			    dev, o->ms_last);
		if (t->old->close)
			t->old->close(t->old);
		return -1;
	}
	t->old->close(t->old);
	if (iso_read_opts_new(&ropts, 0) < 0)
		cd_die(CD_EXIT_FAIL, "out of memory");
	iso_read_opts_set_start_block(ropts, o->ms_last);
	if (o->input_charset)
		iso_read_opts_set_input_charset(ropts, t->charset);
	r = iso_image_import(t->image, t->old, ropts, &features);
	iso_read_opts_free(ropts);
	isowrite_flush_msgs();
	if (r < 0) {
		cd_error("%s: cannot read the previous session at block "
		         "%" PRIu32 ": %s",
		         dev, o->ms_last, iso_error_to_msg(r));
		return -1;
	}
	if (features)
		iso_read_image_features_destroy(features);
	note_old_source(t);
	*status = 0;
	return 0;
}

static int import_old(struct isotree *t, int *status)
{
	const char *dev = t->o->ms_dev;
	int r, lock;

	/* an image file is read while no cdwrite writes to it (a shared
	 * lock, waited for), so the session seen is whole; held only while
	 * the old session is read, so that isomk -M X | cdwrite dev=X - can
	 * take its exclusive lock when the data comes */
	lock = device_lock_path(strncmp(dev, "stdio:", 6) ? dev : dev + 6, 0, 1,
	                        status);
	if (lock == -1)
		return -1;
	r = import_locked(t, status);
	if (lock >= 0)
		close(lock);
	return r;
}

/* ------------------------------------------------------------- image */

static void set_charset(struct isotree *t)
{
	const char *cs = t->o->input_charset;

	if (!cs) {
		/* mkisofs takes the locale's charset; in the C locale that
		 * is ASCII, which would mangle every non-ASCII name: take
		 * UTF-8, what file names are today */
		cs = nl_langinfo(CODESET);
		if (!cs || !strcmp(cs, "ANSI_X3.4-1968") ||
		    !strcmp(cs, "ASCII"))
			cs = "UTF-8";
	}
	if (!strcasecmp(cs, "utf8") || !strcasecmp(cs, "utf-8"))
		cs = "UTF-8";
	snprintf(t->charset, sizeof t->charset, "%s", cs);
	t->conv = (iconv_t)-1;
	if (strcmp(t->charset, "UTF-8") != 0) {
		t->conv = iconv_open("UTF-8", t->charset);
		if (t->conv == (iconv_t)-1)
			cd_usage("-input-charset %s: not a charset this system "
			         "knows (iconv -l lists them)",
			         t->charset);
	}
	iso_set_local_charset(t->charset, 0);
}

struct isotree *isotree_new(const struct isotree_opts *o, int *status)
{
	struct isotree *t = calloc(1, sizeof *t);
	int r;

	*status = CD_EXIT_FAIL;
	if (!t)
		cd_die(CD_EXIT_FAIL, "out of memory");
	t->conv = (iconv_t)-1;
	lib_init();
	isowrite_verbose = o->verbose;
	t->o = o;
	t->level = o->iso_level;
	t->epoch_set = getenv("SOURCE_DATE_EPOCH") != NULL;
	t->epoch = made_time();
	if (o->full_names && t->level < 2)
		t->level = 2;
	set_charset(t);
	t->tab = isowrite_tab_new();
	if (!t->tab)
		cd_die(CD_EXIT_FAIL, "cannot set up the file table");
	r = iso_image_new(o->volid ? o->volid : "CDROM", &t->image);
	if (r < 0)
		cd_die(CD_EXIT_FAIL, "cannot make an image: %s",
		       iso_error_to_msg(r));
	set_times((IsoNode *)iso_image_get_root(t->image), t->epoch, t->epoch,
	          t->epoch);
	iso_image_set_application_id(
	    t->image,
	    (char *)(o->appid ? o->appid : "CDPIPE ISOMK " PACKAGE_VERSION));
	if (o->preparer)
		iso_image_set_data_preparer_id(t->image, (char *)o->preparer);
	if (o->publisher)
		iso_image_set_publisher_id(t->image, (char *)o->publisher);
	iso_image_set_system_id(t->image,
	                        (char *)(o->sysid ? o->sysid : "LINUX"));
	/* none unless asked for, as genisoimage and xorriso (libisofs
	 * would repeat the volume id) */
	iso_image_set_volset_id(t->image, (char *)(o->volset ? o->volset : ""));
	if (o->abstract)
		iso_image_set_abstract_file_id(t->image, o->abstract);
	if (o->biblio)
		iso_image_set_biblio_file_id(t->image, o->biblio);
	if (o->copyright)
		iso_image_set_copyright_file_id(t->image, o->copyright);
	if (o->ms_dev && import_old(t, status) < 0) {
		isotree_free(t);
		return NULL;
	}
	if (o->ms_dev && o->volid)
		iso_image_set_volume_id(t->image, (char *)o->volid);
	extra_new(t);
	*status = 0;
	return t;
}

/*
 * Whether some directory lies at least `want` levels below dir (dir's
 * children are one level down). The walk stops at `want`, so its depth is
 * bounded whatever the tree.
 */
static int deeper_than(IsoDir *dir, int want)
{
	IsoDirIter *it;
	IsoNode *node;
	int found = 0;

	if (want <= 0)
		return 1;
	if (iso_dir_get_children(dir, &it) < 0)
		return 0;
	while (!found && iso_dir_iter_next(it, &node) == 1)
		if (iso_node_get_type(node) == LIBISO_DIR)
			found = deeper_than((IsoDir *)node, want - 1);
	iso_dir_iter_free(it);
	return found;
}

/*
 * libisofs relocates a directory at level 9 (root is level 1) to
 * /rr_moved/NAME at level 3, so a directory 14 levels below the root is
 * relocated a second time, into /rr_moved beside the first. Readers that
 * walk the image in block order cannot follow that: libisofs lays out its
 * directories depth first in name order, the first CL entry is then met
 * before the second RE directory, and bsdtar (libarchive 3.6) fails with
 * "Failed to connect 'CL' pointer to 'RE'" and leaves the deep files out
 * (genisoimage puts rr_moved's directories first, libisofs cannot be told
 * to). Such a tree is written unrelocated, as xorriso -as mkisofs writes
 * every tree: Rock Ridge readers (bsdtar, xorriso, 7z, isoinfo, the
 * kernel) all see it at its real paths.
 */
#define RELOCATED_TWICE 14

static int relocate(struct isotree *t)
{
	const struct isotree_opts *o = t->o;

	if (o->deep)
		return 0;
	/* without Rock Ridge no CL entry leads to a relocated directory:
	 * libisofs left it out (an empty RR_MOVED, exit 0) */
	if (!(o->rock || o->rational || o->md5))
		return 0;
	if (deeper_than(iso_image_get_root(t->image), RELOCATED_TWICE)) {
		if (o->verbose)
			cd_warn("directories %d levels deep: not relocated "
			        "(readers cannot follow a relocation twice)",
			        RELOCATED_TWICE);
		return 0;
	}
	return 1;
}

static IsoWriteOpts *make_opts(struct isotree *t)
{
	const struct isotree_opts *o = t->o;
	IsoWriteOpts *w;

	if (iso_write_opts_new(&w, 0) < 0)
		cd_die(CD_EXIT_FAIL, "out of memory");
	iso_write_opts_set_iso_level(w, t->level > 3 ? 3 : t->level);
	if (t->level == 4)
		iso_write_opts_set_iso1999(w, 1);
	iso_write_opts_set_rockridge(w, o->rock || o->rational);
	iso_write_opts_set_joliet(w, o->joliet);
	if (o->joliet_long) {
		iso_write_opts_set_joliet_long_names(w, 1);
		iso_write_opts_set_joliet_longer_paths(w, 1);
	}
	/* -L: a leading dot (and the other 7-bit characters) kept, letters
	 * still upper case, as xorriso -as mkisofs -L makes them */
	if (o->leading_dots)
		iso_write_opts_set_allow_7bit_ascii(w, 1);
	/* a Joliet name is the file's name: no ";1" after it and no dot
	 * added to one that has none ("README", not "README.;1"), as
	 * genisoimage and xorriso write it; -N and -d: none in ISO 9660
	 * names either */
	iso_write_opts_set_omit_version_numbers(w, o->omit_version ? 1 : 2);
	iso_write_opts_set_no_force_dots(w, 2 | (o->omit_period ? 1 : 0));
	/* libisofs makes the relocation directory only when a directory
	 * is relocated, and marks it RE so that Rock Ridge readers (the
	 * kernel, xorriso, bsdtar) do not show it; Joliet, which has no
	 * such mark, shows it empty (genisoimage hides it there, but a
	 * directory made here to be hidden would lose the RE mark) */
	if (relocate(t))
		iso_write_opts_set_rr_reloc(
		    w, o->hide_rr_moved ? ".rr_moved" : "rr_moved", 1);
	else
		iso_write_opts_set_allow_deep_paths(w, 1);
	/* Rock Ridge as genisoimage writes it, RRIP 1.10, with the inode
	 * numbers in PX entries that keep hard links together, as xorriso
	 * -as mkisofs --hardlinks writes them. RRIP 1.12 (libisofs's
	 * default) puts NM entries with the CURRENT and PARENT flags on "."
	 * and "..", which bsdtar (libarchive 3.6) takes for a name: every
	 * path it listed began with "./". */
	iso_write_opts_set_hardlinks(w, o->rock || o->rational);
	iso_write_opts_set_rrip_version_1_10(w, 1);
	iso_write_opts_set_rrip_1_10_px_ino(w, 1);
	iso_write_opts_set_dir_rec_mtime(w, 7);
	/* volume and volume set ids as given, as mkisofs keeps them (the
	 * other ids libisofs stores upper case all the same) */
	iso_write_opts_set_relaxed_vol_atts(w, 1);
	iso_write_opts_set_always_gmt(w, 1);
	if (t->epoch_set) {
		time_t when = t->epoch;
		char uuid[32];
		struct tm tm;

		gmtime_r(&when, &tm);
		strftime(uuid, sizeof uuid, "%Y%m%d%H%M%S00", &tm);
		iso_write_opts_set_pvd_times(w, when, when, 0, 0, uuid);
	}
	extra_opts(t, w);
	/* the GPT disk GUID (-isohybrid-gpt-basdat, -appended_part_as_gpt)
	 * from the volume's uuid, not at random, when that is fixed: an image
	 * made with SOURCE_DATE_EPOCH is the same every time */
	if ((t->epoch_set && !(o->vol_set & 3)) || o->vol_uuid) {
		uint8_t unused[16] = {0};

		iso_write_opts_set_gpt_guid(w, unused, 2);
	}
	if (o->md5) {
		/* readers find the checksum array through an AAIP attribute
		 * of the root directory, which lives in Rock Ridge fields */
		iso_write_opts_set_rockridge(w, 1);
		iso_write_opts_set_aaip(w, 1);
		iso_write_opts_set_record_md5(w, 1, 1);
	}
	if (o->pad)
		iso_write_opts_set_tail_blocks(w, 150);
	if (o->ms) {
		iso_write_opts_set_appendable(w, 1);
		iso_write_opts_set_ms_block(w, o->ms_next);
	}
	isoboot_write_opts(&o->boot, &t->boot, w);
	return w;
}

int isotree_boot(struct isotree *t)
{
	int status = 0;

	if (isoboot_apply(&t->o->boot, t->image, t->o->quiet, &t->boot,
	                  &status) < 0) {
		cd_raise(status ? status : CD_EXIT_FAIL);
		return -1;
	}
	return 0;
}

static int trans_fill(const unsigned char *buf, size_t len, void *ctx)
{
	struct isotree *t = ctx;
	const struct isotree_opts *o = t->o;

	return isotrans_fill(t->image, o->trans_name, o->trans_hide_joliet,
	                     t->epoch, o->rock || o->rational, buf, len,
	                     o->ms ? o->ms_next : 0, &t->trans_need);
}

int isotree_trans(struct isotree *t)
{
	const struct isotree_opts *o = t->o;
	IsoWriteOpts *w;
	int replaced, r;

	if (!o->trans_name)
		return 0;
	r = isotrans_add(t->image, o->trans_name, o->trans_hide_joliet,
	                 t->epoch, &replaced);
	if (r < 0) {
		cd_raise(r == -2 ? CD_EXIT_USAGE : CD_EXIT_FAIL);
		return -1;
	}
	if (replaced && !o->quiet)
		cd_note("-T: %d file%s named %s in the tree replaced by "
		        "translation tables",
		        replaced, replaced == 1 ? "" : "s", o->trans_name);
	/* the real names are read from Rock Ridge: laid out with it, which
	 * changes no ISO 9660 name */
	w = make_opts(t);
	iso_write_opts_set_rockridge(w, 1);
	r = isowrite_head(t->image, w, t->tab, trans_fill, t);
	iso_write_opts_free(w);
	if (r < 0)
		cd_raise(CD_EXIT_FAIL);
	return r;
}

int isotree_finish(struct isotree *t)
{
	return extra_late(t);
}

int isotree_size(struct isotree *t, uint64_t *bytes)
{
	IsoWriteOpts *w;
	int r;

	if (extra_late(t) < 0)
		return -1;
	w = make_opts(t);
	r = isowrite_size(t->image, w, bytes);

	iso_write_opts_free(w);
	return r;
}

int isotree_write(struct isotree *t, int fd, uint64_t *written)
{
	IsoWriteOpts *w;
	int r;

	if (extra_late(t) < 0)
		return -1;
	w = make_opts(t);
	r = isowrite_run(t->image, w, t->tab, fd, !t->o->md5, t->o->progress,
	                 written);

	iso_write_opts_free(w);
	return r;
}

void isotree_free(struct isotree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nzq; i++)
		iso_node_unref(t->zq[i].user);
	free(t->zq);
	zisofs_end();
	if (t->image)
		iso_image_unref(t->image);
	isowrite_tab_free(t->tab);
	isoboot_state_free(&t->boot);
	if (t->conv != (iconv_t)-1)
		iconv_close(t->conv);
	for (size_t i = 0; i < t->n_sort_globs; i++)
		free(t->sort_globs[i].glob);
	free(t->sort_globs);
	if (t->old && t->old->free_data != burn_ds_free)
		iso_data_source_unref(t->old);
	if (t->burn_up) {
		device_close(&t->dev, 0);
		device_finish();
	}
	free(t);
}
