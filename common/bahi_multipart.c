/* bahi_multipart: reading multipart/form-data bodies (RFC 7578): boundaries, part headers, named fields and files. */
#include "bahi_multipart.h"

#include <string.h>
#include <strings.h>

#include "bahi_pool.h"
#include "bahi_req.h"

/* RFC 2046: a boundary is 1..70 characters. */
#define BOUNDARY_MAX 70

int
bahi_multipart_is(const char *ct)
{
	static const char type[] = "multipart/form-data";
	return ct != NULL && strncasecmp(ct, type, sizeof(type) - 1) == 0 &&
	       (ct[sizeof(type) - 1] == '\0' || ct[sizeof(type) - 1] == ';' ||
	        ct[sizeof(type) - 1] == ' ');
}

/* The value of parameter key (lower case) in a header value "x; key=v; ..."
 * (v quoted or not) into the pool, or NULL. */
static const char *
header_param(bahi_pool *pool, const char *v, size_t n, const char *key)
{
	size_t klen = strlen(key), i = 0;
	while (i < n) {
		while (i < n && (v[i] == ';' || v[i] == ' ' || v[i] == '\t'))
			i++;
		size_t start = i;
		while (i < n && v[i] != '=' && v[i] != ';')
			i++;
		int match = i - start == klen && strncasecmp(v + start, key, klen) == 0;
		if (i >= n || v[i] == ';')
			continue;
		i++;    /* '=' */
		char *out = bahi_pool_alloc(pool, n - i + 1);
		size_t o = 0;
		if (i < n && v[i] == '"') {
			for (i++; i < n && v[i] != '"'; i++) {
				if (v[i] == '\\' && i + 1 < n)
					i++;
				out[o++] = v[i];
			}
			i++;
		} else {
			while (i < n && v[i] != ';' && v[i] != ' ' && v[i] != '\t')
				out[o++] = v[i++];
		}
		out[o] = '\0';
		if (match)
			return out;
	}
	return NULL;
}

/* The boundary of a multipart/form-data Content-Type, or NULL. */
static const char *
boundary_of(bahi_pool *pool, const char *ct)
{
	if (!bahi_multipart_is(ct))
		return NULL;
	const char *b = header_param(pool, ct, strlen(ct), "boundary");
	size_t n = b != NULL ? strlen(b) : 0;
	return n >= 1 && n <= BOUNDARY_MAX ? b : NULL;
}

/* Reads the part headers in [h, h + n): name, filename and type into out.
 * The name into *name (NULL when the part has none). */
static void
part_headers(bahi_pool *pool, const char *h, size_t n, const char **name, bahi_part *out)
{
	static const char cd[] = "content-disposition:", cty[] = "content-type:";
	*name = NULL;
	out->filename = out->content_type = NULL;
	while (n > 0) {
		const char *eol = memmem(h, n, "\r\n", 2);
		size_t len = eol != NULL ? (size_t)(eol - h) : n;
		if (len > sizeof(cd) - 1 && strncasecmp(h, cd, sizeof(cd) - 1) == 0) {
			const char *v = h + sizeof(cd) - 1;
			size_t vn = len - (sizeof(cd) - 1);
			*name = header_param(pool, v, vn, "name");
			out->filename = header_param(pool, v, vn, "filename");
		} else if (len > sizeof(cty) - 1 && strncasecmp(h, cty, sizeof(cty) - 1) == 0) {
			const char *v = h + sizeof(cty) - 1;
			size_t vn = len - (sizeof(cty) - 1);
			while (vn > 0 && (*v == ' ' || *v == '\t')) {
				v++;
				vn--;
			}
			out->content_type = bahi_pool_strndup(pool, v, vn);
		}
		if (eol == NULL)
			break;
		n -= len + 2;
		h = eol + 2;
	}
}

int
bahi_multipart_find(bahi_pool *pool, const char *ct, const char *body, size_t len,
                    const char *name, bahi_part *out)
{
	const char *b = boundary_of(pool, ct);
	if (b == NULL || body == NULL)
		return -1;
	/* every delimiter but the first follows a line end: "\r\n--" boundary */
	const char *delim = bahi_pool_printf(pool, "\r\n--%s", b);
	size_t dlen = strlen(delim);
	const char *end = body + len, *p;
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0)
		p = body + dlen - 2;
	else if ((p = memmem(body, len, delim, dlen)) != NULL)
		p += dlen;
	else
		return -1;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;            /* the closing delimiter */
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return -1;
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		if (hend == NULL)
			return -1;
		const char *pname;
		part_headers(pool, p, (size_t)(hend - p), &pname, out);
		const char *data = hend + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, dlen);
		if (next == NULL)
			return -1;
		if (pname != NULL && strcmp(pname, name) == 0) {
			out->data = data;
			out->len = (size_t)(next - data);
			return 1;
		}
		p = next + dlen;
	}
}

int
bahi_req_part(bahi_req *req, const char *name, bahi_part *out)
{
	const char *ct = bahi_req_param(req, "CONTENT_TYPE");
	if (req->body == NULL || !bahi_multipart_is(ct))
		return 0;
	return bahi_multipart_find(req->pool, ct, req->body, req->body_len, name, out);
}
