/* tape: the cdtape volume format (see tape.h). */
#include "config.h"

#include "tape.h"

#include <errno.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static void put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void sha256(const void *p, size_t n, unsigned char out[TAPE_SHA_LEN])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, TAPE_SHA_LEN, out);
}

int tape_new_id(unsigned char id[TAPE_ID_LEN])
{
	size_t got = 0;

	while (got < TAPE_ID_LEN) {
		ssize_t r = getrandom(id + got, TAPE_ID_LEN - got, 0);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int tape_header_init(struct tape_header *h, uint64_t date)
{
	memset(h, 0, sizeof *h);
	h->version = TAPE_VERSION;
	h->volume = 1;
	h->offset = TAPE_HEADER_SIZE;
	h->date = date;
	sha256("", 0, h->sha_volume);
	sha256("", 0, h->sha_total);
	return tape_new_id(h->id);
}

/* The length of the UTF-8 sequence at s (shortest form, no surrogates,
 * at most U+10FFFF), or 0 when it is none. */
static size_t utf8_seq(const unsigned char *s, size_t left)
{
	unsigned c = s[0];
	size_t n;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	/* C1 controls (U+0080 .. U+009F) */
	if (n == 2 && cp < 0xa0)
		return 0;
	return n;
}

static const char *label_bytes_invalid(const unsigned char *s, size_t len)
{
	size_t i = 0;

	if (len > TAPE_LABEL_MAX)
		return "longer than 255 bytes";
	while (i < len) {
		size_t n;

		if (s[i] < 0x20 || s[i] == 0x7f)
			return "a control character";
		n = utf8_seq(s + i, len - i);
		if (n == 0)
			return "not UTF-8 text";
		i += n;
	}
	return NULL;
}

const char *tape_label_invalid(const char *s)
{
	return label_bytes_invalid((const unsigned char *)s, strlen(s));
}

const char *tape_check(const struct tape_header *h)
{
	if (h->version != TAPE_VERSION)
		return "format version not 1";
	if (h->volume < 1 || h->volume > TAPE_VOLUME_MAX)
		return "volume number out of range (1 to 65535)";
	if (h->flags & ~(uint32_t)TAPE_FLAGS_KNOWN)
		return "unknown flags";
	if (h->offset < TAPE_HEADER_SIZE || h->offset > TAPE_OFFSET_MAX ||
	    h->offset % TAPE_HEADER_SIZE)
		return "payload offset not a multiple of 2048 from 2048 to 1 "
		       "MiB";
	if (h->length > TAPE_LENGTH_MAX)
		return "payload length past 2^53 bytes";
	if (h->total > TAPE_TOTAL_MAX || h->total < h->length)
		return "total payload less than this volume's or past 2^60 "
		       "bytes";
	if (h->volume == 1 && h->total != h->length)
		return "total payload of volume 1 not its length";
	if (memchr(h->label, 0, sizeof h->label) == NULL)
		return "label not terminated";
	if (label_bytes_invalid((const unsigned char *)h->label,
	                        strlen(h->label)))
		return "label not UTF-8 text of at most 255 bytes";
	return NULL;
}

int tape_encode(const struct tape_header *h,
                unsigned char buf[TAPE_HEADER_SIZE])
{
	size_t ll;

	if (tape_check(h))
		return -1;
	ll = strlen(h->label);
	memset(buf, 0, TAPE_HEADER_SIZE);
	memcpy(buf + TAPE_OFF_MAGIC, TAPE_MAGIC, sizeof TAPE_MAGIC - 1);
	put_be(buf + TAPE_OFF_VERSION, h->version, 4);
	put_be(buf + TAPE_OFF_HLEN, TAPE_HEADER_SIZE, 4);
	memcpy(buf + TAPE_OFF_ID, h->id, TAPE_ID_LEN);
	put_be(buf + TAPE_OFF_VOLUME, h->volume, 4);
	put_be(buf + TAPE_OFF_FLAGS, h->flags, 4);
	put_be(buf + TAPE_OFF_OFFSET, h->offset, 8);
	put_be(buf + TAPE_OFF_LENGTH, h->length, 8);
	put_be(buf + TAPE_OFF_TOTAL, h->total, 8);
	put_be(buf + TAPE_OFF_DATE, h->date, 8);
	memcpy(buf + TAPE_OFF_SHA_VOLUME, h->sha_volume, TAPE_SHA_LEN);
	memcpy(buf + TAPE_OFF_SHA_TOTAL, h->sha_total, TAPE_SHA_LEN);
	put_be(buf + TAPE_OFF_LABEL_LEN, ll, 2);
	memcpy(buf + TAPE_OFF_LABEL, h->label, ll);
	sha256(buf, TAPE_OFF_SELF, buf + TAPE_OFF_SELF);
	return 0;
}

static enum tape_error fail(enum tape_error e, char *why, size_t whylen,
                            const char *msg)
{
	if (why && whylen)
		snprintf(why, whylen, "%s", msg);
	return e;
}

enum tape_error tape_decode(const unsigned char *buf, size_t len,
                            struct tape_header *h, char *why, size_t whylen)
{
	unsigned char self[TAPE_SHA_LEN];
	const char *bad;
	uint64_t ll;

	memset(h, 0, sizeof *h);
	if (len < TAPE_HEADER_SIZE)
		return fail(TAPE_E_MAGIC, why, whylen,
		            "shorter than a cdtape header");
	if (memcmp(buf, TAPE_MAGIC "\0", TAPE_MAGIC_LEN) != 0)
		return fail(TAPE_E_MAGIC, why, whylen,
		            "no cdtape header (magic)");
	h->version = (unsigned)get_be(buf + TAPE_OFF_VERSION, 4);
	if (h->version != TAPE_VERSION) {
		if (why && whylen)
			snprintf(why, whylen,
			         "cdtape format version %u, this program "
			         "reads version %d",
			         h->version, TAPE_VERSION);
		return TAPE_E_VERSION;
	}
	if (get_be(buf + TAPE_OFF_HLEN, 4) != TAPE_HEADER_SIZE)
		return fail(TAPE_E_FIELD, why, whylen,
		            "header length not 2048");
	sha256(buf, TAPE_OFF_SELF, self);
	if (memcmp(self, buf + TAPE_OFF_SELF, TAPE_SHA_LEN) != 0)
		return fail(TAPE_E_CHECKSUM, why, whylen,
		            "header checksum does not match (damaged header)");
	memcpy(h->id, buf + TAPE_OFF_ID, TAPE_ID_LEN);
	h->volume = (uint32_t)get_be(buf + TAPE_OFF_VOLUME, 4);
	h->flags = (uint32_t)get_be(buf + TAPE_OFF_FLAGS, 4);
	h->offset = get_be(buf + TAPE_OFF_OFFSET, 8);
	h->length = get_be(buf + TAPE_OFF_LENGTH, 8);
	h->total = get_be(buf + TAPE_OFF_TOTAL, 8);
	h->date = get_be(buf + TAPE_OFF_DATE, 8);
	memcpy(h->sha_volume, buf + TAPE_OFF_SHA_VOLUME, TAPE_SHA_LEN);
	memcpy(h->sha_total, buf + TAPE_OFF_SHA_TOTAL, TAPE_SHA_LEN);
	ll = get_be(buf + TAPE_OFF_LABEL_LEN, 2);
	if (ll > TAPE_LABEL_MAX)
		return fail(TAPE_E_FIELD, why, whylen,
		            "label length past 255 bytes");
	for (size_t i = TAPE_OFF_LABEL + ll; i < TAPE_OFF_SELF; i++)
		if (buf[i])
			return fail(TAPE_E_FIELD, why, whylen,
			            "nonzero bytes after the label");
	if (memchr(buf + TAPE_OFF_LABEL, 0, ll))
		return fail(TAPE_E_FIELD, why, whylen,
		            "a zero byte inside the label");
	memcpy(h->label, buf + TAPE_OFF_LABEL, ll);
	h->label[ll] = '\0';
	bad = tape_check(h);
	if (bad)
		return fail(TAPE_E_FIELD, why, whylen, bad);
	return TAPE_OK;
}

void tape_hex(const unsigned char *p, size_t n, char *hex)
{
	static const char d[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		hex[2 * i] = d[p[i] >> 4];
		hex[2 * i + 1] = d[p[i] & 15];
	}
	hex[2 * n] = '\0';
}
