/* digest: checksums of a stream as it passes (cdread --md5 --sha256),
 * with nettle's MD5 and SHA-256, so that a copy and its proof take one
 * pass over the medium.
 *
 * The hashing runs in a thread of its own, fed through a ring of four
 * 1 MiB slots: the copy reads and writes while the last chunk is hashed,
 * so a copy with --md5 takes as long as the slower of the two, as
 * `dd | md5sum` does with two processes (bench/cdread-bench.sh: in one
 * thread, cdread --md5 of a 2 GiB image took 1.17 times as long as dd |
 * md5sum). A copy that reads into the slot digest_slot gives it hashes
 * with no copy of the data. Without threads (pthread_create fails) it
 * hashes in line. Small updates are gathered into a slot until it is
 * full, so that the thread is woken once a MiB, not once a read. */
#ifndef CDPIPE_DIGEST_H
#define CDPIPE_DIGEST_H

#include <nettle/md5.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#define DIGEST_SLOTS 4
#define DIGEST_SLOT (1024 * 1024)

struct digest {
	int md5, sha256; /* which to compute */
	struct md5_ctx m;
	struct sha256_ctx s;
	uint64_t bytes;

	/* the hashing thread and its ring */
	int started, inline_only, done, finished;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned char *slot[DIGEST_SLOTS];
	size_t len[DIGEST_SLOTS];
	unsigned head, tail; /* slots filled, slots hashed */
	size_t fill;         /* bytes copied into slot head, not yet given */
};

void digest_init(struct digest *d, int md5, int sha256);
void digest_update(struct digest *d, const void *buf, size_t len);

/* A buffer of DIGEST_SLOT bytes for the next chunk of the stream, or NULL
 * (no thread: use one of your own). Read into it, then digest_update it
 * from its start (up to DIGEST_SLOT bytes, once): it is hashed where it
 * is, and stays readable (to be written out) until the next
 * digest_slot. */
unsigned char *digest_slot(struct digest *d);

/* Finish and put the hex digest of kind "md5" or "sha256" into hex (at
 * least 65 bytes). */
void digest_hex(struct digest *d, const char *kind, char *hex);

/* Finish and say each on stderr: "prog: md5 of N bytes: HEX". */
void digest_report(struct digest *d);

/* Stop the thread and free the ring (digest_hex and digest_report do;
 * for a digest that is not reported). */
void digest_end(struct digest *d);

#endif
