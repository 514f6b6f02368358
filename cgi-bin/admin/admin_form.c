/* admin_form: posted form fields, their JSON for the API's routes, and writes applied through those routes. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "admin.h"
#include "bahi_cursor.h"
#include "bahi_money.h"
#include "bahi_valid.h"
#include "bahi_req.h"
#include "bahi_worker.h"

const char *
admin_form(bahi_req *req, const char *name)
{
	const char *v = bahi_req_form(req, name);
	if (v == NULL)
		return NULL;
	while (isspace((unsigned char)*v))
		v++;
	size_t n = strlen(v);
	while (n > 0 && isspace((unsigned char)v[n - 1]))
		n--;
	return bahi_pool_strndup(req->pool, v, n);
}

int
admin_money_parse(bahi_req *req, const char *s, int64_t *out)
{
	admin_ctx *c = req->app;
	char digits[64];
	size_t n = 0;
	for (; *s != '\0' && n + 1 < sizeof(digits); s++)
		if (*s != ',' && *s != ' ')
			digits[n++] = *s;
	digits[n] = '\0';
	if (*s != '\0')
		return -1;
	return bahi_money_parse(digits, c != NULL ? c->decimals : 2, out);
}

/* One field's value as a JSON item, or NULL with a field error. */
static cJSON *
field_json(bahi_req *req, const admin_field *f, const char *v)
{
	int64_t n;
	char *end;
	switch (f->type) {
	case ADMIN_F_STRING:
		return cJSON_CreateString(v);
	case ADMIN_F_MONEY:
		if (admin_money_parse(req, v, &n) == 0)
			return cJSON_CreateNumber((double)n);
		break;
	case ADMIN_F_BP:
		if (bahi_money_parse(v, 2, &n) == 0)
			return cJSON_CreateNumber((double)n);
		break;
	case ADMIN_F_INT:
		n = strtoll(v, &end, 10);
		if (end != v && *end == '\0')
			return cJSON_CreateNumber((double)n);
		break;
	case ADMIN_F_QTY: {
		double q = strtod(v, &end);
		if (end != v && *end == '\0')
			return cJSON_CreateNumber(q);
		break;
	}
	case ADMIN_F_BOOL:
		return cJSON_CreateBool(1);
	}
	bahi_problem_field(&req->problem, f->name, "invalid_number",
	                   admin_t(req, N_("Enter a number, such as 1250 or 1,250.50.")));
	return NULL;
}

cJSON *
admin_form_json(bahi_req *req, const admin_field *f, size_t n)
{
	cJSON *obj = cJSON_CreateObject();
	int bad = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v = admin_form(req, f[i].name);
		if (f[i].type == ADMIN_F_BOOL) {
			cJSON_AddItemToObject(obj, f[i].name, cJSON_CreateBool(v != NULL));
			continue;
		}
		if (v == NULL || (*v == '\0' && !(f[i].flags & ADMIN_F_KEEP_EMPTY))) {
			if (v != NULL && (f[i].flags & ADMIN_F_EMPTY_NULL))
				cJSON_AddNullToObject(obj, f[i].name);
			continue;
		}
		cJSON *item = field_json(req, &f[i], v);
		if (item == NULL)
			bad = 1;
		else
			cJSON_AddItemToObject(obj, f[i].name, item);
	}
	if (bad) {
		cJSON_Delete(obj);
		return NULL;
	}
	return obj;
}

/* Copies the sub-request's problem into req's pool (it dies with the sub-request). */
static void
copy_problem(bahi_req *req, const bahi_problem *from)
{
	bahi_problem *p = &req->problem;
	*p = *from;
	p->code = from->code ? bahi_pool_strdup(req->pool, from->code) : NULL;
	p->title = from->title ? bahi_pool_strdup(req->pool, from->title) : NULL;
	p->detail = from->detail ? bahi_pool_strdup(req->pool, from->detail) : NULL;
	p->allow = NULL;
	for (size_t i = 0; i < from->nerrors; i++) {
		p->errors[i].field = bahi_pool_strdup(req->pool, from->errors[i].field);
		p->errors[i].code = bahi_pool_strdup(req->pool, from->errors[i].code);
		p->errors[i].message = bahi_pool_strdup(req->pool, from->errors[i].message);
	}
}

/* Runs the prepared sub-request as the caller and frees it: its JSON
 * answer into *out, or its problem copied into req. 0 or -1. */
static int
run_sub(bahi_req *req, const bahi_worker_def *def, bahi_req *sub, const char *method,
        const char *path, cJSON **out)
{
	sub->method = method;
	sub->path = path;
	sub->request_id = req->request_id;
	sub->auth = req->auth;
	int rc = bahi_worker_run_local(def, sub);
	if (out != NULL)
		*out = rc == 0 && sub->out.len > 0 ?
		       cJSON_ParseWithLength(sub->out.data, sub->out.len) : NULL;
	if (rc != 0)
		copy_problem(req, &sub->problem);
	bahi_req_local_free(sub);
	return rc;
}

int
admin_apply(bahi_req *req, const bahi_worker_def *def, const char *method, const char *path,
            cJSON *body, long if_match, cJSON **out)
{
	bahi_req sub;
	const char *params[7] = {NULL};
	int np = 0;
	/* the activity log records where a write came from */
	if (bahi_req_param(req, "REMOTE_ADDR") != NULL) {
		params[np++] = "REMOTE_ADDR";
		params[np++] = bahi_req_param(req, "REMOTE_ADDR");
	}
	if (if_match > 0) {
		params[np++] = "HTTP_IF_MATCH";
		params[np++] = bahi_pool_printf(req->pool, "\"%ld\"", if_match);
	}
	/* a form sent twice (a double click, a reload) is applied once */
	const char *idem = strcmp(method, "POST") == 0 ? admin_form(req, "idem") : NULL;
	if (idem != NULL && *idem != '\0' && strlen(idem) <= 100) {
		params[np++] = "HTTP_IDEMPOTENCY_KEY";
		params[np++] = idem;
	}
	bahi_req_local(&sub, def);
	sub.json = body;
	sub.local_params = params;
	return run_sub(req, def, &sub, method, path, out);
}

int
admin_apply_raw(bahi_req *req, const bahi_worker_def *def, const char *method, const char *path,
                const char *query, const char *content_type, const char *body, size_t len,
                cJSON **out)
{
	bahi_req sub;
	const char *params[3] = {"CONTENT_TYPE", content_type, NULL};
	bahi_req_local(&sub, def);
	sub.query = query != NULL ? query : "";
	sub.local_params = content_type != NULL ? params : NULL;
	if (body != NULL) {
		sub.body = bahi_pool_alloc(sub.pool, len + 1);
		memcpy(sub.body, body, len);
		sub.body[len] = '\0';
		sub.body_len = len;
	}
	return run_sub(req, def, &sub, method, path, out);
}

/* The failed form's problem while admin_reshow shows its page again. */
static const bahi_problem *reshown;

void
admin_form_refill(bahi_req *req, bahi_tmpl_dict *d, const admin_field *f, size_t n)
{
	if (reshown == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *v = bahi_req_form(req, f[i].name);
		char key[80];
		snprintf(key, sizeof(key), "v_%s", f[i].name);
		const char *shown = f[i].type == ADMIN_F_BOOL ? (v != NULL ? "checked" : "") :
		                    v != NULL ? v : "";
		bahi_tmpl_set(d, key, shown);
		bahi_tmpl_set(d, f[i].name, shown);
	}
}


int
admin_reshow(bahi_req *req, const char *perm, int (*page)(bahi_req *req))
{
	bahi_problem *failed = bahi_pool_alloc(req->pool, sizeof(*failed));
	*failed = req->problem;
	/* session and permission problems, and missing records, are error pages */
	if (failed->status == 401 || failed->status == 403 || failed->status == 404 ||
	    failed->status >= 500)
		return -1;
	memset(&req->problem, 0, sizeof(req->problem));
	reshown = failed;
	int rc = admin_in_tx(req, perm, page);
	reshown = NULL;
	if (rc != 0)
		return -1;
	return admin_render_status(req, failed->status);
}

void
admin_form_errors(bahi_req *req, bahi_tmpl_dict *d)
{
	const bahi_problem *p = reshown;
	if (p == NULL || p->status == 0)
		return;
	bahi_tmpl_dict *e = bahi_tmpl_section(d, "ERRORS");
	bahi_tmpl_set(e, "title", admin_t(req, p->title ? p->title : ""));
	if (p->detail != NULL && p->nerrors == 0)
		bahi_tmpl_set(bahi_tmpl_section(e, "ERROR"), "message", admin_t(req, p->detail));
	for (size_t i = 0; i < p->nerrors; i++) {
		char key[80];
		const char *msg = admin_t(req, p->errors[i].message);
		snprintf(key, sizeof(key), "err_%s", p->errors[i].field);
		bahi_tmpl_set(d, key, msg);
		bahi_tmpl_dict *one = bahi_tmpl_section(e, "ERROR");
		bahi_tmpl_set(one, "field", p->errors[i].field);
		bahi_tmpl_set(one, "message", bahi_pool_printf(req->pool, "%s: %s",
		              admin_t(req, p->errors[i].field), msg));
	}
}

void
admin_pager(bahi_req *req, bahi_tmpl_dict *d, const cJSON *list, const char *base)
{
	const char *next = admin_json_str(list, "next_cursor");
	if (*next == '\0')
		return;
	/* keep the list's filters (q, status...) and replace the cursor */
	bahi_buf b;
	bahi_buf_init(&b, 4096);
	bahi_buf_printf(&b, "%s?", base);
	const char *q = req->query;
	while (q != NULL && *q != '\0') {
		size_t n = strcspn(q, "&");
		if (n > 0 && strncmp(q, "cursor=", 7) != 0 && strncmp(q, "done=", 5) != 0)
			bahi_buf_printf(&b, "%.*s&", (int)n, q);
		q += n + (q[n] == '&');
	}
	bahi_buf_printf(&b, "cursor=%s", admin_url_encode(req, next));
	bahi_tmpl_dict *s = bahi_tmpl_section(d, "NEXT");
	bahi_tmpl_set(s, "next_href", bahi_pool_strndup(req->pool, b.data, b.len));
	bahi_buf_free(&b);
}

int
admin_list_page(bahi_req *req, int limit, bahi_page *pg)
{
	bahi_value lim = {.present = 1, .i = limit};
	const char *c = bahi_req_query(req, "cursor");
	bahi_value cur = {.present = c != NULL && *c != '\0', .s = c};
	if (bahi_page_from_query(req, &lim, &cur, pg) != 0)
		return bahi_fail(req, "not_found", "This page of the list no longer exists; start "
		                 "again from the first page.");
	return 0;
}
