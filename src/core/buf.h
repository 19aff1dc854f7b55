/* Growable byte buffer with a maximum size, in the manner of curl's dynbuf:
 * on any failure (allocation, or growing past max) the buffer frees its
 * contents and further appends fail, so a writer cannot run away and a
 * caller needs only one check at the end. Contents are always NUL-terminated. */
#ifndef CD_BUF_H
#define CD_BUF_H

#include "compiler.h"

#include <stdarg.h>
#include <stddef.h>

#include "error.h"

struct cd_buf {
	char *data;
	size_t len;
	size_t cap;
	size_t max;
	int failed;
};

#define CD_BUF_MAX_DEFAULT ((size_t)256 << 20)

void cd_buf_init(struct cd_buf *b, size_t max);
cd_err cd_buf_add(struct cd_buf *b, const void *p, size_t n);
cd_err cd_buf_adds(struct cd_buf *b, const char *s);
cd_err cd_buf_addc(struct cd_buf *b, char c);
cd_err cd_buf_addf(struct cd_buf *b, const char *fmt, ...)
	CD_PRINTF(2, 3);
cd_err cd_buf_vaddf(struct cd_buf *b, const char *fmt, va_list ap);
/* "" when empty, never NULL (unless failed). */
const char *cd_buf_str(const struct cd_buf *b);
/* Frees the contents and makes the buffer empty and usable again. */
void cd_buf_release(struct cd_buf *b);
/* Gives the contents to the caller (free()), leaves the buffer empty. NULL if failed. */
char *cd_buf_detach(struct cd_buf *b);

#endif
