/* bahi_password: Argon2id via libsodium, the length rules and the common-password list. */
#include "bahi_password.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "bahi_valid.h"

/* Passwords of 8 or more characters seen most often in breach corpora, plus
 * local favourites; compared case-insensitively. Sorted for bsearch. */
static const char *const common_passwords[] = {
	"00000000", "000000000", "0123456789", "11111111", "1111111111", "11223344",
	"112233445566", "12121212", "12312312", "123123123", "123321123", "12341234",
	"12344321", "1234512345", "123456123", "12345678", "123456789", "1234567890",
	"12345678910", "123456789a", "1234abcd", "1234qwer", "123abc123", "123qwe123",
	"1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "22222222", "55555555", "66666666",
	"6666666666", "77777777", "78678678", "786786786", "786786786786", "87654321",
	"88888888", "987654321", "99999999", "a1234567", "a123456789", "aa123456",
	"aaaaaaaa", "abc12345", "abc123456", "abcd1234", "abcdefgh", "admin123",
	"admin1234", "administrator", "allah786", "asdf1234", "asdfasdf", "asdfgh123",
	"asdfghjk", "asdfghjkl", "babygirl", "baseball", "basketball", "bismillah",
	"bismillah786", "changeme", "charlie1", "chocolate", "computer", "dragon123",
	"football", "freedom1", "iloveyou", "iloveyou1", "islamabad", "jennifer",
	"karachi123", "killer123", "lahore123", "letmein1", "letmein123", "liverpool",
	"login123", "lovely123", "master123", "michelle", "monkey123", "mustang1",
	"p@ssw0rd", "p@ssword", "pakistan", "pakistan1", "pakistan123", "passw0rd",
	"password", "password1", "password12", "password123", "password1234", "princess",
	"q1w2e3r4", "q1w2e3r4t5", "qazwsxedc", "qwer1234", "qwerty12", "qwerty123",
	"qwerty1234", "qwertyui", "qwertyuiop", "starwars", "sunshine", "superman",
	"trustno1", "welcome1", "welcome123", "whatever", "zaq12wsx", "zxcvbnm1",
	"zxcvbnm123",
};

static int
cmp_ci(const void *key, const void *elem)
{
	return strcasecmp((const char *)key, *(const char *const *)elem);
}

int
bahi_password_is_common(const char *pw)
{
	return bsearch(pw, common_passwords,
	               sizeof(common_passwords) / sizeof(common_passwords[0]),
	               sizeof(common_passwords[0]), cmp_ci) != NULL;
}

const char *
bahi_password_problem(const char *pw)
{
	size_t chars;
	if (!bahi_valid_utf8(pw, 0, &chars))
		return "invalid_text";
	if (chars < 8)
		return "too_short";
	if (chars > 128)
		return "too_long";
	if (bahi_password_is_common(pw))
		return "too_common";
	return NULL;
}

int
bahi_password_hash(const char *pw, char *out)
{
	_Static_assert(crypto_pwhash_STRBYTES <= BAHI_PASSWORD_HASH_MAX, "hash buffer");
	return crypto_pwhash_str_alg(out, pw, strlen(pw), BAHI_PWHASH_OPSLIMIT,
	                             BAHI_PWHASH_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
}

/* A hash of a random password, made once per process, for unknown accounts. */
static const char *
dummy_hash(void)
{
	static char hash[BAHI_PASSWORD_HASH_MAX];
	if (hash[0] == '\0') {
		char pw[33];
		unsigned char raw[16];
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(pw, sizeof(pw), raw, sizeof(raw));
		if (bahi_password_hash(pw, hash) != 0)
			abort();
	}
	return hash;
}

int
bahi_password_verify(const char *hash, const char *pw)
{
	if (hash == NULL) {
		/* the result is meaningless; only the work matters */
		if (crypto_pwhash_str_verify(dummy_hash(), pw, strlen(pw)) == 0)
			return 0;
		return 0;
	}
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}
