/* harness: the integration-test stack (via ./dev with a temporary BAHI_VAR) and a libcurl client. */
#include "harness.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curl/curl.h>

static bt_env env;
static pid_t starter;

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
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
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
	char auth[4096];
	const char *hdrs[3] = {"Content-Type: application/json", NULL, NULL};
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		hdrs[1] = auth;
	}
	return bt_http(method, path, hdrs, body, body ? strlen(body) : 0);
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
