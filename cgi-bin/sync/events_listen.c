/* events_listen: the listener thread: LISTEN bahi_changes and bahi_revoked on one connection, read each grown business's change log once for its hub, end revoked streams. */
#include "events.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "bahi_log.h"
#include "bahi_uuid.h"

/* An idle LISTEN connection is checked this often (a dead TCP peer would
 * otherwise go unnoticed, and with it every notification). */
#define PING_MS 30000

static struct {
	pthread_t thread;
	int wake_fd;            /* eventfd: a hub was queued, or stop */
	atomic_int up;
	int started;
} listener = {.wake_fd = -1};

void
events_listen_wake(void)
{
	uint64_t one = 1;
	if (listener.wake_fd >= 0 && write(listener.wake_fd, &one, sizeof(one)) < 0 &&
	    errno != EAGAIN)
		bahi_log_error(NULL, "waking the listener: %s", strerror(errno));
}

int
events_listen_up(void)
{
	return atomic_load(&listener.up);
}

static PGconn *
listen_connect(void)
{
	PGconn *c = events_db_connect("bahi-events-listen");
	if (c == NULL)
		return NULL;
	PGresult *res = PQexec(c, "LISTEN bahi_changes; LISTEN bahi_revoked");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		bahi_log_error(NULL, "LISTEN failed: %s", PQresultErrorMessage(res));
		PQclear(res);
		PQfinish(c);
		return NULL;
	}
	PQclear(res);
	return c;
}

/* 'device:<business>:<device>', 'user:<business>:<user>' or
 * 'business:<business>' (sql/migrations/0011_sync.sql): ends those streams. */
static void
on_revoked(const char *payload)
{
	char business[BAHI_UUID_LEN + 1], who[BAHI_UUID_LEN + 1];
	const char *colon = strchr(payload, ':');
	if (colon == NULL || strlen(colon + 1) < BAHI_UUID_LEN)
		return;
	snprintf(business, sizeof(business), "%.*s", BAHI_UUID_LEN, colon + 1);
	const char *rest = colon + 1 + BAHI_UUID_LEN;
	if (!bahi_uuid_valid(business))
		return;
	if (strncmp(payload, "business:", 9) == 0 && *rest == '\0') {
		events_hub_end(business, NULL, NULL, EVENTS_REVOKED);
		return;
	}
	if (*rest != ':' || !bahi_uuid_valid(rest + 1))
		return;
	snprintf(who, sizeof(who), "%s", rest + 1);
	if (strncmp(payload, "device:", 7) == 0)
		events_hub_end(business, NULL, who, EVENTS_REVOKED);
	else if (strncmp(payload, "user:", 5) == 0)
		events_hub_end(business, who, NULL, EVENTS_REVOKED);
}

static void
on_notify(const PGnotify *n)
{
	if (strcmp(n->relname, "bahi_changes") == 0 && bahi_uuid_valid(n->extra))
		events_hub_notify(n->extra);
	else if (strcmp(n->relname, "bahi_revoked") == 0)
		on_revoked(n->extra);
}

/* Handles what has arrived: notifications, then the queued hubs, until
 * neither is left. 0, or -1 when the connection failed. */
static int
listen_drain(PGconn *c)
{
	for (;;) {
		if (PQconsumeInput(c) != 1)
			return -1;
		int seen = 0;
		PGnotify *n;
		while ((n = PQnotifies(c)) != NULL) {
			on_notify(n);
			PQfreemem(n);
			seen++;
		}
		events_hub *h = events_hub_dequeue();
		if (h == NULL && seen == 0)
			return 0;
		if (h == NULL)
			continue;
		int rc = events_hub_refresh(h, c);
		if (rc != 0)    /* more to read, or to read again */
			events_hub_queue(h);
		events_hub_put(h);
		if (rc < 0)
			return -1;
	}
}

/* Waits for the server or a wake-up, pinging an idle connection. 0, or -1
 * when the connection failed. */
static int
listen_wait(PGconn *c)
{
	struct pollfd fds[2] = {{PQsocket(c), POLLIN, 0}, {listener.wake_fd, POLLIN, 0}};
	if (fds[0].fd < 0)
		return -1;
	int n = poll(fds, 2, PING_MS);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	if (fds[1].revents & POLLIN) {
		uint64_t v;
		if (read(listener.wake_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
			return -1;
	}
	if (n > 0)
		return 0;
	PGresult *res = PQexec(c, "SELECT 1");
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

/* Sleeps up to ms unless woken. */
static void
nap(int ms)
{
	struct pollfd fd = {listener.wake_fd, POLLIN, 0};
	uint64_t v;
	if (poll(&fd, 1, ms) > 0 && read(listener.wake_fd, &v, sizeof(v)) < 0)
		return;
}

static void *
listen_main(void *arg)
{
	PGconn *c = NULL;
	time_t since = 0;
	(void)arg;
	while (!atomic_load(&events_stopping)) {
		if (c == NULL) {
			if ((c = listen_connect()) == NULL) {
				nap(1000);
				continue;
			}
			since = time(NULL);
			/* Notifications sent while no one listened are lost: every hub
			 * reads its log again, every stream checks its session again. */
			atomic_store(&listener.up, 1);
			bahi_log_info("listening for changes");
			events_hub_queue_all();
			events_hub_all(EVENTS_OPEN);
		}
		if (listen_drain(c) != 0 || listen_wait(c) != 0) {
			bahi_log_error(NULL, "the LISTEN connection failed: %s; reconnecting",
			               PQerrorMessage(c));
			atomic_store(&listener.up, 0);
			PQfinish(c);
			c = NULL;
			if (time(NULL) - since < 2)     /* failing again at once: not in a loop */
				nap(1000);
		}
	}
	if (c != NULL)
		PQfinish(c);
	atomic_store(&listener.up, 0);
	return NULL;
}

int
events_listen_start(void)
{
	listener.wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (listener.wake_fd < 0 || pthread_create(&listener.thread, NULL, listen_main, NULL) != 0)
		return -1;
	listener.started = 1;
	return 0;
}

void
events_listen_stop(void)
{
	if (!listener.started)
		return;
	events_listen_wake();
	pthread_join(listener.thread, NULL);
	listener.started = 0;
}
