/* bahi_multipart: reading multipart/form-data bodies (browser forms with file inputs). */
#ifndef BAHI_MULTIPART_H
#define BAHI_MULTIPART_H

#include <stddef.h>

struct bahi_pool;
struct bahi_req;

/* One part of a multipart/form-data body. */
typedef struct bahi_part {
	const char *data;           /* the part's bytes, inside the body (not NUL-terminated) */
	size_t len;
	const char *filename;       /* a file input's file name (pool), or NULL for a field */
	const char *content_type;   /* the part's Content-Type (pool), or NULL */
} bahi_part;

/* 1 when content_type is multipart/form-data. */
int bahi_multipart_is(const char *content_type);

/* Finds the first part named name in body (len bytes) sent with
 * content_type (multipart/form-data; boundary=...). 1 with *out filled, 0
 * when there is no such part, -1 when the body or its type is malformed
 * (no boundary, a part without headers, no closing delimiter). */
int bahi_multipart_find(struct bahi_pool *pool, const char *content_type, const char *body,
                        size_t len, const char *name, bahi_part *out);

/* bahi_multipart_find on the request's body: 1, 0 (also when the body is
 * not multipart) or -1. */
int bahi_req_part(struct bahi_req *req, const char *name, bahi_part *out);

#endif
