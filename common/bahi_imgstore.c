/* bahi_imgstore: writes and removes private files under data_dir without following links, and defers removals to the request's end. */
#include "bahi_imgstore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bahi_config.h"
#include "bahi_link.h"
#include "bahi_log.h"
#include "bahi_random.h"
#include "bahi_req.h"

/* Opens the folder holding key (its segments but the last) under data_dir,
 * making missing ones when create is set; *name receives the last segment.
 * The folder fd, or -1 with errno. */
static int
open_parent(const char *data_dir, const char *key, int create, const char **name)
{
	if (!bahi_link_key_ok(key)) {
		errno = EINVAL;
		return -1;
	}
	int fd = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	const char *seg = key, *slash;
	while (fd >= 0 && (slash = strchr(seg, '/')) != NULL) {
		char part[301];
		size_t n = (size_t)(slash - seg);
		memcpy(part, seg, n);
		part[n] = '\0';
		if (create && mkdirat(fd, part, 0750) != 0 && errno != EEXIST) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		int sub = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int saved = errno;
		close(fd);
		errno = saved;
		fd = sub;
		seg = slash + 1;
	}
	*name = seg;
	return fd;
}

static int
write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
bahi_store_write(const char *data_dir, const char *key, const void *data, size_t n)
{
	const char *name;
	int dfd = open_parent(data_dir, key, 1, &name);
	if (dfd < 0)
		return -1;
	/* a leading '.' keeps half-written files out of reach of links */
	char tmp[40] = ".up-";
	bahi_random_token(tmp + 4, sizeof(tmp) - 4, 12);
	int rc = -1, fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd >= 0) {
		rc = write_all(fd, data, n) == 0 && fsync(fd) == 0 ? 0 : -1;
		if (close(fd) != 0)
			rc = -1;
		if (rc == 0)
			rc = renameat(dfd, tmp, dfd, name);
		if (rc != 0) {
			int saved = errno;
			unlinkat(dfd, tmp, 0);
			errno = saved;
		} else {
			fsync(dfd);
		}
	}
	int saved = errno;
	close(dfd);
	errno = saved;
	return rc;
}

int
bahi_store_remove(const char *data_dir, const char *key)
{
	const char *name;
	int dfd = open_parent(data_dir, key, 0, &name);
	if (dfd < 0)
		return errno == ENOENT ? 0 : -1;
	int rc = unlinkat(dfd, name, 0) == 0 || errno == ENOENT ? 0 : -1;
	int saved = errno;
	close(dfd);
	errno = saved;
	return rc;
}

typedef struct store_removal {
	bahi_req *req;
	int on_success;
	const char *keys[2];
} store_removal;

/* The pool cleanup: runs after the response was sent, when status is final. */
static void
store_remove_now(void *data)
{
	store_removal *r = data;
	int ok = r->req->status >= 200 && r->req->status < 300;
	if (ok != r->on_success)
		return;
	const char *dir = bahi_config_get("data_dir");
	for (int i = 0; i < 2; i++)
		if (r->keys[i] != NULL && bahi_store_remove(dir, r->keys[i]) != 0)
			bahi_log_info("could not remove file %s: %s", r->keys[i], strerror(errno));
}

void
bahi_store_remove_later(bahi_req *req, int on_success, const char *key1, const char *key2)
{
	store_removal *r = bahi_pool_calloc(req->pool, 1, sizeof(*r));
	r->req = req;
	r->on_success = on_success;
	r->keys[0] = key1 ? bahi_pool_strdup(req->pool, key1) : NULL;
	r->keys[1] = key2 ? bahi_pool_strdup(req->pool, key2) : NULL;
	bahi_pool_cleanup(req->pool, store_remove_now, r);
}
