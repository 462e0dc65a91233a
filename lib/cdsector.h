/* cdsector: the raw CD sector of ECMA-130, 2352 bytes, as a BIN holds
 * it: the sync pattern, a header (the sector's address as BCD minutes,
 * seconds and frames, and its mode), the user data, and for MODE1 and
 * MODE2 form 1 an EDC (annex A: a CRC-32) and ECC (annex B: Reed-Solomon
 * P and Q parity). One place for what cdread checks in the raw sectors it
 * reads (lib/cdsource: libcdio does not say when a BIN could not be read,
 * a stale buffer has another sector's address) and builds for those it
 * writes (lib/cdimage: a drive that gives no EDC, qemu's, gets them made
 * again). t/unit/test-cdimage rebuilds every sector of libcdio's
 * isofs-m1.bin byte for byte. */
#ifndef CDPIPE_CDSECTOR_H
#define CDPIPE_CDSECTOR_H

#include <stddef.h>
#include <stdint.h>

#define CDSECTOR_RAW 2352
#define CDSECTOR_USER 2048

enum cdsector_kind {
	CDSECTOR_BAD,   /* no sync, another sector's address, an unknown
	                   mode, or an EDC that does not match */
	CDSECTOR_MODE1, /* MODE1, its EDC right */
	CDSECTOR_MODE2, /* MODE2: form 1 with its EDC right, or form 2 */
	CDSECTOR_NOEDC, /* MODE1 or MODE2 form 1 whose EDC and ECC were left
	                   as zeros (image makers that do not compute them,
	                   qemu's drive) */
	CDSECTOR_EMPTY, /* all zeros: a gap the image maker left empty */
};

/* The EDC of n bytes (annex A). */
uint32_t cdsector_edc(const unsigned char *p, size_t n);

/* What the raw sector at lba is. */
enum cdsector_kind cdsector_kind(const unsigned char raw[CDSECTOR_RAW],
                                 int32_t lba);

/* The 2048 user bytes of the data sector at lba (MODE1, MODE2 form 1,
 * either without EDC, or an empty sector's zeros). 0, or -1 when raw is
 * CDSECTOR_BAD or MODE2 form 2 (no 2048-byte user data). */
int cdsector_user(const unsigned char raw[CDSECTOR_RAW], int32_t lba,
                  unsigned char user[CDSECTOR_USER]);

/* Build the MODE1 sector at lba from its user bytes: sync, header, data,
 * EDC, zeros, ECC P and Q. */
void cdsector_mode1(unsigned char raw[CDSECTOR_RAW],
                    const unsigned char user[CDSECTOR_USER], int32_t lba);

#endif
