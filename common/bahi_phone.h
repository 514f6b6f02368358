/* bahi_phone: phone numbers normalised to E.164. */
#ifndef BAHI_PHONE_H
#define BAHI_PHONE_H

#define BAHI_PHONE_MAX 16   /* "+" and at most 15 digits */

/* Normalises a phone number to E.164 into out[BAHI_PHONE_MAX + 1].
 * Spaces, dashes, dots and parentheses are ignored; a leading "00" is "+";
 * a national number with a leading 0 takes the country's calling code
 * ("0300 1234567" in PK is "+923001234567"). 0, or -1 when it is not a
 * plausible number (7 to 15 digits, no other characters). */
int bahi_phone_normalise(const char *in, const char *country, char *out);

#endif
