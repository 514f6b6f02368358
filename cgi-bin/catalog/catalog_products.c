/* catalog_products: HTTP handlers for products (/products): the list and search, create, read, change, delete. */
#include "catalog.h"

#include <string.h>

#include "bahi_buf.h"
#include "bahi_cursor.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_product.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const char *const units[] = {
	"pcs", "kg", "g", "m", "cm", "l", "ml", "box", "pack", "dozen", "pair", "set", NULL,
};

/* Fields the server keeps, with what to do instead of sending them. */
static const struct {
	const char *name, *message;
} read_only[] = {
	{"stock_qty", "Stock changes only through stock movements (POST /api/v1/stock/movements)."},
	{"available_qty", "Is computed from the stock (of the components, for a composite)."},
	{"is_composite", "Follows from components: a product with components is composite."},
	{"image_url", "Set the image with POST /api/v1/products/{id}/image."},
	{"version", "Is kept by the server; send the version you have in If-Match."},
	{"created_at", "Is kept by the server."},
	{"updated_at", "Is kept by the server."},
};

/* Reports and removes the read-only members of the body (and "id" for a
 * change), so that validation reports each field once. 1 when any was given. */
static int
strip_read_only(bahi_req *req, cJSON *body, int is_patch)
{
	int bad = 0;
	cJSON *m;
	if (is_patch && (m = cJSON_DetachItemFromObjectCaseSensitive(body, "id")) != NULL) {
		bahi_problem_field(&req->problem, "id", "read_only", "A product's id cannot change.");
		cJSON_Delete(m);
		bad = 1;
	}
	for (size_t i = 0; i < NF(read_only); i++)
		if ((m = cJSON_DetachItemFromObjectCaseSensitive(body, read_only[i].name)) != NULL) {
			bahi_problem_field(&req->problem, read_only[i].name, "read_only",
			                   read_only[i].message);
			cJSON_Delete(m);
			bad = 1;
		}
	return bad;
}

/* A field error when a given barcode has other than printable ASCII
 * without spaces (what scanners read). */
static int
check_barcode(bahi_req *req, const bahi_value *v)
{
	if (!v->present)
		return 0;
	for (const unsigned char *p = (const unsigned char *)v->s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f) {
			bahi_problem_field(&req->problem, "barcode", "invalid_barcode",
			                   "Must be printable ASCII without spaces.");
			return -1;
		}
	return 0;
}

/* A field error when a given SKU is blank or has spaces at either end. */
static int
check_sku(bahi_req *req, const bahi_value *v)
{
	if (!v->present)
		return 0;
	size_t n = strlen(v->s);
	if (n > 0 && v->s[0] != ' ' && v->s[n - 1] != ' ')
		return 0;
	bahi_problem_field(&req->problem, "sku", "invalid_sku",
	                   "Must not be blank nor start or end with a space.");
	return -1;
}

static const bahi_field component_fields[] = {
	{"product_id", BAHI_V_UUID, BAHI_REQUIRED, 0, 0, NULL, NULL, 0},
	{"qty", BAHI_V_QTY, BAHI_REQUIRED, 0, BAHI_QTY_MAX, NULL, NULL, 0},
};

/* Checks each member of the validated components array and copies it into
 * ids and qty; *n receives how many. 0, or -1 with field errors. */
static int
read_components(bahi_req *req, const bahi_value *arr, const char **ids, int64_t *qty, int *n)
{
	int count = cJSON_GetArraySize(arr->node);
	size_t nf = NF(component_fields);
	bahi_value *v = bahi_pool_calloc(req->pool, (size_t)count * nf + 1, sizeof(*v));
	*n = count;
	if (bahi_valid_items(req, arr->node, "components", component_fields, nf, 1, v) != 0)
		return -1;
	for (int i = 0; i < count; i++) {
		ids[i] = v[i * nf].s;
		qty[i] = v[i * nf + 1].i;
	}
	return 0;
}

/* Validates a product body: read-only members, the fields, the SKU, barcode
 * and components, every error named. v[0] is a new product's id; from
 * category_id on both tables hold PRODUCT_FIELDS. */
static int
read_body(bahi_req *req, int is_patch, const bahi_field *fields, size_t nfields, bahi_value *v,
          const char **ids, int64_t *qty, int *n)
{
	const bahi_value *f = is_patch ? v : v + 1;
	int bad = strip_read_only(req, req->json, is_patch);
	bad |= bahi_valid_json(req, req->json, fields, nfields, v, "") != 0;
	bad |= check_sku(req, &f[2]) != 0;
	bad |= check_barcode(req, &f[3]) != 0;
	if (f[8].present && read_components(req, &f[8], ids, qty, n) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/* The {id} of the path, normalised; a path that names no UUID names no product. */
static const char *
product_id_of(bahi_req *req)
{
	return bahi_req_capture_id(req, "id", "There is no such product.");
}

static const bahi_field list_fields[] = {
	BAHI_PAGE_FIELDS,
	{"q", BAHI_V_STRING, 0, 1, 100, NULL, NULL, 0},
	{"category_id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	{"low_stock", BAHI_V_BOOL, 0, 0, 0, NULL, NULL, 0},
};

int
catalog_products_list(bahi_req *req)
{
	bahi_value v[NF(list_fields)];
	bahi_page pg;
	if (bahi_page_query(req, list_fields, NF(list_fields), v, &pg) != 0)
		return -1;
	const char *q = v[2].present ? v[2].s : NULL;
	if (q != NULL && strspn(q, " ") == strlen(q))
		q = NULL;       /* only spaces: no search */
	bahi_product_filter f = {
		.q = q, .category_id = v[3].present ? v[3].s : NULL, .low_stock = v[4].present && v[4].i,
	};
	bahi_buf out;
	bahi_buf_init(&out, BAHI_MAX_RESPONSE);
	int rc = bahi_product_list(req, &pg, &f, &out);
	if (rc == 0)
		rc = bahi_resp_body(req, 200, "application/json", out.data, out.len);
	bahi_buf_free(&out);
	return rc;
}

/* A product's writable fields, in the order read_body and the handlers
 * rely on; name_flags is BAHI_REQUIRED when creating. */
#define PRODUCT_FIELDS(name_flags) \
	{"category_id", BAHI_V_UUID, BAHI_NULLABLE, 0, 0, NULL, NULL, 0}, \
	{"name", BAHI_V_STRING, name_flags, 1, 200, NULL, NULL, 0}, \
	{"sku", BAHI_V_STRING, BAHI_NULLABLE, 1, 64, NULL, NULL, 0}, \
	{"barcode", BAHI_V_STRING, BAHI_NULLABLE, 1, 64, NULL, NULL, 0}, \
	{"unit", BAHI_V_ENUM, 0, 0, 0, units, NULL, 0}, \
	{"price", BAHI_V_MONEY, 0, 0, BAHI_MONEY_MAX, NULL, NULL, 0}, \
	{"cost", BAHI_V_MONEY, 0, 0, BAHI_MONEY_MAX, NULL, NULL, 0}, \
	{"min_stock", BAHI_V_QTY, 0, 0, BAHI_QTY_MAX, NULL, NULL, 0}, \
	{"components", BAHI_V_ARRAY, 0, 0, BAHI_PRODUCT_MAX_COMPONENTS, NULL, NULL, 0}

static const bahi_field create_fields[] = {
	{"id", BAHI_V_UUID, 0, 0, 0, NULL, NULL, 0},
	PRODUCT_FIELDS(BAHI_REQUIRED),
};

int
catalog_products_create(bahi_req *req)
{
	bahi_value v[NF(create_fields)];
	bahi_product_in in;
	memset(&in, 0, sizeof(in));
	if (read_body(req, 0, create_fields, NF(create_fields), v, in.component_id,
	              in.component_qty, &in.ncomponents) != 0)
		return -1;
	in.id = v[0].present ? v[0].s : NULL;
	in.category_id = v[1].present ? v[1].s : NULL;
	in.name = v[2].s;
	in.sku = v[3].present ? v[3].s : NULL;
	in.barcode = v[4].present ? v[4].s : NULL;
	in.unit = v[5].present ? v[5].s : NULL;
	in.price = v[6].present ? v[6].i : 0;
	in.cost = v[7].present ? v[7].i : 0;
	in.min_stock = v[8].present ? v[8].i : -1;
	char id[BAHI_UUID_LEN + 1];
	cJSON *out;
	if (bahi_product_create(req, &in, id) != 0 || (out = bahi_product_get(req, id)) == NULL)
		return -1;
	return bahi_resp_json(req, 201, out);
}

int
catalog_products_get(bahi_req *req)
{
	const char *id = product_id_of(req);
	cJSON *out = id ? bahi_product_get(req, id) : NULL;
	return out ? bahi_resp_json(req, 200, out) : -1;
}

static const bahi_field patch_fields[] = {PRODUCT_FIELDS(0)};

/* Copies the validated patch members into p. */
static void
patch_from(const bahi_value *v, bahi_product_patch *p)
{
	p->category_id = v[0].present ? v[0].s : NULL;
	p->clear_category = v[0].is_null;
	p->name = v[1].present ? v[1].s : NULL;
	p->sku = v[2].present ? v[2].s : NULL;
	p->regenerate_sku = v[2].is_null;
	p->barcode = v[3].present ? v[3].s : NULL;
	p->clear_barcode = v[3].is_null;
	p->unit = v[4].present ? v[4].s : NULL;
	p->price = v[5].present ? v[5].i : -1;
	p->cost = v[6].present ? v[6].i : -1;
	p->min_stock = v[7].present ? v[7].i : -1;
	p->set_components = v[8].present;
}

int
catalog_products_patch(bahi_req *req)
{
	bahi_value v[NF(patch_fields)];
	bahi_product_patch p;
	memset(&p, 0, sizeof(p));
	const char *id = product_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0)
		return -1;
	if (read_body(req, 1, patch_fields, NF(patch_fields), v, p.component_id, p.component_qty,
	              &p.ncomponents) != 0)
		return -1;
	patch_from(v, &p);
	p.if_match = if_match;
	cJSON *out;
	if (bahi_product_update(req, id, &p, &out) != 0)
		return -1;
	return bahi_resp_json(req, 200, out);
}

int
catalog_products_delete(bahi_req *req)
{
	const char *id = product_id_of(req);
	long if_match = id ? bahi_req_if_match(req) : -1;
	if (if_match < 0 || bahi_product_delete(req, id, if_match) != 0)
		return -1;
	return bahi_resp_body(req, 204, NULL, "", 0);
}
