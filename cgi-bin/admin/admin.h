/* admin.h: the admin worker's shared declarations: routes, the page context, layout, forms and formats. */
#ifndef BAHI_ADMIN_H
#define BAHI_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bahi_router.h"
#include "bahi_tmpl.h"

struct bahi_req;
struct bahi_worker_def;

/* Marks an English msgid in C for the translators' .po files (po/). */
#define N_(s) s

/* The session cookie (a web token, bahi_jwt) and the pre-sign-in CSRF cookie. */
#define ADMIN_COOKIE "__Host-bahi_session"
#define ADMIN_CSRF_COOKIE "__Host-bahi_csrf"

/* Route flags of the panel: pages read in the request's transaction; forms
 * (POST) check the CSRF token and apply writes through the API's routes in
 * transactions of their own. */
#define ADMIN_PAGE (BAHI_AUTH | BAHI_TX)
#define ADMIN_FORM (BAHI_AUTH | BAHI_OWN_TX)

/* A group of routes (each admin_*.c file exports one). */
typedef struct admin_routes {
	const bahi_route *routes;
	size_t n;
} admin_routes;
#define ADMIN_ROUTES(name, table) \
	const admin_routes name = {table, sizeof(table) / sizeof(table[0])}

/* The caller and their business, as a page shows them (admin_page.c). */
typedef struct admin_ctx {
	const char *lang;          /* "en" | "ur" */
	int rtl;
	const char *csrf;          /* this session's form token */
	const char *user_name, *role;
	const char *business_name, *currency, *timezone;
	int decimals;              /* of the currency's minor unit */
	int grouping;              /* bahi_grouping of the business */
	bahi_tmpl_dict *layout;    /* the page being built */
	bahi_tmpl_dict *body;
	const char *body_file;
	const char *title;
} admin_ctx;

/* ---- admin_page.c: the page context and the layout */

/* The caller's context, read once per request (after the session check,
 * inside the request's transaction). NULL with a problem. */
admin_ctx *admin_ctx_get(struct bahi_req *req);
/* Starts a page titled title (an English msgid, translated) with the nav
 * item nav marked current, whose body is the template tpl: returns the
 * body's dictionary (values the page's template shows), or NULL with a problem. */
bahi_tmpl_dict *admin_page(struct bahi_req *req, const char *title, const char *nav,
                           const char *tpl);
/* Renders the page admin_page started: 200 text/html. 0 or -1. */
int admin_render(struct bahi_req *req);
/* Renders template file with d as the whole page (200 or status), no-store. 0 or -1. */
int admin_render_file(struct bahi_req *req, const char *file, bahi_tmpl_dict *d, int status);
/* Pages before sign-in (sign-in, sign-up): the visitor's language (?lang=,
 * a posted lang, else Urdu when the browser asks for it first, else
 * English), and a page dictionary with lang, dir and the pre-sign-in CSRF
 * token set for every template it includes. */
const char *admin_visitor_lang(struct bahi_req *req);
bahi_tmpl_dict *admin_visitor_page(struct bahi_req *req, const char **lang);
/* Renders the page with status (a form re-shown with its errors: 422). */
int admin_render_status(struct bahi_req *req, int status);
/* msgid in the caller's language (English before the context is known). */
const char *admin_t(struct bahi_req *req, const char *msgid);
/* A 303 redirect to location (a path under /admin). Returns 0. */
int admin_redirect(struct bahi_req *req, const char *location);
/* Runs fn inside a transaction of its own as the caller with perm (for a
 * form's handler that shows a page again, as GET pages are run). 0 or -1. */
int admin_in_tx(struct bahi_req *req, const char *perm, int (*fn)(struct bahi_req *req));

/* The error page of req->problem (403, 404, 422...), in the layout when
 * the caller is known. */
void admin_error_page(struct bahi_req *req);

/* ---- admin_signin.c: signing a browser in */

/* Starts the browser's session from a session body (sign-in or sign-up's:
 * its access_token): sets the cookie to a web token. 0 or -1. */
int admin_start_session(struct bahi_req *req, cJSON *session);
/* The device name a browser's session is listed under ("Firefox (web)"). */
const char *admin_browser_name(struct bahi_req *req);

/* ---- admin_session.c: the session cookie */

/* Sets the session cookie to a web token / expires it. */
void admin_set_session_cookie(struct bahi_req *req, const char *token);
void admin_clear_session_cookie(struct bahi_req *req);
/* s percent-encoded for a query parameter (pool). */
const char *admin_url_encode(struct bahi_req *req, const char *s);
/* The CSRF token of the caller's session (a keyed hash of business,
 * device, user and token version, so no state is kept). */
const char *admin_csrf_token(struct bahi_req *req);
/* A form's first step: the posted csrf field must match the session's
 * token (403 csrf_failed otherwise, before anything is read or written). */
int admin_form_begin(struct bahi_req *req);
/* Before sign-in (sign-in and sign-up forms): the token of the visitor's
 * CSRF cookie, set now when missing; and the check of a posted form. */
const char *admin_anon_csrf(struct bahi_req *req);
int admin_anon_form_begin(struct bahi_req *req);

/* ---- admin_format.c: values as pages show them */

/* Minor units in the business's currency and grouping: "Rs 1,234.56". */
const char *admin_money(struct bahi_req *req, int64_t minor);
/* The same without the symbol ("1,234.56"), for form fields. */
const char *admin_amount(struct bahi_req *req, int64_t minor);
/* A JSON number member of obj as minor units (0 when absent). */
int64_t admin_json_int(const cJSON *obj, const char *key);
/* A string member of obj, or "" when absent or null. */
const char *admin_json_str(const cJSON *obj, const char *key);
/* An RFC 3339 UTC time as the business's local "YYYY-MM-DD HH:MM" (or s
 * itself when it cannot be read). */
const char *admin_time(struct bahi_req *req, const char *rfc3339);
/* Sets {{key}} to the money string of obj's integer member key (with
 * key_raw the plain integer), for the many amounts pages list. */
void admin_set_money(struct bahi_req *req, bahi_tmpl_dict *d, const char *key, int64_t minor);
/* Copies string members of obj into d under the same names. */
void admin_set_strs(bahi_tmpl_dict *d, const cJSON *obj, const char *const *keys);

/* ---- admin_form.c: form fields and writes through the API's routes */

/* A posted field's value (trimmed of surrounding blanks), or NULL when absent. */
const char *admin_form(struct bahi_req *req, const char *name);

/* "1,234.50" (grouping commas and blanks ignored) as minor units in the
 * business's currency: 0, or -1 when it is not an amount. */
int admin_money_parse(struct bahi_req *req, const char *s, int64_t *out);

/* How a form field becomes a JSON member. */
typedef enum {
	ADMIN_F_STRING,    /* as typed */
	ADMIN_F_MONEY,     /* "1,234.50" in the currency: minor units */
	ADMIN_F_INT,       /* a whole number */
	ADMIN_F_QTY,       /* a decimal quantity (number) */
	ADMIN_F_BOOL,      /* a checkbox: present = true */
	ADMIN_F_BP,        /* a percentage "17.5": basis points (1750) */
} admin_ftype;
#define ADMIN_F_EMPTY_NULL 0x1u   /* an empty field is JSON null (else omitted) */
#define ADMIN_F_KEEP_EMPTY 0x2u   /* an empty string is sent as "" */

typedef struct admin_field {
	const char *name;    /* form field and JSON member */
	admin_ftype type;
	unsigned flags;
} admin_field;

/* The posted fields as a JSON object for the API route; a field that
 * cannot be read (a money amount "12x") gets a field error in req->problem
 * and NULL is returned. */
cJSON *admin_form_json(struct bahi_req *req, const admin_field *f, size_t n);
/* Applies a write through def's route (method, path, body, If-Match when
 * if_match > 0) in a transaction of its own, as the caller: the same
 * validation, permission and change log as the API. 0 with *out the
 * route's JSON answer (may be NULL; free it), or -1 with req->problem set to
 * the route's problem. */
int admin_apply(struct bahi_req *req, const struct bahi_worker_def *def, const char *method,
                const char *path, cJSON *body, long if_match, cJSON **out);
/* admin_apply for routes that take a query or a raw body (CSV and image
 * uploads, filtered reads): query (NULL: none) is the route's query string,
 * body (len bytes, NULL: none) its body, sent with content_type. */
int admin_apply_raw(struct bahi_req *req, const struct bahi_worker_def *def, const char *method,
                    const char *path, const char *query, const char *content_type,
                    const char *body, size_t len, cJSON **out);
/* After a form's write failed (req->problem): shows the form's page again
 * (page, run as GET pages are, in a transaction of its own with perm) with
 * the problem's status, so the visitor's input is not lost; pages call
 * admin_form_refill and admin_form_errors, which show nothing otherwise.
 * Session, permission and not-found problems stay error pages (-1). */
int admin_reshow(struct bahi_req *req, const char *perm, int (*page)(struct bahi_req *req));
/* Shows the posted values (v_<name>, and <name> over the record's value
 * an edit form shows) and field errors (err_<name>, and the
 * ERRORS section with each message) in d, for a form shown again. */
void admin_form_refill(struct bahi_req *req, bahi_tmpl_dict *d, const admin_field *f, size_t n);
void admin_form_errors(struct bahi_req *req, bahi_tmpl_dict *d);

/* ---- pagination */

struct bahi_page;
/* The page of a list the ?cursor= asks for, limit rows long (404 when the
 * cursor is not one of this list's). 0 or -1. */
int admin_list_page(struct bahi_req *req, int limit, struct bahi_page *pg);

/* Sets NEXT (with next_href) when the list answer has a next_cursor: a link
 * to base with the query's other parameters kept and cursor replaced. */
void admin_pager(struct bahi_req *req, bahi_tmpl_dict *d, const cJSON *list, const char *base);

/* The route groups (one file each). */
extern const admin_routes admin_signin_routes;      /* admin_signin.c */
extern const admin_routes admin_dashboard_routes;   /* admin_dashboard.c */
extern const admin_routes admin_categories_routes;  /* admin_categories.c */
extern const admin_routes admin_products_routes;    /* admin_products.c */
extern const admin_routes admin_suppliers_routes;   /* admin_suppliers.c */
extern const admin_routes admin_customers_routes;   /* admin_customers.c */
extern const admin_routes admin_sales_routes;       /* admin_sales.c */
extern const admin_routes admin_invoices_routes;    /* admin_invoices.c */
extern const admin_routes admin_settings_routes;    /* admin_settings.c */
extern const admin_routes admin_account_routes;     /* admin_account.c */
extern const admin_routes admin_users_routes;       /* admin_users.c */
extern const admin_routes admin_devices_routes;     /* admin_devices.c (and activity) */
extern const admin_routes admin_signup_routes;      /* admin_signup.c */

#endif
