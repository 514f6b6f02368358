/* bahi_uuid: UUID generation (v7, time-ordered), validation and normalisation. */
#ifndef BAHI_UUID_H
#define BAHI_UUID_H

#define BAHI_UUID_LEN 36

/* Writes a new random UUIDv7 in canonical lower-case form into out[37]. */
void bahi_uuid_v7(char out[BAHI_UUID_LEN + 1]);
/* 1 when s is a canonical UUID (8-4-4-4-12 hex, either case), else 0. */
int bahi_uuid_valid(const char *s);
/* Copies s lower-cased into out[37]; 0, or -1 when s is not a UUID. */
int bahi_uuid_normalise(const char *s, char out[BAHI_UUID_LEN + 1]);

#endif
