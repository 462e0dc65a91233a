/* digest: checksums of a stream as it passes. See digest.h. */
#include "digest.h"

#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void digest_init(struct digest *d, int md5, int sha256)
{
	memset(d, 0, sizeof *d);
	d->md5 = md5;
	d->sha256 = sha256;
	if (md5)
		md5_init(&d->m);
	if (sha256)
		sha256_init(&d->s);
}

void digest_update(struct digest *d, const void *buf, size_t len)
{
	if (d->md5)
		md5_update(&d->m, len, buf);
	if (d->sha256)
		sha256_update(&d->s, len, buf);
	d->bytes += len;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

void digest_hex(struct digest *d, const char *kind, char *out)
{
	uint8_t b[SHA256_DIGEST_SIZE];

	if (!strcmp(kind, "md5")) {
		md5_digest(&d->m, MD5_DIGEST_SIZE, b);
		hex(b, MD5_DIGEST_SIZE, out);
	} else {
		sha256_digest(&d->s, SHA256_DIGEST_SIZE, b);
		hex(b, SHA256_DIGEST_SIZE, out);
	}
}

void digest_report(struct digest *d)
{
	char h[2 * SHA256_DIGEST_SIZE + 1];

	if (d->md5) {
		digest_hex(d, "md5", h);
		fprintf(stderr, "%s: md5 of %" PRIu64 " bytes: %s\n", cd_prog,
		        d->bytes, h);
	}
	if (d->sha256) {
		digest_hex(d, "sha256", h);
		fprintf(stderr, "%s: sha256 of %" PRIu64 " bytes: %s\n",
		        cd_prog, d->bytes, h);
	}
}
