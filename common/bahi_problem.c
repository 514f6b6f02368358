/* bahi_problem: the table of stable error codes and their JSON form. */
#include "bahi_problem.h"
#include "bahi_buf.h"

#include <string.h>

typedef struct problem_kind {
	const char *code;
	int status;
	const char *title;
} problem_kind;

/* Every code a client may see. The contract fixes these; add, never rename. */
static const problem_kind problem_kinds[] = {
	{"validation_failed",      422, "The request has invalid fields"},
	{"bad_request",            400, "The request could not be understood"},
	{"malformed_json",         400, "The request body is not valid JSON"},
	{"unsupported_media_type", 415, "The request body has an unsupported media type"},
	{"unauthorized",           401, "Authentication is required"},
	{"token_expired",          401, "The access token has expired"},
	{"forbidden",              403, "You do not have permission to do this"},
	{"not_found",              404, "The resource was not found"},
	{"method_not_allowed",     405, "The method is not allowed on this resource"},
	{"conflict",               409, "The request conflicts with the current state"},
	{"version_conflict",       412, "The resource was changed by someone else"},
	{"idempotency_key_reused", 422, "The idempotency key was used with another request"},
	{"payload_too_large",      413, "The request body is too large"},
	{"rate_limited",           429, "Too many requests"},
	{"otp_invalid",            422, "The verification code is not valid"},
	{"otp_expired",            422, "The verification code has expired"},
	{"phone_taken",            409, "The phone number is already registered"},
	{"invalid_credentials",    401, "The phone number or password is wrong"},
	{"refresh_token_reused",   401, "The refresh token was already used"},
	{"insufficient_stock",     422, "Not enough stock"},
	{"invoice_immutable",      409, "Issued invoices cannot be changed"},
	{"customer_required",      422, "A customer is required for a credit sale"},
	{"duplicate_phone",        409, "The phone number is already in use"},
	{"duplicate_sku",          409, "The SKU is already in use"},
	{"duplicate_barcode",      409, "The barcode is already in use"},
	{"duplicate_name",         409, "The name is already in use"},
	{"in_use",                 409, "The record is still in use"},
	{"csrf_failed",            403, "The form has expired or did not come from this site"},
	{"link_expired",           410, "The link has expired"},
	{"service_unavailable",    503, "The service is temporarily unavailable"},
	{"internal_error",         500, "An internal error occurred"},
};

static const problem_kind *
problem_find(const char *code)
{
	for (size_t i = 0; i < sizeof(problem_kinds) / sizeof(problem_kinds[0]); i++)
		if (strcmp(problem_kinds[i].code, code) == 0)
			return &problem_kinds[i];
	return NULL;
}

int
bahi_problem_status(const char *code)
{
	const problem_kind *k = problem_find(code);
	return k ? k->status : 500;
}

const char *
bahi_problem_title(const char *code)
{
	const problem_kind *k = problem_find(code);
	return k ? k->title : "An internal error occurred";
}

void
bahi_problem_set(bahi_problem *p, const char *code, const char *detail)
{
	const problem_kind *k = problem_find(code);
	if (k == NULL)
		k = problem_find("internal_error");
	p->status = k->status;
	p->code = k->code;
	p->title = k->title;
	p->detail = detail;
}

void
bahi_problem_field(bahi_problem *p, const char *field, const char *code,
                   const char *message)
{
	if (p->status == 0)
		bahi_problem_set(p, "validation_failed", "One or more fields are invalid.");
	if (p->nerrors == BAHI_PROBLEM_MAX_ERRORS) {
		p->nerrors_dropped++;
		return;
	}
	bahi_field_error *e = &p->errors[p->nerrors++];
	e->field = field;
	e->code = code;
	e->message = message;
}

static int
put_json_string(bahi_buf *out, const char *key, const char *value, int comma)
{
	int rc = 0;
	if (comma)
		rc |= bahi_buf_putc(out, ',');
	rc |= bahi_buf_printf(out, "\"%s\":\"", key);
	rc |= bahi_buf_json_escape(out, value ? value : "");
	rc |= bahi_buf_putc(out, '"');
	return rc;
}

int
bahi_problem_to_json(const bahi_problem *p, bahi_buf *out)
{
	const char *code = p->code ? p->code : "internal_error";
	int rc = bahi_buf_printf(out, "{\"type\":\"urn:bahi:problem:%s\"", code);
	rc |= put_json_string(out, "title", p->title ? p->title : bahi_problem_title(code), 1);
	rc |= bahi_buf_printf(out, ",\"status\":%d", p->status ? p->status : 500);
	rc |= put_json_string(out, "code", code, 1);
	if (p->detail)
		rc |= put_json_string(out, "detail", p->detail, 1);
	if (p->nerrors > 0) {
		rc |= bahi_buf_puts(out, ",\"errors\":[");
		for (size_t i = 0; i < p->nerrors; i++) {
			rc |= bahi_buf_puts(out, i ? ",{" : "{");
			rc |= put_json_string(out, "field", p->errors[i].field, 0);
			rc |= put_json_string(out, "code", p->errors[i].code, 1);
			rc |= put_json_string(out, "message", p->errors[i].message, 1);
			rc |= bahi_buf_putc(out, '}');
		}
		rc |= bahi_buf_putc(out, ']');
	}
	rc |= bahi_buf_putc(out, '}');
	return rc ? -1 : 0;
}
