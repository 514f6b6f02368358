/* bahi_image: product images: upload URLs, content checks, thumbnails and signed download links. */
#ifndef BAHI_IMAGE_H
#define BAHI_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct bahi_req;
struct cJSON;

/* Uploads larger than this are refused (413). */
#define BAHI_IMAGE_MAX_BYTES (5 * 1024 * 1024)
/* Thumbnails: longer side in pixels. */
#define BAHI_IMAGE_THUMB_SIDE 256
/* Upload URLs live this many seconds. */
#define BAHI_IMAGE_UPLOAD_TTL 900

/* The signed, expiring download URL of a stored image (its storage key, as
 * kept in products.image_key), in the request's pool; NULL when key is NULL. */
char *bahi_image_url(struct bahi_req *req, const char *key);
/* The same for the image's thumbnail (with S3 storage there is none: the
 * image's own URL). */
char *bahi_image_thumb_url(struct bahi_req *req, const char *key);

/* Locks the product for an image change: 0, or -1 with not_found when there
 * is no such product (deleted, another business's). Handlers call it before
 * validating the body, so a wrong id is 404 whatever the body. */
int bahi_image_product(struct bahi_req *req, const char *product_id);

/* POST /products/{id}/image: an upload URL for one image of content_type
 * ("image/jpeg", "image/png", "image/webp") and size bytes (validated by the
 * caller: 1..BAHI_IMAGE_MAX_BYTES) for the product, valid
 * BAHI_IMAGE_UPLOAD_TTL seconds: *out = {"upload_url", "method": "PUT",
 * "headers", "expires_at"}. Local storage: a single-use token of ours.
 * S3: a presigned PUT of a new key, which becomes the product's image_key at
 * once (version bumped, change logged). 0, or -1 with a problem (not_found). */
int bahi_image_request(struct bahi_req *req, const char *product_id, const char *content_type,
                       int64_t size, struct cJSON **out);

/* PUT /uploads/{token} (local storage): checks the token, the body (len
 * bytes, exactly the announced size; JPEG, PNG or WebP by content, of the
 * announced type, decodable), stores it and a thumbnail, and makes it the
 * product's image; the previous image's files are removed once the request
 * succeeds. Runs its own transactions (call it with none open).
 * *out = {"product_id", "image_url", "thumbnail_url", "content_type",
 * "size", "width", "height", "version"}. 0, or -1 with a problem. */
int bahi_image_upload(struct bahi_req *req, const char *token, const void *body, size_t len,
                      struct cJSON **out);

/* DELETE /products/{id}/image: clears the product's image (version bumped,
 * change logged); its files are removed once the request succeeds. 0, or -1
 * with not_found when there is no such product or it has no image. */
int bahi_image_delete(struct bahi_req *req, const char *product_id);

#endif
