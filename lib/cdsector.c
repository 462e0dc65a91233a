/* cdsector: the raw sectors of ECMA-130. See cdsector.h. */
#include "cdsector.h"

#include <string.h>

/* the EDC's table, sliced by 8 (edc_lut[0] is the byte-wise table):
 * eight bytes a step, about 5 times the speed of one, which cdread's
 * reading of a BIN's raw sectors needed to keep up with cd-read
 * (bench/cdread-bench.sh) */
static uint32_t edc_lut[8][256];
static unsigned char ecc_f_lut[256], ecc_b_lut[256];

static void tables(void)
{
	static int done;

	if (done)
		return;
	for (uint32_t i = 0; i < 256; i++) {
		/* EDC: x^32 + x^31 + x^16 + x^15 + x^4 + x^3 + x + 1, bits
		 * taken least significant first */
		uint32_t e = i;
		unsigned j = (i << 1) ^ (i & 0x80 ? 0x11d : 0);

		for (int k = 0; k < 8; k++)
			e = (e >> 1) ^ (e & 1 ? 0xd8018001u : 0);
		edc_lut[0][i] = e;
		/* ECC: GF(2^8) with x^8 + x^4 + x^3 + x^2 + 1 */
		ecc_f_lut[i] = (unsigned char)j;
		ecc_b_lut[i ^ (j & 0xff)] = (unsigned char)i;
	}
	for (int k = 1; k < 8; k++)
		for (int i = 0; i < 256; i++)
			edc_lut[k][i] = (edc_lut[k - 1][i] >> 8) ^
			                edc_lut[0][edc_lut[k - 1][i] & 0xff];
	done = 1;
}

uint32_t cdsector_edc(const unsigned char *p, size_t n)
{
	uint32_t e = 0;

	tables();
	for (; n >= 8; n -= 8, p += 8) {
		uint32_t a = e ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		                  (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);

		e = edc_lut[7][a & 0xff] ^ edc_lut[6][a >> 8 & 0xff] ^
		    edc_lut[5][a >> 16 & 0xff] ^ edc_lut[4][a >> 24] ^
		    edc_lut[3][p[4]] ^ edc_lut[2][p[5]] ^ edc_lut[1][p[6]] ^
		    edc_lut[0][p[7]];
	}
	while (n--)
		e = (e >> 8) ^ edc_lut[0][(e ^ *p++) & 0xff];
	return e;
}

/* The P (major 86, minor 24) or Q (52, 43) parity of the sector from its
 * header on (annex A: the Reed-Solomon product code). */
static void ecc_block(const unsigned char *src, unsigned major_count,
                      unsigned minor_count, unsigned major_mult,
                      unsigned minor_inc, unsigned char *dest)
{
	unsigned size = major_count * minor_count;

	for (unsigned major = 0; major < major_count; major++) {
		unsigned index = (major >> 1) * major_mult + (major & 1);
		unsigned char a = 0, b = 0;

		for (unsigned minor = 0; minor < minor_count; minor++) {
			unsigned char v = src[index];

			index += minor_inc;
			if (index >= size)
				index -= size;
			a ^= v;
			b ^= v;
			a = ecc_f_lut[a];
		}
		a = ecc_b_lut[ecc_f_lut[a] ^ b];
		dest[major] = a;
		dest[major + major_count] = (unsigned char)(a ^ b);
	}
}

static unsigned char to_bcd(int v)
{
	return (unsigned char)(v / 10 << 4 | v % 10);
}

static void header(unsigned char *raw, int32_t lba, int mode)
{
	int32_t a = lba + 150;

	raw[0] = 0;
	memset(raw + 1, 0xff, 10);
	raw[11] = 0;
	raw[12] = to_bcd(a / (75 * 60));
	raw[13] = to_bcd(a / 75 % 60);
	raw[14] = to_bcd(a % 75);
	raw[15] = (unsigned char)mode;
}

void cdsector_mode1(unsigned char raw[CDSECTOR_RAW],
                    const unsigned char user[CDSECTOR_USER], int32_t lba)
{
	uint32_t e;

	tables();
	header(raw, lba, 1);
	memcpy(raw + 16, user, 2048);
	e = cdsector_edc(raw, 2064);
	for (int i = 0; i < 4; i++)
		raw[2064 + i] = (unsigned char)(e >> (8 * i));
	memset(raw + 2068, 0, 8);
	ecc_block(raw + 12, 86, 24, 2, 86, raw + 2076);  /* P */
	ecc_block(raw + 12, 52, 43, 86, 88, raw + 2248); /* Q */
}

static int all_zero(const unsigned char *p, size_t n)
{
	return n == 0 || (p[0] == 0 && memcmp(p, p + 1, n - 1) == 0);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* CDSECTOR_MODE1 or 2 when the EDC at e is that of the len bytes at p,
 * CDSECTOR_NOEDC when it and the ECC after it are zeros */
static enum cdsector_kind check(const unsigned char *raw, size_t from,
                                size_t len, enum cdsector_kind good)
{
	const unsigned char *e = raw + from + len;

	if (cdsector_edc(raw + from, len) == le32(e))
		return good;
	if (all_zero(e, (size_t)(raw + CDSECTOR_RAW - e)))
		return CDSECTOR_NOEDC;
	return CDSECTOR_BAD;
}

enum cdsector_kind cdsector_kind(const unsigned char raw[CDSECTOR_RAW],
                                 int32_t lba)
{
	unsigned char h[16];

	if (all_zero(raw, CDSECTOR_RAW))
		return CDSECTOR_EMPTY;
	header(h, lba, raw[15]);
	if (memcmp(raw, h, 16) != 0)
		return CDSECTOR_BAD;
	if (raw[15] == 1)
		return check(raw, 0, 2064, CDSECTOR_MODE1);
	if (raw[15] != 2)
		return CDSECTOR_BAD;
	/* form 2 (subheader submode bit 5): its EDC is optional */
	if (raw[18] & 0x20)
		return CDSECTOR_MODE2;
	return check(raw, 16, 2056, CDSECTOR_MODE2);
}

int cdsector_user(const unsigned char raw[CDSECTOR_RAW], int32_t lba,
                  unsigned char user[CDSECTOR_USER])
{
	switch (cdsector_kind(raw, lba)) {
	case CDSECTOR_EMPTY:
		memset(user, 0, CDSECTOR_USER);
		return 0;
	case CDSECTOR_MODE1:
	case CDSECTOR_MODE2:
	case CDSECTOR_NOEDC:
		if (raw[15] == 1) {
			memcpy(user, raw + 16, CDSECTOR_USER);
			return 0;
		}
		if (!(raw[18] & 0x20)) {
			memcpy(user, raw + 24, CDSECTOR_USER);
			return 0;
		}
		return -1;
	default:
		return -1;
	}
}
