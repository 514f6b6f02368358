/* baseline-fcgi: the trivial pre-forking FastCGI program answering from one SELECT 1, bahi's benchmark baseline. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

#define MAX_PROCESSES 256

static const char ok_response[] =
	"Status: 200 OK\r\nContent-Type: application/json\r\n\r\n"
	"{\"status\":\"ok\",\"db\":\"ok\"}";
static const char fail_response[] =
	"Status: 503 Service Unavailable\r\nContent-Type: application/json\r\n\r\n"
	"{\"status\":\"error\",\"db\":\"error\"}";

typedef struct opts {
	const char *socket;
	const char *db;
	const char *pidfile;
	int processes;
} opts;

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s --socket PATH --processes N --db CONNINFO "
	        "[--pidfile FILE]\n", prog);
}

/* Parses a process count in [1, MAX_PROCESSES]; -1 when it is not one. */
static int
parse_count(const char *s)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > MAX_PROCESSES)
		return -1;
	return (int)n;
}

static int
parse_opts(int argc, char **argv, opts *o)
{
	memset(o, 0, sizeof(*o));
	o->processes = 4;
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			return -1;
		if (strcmp(a, "--socket") == 0)
			o->socket = v;
		else if (strcmp(a, "--db") == 0)
			o->db = v;
		else if (strcmp(a, "--pidfile") == 0)
			o->pidfile = v;
		else if (strcmp(a, "--processes") == 0) {
			if ((o->processes = parse_count(v)) < 0)
				return -1;
		} else
			return -1;
	}
	return o->socket != NULL && o->db != NULL ? 0 : -1;
}

/* Connects and prepares "ping" (SELECT 1); NULL, with a message, on failure. */
static PGconn *
db_connect(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "baseline-fcgi: connect: %s", PQerrorMessage(c));
		PQfinish(c);
		return NULL;
	}
	PGresult *res = PQprepare(c, "ping", "SELECT 1", 0, NULL);
	int ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	if (!ok)
		fprintf(stderr, "baseline-fcgi: prepare: %s", PQerrorMessage(c));
	PQclear(res);
	if (!ok) {
		PQfinish(c);
		return NULL;
	}
	return c;
}

/* Runs the prepared SELECT 1; 0 when it returned its row. */
static int
db_ping(PGconn *c)
{
	PGresult *res = PQexecPrepared(c, "ping", 0, NULL, NULL, NULL, 0);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	PQclear(res);
	return ok ? 0 : -1;
}

/* One child: connect once, then answer every request from one SELECT 1. */
static void
serve(int fd, const char *conninfo, pid_t parent)
{
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent)
		_exit(0);
	PGconn *c = db_connect(conninfo);
	if (c == NULL)
		_exit(1);
	FCGX_Request fr;
	FCGX_InitRequest(&fr, fd, 0);
	while (FCGX_Accept_r(&fr) == 0) {
		if (db_ping(c) == 0)
			FCGX_PutStr(ok_response, (int)sizeof(ok_response) - 1, fr.out);
		else
			FCGX_PutStr(fail_response, (int)sizeof(fail_response) - 1, fr.out);
		FCGX_Finish_r(&fr);
	}
	PQfinish(c);
	_exit(0);
}

/* Waits for the children; on SIGTERM or SIGINT, stops them and waits again. */
static int
supervise(const pid_t *pids, int n)
{
	int live = n, failed = 0;
	while (live > 0 && !stopping) {
		int status;
		pid_t dead = waitpid(-1, &status, 0);
		if (dead < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		live--;
		failed = 1;
		fprintf(stderr, "baseline-fcgi: process %d exited (status %d)\n",
		        (int)dead, status);
	}
	for (int i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	return stopping ? 0 : failed;
}

static int
open_socket(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	int fd = FCGX_OpenSocket(path, 1024);
	if (fd < 0) {
		fprintf(stderr, "baseline-fcgi: cannot listen on %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	chmod(path, 0660);
	return fd;
}

static void
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "baseline-fcgi: cannot write %s: %s\n", path,
		        strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

int
main(int argc, char **argv)
{
	opts o;
	pid_t pids[MAX_PROCESSES];
	if (parse_opts(argc, argv, &o) != 0) {
		usage(argv[0]);
		return 2;
	}
	if (FCGX_Init() != 0)
		return 1;
	int fd = open_socket(o.socket);
	if (fd < 0)
		return 1;
	if (o.pidfile != NULL)
		write_pidfile(o.pidfile);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	pid_t self = getpid();
	int fork_failed = 0;
	for (int i = 0; i < o.processes; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			serve(fd, o.db, self);
		if (pids[i] < 0) {
			fprintf(stderr, "baseline-fcgi: fork: %s\n", strerror(errno));
			o.processes = i;
			stopping = 1;
			fork_failed = 1;
			break;
		}
	}
	int rc = supervise(pids, o.processes) || fork_failed;
	unlink(o.socket);
	if (o.pidfile != NULL)
		unlink(o.pidfile);
	return rc;
}
