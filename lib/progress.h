/* progress: a rate-limited progress meter on stderr: percent, amount,
 * rate and time left. At most 5 updates a second on a terminal (one line
 * redrawn with \r), one in 5 seconds otherwise (a plain line each, no
 * \r or terminal codes). On by default
 * only when stderr is a terminal. */
#ifndef CDPIPE_PROGRESS_H
#define CDPIPE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

enum progress_mode {
	PROGRESS_OFF = -1,  /* -q / -quiet */
	PROGRESS_AUTO = 0,  /* on when stderr is a terminal */
	PROGRESS_FORCE = 1, /* --progress */
};

struct progress {
	int enabled;
	int tty;
	int shown;
	uint64_t total;
	double start;
	double last;
	char extra[64]; /* appended to the line: ", fifo 97%" */
	char what[48];  /* before it: "volume 2: " */
};

void progress_init(struct progress *p, enum progress_mode mode, uint64_t total);
/* Name what the line counts ("volume 2"): "cdtape: volume 2: 45.0% ..." */
void progress_what(struct progress *p, const char *what);
/* Report that done bytes of total are finished; prints when due. */
void progress_update(struct progress *p, uint64_t done);
/* The same, with text appended to the line (a burner's buffer fill). */
void progress_update_extra(struct progress *p, uint64_t done,
                           const char *extra);
/* Print the final line (if anything was shown) and end it. */
void progress_end(struct progress *p, uint64_t done);

/* The text of one report (no prefix, no newline), for tests. */
void progress_format(char *buf, size_t len, uint64_t done, uint64_t total,
                     double elapsed);

#endif
