/* zisofs: compress files into the zisofs format (version 1, as mkzftree
 * and libisofs write it: a 16-byte header with the magic number, the
 * uncompressed size, header size 4 and block size 2^15; a table of
 * blocks + 1 little-endian offsets; each 32 KiB block zlib-compressed at
 * level 6, an all-zero block as a block of length 0), byte for byte what
 * libisofs's zisofs filter makes of the same file.
 *
 * Why not libisofs's filter (measured, bench/isomk-bench.sh zisofs): it
 * compresses every file twice, once to learn the size for the layout and
 * once to write, in one thread. zisofs_run compresses each file once, on
 * every core, into a scratch file that the image is then made from: the
 * fast writer copies the compressed bytes as it copies any file. The
 * scratch files are unlinked from the start (O_TMPFILE), so nothing is
 * left behind whatever ends the program. */
#ifndef CDPIPE_ZISOFS_H
#define CDPIPE_ZISOFS_H

#include <stdint.h>
#include <sys/types.h>

#define ZISOFS_LOG2 15

/* One file to compress, and what became of it. */
struct zisofs_job {
	const char *path; /* the source file */
	off_t size;       /* its size when listed */
	dev_t dev;        /* and which file it is (hard links: the caller's) */
	ino_t ino;
	void *user;
	/* the result */
	int done;  /* 1 compressed, 0 stored as it is (no gain, a read
	              error, a size that changed: the writer says those),
	              -1 not tried */
	int fd;    /* the scratch file holding it (not to be closed) */
	off_t off; /* where in it */
	off_t len; /* compressed bytes */
};

/* Compress the n jobs with up to threads threads (0: one a core), into
 * scratch files in dir (NULL: $TMPDIR or /tmp). A file that does not get
 * smaller in 2048-byte blocks stays as it is (done 0). Returns 0, or -1
 * when no scratch file could be made (said; every job is then done -1).
 * The scratch files stay open until zisofs_end. */
int zisofs_run(struct zisofs_job *v, size_t n, int threads, const char *dir);
void zisofs_end(void);

#endif
