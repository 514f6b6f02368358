/* events-client: opens many GET /api/v1/events streams through nginx (epoll, one thread), commits changes, and reports how many streams got each and how fast. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* One stream: its socket, what it has read and not parsed yet, and what it saw. */
typedef struct conn {
	int fd;
	char buf[8192];
	size_t len;
	int head_done, ready, closed;
	long last_seq;          /* the newest event id seen */
	double got_at;          /* when the round's change arrived (0: not yet) */
	long got_seq;
} conn;

typedef struct opts {
	int port, streams, rounds;
	const char *token;
} opts;

static double
now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void
die(const char *msg)
{
	fprintf(stderr, "events-client: %s%s%s\n", msg, errno ? ": " : "", errno ? strerror(errno) : "");
	exit(1);
}

static int
parse_int(const char *s, int min, int max)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < min || v > max)
		die("bad number in the arguments");
	return (int)v;
}

static void
parse_opts(int argc, char **argv, opts *o)
{
	o->port = 0;
	o->streams = 500;
	o->rounds = 3;
	o->token = NULL;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port") == 0)
			o->port = parse_int(argv[i + 1], 1, 65535);
		else if (strcmp(argv[i], "--streams") == 0)
			o->streams = parse_int(argv[i + 1], 1, 100000);
		else if (strcmp(argv[i], "--rounds") == 0)
			o->rounds = parse_int(argv[i + 1], 1, 1000);
		else if (strcmp(argv[i], "--token") == 0)
			o->token = argv[i + 1];
		else
			die("usage: events-client --port P --token T [--streams N] [--rounds R]");
	}
	if (o->port == 0 || o->token == NULL || argc % 2 == 0)
		die("usage: events-client --port P --token T [--streams N] [--rounds R]");
}

/* A connected TCP socket to nginx on 127.0.0.1, blocking. */
static int
dial(int port)
{
	struct sockaddr_in a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0)
		die("connect");
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void
send_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w <= 0)
			die("write");
		s += w;
		n -= (size_t)w;
	}
}

/* Handles one complete SSE block of c. */
static void
on_block(conn *c, const char *block, double at)
{
	const char *id = strstr(block, "id: ");
	long seq = id ? strtol(id + 4, NULL, 10) : -1;
	if (strstr(block, "event: ready") != NULL) {
		c->ready = 1;
		c->last_seq = seq;
	} else if (strstr(block, "event: change") != NULL) {
		if (c->got_at == 0 && seq > c->last_seq) {
			c->got_at = at;
			c->got_seq = seq;
		}
		if (seq > c->last_seq)
			c->last_seq = seq;
	} else if (strstr(block, "event: end") != NULL) {
		c->closed = 1;
	}
}

/* Reads what c's socket holds and parses the complete blocks. */
static void
on_readable(conn *c, double at)
{
	for (;;) {
		ssize_t r = read(c->fd, c->buf + c->len, sizeof(c->buf) - 1 - c->len);
		if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
			c->closed = 1;
			return;
		}
		if (r < 0)
			return;
		c->len += (size_t)r;
		c->buf[c->len] = '\0';
		char *p = c->buf, *end;
		if (!c->head_done) {
			if ((end = strstr(p, "\r\n\r\n")) == NULL)
				continue;
			if (strncmp(p, "HTTP/1.1 200", 12) != 0 && strncmp(p, "HTTP/1.0 200", 12) != 0) {
				fprintf(stderr, "events-client: a stream was refused: %.80s\n", p);
				exit(1);
			}
			c->head_done = 1;
			p = end + 4;
		}
		while ((end = strstr(p, "\n\n")) != NULL) {
			*end = '\0';
			on_block(c, p, at);
			p = end + 2;
		}
		c->len = strlen(p);
		memmove(c->buf, p, c->len + 1);
	}
}

/* Runs the event loop until cond(arg) or the deadline; 0 when cond held. */
static int
pump(int ep, conn *cs, double until, int (*cond)(conn *, int), int n)
{
	struct epoll_event evs[256];
	while (!cond(cs, n)) {
		int ms = (int)((until - now_s()) * 1000);
		if (ms <= 0)
			return -1;
		int k = epoll_wait(ep, evs, 256, ms < 50 ? ms : 50);
		double at = now_s();
		for (int i = 0; i < k; i++)
			on_readable(&cs[evs[i].data.u32], at);
	}
	return 0;
}

static int
all_ready(conn *cs, int n)
{
	for (int i = 0; i < n; i++)
		if (!cs[i].ready)
			return 0;
	return 1;
}

static int
all_got(conn *cs, int n)
{
	for (int i = 0; i < n; i++)
		if (cs[i].got_at == 0 && !cs[i].closed)
			return 0;
	return 1;
}

/* Opens the n streams and waits for every one's ready event. */
static conn *
open_streams(const opts *o, int ep)
{
	char req[4096];
	int len = snprintf(req, sizeof(req), "GET /api/v1/events HTTP/1.0\r\nHost: 127.0.0.1\r\n"
	                   "Accept: text/event-stream\r\nAuthorization: Bearer %s\r\n\r\n", o->token);
	if (len <= 0 || (size_t)len >= sizeof(req))
		die("the token is too long");
	conn *cs = calloc((size_t)o->streams, sizeof(*cs));
	if (cs == NULL)
		die("out of memory");
	for (int i = 0; i < o->streams; i++) {
		cs[i].fd = dial(o->port);
		send_all(cs[i].fd, req, (size_t)len);
		fcntl(cs[i].fd, F_SETFL, fcntl(cs[i].fd, F_GETFL) | O_NONBLOCK);
		struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
		if (epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev) != 0)
			die("epoll_ctl");
	}
	return cs;
}

/* POST /api/v1/categories (one change); returns when it is answered. */
static void
commit_change(const opts *o, int round)
{
	char body[128], req[4096], resp[512];
	int blen = snprintf(body, sizeof(body), "{\"name\":\"Bench %d-%ld-%d\"}", (int)getpid(),
	                    (long)time(NULL), round);
	int len = snprintf(req, sizeof(req), "POST /api/v1/categories HTTP/1.0\r\nHost: 127.0.0.1\r\n"
	                   "Content-Type: application/json\r\nAuthorization: Bearer %s\r\n"
	                   "Content-Length: %d\r\n\r\n%s", o->token, blen, body);
	int fd = dial(o->port);
	send_all(fd, req, (size_t)len);
	ssize_t r = read(fd, resp, sizeof(resp) - 1);
	close(fd);
	if (r < 12 || strncmp(resp + 9, "201", 3) != 0) {
		resp[r > 0 ? r : 0] = '\0';
		fprintf(stderr, "events-client: POST /api/v1/categories: %.200s\n", resp);
		exit(1);
	}
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* One change, measured at every stream from the moment the POST was sent.
 * 0, or -1 when a stream missed it. */
static int
round_run(const opts *o, int ep, conn *cs, int round)
{
	double *lat = calloc((size_t)o->streams, sizeof(*lat));
	if (lat == NULL)
		die("out of memory");
	for (int i = 0; i < o->streams; i++)
		cs[i].got_at = 0;
	double t0 = now_s();
	commit_change(o, round);
	double answered = now_s() - t0;
	pump(ep, cs, t0 + 5, all_got, o->streams);
	int got = 0, same = 1;
	for (int i = 0; i < o->streams; i++) {
		if (cs[i].got_at == 0)
			continue;
		lat[got++] = (cs[i].got_at - t0) * 1000;
		same &= cs[i].got_seq == cs[0].got_seq;
	}
	qsort(lat, (size_t)got, sizeof(*lat), cmp_double);
	int within = 0;
	for (int i = 0; i < got; i++)
		within += lat[i] < 1000;
	int p99 = (got * 99 + 99) / 100 - 1;    /* nearest rank */
	printf("round %d: %d/%d streams got the change (seq %ld%s), %d within 1 s; latency from the "
	       "POST: p50 %.1f ms, p99 %.1f ms, max %.1f ms (the POST took %.1f ms: the last stream "
	       "got it %.1f ms after the answer)\n",
	       round, got, o->streams, cs[0].got_seq, same ? "" : ", NOT the same everywhere",
	       within, got ? lat[got / 2] : 0, got ? lat[p99 < 0 ? 0 : p99] : 0,
	       got ? lat[got - 1] : 0, answered * 1000, got ? lat[got - 1] - answered * 1000 : 0);
	fflush(stdout);
	free(lat);
	return got == o->streams && same ? 0 : -1;
}

int
main(int argc, char **argv)
{
	opts o;
	struct rlimit rl;
	char line[64];
	parse_opts(argc, argv, &o);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	double t0 = now_s();
	conn *cs = open_streams(&o, ep);
	if (pump(ep, cs, t0 + 60, all_ready, o.streams) != 0)
		die("not every stream got its ready event within 60 s");
	printf("ready: %d streams open in %.2f s\n", o.streams, now_s() - t0);
	fflush(stdout);
	/* the caller measures memory now, then says go */
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	int missed = 0;
	for (int r = 1; r <= o.rounds; r++) {
		missed |= round_run(&o, ep, cs, r) != 0;
		sleep(1);
	}
	for (int i = 0; i < o.streams; i++)
		close(cs[i].fd);
	free(cs);
	return missed ? 3 : 0;
}
