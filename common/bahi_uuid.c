/* bahi_uuid: time-ordered UUIDv7 generation, canonical UUID validation and lower-casing. */
#include "bahi_uuid.h"
#include "bahi_random.h"

#include <stdint.h>
#include <time.h>

static const char hex_digits[] = "0123456789abcdef";

/* Milliseconds since the Unix epoch (wall clock). */
static uint64_t
unix_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/*
 * RFC 9562 layout: 48-bit big-endian unix_ts_ms, version 7 in the high
 * nibble of byte 6, variant 10 in the top bits of byte 8, the other 74 bits
 * random. No intra-millisecond counter: ids from the same millisecond are
 * unordered among themselves.
 */
void
bahi_uuid_v7(char out[BAHI_UUID_LEN + 1])
{
	unsigned char b[16];
	uint64_t ms = unix_ms();
	int o = 0;

	bahi_random_bytes(b + 6, 10);
	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (8 * (5 - i)));
	b[6] = (unsigned char)(0x70 | (b[6] & 0x0f));
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex_digits[b[i] >> 4];
		out[o++] = hex_digits[b[i] & 0x0f];
	}
	out[o] = '\0';
}

static int
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Any version/variant; exactly 36 characters, dashes at 8, 13, 18 and 23. */
int
bahi_uuid_valid(const char *s)
{
	if (s == NULL)
		return 0;
	for (int i = 0; i < BAHI_UUID_LEN; i++) {
		int dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : !is_hex(s[i]))
			return 0;   /* also stops at an early '\0' */
	}
	return s[BAHI_UUID_LEN] == '\0';
}

int
bahi_uuid_normalise(const char *s, char out[BAHI_UUID_LEN + 1])
{
	if (!bahi_uuid_valid(s))
		return -1;
	for (int i = 0; i < BAHI_UUID_LEN; i++)
		out[i] = (s[i] >= 'A' && s[i] <= 'F') ? (char)(s[i] - 'A' + 'a') : s[i];
	out[BAHI_UUID_LEN] = '\0';
	return 0;
}
