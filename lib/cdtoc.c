/* cdtoc: the table of contents of a source, as text or JSON. See cdtoc.h. */
#include "config.h"

#include "cdtoc.h"

#include "cli.h"
#include "json.h"

#include <cdio/cdtext.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* the CD-TEXT fields, in cd-info's order, by the names cdtoc.h gives */
static const struct {
	cdtext_field_t field;
	const char *name;
} fields[] = {
    {CDTEXT_FIELD_TITLE, "title"},
    {CDTEXT_FIELD_PERFORMER, "performer"},
    {CDTEXT_FIELD_SONGWRITER, "songwriter"},
    {CDTEXT_FIELD_COMPOSER, "composer"},
    {CDTEXT_FIELD_ARRANGER, "arranger"},
    {CDTEXT_FIELD_MESSAGE, "message"},
    {CDTEXT_FIELD_ISRC, "isrc"},
    {CDTEXT_FIELD_UPC_EAN, "upc_ean"},
    {CDTEXT_FIELD_GENRE, "genre"},
    {CDTEXT_FIELD_DISCID, "disc_id"},
};
#define NFIELDS (sizeof fields / sizeof fields[0])

/* What is printed, gathered first: text and JSON say the same. */
struct toc {
	struct cdsource *s;
	char *mcn;      /* cdio_free */
	char *isrc[99]; /* per track (index as s->tracks), cdio_free */
	cdtext_t *text; /* libcdio's, kept by s->cdio; NULL: none */
	int nblocks;    /* CD-TEXT language blocks */
	int block[8];   /* their index (cdtext_set_language_index) */
	cdtext_lang_t lang[8];
	int has_iso; /* an ISO 9660 volume where the copy starts */
	int32_t iso_end;
	int has_copy; /* a data copy: copy_first, copy_blocks */
	int32_t copy_first;
	int64_t copy_blocks;
	int status;
};

static const char *format_name(int f, int json)
{
	switch (f) {
	case TRACK_FORMAT_AUDIO:
		return "audio";
	case TRACK_FORMAT_DATA:
		return "data";
	case TRACK_FORMAT_XA:
		return json ? "xa" : "XA";
	case TRACK_FORMAT_CDI:
		return json ? "cdi" : "CD-i";
	case TRACK_FORMAT_PSX:
		return json ? "psx" : "PSX";
	default:
		return json ? "unknown" : "?";
	}
}

static const char *kind_name(enum cdsrc_kind k)
{
	return k == CDSRC_DRIVE     ? "drive"
	       : k == CDSRC_CDIMAGE ? "image"
	                            : "file";
}

static const char *lang_name(cdtext_lang_t l)
{
	const char *n =
	    l == CDTEXT_LANGUAGE_INVALID ? NULL : cdtext_lang2str(l);

	return n && *n ? n : "invalid";
}

/* the text of a CD-TEXT field in the block selected, NULL when empty */
static const char *text_of(const struct toc *t, int field, int track)
{
	const char *v =
	    cdtext_get_const(t->text, fields[field].field, (track_t)track);

	return v && *v ? v : NULL;
}

/* the genre code of the block selected (cd-info's GENRE_CODE), 0: none */
static int genre(const struct toc *t)
{
	cdtext_genre_t g = cdtext_get_genre(t->text);

	return g > CDTEXT_GENRE_UNUSED && g <= CDTEXT_GENRE_WORLD_MUSIC ? (int)g
	                                                                : 0;
}

static void text_select(struct toc *t, int i)
{
	cdtext_set_language_index(t->text, t->block[i]);
}

/* The first data track of the newest session with data: where
 * cdsrc_data_range starts its default copy. */
static const struct cdsrc_track *copy_track(const struct cdsource *s)
{
	const struct cdsrc_track *t = NULL;

	for (int i = 0; i < s->ntracks; i++)
		if (!s->tracks[i].audio &&
		    (!t || s->tracks[i].session > t->session))
			t = &s->tracks[i];
	return t;
}

static void gather(struct toc *t, struct cdsource *s)
{
	const struct cdsrc_track *data = copy_track(s);

	memset(t, 0, sizeof *t);
	t->s = s;
	if (s->cdio) {
		cdtext_lang_t *langs;

		t->mcn = cdio_get_mcn(s->cdio);
		if (t->mcn && !*t->mcn) {
			cdio_free(t->mcn);
			t->mcn = NULL;
		}
		for (int i = 0; i < s->ntracks; i++) {
			t->isrc[i] = cdio_get_track_isrc(
			    s->cdio, (track_t)s->tracks[i].num);
			if (t->isrc[i] && !*t->isrc[i]) {
				cdio_free(t->isrc[i]);
				t->isrc[i] = NULL;
			}
		}
		t->text = cdio_get_cdtext(s->cdio);
		langs = t->text ? cdtext_list_languages_v2(t->text) : NULL;
		for (int i = 0; langs && i < 8; i++)
			if (langs[i] != CDTEXT_LANGUAGE_BLOCK_UNUSED) {
				t->block[t->nblocks] = i;
				t->lang[t->nblocks++] = langs[i];
			}
		if (!t->nblocks)
			t->text = NULL;
	}
	if (data) {
		int r = cdsrc_iso_end(s, data->start, &t->iso_end);
		int quiet = cd_quiet, status = 0;

		t->has_iso = r > 0;
		/* what cdread copies without --toc; its notes (no file
		 * system there) are for a copy, its errors are said */
		cd_quiet = 1;
		if (cdsrc_data_range(s, 0, 0, 0, &t->copy_first,
		                     &t->copy_blocks, &status) == 0)
			t->has_copy = 1;
		else if (status != CD_EXIT_MEDIUM)
			t->status = status;
		cd_quiet = quiet;
	}
}

static void release(struct toc *t)
{
	cdio_free(t->mcn);
	for (int i = 0; i < t->s->ntracks; i++)
		cdio_free(t->isrc[i]);
}

static void msf(char *buf, size_t len, int32_t lba)
{
	int32_t f = lba + 150;

	snprintf(buf, len, "%02" PRId32 ":%02" PRId32 ":%02" PRId32, f / 4500,
	         f / 75 % 60, f % 75);
}

/* The first and last track of session n: 1, or 0 when it has none. */
static int session_span(const struct cdsource *s, int n,
                        const struct cdsrc_track **a,
                        const struct cdsrc_track **b)
{
	*a = *b = NULL;
	for (int i = 0; i < s->ntracks; i++)
		if (s->tracks[i].session == n) {
			if (!*a)
				*a = &s->tracks[i];
			*b = &s->tracks[i];
		}
	return *a != NULL;
}

/* a string from the medium (CD-TEXT, an ISRC, the MCN: a CUE sheet's
 * ISRC can be any bytes) for a person: control characters as '?', so
 * that none reaches a terminal and each fact stays on its line */
static void put_text(FILE *f, const char *v)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
}

/* ------------------------------------------------------------- text */

static void text_cdtext(struct toc *t, FILE *f)
{
	const struct cdsource *s = t->s;

	if (t->nblocks > 1) {
		fprintf(f, "cdtext: languages:");
		for (int i = 0; i < t->nblocks; i++)
			fprintf(f, "%s %s", i ? "," : "",
			        lang_name(t->lang[i]));
		fputc('\n', f);
	}
	for (int i = 0; i < t->nblocks; i++) {
		const char *lang = lang_name(t->lang[i]);

		text_select(t, i);
		fprintf(f, "cdtext: block %d: %s\n", t->block[i], lang);
		for (int k = -1; k < s->ntracks; k++) {
			int num = k < 0 ? 0 : s->tracks[k].num;

			for (size_t j = 0; j < NFIELDS; j++) {
				const char *v = text_of(t, (int)j, num);

				if (!v)
					continue;
				fprintf(f, "cdtext: ");
				if (t->nblocks > 1)
					fprintf(f, "%s: ", lang);
				if (num)
					fprintf(f, "track %d: ", num);
				else
					fprintf(f, "disc: ");
				fprintf(f, "%s: ", fields[j].name);
				put_text(f, v);
				fputc('\n', f);
			}
			if (!num && genre(t))
				fprintf(
				    f,
				    "cdtext: %s%sdisc: genre_code: %d (%s)\n",
				    t->nblocks > 1 ? lang : "",
				    t->nblocks > 1 ? ": " : "", genre(t),
				    cdtext_genre2str(genre(t)));
		}
	}
}

static void text(struct toc *t, FILE *f)
{
	const struct cdsource *s = t->s;
	char m[16];

	fprintf(f, "first: %d last: %d\n", s->tracks[0].num,
	        s->tracks[s->ntracks - 1].num);
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *k = &s->tracks[i];

		msf(m, sizeof m, k->start);
		fprintf(f,
		        "track: %3d lba: %9" PRId32 " (%9" PRId64 ") %s "
		        "session: %d mode: %-5s length: %8" PRId32
		        " pregap: %4" PRId32 " copy: %s",
		        k->num, k->start, (int64_t)k->start * 4, m, k->session,
		        format_name(k->format, 0), k->size, k->pregap,
		        k->copy ? "yes" : "no");
		if (k->audio && k->preemph)
			fprintf(f, " preemphasis");
		if (k->audio && k->channels && k->channels != 2)
			fprintf(f, " channels: %d", k->channels);
		if (t->isrc[i]) {
			fprintf(f, " isrc: ");
			put_text(f, t->isrc[i]);
		}
		fputc('\n', f);
	}
	msf(m, sizeof m, s->leadout);
	fprintf(f, "track:lout lba: %9" PRId32 " (%9" PRId64 ") %s\n",
	        s->leadout, (int64_t)s->leadout * 4, m);
	for (int n = 1; n <= s->nsessions; n++) {
		const struct cdsrc_track *a, *b;

		if (session_span(s, n, &a, &b))
			fprintf(f,
			        "session: %d tracks: %d-%d start: %" PRId32
			        " lead-out: %" PRId32 "\n",
			        n, a->num, b->num, a->start,
			        b->start + b->size);
	}
	if (t->mcn) {
		fprintf(f, "mcn: ");
		put_text(f, t->mcn);
		fputc('\n', f);
	}
	if (t->text)
		text_cdtext(t, f);
	if (s->kind == CDSRC_FILE)
		fprintf(f, "file: %" PRIu64 " blocks (%" PRIu64 " bytes)\n",
		        s->bytes / CDSRC_BLOCK, s->bytes);
	if (t->has_iso)
		fprintf(f, "iso9660: the volume ends at block %" PRId32 "\n",
		        t->iso_end);
	if (t->has_copy)
		fprintf(f,
		        "copy: blocks %" PRId32 " to %" PRId64 " (%" PRId64
		        " blocks, %" PRId64 " bytes)\n",
		        t->copy_first, t->copy_first + t->copy_blocks - 1,
		        t->copy_blocks, t->copy_blocks * CDSRC_BLOCK);
	else
		fprintf(f, "copy: none (no data track%s)\n",
		        t->status ? " that can be read" : "");
}

/* ------------------------------------------------------------- JSON */

static void json_or_null(FILE *f, const char *v)
{
	if (v)
		json_str(f, v);
	else
		fputs("null", f);
}

static void json_cdtext(struct toc *t, FILE *f)
{
	const struct cdsource *s = t->s;

	fputs(",\"cdtext\":[", f);
	for (int i = 0; i < t->nblocks; i++) {
		text_select(t, i);
		fprintf(f, "%s{\"block\":%d,\"language\":", i ? "," : "",
		        t->block[i]);
		json_str(f, lang_name(t->lang[i]));
		fputs(",\"disc\":{", f);
		for (int k = -1; k < s->ntracks; k++) {
			int num = k < 0 ? 0 : s->tracks[k].num, n = 0;

			if (k == 0)
				fputs("},\"tracks\":[", f);
			if (k >= 0)
				fprintf(f, "%s{\"track\":%d", k ? "," : "",
				        num);
			for (size_t j = 0; j < NFIELDS; j++) {
				const char *v = text_of(t, (int)j, num);

				if (!v)
					continue;
				fprintf(f, "%s\"%s\":", k >= 0 || n ? "," : "",
				        fields[j].name);
				json_str(f, v);
				n++;
			}
			if (k < 0 && genre(t))
				fprintf(f, "%s\"genre_code\":%d", n ? "," : "",
				        genre(t));
			if (k >= 0)
				fputc('}', f);
		}
		fputs(s->ntracks ? "]}" : "},\"tracks\":[]}", f);
	}
	fputc(']', f);
}

static void json(struct toc *t, FILE *f)
{
	const struct cdsource *s = t->s;
	char m[16];

	fputs("{\"source\":", f);
	json_str(f, s->name);
	fprintf(f,
	        ",\"kind\":\"%s\",\"first_track\":%d,\"last_track\":%d,"
	        "\"leadout\":%" PRId32 ",\"sessions\":[",
	        kind_name(s->kind), s->tracks[0].num,
	        s->tracks[s->ntracks - 1].num, s->leadout);
	for (int n = 1, out = 0; n <= s->nsessions; n++) {
		const struct cdsrc_track *a, *b;

		if (session_span(s, n, &a, &b))
			fprintf(f,
			        "%s{\"session\":%d,\"first_track\":%d,"
			        "\"last_track\":%d,\"start\":%" PRId32
			        ",\"leadout\":%" PRId32 "}",
			        out++ ? "," : "", n, a->num, b->num, a->start,
			        b->start + b->size);
	}
	fputs("],\"tracks\":[", f);
	for (int i = 0; i < s->ntracks; i++) {
		const struct cdsrc_track *k = &s->tracks[i];

		msf(m, sizeof m, k->start);
		fprintf(f,
		        "%s{\"track\":%d,\"session\":%d,\"start\":%" PRId32
		        ",\"msf\":\"%s\",\"blocks\":%" PRId32
		        ",\"pregap\":%" PRId32 ",\"type\":\"%s\","
		        "\"format\":\"%s\",\"copy_permitted\":%s,"
		        "\"preemphasis\":%s,\"channels\":%d,\"isrc\":",
		        i ? "," : "", k->num, k->session, k->start, m, k->size,
		        k->pregap, k->audio ? "audio" : "data",
		        format_name(k->format, 1), k->copy ? "true" : "false",
		        k->preemph ? "true" : "false",
		        k->audio ? k->channels : 0);
		json_or_null(f, t->isrc[i]);
		fputc('}', f);
	}
	fputs("],\"mcn\":", f);
	json_or_null(f, t->mcn);
	json_cdtext(t, f);
	if (s->kind == CDSRC_FILE)
		fprintf(f, ",\"file_blocks\":%" PRIu64, s->bytes / CDSRC_BLOCK);
	if (t->has_iso)
		fprintf(f, ",\"iso_end\":%" PRId32, t->iso_end);
	else
		fputs(",\"iso_end\":null", f);
	if (t->has_copy)
		fprintf(f,
		        ",\"copy_first\":%" PRId32 ",\"copy_blocks\":%" PRId64
		        "}\n",
		        t->copy_first, t->copy_blocks);
	else
		fputs(",\"copy_first\":null,\"copy_blocks\":null}\n", f);
}

int cdtoc_print(struct cdsource *s, FILE *f, int as_json)
{
	struct toc t;

	gather(&t, s);
	if (as_json)
		json(&t, f);
	else
		text(&t, f);
	release(&t);
	return t.status;
}
