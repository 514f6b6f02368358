/* admin_product_stock: the product page's stock form and recent movements, and its image (upload from a browser form, removal). */
#include <string.h>

#include <curl/curl.h>

#include "admin.h"
#include "admin_catalog.h"
#include "bahi_config.h"
#include "bahi_cursor.h"
#include "bahi_image.h"
#include "bahi_imgcodec.h"
#include "bahi_log.h"
#include "bahi_multipart.h"
#include "bahi_perm.h"
#include "bahi_req.h"
#include "bahi_stock.h"
#include "catalog.h"

/* The stock form: POST /api/v1/stock/movements without product_id (the page's). */
static const admin_field stock_fields[] = {
	{"kind", ADMIN_F_STRING, 0},
	{"qty", ADMIN_F_QTY, 0},
	{"unit_cost", ADMIN_F_MONEY, 0},
	{"note", ADMIN_F_STRING, 0},
};

/* Movement kinds with their names; the form offers the first four. */
static const struct {
	const char *code, *label;
} kinds[] = {
	{"in", N_("Stock in")}, {"out", N_("Stock out")}, {"wastage", N_("Wastage")},
	{"adjust", N_("Adjustment (+ or -)")}, {"sale", N_("Sale")}, {"void", N_("Void")},
	{"return", N_("Return")},
};
#define FORM_KINDS 4

/* Movements the product page shows. */
#define RECENT_MOVEMENTS 10

static const char *
kind_label(bahi_req *req, const char *code)
{
	for (size_t i = 0; i < NF(kinds); i++)
		if (strcmp(kinds[i].code, code) == 0)
			return admin_t(req, kinds[i].label);
	return code;
}

/* The movements table's rows. */
static void
movement_rows(bahi_req *req, bahi_tmpl_dict *d, const cJSON *list)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(list, "items")) {
		bahi_tmpl_dict *r = bahi_tmpl_section(d, "MOVEMENT");
		bahi_tmpl_set(r, "when", admin_time(req, admin_json_str(m, "created_at")));
		bahi_tmpl_set(r, "kind", kind_label(req, admin_json_str(m, "kind")));
		bahi_tmpl_set(r, "qty", admin_catalog_qty(req, m, "qty"));
		bahi_tmpl_set(r, "stock_after", admin_catalog_qty(req, m, "stock_after"));
		bahi_tmpl_set(r, "unit_cost", admin_money(req, admin_json_int(m, "unit_cost")));
		bahi_tmpl_set(r, "note", admin_json_str(m, "note"));
	}
}

int
admin_product_stock_fill(bahi_req *req, bahi_tmpl_dict *d, const char *id)
{
	admin_ctx *c = req->app;
	if (bahi_perm_allows(c->role, "stock.write")) {
		bahi_tmpl_dict *f = bahi_tmpl_section(d, "STOCK_FORM");
		const char *cur = admin_catalog_posted(req, "/stock", "kind", "in");
		for (size_t i = 0; i < FORM_KINDS; i++) {
			bahi_tmpl_dict *o = bahi_tmpl_section(f, "KIND");
			bahi_tmpl_set(o, "code", kinds[i].code);
			bahi_tmpl_set(o, "label", admin_t(req, kinds[i].label));
			if (strcmp(kinds[i].code, cur) == 0)
				bahi_tmpl_show(o, "SELECTED");
		}
		if (admin_catalog_reshown(req, "/stock"))
			admin_form_refill(req, f, stock_fields, NF(stock_fields));
	}
	if (!bahi_perm_allows(c->role, "stock.read"))
		return 0;
	bahi_page pg = {.limit = RECENT_MOVEMENTS};
	cJSON *list;
	if (bahi_stock_movements_list(req, &pg, id, NULL, &list) != 0)
		return -1;
	bahi_tmpl_dict *s = bahi_tmpl_section(d, "MOVEMENTS");
	if (cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(list, "items")) == 0)
		bahi_tmpl_show(s, "NO_MOVEMENTS");
	movement_rows(req, s, list);
	cJSON_Delete(list);
	return 0;
}

int
admin_product_stock_post(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such product."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	cJSON *body = admin_form_json(req, stock_fields, NF(stock_fields));
	if (body != NULL)
		cJSON_AddStringToObject(body, "product_id", id);
	if (body == NULL || admin_apply(req, &catalog_worker, "POST", "/api/v1/stock/movements", body,
	                                0, NULL) != 0) {
		cJSON_Delete(body);
		return admin_reshow(req, "catalog.read", admin_product_page);
	}
	cJSON_Delete(body);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/products/%s?done=stock", id));
}

/* ---- the image */

void
admin_product_image_fill(bahi_req *req, bahi_tmpl_dict *d, const cJSON *p)
{
	admin_ctx *c = req->app;
	const char *url = admin_json_str(p, "image_url");
	int can = bahi_perm_allows(c->role, "catalog.write");
	if (*url != '\0') {
		bahi_tmpl_dict *s = bahi_tmpl_section(d, "IMAGE");
		bahi_tmpl_set(s, "image_url", url);
		bahi_tmpl_set(s, "name", admin_json_str(p, "name"));
		if (can)
			bahi_tmpl_show(s, "CAN_REMOVE");
	} else {
		bahi_tmpl_show(d, "NO_IMAGE");
	}
	if (can)
		bahi_tmpl_show(d, "IMAGE_FORM");
}

/* Feeds the image to libcurl's upload. */
typedef struct upload_src {
	const char *data;
	size_t left;
} upload_src;

static size_t
upload_read(char *buf, size_t size, size_t n, void *arg)
{
	upload_src *s = arg;
	size_t k = size * n < s->left ? size * n : s->left;
	memcpy(buf, s->data, k);
	s->data += k;
	s->left -= k;
	return k;
}

/* S3 storage: PUTs the image to the presigned URL (its type and length are
 * signed). 0, or -1 with 503 when the bucket did not take it. */
static int
s3_put(bahi_req *req, const char *url, const char *type, const char *data, size_t len)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	upload_src src = {data, len};
	long status = 0;
	hdr = curl_slist_append(hdr, bahi_pool_printf(req->pool, "Content-Type: %s", type));
	CURLcode rc = CURLE_FAILED_INIT;
	if (h != NULL && hdr != NULL) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
		curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
		curl_easy_setopt(h, CURLOPT_READDATA, &src);
		curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	}
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (rc == CURLE_OK && status >= 200 && status < 300)
		return 0;
	bahi_log_error(req, "image upload to S3 failed: %s, HTTP %ld", curl_easy_strerror(rc), status);
	return bahi_fail(req, "service_unavailable",
	                 N_("The image could not be stored; try again."));
}

/* Sends the image's bytes where POST /products/{id}/image said: our own
 * upload route (local storage, run in this process) or the S3 bucket. */
static int
image_send(bahi_req *req, const char *pid, const cJSON *link, const char *type,
           const bahi_part *part)
{
	const char *url = admin_json_str(link, "upload_url");
	if (strcmp(bahi_config_get("storage"), "s3") == 0) {
		if (s3_put(req, url, type, part->data, part->len) == 0)
			return 0;
		bahi_problem failed = req->problem;
		/* the key was set when the link was made: leave no image that is not there */
		admin_apply(req, &catalog_worker, "DELETE",
		            bahi_pool_printf(req->pool, "/api/v1/products/%s/image", pid), NULL, 0, NULL);
		req->problem = failed;
		return -1;
	}
	const char *token = strrchr(url, '/');
	if (token == NULL || strstr(url, "/api/v1/uploads/") == NULL)
		return bahi_fail(req, "internal_error", "Unexpected upload link.");
	return admin_apply_raw(req, &catalog_worker, "PUT",
	                       bahi_pool_printf(req->pool, "/api/v1/uploads/%s", token + 1), NULL,
	                       type, part->data, part->len, NULL);
}

/* The posted file: 0 with its type, or -1 with a field error on "image". */
static int
image_part(bahi_req *req, bahi_part *part, const char **type)
{
	if (bahi_req_part(req, "image", part) != 1 || part->len == 0)
		bahi_problem_field(&req->problem, "image", "required", N_("Choose an image file."));
	else if (part->len > BAHI_IMAGE_MAX_BYTES)
		bahi_problem_field(&req->problem, "image", "too_large",
		                   N_("The image is larger than 5 MB."));
	else if (bahi_img_sniff(part->data, part->len) == BAHI_IMG_UNKNOWN)
		bahi_problem_field(&req->problem, "image", "unsupported_type",
		                   N_("Choose a JPEG, PNG or WebP image."));
	else {
		*type = bahi_img_mime(bahi_img_sniff(part->data, part->len));
		return 0;
	}
	return -1;
}

/* POST /admin/uploads/products/{id}/image (multipart/form-data): the file
 * goes the API's way: an upload link for its type and size, then its bytes. */
int
admin_product_image_post(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such product."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	bahi_part part;
	const char *type = NULL;
	cJSON *link = NULL;
	int rc = image_part(req, &part, &type);
	if (rc == 0) {
		cJSON *body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "content_type", type);
		cJSON_AddNumberToObject(body, "size", (double)part.len);
		rc = admin_apply(req, &catalog_worker, "POST",
		                 bahi_pool_printf(req->pool, "/api/v1/products/%s/image", id), body, 0,
		                 &link);
		cJSON_Delete(body);
	}
	if (rc == 0)
		rc = image_send(req, id, link, type, &part);
	cJSON_Delete(link);
	if (rc != 0)
		return admin_reshow(req, "catalog.read", admin_product_page);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/products/%s?done=saved", id));
}

int
admin_product_image_delete(bahi_req *req)
{
	const char *id = bahi_req_capture_id(req, "id", N_("There is no such product."));
	if (id == NULL || admin_form_begin(req) != 0)
		return -1;
	if (admin_apply(req, &catalog_worker, "DELETE",
	                bahi_pool_printf(req->pool, "/api/v1/products/%s/image", id), NULL, 0,
	                NULL) != 0)
		return admin_reshow(req, "catalog.read", admin_product_page);
	return admin_redirect(req, bahi_pool_printf(req->pool, "/admin/products/%s?done=saved", id));
}
