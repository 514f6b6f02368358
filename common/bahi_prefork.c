/* bahi_prefork: command line, listening socket, and the supervisor that keeps N worker processes alive. */
#include "bahi_worker.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_log.h"
#include "bahi_num.h"
#include "bahi_random.h"

#define MAX_PROCESSES 256

typedef struct worker_opts {
	const char *config;
	const char *socket;
	const char *pidfile;
	int processes;
} worker_opts;

static volatile sig_atomic_t stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s --socket PATH|:PORT [--config FILE] "
	        "[--processes N] [--pidfile FILE]\n", prog);
}

static int
parse_opts(int argc, char **argv, worker_opts *o)
{
	o->config = NULL;
	o->socket = NULL;
	o->pidfile = NULL;
	o->processes = 4;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t n;
		if (v == NULL) {
			usage(argv[0]);
			return -1;
		}
		if (strcmp(a, "--config") == 0)
			o->config = v;
		else if (strcmp(a, "--socket") == 0)
			o->socket = v;
		else if (strcmp(a, "--pidfile") == 0)
			o->pidfile = v;
		else if (strcmp(a, "--processes") == 0 &&
		         bahi_num_parse(v, 1, MAX_PROCESSES, &n, NULL) == 0)
			o->processes = (int)n;
		else {
			usage(argv[0]);
			return -1;
		}
		i++;
	}
	if (o->socket == NULL) {
		usage(argv[0]);
		return -1;
	}
	return 0;
}

/* One worker process: accept and handle requests until told to stop. */
static void
serve(int fd, const bahi_worker_def *def)
{
	FCGX_Request fr;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() == 1)
		_exit(0);
	if (def->process_init != NULL)
		def->process_init();
	FCGX_InitRequest(&fr, fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!stopping && FCGX_Accept_r(&fr) == 0) {
		bahi_worker_handle(def, &fr);
		FCGX_Finish_r(&fr);
	}
	bahi_db_close();
	_exit(0);
}

static pid_t
spawn(int fd, const bahi_worker_def *def)
{
	pid_t pid = fork();
	if (pid == 0)
		serve(fd, def);
	if (pid < 0)
		bahi_log_info("fork failed: %s", strerror(errno));
	return pid;
}

/* Keeps n processes running; restarts any that exit, at most one per
 * second for a process that keeps dying at once. */
static void
supervise(int fd, int n, const bahi_worker_def *def)
{
	pid_t pids[MAX_PROCESSES];
	time_t born[MAX_PROCESSES];
	for (int i = 0; i < n; i++) {
		pids[i] = spawn(fd, def);
		born[i] = time(NULL);
	}
	while (!stopping) {
		int status;
		pid_t dead = waitpid(-1, &status, 0);
		if (dead < 0)
			continue;
		for (int i = 0; i < n && !stopping; i++) {
			if (pids[i] != dead)
				continue;
			if (WIFEXITED(status) && WEXITSTATUS(status) == BAHI_EXIT_CONFIG) {
				bahi_log_info("worker process %d cannot run with this configuration; "
				              "stopping", (int)dead);
				stopping = 2;
				break;
			}
			bahi_log_info("worker process %d exited (status %d); restarting",
			              (int)dead, status);
			if (time(NULL) - born[i] < 1)
				sleep(1);
			pids[i] = spawn(fd, def);
			born[i] = time(NULL);
		}
	}
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

int
bahi_prefork_open_socket(const char *path)
{
	struct stat st;
	if (path[0] != ':' && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	int fd = FCGX_OpenSocket(path, 1024);
	if (fd < 0) {
		fprintf(stderr, "cannot listen on %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (path[0] != ':')
		chmod(path, 0660);
	return fd;
}

void
bahi_prefork_write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
}

int
bahi_worker_main(int argc, char **argv, const bahi_worker_def *def)
{
	worker_opts o;
	if (parse_opts(argc, argv, &o) != 0 || bahi_config_load(o.config) != 0)
		return 2;
	if (bahi_random_init() != 0 || FCGX_Init() != 0) {
		fprintf(stderr, "initialisation failed\n");
		return 1;
	}
	bahi_log_init(def->name);
	bahi_db_init(bahi_config_get("db_url"));
	int fd = bahi_prefork_open_socket(o.socket);
	if (fd < 0)
		return 1;
	if (o.pidfile != NULL)
		bahi_prefork_write_pidfile(o.pidfile);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	bahi_log_info("listening on %s with %d processes", o.socket, o.processes);
	supervise(fd, o.processes, def);
	if (o.socket[0] != ':')
		unlink(o.socket);
	if (o.pidfile != NULL)
		unlink(o.pidfile);
	return stopping == 2 ? BAHI_EXIT_CONFIG : 0;
}
