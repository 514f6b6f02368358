/* check_cursor: unit tests for list cursors (bahi_cursor) and the pairing QR drawing (bahi_devices). */
#include "bahi_cursor.h"
#include "bahi_devices.h"
#include "bahi_pool.h"

#include <check.h>

#include "../check_run.h"
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const ID = "01a1fd5e-2115-7b41-9b3d-cbad30b0a201";

START_TEST(encode_exact)
{
	bahi_pool *pool = bahi_pool_create();
	/* base64url (no padding) of "1795252166914613|01a1fd5e-2115-7b41-9b3d-cbad30b0a201" */
	ck_assert_str_eq(bahi_cursor_encode(pool, INT64_C(1795252166914613), ID),
	                 "MTc5NTI1MjE2NjkxNDYxM3wwMWExZmQ1ZS0yMTE1LTdiNDEtOWIzZC1jYmFkMzBiMGEyMDE");
	ck_assert_str_eq(bahi_cursor_encode(pool, 0, ID),
	                 "MHwwMWExZmQ1ZS0yMTE1LTdiNDEtOWIzZC1jYmFkMzBiMGEyMDE");
	bahi_pool_destroy(pool);
}
END_TEST

START_TEST(round_trip)
{
	bahi_pool *pool = bahi_pool_create();
	int64_t key = -1;
	char id[BAHI_UUID_LEN + 1];
	ck_assert_int_eq(bahi_cursor_decode(bahi_cursor_encode(pool, INT64_C(1795252166914613), ID),
	                                    &key, id), 0);
	ck_assert_int_eq(key, INT64_C(1795252166914613));
	ck_assert_str_eq(id, ID);
	/* the largest key that converts to a SQL interval exactly */
	ck_assert_int_eq(bahi_cursor_decode(bahi_cursor_encode(pool, INT64_C(9007199254740991), ID),
	                                    &key, id), 0);
	ck_assert_int_eq(key, INT64_C(9007199254740991));
	bahi_pool_destroy(pool);
}
END_TEST

/* base64url without padding of raw, for building hostile cursors */
static char *
b64(bahi_pool *pool, const char *raw)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t n = strlen(raw), o = 0;
	char *out = bahi_pool_alloc(pool, n * 4 / 3 + 4);
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned char)raw[i] << 16;
		if (i + 1 < n)
			v |= (unsigned char)raw[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)raw[i + 2];
		out[o++] = a[(v >> 18) & 63];
		out[o++] = a[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = a[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = a[v & 63];
	}
	out[o] = '\0';
	return out;
}

START_TEST(rejects)
{
	bahi_pool *pool = bahi_pool_create();
	int64_t key;
	char id[BAHI_UUID_LEN + 1];
	const char *bad[] = {
		"", "abc", "null", "MHwwMWExZmQ1ZS0yMTE1LTdiNDEtOWIzZC1jYmFkMzBiMGEyMDE=",
		b64(pool, "1|not-a-uuid"),
		b64(pool, "|01a1fd5e-2115-7b41-9b3d-cbad30b0a201"),
		b64(pool, "-1|01a1fd5e-2115-7b41-9b3d-cbad30b0a201"),
		b64(pool, "9007199254740992|01a1fd5e-2115-7b41-9b3d-cbad30b0a201"),
		b64(pool, "12 |01a1fd5e-2115-7b41-9b3d-cbad30b0a201"),
		b64(pool, "1|01a1fd5e-2115-7b41-9b3d-cbad30b0a201x"),
		b64(pool, "1;01a1fd5e-2115-7b41-9b3d-cbad30b0a201"),
		b64(pool, "1|' OR 1=1 --"),
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(bahi_cursor_decode(bad[i], &key, id) == -1, "accepted \"%s\"", bad[i]);
	/* a cursor is accepted in upper case and comes back normalised */
	ck_assert_int_eq(bahi_cursor_decode(b64(pool, "7|01A1FD5E-2115-7B41-9B3D-CBAD30B0A201"),
	                                    &key, id), 0);
	ck_assert_int_eq(key, 7);
	ck_assert_str_eq(id, ID);
	bahi_pool_destroy(pool);
}
END_TEST

/* Paints the SVG's runs ("M<x> <y>h<n>v1h-<n>z") into a size x size grid;
 * returns the number of dark modules, or -1 when the path has anything else. */
static int
paint(const char *svg, int size, unsigned char *grid)
{
	const char *d = strstr(svg, " d=\"");
	int dark = 0;
	if (d == NULL)
		return -1;
	d += 4;
	while (*d == 'M') {
		int x, y, n, m, used;
		if (sscanf(d, "M%d %dh%dv1h-%dz%n", &x, &y, &n, &m, &used) != 4 || n != m ||
		    x < 0 || y < 0 || x + n > size || y >= size)
			return -1;
		for (int i = 0; i < n; i++)
			grid[y * size + x + i] = 1;
		dark += n;
		d += used;
	}
	return strcmp(d, "\"/></svg>") == 0 ? dark : -1;
}

START_TEST(qr_svg_matches_the_code)
{
	const char *token = "72HHwRVcK519S7xApdvORh7UBERxW5sNjwsbuvMVAAE";
	bahi_pool *pool = bahi_pool_create();
	char *svg = bahi_devices_qr_svg(pool, token);
	ck_assert_ptr_nonnull(svg);
	/* 43 bytes at level M need version 4: 33 modules + 2 x 4 of quiet zone */
	ck_assert_int_eq(strncmp(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" ", 40), 0);
	ck_assert_ptr_nonnull(strstr(svg, "viewBox=\"0 0 41 41\""));
	ck_assert_ptr_nonnull(strstr(svg, "<rect width=\"41\" height=\"41\" fill=\"#fff\"/>"));
	/* the top-left finder pattern's first row starts the path */
	ck_assert_ptr_nonnull(strstr(svg, "d=\"M4 4h7v1h-7z"));
	QRcode *qr = QRcode_encodeString(token, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	ck_assert_ptr_nonnull(qr);
	ck_assert_int_eq(qr->width, 33);
	unsigned char grid[41 * 41];
	memset(grid, 0, sizeof(grid));
	int dark = paint(svg, 41, grid), want = 0;
	for (int y = 0; y < 41; y++)
		for (int x = 0; x < 41; x++) {
			int in = x >= 4 && x < 37 && y >= 4 && y < 37;
			int on = in && (qr->data[(y - 4) * 33 + (x - 4)] & 1);
			want += on;
			ck_assert_msg(grid[y * 41 + x] == on, "module %d,%d", x, y);
		}
	ck_assert_int_eq(dark, want);
	QRcode_free(qr);
	bahi_pool_destroy(pool);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("cursor");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, encode_exact);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, rejects);
	tcase_add_test(tc, qr_svg_matches_the_code);
	suite_add_tcase(s, tc);
	return bahi_check_run(s);
}
