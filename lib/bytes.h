/* bytes: the byte orders of ISO 9660 fields (ECMA-119 7.2 and 7.3). */
#ifndef CDPIPE_BYTES_H
#define CDPIPE_BYTES_H

#include <stdint.h>

static inline uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/* a both-byte-order 32-bit field (7.3.3): little-endian, then big */
static inline void put_both32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(v >> (8 * i));
		p[7 - i] = (unsigned char)(v >> (8 * i));
	}
}

#endif
