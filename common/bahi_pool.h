/* bahi_pool: per-request memory pool with cleanup callbacks (nginx-style). */
#ifndef BAHI_POOL_H
#define BAHI_POOL_H

#include <stddef.h>
#include <stdarg.h>

typedef struct bahi_pool bahi_pool;
typedef void (*bahi_cleanup_fn)(void *data);

bahi_pool *bahi_pool_create(void);
/* Runs every cleanup callback (last registered first), then frees all memory. */
void bahi_pool_destroy(bahi_pool *pool);

/* Allocations abort the process on out-of-memory: a worker cannot serve
 * anything sensible then, and the supervisor restarts it. */
void *bahi_pool_alloc(bahi_pool *pool, size_t size);
void *bahi_pool_calloc(bahi_pool *pool, size_t n, size_t size);
char *bahi_pool_strdup(bahi_pool *pool, const char *s);
char *bahi_pool_strndup(bahi_pool *pool, const char *s, size_t n);
char *bahi_pool_printf(bahi_pool *pool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *bahi_pool_vprintf(bahi_pool *pool, const char *fmt, va_list ap);

/* Registers fn(data) to run when the pool is destroyed. */
void bahi_pool_cleanup(bahi_pool *pool, bahi_cleanup_fn fn, void *data);
/* Runs the cleanup registered for data now and forgets it, for something
 * large the request is done with early (the latest registered is found
 * first). 0, or -1 when none is registered for data. */
int bahi_pool_release(bahi_pool *pool, void *data);

#endif
