/* bahi_valid: checks JSON members and query parameters against declared field rules. */
#include "bahi_valid.h"

#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bahi_date.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

int
bahi_valid_utf8(const char *s, int multiline, size_t *chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;
	while (*p) {
		unsigned c = *p;
		int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
		if (len == 0)
			return 0;
		unsigned cp = len == 1 ? c : c & (0x3fu >> (len - 1));
		for (int i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* overlong forms, surrogates, out of range */
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		if ((cp < 0x20 && !(multiline && (cp == '\n' || cp == '\t' || cp == '\r'))) ||
		    cp == 0x7f)
			return 0;
		p += len;
		n++;
	}
	if (chars != NULL)
		*chars = n;
	return 1;
}

static const char *
field_path(struct bahi_req *req, const char *prefix, const char *name)
{
	if (prefix == NULL || *prefix == '\0')
		return name;
	return bahi_pool_printf(req->pool, "%s.%s", prefix, name);
}

static void
bad(struct bahi_req *req, const char *path, const char *code, const char *msg)
{
	bahi_problem_field(&req->problem, path, code, msg);
}

/* Range check shared by the numeric kinds. */
static int
check_range(struct bahi_req *req, const char *path, const bahi_field *f, int64_t v)
{
	if (f->min != 0 || f->max != 0) {
		if (v < f->min) {
			bad(req, path, "too_small", bahi_pool_printf(req->pool,
			    "Must be at least %lld.", (long long)f->min));
			return -1;
		}
		if (v > f->max) {
			bad(req, path, "too_large", bahi_pool_printf(req->pool,
			    "Must be at most %lld.", (long long)f->max));
			return -1;
		}
	}
	return 0;
}

static int
check_string(struct bahi_req *req, const char *path, const bahi_field *f,
             const char *s, bahi_value *v)
{
	size_t chars;
	if (!bahi_valid_utf8(s, (f->flags & BAHI_MULTILINE) != 0, &chars)) {
		bad(req, path, "invalid_text", "Must be UTF-8 text without control characters.");
		return -1;
	}
	if (f->min > 0 && chars < (size_t)f->min) {
		bad(req, path, chars == 0 ? "required" : "too_short", bahi_pool_printf(req->pool,
		    "Must be at least %lld characters.", (long long)f->min));
		return -1;
	}
	if (f->max > 0 && chars > (size_t)f->max) {
		bad(req, path, "too_long", bahi_pool_printf(req->pool,
		    "Must be at most %lld characters.", (long long)f->max));
		return -1;
	}
	v->s = s;
	return 0;
}

/* Text-valued kinds (string, uuid, enum, date) from a C string. */
static int
check_text_kind(struct bahi_req *req, const char *path, const bahi_field *f,
                const char *s, bahi_value *v)
{
	bahi_date d;
	char norm[BAHI_UUID_LEN + 1];
	switch (f->type) {
	case BAHI_V_STRING:
		return check_string(req, path, f, s, v);
	case BAHI_V_UUID:
		if (bahi_uuid_normalise(s, norm) != 0) {
			bad(req, path, "invalid_uuid", "Must be a UUID.");
			return -1;
		}
		v->s = bahi_pool_strdup(req->pool, norm);
		return 0;
	case BAHI_V_DATE:
		if (bahi_date_parse(s, &d) != 0) {
			bad(req, path, "invalid_date", "Must be a date as YYYY-MM-DD.");
			return -1;
		}
		v->s = s;
		return 0;
	case BAHI_V_ENUM:
		for (const char *const *c = f->choices; c && *c; c++)
			if (strcmp(*c, s) == 0) {
				v->s = *c;
				return 0;
			}
		bad(req, path, "invalid_choice", "Is not one of the allowed values.");
		return -1;
	default:
		return -1;
	}
}

/* Whole numbers from JSON: integral, and exactly representable. */
static int
check_json_int(struct bahi_req *req, const char *path, const bahi_field *f,
               const cJSON *node, bahi_value *v)
{
	if (!cJSON_IsNumber(node)) {
		bad(req, path, "must_be_integer", "Must be a whole number.");
		return -1;
	}
	double d = node->valuedouble;
	if (!isfinite(d) || d != floor(d) || fabs(d) > (double)BAHI_MONEY_MAX) {
		int huge = isfinite(d) && fabs(d) > (double)BAHI_MONEY_MAX;
		bad(req, path, !huge ? "must_be_integer" : d > 0 ? "too_large" : "too_small",
		    "Must be a whole number between -10^15 and 10^15.");
		return -1;
	}
	v->i = (int64_t)d;
	return check_range(req, path, f, v->i);
}

static int
check_json_member(struct bahi_req *req, const char *path, const bahi_field *f,
                  const cJSON *node, bahi_value *v)
{
	v->node = node;
	switch (f->type) {
	case BAHI_V_STRING: case BAHI_V_UUID: case BAHI_V_ENUM: case BAHI_V_DATE:
		if (!cJSON_IsString(node)) {
			bad(req, path, "must_be_string", "Must be a string.");
			return -1;
		}
		return check_text_kind(req, path, f, node->valuestring, v);
	case BAHI_V_INT: case BAHI_V_MONEY: case BAHI_V_BP:
		return check_json_int(req, path, f, node, v);
	case BAHI_V_QTY:
		if (!cJSON_IsNumber(node) || bahi_qty_from_double(node->valuedouble, &v->i) != 0) {
			bad(req, path, "invalid_quantity",
			    "Must be a non-negative number with at most 3 decimals.");
			return -1;
		}
		return check_range(req, path, f, v->i);
	case BAHI_V_BOOL:
		if (!cJSON_IsBool(node)) {
			bad(req, path, "must_be_boolean", "Must be true or false.");
			return -1;
		}
		v->i = cJSON_IsTrue(node);
		return 0;
	case BAHI_V_OBJECT:
		if (!cJSON_IsObject(node)) {
			bad(req, path, "must_be_object", "Must be an object.");
			return -1;
		}
		if (f->fields == NULL)
			return 0;
		v->sub = bahi_pool_calloc(req->pool, f->nfields, sizeof(bahi_value));
		return bahi_valid_json(req, node, f->fields, f->nfields, v->sub, path);
	case BAHI_V_ARRAY:
		if (!cJSON_IsArray(node)) {
			bad(req, path, "must_be_array", "Must be an array.");
			return -1;
		}
		v->i = cJSON_GetArraySize(node);
		return check_range(req, path, f, v->i);
	}
	return -1;
}

static const bahi_field *
find_rule(const bahi_field *fields, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

int
bahi_valid_json(struct bahi_req *req, const cJSON *obj, const bahi_field *fields,
                size_t n, bahi_value *out, const char *prefix)
{
	int errors = 0;
	memset(out, 0, sizeof(*out) * n);
	for (const cJSON *m = obj->child; m != NULL; m = m->next) {
		const char *name = m->string ? m->string : "";
		if (find_rule(fields, n, name) == NULL) {
			bad(req, field_path(req, prefix, name), "unknown_field", "Is not a known field.");
			errors++;
		}
	}
	for (size_t i = 0; i < n; i++) {
		const char *path = field_path(req, prefix, fields[i].name);
		const cJSON *node = cJSON_GetObjectItemCaseSensitive(obj, fields[i].name);
		if (node == NULL || cJSON_IsNull(node)) {
			out[i].is_null = node != NULL;
			if ((fields[i].flags & BAHI_REQUIRED) ||
			    (node != NULL && !(fields[i].flags & BAHI_NULLABLE))) {
				bad(req, path, "required", node ? "May not be null." : "Is required.");
				errors++;
			}
			continue;
		}
		if (check_json_member(req, path, &fields[i], node, &out[i]) != 0)
			errors++;
		else
			out[i].present = 1;
	}
	return errors ? -1 : 0;
}

/* One query parameter's text, checked against its rule. */
static int
check_query_value(struct bahi_req *req, const bahi_field *f, const char *s, bahi_value *v)
{
	const char *err;
	switch (f->type) {
	case BAHI_V_INT: case BAHI_V_MONEY: case BAHI_V_BP:
		if (bahi_num_parse(s, f->min, f->max, &v->i, &err) != 0) {
			bad(req, f->name, "invalid_number", bahi_pool_printf(req->pool,
			    "Must be a whole number from %lld to %lld.",
			    (long long)f->min, (long long)f->max));
			return -1;
		}
		return 0;
	case BAHI_V_QTY:
		if (bahi_qty_parse(s, &v->i) != 0) {
			bad(req, f->name, "invalid_quantity", "Must be a number with at most 3 decimals.");
			return -1;
		}
		return check_range(req, f->name, f, v->i);
	case BAHI_V_BOOL:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0) {
			bad(req, f->name, "must_be_boolean", "Must be true or false.");
			return -1;
		}
		v->i = strcmp(s, "true") == 0;
		return 0;
	case BAHI_V_OBJECT: case BAHI_V_ARRAY:
		return -1;
	default:
		return check_text_kind(req, f->name, f, s, v);
	}
}

int
bahi_valid_query(struct bahi_req *req, const bahi_field *fields, size_t n, bahi_value *out)
{
	int errors = 0;
	if (n > 0)
		memset(out, 0, sizeof(*out) * n);
	for (const char *p = req->query; p && *p; ) {
		size_t len = strcspn(p, "&"), klen = strcspn(p, "=&");
		char *key = bahi_url_decode(req->pool, p, klen, 1);
		if (key == NULL || find_rule(fields, n, key) == NULL) {
			bad(req, key ? key : "(query)", "unknown_parameter", "Is not a known parameter.");
			errors++;
		}
		p += len;
		if (*p == '&')
			p++;
	}
	for (size_t i = 0; i < n; i++) {
		const char *s = bahi_req_query(req, fields[i].name);
		if (s == NULL || *s == '\0') {
			if (fields[i].flags & BAHI_REQUIRED) {
				bad(req, fields[i].name, "required", "Is required.");
				errors++;
			}
			continue;
		}
		if (check_query_value(req, &fields[i], s, &out[i]) != 0)
			errors++;
		else
			out[i].present = 1;
	}
	return errors ? -1 : 0;
}

int
bahi_valid_items(struct bahi_req *req, const cJSON *arr, const char *name,
                 const bahi_field *fields, size_t n, int positive, bahi_value *out)
{
	int bad_items = 0, i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr) {
		const char *path = bahi_pool_printf(req->pool, "%s[%d]", name, i);
		bahi_value *v = out + (size_t)i * n;
		if (!cJSON_IsObject(e)) {
			bad(req, path, "must_be_object", "Must be an object.");
			bad_items = 1;
		} else if (bahi_valid_json(req, e, fields, n, v, path) != 0) {
			bad_items = 1;
		} else if (positive >= 0 && v[positive].i <= 0) {
			bad(req, bahi_pool_printf(req->pool, "%s.%s", path, fields[positive].name),
			    "must_be_positive", "Must be more than 0.");
			bad_items = 1;
		}
		i++;
	}
	return bad_items ? -1 : 0;
}
