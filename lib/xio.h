/* xio: checked I/O on file descriptors: full writes that survive EINTR
 * and short writes, the broken-pipe convention (a closed pipe downstream
 * ends the program quietly, as a Unix filter killed by SIGPIPE), refusing
 * binary output to a terminal, and whether the reader of a pipe went
 * away (cli.h cd_exit closes stdout). */
#ifndef CDPIPE_XIO_H
#define CDPIPE_XIO_H

#include <stddef.h>
#include <sys/types.h>

/* Call once at start: SIGPIPE is ignored so that EPIPE reaches the code
 * that can clean up (xio_write_all then ends the program quietly), and so
 * is SIGXFSZ, so that a file size limit (ulimit -f) is a write error
 * (EFBIG) the program reports and cleans up after, not a silent death
 * that leaves a cut file. A closed standard stream is held by /dev/null
 * (read-only: writing standard output then fails), so that no file
 * opened later gets its number. */
void xio_init(void);

/* A file being written under its final name: a signal that ends the
 * program (SIGINT, SIGTERM, SIGHUP) removes it first, so that no half
 * written file is left to look whole. name is relative to dirfd
 * (AT_FDCWD: the working directory) and must stay valid; NULL when the
 * file is complete. */
void xio_partial(int dirfd, const char *name);

/* Write all of buf to fd. Returns 0, or -1 with errno set. On EPIPE the
 * program ends here, quietly, with the status of a SIGPIPE death. */
int xio_write_all(int fd, const void *buf, size_t len);

/* Write len zero bytes. Same contract as xio_write_all. */
int xio_write_zeros(int fd, size_t len);

/* Read up to len bytes at offset, retrying short reads and EINTR.
 * Returns bytes read (less than len only at end of file) or -1. */
ssize_t xio_pread_all(int fd, void *buf, size_t len, off_t off);

/* End the program as a filter whose reader went away: quietly. */
void xio_broken_pipe(void) __attribute__((noreturn));

/* Has the reader of the pipe (or socket) fd writes to gone away? 1 or 0;
 * 0 for anything that is no pipe. Asked without writing. */
int xio_reader_gone(int fd);

/* Refuse binary output to a terminal: exits with status 2 and a message
 * naming what to do instead, unless fd is not a terminal. */
void xio_refuse_tty(int fd, const char *what);

/* A copier moves byte ranges of files to one output the fastest way the
 * output allows: splice(2) to a pipe (whose buffer is made 1 MiB: half
 * the time of the 64 KiB default, measured by bench/), copy_file_range(2)
 * to a regular file, where holes in the source stay holes when the output
 * is written at its end, and pread+write otherwise. */
struct xio_copier {
	int out;
	int method;
	int sparse;  /* out is a regular file written at its end */
	int skipped; /* a hole was skipped: xio_copier_end must set the size */
	char *buf;
};

void xio_copier_init(struct xio_copier *c, int out);

/* Move len bytes of in at off to the output. in_size is in's size when it
 * was opened (holes are only looked for below it). Returns the bytes
 * moved, fewer only at end of file; -1 when writing failed, -2 when
 * reading failed, or when splice/copy_file_range failed and did not say
 * which side (errno set; a full disk or file size limit is the output's). A
 * broken pipe ends the program quietly. */
ssize_t xio_copy(struct xio_copier *c, int in, off_t off, size_t len,
                 off_t in_size);

/* Finish: a hole at the very end must still count. 0, or -1 (errno). */
int xio_copier_end(struct xio_copier *c);

#endif
