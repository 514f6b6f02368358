/* bahi-migrate: applies NNNN_name.sql migrations in order, once each, checked by SHA-256. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libpq-fe.h>
#include <sodium.h>

#define MIG_EXIT_OK	0	/* up to date or applied */
#define MIG_EXIT_FAIL	1	/* connection, SQL or I/O failure */
#define MIG_EXIT_REFUSE	2	/* applied history does not match the directory */
#define MIG_EXIT_USAGE	64

#define MIG_MAX_FILES	4096
#define MIG_NAME_MAX	128		/* longest file name accepted */
#define MIG_PATH_MAX	4096
#define MIG_FILE_MAX	(8L * 1024 * 1024)
#define MIG_SHA_HEX	(crypto_hash_sha256_BYTES * 2 + 1)
#define MIG_VERSION_LEN	4		/* the NNNN prefix */
/* pg_advisory_lock key: "bahimigr" read as a big-endian 64-bit integer. */
#define MIG_LOCK_KEY	"7089062090474350450"

#ifdef BAHI_MIGRATIONS_DIR
#define MIG_DIR_HINT	" (default " BAHI_MIGRATIONS_DIR ")"
#else
#define MIG_DIR_HINT	""
#endif

static const char *progname = "bahi-migrate";

struct mig {
	char	file[MIG_NAME_MAX];		/* NNNN_name.sql */
	char	version[MIG_VERSION_LEN + 1];	/* NNNN */
	char	sha[MIG_SHA_HEX];		/* recorded hash (applied rows) */
	char	applied_at[64];
};

struct miglist {
	struct mig	*v;
	size_t		 n;
	size_t		 cap;
};

struct opts {
	const char	*db;
	const char	*dir;
	const char	*role;
	int		 status;
};

/* Copies src into dst[size]; -1 (dst untouched) when it does not fit. */
static int
copy_str(char *dst, size_t size, const char *src)
{
	size_t len = strlen(src);

	if (len >= size)
		return -1;
	memcpy(dst, src, len + 1);
	return 0;
}

/* Appends a zeroed entry to the list; NULL past MIG_MAX_FILES or out of memory. */
static struct mig *
miglist_add(struct miglist *l)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct mig *v;

		if (cap > MIG_MAX_FILES)
			cap = MIG_MAX_FILES;
		if (l->n >= cap)
			return NULL;
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	return &l->v[l->n++];
}

static void
miglist_free(struct miglist *l)
{
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

/* The entry with this version, or NULL. */
static const struct mig *
miglist_find(const struct miglist *l, const char *version)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].version, version) == 0)
			return &l->v[i];
	return NULL;
}

/* 1 when name is NNNN_word.sql, word made of letters, digits, '_' and '-'. */
static int
is_migration_name(const char *name)
{
	size_t len = strlen(name);

	if (len >= MIG_NAME_MAX || len < MIG_VERSION_LEN + 6)
		return 0;
	for (size_t i = 0; i < MIG_VERSION_LEN; i++)
		if (!isdigit((unsigned char)name[i]))
			return 0;
	if (name[MIG_VERSION_LEN] != '_' || strcmp(name + len - 4, ".sql") != 0)
		return 0;
	for (size_t i = MIG_VERSION_LEN + 1; i < len - 4; i++) {
		unsigned char c = (unsigned char)name[i];

		if (!isalnum(c) && c != '_' && c != '-')
			return 0;
	}
	return 1;
}

static int
mig_cmp(const void *a, const void *b)
{
	return strcmp(((const struct mig *)a)->file, ((const struct mig *)b)->file);
}

/*
 * Lists dir's migration files into out, sorted by name. Other *.sql files get a
 * warning. Returns MIG_EXIT_OK, MIG_EXIT_FAIL, or MIG_EXIT_REFUSE on a duplicate
 * version.
 */
static int
scan_dir(const char *dir, struct miglist *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, dir, strerror(errno));
		return MIG_EXIT_FAIL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		struct mig *m;

		if (!is_migration_name(de->d_name)) {
			if (len > 4 && strcmp(de->d_name + len - 4, ".sql") == 0)
				fprintf(stderr, "%s: warning: ignoring %s/%s (not "
				    "NNNN_name.sql)\n", progname, dir, de->d_name);
			continue;
		}
		if ((m = miglist_add(out)) == NULL) {
			fprintf(stderr, "%s: %s: too many migrations\n", progname, dir);
			closedir(d);
			return MIG_EXIT_FAIL;
		}
		(void)copy_str(m->file, sizeof(m->file), de->d_name);
		memcpy(m->version, de->d_name, MIG_VERSION_LEN);
		m->version[MIG_VERSION_LEN] = '\0';
	}
	closedir(d);
	qsort(out->v, out->n, sizeof(out->v[0]), mig_cmp);
	for (size_t i = 1; i < out->n; i++) {
		if (strcmp(out->v[i - 1].version, out->v[i].version) == 0) {
			fprintf(stderr, "%s: %s and %s share version %s; refusing to run\n",
			    progname, out->v[i - 1].file, out->v[i].file, out->v[i].version);
			return MIG_EXIT_REFUSE;
		}
	}
	return MIG_EXIT_OK;
}

/*
 * Reads dir/file into a NUL-terminated heap buffer (*text, to free) of at most
 * MIG_FILE_MAX bytes. A file containing a NUL byte is refused. Returns 0 or -1.
 */
static int
read_file(const char *dir, const char *file, char **text, size_t *len)
{
	char path[MIG_PATH_MAX];
	struct stat st;
	FILE *f;
	char *buf = NULL;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, file);

	if (n < 0 || (size_t)n >= sizeof(path)) {
		fprintf(stderr, "%s: %s/%s: path too long\n", progname, dir, file);
		return -1;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > MIG_FILE_MAX) {
		fprintf(stderr, "%s: %s: not a regular file of at most %ld bytes\n",
		    progname, path, MIG_FILE_MAX);
		goto fail;
	}
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto fail;
	*len = fread(buf, 1, (size_t)st.st_size, f);
	if (ferror(f) || *len != (size_t)st.st_size) {
		fprintf(stderr, "%s: %s: read error\n", progname, path);
		goto fail;
	}
	buf[*len] = '\0';
	if (memchr(buf, '\0', *len) != NULL) {
		fprintf(stderr, "%s: %s: contains a NUL byte\n", progname, path);
		goto fail;
	}
	fclose(f);
	*text = buf;
	return 0;
fail:
	free(buf);
	fclose(f);
	return -1;
}

/* Hex SHA-256 of data into out. */
static void
sha256_hex(const char *data, size_t len, char out[MIG_SHA_HEX])
{
	unsigned char digest[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(digest, (const unsigned char *)data, len);
	sodium_bin2hex(out, MIG_SHA_HEX, digest, sizeof(digest));
}

/* Hex SHA-256 of dir/file; 0 or -1. */
static int
hash_file(const char *dir, const char *file, char out[MIG_SHA_HEX])
{
	char *text;
	size_t len;

	if (read_file(dir, file, &text, &len) != 0)
		return -1;
	sha256_hex(text, len, out);
	free(text);
	return 0;
}

/*
 * Runs one parameterised statement. Returns the result (to PQclear) or NULL after
 * printing the server's message prefixed by what.
 */
static PGresult *
db_exec(PGconn *conn, const char *what, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res = PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0);
	ExecStatusType st = PQresultStatus(res);

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	fprintf(stderr, "%s: %s: %s", progname, what,
	    res ? PQresultErrorMessage(res) : PQerrorMessage(conn));
	PQclear(res);
	return NULL;
}

/* db_exec for statements whose result is not needed; 0 or -1. */
static int
db_run(PGconn *conn, const char *what, const char *sql, int nparams,
    const char *const *params)
{
	PGresult *res = db_exec(conn, what, sql, nparams, params);

	if (res == NULL)
		return -1;
	PQclear(res);
	return 0;
}

/* Rolls back the open transaction, if any. */
static void
db_rollback(PGconn *conn)
{
	if (PQtransactionStatus(conn) != PQTRANS_IDLE)
		PQclear(PQexecParams(conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0));
}

/*
 * Connects, optionally switches to role, and checks that the effective role can
 * neither bypass row-level security nor is a superuser: objects it creates must be
 * owned by the owner role so FORCE ROW LEVEL SECURITY keeps applying.
 */
static int
db_connect(const struct opts *o, PGconn **out)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { o->db, "bahi-migrate", NULL };
	PGconn *conn = PQconnectdbParams(keys, vals, 1);
	PGresult *res;
	int bad;

	if (PQstatus(conn) != CONNECTION_OK) {
		fprintf(stderr, "%s: connecting: %s", progname, PQerrorMessage(conn));
		PQfinish(conn);
		return MIG_EXIT_FAIL;
	}
	if (db_run(conn, "session setup", "SELECT set_config('client_min_messages', "
	    "'warning', false), set_config('statement_timeout', '0', false)", 0,
	    NULL) != 0)
		goto fail;
	if (o->role != NULL && db_run(conn, "switching role",
	    "SELECT set_config('role', $1, false)", 1, &o->role) != 0)
		goto fail;
	res = db_exec(conn, "checking role", "SELECT current_user, rolsuper OR "
	    "rolbypassrls FROM pg_roles WHERE rolname = current_user", 0, NULL);
	if (res == NULL)
		goto fail;
	bad = PQntuples(res) != 1 || strcmp(PQgetvalue(res, 0, 1), "f") != 0;
	if (bad)
		fprintf(stderr, "%s: role %s is a superuser or bypasses row-level "
		    "security; run migrations as the owner role (bahi_owner)\n",
		    progname, PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?");
	PQclear(res);
	if (bad) {
		PQfinish(conn);
		return MIG_EXIT_REFUSE;
	}
	*out = conn;
	return MIG_EXIT_OK;
fail:
	PQfinish(conn);
	return MIG_EXIT_FAIL;
}

/* Copies the rows of schema_migrations (version, name, sha256, applied_at) into out. */
static int
load_applied(PGconn *conn, struct miglist *out)
{
	PGresult *res = db_exec(conn, "reading schema_migrations",
	    "SELECT version, name, sha256, applied_at::text "
	    "FROM public.schema_migrations ORDER BY version", 0, NULL);

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct mig *m = miglist_add(out);

		if (m == NULL || copy_str(m->version, sizeof(m->version),
		    PQgetvalue(res, i, 0)) != 0 || copy_str(m->file,
		    sizeof(m->file), PQgetvalue(res, i, 1)) != 0 ||
		    copy_str(m->sha, sizeof(m->sha), PQgetvalue(res, i, 2)) != 0 ||
		    copy_str(m->applied_at, sizeof(m->applied_at),
		    PQgetvalue(res, i, 3)) != 0) {
			fprintf(stderr, "%s: schema_migrations row %d is malformed\n",
			    progname, i + 1);
			PQclear(res);
			return -1;
		}
	}
	PQclear(res);
	return 0;
}

/*
 * Compares the applied history with the directory: every applied migration must
 * still be there under the same name with the same hash, and no pending one may sort
 * before an applied one. Prints each problem; returns how many there were (-1 on I/O
 * failure).
 */
static int
verify(const char *dir, const struct miglist *files, const struct miglist *applied)
{
	const char *last = applied->n ? applied->v[applied->n - 1].version : "";
	char sha[MIG_SHA_HEX];
	int problems = 0;

	for (size_t i = 0; i < applied->n; i++) {
		const struct mig *a = &applied->v[i];
		const struct mig *f = miglist_find(files, a->version);

		if (f == NULL) {
			fprintf(stderr, "%s: %s was applied on %s but is missing from "
			    "%s\n", progname, a->file, a->applied_at, dir);
			problems++;
		} else if (strcmp(f->file, a->file) != 0) {
			fprintf(stderr, "%s: %s was applied as %s; renamed files are "
			    "not allowed\n", progname, f->file, a->file);
			problems++;
		} else if (hash_file(dir, f->file, sha) != 0) {
			return -1;
		} else if (strcmp(sha, a->sha) != 0) {
			fprintf(stderr, "%s: %s/%s changed since it was applied on %s "
			    "(sha256 was %s, is %s); restore it and put the change in a "
			    "new migration\n", progname, dir, f->file, a->applied_at,
			    a->sha, sha);
			problems++;
		}
	}
	for (size_t i = 0; i < files->n; i++) {
		const struct mig *f = &files->v[i];

		if (miglist_find(applied, f->version) == NULL &&
		    strcmp(f->version, last) < 0) {
			fprintf(stderr, "%s: %s is pending but %s is already applied; "
			    "renumber it after %s\n", progname, f->file, last, last);
			problems++;
		}
	}
	return problems;
}

/*
 * Applies one migration file in its own transaction and records it with the hash of
 * the very text that ran. The file must not end the transaction itself.
 */
static int
apply_one(PGconn *conn, const char *dir, const struct mig *m)
{
	char sha[MIG_SHA_HEX];
	const char *params[3] = { m->version, m->file, sha };
	char *text;
	size_t len;
	PGresult *res;

	if (read_file(dir, m->file, &text, &len) != 0)
		return -1;
	sha256_hex(text, len, sha);
	if (db_run(conn, m->file, "BEGIN", 0, NULL) != 0) {
		free(text);
		return -1;
	}
	res = PQexec(conn, text);
	free(text);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK &&
	    PQresultStatus(res) != PGRES_EMPTY_QUERY) {
		fprintf(stderr, "%s: %s/%s failed, nothing of it was applied:\n%s",
		    progname, dir, m->file, res ? PQresultErrorMessage(res) :
		    PQerrorMessage(conn));
		goto fail;
	}
	if (PQtransactionStatus(conn) != PQTRANS_INTRANS) {
		fprintf(stderr, "%s: %s/%s ends the transaction itself (COMMIT or "
		    "ROLLBACK), which migration files must not do; what ran before "
		    "that is committed and not recorded: check the database by hand\n",
		    progname, dir, m->file);
		goto fail;
	}
	PQclear(res);
	if (db_run(conn, m->file, "INSERT INTO public.schema_migrations "
	    "(version, name, sha256, applied_at) VALUES ($1, $2, $3, now())", 3,
	    params) != 0 || db_run(conn, m->file, "COMMIT", 0, NULL) != 0) {
		db_rollback(conn);
		return -1;
	}
	printf("applied %s\n", m->file);
	fflush(stdout);
	return 0;
fail:
	PQclear(res);
	db_rollback(conn);
	return -1;
}

/* Takes the advisory lock and makes sure schema_migrations exists. */
static int
prepare(PGconn *conn)
{
	static const char *const key[] = { MIG_LOCK_KEY };

	if (db_run(conn, "taking the migration lock",
	    "SELECT pg_advisory_lock($1::bigint)", 1, key) != 0)
		return -1;
	return db_run(conn, "creating schema_migrations",
	    "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
	    "version text PRIMARY KEY CHECK (version ~ '^[0-9]{4}$'), "
	    "name text NOT NULL UNIQUE, "
	    "sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'), "
	    "applied_at timestamptz NOT NULL DEFAULT now())", 0, NULL);
}

/* Verifies the history, then applies every pending migration in order. */
static int
run_migrate(PGconn *conn, const char *dir, const struct miglist *files)
{
	struct miglist applied = { 0 };
	int problems, n = 0, rc = MIG_EXIT_FAIL;

	if (prepare(conn) != 0 || load_applied(conn, &applied) != 0)
		goto done;
	if ((problems = verify(dir, files, &applied)) != 0) {
		if (problems > 0) {
			fprintf(stderr, "%s: refusing to run\n", progname);
			rc = MIG_EXIT_REFUSE;
		}
		goto done;
	}
	for (size_t i = 0; i < files->n; i++) {
		if (miglist_find(&applied, files->v[i].version) != NULL)
			continue;
		if (apply_one(conn, dir, &files->v[i]) != 0)
			goto done;
		n++;
	}
	if (n == 0)
		printf("%s: up to date (%zu applied)\n", progname, applied.n);
	else
		printf("%s: %d applied, %zu in all\n", progname, n, applied.n + n);
	rc = MIG_EXIT_OK;
done:
	miglist_free(&applied);
	return rc;
}

/* Lists applied and pending migrations without changing anything. */
static int
run_status(PGconn *conn, const char *dir, const struct miglist *files)
{
	struct miglist applied = { 0 };
	PGresult *res;
	int exists, problems, rc = MIG_EXIT_FAIL;

	res = db_exec(conn, "looking for schema_migrations",
	    "SELECT to_regclass('public.schema_migrations') IS NOT NULL", 0, NULL);
	if (res == NULL)
		return MIG_EXIT_FAIL;
	exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (exists && load_applied(conn, &applied) != 0)
		goto done;
	for (size_t i = 0; i < applied.n; i++)
		printf("applied  %s  %s\n", applied.v[i].file, applied.v[i].applied_at);
	for (size_t i = 0; i < files->n; i++)
		if (miglist_find(&applied, files->v[i].version) == NULL)
			printf("pending  %s\n", files->v[i].file);
	problems = verify(dir, files, &applied);
	if (problems >= 0)
		rc = problems ? MIG_EXIT_REFUSE : MIG_EXIT_OK;
done:
	miglist_free(&applied);
	return rc;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: %s --db CONNINFO [--dir DIR] [--role ROLE] [--status]\n"
	    "  --db CONNINFO  libpq connection string or URI (connect as the owner role)\n"
	    "  --dir DIR      directory of NNNN_name.sql migrations%s\n"
	    "  --role ROLE    SET ROLE to ROLE after connecting\n"
	    "  --status       list applied and pending migrations, change nothing\n"
	    "exit: 0 ok, 1 failure, 2 refused (history and files disagree), 64 usage\n",
	    progname, MIG_DIR_HINT);
}

/* Parses the command line into o; returns -1 after printing usage on error. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "dir", required_argument, NULL, 'm' },
		{ "role", required_argument, NULL, 'r' },
		{ "status", no_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (c) {
		case 'd': o->db = optarg; break;
		case 'm': o->dir = optarg; break;
		case 'r': o->role = optarg; break;
		case 's': o->status = 1; break;
		case 'h': usage(stdout); exit(MIG_EXIT_OK);
		default: usage(stderr); return -1;
		}
	}
#ifdef BAHI_MIGRATIONS_DIR
	if (o->dir == NULL)
		o->dir = BAHI_MIGRATIONS_DIR;
#endif
	if (optind != argc || o->db == NULL || o->dir == NULL) {
		usage(stderr);
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct miglist files = { 0 };
	PGconn *conn = NULL;
	int rc;

	if (parse_args(argc, argv, &o) != 0)
		return MIG_EXIT_USAGE;
	if (sodium_init() < 0) {
		fprintf(stderr, "%s: libsodium failed to initialise\n", progname);
		return MIG_EXIT_FAIL;
	}
	if ((rc = scan_dir(o.dir, &files)) != MIG_EXIT_OK)
		goto done;
	if ((rc = db_connect(&o, &conn)) != MIG_EXIT_OK)
		goto done;
	rc = o.status ? run_status(conn, o.dir, &files) :
	    run_migrate(conn, o.dir, &files);
	PQfinish(conn);
done:
	miglist_free(&files);
	return rc;
}
