/* digest: checksums of a stream as it passes (cdread --md5 --sha256),
 * with nettle's MD5 and SHA-256, so that a copy and its proof take one
 * pass over the medium. */
#ifndef CDPIPE_DIGEST_H
#define CDPIPE_DIGEST_H

#include <nettle/md5.h>
#include <nettle/sha2.h>
#include <stddef.h>
#include <stdint.h>

struct digest {
	int md5, sha256; /* which to compute */
	struct md5_ctx m;
	struct sha256_ctx s;
	uint64_t bytes;
};

void digest_init(struct digest *d, int md5, int sha256);
void digest_update(struct digest *d, const void *buf, size_t len);

/* Finish and put the hex digest of kind "md5" or "sha256" into hex (at
 * least 65 bytes). */
void digest_hex(struct digest *d, const char *kind, char *hex);

/* Finish and say each on stderr: "prog: md5 of N bytes: HEX". */
void digest_report(struct digest *d);

#endif
