/* bahi_req: reading a FastCGI request (params, query, cookies, body) and building its response. */
#include "bahi_req.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <fcgiapp.h>

#include "bahi_multipart.h"
#include "bahi_num.h"
#include "bahi_uuid.h"

const char *
bahi_req_param(bahi_req *req, const char *name)
{
	if (req->fcgx == NULL) {
		for (const char *const *p = req->local_params; p != NULL && p[0] != NULL; p += 2)
			if (strcmp(p[0], name) == 0)
				return p[1];
		return NULL;
	}
	return FCGX_GetParam(name, req->fcgx->envp);
}

const char *
bahi_req_header(bahi_req *req, const char *name)
{
	char key[128] = "HTTP_";
	size_t n = strlen(name);
	if (n + 6 > sizeof(key))
		return NULL;
	for (size_t i = 0; i < n; i++)
		key[5 + i] = name[i] == '-' ? '_' : (char)toupper((unsigned char)name[i]);
	key[5 + n] = '\0';
	return bahi_req_param(req, key);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *
bahi_url_decode(bahi_pool *pool, const char *s, size_t n, int plus)
{
	char *out = bahi_pool_alloc(pool, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval((unsigned char)s[i + 1]);
			int lo = hi < 0 ? -1 : hexval((unsigned char)s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return NULL;
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (s[i] == '+' && plus) {
			out[o++] = ' ';
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

const char *
bahi_form_lookup(bahi_pool *pool, const char *encoded, const char *name)
{
	size_t nlen = strlen(name);
	const char *p = encoded;
	while (p != NULL && *p != '\0') {
		size_t plen = strcspn(p, "&");
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen;
		char *key = bahi_url_decode(pool, p, klen, 1);
		if (key != NULL && strlen(key) == nlen && memcmp(key, name, nlen) == 0) {
			if (eq == NULL)
				return "";
			return bahi_url_decode(pool, eq + 1, plen - klen - 1, 1);
		}
		p += plen;
		if (*p == '&')
			p++;
	}
	return NULL;
}

const char *
bahi_req_query(bahi_req *req, const char *name)
{
	return bahi_form_lookup(req->pool, req->query ? req->query : "", name);
}

const char *
bahi_req_form(bahi_req *req, const char *name)
{
	const char *ct = bahi_req_param(req, "CONTENT_TYPE");
	bahi_part part;
	if (req->body != NULL && bahi_multipart_is(ct))    /* a form with a file input */
		return bahi_req_part(req, name, &part) == 1 && part.filename == NULL &&
		       memchr(part.data, '\0', part.len) == NULL ?
		       bahi_pool_strndup(req->pool, part.data, part.len) : NULL;
	if (req->body == NULL || ct == NULL ||
	    strncmp(ct, "application/x-www-form-urlencoded", 33) != 0)
		return NULL;
	return bahi_form_lookup(req->pool, req->body, name);
}

const char *
bahi_req_cookie(bahi_req *req, const char *name)
{
	const char *c = bahi_req_param(req, "HTTP_COOKIE");
	size_t nlen = strlen(name);
	while (c != NULL && *c != '\0') {
		while (*c == ' ' || *c == ';')
			c++;
		size_t len = strcspn(c, ";");
		if (len > nlen && c[nlen] == '=' && memcmp(c, name, nlen) == 0)
			return bahi_pool_strndup(req->pool, c + nlen + 1, len - nlen - 1);
		c += len;
	}
	return NULL;
}

const char *
bahi_req_capture(bahi_req *req, const char *name)
{
	for (size_t i = 0; i < req->ncaptures; i++)
		if (strcmp(req->capture_names[i], name) == 0)
			return req->capture_values[i];
	return NULL;
}

const char *
bahi_req_capture_id(bahi_req *req, const char *name, const char *missing)
{
	char id[BAHI_UUID_LEN + 1];
	const char *s = bahi_req_capture(req, name);
	if (s == NULL || bahi_uuid_normalise(s, id) != 0) {
		bahi_fail(req, "not_found", "%s", missing);
		return NULL;
	}
	return bahi_pool_strdup(req->pool, id);
}

/* bahi_fail with its arguments as a va_list (detail_fmt NULL: no detail). */
static int
fail_v(bahi_req *req, const char *code, const char *detail_fmt, va_list ap)
{
	const char *detail = detail_fmt ? bahi_pool_vprintf(req->pool, detail_fmt, ap) : NULL;
	bahi_problem_set(&req->problem, code, detail);
	return -1;
}

int
bahi_fail(bahi_req *req, const char *code, const char *detail_fmt, ...)
{
	va_list ap;
	va_start(ap, detail_fmt);
	fail_v(req, code, detail_fmt, ap);
	va_end(ap);
	return -1;
}

int
bahi_fail_unique(bahi_req *req, const char *code, const char *detail_fmt, ...)
{
	if (strcmp(req->sqlstate, "23505") != 0)
		return req->problem.status ? -1 : bahi_fail(req, "internal_error", NULL);
	va_list ap;
	va_start(ap, detail_fmt);
	fail_v(req, code, detail_fmt, ap);
	va_end(ap);
	return -1;
}

long
bahi_req_if_match(bahi_req *req)
{
	const char *h = bahi_req_header(req, "If-Match");
	if (h == NULL)
		return 0;
	size_t n = strlen(h);
	char digits[24];
	if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
		h++;
		n -= 2;
	}
	int64_t v;
	if (n == 0 || n >= sizeof(digits))
		return bahi_fail(req, "bad_request", "If-Match must be a version such as \"3\".");
	memcpy(digits, h, n);
	digits[n] = '\0';
	if (bahi_num_parse(digits, 1, INT32_MAX, &v, NULL) != 0)
		return bahi_fail(req, "bad_request", "If-Match must be a version such as \"3\".");
	return (long)v;
}

int
bahi_req_read_body(bahi_req *req, size_t max)
{
	const char *cl = bahi_req_param(req, "CONTENT_LENGTH");
	int64_t len = 0;
	if (cl != NULL && *cl != '\0' &&
	    bahi_num_parse(cl, 0, INT64_MAX, &len, NULL) != 0)
		return bahi_fail(req, "bad_request", "Content-Length is not a number.");
	if ((uint64_t)len > max)
		return bahi_fail(req, "payload_too_large",
		                 "The body is %lld bytes; the limit is %zu.", (long long)len, max);
	req->body = bahi_pool_alloc(req->pool, (size_t)len + 1);
	size_t got = 0;
	while (got < (size_t)len) {
		int n = FCGX_GetStr(req->body + got, (int)((size_t)len - got), req->fcgx->in);
		if (n <= 0)
			return bahi_fail(req, "bad_request", "The body ended early.");
		got += (size_t)n;
	}
	req->body[got] = '\0';
	req->body_len = got;
	return 0;
}

int
bahi_req_parse_json(bahi_req *req)
{
	const char *ct = bahi_req_param(req, "CONTENT_TYPE");
	if (ct == NULL || strncmp(ct, "application/json", 16) != 0 ||
	    (ct[16] != '\0' && ct[16] != ';'))
		return bahi_fail(req, "unsupported_media_type",
		                 "Send the body as application/json.");
	if (req->body_len == 0)
		return bahi_fail(req, "malformed_json", "The body is empty; a JSON object is expected.");
	if (memchr(req->body, '\0', req->body_len) != NULL)
		return bahi_fail(req, "malformed_json", "The body contains a NUL byte.");
	const char *end = NULL;
	/* the length includes our terminating NUL: cJSON wants to see it */
	req->json = cJSON_ParseWithLengthOpts(req->body, req->body_len + 1, &end, 1);
	if (req->json == NULL) {
		size_t at = end ? (size_t)(end - req->body) : 0;
		if (at > req->body_len)
			at = req->body_len;
		return bahi_fail(req, "malformed_json",
		                 "The body is not valid JSON (error near byte %zu).", at);
	}
	bahi_pool_cleanup(req->pool, (bahi_cleanup_fn)cJSON_Delete, req->json);
	if (!cJSON_IsObject(req->json)) {
		bahi_problem_field(&req->problem, "", "must_be_object",
		                   "The body must be a JSON object.");
		return -1;
	}
	return 0;
}

void
bahi_resp_header(bahi_req *req, const char *name, const char *value)
{
	bahi_buf_printf(&req->headers, "%s: %s\r\n", name, value);
}

int
bahi_resp_body(bahi_req *req, int status, const char *content_type,
               const void *data, size_t len)
{
	req->status = status;
	req->content_type = content_type;
	bahi_buf_reset(&req->out);
	if (bahi_buf_append(&req->out, data, len) != 0)
		return bahi_fail(req, "internal_error", "The response is too large.");
	return 0;
}

int
bahi_resp_json(bahi_req *req, int status, cJSON *body)
{
	char *text = cJSON_PrintUnformatted(body);
	cJSON_Delete(body);
	if (text == NULL)
		return bahi_fail(req, "internal_error", "Could not encode the response.");
	int rc = bahi_resp_body(req, status, "application/json", text, strlen(text));
	cJSON_free(text);
	return rc;
}

static void
close_fd(void *p)
{
	close((int)(intptr_t)p);
}

int
bahi_resp_file(bahi_req *req, int status, const char *content_type, int fd)
{
	bahi_pool_cleanup(req->pool, close_fd, (void *)(intptr_t)fd);
	req->status = status;
	req->content_type = content_type;
	req->out_fd = fd;
	bahi_buf_reset(&req->out);
	return 0;
}

/* Copies the body file to FastCGI in chunks. */
static int
send_fd(bahi_req *req, FCGX_Stream *out)
{
	char chunk[65536];
	if (lseek(req->out_fd, 0, SEEK_SET) != 0)
		return -1;
	for (;;) {
		ssize_t n = read(req->out_fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n == 0 ? 0 : -1;
		if (FCGX_PutStr(chunk, (int)n, out) != (int)n)
			return -1;
	}
}

void
bahi_resp_problem(bahi_req *req)
{
	bahi_problem *p = &req->problem;
	if (p->status == 0)
		bahi_problem_set(p, "internal_error", NULL);
	req->out_fd = -1;
	req->status = p->status;
	req->content_type = "application/problem+json";
	bahi_buf_reset(&req->out);
	bahi_problem_to_json(p, &req->out);
	if (p->allow != NULL)
		bahi_resp_header(req, "Allow", p->allow);
	if (p->retry_after > 0)
		bahi_resp_header(req, "Retry-After",
		                 bahi_pool_printf(req->pool, "%d", p->retry_after));
}

const char *
bahi_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default:  return "Unknown";
	}
}

int
bahi_resp_send(bahi_req *req)
{
	/* libfcgi's printf knows no %zu: format the head here, write it in one go */
	char head[512];
	size_t len = req->out.len;
	struct stat st;
	if (req->out_fd >= 0 && fstat(req->out_fd, &st) == 0)
		len = (size_t)st.st_size;
	int n = snprintf(head, sizeof(head), "Status: %d %s\r\n", req->status,
	                 bahi_http_reason(req->status));
	if (req->status != 204 && req->content_type != NULL)
		n += snprintf(head + n, sizeof(head) - (size_t)n,
		              "Content-Type: %s\r\nContent-Length: %zu\r\n",
		              req->content_type, len);
	if (req->request_id != NULL && (size_t)n < sizeof(head))
		n += snprintf(head + n, sizeof(head) - (size_t)n, "X-Request-Id: %.64s\r\n",
		              req->request_id);
	if ((size_t)n >= sizeof(head))
		return -1;
	FCGX_Stream *out = req->fcgx->out;
	FCGX_PutStr(head, n, out);
	if (req->headers.len > 0)
		FCGX_PutStr(req->headers.data, (int)req->headers.len, out);
	FCGX_PutStr("\r\n", 2, out);
	if (!req->is_head && req->status != 204 && req->out_fd >= 0)
		send_fd(req, out);
	else if (!req->is_head && req->status != 204 && req->out.len > 0)
		FCGX_PutStr(req->out.data, (int)req->out.len, out);
	return FCGX_GetError(out) == 0 ? 0 : -1;
}
