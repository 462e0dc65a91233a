/* json: writing JSON strings. See json.h. */
#include "config.h"

#include "json.h"

void json_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (; p && *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else if (*p < 0x80)
			fputc(*p, f);
		else {
			/* pass valid UTF-8 through; other bytes as U+FFFD */
			int n = (*p & 0xe0) == 0xc0 && *p >= 0xc2   ? 1
			        : (*p & 0xf0) == 0xe0               ? 2
			        : (*p & 0xf8) == 0xf0 && *p <= 0xf4 ? 3
			                                            : 0;
			int ok = n > 0;

			for (int i = 1; ok && i <= n; i++)
				ok = (p[i] & 0xc0) == 0x80;
			if (ok) {
				fwrite(p, 1, (size_t)n + 1, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
			}
		}
	}
	fputc('"', f);
}
