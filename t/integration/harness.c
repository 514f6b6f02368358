/* harness: the integration-test stack (via ./dev with a temporary BAHI_VAR) and a libcurl client. */
#include "harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "bahi_uuid.h"

static bt_env env;
static pid_t starter;

/* Counters shared with the forked test processes (Check runs each test in
 * its own child), so addresses and phones are never handed out twice. */
typedef struct bt_shared {
	atomic_ulong client;
	atomic_ulong phone;
} bt_shared;
static bt_shared *shared;
static _Thread_local char client_addr[24];
static _Thread_local long timeout_ms = 30000;

static int
free_port(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
		perror("free_port");
		exit(2);
	}
	close(fd);
	return ntohs(a.sin_port);
}

/* Runs ./dev with the stack's environment; returns its exit status. */
static int
run_dev(const char *cmd, const char *opt1, const char *opt2)
{
	const char *src = getenv("BAHI_SRCDIR"), *bld = getenv("BAHI_BUILDDIR");
	char devpath[512], port[16];
	snprintf(devpath, sizeof(devpath), "%s/dev", src ? src : ".");
	snprintf(port, sizeof(port), "%d", env.port);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("BAHI_VAR", env.dir, 1);
		setenv("BAHI_PORT", port, 1);
		setenv("BAHI_BUILD", bld ? bld : ".", 1);
		setenv("BAHI_FAST_DB", "1", 1);
		setenv("BAHI_PROCESSES", "3", 1);
		execl("/bin/bash", "bash", devpath, cmd, opt1, opt2, (char *)NULL);
		_exit(127);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

static void
read_secret(const char *name, char *out, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/secrets/%s.pw", env.dir, name);
	FILE *f = fopen(path, "r");
	if (f == NULL || fgets(out, (int)size, f) == NULL) {
		fprintf(stderr, "harness: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	out[strcspn(out, "\n")] = '\0';
}

static void
set_url(char *out, size_t size, const char *user, const char *secret)
{
	char pw[128];
	read_secret(secret, pw, sizeof(pw));
	snprintf(out, size, "host='%s/run/pg' port=5432 dbname=bahi user=%s password=%s",
	         env.dir, user, pw);
}

static void
bt_stop(void)
{
	if (getpid() != starter || env.dir[0] == '\0')
		return;
	run_dev("down", NULL, NULL);
	/* worker processes report sanitizer errors in their logs, not our exit code */
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "! grep -h -A20 -E 'runtime error:|AddressSanitizer|LeakSanitizer' "
	         "'%s'/log/*.log", env.dir);
	int clean = system(cmd) == 0;
	if (getenv("BAHI_KEEP_TEST_DIR") == NULL) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", env.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "harness: could not remove %s\n", env.dir);
	}
	if (!clean) {
		fprintf(stderr, "harness: a worker reported a sanitizer error (above)\n");
		_exit(1);
	}
}

const bt_env *
bt_start(void)
{
	if (env.dir[0] != '\0')
		return &env;
	snprintf(env.dir, sizeof(env.dir), "/tmp/bahi-test-XXXXXX");
	if (mkdtemp(env.dir) == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	chmod(env.dir, 0755);
	env.port = free_port();
	snprintf(env.base, sizeof(env.base), "http://127.0.0.1:%d", env.port);
	starter = getpid();
	atexit(bt_stop);
	curl_global_init(CURL_GLOBAL_ALL);
	shared = mmap(NULL, sizeof(*shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shared == MAP_FAILED || sodium_init() < 0) {
		fprintf(stderr, "harness: set-up failed\n");
		exit(2);
	}
	atomic_init(&shared->client, 0);
	atomic_init(&shared->phone, 0);
	if (run_dev("up", "--no-build", "--no-seed") != 0) {
		fprintf(stderr, "harness: the test stack did not start (dir %s)\n", env.dir);
		exit(2);
	}
	set_url(env.super_url, sizeof(env.super_url), "bahi_super", "super");
	set_url(env.owner_url, sizeof(env.owner_url), "bahi_owner", "owner");
	set_url(env.app_url, sizeof(env.app_url), "bahi_app", "app");
	return &env;
}

const bt_env *
bt_get(void)
{
	return &env;
}

typedef struct grow {
	char *data;
	size_t len;
} grow;

static size_t
grow_write(char *ptr, size_t size, size_t n, void *userdata)
{
	grow *g = userdata;
	size_t add = size * n;
	char *p = realloc(g->data, g->len + add + 1);
	if (p == NULL)
		return 0;
	memcpy(p + g->len, ptr, add);
	g->data = p;
	g->len += add;
	g->data[g->len] = '\0';
	return add;
}

bt_resp
bt_http(const char *method, const char *path, const char *const *hdrs,
        const char *body, size_t body_len)
{
	bt_resp r;
	grow b = {NULL, 0}, h = {NULL, 0};
	char url[2048];
	char iface[40];
	struct curl_slist *list = NULL;
	memset(&r, 0, sizeof(r));
	snprintf(url, sizeof(url), "%s%s", env.base, path);
	CURL *c = curl_easy_init();
	ck_assert_ptr_nonnull(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	for (size_t i = 0; hdrs && hdrs[i]; i++)
		list = curl_slist_append(list, hdrs[i]);
	list = curl_slist_append(list, "Expect:");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, grow_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, grow_write);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
	if (client_addr[0] != '\0') {
		snprintf(iface, sizeof(iface), "host!%s", client_addr);
		curl_easy_setopt(c, CURLOPT_INTERFACE, iface);
	}
	CURLcode rc = curl_easy_perform(c);
	ck_assert_msg(rc == CURLE_OK, "%s %s: %s", method, path, curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
	char *ct = NULL;
	curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct);
	snprintf(r.content_type, sizeof(r.content_type), "%s", ct ? ct : "");
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	r.body = b.data ? b.data : strdup("");
	r.len = b.len;
	r.headers = h.data ? h.data : strdup("");
	r.json = cJSON_Parse(r.body);
	return r;
}

bt_resp
bt_json(const char *method, const char *path, const char *token, const char *body)
{
	return bt_jsonx(method, path, token, NULL, body);
}

void
bt_free(bt_resp *r)
{
	free(r->body);
	free(r->headers);
	cJSON_Delete(r->json);
	memset(r, 0, sizeof(*r));
}

const char *
bt_header(const bt_resp *r, const char *name)
{
	static char value[1024];
	size_t n = strlen(name);
	for (const char *p = r->headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *v = p + n + 1;
			while (*v == ' ')
				v++;
			size_t len = strcspn(v, "\r\n");
			snprintf(value, sizeof(value), "%.*s", (int)len, v);
			return value;
		}
	}
	return NULL;
}

const char *
bt_str(const bt_resp *r, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

PGconn *
bt_db(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connect: %s", PQerrorMessage(c));
	return c;
}

PGresult *
bt_sql(PGconn *c, const char *sql, int n, const char *const *params)
{
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(res);
	ck_assert_msg(s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK, "%s: %s", sql,
	              PQresultErrorMessage(res));
	return res;
}

void
bt_setup_sql(const char *conninfo, const char *sql, int n, const char *const *params)
{
	PGconn *c = PQconnectdb(conninfo);
	PGresult *res = PQexecParams(c, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(res);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		fprintf(stderr, "set-up failed: %s: %s%s\n", sql, PQerrorMessage(c),
		        PQresultErrorMessage(res));
		exit(2);
	}
	PQclear(res);
	PQfinish(c);
}

/* ---- clients */

const char *
bt_client_new(void)
{
	unsigned long n;
	do	/* from 127.0.1.1 on; no .0 or .255 last octet */
		n = atomic_fetch_add(&shared->client, 1) + 257;
	while ((n & 255) == 0 || (n & 255) == 255);
	ck_assert_msg(n < (1UL << 24), "out of loopback addresses");
	snprintf(client_addr, sizeof(client_addr), "127.%lu.%lu.%lu", (n >> 16) & 255,
	         (n >> 8) & 255, n & 255);
	return client_addr;
}

void
bt_client_set(const char *addr)
{
	snprintf(client_addr, sizeof(client_addr), "%s", addr ? addr : "");
}

const char *
bt_client(void)
{
	return client_addr;
}

void
bt_timeout_ms(long ms)
{
	timeout_ms = ms;
}

bt_resp
bt_jsonx(const char *method, const char *path, const char *token, const char *const *extra,
         const char *body)
{
	char *auth = NULL;
	const char *hdrs[16] = {"Content-Type: application/json"};
	size_t n = 1;
	if (token != NULL) {
		size_t size = strlen(token) + 32;
		auth = malloc(size);
		ck_assert_ptr_nonnull(auth);
		snprintf(auth, size, "Authorization: Bearer %s", token);
		hdrs[n++] = auth;
	}
	for (size_t i = 0; extra && extra[i] && n < 15; i++)
		hdrs[n++] = extra[i];
	hdrs[n] = NULL;
	bt_resp r = bt_http(method, path, hdrs, body, body ? strlen(body) : 0);
	free(auth);
	return r;
}

void
bt_assert_problem(const bt_resp *r, long status, const char *code)
{
	char type[128];
	ck_assert_msg(r->status == status, "expected %ld %s, got %ld: %s", status, code,
	              r->status, r->body);
	ck_assert_str_eq(r->content_type, "application/problem+json");
	ck_assert_msg(r->json != NULL, "not JSON: %s", r->body);
	snprintf(type, sizeof(type), "urn:bahi:problem:%s", code);
	ck_assert_str_eq(bt_str(r, "code"), code);
	ck_assert_str_eq(bt_str(r, "type"), type);
	ck_assert_int_eq(bt_at_int(r, "status"), status);
	ck_assert_ptr_nonnull(bt_str(r, "title"));
}

const cJSON *
bt_at(const bt_resp *r, const char *path)
{
	const cJSON *node = r->json;
	char seg[128];
	for (const char *p = path; node != NULL && *p; ) {
		size_t len = strcspn(p, ".");
		snprintf(seg, sizeof(seg), "%.*s", (int)len, p);
		char *end;
		long idx = strtol(seg, &end, 10);
		if (cJSON_IsArray(node) && *end == '\0' && end != seg)
			node = cJSON_GetArrayItem(node, (int)idx);
		else
			node = cJSON_GetObjectItemCaseSensitive(node, seg);
		p += len + (p[len] == '.');
	}
	return node;
}

const char *
bt_at_str(const bt_resp *r, const char *path)
{
	const cJSON *v = bt_at(r, path);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

long
bt_at_int(const bt_resp *r, const char *path)
{
	const cJSON *v = bt_at(r, path);
	return cJSON_IsNumber(v) ? (long)v->valuedouble : -999999;
}

double
bt_at_num(const bt_resp *r, const char *path)
{
	const cJSON *v = bt_at(r, path);
	ck_assert_msg(cJSON_IsNumber(v), "%s is not a number in %s", path, r->body);
	return v->valuedouble;
}

void
bt_assert_field(const bt_resp *r, const char *field, const char *code)
{
	const char *f = bt_at_str(r, "errors.0.field"), *c = bt_at_str(r, "errors.0.code");
	bt_assert_problem(r, 422, "validation_failed");
	ck_assert_msg(f != NULL && c != NULL && strcmp(f, field) == 0 && strcmp(c, code) == 0,
	              "expected %s %s: %s", field, code, r->body);
}

void
bt_expect_problem(bt_resp r, long status, const char *code)
{
	bt_assert_problem(&r, status, code);
	bt_free(&r);
}

void
bt_expect_field(bt_resp r, const char *field, const char *code)
{
	bt_assert_field(&r, field, code);
	bt_free(&r);
}

void
bt_expect_bad_queries(const char *base, const char *token, const bt_bad_query *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char path[512];
		snprintf(path, sizeof(path), "%s%s", base, cases[i].query);
		bt_resp r = bt_json("GET", path, token, NULL);
		ck_assert_msg(r.status == 422, "%s: %ld %s", path, r.status, r.body);
		bt_expect_field(r, cases[i].field, cases[i].code);
	}
}

void
bt_expect_body(bt_resp r, long status, const char *body)
{
	ck_assert_msg(r.status == status, "expected %ld, got %ld: %s", status, r.status, r.body);
	ck_assert_str_eq(r.body, body);
	bt_free(&r);
}

/* The id member of a list item ("" when it has none). */
static const char *
item_id(const cJSON *item)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "id");
	return cJSON_IsString(v) ? v->valuestring : "";
}

int
bt_list_has(const bt_resp *r, const char *id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, bt_at(r, "items"))
		if (strcmp(item_id(it), id) == 0)
			return 1;
	return 0;
}

void
bt_list_ids(const bt_resp *r, char *out, size_t size)
{
	out[0] = '\0';
	bt_list_ids_append(r, out, size);
}

void
bt_list_ids_append(const bt_resp *r, char *out, size_t size)
{
	const cJSON *it;
	size_t n = strlen(out);
	cJSON_ArrayForEach(it, bt_at(r, "items"))
		if (n < size)
			n += (size_t)snprintf(out + n, size - n, "%s%s", n ? "," : "", item_id(it));
}

void
bt_fill_template(char *out, size_t size, const char *tmpl, const char *p, const char *s)
{
	size_t n = 0;
	for (const char *t = tmpl; *t && n + 1 < size; ) {
		const char *with = t[0] == '@' && t[1] == 'P' ? p : t[0] == '@' && t[1] == 'S' ? s : NULL;
		if (with != NULL) {
			n += (size_t)snprintf(out + n, size - n, "%s", with);
			t += 2;
		} else {
			out[n++] = *t++;
		}
	}
	out[n < size ? n : size - 1] = '\0';
}

/* ---- accounts */

void
bt_phone_new(char out[BT_PHONE_LEN])
{
	unsigned long n = atomic_fetch_add(&shared->phone, 1) + 1;
	ck_assert_msg(n < 10000000UL, "out of phone numbers");
	snprintf(out, BT_PHONE_LEN, "+92300%07lu", n);
}

void
bt_otp_code(const char *phone, char out[7])
{
	const char *p[1] = {phone};
	char *code = bt_super_value("SELECT substring(body FROM 'code is ([0-9]{6})') FROM sms_outbox"
	                            " WHERE phone = $1 ORDER BY id DESC LIMIT 1", 1, p);
	snprintf(out, 7, "%s", code ? code : "");
	free(code);
}

static void
copy_member(char *out, size_t size, const bt_resp *r, const char *path)
{
	const char *v = bt_at_str(r, path);
	ck_assert_msg(v != NULL, "no %s in %s", path, r->body);
	ck_assert_msg(strlen(v) < size, "%s too long", path);
	snprintf(out, size, "%s", v);
}

void
bt_session_fill(bt_session *s, const bt_resp *r)
{
	copy_member(s->access, sizeof(s->access), r, "access_token");
	copy_member(s->refresh, sizeof(s->refresh), r, "refresh_token");
	copy_member(s->user_id, sizeof(s->user_id), r, "user.id");
	copy_member(s->business_id, sizeof(s->business_id), r, "business.id");
	copy_member(s->device_id, sizeof(s->device_id), r, "device.id");
}

void
bt_signup(bt_session *s)
{
	char saved[sizeof(client_addr)], code[7], body[1024];
	snprintf(saved, sizeof(saved), "%s", client_addr);
	memset(s, 0, sizeof(*s));
	snprintf(s->client, sizeof(s->client), "%s", bt_client_new());
	bt_phone_new(s->phone);
	snprintf(s->password, sizeof(s->password), "owner-secret-%s", s->phone + 1);
	snprintf(s->business_name, sizeof(s->business_name), "Shop %s", s->phone + 1);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"purpose\":\"signup\"}", s->phone);
	bt_resp r = bt_json("POST", "/api/v1/auth/otp", NULL, body);
	ck_assert_msg(r.status == 202, "otp for %s: %ld %s", s->phone, r.status, r.body);
	bt_free(&r);
	bt_otp_code(s->phone, code);
	snprintf(body, sizeof(body),
	         "{\"phone\":\"%s\",\"otp\":\"%s\",\"password\":\"%s\",\"name\":\"Owner\","
	         "\"business\":{\"name\":\"%s\"},\"device\":{\"name\":\"Phone\",\"platform\":\"android\"}}",
	         s->phone, code, s->password, s->business_name);
	r = bt_json("POST", "/api/v1/auth/signup", NULL, body);
	ck_assert_msg(r.status == 201, "signup %s: %ld %s", s->phone, r.status, r.body);
	bt_session_fill(s, &r);
	bt_free(&r);
	bt_client_set(saved);
}

bt_resp
bt_login(const char *phone, const char *password, const char *device_id)
{
	char body[1024], dev[64] = "";
	if (device_id != NULL)
		snprintf(dev, sizeof(dev), "\"id\":\"%s\",", device_id);
	snprintf(body, sizeof(body),
	         "{\"phone\":\"%s\",\"password\":\"%s\",\"device\":{%s\"name\":\"Phone\","
	         "\"platform\":\"android\"}}", phone, password, dev);
	return bt_json("POST", "/api/v1/auth/login", NULL, body);
}

void
bt_add_user(const bt_session *owner, const char *role, bt_session *out)
{
	char saved[sizeof(client_addr)], id[BAHI_UUID_LEN + 1];
	snprintf(saved, sizeof(saved), "%s", client_addr);
	memset(out, 0, sizeof(*out));
	bt_phone_new(out->phone);
	snprintf(out->password, sizeof(out->password), "%s", owner->password);
	snprintf(out->business_name, sizeof(out->business_name), "%s", owner->business_name);
	bahi_uuid_v7(id);
	const char *p[5] = {owner->business_id, id, out->phone, role, owner->user_id};
	ck_assert_int_eq(bt_super_exec(
		"INSERT INTO users (business_id, id, phone, name, role, password_hash)"
		" SELECT business_id, $2, $3, initcap($4), $4, password_hash FROM users"
		" WHERE business_id = $1 AND id = $5", 5, p), 1);
	snprintf(out->client, sizeof(out->client), "%s", bt_client_new());
	bt_resp r = bt_login(out->phone, out->password, NULL);
	ck_assert_msg(r.status == 200, "login of the new %s: %ld %s", role, r.status, r.body);
	bt_session_fill(out, &r);
	bt_free(&r);
	bt_client_set(saved);
}

void
bt_signup_shops(bt_session *a, bt_session *b, bt_session *clerk_of_a)
{
	bt_signup(a);
	bt_signup(b);
	bt_add_user(a, "clerk", clerk_of_a);
}

/* ---- records through the API */

void
bt_create(const bt_session *s, const char *path, const char *body, char out[BAHI_UUID_LEN + 1])
{
	bt_resp r = bt_json("POST", path, s->access, body);
	ck_assert_msg(r.status == 201, "POST %s %s: %ld %s", path, body, r.status, r.body);
	const char *id = bt_str(&r, "id");
	snprintf(out, BAHI_UUID_LEN + 1, "%s", id ? id : "");
	bt_free(&r);
}

void
bt_product_new(const bt_session *s, const char *name, long price, long cost,
               const char *components, char out[BAHI_UUID_LEN + 1])
{
	size_t size = strlen(name) + (components ? strlen(components) : 0) + 128;
	char *body = malloc(size);
	ck_assert_ptr_nonnull(body);
	snprintf(body, size, "{\"name\":\"%s\",\"price\":%ld,\"cost\":%ld%s%s}", name, price, cost,
	         components ? ",\"components\":" : "", components ? components : "");
	bt_create(s, "/api/v1/products", body, out);
	free(body);
}

bt_resp
bt_patch(const bt_session *s, const char *path, const char *if_match, const char *body)
{
	char h[64];
	snprintf(h, sizeof(h), "If-Match: \"%s\"", if_match ? if_match : "");
	const char *extra[2] = {h, NULL};
	return bt_jsonx("PATCH", path, s->access, if_match ? extra : NULL, body);
}

bt_resp
bt_get_ok(const bt_session *s, const char *path)
{
	bt_resp r = bt_json("GET", path, s->access, NULL);
	ck_assert_msg(r.status == 200, "GET %s: %ld %s", path, r.status, r.body);
	return r;
}

void
bt_business_set(const bt_session *s, const char *body)
{
	bt_resp r = bt_patch(s, "/api/v1/business", NULL, body);
	ck_assert_msg(r.status == 200, "PATCH /business %s: %ld %s", body, r.status, r.body);
	bt_free(&r);
}

void
bt_stock_in(const bt_session *s, const char *product, long qty)
{
	char body[256];
	snprintf(body, sizeof(body), "{\"product_id\":\"%s\",\"kind\":\"in\",\"qty\":%ld}", product,
	         qty);
	bt_resp r = bt_json("POST", "/api/v1/stock/movements", s->access, body);
	ck_assert_msg(r.status == 201, "stock in: %ld %s", r.status, r.body);
	bt_free(&r);
}

void
bt_product_stocked(const bt_session *s, const char *name, long price, long cost, long stock,
                   char out[BAHI_UUID_LEN + 1])
{
	bt_product_new(s, name, price, cost, NULL, out);
	if (stock > 0)
		bt_stock_in(s, out, stock);
}

void
bt_customer_new(const bt_session *s, const char *name, const char *phone,
                char out[BAHI_UUID_LEN + 1])
{
	char body[512];
	if (phone != NULL)
		snprintf(body, sizeof(body), "{\"name\":\"%s\",\"phone\":\"%s\"}", name, phone);
	else
		snprintf(body, sizeof(body), "{\"name\":\"%s\"}", name);
	bt_create(s, "/api/v1/customers", body, out);
}

void
bt_customer_delete(const bt_session *s, const char *id)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/customers/%s", id);
	bt_resp r = bt_json("DELETE", path, s->access, NULL);
	ck_assert_msg(r.status == 204, "DELETE %s: %ld %s", path, r.status, r.body);
	bt_free(&r);
}

void
bt_expect_customer(const bt_session *s, const char *id, long opening, long credit,
                   long open_debt)
{
	char path[128];
	snprintf(path, sizeof(path), "/api/v1/customers/%s", id);
	bt_resp r = bt_get_ok(s, path);
	ck_assert_msg(bt_at_int(&r, "opening_balance") == opening &&
	              bt_at_int(&r, "credit_balance") == credit &&
	              bt_at_int(&r, "open_debt") == open_debt,
	              "customer: expected opening %ld, credit %ld, open debt %ld: %s", opening,
	              credit, open_debt, r.body);
	bt_free(&r);
}

bt_resp
bt_invoice_issue(const bt_session *s, const char *body, char out[BAHI_UUID_LEN + 1])
{
	bt_resp r = bt_json("POST", "/api/v1/invoices", s->access, body);
	ck_assert_msg(r.status == 201 && bt_str(&r, "kind") == NULL && bt_at(&r, "number") != NULL,
	              "POST /invoices %s: not issued: %ld %s", body, r.status, r.body);
	snprintf(out, BAHI_UUID_LEN + 1, "%s", bt_str(&r, "id"));
	return r;
}

bt_resp
bt_pay(const bt_session *s, const char *customer, long amount, const char *invoice,
       const char *extra)
{
	char body[512], named[64] = "";
	if (invoice != NULL)
		snprintf(named, sizeof(named), ",\"invoice_id\":\"%s\"", invoice);
	snprintf(body, sizeof(body),
	         "{\"customer_id\":\"%s\",\"amount\":%ld,\"method\":\"cash\"%s%s}", customer,
	         amount, named, extra ? extra : "");
	return bt_json("POST", "/api/v1/payments", s->access, body);
}

void
bt_pay_ok(const bt_session *s, const char *customer, long amount, const char *invoice,
          char out[BAHI_UUID_LEN + 1])
{
	bt_resp r = bt_pay(s, customer, amount, invoice, NULL);
	ck_assert_msg(r.status == 201, "pay %ld: %ld %s", amount, r.status, r.body);
	if (out != NULL)
		snprintf(out, BAHI_UUID_LEN + 1, "%s", bt_str(&r, "id"));
	bt_free(&r);
}

/* ---- SQL as the superuser */

static PGresult *
super_run(PGconn **c, const char *sql, int n, const char *const *params)
{
	*c = bt_db(env.super_url);
	return bt_sql(*c, sql, n, params);
}

char *
bt_super_value(const char *sql, int n, const char *const *params)
{
	PGconn *c;
	PGresult *res = super_run(&c, sql, n, params);
	char *v = PQntuples(res) > 0 && !PQgetisnull(res, 0, 0) ? strdup(PQgetvalue(res, 0, 0)) : NULL;
	PQclear(res);
	PQfinish(c);
	return v;
}

long
bt_super_long(const char *sql, int n, const char *const *params)
{
	char *v = bt_super_value(sql, n, params);
	ck_assert_msg(v != NULL, "no value: %s", sql);
	long out = strtol(v, NULL, 10);
	free(v);
	return out;
}

long
bt_super_exec(const char *sql, int n, const char *const *params)
{
	PGconn *c;
	PGresult *res = super_run(&c, sql, n, params);
	long rows = strtol(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	PQfinish(c);
	return rows;
}

void
bt_super_replica(const char *const *sql, int nsql, int n, const char *const *params)
{
	PGconn *c = bt_db(env.super_url);
	PQclear(bt_sql(c, "SET session_replication_role = replica", 0, NULL));
	for (int i = 0; i < nsql; i++)
		PQclear(bt_sql(c, sql[i], n, params));
	PQfinish(c);
}

char *
bt_changes_of(const char *entity, const char *id)
{
	const char *p[2] = {entity, id};
	return bt_super_value("SELECT string_agg(op || version, ',' ORDER BY seq) FROM change_entries"
	                      " WHERE entity = $1 AND entity_id = $2", 2, p);
}

/* ---- share links */

void
bt_link_secret(char *out, size_t size)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/secrets/link.key", env.dir);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL && fgets(out, (int)size, f) != NULL, "cannot read %s", path);
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	ck_assert_int_gt(strlen(out), 16);
}

/* ---- JWTs */

void
bt_jwt_secret(char *secret, size_t size, char kid[17])
{
	char path[512];
	unsigned char h[crypto_hash_sha256_BYTES];
	snprintf(path, sizeof(path), "%s/secrets/jwt.key", env.dir);
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL && fgets(secret, (int)size, f) != NULL, "cannot read %s", path);
	fclose(f);
	secret[strcspn(secret, "\n")] = '\0';
	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(kid, 17, h, 8);
}

char *
bt_b64url(const void *data, size_t len)
{
	size_t size = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *out = malloc(size);
	ck_assert_ptr_nonnull(out);
	sodium_bin2base64(out, size, data, len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return out;
}

char *
bt_jwt_hs256(const char *header_json, const char *payload_json, const char *key)
{
	char *h = bt_b64url(header_json, strlen(header_json));
	char *p = bt_b64url(payload_json, strlen(payload_json));
	char *sig = strdup("");
	size_t size = strlen(h) + strlen(p) + 64;
	char *out = malloc(size);
	ck_assert_ptr_nonnull(out);
	snprintf(out, size, "%s.%s", h, p);
	if (key != NULL) {
		unsigned char mac[crypto_auth_hmacsha256_BYTES];
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, (const unsigned char *)key, strlen(key));
		crypto_auth_hmacsha256_update(&st, (const unsigned char *)out, strlen(out));
		crypto_auth_hmacsha256_final(&st, mac);
		free(sig);
		sig = bt_b64url(mac, sizeof(mac));
	}
	size_t at = strlen(out);
	snprintf(out + at, size - at, ".%s", sig);
	free(h);
	free(p);
	free(sig);
	return out;
}

/* Signs owner's user in on a new device (from a fresh client address, so the
 * sign-in rate limit is not shared); fills out. */
void
bt_second_device(const bt_session *owner, bt_session *out)
{
	char saved[24];
	snprintf(saved, sizeof(saved), "%s", bt_client());
	*out = *owner;
	snprintf(out->client, sizeof(out->client), "%s", bt_client_new());
	bt_resp r = bt_login(owner->phone, owner->password, NULL);
	ck_assert_msg(r.status == 200, "sign-in on a second device: %ld %s", r.status, r.body);
	bt_session_fill(out, &r);
	bt_free(&r);
	bt_client_set(saved);
	ck_assert_str_ne(out->device_id, owner->device_id);
}
