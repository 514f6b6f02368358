/* check_files: unit tests for MD5 (RFC 1321 vectors), signed /files/ links, S3 SigV4 presigning (AWS's example) and image checks. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../check_run.h"
#include <gd.h>

#include "bahi_imgcodec.h"
#include "bahi_link.h"
#include "bahi_md5.h"
#include "bahi_pool.h"
#include "bahi_random.h"
#include "bahi_s3.h"

static void
md5_hex(const char *s, char out[33])
{
	unsigned char d[BAHI_MD5_LEN];
	static const char hex[] = "0123456789abcdef";
	bahi_md5(s, strlen(s), d);
	for (int i = 0; i < BAHI_MD5_LEN; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[32] = '\0';
}

/* The test suite of RFC 1321, appendix A.5. */
START_TEST(md5_rfc1321_vectors)
{
	static const char *const v[][2] = {
		{"", "d41d8cd98f00b204e9800998ecf8427e"},
		{"a", "0cc175b9c0f1b6a831c399e269772661"},
		{"abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		{"abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"},
		{"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		 "d174ab98d277d9f5a5611c2c9f419d9f"},
		{"1234567890123456789012345678901234567890"
		 "1234567890123456789012345678901234567890",
		 "57edf4a22be3c955ac49da2e2107b67a"},
	};
	char out[33];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		md5_hex(v[i][0], out);
		ck_assert_str_eq(out, v[i][1]);
	}
}
END_TEST

/* Feeding the message in pieces across block boundaries gives the same digest;
 * lengths 55, 56 and 64 exercise the padding edge cases. */
START_TEST(md5_incremental_and_padding_edges)
{
	char msg[200];
	unsigned char one[BAHI_MD5_LEN], parts[BAHI_MD5_LEN];
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);
	for (size_t len = 50; len < 140; len++) {
		bahi_md5(msg, len, one);
		bahi_md5_ctx c;
		bahi_md5_init(&c);
		for (size_t off = 0; off < len; off += 7)
			bahi_md5_update(&c, msg + off, len - off < 7 ? len - off : 7);
		bahi_md5_final(&c, parts);
		ck_assert_mem_eq(one, parts, BAHI_MD5_LEN);
	}
	char out[33];
	/* 55, 56 and 64 bytes of 'a' (values from coreutils md5sum) */
	md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out);
	ck_assert_str_eq(out, "ef1772b6dff9a122358552954ad0df65");
	md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out);
	ck_assert_str_eq(out, "3b0c8ac703f828b04c6c197006d17218");
	md5_hex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", out);
	ck_assert_str_eq(out, "014842d480b571495a4a0363793f7367");
}
END_TEST

/* The example of nginx/snippets/bahi-files.conf:
 *   printf '%s' "1767225600/files/b1/p1.jpg secret" | openssl md5 -binary | base64url */
START_TEST(link_signature_matches_nginx_example)
{
	char sig[BAHI_LINK_SIG_LEN + 1];
	bahi_link_signature("/files/b1/p1.jpg", 1767225600LL, "secret", sig);
	ck_assert_str_eq(sig, "vfHe7v7-PVK6mDda4eDWmQ");
	ck_assert_uint_eq(strlen(sig), BAHI_LINK_SIG_LEN);
}
END_TEST

START_TEST(link_format)
{
	bahi_pool *pool = bahi_pool_create();
	char *u = bahi_link_make(pool, "http://127.0.0.1:8080/", "b1/p1.jpg", 1767225600LL, "secret");
	ck_assert_str_eq(u, "http://127.0.0.1:8080/files/b1/p1.jpg?e=1767225600&s=vfHe7v7-PVK6mDda4eDWmQ");
	u = bahi_link_make(pool, "https://bahi.example.com", "b1/p1.jpg", 1767225600LL, "secret");
	ck_assert_str_eq(u, "https://bahi.example.com/files/b1/p1.jpg?e=1767225600&s=vfHe7v7-PVK6mDda4eDWmQ");
	/* another expiry or secret is another signature (values from openssl md5) */
	u = bahi_link_make(pool, "", "b1/p1.jpg", 1767225601LL, "secret");
	ck_assert_str_eq(u, "/files/b1/p1.jpg?e=1767225601&s=XVDAP1Zw2RlYy5A1hQQBkA");
	u = bahi_link_make(pool, "", "b1/p1.jpg", 1767225600LL, "secreT");
	ck_assert_str_eq(u, "/files/b1/p1.jpg?e=1767225600&s=aMXH7eqlNIewLddF5JWRNQ");
	ck_assert_ptr_null(bahi_link_make(pool, "", "../etc/passwd", 1767225600LL, "secret"));
	ck_assert_ptr_null(bahi_link_make(pool, "", "b1/p1.jpg", 1767225600LL, ""));
	bahi_pool_destroy(pool);
}
END_TEST

START_TEST(link_keys)
{
	ck_assert_int_eq(bahi_link_key_ok("0190c2a4-0000-7000-8000-000000000001/products/x/Ab_9-z.jpg"), 1);
	ck_assert_int_eq(bahi_link_key_ok("a"), 1);
	static const char *const bad[] = {
		"", "/a", "a/", "a//b", "../a", "a/../b", "a/./b", "a/.hidden", ".up-x",
		"a b", "a?b", "a%2Fb", "a\\b", "a#b", "caf\xc3\xa9",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bahi_link_key_ok(bad[i]) == 0, "accepted '%s'", bad[i]);
	char longkey[302];
	memset(longkey, 'a', 301);
	longkey[301] = '\0';
	ck_assert_int_eq(bahi_link_key_ok(longkey), 0);
	longkey[300] = '\0';
	ck_assert_int_eq(bahi_link_key_ok(longkey), 1);
}
END_TEST

static const bahi_s3_cfg aws_example = {
	"https://s3.amazonaws.com", "us-east-1", "examplebucket",
	"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", 0,
};

/* 2013-05-24T00:00:00Z */
#define AWS_EXAMPLE_TIME ((time_t)1369353600)

/* "Example: presigned URL" of the S3 API reference, "Authenticating Requests:
 * Using Query Parameters (AWS Signature Version 4)": GET /test.txt from
 * examplebucket, 24 hours, with the documented signature. */
START_TEST(s3_aws_published_example)
{
	bahi_pool *pool = bahi_pool_create();
	char *u = bahi_s3_presign(pool, &aws_example, "GET", "test.txt", AWS_EXAMPLE_TIME, 86400,
	                          NULL, 0);
	ck_assert_str_eq(u,
		"https://examplebucket.s3.amazonaws.com/test.txt"
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256"
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
		"&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
	bahi_pool_destroy(pool);
}
END_TEST

/* The same request, path-style and with signed headers: the shape of the
 * upload URLs bahi hands out (the signature differs, since the canonical
 * request does). */
START_TEST(s3_put_shape)
{
	bahi_pool *pool = bahi_pool_create();
	bahi_s3_cfg cfg = aws_example;
	cfg.endpoint = "http://127.0.0.1:9000/";
	cfg.path_style = 1;
	bahi_s3_header h[2] = {{"content-type", "image/png"}, {"content-length", "1234"}};
	char *u = bahi_s3_presign(pool, &cfg, "PUT", "b1/products/p1/x y~.png", AWS_EXAMPLE_TIME,
	                          900, h, 2);
	const char *want =
		"http://127.0.0.1:9000/examplebucket/b1/products/p1/x%20y~.png"
		"?X-Amz-Algorithm=AWS4-HMAC-SHA256"
		"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request"
		"&X-Amz-Date=20130524T000000Z&X-Amz-Expires=900"
		"&X-Amz-SignedHeaders=content-length%3Bcontent-type%3Bhost&X-Amz-Signature=";
	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(strncmp(u, want, strlen(want)), 0);
	const char *sig = u + strlen(want);
	ck_assert_uint_eq(strlen(sig), 64);
	ck_assert_uint_eq(strspn(sig, "0123456789abcdef"), 64);
	/* the order the headers are given in does not matter */
	bahi_s3_header r[2] = {h[1], h[0]};
	ck_assert_str_eq(bahi_s3_presign(pool, &cfg, "PUT", "b1/products/p1/x y~.png",
	                                 AWS_EXAMPLE_TIME, 900, r, 2), u);
	/* a different content type is a different signature */
	h[0].value = "image/jpeg";
	ck_assert_str_ne(bahi_s3_presign(pool, &cfg, "PUT", "b1/products/p1/x y~.png",
	                                 AWS_EXAMPLE_TIME, 900, h, 2), u);
	bahi_pool_destroy(pool);
}
END_TEST

START_TEST(s3_refuses_unusable_input)
{
	bahi_pool *pool = bahi_pool_create();
	bahi_s3_cfg cfg = aws_example;
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "/test.txt", AWS_EXAMPLE_TIME, 60, NULL, 0));
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "", AWS_EXAMPLE_TIME, 60, NULL, 0));
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "a", AWS_EXAMPLE_TIME, 0, NULL, 0));
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "a", AWS_EXAMPLE_TIME, 604801, NULL, 0));
	ck_assert_ptr_nonnull(bahi_s3_presign(pool, &cfg, "GET", "a", AWS_EXAMPLE_TIME, 604800, NULL, 0));
	bahi_s3_header h[1] = {{"Content-Type", "image/png"}};
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "PUT", "a", AWS_EXAMPLE_TIME, 60, h, 1));
	h[0] = (bahi_s3_header){"content-type", "image/png\r\nx-evil: 1"};
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "PUT", "a", AWS_EXAMPLE_TIME, 60, h, 1));
	cfg.secret_key = "";
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "a", AWS_EXAMPLE_TIME, 60, NULL, 0));
	cfg = aws_example;
	cfg.endpoint = "s3.amazonaws.com";
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "a", AWS_EXAMPLE_TIME, 60, NULL, 0));
	cfg.endpoint = "https://s3.amazonaws.com/prefix";
	ck_assert_ptr_null(bahi_s3_presign(pool, &cfg, "GET", "a", AWS_EXAMPLE_TIME, 60, NULL, 0));
	bahi_pool_destroy(pool);
}
END_TEST

/* A w x h image encoded as t by libgd; free with gdFree. */
static void *
gd_image(bahi_imgtype t, int w, int h, size_t *len)
{
	gdImagePtr im = gdImageCreateTrueColor(w, h);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			gdImageSetPixel(im, x, y, gdTrueColor(x * 255 / w, y * 255 / h, 0));
	int size = 0;
	void *p = t == BAHI_IMG_JPEG ? gdImageJpegPtr(im, &size, 95) :
	          t == BAHI_IMG_PNG ? gdImagePngPtr(im, &size) : gdImageWebpPtr(im, &size);
	gdImageDestroy(im);
	*len = (size_t)size;
	return p;
}

START_TEST(img_sniff)
{
	ck_assert_int_eq(bahi_img_sniff("\xff\xd8\xff\xe0", 4), BAHI_IMG_JPEG);
	ck_assert_int_eq(bahi_img_sniff("\xff\xd8", 2), BAHI_IMG_UNKNOWN);
	ck_assert_int_eq(bahi_img_sniff("\x89PNG\r\n\x1a\n", 8), BAHI_IMG_PNG);
	ck_assert_int_eq(bahi_img_sniff("\x89PNG\r\n\x1a", 7), BAHI_IMG_UNKNOWN);
	ck_assert_int_eq(bahi_img_sniff("\x89PNG\n\n\x1a\n", 8), BAHI_IMG_UNKNOWN);
	ck_assert_int_eq(bahi_img_sniff("RIFF\x10\0\0\0WEBPVP8 ", 16), BAHI_IMG_WEBP);
	ck_assert_int_eq(bahi_img_sniff("RIFF\x10\0\0\0WAVEfmt ", 16), BAHI_IMG_UNKNOWN);
	ck_assert_int_eq(bahi_img_sniff("GIF89a", 6), BAHI_IMG_UNKNOWN);
	ck_assert_int_eq(bahi_img_sniff("", 0), BAHI_IMG_UNKNOWN);
	ck_assert_str_eq(bahi_img_mime(BAHI_IMG_WEBP), "image/webp");
	ck_assert_str_eq(bahi_img_ext(BAHI_IMG_JPEG), "jpg");
	ck_assert_int_eq(bahi_img_from_mime("image/png"), BAHI_IMG_PNG);
	ck_assert_int_eq(bahi_img_from_mime("image/gif"), BAHI_IMG_UNKNOWN);
	ck_assert_ptr_null(bahi_img_mime(BAHI_IMG_UNKNOWN));
}
END_TEST

/* Dimensions from libgd's own files, and from hand-made WebP headers of the
 * three kinds (lossy, lossless, extended). */
START_TEST(img_info_headers)
{
	static const bahi_imgtype types[] = {BAHI_IMG_JPEG, BAHI_IMG_PNG, BAHI_IMG_WEBP};
	bahi_img_info info;
	for (size_t i = 0; i < 3; i++) {
		size_t len;
		void *p = gd_image(types[i], 123, 45, &len);
		ck_assert_int_eq(bahi_img_info_read(p, len, types[i], &info), 0);
		ck_assert_int_eq(info.width, 123);
		ck_assert_int_eq(info.height, 45);
		ck_assert_int_eq(info.orientation, 1);
		/* the header, cut short, is refused */
		ck_assert_int_eq(bahi_img_info_read(p, 20, types[i], &info), -1);
		/* a type other than the content's is refused */
		ck_assert_int_eq(bahi_img_info_read(p, len, types[(i + 1) % 3], &info), -1);
		gdFree(p);
	}
	/* VP8L: signature 0x2f, then 14 bits width-1 and 14 bits height-1 */
	unsigned char l[30] = "RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f";
	uint32_t b = (uint32_t)(640 - 1) | (uint32_t)(480 - 1) << 14;
	for (int k = 0; k < 4; k++)
		l[21 + k] = (unsigned char)(b >> (8 * k));
	ck_assert_int_eq(bahi_img_info_read(l, 25, BAHI_IMG_WEBP, &info), 0);
	ck_assert_int_eq(info.width, 640);
	ck_assert_int_eq(info.height, 480);
	l[20] = 0x2e;
	ck_assert_int_eq(bahi_img_info_read(l, 25, BAHI_IMG_WEBP, &info), -1);
	/* VP8X: 24-bit canvas width-1 and height-1 at bytes 24 and 27 */
	unsigned char x[30] = "RIFF\0\0\0\0WEBPVP8X\0\0\0\0\x10\0\0\0";
	x[24] = 0x1f; x[25] = 0x4e; x[26] = 0;   /* 19999 + 1 */
	x[27] = 0x0f; x[28] = 0x27; x[29] = 0;   /* 9999 + 1 */
	ck_assert_int_eq(bahi_img_info_read(x, 30, BAHI_IMG_WEBP, &info), 0);
	ck_assert_int_eq(info.width, 20000);
	ck_assert_int_eq(info.height, 10000);
	memcpy(x + 12, "VP9 ", 4);
	ck_assert_int_eq(bahi_img_info_read(x, 30, BAHI_IMG_WEBP, &info), -1);
}
END_TEST

/* Inserts an APP1 Exif segment with orientation o right after the SOI. */
static unsigned char *
with_exif(const unsigned char *jpg, size_t len, int little, int o, size_t *outlen)
{
	unsigned char app1[36] = {
		0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
		'M', 'M', 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
		0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, (unsigned char)o,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	if (little) {
		static const unsigned char le[26] = {
			'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,
			0x01, 0x00, 0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
			0x00, 0x00, 0x00, 0x00,
		};
		memcpy(app1 + 10, le, sizeof(le));
		app1[28] = (unsigned char)o;   /* the value field: 10 + 18 */
	}
	unsigned char *out = malloc(len + sizeof(app1));
	memcpy(out, jpg, 2);
	memcpy(out + 2, app1, sizeof(app1));
	memcpy(out + 2 + sizeof(app1), jpg + 2, len - 2);
	*outlen = len + sizeof(app1);
	return out;
}

START_TEST(img_thumbnails)
{
	size_t len, tlen;
	void *out;
	bahi_img_info info;
	void *p = gd_image(BAHI_IMG_PNG, 1000, 10, &len);
	ck_assert_int_eq(bahi_img_thumbnail(p, len, BAHI_IMG_PNG, 256, &out, &tlen, &info), BAHI_IMG_OK);
	gdImagePtr t = gdImageCreateFromPngPtr((int)tlen, out);
	ck_assert_int_eq(gdImageSX(t), 256);
	ck_assert_int_eq(gdImageSY(t), 3);
	gdImageDestroy(t);
	bahi_img_free(out);
	/* a header claiming 20000 x 20000 is refused before decoding */
	unsigned char *big = malloc(len);
	memcpy(big, p, len);
	memcpy(big + 16, "\0\0\x4e\x20\0\0\x4e\x20", 8);
	ck_assert_int_eq(bahi_img_thumbnail(big, len, BAHI_IMG_PNG, 256, &out, &tlen, &info),
	                 BAHI_IMG_TOO_LARGE);
	ck_assert_ptr_null(out);
	/* cut in half: the header reads, the pixels do not */
	ck_assert_int_eq(bahi_img_thumbnail(p, len / 2, BAHI_IMG_PNG, 256, &out, &tlen, &info),
	                 BAHI_IMG_UNDECODABLE);
	free(big);
	gdFree(p);

	/* small images keep their size */
	p = gd_image(BAHI_IMG_WEBP, 7, 5, &len);
	ck_assert_int_eq(bahi_img_thumbnail(p, len, BAHI_IMG_WEBP, 256, &out, &tlen, &info), BAHI_IMG_OK);
	t = gdImageCreateFromWebpPtr((int)tlen, out);
	ck_assert_int_eq(gdImageSX(t), 7);
	ck_assert_int_eq(gdImageSY(t), 5);
	gdImageDestroy(t);
	bahi_img_free(out);
	gdFree(p);
}
END_TEST

/* EXIF orientation 8 (little-endian TIFF): turned 90 degrees counter-clockwise. */
START_TEST(img_orientation)
{
	size_t len, n, tlen;
	void *out;
	bahi_img_info info;
	void *p = gd_image(BAHI_IMG_JPEG, 200, 100, &len);
	unsigned char *photo = with_exif(p, len, 1, 8, &n);
	ck_assert_int_eq(bahi_img_info_read(photo, n, BAHI_IMG_JPEG, &info), 0);
	ck_assert_int_eq(info.orientation, 8);
	ck_assert_int_eq(bahi_img_thumbnail(photo, n, BAHI_IMG_JPEG, 100, &out, &tlen, &info), BAHI_IMG_OK);
	gdImagePtr t = gdImageCreateFromJpegPtr((int)tlen, out);
	ck_assert_int_eq(gdImageSX(t), 50);
	ck_assert_int_eq(gdImageSY(t), 100);
	/* the source's top-right corner (red 255, green 0) is now the top-left */
	int c = gdImageGetTrueColorPixel(t, 0, 0);
	ck_assert_int_gt(gdTrueColorGetRed(c), 200);
	ck_assert_int_lt(gdTrueColorGetGreen(c), 50);
	/* and its bottom-left (red 0, green 255) the bottom-right */
	c = gdImageGetTrueColorPixel(t, 49, 99);
	ck_assert_int_lt(gdTrueColorGetRed(c), 50);
	ck_assert_int_gt(gdTrueColorGetGreen(c), 200);
	gdImageDestroy(t);
	bahi_img_free(out);
	free(photo);
	/* big-endian, out of range: ignored */
	photo = with_exif(p, len, 0, 9, &n);
	ck_assert_int_eq(bahi_img_info_read(photo, n, BAHI_IMG_JPEG, &info), 0);
	ck_assert_int_eq(info.orientation, 1);
	free(photo);
	photo = with_exif(p, len, 0, 3, &n);
	ck_assert_int_eq(bahi_img_info_read(photo, n, BAHI_IMG_JPEG, &info), 0);
	ck_assert_int_eq(info.orientation, 3);
	free(photo);
	gdFree(p);
}
END_TEST

static Suite *
files_suite(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, md5_rfc1321_vectors);
	tcase_add_test(tc, md5_incremental_and_padding_edges);
	tcase_add_test(tc, link_signature_matches_nginx_example);
	tcase_add_test(tc, link_format);
	tcase_add_test(tc, link_keys);
	tcase_add_test(tc, s3_aws_published_example);
	tcase_add_test(tc, s3_put_shape);
	tcase_add_test(tc, s3_refuses_unusable_input);
	tcase_add_test(tc, img_sniff);
	tcase_add_test(tc, img_info_headers);
	tcase_add_test(tc, img_thumbnails);
	tcase_add_test(tc, img_orientation);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (bahi_random_init() != 0)
		return EXIT_FAILURE;
	return bahi_check_run(files_suite());
}
