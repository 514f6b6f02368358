/* check_images: product images through nginx: upload links, content checks, thumbnails, signed /files/ links, and S3 presigned URLs. */
#include <check.h>

#include "../check_run.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <gd.h>

#include "bahi_link.h"
#include "bahi_pool.h"
#include "bahi_s3.h"
#include "harness.h"

static bt_session owner_a, clerk_a, owner_b;

#define MIB (1024 * 1024)

/* ------------------------------------------------------------ helpers */

/* A w x h picture with a gradient and a transparent corner, encoded as
 * type ("jpeg", "png", "webp"); malloc'd, *len its size. */
static unsigned char *
make_image(const char *type, int w, int h, size_t *len)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	gdImageAlphaBlending(im, 0);
	gdImageSaveAlpha(im, 1);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			gdImageSetPixel(im, x, y, x < 8 && y < 8 ? gdTrueColorAlpha(0, 0, 0, 127) :
			                gdTrueColor(x % 256, y % 256, 90));
	int size = 0;
	void *p = strcmp(type, "jpeg") == 0 ? gdImageJpegPtr(im, &size, 90) :
	          strcmp(type, "png") == 0 ? gdImagePngPtr(im, &size) : gdImageWebpPtr(im, &size);
	gdImageDestroy(im);
	ck_assert_ptr_nonnull(p);
	unsigned char *out = malloc((size_t)size);
	memcpy(out, p, (size_t)size);
	gdFree(p);
	*len = (size_t)size;
	return out;
}

/* Decodes an answer's body with libgd (NULL when it is not that type). */
static gdImagePtr
decode(const char *type, const bt_resp *r)
{
	if (strcmp(type, "jpeg") == 0)
		return gdImageCreateFromJpegPtr((int)r->len, r->body);
	if (strcmp(type, "png") == 0)
		return gdImageCreateFromPngPtr((int)r->len, r->body);
	return gdImageCreateFromWebpPtr((int)r->len, r->body);
}

/* A product of s's business, inserted as the superuser; id receives its id. */
static void
new_product(const bt_session *s, char id[40])
{
	const char *p[1] = {s->business_id};
	char *v = bt_super_value("INSERT INTO products (business_id, id, name, sku)"
	                         " VALUES ($1, gen_random_uuid(), 'Bolt', 'B-' || gen_random_uuid())"
	                         " RETURNING id", 1, p);
	snprintf(id, 40, "%s", v);
	free(v);
}

/* The path (and query) of an absolute URL on the stack, or fails. */
static const char *
local_path(const char *url)
{
	const char *base = bt_get()->base;
	ck_assert_ptr_nonnull(url);
	ck_assert_msg(strncmp(url, base, strlen(base)) == 0, "not on the stack: %s", url);
	return url + strlen(base);
}

static bt_resp
ask(const bt_session *s, const char *pid, const char *body)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/products/%s/image", pid);
	return bt_json("POST", path, s->access, body);
}

/* POST /products/{pid}/image for ct and size, expecting 201; the upload
 * URL's path into path. */
static void
ask_ok(const bt_session *s, const char *pid, const char *ct, size_t size, char *path, size_t n)
{
	char body[128];
	snprintf(body, sizeof(body), "{\"content_type\":\"%s\",\"size\":%zu}", ct, size);
	bt_resp r = ask(s, pid, body);
	ck_assert_msg(r.status == 201, "POST image: %ld %s", r.status, r.body);
	snprintf(path, n, "%s", local_path(bt_str(&r, "upload_url")));
	bt_free(&r);
}

static bt_resp
put(const char *path, const char *ct, const void *body, size_t len)
{
	char h[80];
	snprintf(h, sizeof(h), "Content-Type: %s", ct);
	const char *hdrs[] = {h, NULL};
	return bt_http("PUT", path, hdrs, body, len);
}

static bt_resp
get(const char *url)
{
	return bt_http("GET", local_path(url), NULL, NULL, 0);
}

/* products.image_key of pid (malloc'd; NULL when none). */
static char *
image_key(const char *pid)
{
	const char *p[1] = {pid};
	return bt_super_value("SELECT image_key FROM products WHERE id = $1", 1, p);
}

static int
file_exists(const char *key)
{
	char path[1024];
	struct stat st;
	snprintf(path, sizeof(path), "%s/files/%s", bt_get()->dir, key);
	return stat(path, &st) == 0;
}

/* ------------------------------------------------------------ local storage */

/* One type end to end: link, upload, the product's key and version, the
 * change log, the original's bytes and the thumbnail through nginx. */
static void
round_trip(const char *type, int w, int h, int tw, int th)
{
	char pid[40], path[256], ct[32];
	size_t len;
	unsigned char *img = make_image(type, w, h, &len);
	snprintf(ct, sizeof(ct), "image/%s", type);
	new_product(&owner_a, pid);
	bt_resp r;
	{
		char body[128];
		snprintf(body, sizeof(body), "{\"content_type\":\"%s\",\"size\":%zu}", ct, len);
		r = ask(&owner_a, pid, body);
	}
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "method"), "PUT");
	ck_assert_str_eq(bt_at_str(&r, "headers.Content-Type"), ct);
	ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "headers")), 1);
	snprintf(path, sizeof(path), "%s", local_path(bt_str(&r, "upload_url")));
	ck_assert_int_eq(strncmp(path, "/api/v1/uploads/", 16), 0);
	ck_assert_uint_eq(strlen(path + 16), 43);
	/* the link lives 15 minutes and is stored hashed, never in clear */
	const char *pe[2] = {bt_str(&r, "expires_at"), path + 16};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM image_uploads WHERE"
	                               " bahi_ts(expires_at) = $1 AND expires_at - created_at"
	                               " BETWEEN interval '899 s' AND interval '901 s'"
	                               " AND token_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex')",
	                               2, pe), 1);
	bt_free(&r);

	r = put(path, ct, img, len);
	ck_assert_msg(r.status == 200, "PUT: %ld %s", r.status, r.body);
	ck_assert_str_eq(bt_str(&r, "product_id"), pid);
	ck_assert_str_eq(bt_str(&r, "content_type"), ct);
	ck_assert_int_eq(bt_at_int(&r, "size"), (long)len);
	ck_assert_int_eq(bt_at_int(&r, "width"), w);
	ck_assert_int_eq(bt_at_int(&r, "height"), h);
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	char *key = image_key(pid);
	ck_assert_ptr_nonnull(key);
	char want[256];
	snprintf(want, sizeof(want), "%s/files/%s?e=", bt_get()->base, key);
	ck_assert_int_eq(strncmp(bt_str(&r, "image_url"), want, strlen(want)), 0);
	snprintf(want, sizeof(want), "%s/products/%s/", owner_a.business_id, pid);
	ck_assert_int_eq(strncmp(key, want, strlen(want)), 0);
	const char *pc[2] = {owner_a.business_id, pid};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM change_entries WHERE business_id = $1"
	                               " AND entity = 'product' AND entity_id = $2 AND op = 'upsert'"
	                               " AND version = 2", 2, pc), 1);
	const char *pv[1] = {pid};
	ck_assert_int_eq(bt_super_long("SELECT version FROM products WHERE id = $1", 1, pv), 2);

	bt_resp f = get(bt_str(&r, "image_url"));
	ck_assert_int_eq(f.status, 200);
	ck_assert_str_eq(f.content_type, ct);
	ck_assert_uint_eq(f.len, len);
	ck_assert_int_eq(memcmp(f.body, img, len), 0);
	ck_assert_str_eq(bt_header(&f, "Cache-Control"), "private, max-age=300");
	bt_free(&f);
	f = get(bt_str(&r, "thumbnail_url"));
	ck_assert_int_eq(f.status, 200);
	ck_assert_str_eq(f.content_type, ct);
	gdImagePtr t = decode(type, &f);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(gdImageSX(t), tw);
	ck_assert_int_eq(gdImageSY(t), th);
	gdImageDestroy(t);
	bt_free(&f);
	bt_free(&r);
	free(key);
	free(img);
}

START_TEST(jpeg_round_trip)
{
	round_trip("jpeg", 600, 400, 256, 171);
}
END_TEST

START_TEST(png_round_trip)
{
	round_trip("png", 300, 1000, 77, 256);
}
END_TEST

START_TEST(webp_round_trip)
{
	round_trip("webp", 200, 120, 200, 120);
}
END_TEST

/* Files are readable by nginx's group only: 0640 in 0750 folders. */
START_TEST(files_are_private_to_the_group)
{
	char pid[40], path[256], full[1024];
	size_t len;
	unsigned char *img = make_image("png", 40, 40, &len);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/png", len, path, sizeof(path));
	bt_resp r = put(path, "image/png", img, len);
	ck_assert_int_eq(r.status, 200);
	char *key = image_key(pid);
	struct stat st;
	snprintf(full, sizeof(full), "%s/files/%s", bt_get()->dir, key);
	ck_assert_int_eq(stat(full, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0640);
	*strrchr(full, '/') = '\0';
	ck_assert_int_eq(stat(full, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0750);
	bt_free(&r);
	free(key);
	free(img);
}
END_TEST

/* A new image replaces the old one, whose files go; DELETE clears it. */
START_TEST(replace_and_delete)
{
	char pid[40], path[256], dpath[128], thumb[300];
	size_t len;
	unsigned char *img = make_image("jpeg", 64, 48, &len);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/jpeg", len, path, sizeof(path));
	bt_resp r = put(path, "image/jpeg", img, len);
	ck_assert_int_eq(r.status, 200);
	char *first = image_key(pid), *old_url = strdup(bt_str(&r, "image_url"));
	bt_free(&r);
	ck_assert(file_exists(first));
	snprintf(thumb, sizeof(thumb), "%.*s.thumb.jpg", (int)(strlen(first) - 4), first);
	ck_assert(file_exists(thumb));

	ask_ok(&owner_a, pid, "image/jpeg", len, path, sizeof(path));
	r = put(path, "image/jpeg", img, len);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	char *second = image_key(pid);
	ck_assert_str_ne(first, second);
	ck_assert(!file_exists(first));
	ck_assert(!file_exists(thumb));
	ck_assert(file_exists(second));
	bt_free(&r);
	/* the old link is still signed, but its file is gone */
	r = get(old_url);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);

	snprintf(dpath, sizeof(dpath), "/api/v1/products/%s/image", pid);
	r = bt_json("DELETE", dpath, owner_a.access, NULL);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	ck_assert_ptr_null(image_key(pid));
	ck_assert(!file_exists(second));
	const char *pc[2] = {owner_a.business_id, pid};
	ck_assert_int_eq(bt_super_long("SELECT max(version) FROM change_entries WHERE business_id = $1"
	                               " AND entity = 'product' AND entity_id = $2", 2, pc), 4);
	r = bt_json("DELETE", dpath, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	free(first);
	free(second);
	free(old_url);
	free(img);
}
END_TEST

/* Links: a tampered or missing signature is 403, an expired one 410, a link
 * signed for another path 403, a genuine link to a missing file 404. */
START_TEST(signed_links)
{
	char pid[40], path[256], secret[128], url[1024];
	size_t len;
	unsigned char *img = make_image("png", 20, 20, &len);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/png", len, path, sizeof(path));
	bt_resp r = put(path, "image/png", img, len);
	ck_assert_int_eq(r.status, 200);
	snprintf(url, sizeof(url), "%s", bt_str(&r, "image_url"));
	bt_free(&r);
	char *key = image_key(pid);
	bt_link_secret(secret, sizeof(secret));
	bahi_pool *pool = bahi_pool_create();
	long long now = (long long)time(NULL);

	/* what the worker made is what the link function makes */
	const char *e = strstr(url, "?e=") + 3;
	long long exp = strtoll(e, NULL, 10);
	ck_assert_str_eq(url, bahi_link_make(pool, bt_get()->base, key, exp, secret));
	ck_assert_int_ge(exp, now + 3600);
	ck_assert_int_le(exp, now + 3600 + 300);
	ck_assert_int_eq(exp % 300, 0);

	char *tampered = strdup(url);
	char *s = strstr(tampered, "&s=") + 3;
	s[0] = s[0] == 'A' ? 'B' : 'A';
	r = get(tampered);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	*strstr(tampered, "&s=") = '\0';
	r = get(tampered);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	/* a later expiry with the old signature */
	char *later = bahi_pool_printf(pool, "%s/files/%s?e=%lld%s", bt_get()->base, key, exp + 300,
	                               strstr(url, "&s="));
	r = get(later);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = get(bahi_link_make(pool, bt_get()->base, key, now - 10, secret));
	bt_assert_problem(&r, 410, "link_expired");
	bt_free(&r);
	r = get(bahi_link_make(pool, bt_get()->base, key, now + 60, "not-the-secret"));
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	char *missing = bahi_pool_printf(pool, "%s/products/%s/nothing.png", owner_a.business_id, pid);
	r = get(bahi_link_make(pool, bt_get()->base, missing, now + 60, secret));
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = get(bahi_link_make(pool, bt_get()->base, key, now + 60, secret));
	ck_assert_int_eq(r.status, 200);
	ck_assert_uint_eq(r.len, len);
	bt_free(&r);
	bahi_pool_destroy(pool);
	free(tampered);
	free(key);
	free(img);
}
END_TEST

/* A link is used once; an unknown one is 404, an expired one 410. */
START_TEST(upload_links_are_single_use_and_expire)
{
	char pid[40], path[256];
	size_t len;
	unsigned char *img = make_image("jpeg", 30, 30, &len);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/jpeg", len, path, sizeof(path));
	bt_resp r = put(path, "image/jpeg", img, len);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = put(path, "image/jpeg", img, len);
	bt_assert_problem(&r, 410, "link_expired");
	bt_free(&r);
	r = put("/api/v1/uploads/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "image/jpeg", img, len);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_http("GET", path, NULL, NULL, 0);
	bt_assert_problem(&r, 405, "method_not_allowed");
	bt_free(&r);

	ask_ok(&owner_a, pid, "image/jpeg", len, path, sizeof(path));
	const char *p[1] = {path + 16};
	ck_assert_int_eq(bt_super_exec("UPDATE image_uploads SET expires_at = now() - interval '1 s'"
	                               " WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')",
	                               1, p), 1);
	r = put(path, "image/jpeg", img, len);
	bt_assert_problem(&r, 410, "link_expired");
	bt_free(&r);
	const char *pv[1] = {pid};
	ck_assert_int_eq(bt_super_long("SELECT version FROM products WHERE id = $1", 1, pv), 2);
	free(img);
}
END_TEST

/* PUT a body expecting a 415 and nothing changed. */
static void
refused(const char *path, const char *ct, const void *body, size_t len, long status,
        const char *code, const char *pid)
{
	bt_resp r = put(path, ct, body, len);
	bt_assert_problem(&r, status, code);
	bt_free(&r);
	ck_assert_ptr_null(image_key(pid));
}

/* The content decides, not the name or the declared type: text, a PNG on a
 * JPEG link, a truncated or corrupt image are 415; a size other than the
 * announced one is 400; the link stays usable after each. */
START_TEST(content_is_checked)
{
	char pid[40], path[256];
	size_t jlen, plen;
	unsigned char *jpg = make_image("jpeg", 50, 50, &jlen);
	unsigned char *png = make_image("png", 50, 50, &plen);
	char text[64] = "just some text pretending to be photo.jpg\n";
	new_product(&owner_a, pid);

	ask_ok(&owner_a, pid, "image/jpeg", strlen(text), path, sizeof(path));
	refused(path, "image/jpeg", text, strlen(text), 415, "unsupported_media_type", pid);

	ask_ok(&owner_a, pid, "image/jpeg", plen, path, sizeof(path));
	refused(path, "image/jpeg", png, plen, 415, "unsupported_media_type", pid);

	/* JPEG magic, then garbage */
	unsigned char *bad = malloc(jlen);
	memcpy(bad, jpg, 3);
	memset(bad + 3, 0x41, jlen - 3);
	ask_ok(&owner_a, pid, "image/jpeg", jlen, path, sizeof(path));
	refused(path, "image/jpeg", bad, jlen, 415, "unsupported_media_type", pid);
	/* a PNG whose pixel data is cut off */
	ask_ok(&owner_a, pid, "image/png", plen / 2, path, sizeof(path));
	refused(path, "image/png", png, plen / 2, 415, "unsupported_media_type", pid);
	/* announced 10 bytes more than sent */
	ask_ok(&owner_a, pid, "image/png", plen + 10, path, sizeof(path));
	refused(path, "image/png", png, plen, 400, "bad_request", pid);
	/* a PNG whose header claims 20000 x 20000 pixels is refused before decoding */
	unsigned char *bomb = malloc(plen);
	memcpy(bomb, png, plen);
	const unsigned char big[8] = {0, 0, 0x4e, 0x20, 0, 0, 0x4e, 0x20};
	memcpy(bomb + 16, big, 8);
	ask_ok(&owner_a, pid, "image/png", plen, path, sizeof(path));
	bt_resp r = put(path, "image/png", bomb, plen);
	bt_assert_problem(&r, 415, "unsupported_media_type");
	ck_assert_ptr_nonnull(strstr(bt_str(&r, "detail"), "20000x20000"));
	bt_free(&r);
	/* the same link still takes a good image */
	r = put(path, "image/png", png, plen);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	free(jpg);
	free(png);
	free(bad);
	free(bomb);
}
END_TEST

/* Over 5 MiB: the worker refuses what nginx lets through (up to 6 MiB), nginx the rest. */
START_TEST(too_large_is_413)
{
	char pid[40], path[256];
	size_t n = 6 * MIB;
	char *big = calloc(1, 7 * MIB);
	memcpy(big, "\x89PNG\r\n\x1a\n", 8);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/png", 5 * MIB, path, sizeof(path));
	refused(path, "image/png", big, n, 413, "payload_too_large", pid);
	refused(path, "image/png", big, 7 * MIB, 413, "payload_too_large", pid);
	free(big);
}
END_TEST

/* Phone photos are stored sideways with an EXIF orientation: the thumbnail
 * and the reported size are upright. */
START_TEST(exif_orientation_is_applied)
{
	char pid[40], path[256];
	size_t len;
	unsigned char *jpg = make_image("jpeg", 300, 200, &len);
	/* APP1: "Exif\0\0", big-endian TIFF, one IFD0 entry: Orientation (SHORT) = 6 */
	static const unsigned char app1[] = {
		0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
		0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00,
	};
	size_t n = len + sizeof(app1);
	unsigned char *photo = malloc(n);
	memcpy(photo, jpg, 2);
	memcpy(photo + 2, app1, sizeof(app1));
	memcpy(photo + 2 + sizeof(app1), jpg + 2, len - 2);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/jpeg", n, path, sizeof(path));
	bt_resp r = put(path, "image/jpeg", photo, n);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_int_eq(bt_at_int(&r, "width"), 200);
	ck_assert_int_eq(bt_at_int(&r, "height"), 300);
	bt_resp t = get(bt_str(&r, "thumbnail_url"));
	ck_assert_int_eq(t.status, 200);
	gdImagePtr im = decode("jpeg", &t);
	ck_assert_ptr_nonnull(im);
	ck_assert_int_eq(gdImageSX(im), 171);
	ck_assert_int_eq(gdImageSY(im), 256);
	/* rotated 90 degrees clockwise: the source's left column is now the top row,
	 * and its top-left pixel (x, y both small: dark red/green) is at the top right */
	int c = gdImageGetTrueColorPixel(im, 170, 0);
	ck_assert_int_lt(gdTrueColorGetRed(c), 40);
	ck_assert_int_lt(gdTrueColorGetGreen(c), 40);
	c = gdImageGetTrueColorPixel(im, 0, 0);
	ck_assert_int_gt(gdTrueColorGetGreen(c), 150);   /* source (0, 199): green 199 */
	gdImageDestroy(im);
	bt_free(&t);
	bt_free(&r);
	free(jpg);
	free(photo);
}
END_TEST

/* Each field of POST /products/{id}/image is checked; nothing is stored. */
START_TEST(request_validation)
{
	char pid[40];
	new_product(&owner_a, pid);
	static const char *const bodies[][2] = {
		{"{\"content_type\":\"image/gif\",\"size\":10}", "content_type"},
		{"{\"content_type\":\"IMAGE/PNG\",\"size\":10}", "content_type"},
		{"{\"size\":10}", "content_type"},
		{"{\"content_type\":\"image/png\"}", "size"},
		{"{\"content_type\":\"image/png\",\"size\":0}", "size"},
		{"{\"content_type\":\"image/png\",\"size\":-1}", "size"},
		{"{\"content_type\":\"image/png\",\"size\":5242881}", "size"},
		{"{\"content_type\":\"image/png\",\"size\":\"10\"}", "size"},
		{"{\"content_type\":\"image/png\",\"size\":1.5}", "size"},
		{"{\"content_type\":\"image/png\",\"size\":10,\"name\":\"x.png\"}", "name"},
	};
	for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		bt_resp r = ask(&owner_a, pid, bodies[i][0]);
		bt_assert_problem(&r, 422, "validation_failed");
		ck_assert_str_eq(bt_at_str(&r, "errors.0.field"), bodies[i][1]);
		bt_free(&r);
	}
	bt_resp r = ask(&owner_a, pid, "{\"content_type\":\"image/png\",\"size\":5242880}");
	ck_assert_int_eq(r.status, 201);
	bt_free(&r);
	const char *p[1] = {pid};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM image_uploads WHERE product_id = $1", 1, p), 1);
}
END_TEST

/* Another business's product, a malformed id, a deleted product: 404. */
START_TEST(other_business_is_404)
{
	char pid_b[40], pid_a[40], path[256];
	new_product(&owner_b, pid_b);
	new_product(&owner_a, pid_a);
	const char *body = "{\"content_type\":\"image/png\",\"size\":10}";
	bt_resp r = ask(&owner_a, pid_b, body);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	/* the id is checked before the body: a wrong id is 404 whatever the body */
	r = ask(&owner_a, pid_b, "{}");
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = ask(&owner_a, pid_a, "{}");
	bt_assert_problem(&r, 422, "validation_failed");
	bt_free(&r);
	r = ask(&owner_a, "not-a-uuid", body);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/products/%s/image", pid_b);
	ck_assert_int_eq(bt_super_exec("UPDATE products SET image_key = business_id || '/x.png'"
	                               " WHERE id = $1", 1, (const char *[]){pid_b}), 1);
	r = bt_json("DELETE", path, owner_a.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	char *k = image_key(pid_b);
	ck_assert_ptr_nonnull(k);
	free(k);
	ck_assert_int_eq(bt_super_exec("UPDATE products SET deleted_at = now() WHERE id = $1", 1,
	                               (const char *[]){pid_a}), 1);
	r = ask(&owner_a, pid_a, body);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
}
END_TEST

/* A product deleted between the link and the upload: 404, nothing kept. */
START_TEST(product_deleted_before_upload)
{
	char pid[40], path[256], dir[512];
	size_t len;
	unsigned char *img = make_image("png", 10, 10, &len);
	new_product(&owner_a, pid);
	ask_ok(&owner_a, pid, "image/png", len, path, sizeof(path));
	ck_assert_int_eq(bt_super_exec("UPDATE products SET deleted_at = now() WHERE id = $1", 1,
	                               (const char *[]){pid}), 1);
	bt_resp r = put(path, "image/png", img, len);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	/* the files it wrote are gone once the answer is out; poll briefly */
	snprintf(dir, sizeof(dir), "find '%s/files/%s/products/%s' -type f | grep -q .",
	         bt_get()->dir, owner_a.business_id, pid);
	int left = 1;
	for (int i = 0; i < 50 && left; i++) {
		left = system(dir) == 0;
		if (left)
			usleep(20000);
	}
	ck_assert_msg(!left, "files were left behind");
	free(img);
}
END_TEST

/* Clerks may add images (catalog.write); nobody without a token may. */
START_TEST(permissions)
{
	char pid[40], path[256];
	size_t len;
	unsigned char *img = make_image("webp", 16, 16, &len);
	new_product(&owner_a, pid);
	ask_ok(&clerk_a, pid, "image/webp", len, path, sizeof(path));
	bt_resp r = put(path, "image/webp", img, len);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	char p[128];
	snprintf(p, sizeof(p), "/api/v1/products/%s/image", pid);
	r = bt_json("POST", p, NULL, "{\"content_type\":\"image/png\",\"size\":10}");
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_json("DELETE", p, NULL, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_json("DELETE", p, clerk_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	free(img);
}
END_TEST

/* Deleting the account removes its images and their links stop working. */
START_TEST(account_deletion_removes_images)
{
	bt_session gone;
	char pid[40], path[256], dir[512], body[200];
	size_t len;
	unsigned char *img = make_image("png", 12, 12, &len);
	bt_signup(&gone);
	new_product(&gone, pid);
	ask_ok(&gone, pid, "image/png", len, path, sizeof(path));
	bt_resp r = put(path, "image/png", img, len);
	ck_assert_int_eq(r.status, 200);
	char *url = strdup(bt_str(&r, "image_url"));
	bt_free(&r);
	struct stat st;
	snprintf(dir, sizeof(dir), "%s/files/%s", bt_get()->dir, gone.business_id);
	ck_assert_int_eq(stat(dir, &st), 0);
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", gone.password);
	r = bt_json("DELETE", "/api/v1/account", gone.access, body);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	ck_assert_int_eq(stat(dir, &st), -1);
	r = get(url);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	const char *p[1] = {gone.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM image_uploads WHERE business_id = $1",
	                               1, p), 0);
	free(url);
	free(img);
}
END_TEST

/* ------------------------------------------------------------ S3 storage */

#define S3_ENDPOINT "http://127.0.0.1:9000"
#define S3_BUCKET "bahi-test"
#define S3_KEY_ID "AKIDTEST"
#define S3_SECRET "s3cr3t/KEY+test"

/* The value of query parameter name in url (malloc'd), or NULL. */
static char *
query_param(const char *url, const char *name)
{
	char pat[64];
	snprintf(pat, sizeof(pat), "%s=", name);
	const char *q = strchr(url, '?');
	for (const char *p = q; p != NULL; p = strchr(p + 1, '&')) {
		if (strncmp(p + 1, pat, strlen(pat)) == 0) {
			const char *v = p + 1 + strlen(pat);
			return strndup(v, strcspn(v, "&"));
		}
	}
	return NULL;
}

/* With storage = s3 the upload URL is a SigV4 presigned PUT of a new key,
 * which the product takes at once; signing it again gives the same URL. */
START_TEST(s3_presigned_put)
{
	char pid[40], want[512];
	new_product(&owner_a, pid);
	bt_resp r = ask(&owner_a, pid, "{\"content_type\":\"image/webp\",\"size\":4321}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	const char *url = bt_str(&r, "upload_url");
	ck_assert_str_eq(bt_str(&r, "method"), "PUT");
	ck_assert_str_eq(bt_at_str(&r, "headers.Content-Type"), "image/webp");
	ck_assert_str_eq(bt_at_str(&r, "headers.Content-Length"), "4321");
	char *key = image_key(pid);
	ck_assert_ptr_nonnull(key);
	snprintf(want, sizeof(want), "%s/products/%s/", owner_a.business_id, pid);
	ck_assert_int_eq(strncmp(key, want, strlen(want)), 0);
	ck_assert_str_eq(key + strlen(key) - 5, ".webp");
	snprintf(want, sizeof(want), S3_ENDPOINT "/" S3_BUCKET "/%s?X-Amz-Algorithm=AWS4-HMAC-SHA256"
	         "&X-Amz-Credential=" S3_KEY_ID "%%2F", key);
	ck_assert_msg(strncmp(url, want, strlen(want)) == 0, "%s", url);
	char *date = query_param(url, "X-Amz-Date");
	char *expires = query_param(url, "X-Amz-Expires");
	char *signed_headers = query_param(url, "X-Amz-SignedHeaders");
	ck_assert_str_eq(expires, "900");
	ck_assert_str_eq(signed_headers, "content-length%3Bcontent-type%3Bhost");
	free(expires);
	free(signed_headers);
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	ck_assert_ptr_nonnull(strptime(date, "%Y%m%dT%H%M%SZ", &tm));
	time_t t = timegm(&tm);
	ck_assert_int_le(llabs((long long)(t - time(NULL))), 60);
	bahi_s3_cfg cfg = {S3_ENDPOINT, "us-east-1", S3_BUCKET, S3_KEY_ID, S3_SECRET, 1};
	bahi_s3_header h[2] = {{"content-type", "image/webp"}, {"content-length", "4321"}};
	bahi_pool *pool = bahi_pool_create();
	ck_assert_str_eq(url, bahi_s3_presign(pool, &cfg, "PUT", key, t, 900, h, 2));
	bahi_pool_destroy(pool);
	/* expires_at: 15 minutes after signing */
	char exp[32];
	time_t until = t + 900;
	strftime(exp, sizeof(exp), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&until, &tm));
	ck_assert_str_eq(bt_str(&r, "expires_at"), exp);
	const char *pc[2] = {owner_a.business_id, pid};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM change_entries WHERE business_id = $1"
	                               " AND entity = 'product' AND entity_id = $2 AND version = 2",
	                               2, pc), 1);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM image_uploads WHERE product_id = $2"
	                               " AND business_id = $1", 2, pc), 0);
	bt_free(&r);
	/* no local upload links with S3; DELETE clears the key */
	size_t len;
	unsigned char *img = make_image("webp", 8, 8, &len);
	r = put("/api/v1/uploads/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "image/webp", img, len);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	snprintf(want, sizeof(want), "/api/v1/products/%s/image", pid);
	r = bt_json("DELETE", want, owner_a.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	ck_assert_ptr_null(image_key(pid));
	free(key);
	free(date);
	free(img);
}
END_TEST

static void
setup(void)
{
	bt_signup_shops(&owner_a, &owner_b, &clerk_a);
}

/* Restarts the stack's workers with storage = s3 (./dev up again with the
 * BAHI_* overrides in the environment the workers inherit). */
static void
switch_to_s3(void)
{
	char cmd[1024];
	setenv("BAHI_STORAGE", "s3", 1);
	setenv("BAHI_S3_ENDPOINT", S3_ENDPOINT, 1);
	setenv("BAHI_S3_BUCKET", S3_BUCKET, 1);
	setenv("BAHI_S3_ACCESS_KEY", S3_KEY_ID, 1);
	setenv("BAHI_S3_SECRET_KEY", S3_SECRET, 1);
	snprintf(cmd, sizeof(cmd), "BAHI_VAR='%s' BAHI_PORT=%d BAHI_BUILD='%s' BAHI_PROCESSES=3 "
	         "bash '%s/dev' up --no-build --no-seed >/dev/null",
	         bt_get()->dir, bt_get()->port, getenv("BAHI_BUILDDIR") ? getenv("BAHI_BUILDDIR") : ".",
	         getenv("BAHI_SRCDIR") ? getenv("BAHI_SRCDIR") : ".");
	ck_assert_msg(system(cmd) == 0, "restarting the stack with storage = s3 failed");
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("images");
	TCase *t = tcase_create("local");
	tcase_set_timeout(t, 60);
	tcase_add_unchecked_fixture(t, setup, NULL);
	tcase_add_test(t, jpeg_round_trip);
	tcase_add_test(t, png_round_trip);
	tcase_add_test(t, webp_round_trip);
	tcase_add_test(t, files_are_private_to_the_group);
	tcase_add_test(t, replace_and_delete);
	tcase_add_test(t, signed_links);
	tcase_add_test(t, upload_links_are_single_use_and_expire);
	tcase_add_test(t, content_is_checked);
	tcase_add_test(t, too_large_is_413);
	tcase_add_test(t, exif_orientation_is_applied);
	tcase_add_test(t, request_validation);
	tcase_add_test(t, other_business_is_404);
	tcase_add_test(t, product_deleted_before_upload);
	tcase_add_test(t, permissions);
	tcase_add_test(t, account_deletion_removes_images);
	suite_add_tcase(s, t);
	/* runs after the local cases: the same stack, restarted with storage = s3 */
	TCase *t3 = tcase_create("s3");
	tcase_add_unchecked_fixture(t3, switch_to_s3, NULL);
	tcase_add_test(t3, s3_presigned_put);
	suite_add_tcase(s, t3);
	return bahi_check_run(s);
}
