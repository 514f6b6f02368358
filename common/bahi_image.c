/* bahi_image: product images (placeholder until the image module lands). */
#include "bahi_image.h"

#include <stddef.h>

char *
bahi_image_url(struct bahi_req *req, const char *key)
{
	(void)req;
	(void)key;
	return NULL;
}
