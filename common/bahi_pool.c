/* bahi_pool: a bump allocator over linked blocks, plus a cleanup list. */
#include "bahi_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POOL_BLOCK_SIZE 8192
#define POOL_ALIGN 16

typedef struct pool_block {
	struct pool_block *next;
	size_t used, size;
	unsigned char data[];
} pool_block;

typedef struct pool_cleanup {
	struct pool_cleanup *next;
	bahi_cleanup_fn fn;
	void *data;
} pool_cleanup;

struct bahi_pool {
	pool_block *blocks;     /* current block first */
	pool_block *large;      /* oversized allocations, one block each */
	pool_cleanup *cleanups; /* most recent first */
};

static void *
xmalloc(size_t n)
{
	void *p = malloc(n);
	if (p == NULL) {
		fputs("{\"level\":\"fatal\",\"msg\":\"out of memory\"}\n", stderr);
		abort();
	}
	return p;
}

static pool_block *
block_new(size_t size)
{
	pool_block *b = xmalloc(sizeof(*b) + size);
	b->next = NULL;
	b->used = 0;
	b->size = size;
	return b;
}

bahi_pool *
bahi_pool_create(void)
{
	bahi_pool *pool = xmalloc(sizeof(*pool));
	pool->blocks = block_new(POOL_BLOCK_SIZE);
	pool->large = NULL;
	pool->cleanups = NULL;
	return pool;
}

static void
free_blocks(pool_block *b)
{
	while (b != NULL) {
		pool_block *next = b->next;
		free(b);
		b = next;
	}
}

void
bahi_pool_destroy(bahi_pool *pool)
{
	if (pool == NULL)
		return;
	for (pool_cleanup *c = pool->cleanups; c != NULL; c = c->next)
		c->fn(c->data);
	free_blocks(pool->blocks);
	free_blocks(pool->large);
	free(pool);
}

void *
bahi_pool_alloc(bahi_pool *pool, size_t size)
{
	size_t need = (size + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1);
	if (need == 0)
		need = POOL_ALIGN;
	if (need > POOL_BLOCK_SIZE / 4) {
		pool_block *b = block_new(need);
		b->next = pool->large;
		pool->large = b;
		return b->data;
	}
	pool_block *cur = pool->blocks;
	if (cur->size - cur->used < need) {
		cur = block_new(POOL_BLOCK_SIZE);
		cur->next = pool->blocks;
		pool->blocks = cur;
	}
	void *p = cur->data + cur->used;
	cur->used += need;
	return p;
}

void *
bahi_pool_calloc(bahi_pool *pool, size_t n, size_t size)
{
	if (size != 0 && n > (size_t)-1 / size) {
		fputs("{\"level\":\"fatal\",\"msg\":\"pool calloc overflow\"}\n", stderr);
		abort();
	}
	void *p = bahi_pool_alloc(pool, n * size);
	memset(p, 0, n * size);
	return p;
}

char *
bahi_pool_strndup(bahi_pool *pool, const char *s, size_t n)
{
	char *d = bahi_pool_alloc(pool, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *
bahi_pool_strdup(bahi_pool *pool, const char *s)
{
	return s == NULL ? NULL : bahi_pool_strndup(pool, s, strlen(s));
}

char *
bahi_pool_vprintf(bahi_pool *pool, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return bahi_pool_strdup(pool, "");
	char *s = bahi_pool_alloc(pool, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
bahi_pool_printf(bahi_pool *pool, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = bahi_pool_vprintf(pool, fmt, ap);
	va_end(ap);
	return s;
}

void
bahi_pool_cleanup(bahi_pool *pool, bahi_cleanup_fn fn, void *data)
{
	pool_cleanup *c = bahi_pool_alloc(pool, sizeof(*c));
	c->fn = fn;
	c->data = data;
	c->next = pool->cleanups;
	pool->cleanups = c;
}

int
bahi_pool_release(bahi_pool *pool, void *data)
{
	for (pool_cleanup **c = &pool->cleanups; *c != NULL; c = &(*c)->next) {
		if ((*c)->data != data)
			continue;
		pool_cleanup *found = *c;
		*c = found->next;
		found->fn(found->data);
		return 0;
	}
	return -1;
}
