/* pwhash-rate: the raw rate of bahi's Argon2id password verification over N processes, the login benchmark's baseline. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "bahi_password.h"

#define MAX_PROCESSES 256
#define MAX_SECONDS 3600
/* the seeded demo shop's password: the login benchmark verifies this one */
#define PASSWORD "demo-shop-2026"

typedef struct opts {
	int processes;
	int seconds;
} opts;

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--processes N] [--duration SECONDS]\n", prog);
}

/* Parses an integer in [1, max]; -1 when it is not one. */
static int
parse_count(const char *s, int max)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || n < 1 || n > max)
		return -1;
	return (int)n;
}

static int
parse_opts(int argc, char **argv, opts *o)
{
	o->processes = 4;
	o->seconds = 10;
	for (int i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (v == NULL)
			return -1;
		if (strcmp(a, "--processes") == 0)
			o->processes = parse_count(v, MAX_PROCESSES);
		else if (strcmp(a, "--duration") == 0)
			o->seconds = parse_count(v, MAX_SECONDS);
		else
			return -1;
		if (o->processes < 0 || o->seconds < 0)
			return -1;
	}
	return 0;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One child: verifies pw against hash until the deadline has passed, then
 * writes the number of successful verifications to fd. */
static void
verify_until(int fd, const char *hash, double deadline)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	long n = 0;
	do {
		if (crypto_pwhash_str_verify(hash, PASSWORD, strlen(PASSWORD)) != 0) {
			fprintf(stderr, "pwhash-rate: verification failed\n");
			_exit(1);
		}
		n++;
	} while (now() < deadline);
	ssize_t w = write(fd, &n, sizeof(n));
	_exit(w == (ssize_t)sizeof(n) ? 0 : 1);
}

/* Forks the children, sums their counts; -1 when one of them failed. */
static long
run(const opts *o, const char *hash, double *elapsed)
{
	int p[2];
	if (pipe(p) != 0) {
		perror("pwhash-rate: pipe");
		return -1;
	}
	double start = now();
	int started = 0, failed = 0;
	for (; started < o->processes; started++) {
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			verify_until(p[1], hash, start + o->seconds);
		}
		if (pid < 0) {
			perror("pwhash-rate: fork");
			failed = 1;
			break;
		}
	}
	close(p[1]);
	long total = 0, n;
	while (read(p[0], &n, sizeof(n)) == (ssize_t)sizeof(n))
		total += n;
	int status;
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			failed = 1;
	*elapsed = now() - start;
	close(p[0]);
	return failed ? -1 : total;
}

int
main(int argc, char **argv)
{
	opts o;
	char hash[crypto_pwhash_STRBYTES];
	if (parse_opts(argc, argv, &o) != 0) {
		usage(argv[0]);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	if (crypto_pwhash_str_alg(hash, PASSWORD, strlen(PASSWORD), BAHI_PWHASH_OPSLIMIT,
	                          BAHI_PWHASH_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		fprintf(stderr, "pwhash-rate: out of memory\n");
		return 1;
	}
	double elapsed;
	long total = run(&o, hash, &elapsed);
	if (total < 0)
		return 1;
	printf("PWHASH processes=%d seconds=%.3f verifications=%ld rate=%.2f\n",
	       o.processes, elapsed, total, (double)total / elapsed);
	return 0;
}
