/* Unit tests of lib/tape.c, the cdtape header: round trips of every
 * field, labels at their limits, and every kind of damage a header can
 * have (magic, version, lengths past their bounds, a bad header
 * checksum, bytes where zeros belong), each a clear error. A damaged
 * field is tested with the header's own checksum made right again, so
 * that the field's check, not the checksum, is what catches it. */
#include "config.h"

#include "tap.h"
#include "tape.h"

#include <nettle/sha2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void reseal(unsigned char *buf)
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, TAPE_OFF_SELF, buf);
	sha256_digest(&c, TAPE_SHA_LEN, buf + TAPE_OFF_SELF);
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}

static struct tape_header sample(void)
{
	struct tape_header h;

	if (tape_header_init(&h, 1700000000) != 0)
		abort();
	h.volume = 3;
	h.flags = TAPE_COMPLETE | TAPE_LAST;
	h.length = 123456789;
	h.total = 3 * UINT64_C(123456789);
	for (int i = 0; i < TAPE_SHA_LEN; i++) {
		h.sha_volume[i] = (unsigned char)i;
		h.sha_total[i] = (unsigned char)(255 - i);
	}
	strcpy(h.label,
	       "backup \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xbf");
	return h;
}

static int same(const struct tape_header *a, const struct tape_header *b)
{
	return a->version == b->version && !memcmp(a->id, b->id, TAPE_ID_LEN) &&
	       a->volume == b->volume && a->flags == b->flags &&
	       a->offset == b->offset && a->length == b->length &&
	       a->total == b->total && a->date == b->date &&
	       !memcmp(a->sha_volume, b->sha_volume, TAPE_SHA_LEN) &&
	       !memcmp(a->sha_total, b->sha_total, TAPE_SHA_LEN) &&
	       !strcmp(a->label, b->label);
}

/* decode buf and expect error e with a message containing want */
static void expect(const unsigned char *buf, enum tape_error e,
                   const char *want, const char *what)
{
	struct tape_header h;
	char why[160] = "";
	enum tape_error got =
	    tape_decode(buf, TAPE_HEADER_SIZE, &h, why, sizeof why);

	ok(got == e && strstr(why, want) != NULL, "%s: %s", what, why);
}

static void round_trips(void)
{
	struct tape_header h = sample(), g, a, b;
	unsigned char buf[TAPE_HEADER_SIZE], buf2[TAPE_HEADER_SIZE];
	char why[160];

	ok(tape_encode(&h, buf) == 0, "encode a full header");
	ok(memcmp(buf, "CDPIPE-CDTAPE\n\0\0", 16) == 0, "magic at byte 0");
	ok(buf[19] == 1 && buf[16] == 0, "version 1 big-endian at 16");
	ok(buf[21] == 0 && buf[22] == 8 && buf[23] == 0, "2048 at 20");
	ok(buf[43] == 3, "volume at 40");
	ok(buf[47] == 3, "flags at 44");
	ok(buf[54] == 8 && buf[55] == 0, "payload offset 2048 at 48");
	ok(buf[60] == 0x07 && buf[61] == 0x5b && buf[62] == 0xcd &&
	       buf[63] == 0x15,
	   "length 123456789 at 56");
	ok(buf[80] == 0 && buf[111] == 31 && buf[112] == 255,
	   "digests at 80 and 112");
	ok(buf[145] == strlen(h.label) &&
	       memcmp(buf + 146, h.label, strlen(h.label)) == 0,
	   "label length at 144, label at 146");
	ok(tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK,
	   "decode it");
	ok(same(&h, &g), "every field comes back");
	ok(tape_encode(&g, buf2) == 0 && memcmp(buf, buf2, sizeof buf) == 0,
	   "re-encoding gives the same bytes");
	h.flags = TAPE_COMPLETE | TAPE_LAST | TAPE_TRAILER;
	ok(tape_encode(&h, buf) == 0 && buf[47] == 7 &&
	       tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK &&
	       g.flags == h.flags,
	   "the trailer flag (4) is a known one");

	if (tape_header_init(&a, 0) != 0 || tape_header_init(&b, 0) != 0)
		abort();
	ok(memcmp(a.id, b.id, TAPE_ID_LEN) != 0, "two archive ids differ");
	ok(tape_encode(&a, buf) == 0 &&
	       tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK &&
	       same(&a, &g) && g.length == 0 && g.total == 0 &&
	       g.label[0] == '\0',
	   "an empty archive round trips");
	a.length = a.total = TAPE_LENGTH_MAX;
	ok(tape_encode(&a, buf) == 0 &&
	       tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK &&
	       g.length == TAPE_LENGTH_MAX,
	   "the longest payload round trips");
	a.volume = TAPE_VOLUME_MAX;
	a.total = TAPE_TOTAL_MAX;
	ok(tape_encode(&a, buf) == 0 &&
	       tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK &&
	       g.volume == TAPE_VOLUME_MAX && g.total == TAPE_TOTAL_MAX,
	   "the last volume number and the largest total round trip");
	ok(tape_decode(buf, TAPE_HEADER_SIZE - 1, &g, why, sizeof why) ==
	       TAPE_E_MAGIC,
	   "a short buffer is refused");
}

static void labels(void)
{
	struct tape_header h = sample(), g;
	unsigned char buf[TAPE_HEADER_SIZE];
	char why[160];

	memset(h.label, 'x', TAPE_LABEL_MAX);
	h.label[TAPE_LABEL_MAX] = '\0';
	ok(tape_label_invalid(h.label) == NULL, "255 bytes is a label");
	ok(tape_encode(&h, buf) == 0 &&
	       tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK &&
	       strlen(g.label) == TAPE_LABEL_MAX,
	   "a 255-byte label round trips");
	/* 85 three-byte characters: 255 bytes */
	for (int i = 0; i < 85; i++)
		memcpy(h.label + 3 * i, "\xe2\x82\xac", 3);
	ok(tape_encode(&h, buf) == 0 &&
	       tape_decode(buf, sizeof buf, &g, why, sizeof why) == TAPE_OK &&
	       !strcmp(g.label, h.label),
	   "255 bytes of euro signs round trip");

	{
		char big[TAPE_LABEL_MAX + 2];

		memset(big, 'y', TAPE_LABEL_MAX + 1);
		big[TAPE_LABEL_MAX + 1] = '\0';
		ok(tape_label_invalid(big) != NULL, "256 bytes is no label: %s",
		   tape_label_invalid(big));
	}
	ok(tape_label_invalid("a\nb") != NULL, "a newline is refused");
	ok(tape_label_invalid("a\x7f") != NULL, "DEL is refused");
	ok(tape_label_invalid("\xc2\x85") != NULL, "a C1 control is refused");
	ok(tape_label_invalid("\xff") != NULL, "0xff is no UTF-8");
	ok(tape_label_invalid("\xc0\xaf") != NULL, "an overlong form");
	ok(tape_label_invalid("\xed\xa0\x80") != NULL, "a surrogate");
	ok(tape_label_invalid("\xf4\x90\x80\x80") != NULL, "past U+10FFFF");
	ok(tape_label_invalid("\xe2\x82") != NULL, "a cut sequence");
	ok(tape_label_invalid("") == NULL, "an empty label is fine");
	strcpy(h.label, "\xe2\x82");
	ok(tape_encode(&h, buf) == -1, "encode refuses a bad label");
}

static void damage(void)
{
	struct tape_header h = sample(), g;
	unsigned char good[TAPE_HEADER_SIZE], buf[TAPE_HEADER_SIZE];

	if (tape_encode(&h, good) != 0)
		abort();

	memcpy(buf, good, sizeof buf);
	buf[0] = 'X';
	expect(buf, TAPE_E_MAGIC, "magic", "a wrong magic");
	memcpy(buf, good, sizeof buf);
	buf[15] = 1;
	expect(buf, TAPE_E_MAGIC, "magic", "a wrong magic's last byte");
	memset(buf, 0, sizeof buf);
	expect(buf, TAPE_E_MAGIC, "magic", "zeros");

	memcpy(buf, good, sizeof buf);
	put32(buf + TAPE_OFF_VERSION, 2);
	reseal(buf);
	expect(buf, TAPE_E_VERSION, "version 2", "version 2");
	put32(buf + TAPE_OFF_VERSION, 0);
	reseal(buf);
	expect(buf, TAPE_E_VERSION, "version 0", "version 0");

	memcpy(buf, good, sizeof buf);
	put32(buf + TAPE_OFF_HLEN, 4096);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "header length", "header length 4096");

	/* the checksum: any byte of the header, the checksum's own too */
	{
		static const size_t at[] = {24,   40,   56,   80,  146,
		                            1000, 2015, 2016, 2047};

		for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
			memcpy(buf, good, sizeof buf);
			buf[at[i]] ^= 0x01;
			expect(buf, TAPE_E_CHECKSUM, "checksum",
			       "a flipped bit at byte");
		}
	}

	memcpy(buf, good, sizeof buf);
	put32(buf + TAPE_OFF_VOLUME, 0);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "volume", "volume 0");
	put32(buf + TAPE_OFF_VOLUME, TAPE_VOLUME_MAX + 1);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "volume", "volume 65536");
	put32(buf + TAPE_OFF_VOLUME, UINT32_MAX);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "volume", "volume 2^32-1");

	memcpy(buf, good, sizeof buf);
	put32(buf + TAPE_OFF_FLAGS, 8);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "flags", "an unknown flag");

	{
		static const uint64_t bad[] = {
		    0, 2047, 2049, 4095, TAPE_OFFSET_MAX + 2048, UINT64_MAX};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			memcpy(buf, good, sizeof buf);
			put64(buf + TAPE_OFF_OFFSET, bad[i]);
			reseal(buf);
			expect(buf, TAPE_E_FIELD, "payload offset",
			       "a payload offset out of bounds");
		}
		memcpy(buf, good, sizeof buf);
		put64(buf + TAPE_OFF_OFFSET, TAPE_OFFSET_MAX);
		reseal(buf);
		ok(tape_decode(buf, sizeof buf, &g, NULL, 0) == TAPE_OK &&
		       g.offset == TAPE_OFFSET_MAX,
		   "the largest payload offset is fine");
	}

	memcpy(buf, good, sizeof buf);
	put64(buf + TAPE_OFF_LENGTH, TAPE_LENGTH_MAX + 1);
	put64(buf + TAPE_OFF_TOTAL, TAPE_LENGTH_MAX + 1);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "payload length", "a length past 2^53");
	put64(buf + TAPE_OFF_LENGTH, UINT64_MAX);
	put64(buf + TAPE_OFF_TOTAL, UINT64_MAX);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "payload length", "a length of 2^64-1");

	memcpy(buf, good, sizeof buf);
	put64(buf + TAPE_OFF_TOTAL, 1000);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "total", "a total less than the length");
	put64(buf + TAPE_OFF_TOTAL, TAPE_TOTAL_MAX + 1);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "total", "a total past 2^60");

	memcpy(buf, good, sizeof buf);
	put32(buf + TAPE_OFF_VOLUME, 1);
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "volume 1", "volume 1 with more before it");

	memcpy(buf, good, sizeof buf);
	buf[TAPE_OFF_LABEL_LEN] = 1; /* 256 + the length */
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "label length", "a label length past 255");
	buf[TAPE_OFF_LABEL_LEN] = 0xff;
	buf[TAPE_OFF_LABEL_LEN + 1] = 0xff;
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "label length", "a label length of 65535");

	memcpy(buf, good, sizeof buf);
	buf[TAPE_OFF_LABEL_LEN + 1] = 2; /* shorter than the label */
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "after the label",
	       "label bytes past its length");

	memcpy(buf, good, sizeof buf);
	buf[TAPE_OFF_LABEL + 1] = 0;
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "zero byte", "a zero inside the label");

	memcpy(buf, good, sizeof buf);
	buf[TAPE_OFF_LABEL] = '\n';
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "label", "a control character in the label");
	buf[TAPE_OFF_LABEL] = 0xff;
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "label", "a label that is not UTF-8");

	memcpy(buf, good, sizeof buf);
	buf[TAPE_OFF_RESERVED + 100] = 1;
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "nonzero", "a reserved byte set");
	memcpy(buf, good, sizeof buf);
	buf[TAPE_OFF_SELF - 1] = 1;
	reseal(buf);
	expect(buf, TAPE_E_FIELD, "nonzero", "the last reserved byte set");

	/* random damage never crashes and is never accepted unsealed */
	srand(11);
	for (int i = 0; i < 2000; i++) {
		memcpy(buf, good, sizeof buf);
		buf[rand() % TAPE_HEADER_SIZE] ^=
		    (unsigned char)(1 + rand() % 255);
		if (i % 2)
			reseal(buf);
		(void)tape_decode(buf, sizeof buf, &g, NULL, 0);
	}
	ok(1, "2000 randomly damaged headers decoded without a crash");
}

static void encode_bounds(void)
{
	struct tape_header h = sample();
	unsigned char buf[TAPE_HEADER_SIZE];

	h.volume = 0;
	ok(tape_encode(&h, buf) == -1 && tape_check(&h),
	   "encode refuses volume 0");
	h = sample();
	h.total = h.length - 1;
	ok(tape_encode(&h, buf) == -1, "encode refuses total < length");
	h = sample();
	h.offset = 3000;
	ok(tape_encode(&h, buf) == -1, "encode refuses an odd offset");
	h = sample();
	h.flags = 8;
	ok(tape_encode(&h, buf) == -1, "encode refuses unknown flags");
}

int main(void)
{
	round_trips();
	labels();
	damage();
	encode_bounds();
	return tap_done();
}
