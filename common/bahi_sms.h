/* bahi_sms: the SMS provider interface (outbox for development, an HTTP gateway in production). */
#ifndef BAHI_SMS_H
#define BAHI_SMS_H

struct bahi_req;

/* Sends text to phone (E.164) through the configured provider:
 * "outbox" stores it in sms_outbox and logs it (development and tests);
 * "http" requests sms_http_url with {phone} and {text} replaced by their
 * percent-encoded values (libcurl, 10 s timeout), sending sms_http_auth as the
 * Authorization header when set, and records the outcome in sms_outbox.
 * 0, or -1 with a problem (503 when the gateway fails). */
int bahi_sms_send(struct bahi_req *req, const char *phone, const char *text);

#endif
