/* catalog_images: HTTP handlers for product images: upload links, the upload itself, removal. */
#include "catalog.h"

#include <cjson/cJSON.h>

#include "bahi_image.h"
#include "bahi_req.h"
#include "bahi_uuid.h"
#include "bahi_valid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const image_types[] = {"image/jpeg", "image/png", "image/webp", NULL};

static const bahi_field request_fields[] = {
	{"content_type", BAHI_V_ENUM, BAHI_REQUIRED, 0, 0, image_types, NULL, 0},
	{"size", BAHI_V_INT, BAHI_REQUIRED, 1, BAHI_IMAGE_MAX_BYTES, NULL, NULL, 0},
};

/* The product id in the path, normalised; another business's or a malformed one is 404. */
static const char *
product_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such product.");
}

int
catalog_image_request(bahi_req *req)
{
	const char *id = product_id_of(req);
	bahi_value v[NF(request_fields)];
	cJSON *out;
	if (id == NULL || bahi_image_product(req, id) != 0 ||
	    bahi_valid_json(req, req->json, request_fields, NF(request_fields), v, "") != 0 ||
	    bahi_image_request(req, id, v[0].s, v[1].i, &out) != 0)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
catalog_image_delete(bahi_req *req)
{
	const char *id = product_id_of(req);
	if (id == NULL || bahi_image_delete(req, id) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}

/* Public: the token in the path is the credential; the body is the raw image. */
int
catalog_image_upload(bahi_req *req)
{
	const char *token = bahi_req_capture(req, "token");
	cJSON *out;
	if (token == NULL || bahi_image_upload(req, token, req->body ? req->body : "",
	                                       req->body_len, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}
