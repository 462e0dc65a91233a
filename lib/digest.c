/* digest: checksums of a stream as it passes. See digest.h. */
#include "digest.h"

#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
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

static void hash(struct digest *d, const unsigned char *p, size_t len)
{
	if (d->md5)
		md5_update(&d->m, len, p);
	if (d->sha256)
		sha256_update(&d->s, len, p);
}

static void *worker(void *arg)
{
	struct digest *d = arg;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		unsigned i;

		while (d->tail == d->head && !d->done)
			pthread_cond_wait(&d->cv, &d->mu);
		if (d->tail == d->head)
			break;
		i = d->tail % DIGEST_SLOTS;
		pthread_mutex_unlock(&d->mu);
		hash(d, d->slot[i], d->len[i]);
		pthread_mutex_lock(&d->mu);
		d->tail++;
		pthread_cond_broadcast(&d->cv);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

static int start(struct digest *d)
{
	for (int i = 0; i < DIGEST_SLOTS; i++) {
		d->slot[i] = malloc(DIGEST_SLOT);
		if (!d->slot[i])
			cd_die(CD_EXIT_FAIL, "out of memory");
	}
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	if (pthread_create(&d->th, NULL, worker, d) != 0) {
		for (int i = 0; i < DIGEST_SLOTS; i++)
			free(d->slot[i]);
		pthread_mutex_destroy(&d->mu);
		pthread_cond_destroy(&d->cv);
		d->inline_only = 1;
		return -1;
	}
	d->started = 1;
	return 0;
}

/* Give slot head, len bytes, to the thread */
static void publish(struct digest *d, size_t len)
{
	d->len[d->head % DIGEST_SLOTS] = len;
	d->fill = 0;
	pthread_mutex_lock(&d->mu);
	d->head++;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
}

/* Wait until slot head is free (the thread has hashed it) */
static void wait_slot(struct digest *d)
{
	pthread_mutex_lock(&d->mu);
	while (d->head - d->tail == DIGEST_SLOTS)
		pthread_cond_wait(&d->cv, &d->mu);
	pthread_mutex_unlock(&d->mu);
}

unsigned char *digest_slot(struct digest *d)
{
	unsigned i;

	if (d->finished || (!d->md5 && !d->sha256))
		return NULL;
	if (!d->started && (d->inline_only || start(d) < 0))
		return NULL;
	if (d->fill > 0)
		publish(d, d->fill); /* what was gathered goes first */
	wait_slot(d);
	i = d->head % DIGEST_SLOTS;
	return d->slot[i];
}

void digest_update(struct digest *d, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	d->bytes += len;
	if (d->finished || (!d->md5 && !d->sha256))
		return;
	if (!d->started && (d->inline_only || start(d) < 0)) {
		hash(d, p, len);
		return;
	}
	/* the slot digest_slot gave (and waited for): hashed where it is */
	if (len && len <= DIGEST_SLOT && d->fill == 0 &&
	    p == d->slot[d->head % DIGEST_SLOTS]) {
		publish(d, len);
		return;
	}
	while (len) {
		size_t n;

		/* the slot is the writer's until head moves past it */
		if (d->fill == 0)
			wait_slot(d);
		n = DIGEST_SLOT - d->fill < len ? DIGEST_SLOT - d->fill : len;
		memcpy(d->slot[d->head % DIGEST_SLOTS] + d->fill, p, n);
		d->fill += n;
		if (d->fill == DIGEST_SLOT)
			publish(d, d->fill);
		p += n;
		len -= n;
	}
}

void digest_end(struct digest *d)
{
	if (d->finished)
		return;
	if (d->started && d->fill > 0)
		publish(d, d->fill); /* the last, partly filled slot */
	d->finished = 1;
	if (!d->started)
		return;
	pthread_mutex_lock(&d->mu);
	d->done = 1;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->th, NULL);
	for (int i = 0; i < DIGEST_SLOTS; i++)
		free(d->slot[i]);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->cv);
	d->started = 0;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

void digest_hex(struct digest *d, const char *kind, char *out)
{
	uint8_t b[SHA256_DIGEST_SIZE];

	digest_end(d);
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
