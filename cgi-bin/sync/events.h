/* events: the live change stream (GET /api/v1/events): what the parts of the bahi-events process share. */
#ifndef BAHI_EVENTS_H
#define BAHI_EVENTS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "bahi_buf.h"

/* Recent events kept per business for its open streams; a stream further
 * behind reads the change log itself. */
#define EVENTS_RING 128
/* Change-log rows read per statement by a stream catching up. */
#define EVENTS_PAGE 500
/* What EventSource waits before reconnecting (the stream's retry field). */
#define EVENTS_RETRY_MS 2000

/* Why a stream ends; EVENTS_OPEN while it goes on. */
enum events_end {
	EVENTS_OPEN = 0,
	EVENTS_REVOKED,         /* device revoked, user's tokens invalidated, business deleted */
	EVENTS_EXPIRED,         /* the access token expired: reconnect with a fresh one */
	EVENTS_SHUTDOWN,        /* the process is stopping */
	EVENTS_UNAVAILABLE,     /* the database could not be read */
	EVENTS_GONE,            /* the client went away (a write failed) */
};

/* One change formatted as an SSE event, as the hub keeps it. */
typedef struct events_event {
	int64_t seq;
	char *text;             /* "id: ...\nevent: change\ndata: {...}\n\n", malloc'd */
	size_t len;
	const char *perm;       /* the permission that reads its entity (NULL: any) */
} events_event;

/* An open stream as its business's hub knows it (the rest is the thread's). */
typedef struct events_stream {
	struct events_stream *prev, *next;
	char user[37], device[37];
	int end;                /* enum events_end, set under the hub's lock */
	int recheck;            /* the session must be checked again */
} events_stream;

/* The shared state of one business's open streams. The table's lock
 * guards refs, queued and the links; the hub's lock everything else. */
typedef struct events_hub {
	char business[37];
	pthread_mutex_t lock;
	pthread_cond_t cond;    /* broadcast on new events and on ends */
	int64_t last;           /* newest seq read; -1 until a stream set it */
	int64_t cover;          /* the ring holds every change after cover up to last */
	events_event ring[EVENTS_RING];
	int head, count;        /* the oldest entry's index, the number of entries */
	events_stream *streams;
	int refs;
	int queued;             /* waits for the listener to read the change log */
	struct events_hub *next, *next_queued;
} events_hub;

/* ---- settings and state of the process (events_main.c) */

extern atomic_int events_stopping;
extern int events_heartbeat;    /* seconds between two heartbeat comments */
extern int events_max_streams;

/* ---- hubs (events_hub.c) */

/* The hub of business, made when it has none; the caller holds a reference. */
events_hub *events_hub_get(const char *business);
/* Drops a reference; the last one frees the hub. */
void events_hub_put(events_hub *h);
/* Adds or removes a stream (under the hub's lock). */
void events_hub_join(events_hub *h, events_stream *s);
void events_hub_leave(events_hub *h, events_stream *s);
/* Sets the position of a hub that has none (seq: the business's current
 * sequence number) and asks the listener to read what follows it. */
void events_hub_start(events_hub *h, int64_t seq);
/* Reads the change log after the hub's position on c, appends to the ring
 * and wakes the streams. 1 when there may be more, 0, -1 on a database error. */
int events_hub_refresh(events_hub *h, PGconn *c);
/* Queues h for the listener to refresh (a reference is taken). */
void events_hub_queue(events_hub *h);
/* The next queued hub with its reference, or NULL. */
events_hub *events_hub_dequeue(void);
/* Queues the hub of business, if it has one: its change log grew. */
void events_hub_notify(const char *business);
/* Queues every hub: after the listener (re)connected. */
void events_hub_queue_all(void);
/* Ends the streams of business (all of them when user and device are NULL;
 * those of user or of device otherwise) with reason. */
void events_hub_end(const char *business, const char *user, const char *device, int reason);
/* Ends every stream with reason (stopping), or marks every stream for a
 * new session check (reason EVENTS_OPEN: the listener missed revocations). */
void events_hub_all(int reason);

/* ---- the listener thread (events_listen.c) */

/* Starts the thread that LISTENs on bahi_changes and bahi_revoked and keeps
 * the hubs current (its connection is made like the pool's). 0 or -1. */
int events_listen_start(void);
/* Wakes it (a hub was queued, or the process is stopping). */
void events_listen_wake(void);
/* Stops and joins it. */
void events_listen_stop(void);
/* 1 while its LISTEN connection is up. */
int events_listen_up(void);

/* ---- the database (events_db.c) */

/* Remembers the connection string and the number of connections the
 * streams share. */
void events_db_init(const char *conninfo, int size);
/* Closes every pooled connection (at exit). */
void events_db_close(void);
/* A new connection named application_name, or NULL (logged). */
PGconn *events_db_connect(const char *application_name);
/* A pooled connection (waiting for one to be free), connected; NULL when
 * the database is unreachable. Give it back with events_db_give. */
PGconn *events_db_take(void);
void events_db_give(PGconn *c);
/* Runs sql in a transaction scoped to business (set_config and the
 * statement in one round trip); the statement's result (PQclear it), or
 * NULL (logged). */
PGresult *events_db_tenant(PGconn *c, const char *business, const char *sql, int nparams,
                           const char *const *params);
/* events_db_tenant on a pooled connection (taken and given back); NULL
 * when the database is unreachable or the statement failed (logged). */
PGresult *events_db_run(const char *business, const char *sql, int nparams,
                        const char *const *params);
/* The change log of business after seq, at most limit rows in order: on c,
 * or on a pooled connection when c is NULL. */
PGresult *events_db_changes(PGconn *c, const char *business, int64_t after, int limit);
/* Appends row of an events_db_changes result to b as an SSE event; its
 * seq into *seq. 0, or -1 (b unchanged) when b is full. */
int events_db_format(bahi_buf *b, const PGresult *res, int row, int64_t *seq);
/* The permission that reads the entity of row (as sync pulls leave out
 * what the caller's role may not read), or NULL when any role may. */
const char *events_db_perm(const PGresult *res, int row);

/* The caller's session as bahi_session_authorize checks it: 0 (live, and
 * *seq the business's current sequence number), 401, 403 (the role may
 * not sync; role filled), or -1 when the database failed. */
typedef struct events_session {
	const char *business, *user, *device;
	long token_version;
	char role[8];
	int64_t seq;
} events_session;
int events_db_session(events_session *s);

/* ---- requests (events_stream.c) */

/* The thread of one accepted request (arg: its FCGX_Request, freed here). */
void *events_request_thread(void *arg);
/* Requests being served, streams open. */
extern atomic_int events_requests, events_streams;

#endif
