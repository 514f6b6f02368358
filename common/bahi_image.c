/* bahi_image: product images: upload links (our single-use tokens or S3 presigned PUTs), checked uploads with thumbnails, signed download links. */
#include "bahi_image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

#include "bahi_account.h"
#include "bahi_changelog.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_imgcodec.h"
#include "bahi_imgstore.h"
#include "bahi_link.h"
#include "bahi_log.h"
#include "bahi_num.h"
#include "bahi_random.h"
#include "bahi_req.h"
#include "bahi_s3.h"
#include "bahi_uuid.h"

/* Download links expire on a 5-minute grid, so a product listed twice in a
 * few minutes has the same URL and clients can cache the image by it. */
#define LINK_GRID 300

/* 1 for S3, 0 for local files, -1 (logged) for a value we do not know. */
static int
storage_s3(bahi_req *req)
{
	const char *s = bahi_config_get("storage");
	if (strcmp(s, "local") == 0)
		return 0;
	if (strcmp(s, "s3") == 0)
		return 1;
	bahi_log_error(req, "storage = %s: expected local or s3", s);
	return -1;
}

/* link_ttl in seconds (60..604800; the default 3600 when unreadable). */
static long
link_ttl(void)
{
	int64_t v;
	if (bahi_num_parse(bahi_config_get("link_ttl"), 60, BAHI_S3_MAX_EXPIRES, &v, NULL) != 0)
		return 3600;
	return (long)v;
}

static void
s3_config(bahi_s3_cfg *cfg)
{
	cfg->endpoint = bahi_config_get("s3_endpoint");
	cfg->region = bahi_config_get("s3_region");
	cfg->bucket = bahi_config_get("s3_bucket");
	cfg->access_key = bahi_config_get("s3_access_key");
	cfg->secret_key = bahi_config_get("s3_secret_key");
	cfg->path_style = strcmp(bahi_config_get("s3_url_style"), "virtual") != 0;
}

/* A presigned GET of key, signed on the LINK_GRID (stable URLs), or NULL. */
static char *
s3_get_url(bahi_req *req, const char *key)
{
	bahi_s3_cfg cfg;
	s3_config(&cfg);
	time_t now = time(NULL), t = now - now % LINK_GRID;
	long expires = link_ttl() + LINK_GRID;
	if (expires > BAHI_S3_MAX_EXPIRES)
		expires = BAHI_S3_MAX_EXPIRES;
	char *url = bahi_s3_presign(req->pool, &cfg, "GET", key, t, expires, NULL, 0);
	if (url == NULL)
		bahi_log_error(req, "cannot presign an S3 URL: check the s3_* settings");
	return url;
}

static char *
local_url(bahi_req *req, const char *key)
{
	long long exp = (long long)time(NULL) + link_ttl();
	exp += (LINK_GRID - exp % LINK_GRID) % LINK_GRID;
	char *url = bahi_link_make(req->pool, bahi_config_get("public_url"), key, exp,
	                           bahi_config_get("link_secret"));
	if (url == NULL)
		bahi_log_error(req, "cannot sign a link to %s (is link_secret set?)", key);
	return url;
}

char *
bahi_image_url(bahi_req *req, const char *key)
{
	if (key == NULL)
		return NULL;
	switch (storage_s3(req)) {
	case 0:
		return local_url(req, key);
	case 1:
		return s3_get_url(req, key);
	default:
		return NULL;
	}
}

/* "<dir>/<name>.<ext>" -> "<dir>/<name>.thumb.<ext>" (names are base64url, without dots). */
static char *
thumb_key(bahi_pool *pool, const char *key)
{
	const char *dot = strrchr(key, '.'), *slash = strrchr(key, '/');
	if (dot == NULL || (slash != NULL && dot < slash))
		return bahi_pool_printf(pool, "%s.thumb", key);
	return bahi_pool_printf(pool, "%.*s.thumb%s", (int)(dot - key), key, dot);
}

char *
bahi_image_thumb_url(bahi_req *req, const char *key)
{
	if (key == NULL)
		return NULL;
	int s3 = storage_s3(req);
	if (s3 != 0)
		return s3 > 0 ? s3_get_url(req, key) : NULL;
	return local_url(req, thumb_key(req->pool, key));
}

/* A fresh storage key for a product's image: <business>/products/<product>/<random>.<ext>. */
static char *
new_key(bahi_req *req, const char *bid, const char *pid, bahi_imgtype t)
{
	char rnd[24];
	bahi_random_token(rnd, sizeof(rnd), 15);
	return bahi_pool_printf(req->pool, "%s/products/%s/%s.%s", bid, pid, rnd, bahi_img_ext(t));
}

static BAHI_STMT(img_product,
	"SELECT image_key FROM products WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL"
	" FOR UPDATE");
static BAHI_STMT(img_set,
	"UPDATE products SET image_key = $3, version = version + 1, updated_at = now()"
	" WHERE business_id = $1 AND id = $2 RETURNING version");

/* Locks the product (404 when missing or deleted); *old_key receives its
 * current image key (NULL when none). 0 or -1. */
static int
lock_product(bahi_req *req, const char *pid, const char **old_key)
{
	const char *p[2] = {req->tx_business, pid};
	PGresult *res = bahi_db_one(req, &img_product, 2, p, "There is no such product.");
	if (res == NULL)
		return -1;
	*old_key = bahi_db_isnull(res, 0, 0) ? NULL : bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	return 0;
}

int
bahi_image_product(bahi_req *req, const char *product_id)
{
	const char *old_key;
	return lock_product(req, product_id, &old_key);
}

/* Sets the product's image key (NULL clears it), bumps its version and
 * queues the change. The new version, or -1. */
static int
set_key(bahi_req *req, const char *pid, const char *key)
{
	const char *p[3] = {req->tx_business, pid, key};
	PGresult *res = bahi_db_one(req, &img_set, 3, p, "There is no such product.");
	if (res == NULL)
		return -1;
	int version = (int)strtol(bahi_db_get(res, 0, 0), NULL, 10);
	bahi_changelog_add(req, "product", pid, "upsert", version);
	return version;
}

static void
add_headers(cJSON *o, const char *content_type, const char *length)
{
	cJSON *h = cJSON_AddObjectToObject(o, "headers");
	cJSON_AddStringToObject(h, "Content-Type", content_type);
	if (length != NULL)
		cJSON_AddStringToObject(h, "Content-Length", length);
}

static BAHI_STMT(up_purge,
	"DELETE FROM image_uploads WHERE business_id = $1 AND expires_at < now() - interval '1 day'");
static BAHI_STMT(up_insert,
	"INSERT INTO image_uploads (business_id, id, product_id, content_type, size, token_hash,"
	" created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7,"
	" now() + make_interval(secs => $8)) RETURNING bahi_ts(expires_at)");

/* Local storage: a single-use token, stored hashed, to PUT to /api/v1/uploads/<token>. */
static int
request_local(bahi_req *req, const char *pid, const char *ct, int64_t size, cJSON *o)
{
	char token[48], hash[65], id[BAHI_UUID_LEN + 1], sz[24], ttl[16];
	bahi_random_token(token, sizeof(token), 32);
	bahi_sha256_hex(token, strlen(token), hash);
	bahi_uuid_v7(id);
	snprintf(sz, sizeof(sz), "%lld", (long long)size);
	snprintf(ttl, sizeof(ttl), "%d", BAHI_IMAGE_UPLOAD_TTL);
	const char *pp[1] = {req->tx_business};
	const char *p[8] = {req->tx_business, id, pid, ct, sz, hash, req->auth.user_id, ttl};
	if (bahi_db_exec(req, &up_purge, 1, pp) == NULL)
		return -1;
	PGresult *res = bahi_db_exec(req, &up_insert, 8, p);
	if (res == NULL)
		return -1;
	const char *base = bahi_config_get("public_url");
	size_t blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	char *url = bahi_pool_printf(req->pool, "%.*s/api/v1/uploads/%s", (int)blen, base, token);
	cJSON_AddStringToObject(o, "upload_url", url);
	cJSON_AddStringToObject(o, "method", "PUT");
	add_headers(o, ct, NULL);
	cJSON_AddStringToObject(o, "expires_at", bahi_db_get(res, 0, 0));
	return 0;
}

/* S3: a presigned PUT (type and length signed) of a new key, which becomes
 * the product's image now; the bucket serves it once the client has put it. */
static int
request_s3(bahi_req *req, const char *pid, const char *ct, int64_t size, cJSON *o)
{
	bahi_s3_cfg cfg;
	char len[24], when[32];
	s3_config(&cfg);
	snprintf(len, sizeof(len), "%lld", (long long)size);
	time_t now = time(NULL), until = now + BAHI_IMAGE_UPLOAD_TTL;
	struct tm tm;
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&until, &tm));
	char *key = new_key(req, req->tx_business, pid, bahi_img_from_mime(ct));
	bahi_s3_header h[2] = {{"content-length", len}, {"content-type", ct}};
	char *url = bahi_s3_presign(req->pool, &cfg, "PUT", key, now, BAHI_IMAGE_UPLOAD_TTL, h, 2);
	if (url == NULL) {
		bahi_log_error(req, "cannot presign an S3 URL: check the s3_* settings");
		return bahi_fail(req, "internal_error", "Image storage is not configured.");
	}
	if (set_key(req, pid, key) < 0)
		return -1;
	cJSON_AddStringToObject(o, "upload_url", url);
	cJSON_AddStringToObject(o, "method", "PUT");
	add_headers(o, ct, len);
	cJSON_AddStringToObject(o, "expires_at", when);
	return 0;
}

int
bahi_image_request(bahi_req *req, const char *product_id, const char *content_type, int64_t size,
                   cJSON **out)
{
	const char *old_key;
	int s3 = storage_s3(req);
	if (s3 < 0)
		return bahi_fail(req, "internal_error", "Image storage is not configured.");
	if (bahi_img_from_mime(content_type) == BAHI_IMG_UNKNOWN || size < 1 ||
	    size > BAHI_IMAGE_MAX_BYTES)
		return bahi_fail(req, "internal_error", "The caller did not validate the image.");
	if (lock_product(req, product_id, &old_key) != 0)
		return -1;
	cJSON *o = cJSON_CreateObject();
	if ((s3 ? request_s3 : request_local)(req, product_id, content_type, size, o) != 0) {
		cJSON_Delete(o);
		return -1;
	}
	*out = o;
	return 0;
}

int
bahi_image_delete(bahi_req *req, const char *product_id)
{
	const char *old_key;
	if (lock_product(req, product_id, &old_key) != 0)
		return -1;
	if (old_key == NULL)
		return bahi_fail(req, "not_found", "This product has no image.");
	if (set_key(req, product_id, NULL) < 0)
		return -1;
	/* S3 objects stay in the bucket (see docs); local files go after commit */
	if (storage_s3(req) == 0)
		bahi_store_remove_later(req, 1, old_key, thumb_key(req->pool, old_key));
	return 0;
}

/* An upload link as found by its token. */
typedef struct upload {
	const char *bid, *id, *pid, *ct;
	int64_t size;
} upload;

static BAHI_STMT(up_lookup, "SELECT business_id FROM image_uploads WHERE token_hash = $1");
static BAHI_STMT(up_get,
	"SELECT id, product_id, content_type, size, used_at IS NOT NULL, expires_at <= now()"
	" FROM image_uploads WHERE business_id = $1 AND token_hash = $2");
static BAHI_STMT(up_claim,
	"UPDATE image_uploads SET used_at = now()"
	" WHERE business_id = $1 AND id = $2 AND used_at IS NULL RETURNING id");

/* Finds the token's upload in a short transaction of its own (nothing is
 * locked while the image is decoded). 0, or -1 with not_found or link_expired. */
static int
find_upload(bahi_req *req, const char *token, upload *up)
{
	char hash[65];
	bahi_sha256_hex(token, strlen(token), hash);
	if (bahi_tx_begin(req, NULL) != 0)
		return -1;
	int found = bahi_account_scope_by_hash(req, &up_lookup, hash);
	if (found <= 0)
		return found < 0 ? -1 : bahi_fail(req, "not_found", "This upload link is not valid.");
	const char *p[2] = {req->tx_business, hash};
	PGresult *res = bahi_db_one(req, &up_get, 2, p, "This upload link is not valid.");
	if (res == NULL)
		return -1;
	if (bahi_db_get(res, 0, 4)[0] == 't')
		return bahi_fail(req, "link_expired", "This upload link was already used; ask for a new one.");
	if (bahi_db_get(res, 0, 5)[0] == 't')
		return bahi_fail(req, "link_expired", "This upload link has expired; ask for a new one.");
	up->bid = req->tx_business;
	up->id = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 0));
	up->pid = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 1));
	up->ct = bahi_pool_strdup(req->pool, bahi_db_get(res, 0, 2));
	up->size = strtoll(bahi_db_get(res, 0, 3), NULL, 10);
	return bahi_tx_commit(req);
}

/* The body's size and type, by content: 0, or -1 with 413, 400 or 415. */
static int
check_content(bahi_req *req, const upload *up, const void *body, size_t len, bahi_imgtype *t)
{
	if (len > BAHI_IMAGE_MAX_BYTES)
		return bahi_fail(req, "payload_too_large",
		                 "The image is %zu bytes; the limit is %d bytes (5 MiB).", len,
		                 BAHI_IMAGE_MAX_BYTES);
	if ((int64_t)len != up->size)
		return bahi_fail(req, "bad_request",
		                 "The body is %zu bytes; this upload link was made for %lld.", len,
		                 (long long)up->size);
	*t = bahi_img_sniff(body, len);
	if (*t == BAHI_IMG_UNKNOWN)
		return bahi_fail(req, "unsupported_media_type",
		                 "The file is not a JPEG, PNG or WebP image.");
	if (*t != bahi_img_from_mime(up->ct))
		return bahi_fail(req, "unsupported_media_type",
		                 "The file is %s, but this upload link was made for %s.",
		                 bahi_img_mime(*t), up->ct);
	return 0;
}

/* Decodes the image, makes its thumbnail and writes both (removed again if
 * the request fails); *key receives the image's key. 0, or -1 with 415 or 500. */
static int
store_files(bahi_req *req, const upload *up, bahi_imgtype t, const void *body, size_t len,
            const char **key, bahi_img_info *info)
{
	void *th;
	size_t thlen;
	int rc = bahi_img_thumbnail(body, len, t, BAHI_IMAGE_THUMB_SIDE, &th, &thlen, info);
	if (rc == BAHI_IMG_TOO_LARGE)
		return bahi_fail(req, "unsupported_media_type",
		                 "The image is %dx%d pixels; at most %d on a side and %ld in all.",
		                 info->width, info->height, BAHI_IMG_MAX_SIDE, BAHI_IMG_MAX_PIXELS);
	if (rc != BAHI_IMG_OK)
		return bahi_fail(req, "unsupported_media_type", "The file cannot be read as %s.",
		                 bahi_img_mime(t));
	*key = new_key(req, up->bid, up->pid, t);
	const char *tkey = thumb_key(req->pool, *key), *dir = bahi_config_get("data_dir");
	bahi_store_remove_later(req, 0, *key, tkey);
	rc = bahi_store_write(dir, *key, body, len) == 0 && bahi_store_write(dir, tkey, th, thlen) == 0;
	bahi_img_free(th);
	if (!rc) {
		bahi_log_error(req, "writing %s under %s: %s", *key, dir, strerror(errno));
		return bahi_fail(req, "internal_error", "The image could not be stored.");
	}
	return 0;
}

/* Uses up the link and makes key the product's image, in one transaction;
 * the previous image's files go once the request has succeeded. */
static int
attach(bahi_req *req, const upload *up, const char *key, int *version)
{
	const char *old;
	const char *p[2] = {up->bid, up->id};
	if (bahi_tx_begin(req, up->bid) != 0)
		return -1;
	PGresult *res = bahi_db_exec(req, &up_claim, 2, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return bahi_fail(req, "link_expired", "This upload link was already used; ask for a new one.");
	if (lock_product(req, up->pid, &old) != 0 || (*version = set_key(req, up->pid, key)) < 0)
		return -1;
	if (old != NULL)
		bahi_store_remove_later(req, 1, old, thumb_key(req->pool, old));
	return bahi_tx_commit(req);
}

int
bahi_image_upload(bahi_req *req, const char *token, const void *body, size_t len, cJSON **out)
{
	upload up = {NULL, NULL, NULL, NULL, 0};
	bahi_imgtype t = BAHI_IMG_UNKNOWN;
	bahi_img_info info = {0, 0, 1};
	const char *key = NULL;
	int version = 0;
	int s3 = storage_s3(req);
	if (s3 != 0)
		return s3 < 0 ? bahi_fail(req, "internal_error", "Image storage is not configured.") :
		       bahi_fail(req, "not_found", "This upload link is not valid.");
	if (find_upload(req, token, &up) != 0 || check_content(req, &up, body, len, &t) != 0 ||
	    store_files(req, &up, t, body, len, &key, &info) != 0 ||
	    attach(req, &up, key, &version) != 0)
		return -1;
	int upright = info.orientation < 5;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "product_id", up.pid);
	cJSON_AddStringToObject(o, "image_url", bahi_image_url(req, key));
	cJSON_AddStringToObject(o, "thumbnail_url", bahi_image_thumb_url(req, key));
	cJSON_AddStringToObject(o, "content_type", bahi_img_mime(t));
	cJSON_AddNumberToObject(o, "size", (double)len);
	cJSON_AddNumberToObject(o, "width", upright ? info.width : info.height);
	cJSON_AddNumberToObject(o, "height", upright ? info.height : info.width);
	cJSON_AddNumberToObject(o, "version", version);
	*out = o;
	return 0;
}
