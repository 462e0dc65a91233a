/* json: what cdpipe's --json output shares: strings written as JSON, with
 * control characters escaped, valid UTF-8 passed through and any other
 * byte given as U+FFFD (JSON cannot carry raw bytes). */
#ifndef CDPIPE_JSON_H
#define CDPIPE_JSON_H

#include <stdio.h>

/* Write s (NULL: "") as a quoted JSON string. */
void json_str(FILE *f, const char *s);

#endif
