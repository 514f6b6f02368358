/* bahi_image: product images: upload URLs, content checks, thumbnails and signed download links. */
#ifndef BAHI_IMAGE_H
#define BAHI_IMAGE_H

struct bahi_req;

/* The signed, expiring download URL of a stored image (its storage key, as
 * kept in products.image_key), in the request's pool; NULL when key is NULL. */
char *bahi_image_url(struct bahi_req *req, const char *key);

#endif
