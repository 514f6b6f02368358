/* bahi_imgcodec: image content checks (type by magic bytes, header dimensions, EXIF orientation) and thumbnails with libgd. */
#ifndef BAHI_IMGCODEC_H
#define BAHI_IMGCODEC_H

#include <stddef.h>

/* Decoding refuses images larger than this (a small file can declare a huge
 * canvas: 40 megapixels is 160 MB decoded). */
#define BAHI_IMG_MAX_SIDE 12000
#define BAHI_IMG_MAX_PIXELS 40000000L

typedef enum bahi_imgtype {
	BAHI_IMG_UNKNOWN = 0,
	BAHI_IMG_JPEG,
	BAHI_IMG_PNG,
	BAHI_IMG_WEBP
} bahi_imgtype;

/* The type the content's first bytes announce: JPEG FF D8 FF, PNG
 * 89 50 4E 47 0D 0A 1A 0A, WebP "RIFF" <size> "WEBP". */
bahi_imgtype bahi_img_sniff(const void *data, size_t n);
/* "image/jpeg", "image/png", "image/webp" and back (UNKNOWN for others). */
const char *bahi_img_mime(bahi_imgtype t);
bahi_imgtype bahi_img_from_mime(const char *mime);
/* The file name extension: "jpg", "png", "webp". */
const char *bahi_img_ext(bahi_imgtype t);

typedef struct bahi_img_info {
	int width, height;    /* as stored */
	int orientation;      /* EXIF orientation 1..8 (JPEG); 1 when absent */
} bahi_img_info;

/* Reads the dimensions (and a JPEG's EXIF orientation) from the headers of
 * an image of type t, without decoding it. 0, or -1 when they are missing
 * or malformed. */
int bahi_img_info_read(const void *data, size_t n, bahi_imgtype t, bahi_img_info *info);

/* Result of bahi_img_thumbnail. */
#define BAHI_IMG_OK 0
#define BAHI_IMG_UNDECODABLE (-1)
#define BAHI_IMG_TOO_LARGE (-2)

/* Decodes the image (type t) and encodes, in the same format, a copy whose
 * longer side is at most side pixels, turned upright by its EXIF
 * orientation. *out (free with bahi_img_free) and *outlen receive it, info
 * the source's header data. BAHI_IMG_OK, BAHI_IMG_TOO_LARGE (over
 * BAHI_IMG_MAX_SIDE or BAHI_IMG_MAX_PIXELS, refused before decoding) or
 * BAHI_IMG_UNDECODABLE. */
int bahi_img_thumbnail(const void *data, size_t n, bahi_imgtype t, int side,
                       void **out, size_t *outlen, bahi_img_info *info);
void bahi_img_free(void *p);

#endif
