/* bahi_buf: a growable byte buffer with a hard cap (curl-style). */
#ifndef BAHI_BUF_H
#define BAHI_BUF_H

#include <stddef.h>
#include <stdarg.h>

typedef struct bahi_buf {
	char *data;     /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	size_t max;     /* appends that would exceed this fail */
	int overflow;   /* set once an append was refused */
} bahi_buf;

void bahi_buf_init(bahi_buf *b, size_t max);
void bahi_buf_free(bahi_buf *b);
void bahi_buf_reset(bahi_buf *b);
/* Each returns 0, or -1 (and sets overflow) when the cap would be passed. */
int bahi_buf_append(bahi_buf *b, const void *data, size_t n);
int bahi_buf_puts(bahi_buf *b, const char *s);
int bahi_buf_putc(bahi_buf *b, char c);
int bahi_buf_printf(bahi_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Appends s as the inside of a JSON string (quotes not included). */
int bahi_buf_json_escape(bahi_buf *b, const char *s);
/* Appends ,"key":"value" (value escaped, key as it is) or ,"key":null when
 * value is NULL: one string member after others of a JSON object. */
int bahi_buf_json_member(bahi_buf *b, const char *key, const char *value);

#endif
