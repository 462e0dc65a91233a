/* tape: the cdtape volume format, as pure code: the header block that
 * begins every volume of a cdtape archive, encoded and decoded with every
 * field bounded and checked, so that a hostile or damaged header is a
 * clear error and never a crash. No I/O (but tape_new_id's getrandom).
 *
 * A volume is a medium (or image file) holding, from block 0:
 *
 *   bytes 0 .. 2047           the header (below)
 *   bytes OFFSET ..           the payload: LENGTH bytes of the archive's
 *                             stream, exactly as cdtape save read them
 *   then                      zeros up to the next 2048-byte boundary,
 *                             and whatever the medium held before (a
 *                             reader stops at LENGTH)
 *
 * The header, 2048 bytes; every integer is unsigned and big-endian
 * (most significant byte first); offsets are in bytes from its start:
 *
 *   0    16  magic: the 14 ASCII characters "CDPIPE-CDTAPE\n" and two
 *            zero bytes
 *   16    4  format version: 1
 *   20    4  header length: 2048
 *   24   16  archive id: 128 random bits, the same on every volume of
 *            one archive
 *   40    4  volume number: 1 for the first volume, 1 .. 65535
 *   44    4  flags: bit 0 (value 1) complete: the lengths and digests
 *            below are final (a save that did not finish leaves it
 *            clear); bit 1 (value 2) last: no volume follows this one;
 *            bit 2 (value 4) trailer: the volume was written once,
 *            front to back (below). The other bits are zero.
 *   48    8  payload offset: where the payload starts, a multiple of
 *            2048, at least 2048 and at most 1 MiB (2048 in version 1)
 *   56    8  payload length of this volume, at most 2^53
 *   64    8  total payload: of all volumes up to and including this one,
 *            at least the length above and at most 2^60; on volume 1
 *            equal to it
 *   72    8  date: when the save began, seconds since 1970-01-01 UTC
 *   80   32  SHA-256 of this volume's payload (LENGTH bytes)
 *   112  32  SHA-256 of the whole archive up to the end of this volume
 *            (TOTAL bytes); on the last volume, of the archive
 *   144   2  label length in bytes, 0 .. 255
 *   146 256  label: UTF-8 text (no control characters), then zeros
 *   402 1614 reserved: zeros
 *   2016 32  SHA-256 of bytes 0 .. 2015 of this header
 *
 * Media written at random (image files, DVD+RW, BD-RE, DVD-RW formatted
 * for overwriting, DVD-RAM) get the header twice: first with "complete"
 * clear, then, once the payload is on the medium, in its final form.
 *
 * Media written once, front to back (CD-R, DVD-R, DVD+R, BD-R, a CD-RW
 * after blanking, a pipe) cannot take the header again: the header at
 * block 0 keeps "complete" clear and has "trailer" set, and the final
 * header (complete and trailer set, the lengths and digests) is the
 * 2048-byte block right after the payload's last block: at byte
 * OFFSET + LENGTH rounded up to a multiple of 2048. A reader that does
 * not know LENGTH yet finds it from the end of the track: the last block
 * that is not all zeros (drives add zero blocks after a track, a CD's
 * run-out blocks do not read at all) is the trailer; it names the same
 * archive id and volume as block 0, and its LENGTH puts it where it is.
 *
 * With cdpipe gone, a single-volume archive reads back with dd and a few
 * lines of shell (a written-once volume: take the numbers from the last
 * 2048-byte block that is not zeros, its trailer, instead of block 0):
 *
 *   dd if=IMG bs=1 count=14 2>/dev/null          # CDPIPE-CDTAPE
 *   num() { dd if=IMG bs=1 skip=$1 count=8 2>/dev/null |
 *           od -An -tu8 --endian=big | tr -d ' '; }
 *   off=$(num 48) len=$(num 56)
 *   tail -c +$((off + 1)) IMG | head -c "$len" >archive.tar
 *   dd if=IMG bs=1 skip=80 count=32 2>/dev/null | od -An -tx1 | tr -d ' \n'
 *   sha256sum archive.tar                         # the same digest */
#ifndef CDPIPE_TAPE_H
#define CDPIPE_TAPE_H

#include <stddef.h>
#include <stdint.h>

#define TAPE_HEADER_SIZE 2048
#define TAPE_MAGIC "CDPIPE-CDTAPE\n" /* then two zero bytes */
#define TAPE_MAGIC_LEN 16
#define TAPE_VERSION 1
#define TAPE_ID_LEN 16
#define TAPE_SHA_LEN 32
#define TAPE_LABEL_MAX 255
#define TAPE_VOLUME_MAX 65535
#define TAPE_OFFSET_MAX (1024 * 1024)
#define TAPE_LENGTH_MAX (UINT64_C(1) << 53)
#define TAPE_TOTAL_MAX (UINT64_C(1) << 60)

/* flags */
#define TAPE_COMPLETE 0x1
#define TAPE_LAST 0x2
#define TAPE_TRAILER 0x4
#define TAPE_FLAGS_KNOWN (TAPE_COMPLETE | TAPE_LAST | TAPE_TRAILER)

/* byte offsets of the fields */
enum {
	TAPE_OFF_MAGIC = 0,
	TAPE_OFF_VERSION = 16,
	TAPE_OFF_HLEN = 20,
	TAPE_OFF_ID = 24,
	TAPE_OFF_VOLUME = 40,
	TAPE_OFF_FLAGS = 44,
	TAPE_OFF_OFFSET = 48,
	TAPE_OFF_LENGTH = 56,
	TAPE_OFF_TOTAL = 64,
	TAPE_OFF_DATE = 72,
	TAPE_OFF_SHA_VOLUME = 80,
	TAPE_OFF_SHA_TOTAL = 112,
	TAPE_OFF_LABEL_LEN = 144,
	TAPE_OFF_LABEL = 146,
	TAPE_OFF_RESERVED = 402,
	TAPE_OFF_SELF = 2016,
};

struct tape_header {
	unsigned version;
	unsigned char id[TAPE_ID_LEN];
	uint32_t volume;
	uint32_t flags;
	uint64_t offset;
	uint64_t length;
	uint64_t total;
	uint64_t date;
	unsigned char sha_volume[TAPE_SHA_LEN];
	unsigned char sha_total[TAPE_SHA_LEN];
	char label[TAPE_LABEL_MAX + 1]; /* NUL-terminated */
};

/* What is wrong with a header (tape_decode), or TAPE_OK. */
enum tape_error {
	TAPE_OK = 0,
	TAPE_E_MAGIC,    /* not a cdtape header at all */
	TAPE_E_VERSION,  /* a version this program does not read */
	TAPE_E_CHECKSUM, /* the header's own SHA-256 does not match */
	TAPE_E_FIELD,    /* a field out of its bounds */
};

/* A fresh header: version 1, a new random id, volume 1, offset 2048, the
 * date given, lengths zero, digests of nothing, no label. 0, or -1 when
 * no random bits could be had (errno set). */
int tape_header_init(struct tape_header *h, uint64_t date);

/* 128 random bits from getrandom. 0, or -1 (errno set). */
int tape_new_id(unsigned char id[TAPE_ID_LEN]);

/* Is s a label a header can carry: at most TAPE_LABEL_MAX bytes of
 * UTF-8 (shortest forms, no surrogates) without control characters?
 * NULL if so, else why not. */
const char *tape_label_invalid(const char *s);

/* Check the fields against their bounds: NULL, or what is wrong
 * ("volume number 0 out of range"). */
const char *tape_check(const struct tape_header *h);

/* Encode into 2048 bytes. 0, or -1 when a field is out of bounds
 * (tape_check; nothing written then). */
int tape_encode(const struct tape_header *h,
                unsigned char buf[TAPE_HEADER_SIZE]);

/* Decode 2048 bytes: TAPE_OK with *h filled, or what is wrong, with a
 * message for people in why (at least 128 bytes). */
enum tape_error tape_decode(const unsigned char *buf, size_t len,
                            struct tape_header *h, char *why, size_t whylen);

/* Hex of an id (33 bytes) or digest (65 bytes) */
void tape_hex(const unsigned char *p, size_t n, char *hex);

#endif
