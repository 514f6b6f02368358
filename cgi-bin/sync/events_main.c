/* bahi-events: the live change stream's FastCGI server: one process, a thread per open stream, one LISTEN connection for all of them. */
#include "events.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "bahi_config.h"
#include "bahi_jwt.h"
#include "bahi_log.h"
#include "bahi_num.h"
#include "bahi_problem.h"
#include "bahi_random.h"
#include "bahi_worker.h"

/* A stream's thread mostly waits; its stack holds a few frames of libpq,
 * libjwt and libfcgi. The sanitizers' frames are several times larger. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define STREAM_STACK (1024 * 1024)
#else
#define STREAM_STACK (128 * 1024)
#endif
/* How long a stopping process waits for its streams to end. */
#define STOP_WAIT_MS 3000

atomic_int events_stopping;
int events_heartbeat = 15;
int events_max_streams = 4096;

typedef struct events_opts {
	const char *config, *socket, *pidfile;
	int processes;
} events_opts;

static void
on_stop(int sig)
{
	(void)sig;
	atomic_store(&events_stopping, 1);
	FCGX_ShutdownPending();
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s --socket PATH|:PORT [--config FILE] "
	        "[--processes N (database connections)] [--pidfile FILE]\n", prog);
}

/* The other workers' options; --processes is the number of database
 * connections the streams share. */
static int
parse_opts(int argc, char **argv, events_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->processes = 4;
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t n;
		if (v == NULL) {
			o->socket = NULL;
			break;
		}
		if (strcmp(a, "--config") == 0)
			o->config = v;
		else if (strcmp(a, "--socket") == 0)
			o->socket = v;
		else if (strcmp(a, "--pidfile") == 0)
			o->pidfile = v;
		else if (strcmp(a, "--processes") == 0 && bahi_num_parse(v, 1, 256, &n, NULL) == 0)
			o->processes = (int)n;
		else {
			o->socket = NULL;
			break;
		}
	}
	if (o->socket == NULL) {
		usage(argv[0]);
		return -1;
	}
	return 0;
}

/* events_heartbeat and events_max_streams, and the token keys. */
static int
settings(void)
{
	int64_t beat, max;
	if (bahi_num_parse(bahi_config_get("events_heartbeat"), 1, 3600, &beat, NULL) != 0 ||
	    bahi_num_parse(bahi_config_get("events_max_streams"), 1, 100000, &max, NULL) != 0) {
		fprintf(stderr, "events_heartbeat must be 1..3600 (seconds), "
		        "events_max_streams 1..100000\n");
		return -1;
	}
	events_heartbeat = (int)beat;
	events_max_streams = (int)max;
	if (bahi_jwt_init(bahi_config_get("jwt_secret"), bahi_config_get("jwt_old_secret")) != 0) {
		fprintf(stderr, "jwt_secret must be set to at least 32 characters\n");
		return -1;
	}
	return 0;
}

/* Every stream holds a socket: take all the descriptors allowed. */
static void
raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < (rlim_t)events_max_streams + 64)
		bahi_log_info("only %lu file descriptors for %d streams: raise LimitNOFILE",
		              (unsigned long)rl.rlim_cur, events_max_streams);
}

/* Answers 503 from the accepting thread when no thread could be made. */
static void
refuse(FCGX_Request *fr)
{
	bahi_problem p;
	bahi_buf b;
	memset(&p, 0, sizeof(p));
	bahi_problem_set(&p, "service_unavailable", "The server is out of threads; try again later.");
	bahi_buf_init(&b, 4096);
	bahi_buf_puts(&b, "Status: 503 Service Unavailable\r\n"
	              "Content-Type: application/problem+json\r\nRetry-After: 5\r\n\r\n");
	bahi_problem_to_json(&p, &b);
	FCGX_PutStr(b.data, (int)b.len, fr->out);
	bahi_buf_free(&b);
	FCGX_Finish_r(fr);
	free(fr);
}

/* Threads start with the stop signals blocked: only the accepting thread
 * takes them, so that its accept() is interrupted. */
static void
block_stop_signals(sigset_t *old)
{
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, old);
}

static int
spawn(FCGX_Request *fr, const pthread_attr_t *attr)
{
	sigset_t old;
	pthread_t t;
	block_stop_signals(&old);
	int rc = pthread_create(&t, attr, events_request_thread, fr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

static int
spawn_listener(void)
{
	sigset_t old;
	block_stop_signals(&old);
	int rc = events_listen_start();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* Accepts requests until told to stop, each in a thread of its own. */
static void
accept_loop(int fd)
{
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, STREAM_STACK);
	while (!atomic_load(&events_stopping)) {
		FCGX_Request *fr = calloc(1, sizeof(*fr));
		if (fr == NULL || FCGX_InitRequest(fr, fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
			free(fr);
			usleep(100000);
			continue;
		}
		if (FCGX_Accept_r(fr) != 0) {
			free(fr);
			if (!atomic_load(&events_stopping)) {
				bahi_log_error(NULL, "accept failed: %s", strerror(errno));
				usleep(100000);   /* out of descriptors: let streams end */
			}
			continue;
		}
		atomic_fetch_add(&events_requests, 1);
		if (spawn(fr, &attr) != 0) {
			atomic_fetch_sub(&events_requests, 1);
			refuse(fr);
		}
	}
	pthread_attr_destroy(&attr);
}

/* Ends every stream and waits (a while) for their threads. */
static void
stop_streams(void)
{
	events_hub_all(EVENTS_SHUTDOWN);
	for (int ms = 0; ms < STOP_WAIT_MS && atomic_load(&events_requests) > 0; ms += 10)
		usleep(10000);
	if (atomic_load(&events_requests) > 0)
		bahi_log_info("stopping with %d requests unfinished", atomic_load(&events_requests));
}

static void
on_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;    /* no SA_RESTART: accept() returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

int
main(int argc, char **argv)
{
	events_opts o;
	if (parse_opts(argc, argv, &o) != 0 || bahi_config_load(o.config) != 0)
		return 2;
	if (settings() != 0)
		return BAHI_EXIT_CONFIG;
	if (bahi_random_init() != 0 || FCGX_Init() != 0) {
		fprintf(stderr, "initialisation failed\n");
		return 1;
	}
	bahi_log_init("events");
	raise_nofile();
	events_db_init(bahi_config_get("db_url"), o.processes);
	int fd = bahi_prefork_open_socket(o.socket);
	if (fd < 0)
		return 1;
	if (o.pidfile != NULL)
		bahi_prefork_write_pidfile(o.pidfile);
	on_signals();
	if (spawn_listener() != 0) {
		fprintf(stderr, "cannot start the listener thread\n");
		return 1;
	}
	bahi_log_info("listening on %s: up to %d streams, %d database connections, "
	              "heartbeat every %d s", o.socket, events_max_streams, o.processes,
	              events_heartbeat);
	accept_loop(fd);
	close(fd);
	stop_streams();
	events_listen_stop();
	if (atomic_load(&events_requests) == 0)
		events_db_close();
	if (o.socket[0] != ':')
		unlink(o.socket);
	if (o.pidfile != NULL)
		unlink(o.pidfile);
	return 0;
}
