/* bahi_buf: growable, capped byte buffers. */
#include "bahi_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
bahi_buf_init(bahi_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->max = max;
	b->overflow = 0;
}

void
bahi_buf_free(bahi_buf *b)
{
	free(b->data);
	bahi_buf_init(b, b->max);
}

void
bahi_buf_reset(bahi_buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

static int
buf_reserve(bahi_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra) {
		b->overflow = 1;
		return -1;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (p == NULL) {
		b->overflow = 1;
		return -1;
	}
	b->data = p;
	b->cap = cap;
	return 0;
}

int
bahi_buf_append(bahi_buf *b, const void *data, size_t n)
{
	if (buf_reserve(b, n) != 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
bahi_buf_puts(bahi_buf *b, const char *s)
{
	return bahi_buf_append(b, s, strlen(s));
}

int
bahi_buf_putc(bahi_buf *b, char c)
{
	return bahi_buf_append(b, &c, 1);
}

int
bahi_buf_printf(bahi_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

int
bahi_buf_json_escape(bahi_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		int rc;
		switch (*p) {
		case '"':  rc = bahi_buf_append(b, "\\\"", 2); break;
		case '\\': rc = bahi_buf_append(b, "\\\\", 2); break;
		case '\n': rc = bahi_buf_append(b, "\\n", 2); break;
		case '\r': rc = bahi_buf_append(b, "\\r", 2); break;
		case '\t': rc = bahi_buf_append(b, "\\t", 2); break;
		default:
			if (*p < 0x20) {
				char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
				rc = bahi_buf_append(b, u, 6);
			} else {
				rc = bahi_buf_putc(b, (char)*p);
			}
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

int
bahi_buf_json_member(bahi_buf *b, const char *key, const char *value)
{
	if (value == NULL)
		return bahi_buf_printf(b, ",\"%s\":null", key);
	int rc = bahi_buf_printf(b, ",\"%s\":\"", key);
	rc |= bahi_buf_json_escape(b, value);
	rc |= bahi_buf_putc(b, '"');
	return rc ? -1 : 0;
}
