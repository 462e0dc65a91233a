/* xio: checked I/O on file descriptors: full writes that survive EINTR
 * and short writes, the broken-pipe convention (a closed pipe downstream
 * ends the program quietly, as a Unix filter killed by SIGPIPE), refusing
 * binary output to a terminal, and a checked close of stdout. */
#ifndef CDPIPE_XIO_H
#define CDPIPE_XIO_H

#include <stddef.h>
#include <sys/types.h>

/* Call once at start: SIGPIPE is ignored so that EPIPE reaches the code
 * that can clean up; xio_write_all then ends the program quietly. */
void xio_init(void);

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

/* Refuse binary output to a terminal: exits with status 2 and a message
 * naming what to do instead, unless fd is not a terminal. */
void xio_refuse_tty(int fd, const char *what);

/* Close stdout and report a failure (full disk, I/O error) with exit 1. */
void xio_close_stdout(void);

#endif
