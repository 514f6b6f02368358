/* bahi_imgcodec: recognises JPEG, PNG and WebP by content, reads their header dimensions and makes upright thumbnails with libgd. */
#include "bahi_imgcodec.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include <gd.h>

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};

bahi_imgtype
bahi_img_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (n >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return BAHI_IMG_JPEG;
	if (n >= 8 && memcmp(p, png_magic, 8) == 0)
		return BAHI_IMG_PNG;
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return BAHI_IMG_WEBP;
	return BAHI_IMG_UNKNOWN;
}

static const struct {
	bahi_imgtype type;
	const char *mime, *ext;
} img_types[] = {
	{BAHI_IMG_JPEG, "image/jpeg", "jpg"},
	{BAHI_IMG_PNG, "image/png", "png"},
	{BAHI_IMG_WEBP, "image/webp", "webp"},
};

#define NTYPES (sizeof(img_types) / sizeof(img_types[0]))

const char *
bahi_img_mime(bahi_imgtype t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (img_types[i].type == t)
			return img_types[i].mime;
	return NULL;
}

const char *
bahi_img_ext(bahi_imgtype t)
{
	for (size_t i = 0; i < NTYPES; i++)
		if (img_types[i].type == t)
			return img_types[i].ext;
	return NULL;
}

bahi_imgtype
bahi_img_from_mime(const char *mime)
{
	for (size_t i = 0; mime != NULL && i < NTYPES; i++)
		if (strcmp(img_types[i].mime, mime) == 0)
			return img_types[i].type;
	return BAHI_IMG_UNKNOWN;
}

static unsigned
rd16(const unsigned char *p, int le)
{
	return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t
rd32(const unsigned char *p, int le)
{
	return le ? (uint32_t)rd16(p, 1) | (uint32_t)rd16(p + 2, 1) << 16 :
	            (uint32_t)rd16(p, 0) << 16 | (uint32_t)rd16(p + 2, 0);
}

/* The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" payload, or 1. */
static int
exif_orientation(const unsigned char *p, size_t n)
{
	if (n < 14 || memcmp(p, "Exif\0\0", 6) != 0)
		return 1;
	const unsigned char *t = p + 6;
	size_t tn = n - 6;
	int le = memcmp(t, "II", 2) == 0;
	if ((!le && memcmp(t, "MM", 2) != 0) || rd16(t + 2, le) != 42)
		return 1;
	uint32_t ifd = rd32(t + 4, le);
	if (ifd > tn || tn - ifd < 2)
		return 1;
	unsigned count = rd16(t + ifd, le);
	for (unsigned i = 0; i < count; i++) {
		size_t e = ifd + 2 + (size_t)i * 12;
		if (e + 12 > tn)
			break;
		if (rd16(t + e, le) == 0x0112 && rd16(t + e + 2, le) == 3) {
			unsigned o = rd16(t + e + 8, le);
			return o >= 1 && o <= 8 ? (int)o : 1;
		}
	}
	return 1;
}

/* Walks the JPEG markers up to the first start-of-frame, noting APP1 Exif. */
static int
jpeg_info(const unsigned char *p, size_t n, bahi_img_info *info)
{
	size_t i = 2;
	while (i + 4 <= n) {
		unsigned m = p[i + 1];
		if (p[i] != 0xff)
			return -1;
		if (m == 0xff) {                /* fill byte */
			i++;
			continue;
		}
		if (m == 0x01 || (m >= 0xd0 && m <= 0xd8)) {   /* no length */
			i += 2;
			continue;
		}
		if (m == 0xd9 || m == 0xda)     /* end or scan before any frame */
			return -1;
		size_t len = rd16(p + i + 2, 0);
		if (len < 2 || i + 2 + len > n)
			return -1;
		if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
			if (len < 7)
				return -1;
			info->height = (int)rd16(p + i + 5, 0);
			info->width = (int)rd16(p + i + 7, 0);
			return info->width > 0 && info->height > 0 ? 0 : -1;
		}
		if (m == 0xe1 && info->orientation == 1)
			info->orientation = exif_orientation(p + i + 4, len - 2);
		i += 2 + len;
	}
	return -1;
}

/* PNG: the IHDR chunk right after the signature. */
static int
png_info(const unsigned char *p, size_t n, bahi_img_info *info)
{
	if (n < 24 || memcmp(p + 12, "IHDR", 4) != 0)
		return -1;
	uint32_t w = rd32(p + 16, 0), h = rd32(p + 20, 0);
	if (w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff)
		return -1;
	info->width = (int)w;
	info->height = (int)h;
	return 0;
}

/* WebP: the first chunk, lossy (VP8), lossless (VP8L) or extended (VP8X). */
static int
webp_info(const unsigned char *p, size_t n, bahi_img_info *info)
{
	if (n < 30 && !(n >= 25 && memcmp(p + 12, "VP8L", 4) == 0))
		return -1;
	if (memcmp(p + 12, "VP8 ", 4) == 0) {
		if (p[23] != 0x9d || p[24] != 0x01 || p[25] != 0x2a)
			return -1;
		info->width = (int)(rd16(p + 26, 1) & 0x3fff);
		info->height = (int)(rd16(p + 28, 1) & 0x3fff);
	} else if (memcmp(p + 12, "VP8L", 4) == 0) {
		if (p[20] != 0x2f)
			return -1;
		uint32_t b = rd32(p + 21, 1);
		info->width = (int)(b & 0x3fff) + 1;
		info->height = (int)((b >> 14) & 0x3fff) + 1;
	} else if (memcmp(p + 12, "VP8X", 4) == 0) {
		info->width = (int)((uint32_t)p[24] | (uint32_t)p[25] << 8 | (uint32_t)p[26] << 16) + 1;
		info->height = (int)((uint32_t)p[27] | (uint32_t)p[28] << 8 | (uint32_t)p[29] << 16) + 1;
	} else {
		return -1;
	}
	return info->width > 0 && info->height > 0 ? 0 : -1;
}

int
bahi_img_info_read(const void *data, size_t n, bahi_imgtype t, bahi_img_info *info)
{
	memset(info, 0, sizeof(*info));
	info->orientation = 1;
	if (bahi_img_sniff(data, n) != t)
		return -1;
	switch (t) {
	case BAHI_IMG_JPEG:
		return jpeg_info(data, n, info);
	case BAHI_IMG_PNG:
		return png_info(data, n, info);
	case BAHI_IMG_WEBP:
		return webp_info(data, n, info);
	default:
		return -1;
	}
}

/* libgd reports decoding trouble on stderr; the worker's log is JSON lines,
 * and a bad upload is the client's problem, answered with 415. */
static void
gd_quiet(int priority, const char *format, va_list args)
{
	(void)priority;
	(void)format;
	(void)args;
}

static gdImagePtr
decode(const void *data, size_t n, bahi_imgtype t)
{
	void *p = (void *)(uintptr_t)data;  /* libgd does not write through it */
	gdSetErrorMethod(gd_quiet);
	switch (t) {
	case BAHI_IMG_JPEG:
		return gdImageCreateFromJpegPtrEx((int)n, p, 1);
	case BAHI_IMG_PNG:
		return gdImageCreateFromPngPtr((int)n, p);
	case BAHI_IMG_WEBP:
		return gdImageCreateFromWebpPtr((int)n, p);
	default:
		return NULL;
	}
}

/* A true-colour copy of src whose longer side is at most side, alpha kept. */
static gdImagePtr
scale(gdImagePtr src, int side)
{
	int w = gdImageSX(src), h = gdImageSY(src), tw = w, th = h;
	if (w > side || h > side) {
		long big = w > h ? w : h;
		tw = (int)(((long)w * side + big / 2) / big);
		th = (int)(((long)h * side + big / 2) / big);
		tw = tw < 1 ? 1 : tw;
		th = th < 1 ? 1 : th;
	}
	gdImagePtr dst = gdImageCreateTrueColor(tw, th);
	if (dst == NULL)
		return NULL;
	gdImageAlphaBlending(dst, 0);
	gdImageSaveAlpha(dst, 1);
	gdImageCopyResampled(dst, src, 0, 0, 0, 0, tw, th, w, h);
	return dst;
}

/* Turns im upright for EXIF orientation o (2..8: mirrored and/or rotated). */
static gdImagePtr
orient(gdImagePtr im, int o)
{
	int w = gdImageSX(im), h = gdImageSY(im), swap = o >= 5;
	gdImagePtr dst = gdImageCreateTrueColor(swap ? h : w, swap ? w : h);
	if (dst == NULL)
		return NULL;
	gdImageAlphaBlending(dst, 0);
	gdImageSaveAlpha(dst, 1);
	for (int y = 0; y < gdImageSY(dst); y++) {
		for (int x = 0; x < gdImageSX(dst); x++) {
			int sx = x, sy = y;
			switch (o) {
			case 2: sx = w - 1 - x; break;
			case 3: sx = w - 1 - x; sy = h - 1 - y; break;
			case 4: sy = h - 1 - y; break;
			case 5: sx = y; sy = x; break;
			case 6: sx = y; sy = h - 1 - x; break;
			case 7: sx = w - 1 - y; sy = h - 1 - x; break;
			case 8: sx = w - 1 - y; sy = x; break;
			default: break;
			}
			gdImageSetPixel(dst, x, y, gdImageGetTrueColorPixel(im, sx, sy));
		}
	}
	return dst;
}

static void *
encode(gdImagePtr im, bahi_imgtype t, int *size)
{
	switch (t) {
	case BAHI_IMG_JPEG:
		return gdImageJpegPtr(im, size, 85);
	case BAHI_IMG_PNG:
		return gdImagePngPtrEx(im, size, 9);
	case BAHI_IMG_WEBP:
		return gdImageWebpPtrEx(im, size, 80);
	default:
		return NULL;
	}
}

int
bahi_img_thumbnail(const void *data, size_t n, bahi_imgtype t, int side, void **out,
                   size_t *outlen, bahi_img_info *info)
{
	*out = NULL;
	*outlen = 0;
	if (n > 0x7fffffff || bahi_img_info_read(data, n, t, info) != 0)
		return BAHI_IMG_UNDECODABLE;
	if (info->width > BAHI_IMG_MAX_SIDE || info->height > BAHI_IMG_MAX_SIDE ||
	    (long)info->width * info->height > BAHI_IMG_MAX_PIXELS)
		return BAHI_IMG_TOO_LARGE;
	gdImagePtr src = decode(data, n, t);
	if (src == NULL)
		return BAHI_IMG_UNDECODABLE;
	gdImagePtr th = scale(src, side);
	gdImageDestroy(src);
	if (th != NULL && info->orientation > 1) {
		gdImagePtr up = orient(th, info->orientation);
		gdImageDestroy(th);
		th = up;
	}
	if (th == NULL)
		return BAHI_IMG_UNDECODABLE;
	int size = 0;
	*out = encode(th, t, &size);
	gdImageDestroy(th);
	if (*out == NULL || size <= 0) {
		bahi_img_free(*out);
		*out = NULL;
		return BAHI_IMG_UNDECODABLE;
	}
	*outlen = (size_t)size;
	return BAHI_IMG_OK;
}

void
bahi_img_free(void *p)
{
	if (p != NULL)
		gdFree(p);
}
