/* Unit tests of lib/cdsource.c on discs of several sessions, which no
 * drive here holds (qemu's emulated drive reports one session): a full
 * TOC as a drive returns it (READ TOC format 2) gives each track its
 * session and a length that stops at its session's lead-out; and the data
 * copy of a CD Extra (audio in session 1, an ISO volume written with
 * isomk -C in session 2, as linux-cd-writing.txt's "mixed-mode" recipe
 * makes it) is the span from block 0 to the end of that volume, with the
 * audio and the gap between sessions as zeros. The disc is a sparse image
 * file whose track table is replaced by the parsed TOC. */
#include "config.h"

#include "cdsource.h"
#include "cli.h"
#include "tap.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* one 11-byte descriptor of a full TOC */
static size_t desc(unsigned char *p, int session, int point, int32_t lba)
{
	int32_t f = lba + 150;

	memset(p, 0, 11);
	p[0] = (unsigned char)session;
	p[1] = 0x14; /* adr 1, control: data */
	p[3] = (unsigned char)point;
	p[8] = (unsigned char)(f / (60 * 75));
	p[9] = (unsigned char)(f / 75 % 60);
	p[10] = (unsigned char)(f % 75);
	return 11;
}

/* Session 1: audio tracks 1 (0) and 2 (20000), lead-out 30000; session
 * 2: data track 3 at 41400 (after 6750 + 4500 blocks of lead-out and
 * lead-in), lead-out lo2. */
static size_t cd_extra(unsigned char *buf, int32_t lo2)
{
	size_t n = 4;

	n += desc(buf + n, 1, 0xa0, 0);
	n += desc(buf + n, 1, 0xa2, 30000);
	n += desc(buf + n, 1, 1, 0);
	n += desc(buf + n, 1, 2, 20000);
	n += desc(buf + n, 2, 0xa2, lo2);
	n += desc(buf + n, 2, 3, 41400);
	buf[0] = (unsigned char)((n - 2) >> 8);
	buf[1] = (unsigned char)(n - 2);
	buf[2] = 1;
	buf[3] = 2;
	return n;
}

static void tracks_as_libcdio_reads_them(struct cdsource *s)
{
	static const int32_t start[] = {0, 20000, 41400};

	s->ntracks = 3;
	for (int i = 0; i < 3; i++) {
		memset(&s->tracks[i], 0, sizeof s->tracks[i]);
		s->tracks[i].num = i + 1;
		s->tracks[i].start = start[i];
		s->tracks[i].audio = i < 2;
		/* to the next track: across the lead-out and lead-in */
		s->tracks[i].size = (i < 2 ? start[i + 1] : 50000) - start[i];
		s->tracks[i].session = 1;
	}
	s->nsessions = 1;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

int main(void)
{
	char path[] = "/tmp/cdpipe-cdsource.XXXXXX";
	unsigned char buf[4 + 11 * 10], b[CDSRC_BLOCK];
	struct cdsource s;
	int fd = mkstemp(path), st = 0;
	int32_t first = -1;
	int64_t count = -1;
	size_t n;

	cd_set_prog("test-cdsource");
	cd_quiet = 1;
	/* the disc as an image file: the volume of session 2 at 41400, as
	 * isomk -C 0,41400 (libisofs) makes it: its size, 3600, counted from
	 * its own start, its root directory in it (at 41420), pointing back
	 * into session 1 */
	memset(b, 0, sizeof b);
	b[0] = 1;
	memcpy(b + 1, "CD001", 5);
	b[6] = 1;
	put_le32(b + 80, 3600);
	put_le32(b + 158, 41420);
	if (fd < 0 || ftruncate(fd, (off_t)50000 * CDSRC_BLOCK) < 0 ||
	    pwrite(fd, b, sizeof b, (off_t)(41400 + 16) * CDSRC_BLOCK) < 0)
		return 99;
	b[0] = 255;
	if (pwrite(fd, b, sizeof b, (off_t)(41400 + 17) * CDSRC_BLOCK) < 0)
		return 99;
	close(fd);

	if (cdsrc_open(&s, path, 0, &st) < 0)
		return 99;
	tracks_as_libcdio_reads_them(&s);
	n = cd_extra(buf, 50000);
	ok(cdsrc_full_toc(&s, buf, n) == 0, "a full TOC of two sessions");
	ok(s.nsessions == 2, "two sessions (%d)", s.nsessions);
	ok(s.tracks[0].session == 1 && s.tracks[1].session == 1 &&
	       s.tracks[2].session == 2,
	   "tracks 1 and 2 in session 1, track 3 in session 2");
	ok(s.tracks[1].size == 10000,
	   "track 2 ends at its session's lead-out, not at track 3 (%d)",
	   (int)s.tracks[1].size);
	ok(s.tracks[2].size == 8600, "track 3 ends at the disc's lead-out");
	ok(cdsrc_track_at(&s, 35000) == NULL,
	   "the lead-out and lead-in between sessions are in no track");

	ok(cdsrc_data_range(&s, 0, 0, 0, &first, &count, &st) == 0 &&
	       first == 0 && count == 45000,
	   "the data copy: blocks 0 to the end of the volume (%d, %lld)",
	   (int)first, (long long)count);
	ok(cdsrc_data_range(&s, 2, 0, 0, &first, &count, &st) == 0 &&
	       first == 41400 && count == 3600,
	   "--session 2: the session's own blocks (%d, %lld)", (int)first,
	   (long long)count);
	st = 0;
	ok(cdsrc_data_range(&s, 1, 0, 0, &first, &count, &st) < 0 && st == 3,
	   "--session 1 holds no data: exit 3");
	st = 0;
	ok(cdsrc_data_range(&s, 0, 2, 0, &first, &count, &st) < 0 && st == 3,
	   "--track 2 is audio, not data: exit 3");
	ok(cdsrc_data_range(&s, 0, 3, 0, &first, &count, &st) == 0 &&
	       first == 41400 && count == 3600,
	   "--track 3: its own blocks to the end of the volume");

	/* the copy: zeros for the audio and the gap, then the volume */
	{
		char out[] = "/tmp/cdpipe-cdsource-out.XXXXXX";
		struct cdsrc_copy c = {.first = 0, .count = 45000};
		unsigned char got[CDSRC_BLOCK], zero[CDSRC_BLOCK] = {0};

		c.progress = -1;
		c.out = mkstemp(out);
		ok(c.out >= 0 && cdsrc_copy(&s, &c) == 0 &&
		       c.written == 45000 && c.zeros == 41400,
		   "copied: 45000 blocks, 41400 of them zeros (%lld)",
		   (long long)c.zeros);
		ok(lseek(c.out, 0, SEEK_END) == (off_t)45000 * CDSRC_BLOCK,
		   "  the copy is the volume's size");
		ok(pread(c.out, got, sizeof got, (off_t)100 * CDSRC_BLOCK) ==
		           CDSRC_BLOCK &&
		       !memcmp(got, zero, sizeof got),
		   "  an audio block is zeros");
		ok(pread(c.out, got, sizeof got, (off_t)41416 * CDSRC_BLOCK) ==
		           CDSRC_BLOCK &&
		       got[0] == 1 && !memcmp(got + 1, "CD001", 5),
		   "  block 41416 is the primary volume descriptor");
		close(c.out);
		unlink(out);
	}

	/* a reply that does not fit what libcdio read changes nothing */
	tracks_as_libcdio_reads_them(&s);
	n = cd_extra(buf, 50000);
	buf[4 + 11 * 5 + 10] ^= 1; /* track 3 one frame off */
	ok(cdsrc_full_toc(&s, buf, n) < 0 && s.nsessions == 1 &&
	       s.tracks[1].size == 21400,
	   "a full TOC whose tracks start elsewhere is not taken");
	tracks_as_libcdio_reads_them(&s);
	n = cd_extra(buf, 50000);
	n -= 22; /* no session 2 lead-out nor track 3 */
	buf[0] = (unsigned char)((n - 2) >> 8);
	buf[1] = (unsigned char)(n - 2);
	ok(cdsrc_full_toc(&s, buf, n) < 0,
	   "a track with no session is not taken");
	ok(cdsrc_full_toc(&s, buf, 3) < 0, "three bytes are no TOC");

	/* a volume that claims more than the disc holds */
	tracks_as_libcdio_reads_them(&s);
	n = cd_extra(buf, 44000);
	ok(cdsrc_full_toc(&s, buf, n) == 0, "the disc ends at 44000");
	st = 0;
	ok(cdsrc_data_range(&s, 0, 0, 0, &first, &count, &st) < 0 && st == 1,
	   "a volume to 45000 on a disc of 44000: exit 1");

	/* a writer that gives the size from block 0 (45000): the same */
	b[0] = 1;
	put_le32(b + 80, 45000);
	fd = open(path, O_WRONLY);
	if (fd < 0 ||
	    pwrite(fd, b, sizeof b, (off_t)(41400 + 16) * CDSRC_BLOCK) < 0)
		return 99;
	close(fd);
	tracks_as_libcdio_reads_them(&s);
	n = cd_extra(buf, 50000);
	ok(cdsrc_full_toc(&s, buf, n) == 0 &&
	       cdsrc_data_range(&s, 0, 0, 0, &first, &count, &st) == 0 &&
	       first == 0 && count == 45000,
	   "a size counted from block 0: blocks 0 to 45000 too (%d, %lld)",
	   (int)first, (long long)count);

	cdsrc_close(&s);
	unlink(path);
	return tap_done();
}
