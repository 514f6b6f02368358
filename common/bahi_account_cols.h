/* bahi_account_cols: the columns of users, businesses and devices as the API shows them (private to bahi_account*.c). */
#ifndef BAHI_ACCOUNT_COLS_H
#define BAHI_ACCOUNT_COLS_H

/* Timestamps through ts: TS_TEXT (bahi_ts()) for bahi_json_cols, or TS_UTC,
 * which the server does at less cost, for bahi_json_cols_write (the same
 * text in the end). */
#define TS_TEXT(t) " bahi_ts(" t ")"
#define TS_UTC(t) " (" t ") AT TIME ZONE 'UTC'"
#define USER_COLS_TS(u, ts) \
	u "id, " u "phone, " u "name, " u "role, " u "language, " u "version," \
	ts(u "created_at") " AS created_at," ts(u "updated_at") " AS updated_at"
#define USER_COLS(u) USER_COLS_TS(u, TS_TEXT)
#define USER_NCOLS 8
#define BUSINESS_COLS_TS(b, ts) \
	b "id, " b "name, " b "type, " b "country, " b "currency, " b "timezone, " \
	b "tax_rate_bp, " b "credit_term_days, " b "device_cap, " b "language, " \
	b "number_grouping, " b "version," \
	ts(b "created_at") " AS created_at," ts(b "updated_at") " AS updated_at"
#define BUSINESS_COLS(b) BUSINESS_COLS_TS(b, TS_TEXT)
#define BUSINESS_NCOLS 14
#define DEVICE_COLS \
	"id, name, platform, bahi_ts(last_seen_at) AS last_seen_at, bahi_ts(created_at) AS created_at"
#define DEVICE_NCOLS 5

#endif
