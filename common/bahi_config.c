/* bahi_config: the declared configuration keys, their defaults, file and environment loading. */
#include "bahi_config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct config_key {
	const char *key;
	const char *def;
	char *value;       /* malloc'd when set */
} config_key;

/* Every setting bahi reads. docs/operations.md describes each. */
static config_key config_keys[] = {
	{"db_url", "dbname=bahi", NULL},
	{"jwt_secret", "", NULL},
	{"jwt_old_secret", "", NULL},
	{"link_secret", "", NULL},
	{"data_dir", "/var/lib/bahi/files", NULL},
	{"link_ttl", "3600", NULL},
	{"share_ttl", "604800", NULL},
	{"storage", "local", NULL},
	{"s3_endpoint", "", NULL},
	{"s3_region", "us-east-1", NULL},
	{"s3_bucket", "", NULL},
	{"s3_access_key", "", NULL},
	{"s3_secret_key", "", NULL},
	{"s3_url_style", "path", NULL},
	{"template_dir", "/usr/share/bahi/templates", NULL},
	{"static_dir", "/usr/share/bahi/static", NULL},
	{"locale_dir", "/usr/share/bahi/po", NULL},
	{"font_path", "/usr/share/fonts/truetype/freefont/FreeSerif.ttf", NULL},
	{"public_url", "http://127.0.0.1:8080", NULL},
	{"sms_provider", "outbox", NULL},
	{"sms_http_url", "", NULL},
	{"sms_http_auth", "", NULL},
	{"log_level", "info", NULL},
	{"events_heartbeat", "15", NULL},
	{"events_max_streams", "4096", NULL},
	{"version", PACKAGE_VERSION, NULL},
};

#define NKEYS (sizeof(config_keys) / sizeof(config_keys[0]))

static config_key *
config_find(const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(config_keys[i].key, key) == 0)
			return &config_keys[i];
	return NULL;
}

int
bahi_config_set(const char *key, const char *value)
{
	config_key *k = config_find(key);
	if (k == NULL)
		return -1;
	char *copy = strdup(value);
	if (copy == NULL)
		return -1;
	free(k->value);
	k->value = copy;
	return 0;
}

const char *
bahi_config_get(const char *key)
{
	config_key *k = config_find(key);
	if (k == NULL)
		return NULL;
	return k->value ? k->value : k->def;
}

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Parses one "key = value" line; blank lines and # comments are skipped. */
static int
config_line(const char *path, int lineno, char *line)
{
	char *s = trim(line);
	if (*s == '\0' || *s == '#')
		return 0;
	char *eq = strchr(s, '=');
	if (eq == NULL) {
		fprintf(stderr, "%s:%d: expected key = value\n", path, lineno);
		return -1;
	}
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	if (bahi_config_set(key, value) != 0) {
		fprintf(stderr, "%s:%d: unknown setting '%s'\n", path, lineno, key);
		return -1;
	}
	return 0;
}

static int
config_file(const char *path, int required)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		if (!required && errno == ENOENT)
			return 0;
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[4096];
	int lineno = 0, rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			fprintf(stderr, "%s:%d: line too long\n", path, lineno);
			rc = -1;
			break;
		}
		rc = config_line(path, lineno, line);
	}
	fclose(f);
	return rc;
}

int
bahi_config_load(const char *path)
{
	int required = 1;
	if (path == NULL)
		path = getenv("BAHI_CONFIG");
	if (path == NULL) {
		path = "/etc/bahi/bahi.conf";
		required = 0;
	}
	if (config_file(path, required) != 0)
		return -1;
	for (size_t i = 0; i < NKEYS; i++) {
		char env[64] = "BAHI_";
		size_t n = strlen(config_keys[i].key);
		for (size_t j = 0; j < n && j + 6 < sizeof(env); j++)
			env[5 + j] = (char)toupper((unsigned char)config_keys[i].key[j]);
		env[5 + n] = '\0';
		const char *v = getenv(env);
		if (v != NULL && bahi_config_set(config_keys[i].key, v) != 0)
			return -1;
	}
	return 0;
}
