/* events_hub: one hub per business with open streams: its recent events (read once for all its streams), its streams, and the listener's queue. */
#include "events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_log.h"

#define HUB_BUCKETS 1024

/* Every hub by business, and the hubs waiting for the listener. Lock
 * order: the table's lock, then a hub's; never the other way round. */
static struct {
	pthread_mutex_t lock;
	events_hub *bucket[HUB_BUCKETS];
	events_hub *queue_head, *queue_tail;
} table = {PTHREAD_MUTEX_INITIALIZER, {NULL}, NULL, NULL};

static unsigned
hub_hash(const char *business)
{
	unsigned h = 2166136261u;
	for (const char *p = business; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	return h % HUB_BUCKETS;
}

/* The hub of business in the table (its lock held), or NULL. */
static events_hub *
hub_find(const char *business)
{
	for (events_hub *h = table.bucket[hub_hash(business)]; h != NULL; h = h->next)
		if (strcmp(h->business, business) == 0)
			return h;
	return NULL;
}

static events_hub *
hub_new(const char *business)
{
	events_hub *h = calloc(1, sizeof(*h));
	pthread_condattr_t ca;
	if (h == NULL) {
		bahi_log_error(NULL, "out of memory for a hub");
		abort();
	}
	snprintf(h->business, sizeof(h->business), "%s", business);
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &ca);
	pthread_condattr_destroy(&ca);
	h->last = h->cover = -1;
	return h;
}

events_hub *
events_hub_get(const char *business)
{
	pthread_mutex_lock(&table.lock);
	events_hub *h = hub_find(business);
	if (h == NULL) {
		h = hub_new(business);
		unsigned b = hub_hash(business);
		h->next = table.bucket[b];
		table.bucket[b] = h;
	}
	h->refs++;
	pthread_mutex_unlock(&table.lock);
	return h;
}

static void
hub_free(events_hub *h)
{
	for (int i = 0; i < h->count; i++)
		free(h->ring[(h->head + i) % EVENTS_RING].text);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

void
events_hub_put(events_hub *h)
{
	pthread_mutex_lock(&table.lock);
	if (--h->refs > 0) {
		pthread_mutex_unlock(&table.lock);
		return;
	}
	/* a queued hub holds a reference, so it is not queued */
	events_hub **p = &table.bucket[hub_hash(h->business)];
	while (*p != h)
		p = &(*p)->next;
	*p = h->next;
	pthread_mutex_unlock(&table.lock);
	hub_free(h);
}

void
events_hub_join(events_hub *h, events_stream *s)
{
	s->prev = NULL;
	s->next = h->streams;
	if (h->streams != NULL)
		h->streams->prev = s;
	h->streams = s;
}

void
events_hub_leave(events_hub *h, events_stream *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		h->streams = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	s->prev = s->next = NULL;
}

/* Queues h unless it waits already (the table's lock held). */
static void
queue_locked(events_hub *h)
{
	if (h->queued)
		return;
	h->queued = 1;
	h->refs++;
	h->next_queued = NULL;
	if (table.queue_tail != NULL)
		table.queue_tail->next_queued = h;
	else
		table.queue_head = h;
	table.queue_tail = h;
}

void
events_hub_queue(events_hub *h)
{
	pthread_mutex_lock(&table.lock);
	queue_locked(h);
	pthread_mutex_unlock(&table.lock);
}

/* Queues the hub of business, when it has open streams: its log grew. */
void
events_hub_notify(const char *business)
{
	pthread_mutex_lock(&table.lock);
	events_hub *h = hub_find(business);
	if (h != NULL)
		queue_locked(h);
	pthread_mutex_unlock(&table.lock);
}

events_hub *
events_hub_dequeue(void)
{
	pthread_mutex_lock(&table.lock);
	events_hub *h = table.queue_head;
	if (h != NULL) {
		table.queue_head = h->next_queued;
		if (table.queue_head == NULL)
			table.queue_tail = NULL;
		h->queued = 0;
		h->next_queued = NULL;
	}
	pthread_mutex_unlock(&table.lock);
	return h;
}

void
events_hub_queue_all(void)
{
	pthread_mutex_lock(&table.lock);
	for (int b = 0; b < HUB_BUCKETS; b++)
		for (events_hub *h = table.bucket[b]; h != NULL; h = h->next)
			queue_locked(h);
	pthread_mutex_unlock(&table.lock);
}

void
events_hub_start(events_hub *h, int64_t seq)
{
	pthread_mutex_lock(&h->lock);
	int first = h->last < 0;
	if (first)
		h->last = h->cover = seq;
	pthread_mutex_unlock(&h->lock);
	/* Changes committed after seq may have been announced before the hub
	 * had a position, when the listener could not read them: read now. */
	if (first) {
		events_hub_queue(h);
		events_listen_wake();
	}
}

/* Appends one event to the ring, dropping the oldest when it is full (the
 * hub's lock held). */
static void
ring_push(events_hub *h, int64_t seq, const char *text, size_t len, const char *perm)
{
	if (h->count == EVENTS_RING) {
		events_event *old = &h->ring[h->head];
		h->cover = old->seq;
		free(old->text);
		h->head = (h->head + 1) % EVENTS_RING;
		h->count--;
	}
	events_event *e = &h->ring[(h->head + h->count) % EVENTS_RING];
	e->text = malloc(len + 1);
	if (e->text == NULL) {
		bahi_log_error(NULL, "out of memory for an event");
		abort();
	}
	memcpy(e->text, text, len + 1);
	e->len = len;
	e->seq = seq;
	e->perm = perm;
	h->count++;
	h->last = seq;
}

int
events_hub_refresh(events_hub *h, PGconn *c)
{
	/* only the listener moves a started hub's position */
	pthread_mutex_lock(&h->lock);
	int64_t after = h->last;
	pthread_mutex_unlock(&h->lock);
	if (after < 0)
		return 0;
	PGresult *res = events_db_changes(c, h->business, after, EVENTS_RING);
	if (res == NULL)
		return -1;
	int n = PQntuples(res);
	bahi_buf b;
	bahi_buf_init(&b, 64 * 1024);
	pthread_mutex_lock(&h->lock);
	for (int i = 0; i < n; i++) {
		int64_t seq;
		bahi_buf_reset(&b);
		if (events_db_format(&b, res, i, &seq) == 0 && seq > h->last)
			ring_push(h, seq, b.data, b.len, events_db_perm(res, i));
	}
	if (n > 0)
		pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
	bahi_buf_free(&b);
	PQclear(res);
	return n == EVENTS_RING;
}

/* Ends h's streams matching user or device (all when both are NULL). */
static void
hub_end(events_hub *h, const char *user, const char *device, int reason)
{
	pthread_mutex_lock(&h->lock);
	for (events_stream *s = h->streams; s != NULL; s = s->next) {
		if ((user != NULL && strcmp(s->user, user) != 0) ||
		    (device != NULL && strcmp(s->device, device) != 0))
			continue;
		if (reason == EVENTS_OPEN)
			s->recheck = 1;
		else if (s->end == EVENTS_OPEN)
			s->end = reason;
	}
	pthread_cond_broadcast(&h->cond);
	pthread_mutex_unlock(&h->lock);
}

void
events_hub_end(const char *business, const char *user, const char *device, int reason)
{
	pthread_mutex_lock(&table.lock);
	events_hub *h = hub_find(business);
	if (h != NULL)
		h->refs++;
	pthread_mutex_unlock(&table.lock);
	if (h == NULL)
		return;
	hub_end(h, user, device, reason);
	events_hub_put(h);
}

void
events_hub_all(int reason)
{
	pthread_mutex_lock(&table.lock);
	for (int b = 0; b < HUB_BUCKETS; b++)
		for (events_hub *h = table.bucket[b]; h != NULL; h = h->next)
			hub_end(h, NULL, NULL, reason);
	pthread_mutex_unlock(&table.lock);
}
