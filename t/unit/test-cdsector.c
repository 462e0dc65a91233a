/* Unit tests of lib/cdsector.c, ECMA-130's raw sectors: every raw MODE1
 * sector of libcdio's isofs-m1.bin (written by cdrecord's encoder, not
 * ours) is made again from its 2048 user bytes and must come out the
 * same, byte for byte: sync, header, EDC, the zero bytes, P and Q parity;
 * and the checks cdread makes of the raw sectors it reads tell a good
 * sector from one with another's address, a changed byte, no EDC, or
 * none at all. */
#include "config.h"

#include "cdsector.h"
#include "tap.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the CRC of a block followed by its EDC (little-endian) is 0 */
static uint32_t crc_edc(const unsigned char *p, size_t n)
{
	uint32_t e = 0;

	while (n--) {
		e ^= *p++;
		for (int k = 0; k < 8; k++)
			e = (e >> 1) ^ (e & 1 ? 0xd8018001u : 0);
	}
	return e;
}

static void fixture(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	unsigned char raw[2352], made[2352];
	FILE *f;
	long n = 0, same = 0, first_bad = -1;

	snprintf(path, sizeof path,
	         "%s/../shared/fixtures/libcdio/isofs-m1.bin", top ? top : ".");
	f = fopen(path, "rb");
	if (!f) {
		printf("ok %d # SKIP %s is not here\n", ++tap_n, path);
		return;
	}
	while (fread(raw, 1, sizeof raw, f) == sizeof raw) {
		cdsector_mode1(made, raw + 16, (int32_t)n);
		if (!memcmp(made, raw, sizeof raw) &&
		    cdsector_kind(raw, (int32_t)n) == CDSECTOR_MODE1)
			same++;
		else if (first_bad < 0)
			first_bad = n;
		n++;
	}
	fclose(f);
	ok(n == 302, "isofs-m1.bin holds 302 raw sectors (%ld)", n);
	ok(same == n,
	   "all %ld sectors made again byte for byte, each a good MODE1 "
	   "sector (first that is not: %ld)",
	   n, first_bad);
}

int main(void)
{
	unsigned char user[2048], raw[2352], raw2[2352];

	for (int i = 0; i < 2048; i++)
		user[i] = (unsigned char)(i * 7 + 3);
	cdsector_mode1(raw, user, 16);
	ok(raw[0] == 0 && raw[1] == 0xff && raw[10] == 0xff && raw[11] == 0,
	   "sync pattern");
	ok(raw[12] == 0x00 && raw[13] == 0x02 && raw[14] == 0x16 &&
	       raw[15] == 1,
	   "header: block 16 is 00:02:16 (BCD), mode 1");
	ok(!memcmp(raw + 16, user, 2048), "user bytes in place");
	ok(crc_edc(raw, 2068) == 0, "EDC over sync, header and data checks");
	ok(raw[2068] == 0 && raw[2075] == 0, "8 zero bytes after the EDC");
	cdsector_mode1(raw2, user, 449849);
	ok(raw2[12] == 0x99 && raw2[13] == 0x59 && raw2[14] == 0x74,
	   "header: block 449849 is 99:59:74");
	user[100] ^= 1;
	cdsector_mode1(raw2, user, 16);
	ok(memcmp(raw + 2076, raw2 + 2076, 172) != 0 &&
	       memcmp(raw + 2248, raw2 + 2248, 104) != 0,
	   "a changed user byte changes P and Q parity");
	/* the checks of a sector read raw */
	cdsector_mode1(raw, user, 16);
	ok(cdsector_kind(raw, 16) == CDSECTOR_MODE1, "a sector made: MODE1");
	ok(cdsector_user(raw, 16, raw2) == 0 && !memcmp(raw2, user, 2048),
	   "  its user bytes");
	ok(cdsector_kind(raw, 17) == CDSECTOR_BAD,
	   "read as block 17 (a stale buffer): BAD");
	raw[700] ^= 0x40;
	ok(cdsector_kind(raw, 16) == CDSECTOR_BAD &&
	       cdsector_user(raw, 16, raw2) < 0,
	   "a changed data byte: BAD, no user bytes");
	raw[700] ^= 0x40;
	memset(raw + 2064, 0, 2352 - 2064);
	ok(cdsector_kind(raw, 16) == CDSECTOR_NOEDC &&
	       cdsector_user(raw, 16, raw2) == 0,
	   "EDC and ECC left zero: NOEDC, its user bytes taken");
	raw[2100] = 1;
	ok(cdsector_kind(raw, 16) == CDSECTOR_BAD, "EDC zero but ECC not: BAD");
	memset(raw, 0, sizeof raw);
	ok(cdsector_kind(raw, 16) == CDSECTOR_EMPTY &&
	       cdsector_user(raw, 16, raw2) == 0 && raw2[0] == 0 &&
	       !memcmp(raw2, raw2 + 1, 2047),
	   "all zeros: EMPTY, 2048 zeros");
	memset(raw, 0xbe, sizeof raw);
	ok(cdsector_kind(raw, 16) == CDSECTOR_BAD,
	   "a buffer of 0xbe (what was there before a failed read): BAD");
	fixture();
	return tap_done();
}
