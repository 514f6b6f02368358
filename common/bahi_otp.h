/* bahi_otp: six-digit one-time codes for sign-up and password reset. */
#ifndef BAHI_OTP_H
#define BAHI_OTP_H

struct bahi_req;

#define BAHI_OTP_TTL 600          /* seconds a code lives */
#define BAHI_OTP_MAX_ATTEMPTS 5   /* wrong tries before a code is dead */
#define BAHI_OTP_MAX_SENDS 3      /* codes per phone per hour */

/* Creates a code for phone and purpose ("signup" | "reset"), stores its
 * keyed hash and sends it by SMS. Earlier unused codes for the same phone
 * and purpose stop working. 0, or -1 with a problem (429 rate_limited with
 * Retry-After after three sends in an hour). */
int bahi_otp_send(struct bahi_req *req, const char *phone, const char *purpose);
/* Checks code against the newest code for phone and purpose and uses it up.
 * A wrong code counts an attempt (kept even though the request fails).
 * 0, or -1 with otp_invalid or otp_expired. */
int bahi_otp_consume(struct bahi_req *req, const char *phone, const char *purpose,
                     const char *code);

#endif
