/* bahi_s3: AWS Signature Version 4 query-string presigning (S3-compatible storage) with libsodium's HMAC-SHA256. */
#ifndef BAHI_S3_H
#define BAHI_S3_H

#include <stddef.h>
#include <time.h>

struct bahi_pool;

/* SigV4 presigned URLs live at most seven days. */
#define BAHI_S3_MAX_EXPIRES 604800L

typedef struct bahi_s3_cfg {
	const char *endpoint;    /* "https://s3.amazonaws.com", "http://127.0.0.1:9000": scheme and host[:port] */
	const char *region;      /* "us-east-1" */
	const char *bucket;
	const char *access_key;
	const char *secret_key;
	int path_style;          /* 1: <endpoint>/<bucket>/<key>; 0: <scheme>://<bucket>.<host>/<key> */
} bahi_s3_cfg;

/* A header the URL's user must send with exactly this value (a signed
 * header): name in lower case, e.g. {"content-type", "image/png"}. */
typedef struct bahi_s3_header {
	const char *name;
	const char *value;
} bahi_s3_header;

/* A presigned URL for method ("GET", "PUT", "DELETE") on the object key
 * (its path inside the bucket, without a leading '/'), signed at t and valid
 * for expires seconds (1..BAHI_S3_MAX_EXPIRES), with the payload unsigned.
 * host and the nh headers of hdrs (at most 4) are signed. In pool; NULL when
 * the configuration or an argument is unusable. */
char *bahi_s3_presign(struct bahi_pool *pool, const bahi_s3_cfg *cfg, const char *method,
                      const char *key, time_t t, long expires,
                      const bahi_s3_header *hdrs, size_t nh);

#endif
