/* bahi_router: matches a method and path against a route table. */
#include "bahi_router.h"

#include <string.h>

/* Matches one pattern against path, recording {name} captures in m.
 * A capture matches one non-empty segment (no '/'). Returns 1 on match. */
static int
pattern_match(const char *pat, const char *path, bahi_route_match *m)
{
	size_t n = 0;
	while (*pat != '\0') {
		if (*pat == '{') {
			const char *close = strchr(pat, '}');
			if (close == NULL || n == 4)
				return 0;
			size_t seg = strcspn(path, "/");
			if (seg == 0)
				return 0;
			m->name_start[n] = pat + 1;
			m->name_len[n] = (size_t)(close - pat - 1);
			m->values_start[n] = path;
			m->values_len[n] = seg;
			n++;
			pat = close + 1;
			path += seg;
			continue;
		}
		if (*pat != *path)
			return 0;
		pat++;
		path++;
	}
	if (*path != '\0')
		return 0;
	m->ncaptures = n;
	return 1;
}

static void
allow_add(char *allow, size_t size, const char *method)
{
	size_t len = strlen(allow), mlen = strlen(method);
	/* skip duplicates such as two GET routes with different patterns */
	for (const char *p = allow; (p = strstr(p, method)) != NULL; p += mlen)
		if ((p == allow || p[-1] == ' ') && (p[mlen] == ',' || p[mlen] == '\0'))
			return;
	if (len + mlen + 3 > size)
		return;
	if (len > 0) {
		memcpy(allow + len, ", ", 2);
		len += 2;
	}
	memcpy(allow + len, method, mlen + 1);
}

bahi_route_result
bahi_router_match(const bahi_route *routes, size_t n, const char *method,
                  const char *path, bahi_route_match *m)
{
	int path_known = 0;
	bahi_route_match probe;

	memset(m, 0, sizeof(*m));
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (size_t i = 0; i < n; i++) {
		memset(&probe, 0, sizeof(probe));
		if (!pattern_match(routes[i].pattern, path, &probe))
			continue;
		if (strcmp(routes[i].method, method) == 0) {
			memcpy(m, &probe, sizeof(*m));
			m->route = &routes[i];
			return BAHI_ROUTE_FOUND;
		}
		path_known = 1;
		allow_add(m->allow, sizeof(m->allow), routes[i].method);
		if (strcmp(routes[i].method, "GET") == 0)
			allow_add(m->allow, sizeof(m->allow), "HEAD");
	}
	return path_known ? BAHI_ROUTE_BAD_METHOD : BAHI_ROUTE_NOT_FOUND;
}
