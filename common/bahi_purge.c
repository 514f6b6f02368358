/* bahi_purge: removes a business's rows (cascade, then anything left, table by table) and its files. */
#include "bahi_purge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bahi_activity.h"
#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_export.h"
#include "bahi_log.h"
#include "bahi_password.h"
#include "bahi_req.h"
#include "bahi_uuid.h"

/* Directories nested deeper than this are refused rather than followed. */
#define PURGE_MAX_DEPTH 32

/* Empties the directory open as dfd (which it closes): directories are
 * opened with O_NOFOLLOW and emptied first, everything else (files, links,
 * sockets) is unlinked. 0 or -1 with errno. */
static int
purge_dir(int dfd, int depth, long *files)
{
	DIR *d = fdopendir(dfd);
	if (d == NULL) {
		close(dfd);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (errno = 0, e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			int sub = depth < PURGE_MAX_DEPTH ?
			          openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
			if (depth >= PURGE_MAX_DEPTH)
				errno = ELOOP;
			if (sub < 0 || purge_dir(sub, depth + 1, files) != 0 ||
			    unlinkat(dirfd(d), e->d_name, AT_REMOVEDIR) != 0)
				rc = -1;
		} else if (unlinkat(dirfd(d), e->d_name, 0) != 0) {
			rc = -1;
		} else {
			(*files)++;
		}
	}
	if (rc == 0 && errno != 0)
		rc = -1;
	int saved = errno;
	closedir(d);
	errno = saved;
	return rc;
}

int
bahi_purge_files(const char *data_dir, const char *bid, long *files)
{
	*files = 0;
	if (!bahi_uuid_valid(bid)) {
		errno = EINVAL;
		return -1;
	}
	int top = open(data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (top < 0)
		return errno == ENOENT ? 0 : -1;
	int rc = 0, dfd = openat(top, bid, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd >= 0) {
		if (purge_dir(dfd, 1, files) != 0 || unlinkat(top, bid, AT_REMOVEDIR) != 0)
			rc = -1;
	} else if (errno == ENOTDIR || errno == ELOOP) {
		/* not a directory (a link, a file): remove the entry itself */
		if (unlinkat(top, bid, 0) != 0)
			rc = -1;
		else
			(*files)++;
	} else if (errno != ENOENT) {
		rc = -1;
	}
	int saved = errno;
	close(top);
	errno = saved;
	return rc;
}

static BAHI_STMT(purge_owner_hash,
	"SELECT password_hash FROM users WHERE business_id = $1 AND id = $2 AND deleted_at IS NULL");

/* Checks the caller's password. 0, or -1 with a problem (wrong_password is
 * recorded as activity, kept although the request fails). */
static int
purge_verify(bahi_req *req, const char *password)
{
	const char *p[2] = {req->tx_business, req->auth.user_id};
	PGresult *u = bahi_db_exec(req, &purge_owner_hash, 2, p);
	if (u == NULL)
		return -1;
	if (PQntuples(u) != 1)
		return bahi_fail(req, "unauthorized", "This session has ended; sign in again.");
	if (bahi_password_verify(bahi_db_get(u, 0, 0), password))
		return 0;
	if (bahi_activity_add(req, "account_delete_refused", NULL, "wrong password") != 0)
		return -1;
	req->keep_changes = 1;
	bahi_problem_field(&req->problem, "password", "wrong_password", "The password is wrong.");
	return -1;
}

static BAHI_STMT(purge_phones,
	"SELECT COALESCE(array_agg(phone), '{}') FROM users WHERE business_id = $1");
static BAHI_STMT(purge_business, "DELETE FROM businesses WHERE id = $1");
/* Codes and SMS are kept per phone, outside any business; phones are unique
 * across the installation, so these are this account's people's only. */
static BAHI_STMT(purge_global,
	"WITH o AS (DELETE FROM otp_codes WHERE phone = ANY($1::text[]) RETURNING 1),"
	" s AS (DELETE FROM sms_outbox WHERE phone = ANY($1::text[]) RETURNING 1)"
	" SELECT (SELECT count(*) FROM o) + (SELECT count(*) FROM s)");

/* Counts the rows of each table in *rows. 0 or -1. */
static int
purge_count(bahi_req *req, const bahi_tenant_table *t, int n, long long *rows)
{
	for (int i = 0; i < n; i++) {
		PGresult *c = bahi_tenant_exec(req, t[i].count_sql, req->tx_business);
		if (c == NULL)
			return -1;
		*rows += strtoll(bahi_db_get(c, 0, 0), NULL, 10);
	}
	return 0;
}

/* Deletes the business row (which cascades), then, table by table, any row
 * a cascade did not reach. 0 or -1 with a problem. */
static int
purge_rows(bahi_req *req, const bahi_tenant_table *t, int n)
{
	const char *p[1] = {req->tx_business};
	if (bahi_tx_set_lookup(req, "app.deleting_business", req->tx_business) != 0)
		return -1;
	PGresult *d = bahi_db_exec(req, &purge_business, 1, p);
	if (d == NULL)
		return -1;
	if (strcmp(PQcmdTuples(d), "1") != 0)
		return bahi_fail(req, "not_found", NULL);
	for (int i = 0; i < n; i++) {
		PGresult *c = bahi_tenant_exec(req, t[i].count_sql, req->tx_business);
		if (c == NULL)
			return -1;
		if (strcmp(bahi_db_get(c, 0, 0), "0") != 0 &&
		    bahi_tenant_exec(req, t[i].delete_sql, req->tx_business) == NULL)
			return -1;
	}
	return 0;
}

int
bahi_purge_business(bahi_req *req, const char *password)
{
	const char *bid = req->tx_business;
	int n;
	long long rows = 0;
	if (purge_verify(req, password) != 0)
		return -1;
	const char *p[1] = {bid};
	PGresult *ph = bahi_db_exec(req, &purge_phones, 1, p);
	bahi_tenant_table *t = ph ? bahi_tenant_tables(req, &n) : NULL;
	if (t == NULL || purge_count(req, t, n, &rows) != 0 || purge_rows(req, t, n) != 0)
		return -1;
	const char *g[1] = {bahi_db_get(ph, 0, 0)};
	PGresult *gr = bahi_db_exec(req, &purge_global, 1, g);
	if (gr == NULL)
		return -1;
	rows += strtoll(bahi_db_get(gr, 0, 0), NULL, 10);
	/* files last: every statement that could fail has run */
	long files = 0;
	if (bahi_purge_files(bahi_config_get("data_dir"), bid, &files) != 0) {
		bahi_log_error(req, "business %s: removing its files failed: %s", bid, strerror(errno));
		return bahi_fail(req, "internal_error", "Could not remove the business's files.");
	}
	bahi_log_info("business deleted: id=%s rows=%lld files=%ld", bid, rows, files);
	return 0;
}
