/* progress: rate-limited meter on stderr. See progress.h. */
#include "config.h"

#include "progress.h"
#include "cli.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(struct progress *p, enum progress_mode mode, uint64_t total)
{
	p->tty = isatty(STDERR_FILENO);
	p->enabled =
	    mode == PROGRESS_FORCE || (mode == PROGRESS_AUTO && p->tty);
	p->shown = 0;
	p->total = total;
	p->start = now();
	p->last = p->start;
	p->extra[0] = '\0';
	p->what[0] = '\0';
}

void progress_what(struct progress *p, const char *what)
{
	snprintf(p->what, sizeof p->what, "%s%s", what ? what : "",
	         what && *what ? ": " : "");
}

void progress_format(char *buf, size_t len, uint64_t done, uint64_t total,
                     double elapsed)
{
	char a[32], b[32];
	double rate = elapsed > 0 ? (double)done / elapsed : 0;
	int n;

	cd_human(a, sizeof a, done);
	if (total > 0) {
		cd_human(b, sizeof b, total);
		n = snprintf(buf, len, "%5.1f%% %s of %s",
		             100.0 * (double)done / (double)total, a, b);
	} else {
		n = snprintf(buf, len, "%s", a);
	}
	if (n < 0 || (size_t)n >= len)
		return;
	if (rate > 0) {
		n += snprintf(buf + n, len - (size_t)n, ", %.1f MB/s",
		              rate / 1e6);
		if (total > done && (size_t)n < len) {
			unsigned long left =
			    (unsigned long)((double)(total - done) / rate +
			                    0.5);

			snprintf(buf + n, len - (size_t)n, ", %lu:%02lu left",
			         left / 60, left % 60);
		}
	}
}

static void show(struct progress *p, uint64_t done, double t)
{
	char line[160];

	progress_format(line, sizeof line, done, p->total, t - p->start);
	if (p->tty)
		fprintf(stderr, "\r%s: %s%s%s\033[K", cd_prog, p->what, line,
		        p->extra);
	else
		fprintf(stderr, "%s: %s%s%s\n", cd_prog, p->what, line,
		        p->extra);
	p->shown = 1;
	p->last = t;
}

void progress_update(struct progress *p, uint64_t done)
{
	double t;

	if (!p->enabled)
		return;
	t = now();
	/* a terminal's line is redrawn; a log (a CI job, a serial console)
	 * gets a plain line every few seconds, as curl and rsync do */
	if (t - p->last < (p->tty ? 0.2 : 5.0))
		return;
	show(p, done, t);
}

void progress_end(struct progress *p, uint64_t done)
{
	if (!p->enabled)
		return;
	show(p, done, now());
	if (p->tty)
		fputc('\n', stderr);
}

void progress_update_extra(struct progress *p, uint64_t done, const char *extra)
{
	snprintf(p->extra, sizeof p->extra, "%s", extra);
	progress_update(p, done);
}
