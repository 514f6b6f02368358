/* bahi_phone: E.164 normalisation with national-number rules for the countries bahi serves. */
#include "bahi_phone.h"

#include <ctype.h>
#include <string.h>

typedef struct calling_code {
	const char *country;
	const char *code;
} calling_code;

/* Countries whose national numbers start with a trunk 0. */
static const calling_code codes[] = {
	{"PK", "92"}, {"IN", "91"}, {"BD", "880"}, {"AE", "971"}, {"SA", "966"},
	{"GB", "44"}, {"AF", "93"}, {"LK", "94"}, {"NP", "977"}, {"TR", "90"},
	{"EG", "20"}, {"NG", "234"}, {"KE", "254"}, {"DE", "49"}, {"FR", "33"},
};

static const char *
calling_code_of(const char *country)
{
	for (size_t i = 0; country && i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(codes[i].country, country) == 0)
			return codes[i].code;
	return NULL;
}

int
bahi_phone_normalise(const char *in, const char *country, char *out)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	for (const char *p = in; *p; p++) {
		if (*p == '+' && n == 0 && !plus)
			plus = 1;
		else if (isdigit((unsigned char)*p) && n < sizeof(digits) - 1)
			digits[n++] = *p;
		else if (!strchr(" -.()", *p) || n >= sizeof(digits) - 1)
			return -1;
	}
	digits[n] = '\0';
	const char *d = digits, *prefix = "";
	if (!plus && d[0] == '0' && d[1] == '0') {
		d += 2;
	} else if (!plus && d[0] == '0') {
		prefix = calling_code_of(country);
		if (prefix == NULL)
			return -1;
		d += 1;
	} else if (!plus) {
		return -1;
	}
	size_t total = strlen(prefix) + strlen(d);
	if (total < 7 || total > 15 || (prefix[0] == '\0' && d[0] == '0'))
		return -1;
	out[0] = '+';
	memcpy(out + 1, prefix, strlen(prefix));
	memcpy(out + 1 + strlen(prefix), d, strlen(d) + 1);
	return 0;
}
