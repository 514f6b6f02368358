/* check_auth: sign-up, OTP, login, refresh, logout, passwords, /me and /business, and their error codes, through nginx. */
#include <check.h>

#include "../check_run.h"
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bahi_perm.h"
#include "bahi_random.h"
#include "bahi_uuid.h"
#include "harness.h"

/* The owner's permissions as /me lists them: the role table of bahi_perm, in its order. */
static char *
owner_permissions(void)
{
	cJSON *a = cJSON_CreateArray();
	for (const char *const *p = bahi_perm_list("owner"); *p; p++)
		cJSON_AddItemToArray(a, cJSON_CreateString(*p));
	char *out = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return out;
}

/* A JSON request whose body is formatted from fmt. */
static bt_resp
req(const char *method, const char *path, const char *token, const char *fmt, ...)
{
	char body[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof(body));
	return bt_json(method, path, token, body);
}

static bt_resp
send_otp(const char *phone, const char *purpose)
{
	return req("POST", "/api/v1/auth/otp", NULL, "{\"phone\":\"%s\",\"purpose\":\"%s\"}",
	           phone, purpose);
}

/* Sends a code and returns it (asserting 202). */
static void
otp_for(const char *phone, const char *purpose, char code[7])
{
	bt_resp r = send_otp(phone, purpose);
	ck_assert_msg(r.status == 202, "otp: %ld %s", r.status, r.body);
	bt_free(&r);
	bt_otp_code(phone, code);
	ck_assert_uint_eq(strlen(code), 6);
}

/* Another six-digit code than code. */
static void
wrong_code(const char *code, char out[7])
{
	char tmp[24];
	long v = strtol(code, NULL, 10);
	snprintf(tmp, sizeof(tmp), "%06ld", (v + 1) % 1000000);
	memcpy(out, tmp, 7);
}

static bt_resp
signup(const char *phone, const char *otp, const char *password, const char *business)
{
	return req("POST", "/api/v1/auth/signup", NULL,
	           "{\"phone\":\"%s\",\"otp\":\"%s\",\"password\":\"%s\",\"name\":\"Owner\","
	           "\"business\":%s,\"device\":{\"name\":\"Phone\",\"platform\":\"android\"}}",
	           phone, otp, password, business);
}

static bt_resp
refresh(const char *token)
{
	return req("POST", "/api/v1/auth/refresh", NULL, "{\"refresh_token\":\"%s\"}", token);
}

/* The response's status; frees it. */
static long
status_of(bt_resp r)
{
	long s = r.status;
	bt_free(&r);
	return s;
}

static long
me_status(const char *token)
{
	return status_of(bt_json("GET", "/api/v1/me", token, NULL));
}

/* Expects 401 with code on GET /me. */
static void
assert_me_refused(const char *token, const char *code)
{
	bt_resp r = bt_json("GET", "/api/v1/me", token, NULL);
	bt_assert_problem(&r, 401, code);
	bt_free(&r);
}

/* v as compact JSON text; malloc'd. */
static char *
printed(const cJSON *v)
{
	ck_assert_ptr_nonnull(v);
	return cJSON_PrintUnformatted(v);
}

/* ------------------------------------------------------------ sign-up */

START_TEST(signup_full_flow)
{
	char phone[BT_PHONE_LEN], national[32], code[7], dev[BAHI_UUID_LEN + 1], text[200];
	bt_client_new();
	bt_phone_new(phone);
	snprintf(national, sizeof(national), "0%.3s %.7s", phone + 3, phone + 6);
	bt_resp r = send_otp(national, "signup");
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(r.content_type, "application/json");
	ck_assert_str_eq(r.body, "{\"expires_in\":600}");
	bt_free(&r);
	bt_otp_code(phone, code);
	ck_assert_uint_eq(strlen(code), 6);
	const char *p[1] = {phone};
	char *sms = bt_super_value("SELECT body FROM sms_outbox WHERE phone = $1", 1, p);
	snprintf(text, sizeof(text), "Your bahi code is %s. It expires in 10 minutes. Do not share it.", code);
	ck_assert_str_eq(sms, text);
	free(sms);

	bahi_uuid_v7(dev);
	r = req("POST", "/api/v1/auth/signup", NULL,
	        "{\"phone\":\"%s\",\"otp\":\"%s\",\"password\":\"correct horse battery\","
	        "\"name\":\"Ayesha Khan\",\"business\":{\"name\":\"Khan Autos\"},"
	        "\"device\":{\"id\":\"%s\",\"name\":\"Pixel 7\",\"platform\":\"android\"}}",
	        national, code, dev);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(r.content_type, "application/json");
	const char *access = bt_at_str(&r, "access_token");
	ck_assert_ptr_nonnull(access);
	ck_assert_ptr_nonnull(strchr(strchr(access, '.') + 1, '.'));
	ck_assert_uint_eq(strlen(bt_at_str(&r, "refresh_token")), 43);
	ck_assert_str_eq(bt_at_str(&r, "token_type"), "Bearer");
	ck_assert_int_eq(bt_at_int(&r, "expires_in"), 900);
	ck_assert_str_eq(bt_at_str(&r, "user.phone"), phone);
	ck_assert_str_eq(bt_at_str(&r, "user.name"), "Ayesha Khan");
	ck_assert_str_eq(bt_at_str(&r, "user.role"), "owner");
	ck_assert_int_eq(bt_at_int(&r, "user.version"), 1);
	ck_assert_str_eq(bt_at_str(&r, "business.name"), "Khan Autos");
	ck_assert_str_eq(bt_at_str(&r, "business.currency"), "PKR");
	ck_assert_str_eq(bt_at_str(&r, "business.timezone"), "Asia/Karachi");
	ck_assert_str_eq(bt_at_str(&r, "business.country"), "PK");
	ck_assert_str_eq(bt_at_str(&r, "business.language"), "en");
	ck_assert_int_eq(bt_at_int(&r, "business.tax_rate_bp"), 1900);
	ck_assert_int_eq(bt_at_int(&r, "business.credit_term_days"), 15);
	ck_assert_int_eq(bt_at_int(&r, "business.device_cap"), 3);
	ck_assert_int_eq(bt_at_int(&r, "business.version"), 1);
	ck_assert(cJSON_IsNull(bt_at(&r, "business.type")));
	ck_assert_str_eq(bt_at_str(&r, "device.id"), dev);
	ck_assert_str_eq(bt_at_str(&r, "device.name"), "Pixel 7");
	ck_assert_str_eq(bt_at_str(&r, "device.platform"), "android");
	bt_session s;
	bt_session_fill(&s, &r);
	bt_free(&r);

	r = bt_json("GET", "/api/v1/me", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "user.id"), s.user_id);
	ck_assert_str_eq(bt_at_str(&r, "user.role"), "owner");
	ck_assert_str_eq(bt_at_str(&r, "business.id"), s.business_id);
	ck_assert_str_eq(bt_at_str(&r, "device.id"), dev);
	char *perms = printed(bt_at(&r, "permissions")), *owner = owner_permissions();
	ck_assert_str_eq(perms, owner);
	ck_assert_ptr_nonnull(strstr(perms, "\"business.write\""));
	ck_assert_ptr_nonnull(strstr(perms, "\"users.write\""));
	ck_assert_ptr_nonnull(strstr(perms, "\"account.delete\""));
	free(perms);
	free(owner);
	bt_free(&r);

	const char *b[2] = {s.business_id, phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM users WHERE business_id = $1 AND phone = $2",
	                               2, b), 1);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM otp_codes WHERE phone = $1"
	                               " AND used_at IS NOT NULL", 1, p), 1);
}
END_TEST

START_TEST(signup_business_settings_and_their_validation)
{
	char phone[BT_PHONE_LEN], code[7];
	bt_client_new();
	bt_phone_new(phone);
	otp_for(phone, "signup", code);
	const char *pw = "a long enough secret";
	bt_resp r = signup(phone, code, pw, "{\"name\":\"Volt\",\"currency\":\"usd\"}");
	bt_assert_field(&r, "business.currency", "invalid_currency");
	bt_free(&r);
	r = signup(phone, code, pw, "{\"name\":\"Volt\",\"timezone\":\"Mars/Olympus_Mons\"}");
	bt_assert_field(&r, "business.timezone", "invalid_timezone");
	bt_free(&r);
	r = signup(phone, code, pw, "{\"name\":\"Volt\",\"tax_rate_bp\":10001}");
	bt_assert_field(&r, "business.tax_rate_bp", "too_large");
	bt_free(&r);
	r = signup(phone, code, "short", "{\"name\":\"Volt\"}");
	bt_assert_field(&r, "password", "too_short");
	bt_free(&r);
	r = signup(phone, code, "Pakistan123", "{\"name\":\"Volt\"}");
	bt_assert_field(&r, "password", "too_common");
	bt_free(&r);
	/* none of that used the code up */
	r = signup(phone, code, pw, "{\"name\":\"Volt\",\"type\":\"electrical\",\"currency\":\"USD\","
	           "\"timezone\":\"Europe/London\",\"tax_rate_bp\":0}");
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "business.type"), "electrical");
	ck_assert_str_eq(bt_at_str(&r, "business.currency"), "USD");
	ck_assert_str_eq(bt_at_str(&r, "business.timezone"), "Europe/London");
	ck_assert_int_eq(bt_at_int(&r, "business.tax_rate_bp"), 0);
	bt_free(&r);
}
END_TEST

START_TEST(signup_validation_failed)
{
	bt_client_new();
	bt_resp r = bt_json("POST", "/api/v1/auth/signup", NULL, "{}");
	bt_assert_field(&r, "phone", "required");
	const cJSON *errs = bt_at(&r, "errors");
	ck_assert_int_eq(cJSON_GetArraySize(errs), 6);
	bt_free(&r);
	r = req("POST", "/api/v1/auth/otp", NULL, "{\"phone\":\"12345\",\"purpose\":\"signup\"}");
	bt_assert_field(&r, "phone", "invalid_phone");
	bt_free(&r);
	r = req("POST", "/api/v1/auth/otp", NULL, "{\"phone\":\"+923001112233\",\"purpose\":\"login\"}");
	bt_assert_field(&r, "purpose", "invalid_choice");
	bt_free(&r);
	r = req("POST", "/api/v1/auth/login", NULL,
	        "{\"phone\":\"+923001112233\",\"password\":\"whatever it is\","
	        "\"device\":{\"name\":\"Phone\",\"platform\":\"windows\"}}");
	bt_assert_field(&r, "device.platform", "invalid_choice");
	bt_free(&r);
}
END_TEST

START_TEST(signup_phone_taken)
{
	bt_session s;
	char national[32];
	bt_signup(&s);
	bt_client_new();
	bt_resp r = send_otp(s.phone, "signup");
	bt_assert_problem(&r, 409, "phone_taken");
	bt_free(&r);
	snprintf(national, sizeof(national), "0%.3s-%.7s", s.phone + 3, s.phone + 6);
	r = send_otp(national, "signup");
	bt_assert_problem(&r, 409, "phone_taken");
	bt_free(&r);
}
END_TEST

START_TEST(signup_idempotency_key)
{
	char phone[BT_PHONE_LEN], code[7], body[1024], other[1024], key[80];
	bt_client_new();
	bt_phone_new(phone);
	otp_for(phone, "signup", code);
	snprintf(key, sizeof(key), "Idempotency-Key: signup-%s", phone + 1);
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"otp\":\"%s\",\"password\":\"idempotent secret\","
	         "\"name\":\"Owner\",\"business\":{\"name\":\"Idem %s\"},"
	         "\"device\":{\"name\":\"Phone\",\"platform\":\"ios\"}}", phone, code, phone + 1);
	const char *hdr[2] = {key, NULL};
	bt_resp r1 = bt_jsonx("POST", "/api/v1/auth/signup", NULL, hdr, body);
	ck_assert_msg(r1.status == 201, "%ld %s", r1.status, r1.body);
	ck_assert_ptr_null(bt_header(&r1, "Idempotent-Replayed"));
	bt_resp r2 = bt_jsonx("POST", "/api/v1/auth/signup", NULL, hdr, body);
	ck_assert_int_eq(r2.status, 201);
	ck_assert_str_eq(r2.content_type, "application/json");
	ck_assert_str_eq(r2.body, r1.body);
	ck_assert_str_eq(bt_header(&r2, "Idempotent-Replayed"), "true");
	bt_free(&r2);
	const char *p[2] = {phone, bt_at_str(&r1, "business.id")};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM users WHERE phone = $1", 1, p), 1);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM businesses b JOIN users u"
	                               " ON u.business_id = b.id WHERE u.phone = $1", 1, p), 1);
	/* the replayed token pair is the one that was issued, and it works */
	ck_assert_int_eq(me_status(bt_at_str(&r1, "access_token")), 200);
	snprintf(other, sizeof(other), "{\"phone\":\"%s\",\"otp\":\"%s\",\"password\":\"idempotent secret\","
	         "\"name\":\"Owner\",\"business\":{\"name\":\"Other %s\"},"
	         "\"device\":{\"name\":\"Phone\",\"platform\":\"ios\"}}", phone, code, phone + 1);
	bt_resp r3 = bt_jsonx("POST", "/api/v1/auth/signup", NULL, hdr, other);
	bt_assert_problem(&r3, 422, "idempotency_key_reused");
	bt_free(&r3);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM businesses WHERE id = $1", 1, p + 1), 1);
	bt_free(&r1);
}
END_TEST

/* ------------------------------------------------------------ OTP */

START_TEST(otp_five_wrong_tries_kill_the_code)
{
	char phone[BT_PHONE_LEN], code[7], bad[7];
	bt_client_new();
	bt_phone_new(phone);
	otp_for(phone, "signup", code);
	wrong_code(code, bad);
	for (int i = 0; i < 5; i++) {
		bt_resp r = signup(phone, bad, "a long enough secret", "{\"name\":\"Shop\"}");
		bt_assert_problem(&r, 422, "otp_invalid");
		bt_free(&r);
	}
	const char *p[1] = {phone};
	ck_assert_int_eq(bt_super_long("SELECT attempts FROM otp_codes WHERE phone = $1", 1, p), 5);
	bt_resp r = signup(phone, code, "a long enough secret", "{\"name\":\"Shop\"}");
	bt_assert_problem(&r, 422, "otp_invalid");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM users WHERE phone = $1", 1, p), 0);
}
END_TEST

START_TEST(otp_expired)
{
	char phone[BT_PHONE_LEN], code[7];
	bt_client_new();
	bt_phone_new(phone);
	otp_for(phone, "signup", code);
	const char *p[1] = {phone};
	ck_assert_int_eq(bt_super_exec("UPDATE otp_codes SET expires_at = now() - interval '1 second'"
	                               " WHERE phone = $1", 1, p), 1);
	bt_resp r = signup(phone, code, "a long enough secret", "{\"name\":\"Shop\"}");
	bt_assert_problem(&r, 422, "otp_expired");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM users WHERE phone = $1", 1, p), 0);
}
END_TEST

/* A live sign-up code does not reset a password: codes are bound to their purpose. */
START_TEST(otp_is_bound_to_its_purpose)
{
	bt_session owner;
	char phone[BT_PHONE_LEN], signup_code[7], reset_code[7], id[BAHI_UUID_LEN + 1];
	bt_signup(&owner);
	bt_client_new();
	bt_phone_new(phone);
	otp_for(phone, "signup", signup_code);
	/* the phone now gets an account (a clerk of owner's business) */
	bahi_uuid_v7(id);
	const char *p[4] = {owner.business_id, id, phone, owner.user_id};
	ck_assert_int_eq(bt_super_exec("INSERT INTO users (business_id, id, phone, name, role, password_hash)"
	                               " SELECT business_id, $2, $3, 'Clerk', 'clerk', password_hash"
	                               " FROM users WHERE business_id = $1 AND id = $4", 4, p), 1);
	otp_for(phone, "reset", reset_code);
	bt_resp r = req("POST", "/api/v1/auth/password/reset", NULL,
	                "{\"phone\":\"%s\",\"otp\":\"%s\",\"new_password\":\"the new clerk secret\"}",
	                phone, signup_code);
	if (strcmp(signup_code, reset_code) != 0) {   /* one chance in a million */
		bt_assert_problem(&r, 422, "otp_invalid");
		bt_free(&r);
		r = req("POST", "/api/v1/auth/password/reset", NULL,
		        "{\"phone\":\"%s\",\"otp\":\"%s\",\"new_password\":\"the new clerk secret\"}",
		        phone, reset_code);
	}
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	r = bt_login(phone, "the new clerk secret", NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "user.role"), "clerk");
	bt_free(&r);
}
END_TEST

START_TEST(otp_fourth_send_in_an_hour_is_rate_limited)
{
	char phone[BT_PHONE_LEN];
	bt_client_new();
	bt_phone_new(phone);
	for (int i = 0; i < 3; i++) {
		bt_resp r = send_otp(phone, "signup");
		ck_assert_int_eq(r.status, 202);
		bt_free(&r);
	}
	bt_resp r = send_otp(phone, "signup");
	bt_assert_problem(&r, 429, "rate_limited");
	const char *ra = bt_header(&r, "Retry-After");
	ck_assert_ptr_nonnull(ra);
	long wait = strtol(ra, NULL, 10);
	ck_assert_msg(wait >= 3540 && wait <= 3600, "Retry-After: %s", ra);
	bt_free(&r);
	const char *p[1] = {phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM sms_outbox WHERE phone = $1", 1, p), 3);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM otp_codes WHERE phone = $1", 1, p), 3);
}
END_TEST

typedef struct signup_job {
	const char *phone, *code, *client;
	pthread_barrier_t *go;
	long status;
	char code_seen[40];
} signup_job;

/* One racer: a sign-up with j->code, or a code request when it is NULL. */
static void *
signup_thread(void *arg)
{
	signup_job *j = arg;
	bt_client_set(j->client);
	pthread_barrier_wait(j->go);
	bt_resp r = j->code != NULL ? signup(j->phone, j->code, "a long enough secret", "{\"name\":\"Race\"}")
	                            : send_otp(j->phone, "signup");
	j->status = r.status;
	const char *c = bt_str(&r, "code");
	snprintf(j->code_seen, sizeof(j->code_seen), "%s", c ? c : "");
	bt_free(&r);
	return NULL;
}

/* Runs n copies of one request at once, each from its own address. */
static void
race_all(signup_job *jobs, int n)
{
	pthread_t t[8];
	pthread_barrier_t go;
	char addrs[8][24];
	ck_assert_int_le(n, 8);
	pthread_barrier_init(&go, NULL, (unsigned)n);
	for (int i = 0; i < n; i++) {
		snprintf(addrs[i], sizeof(addrs[i]), "%s", bt_client_new());
		jobs[i].client = addrs[i];
		jobs[i].go = &go;
		pthread_create(&t[i], NULL, signup_thread, &jobs[i]);
	}
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
}

/* Four sign-ups with one code at once: one business; each other gets
 * otp_invalid (it waited for the code) or phone_taken (it started after the
 * winner committed). */
START_TEST(concurrent_signups_with_one_code_make_one_business)
{
	char phone[BT_PHONE_LEN], code[7];
	signup_job jobs[4];
	bt_phone_new(phone);
	otp_for(phone, "signup", code);
	for (int i = 0; i < 4; i++)
		jobs[i] = (signup_job){.phone = phone, .code = code};
	race_all(jobs, 4);
	int created = 0;
	for (int i = 0; i < 4; i++) {
		if (jobs[i].status == 201)
			created++;
		else
			ck_assert_msg((jobs[i].status == 422 && strcmp(jobs[i].code_seen, "otp_invalid") == 0) ||
			              (jobs[i].status == 409 && strcmp(jobs[i].code_seen, "phone_taken") == 0),
			              "%ld %s", jobs[i].status, jobs[i].code_seen);
	}
	ck_assert_int_eq(created, 1);
	const char *p[1] = {phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM users WHERE phone = $1", 1, p), 1);
}
END_TEST

/* Six sends at once to one phone: exactly three codes go out. */
START_TEST(concurrent_otp_sends_respect_the_hourly_limit)
{
	char phone[BT_PHONE_LEN];
	signup_job jobs[6];
	bt_phone_new(phone);
	for (int i = 0; i < 6; i++)
		jobs[i] = (signup_job){.phone = phone};
	race_all(jobs, 6);
	int sent = 0;
	for (int i = 0; i < 6; i++) {
		if (jobs[i].status == 202) {
			sent++;
		} else {
			ck_assert_int_eq(jobs[i].status, 429);
			ck_assert_str_eq(jobs[i].code_seen, "rate_limited");
		}
	}
	ck_assert_int_eq(sent, 3);
	const char *p[1] = {phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM sms_outbox WHERE phone = $1", 1, p), 3);
}
END_TEST

START_TEST(reset_code_for_unknown_phone_is_not_sent)
{
	char phone[BT_PHONE_LEN];
	bt_client_new();
	bt_phone_new(phone);
	bt_resp r = send_otp(phone, "reset");
	ck_assert_int_eq(r.status, 202);
	ck_assert_str_eq(r.body, "{\"expires_in\":600}");
	bt_free(&r);
	const char *p[1] = {phone};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM sms_outbox WHERE phone = $1", 1, p), 0);
	r = req("POST", "/api/v1/auth/password/reset", NULL,
	        "{\"phone\":\"%s\",\"otp\":\"123456\",\"new_password\":\"some new secret\"}", phone);
	bt_assert_problem(&r, 422, "otp_invalid");
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ sign-in */

START_TEST(login_and_invalid_credentials)
{
	bt_session s;
	char national[32], unknown[BT_PHONE_LEN];
	bt_signup(&s);
	bt_client_new();
	snprintf(national, sizeof(national), "0%.3s %.7s", s.phone + 3, s.phone + 6);
	bt_resp r = bt_login(national, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "token_type"), "Bearer");
	ck_assert_int_eq(bt_at_int(&r, "expires_in"), 900);
	ck_assert_str_eq(bt_at_str(&r, "user.id"), s.user_id);
	ck_assert_str_eq(bt_at_str(&r, "business.id"), s.business_id);
	ck_assert_str_ne(bt_at_str(&r, "device.id"), s.device_id);
	ck_assert_int_eq(me_status(bt_at_str(&r, "access_token")), 200);
	bt_free(&r);

	bt_phone_new(unknown);
	bt_resp a = bt_login(unknown, s.password, NULL);
	bt_resp b = bt_login(s.phone, "not the password at all", NULL);
	bt_assert_problem(&a, 401, "invalid_credentials");
	bt_assert_problem(&b, 401, "invalid_credentials");
	ck_assert_str_eq(a.body, b.body);
	bt_free(&a);
	bt_free(&b);
	const char *p[1] = {s.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND action = 'signin_failed'", 1, p), 1);
}
END_TEST

START_TEST(refresh_rotates_the_pair)
{
	bt_session s;
	bt_signup(&s);
	bt_resp r = refresh(s.refresh);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "token_type"), "Bearer");
	ck_assert_int_eq(bt_at_int(&r, "expires_in"), 900);
	ck_assert_str_eq(bt_at_str(&r, "user.id"), s.user_id);
	ck_assert_str_eq(bt_at_str(&r, "device.id"), s.device_id);
	ck_assert_str_ne(bt_at_str(&r, "refresh_token"), s.refresh);
	bt_session n = s;
	bt_session_fill(&n, &r);
	bt_free(&r);
	/* the old access token stays good until it expires */
	ck_assert_int_eq(me_status(s.access), 200);
	ck_assert_int_eq(me_status(n.access), 200);
	r = refresh(n.refresh);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = refresh("bm90IGEgcmVmcmVzaCB0b2tlbiBhdCBhbGwsIG5vcGU");
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
}
END_TEST

START_TEST(logout_ends_only_that_device)
{
	bt_session s, other;
	bt_signup(&s);
	bt_client_new();
	bt_resp r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	other = s;
	bt_session_fill(&other, &r);
	bt_free(&r);
	r = bt_http("POST", "/api/v1/auth/logout", (const char *[]){"Authorization: Bearer", NULL}, NULL, 0);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_json("POST", "/api/v1/auth/logout", s.access, NULL);
	ck_assert_int_eq(r.status, 204);
	ck_assert_uint_eq(r.len, 0);
	bt_free(&r);
	assert_me_refused(s.access, "unauthorized");
	r = refresh(s.refresh);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	ck_assert_int_eq(me_status(other.access), 200);
	r = refresh(other.refresh);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ passwords */

START_TEST(password_change_ends_every_session)
{
	bt_session s, other;
	bt_signup(&s);
	bt_client_new();
	bt_resp r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	other = s;
	bt_session_fill(&other, &r);
	bt_free(&r);

	r = req("POST", "/api/v1/auth/password", s.access,
	        "{\"current_password\":\"not my password\",\"new_password\":\"brand new secret\"}");
	bt_assert_field(&r, "current_password", "wrong_password");
	bt_free(&r);
	r = req("POST", "/api/v1/auth/password", s.access,
	        "{\"current_password\":\"%s\",\"new_password\":\"short\"}", s.password);
	bt_assert_field(&r, "new_password", "too_short");
	bt_free(&r);
	ck_assert_int_eq(me_status(s.access), 200);

	r = req("POST", "/api/v1/auth/password", s.access,
	        "{\"current_password\":\"%s\",\"new_password\":\"brand new secret\"}", s.password);
	ck_assert_int_eq(r.status, 204);
	ck_assert_uint_eq(r.len, 0);
	bt_free(&r);
	assert_me_refused(s.access, "unauthorized");
	assert_me_refused(other.access, "unauthorized");
	r = refresh(s.refresh);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = refresh(other.refresh);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_login(s.phone, s.password, NULL);
	bt_assert_problem(&r, 401, "invalid_credentials");
	bt_free(&r);
	r = bt_login(s.phone, "brand new secret", NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(me_status(bt_at_str(&r, "access_token")), 200);
	bt_free(&r);
}
END_TEST

START_TEST(password_reset_with_otp)
{
	bt_session s;
	char code[7];
	bt_signup(&s);
	bt_client_new();
	otp_for(s.phone, "reset", code);
	bt_resp r = req("POST", "/api/v1/auth/password/reset", NULL,
	                "{\"phone\":\"%s\",\"otp\":\"%s\",\"new_password\":\"12345678\"}", s.phone, code);
	bt_assert_field(&r, "new_password", "too_common");
	bt_free(&r);
	r = req("POST", "/api/v1/auth/password/reset", NULL,
	        "{\"phone\":\"%s\",\"otp\":\"%s\",\"new_password\":\"reset to this one\"}", s.phone, code);
	ck_assert_msg(r.status == 204, "%ld %s", r.status, r.body);
	bt_free(&r);
	assert_me_refused(s.access, "unauthorized");
	r = refresh(s.refresh);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_login(s.phone, s.password, NULL);
	bt_assert_problem(&r, 401, "invalid_credentials");
	bt_free(&r);
	r = bt_login(s.phone, "reset to this one", NULL);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	/* a code works once */
	r = req("POST", "/api/v1/auth/password/reset", NULL,
	        "{\"phone\":\"%s\",\"otp\":\"%s\",\"new_password\":\"and again another\"}", s.phone, code);
	bt_assert_problem(&r, 422, "otp_invalid");
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ /business */

START_TEST(business_get_and_patch)
{
	bt_session s;
	bt_signup(&s);
	bt_resp r = bt_json("GET", "/api/v1/business", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "id"), s.business_id);
	ck_assert_str_eq(bt_at_str(&r, "name"), s.business_name);
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	ck_assert_str_eq(bt_at_str(&r, "number_grouping"), "lakh");
	bt_free(&r);

	const char *m1[2] = {"If-Match: \"1\"", NULL};
	r = bt_jsonx("PATCH", "/api/v1/business", s.access, m1,
	             "{\"name\":\"Renamed\",\"currency\":\"AED\",\"timezone\":\"Asia/Dubai\","
	             "\"tax_rate_bp\":1700,\"credit_term_days\":30,\"device_cap\":5,\"language\":\"ur\","
	             "\"number_grouping\":\"thousands\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Renamed");
	ck_assert_str_eq(bt_at_str(&r, "currency"), "AED");
	ck_assert_str_eq(bt_at_str(&r, "timezone"), "Asia/Dubai");
	ck_assert_int_eq(bt_at_int(&r, "tax_rate_bp"), 1700);
	ck_assert_int_eq(bt_at_int(&r, "credit_term_days"), 30);
	ck_assert_int_eq(bt_at_int(&r, "device_cap"), 5);
	ck_assert_str_eq(bt_at_str(&r, "language"), "ur");
	ck_assert_str_eq(bt_at_str(&r, "number_grouping"), "thousands");
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	char *after = strdup(r.body);
	bt_free(&r);
	r = bt_json("GET", "/api/v1/business", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "number_grouping"), "thousands");
	ck_assert_str_eq(r.body, after);
	bt_free(&r);

	r = bt_jsonx("PATCH", "/api/v1/business", s.access, m1, "{\"name\":\"Stale\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	const char *bad_match[2] = {"If-Match: \"two\"", NULL};
	r = bt_jsonx("PATCH", "/api/v1/business", s.access, bad_match, "{\"name\":\"Odd\"}");
	bt_assert_problem(&r, 400, "bad_request");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"tax_rate_bp\":10001}");
	bt_assert_field(&r, "tax_rate_bp", "too_large");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"device_cap\":0}");
	bt_assert_field(&r, "device_cap", "too_small");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"device_cap\":51}");
	bt_assert_field(&r, "device_cap", "too_large");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"timezone\":\"Asia/Atlantis\"}");
	bt_assert_field(&r, "timezone", "invalid_timezone");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"language\":\"fr\"}");
	bt_assert_field(&r, "language", "invalid_choice");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"number_grouping\":\"bogus\"}");
	bt_assert_field(&r, "number_grouping", "invalid_choice");
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"number_grouping\":null}");
	bt_assert_field(&r, "number_grouping", "required");
	bt_free(&r);
	/* nothing changed */
	r = bt_json("GET", "/api/v1/business", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(r.body, after);
	bt_free(&r);
	free(after);
	/* without If-Match the write is unconditional */
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"device_cap\":50,\"number_grouping\":\"none\"}");
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(bt_at_int(&r, "device_cap"), 50);
	ck_assert_str_eq(bt_at_str(&r, "number_grouping"), "none");
	ck_assert_str_eq(bt_at_str(&r, "language"), "ur");
	ck_assert_int_eq(bt_at_int(&r, "version"), 3);
	bt_free(&r);
}
END_TEST

/* GET /me answers with the user and business as they are now, also right
 * after a change: each worker process keeps them until the device's stamp
 * moves (bahi_account_me.c). Enough requests reach every process. */
static void
assert_me_matches(const bt_session *s, const char *user_path, const char *user_name,
                  const char *business_name)
{
	bt_resp u = bt_json("GET", user_path, s->access, NULL);
	bt_resp b = bt_json("GET", "/api/v1/business", s->access, NULL);
	ck_assert_int_eq(u.status, 200);
	ck_assert_int_eq(b.status, 200);
	ck_assert_str_eq(bt_at_str(&u, "name"), user_name);
	ck_assert_str_eq(bt_at_str(&b, "name"), business_name);
	char *want_user = printed(u.json), *want_business = printed(b.json);
	for (int i = 0; i < 8; i++) {
		bt_resp r = bt_json("GET", "/api/v1/me", s->access, NULL);
		ck_assert_int_eq(r.status, 200);
		char *user = printed(bt_at(&r, "user")), *business = printed(bt_at(&r, "business"));
		ck_assert_str_eq(user, want_user);
		ck_assert_str_eq(business, want_business);
		ck_assert_str_eq(bt_at_str(&r, "device.id"), s->device_id);
		free(user);
		free(business);
		bt_free(&r);
	}
	free(want_user);
	free(want_business);
	bt_free(&u);
	bt_free(&b);
}

START_TEST(me_follows_the_user_and_business_at_once)
{
	bt_session s;
	char path[200];
	bt_signup(&s);
	snprintf(path, sizeof(path), "/api/v1/users/%s", s.user_id);
	assert_me_matches(&s, path, "Owner", s.business_name);
	bt_resp r = bt_json("PATCH", "/api/v1/business", s.access, "{\"name\":\"Renamed <Shop>\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	assert_me_matches(&s, path, "Owner", "Renamed <Shop>");
	r = bt_json("PATCH", path, s.access, "{\"name\":\"Owner Two\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	assert_me_matches(&s, path, "Owner Two", "Renamed <Shop>");

	/* a device signed out, then in again after a change, is not answered
	 * with what was kept for it before */
	bt_client_new();
	r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	bt_session d2 = s;
	bt_session_fill(&d2, &r);
	bt_free(&r);
	assert_me_matches(&d2, path, "Owner Two", "Renamed <Shop>");
	char dev[200];
	snprintf(dev, sizeof(dev), "/api/v1/devices/%s", d2.device_id);
	r = bt_json("DELETE", dev, s.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"name\":\"Third name\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	bt_free(&r);
	r = bt_login(s.phone, s.password, d2.device_id);
	ck_assert_int_eq(r.status, 200);
	bt_session_fill(&d2, &r);
	bt_free(&r);
	assert_me_matches(&d2, path, "Owner Two", "Third name");
}
END_TEST

/* ------------------------------------------------------------ the edge */

START_TEST(request_format_errors)
{
	bt_client_new();
	bt_resp r = bt_json("POST", "/api/v1/auth/login", NULL, "{\"phone\":");
	bt_assert_problem(&r, 400, "malformed_json");
	bt_free(&r);
	const char *text[] = {"Content-Type: text/plain", NULL};
	const char *body = "{\"phone\":\"+923001112233\",\"purpose\":\"signup\"}";
	r = bt_http("POST", "/api/v1/auth/otp", text, body, strlen(body));
	bt_assert_problem(&r, 415, "unsupported_media_type");
	bt_free(&r);
	r = bt_json("POST", "/api/v1/auth/otp", NULL,
	            "{\"phone\":\"+923001112233\",\"purpose\":\"signup\",\"channel\":\"sms\"}");
	bt_assert_field(&r, "channel", "unknown_field");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/auth/login", NULL, NULL);
	bt_assert_problem(&r, 405, "method_not_allowed");
	ck_assert_str_eq(bt_header(&r, "Allow"), "POST");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/auth/nothing-here", NULL, NULL);
	bt_assert_problem(&r, 404, "not_found");
	ck_assert_str_eq(bt_str(&r, "detail"), "No route for this path.");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/me", NULL, NULL);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	const char *basic[] = {"Authorization: Basic YWxpOnNlY3JldA==", NULL};
	r = bt_http("GET", "/api/v1/business", basic, NULL, 0);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);

	size_t n = 1024 * 1024 + 1;
	char *big = malloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	const char *json[] = {"Content-Type: application/json", NULL};
	r = bt_http("POST", "/api/v1/auth/signup", json, big, n);
	bt_assert_problem(&r, 413, "payload_too_large");
	bt_free(&r);
	free(big);
}
END_TEST

/* nginx's per-address limit on the sign-in routes: 10 r/s, bursts of 20. */
START_TEST(one_address_gets_rate_limited)
{
	bt_client_new();
	int limited_at = -1;
	for (int i = 0; i < 40 && limited_at < 0; i++) {
		/* headers that name other clients change nothing: the key is the peer address */
		char xff[64], xri[64];
		snprintf(xff, sizeof(xff), "X-Forwarded-For: 203.0.113.%d", i + 1);
		snprintf(xri, sizeof(xri), "X-Real-IP: 198.51.100.%d", i + 1);
		const char *spoof[3] = {xff, xri, NULL};
		bt_resp r = bt_jsonx("POST", "/api/v1/auth/refresh", NULL, spoof,
		                     "{\"refresh_token\":\"bm8tc3VjaC10b2tlbi1ldmVyLWlzc3VlZC1mb3ItcmF0ZS1saW1pdHM\"}");
		if (r.status == 429) {
			bt_assert_problem(&r, 429, "rate_limited");
			ck_assert_str_eq(bt_header(&r, "Retry-After"), "1");
			limited_at = i;
		} else {
			bt_assert_problem(&r, 401, "unauthorized");
		}
		bt_free(&r);
	}
	ck_assert_msg(limited_at >= 20, "limited after %d requests", limited_at);
	/* other addresses are not affected */
	bt_client_new();
	bt_resp r = refresh("bm8tc3VjaC10b2tlbi1ldmVyLWlzc3VlZC1mb3ItcmF0ZS1saW1pdHM");
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ refresh reuse */

START_TEST(refresh_reuse_after_grace_revokes_the_family)
{
	bt_session s;
	char hash[65];
	bt_signup(&s);
	bt_resp r = refresh(s.refresh);
	ck_assert_int_eq(r.status, 200);
	bt_session b = s;
	bt_session_fill(&b, &r);
	bt_free(&r);
	bahi_sha256_hex(s.refresh, strlen(s.refresh), hash);
	const char *p[1] = {hash};
	ck_assert_int_eq(bt_super_exec("UPDATE refresh_tokens SET rotated_at = rotated_at - interval '11 seconds'"
	                               " WHERE token_hash = $1 AND rotated_at IS NOT NULL", 1, p), 1);
	r = refresh(s.refresh);
	bt_assert_problem(&r, 401, "refresh_token_reused");
	bt_free(&r);
	r = refresh(b.refresh);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	const char *q[1] = {s.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM refresh_tokens WHERE business_id = $1"
	                               " AND revoked_at IS NULL", 1, q), 0);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM activity_log WHERE business_id = $1"
	                               " AND action = 'refresh_token_reused'", 1, q), 1);
}
END_TEST

START_TEST(refresh_retry_within_grace_is_not_reuse)
{
	bt_session s;
	bt_signup(&s);
	bt_resp b = refresh(s.refresh);
	ck_assert_int_eq(b.status, 200);
	bt_resp c = refresh(s.refresh);
	ck_assert_int_eq(c.status, 200);
	ck_assert_str_ne(bt_at_str(&b, "refresh_token"), bt_at_str(&c, "refresh_token"));
	bt_resp r = refresh(bt_at_str(&b, "refresh_token"));
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = refresh(bt_at_str(&c, "refresh_token"));
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	bt_free(&b);
	bt_free(&c);
}
END_TEST

typedef struct race {
	const char *token;
	const char *client;
	pthread_barrier_t *go;
	long status;
	char refresh[128];
} race;

/* One of two refreshes of the same token, released together. */
static void *
race_refresh(void *arg)
{
	race *x = arg;
	bt_client_set(x->client);
	pthread_barrier_wait(x->go);
	bt_resp r = refresh(x->token);
	x->status = r.status;
	const char *t = bt_at_str(&r, "refresh_token");
	snprintf(x->refresh, sizeof(x->refresh), "%s", t ? t : "");
	bt_free(&r);
	return NULL;
}

/* Two refreshes of one token at once (a flaky network's retry): both succeed
 * and the user can go on with either. */
START_TEST(concurrent_refresh_does_not_lock_out)
{
	bt_session s;
	pthread_barrier_t go;
	pthread_t t[2];
	race x[2];
	bt_signup(&s);
	pthread_barrier_init(&go, NULL, 2);
	for (int i = 0; i < 2; i++) {
		x[i] = (race){.token = s.refresh, .client = s.client, .go = &go};
		pthread_create(&t[i], NULL, race_refresh, &x[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&go);
	ck_assert_int_eq(x[0].status, 200);
	ck_assert_int_eq(x[1].status, 200);
	ck_assert_str_ne(x[0].refresh, x[1].refresh);
	for (int i = 0; i < 2; i++) {
		bt_resp r = refresh(x[i].refresh);
		ck_assert_msg(r.status == 200, "refresh with token %d: %ld %s", i, r.status, r.body);
		ck_assert_int_eq(me_status(bt_at_str(&r, "access_token")), 200);
		bt_free(&r);
	}
}
END_TEST

/* ------------------------------------------------------------ device cap */

typedef struct login_job {
	const char *phone, *password;
	char device[BAHI_UUID_LEN + 1];
	long status;
	char access[2048], refresh[128];
} login_job;

/* One login from its own address with its own new device id. */
static void *
login_thread(void *arg)
{
	login_job *j = arg;
	bt_client_new();
	bt_resp r = bt_login(j->phone, j->password, j->device);
	j->status = r.status;
	const char *a = bt_at_str(&r, "access_token"), *f = bt_at_str(&r, "refresh_token");
	snprintf(j->access, sizeof(j->access), "%s", a ? a : "");
	snprintf(j->refresh, sizeof(j->refresh), "%s", f ? f : "");
	bt_free(&r);
	return NULL;
}

/* 50 logins at once, each a new device from its own address, against a cap
 * of 3: every login succeeds, 3 devices stay, the rest are signed out at once. */
START_TEST(device_cap_under_fifty_concurrent_logins)
{
	enum { N = 50 };
	bt_session s;
	pthread_t t[N];
	static login_job jobs[N];
	bt_signup(&s);
	for (int i = 0; i < N; i++) {
		jobs[i] = (login_job){.phone = s.phone, .password = s.password};
		bahi_uuid_v7(jobs[i].device);
		pthread_create(&t[i], NULL, login_thread, &jobs[i]);
	}
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < N; i++)
		ck_assert_msg(jobs[i].status == 200, "login %d: %ld", i, jobs[i].status);
	const char *p[1] = {s.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1"
	                               " AND revoked_at IS NULL", 1, p), 3);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1", 1, p), N + 1);
	int live = 0;
	for (int i = 0; i < N; i++) {
		const char *q[2] = {s.business_id, jobs[i].device};
		int active = bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1 AND id = $2"
		                           " AND revoked_at IS NULL", 2, q) == 1;
		live += active;
		if (active) {
			ck_assert_int_eq(me_status(jobs[i].access), 200);
		} else {
			assert_me_refused(jobs[i].access, "unauthorized");
			bt_client_new();
			bt_resp r = refresh(jobs[i].refresh);
			bt_assert_problem(&r, 401, "unauthorized");
			bt_free(&r);
		}
	}
	ck_assert_int_eq(live, 3);
	assert_me_refused(s.access, "unauthorized");
	for (int i = 0; i < N; i++) {
		const char *q[2] = {s.business_id, jobs[i].device};
		if (bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1 AND id = $2"
		                  " AND revoked_at IS NULL", 2, q) != 1)
			continue;
		bt_resp r = bt_json("GET", "/api/v1/devices", jobs[i].access, NULL);
		ck_assert_int_eq(r.status, 200);
		ck_assert_int_eq(cJSON_GetArraySize(bt_at(&r, "items")), 3);
		bt_free(&r);
		break;
	}
}
END_TEST

START_TEST(device_cap_one_signs_the_other_device_out)
{
	bt_session s;
	bt_signup(&s);
	bt_resp r = bt_json("PATCH", "/api/v1/business", s.access, "{\"device_cap\":1}");
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	ck_assert_int_eq(me_status(s.access), 200);
	bt_client_new();
	r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	assert_me_refused(s.access, "unauthorized");
	ck_assert_int_eq(me_status(bt_at_str(&r, "access_token")), 200);
	bt_free(&r);
	/* the same device signing in again does not count twice */
	bt_client_new();
	r = bt_login(s.phone, s.password, s.device_id);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "device.id"), s.device_id);
	ck_assert_int_eq(me_status(bt_at_str(&r, "access_token")), 200);
	bt_free(&r);
	const char *p[1] = {s.business_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1"
	                               " AND revoked_at IS NULL", 1, p), 1);
}
END_TEST

/* ------------------------------------------------------------ users */

static int
items_count(const bt_resp *r)
{
	const cJSON *items = bt_at(r, "items");
	ck_assert_msg(cJSON_IsArray(items), "no items: %s", r->body);
	return cJSON_GetArraySize(items);
}

/* Owner s adds a clerk (its phone given in national format) through POST /users. */
static void
add_clerk(const bt_session *s, char phone[BT_PHONE_LEN], char id[40])
{
	char national[32];
	bt_phone_new(phone);
	snprintf(national, sizeof(national), "0%.3s %.7s", phone + 3, phone + 6);
	bt_resp r = req("POST", "/api/v1/users", s->access, "{\"phone\":\"%s\",\"name\":\"Bilal\","
	                "\"role\":\"clerk\",\"password\":\"clerk secret one\"}", national);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "phone"), phone);
	ck_assert_str_eq(bt_at_str(&r, "name"), "Bilal");
	ck_assert_str_eq(bt_at_str(&r, "role"), "clerk");
	ck_assert_int_eq(bt_at_int(&r, "version"), 1);
	ck_assert_ptr_null(bt_at(&r, "password_hash"));
	ck_assert_ptr_null(strstr(r.body, "argon2"));
	snprintf(id, 40, "%s", bt_at_str(&r, "id"));
	bt_free(&r);
}

START_TEST(users_are_created_and_listed)
{
	bt_session s;
	char phone[BT_PHONE_LEN], path[200], id[40];
	bt_signup(&s);
	add_clerk(&s, phone, id);
	bt_resp r = req("POST", "/api/v1/users", s.access, "{\"phone\":\"%s\",\"name\":\"Again\","
	                "\"role\":\"clerk\",\"password\":\"clerk secret two\"}", phone);
	bt_assert_problem(&r, 409, "phone_taken");
	bt_free(&r);
	r = req("POST", "/api/v1/users", s.access, "{\"phone\":\"+923001230000\",\"name\":\"Boss\","
	        "\"role\":\"owner\",\"password\":\"owner secret two\"}");
	bt_assert_field(&r, "role", "invalid_choice");
	bt_free(&r);
	r = req("POST", "/api/v1/users", s.access, "{\"phone\":\"+923001230000\",\"name\":\"Weak\","
	        "\"role\":\"clerk\",\"password\":\"password\"}");
	bt_assert_field(&r, "password", "too_common");
	bt_free(&r);

	r = bt_json("GET", "/api/v1/users", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(items_count(&r), 2);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), s.user_id);
	ck_assert_str_eq(bt_at_str(&r, "items.1.id"), id);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
	r = bt_json("GET", "/api/v1/users?limit=1", s.access, NULL);
	ck_assert_int_eq(items_count(&r), 1);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), s.user_id);
	ck_assert_ptr_nonnull(bt_at_str(&r, "next_cursor"));
	snprintf(path, sizeof(path), "/api/v1/users?limit=1&cursor=%s", bt_at_str(&r, "next_cursor"));
	bt_free(&r);
	r = bt_json("GET", path, s.access, NULL);
	ck_assert_int_eq(items_count(&r), 1);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), id);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
	r = bt_json("GET", "/api/v1/users?limit=201", s.access, NULL);
	bt_assert_field(&r, "limit", "invalid_number");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/users?cursor=nonsense", s.access, NULL);
	bt_assert_field(&r, "cursor", "invalid_cursor");
	bt_free(&r);
}
END_TEST

START_TEST(users_are_changed_and_deleted)
{
	bt_session s;
	char phone[BT_PHONE_LEN], path[200], id[40];
	bt_signup(&s);
	add_clerk(&s, phone, id);
	bt_client_new();
	bt_resp clerk = bt_login(phone, "clerk secret one", NULL);
	ck_assert_int_eq(clerk.status, 200);
	/* a new role applies at once: the user's sessions end */
	snprintf(path, sizeof(path), "/api/v1/users/%s", id);
	const char *m1[2] = {"If-Match: \"1\"", NULL};
	bt_resp r = bt_jsonx("PATCH", path, s.access, m1, "{\"name\":\"Bilal K\",\"role\":\"admin\"}");
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "role"), "admin");
	ck_assert_str_eq(bt_at_str(&r, "name"), "Bilal K");
	ck_assert_int_eq(bt_at_int(&r, "version"), 2);
	bt_free(&r);
	assert_me_refused(bt_at_str(&clerk, "access_token"), "unauthorized");
	bt_free(&clerk);
	/* the session check reads the role and token version off the device row */
	const char *ids[2] = {s.business_id, id};
	char *copied = bt_super_value("SELECT user_role || ' ' || token_version FROM devices"
	                              " WHERE business_id = $1 AND user_id = $2", 2, ids);
	ck_assert_str_eq(copied, "admin 2");
	free(copied);
	r = bt_jsonx("PATCH", path, s.access, m1, "{\"name\":\"Stale\"}");
	bt_assert_problem(&r, 412, "version_conflict");
	bt_free(&r);
	snprintf(path, sizeof(path), "/api/v1/users/%s", s.user_id);
	r = bt_json("PATCH", path, s.access, "{\"role\":\"clerk\"}");
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);
	r = bt_json("DELETE", path, s.access, NULL);
	bt_assert_problem(&r, 403, "forbidden");
	bt_free(&r);

	snprintf(path, sizeof(path), "/api/v1/users/%s", id);
	r = bt_json("DELETE", path, s.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	/* a removed user's devices are signed out */
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1"
	                               " AND user_id = $2 AND revoked_at IS NULL", 2, ids), 0);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1"
	                               " AND user_id = $2", 2, ids), 1);
	r = bt_json("GET", path, s.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("DELETE", path, s.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/users/not-a-uuid", s.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	bt_client_new();
	r = bt_login(phone, "clerk secret one", NULL);
	bt_assert_problem(&r, 401, "invalid_credentials");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/users", s.access, NULL);
	ck_assert_int_eq(items_count(&r), 1);
	bt_free(&r);
	/* a removed user's phone may be given to someone else */
	r = req("POST", "/api/v1/users", s.access, "{\"phone\":\"%s\",\"name\":\"Successor\","
	        "\"role\":\"clerk\",\"password\":\"successor secret\"}", phone);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	ck_assert_str_ne(bt_at_str(&r, "id"), id);
	bt_free(&r);
	bt_client_new();
	r = bt_login(phone, "successor secret", NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(bt_at_str(&r, "user.name"), "Successor");
	bt_free(&r);
}
END_TEST

/* ------------------------------------------------------------ devices */

START_TEST(devices_are_listed_and_revoked_at_once)
{
	bt_session s, d2;
	char path[200];
	bt_signup(&s);
	bt_client_new();
	bt_resp r = bt_login(s.phone, s.password, NULL);
	ck_assert_int_eq(r.status, 200);
	d2 = s;
	bt_session_fill(&d2, &r);
	bt_free(&r);

	r = bt_json("GET", "/api/v1/devices", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(items_count(&r), 2);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), s.device_id);
	ck_assert(cJSON_IsTrue(bt_at(&r, "items.0.current")));
	ck_assert_str_eq(bt_at_str(&r, "items.0.name"), "Phone");
	ck_assert_str_eq(bt_at_str(&r, "items.0.platform"), "android");
	ck_assert_ptr_nonnull(bt_at_str(&r, "items.0.last_seen_at"));
	ck_assert_str_eq(bt_at_str(&r, "items.1.id"), d2.device_id);
	ck_assert(cJSON_IsFalse(bt_at(&r, "items.1.current")));
	bt_free(&r);

	snprintf(path, sizeof(path), "/api/v1/devices/%s", d2.device_id);
	r = bt_json("DELETE", path, s.access, NULL);
	ck_assert_int_eq(r.status, 204);
	bt_free(&r);
	assert_me_refused(d2.access, "unauthorized");
	r = refresh(d2.refresh);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	r = bt_json("DELETE", path, s.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("DELETE", "/api/v1/devices/0190a2b3-0000-7000-8000-00000000dead", s.access, NULL);
	bt_assert_problem(&r, 404, "not_found");
	bt_free(&r);
	r = bt_json("GET", "/api/v1/devices", s.access, NULL);
	ck_assert_int_eq(items_count(&r), 1);
	ck_assert_str_eq(bt_at_str(&r, "items.0.id"), s.device_id);
	bt_free(&r);
	ck_assert_int_eq(me_status(s.access), 200);
}
END_TEST

/* A device id is one user's: another user of the business cannot take it over. */
START_TEST(device_id_of_another_user_is_refused)
{
	bt_session s;
	char phone[BT_PHONE_LEN], id[40];
	bt_signup(&s);
	add_clerk(&s, phone, id);
	bt_client_new();
	bt_resp r = bt_login(phone, "clerk secret one", s.device_id);
	bt_assert_problem(&r, 409, "conflict");
	bt_free(&r);
	ck_assert_int_eq(me_status(s.access), 200);
	r = refresh(s.refresh);
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	const char *p[2] = {s.business_id, s.device_id};
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1 AND id = $2"
	                               " AND user_id = (SELECT id FROM users WHERE business_id = $1"
	                               " AND role = 'owner') AND revoked_at IS NULL", 2, p), 1);
}
END_TEST

START_TEST(pairing_adds_a_device_once)
{
	bt_session s;
	char token[128], body[512];
	bt_signup(&s);
	bt_resp r = bt_json("POST", "/api/v1/devices/pairing", s.access, NULL);
	ck_assert_msg(r.status == 201, "%ld %s", r.status, r.body);
	snprintf(token, sizeof(token), "%s", bt_at_str(&r, "pairing_token"));
	ck_assert_uint_eq(strlen(token), 43);
	ck_assert_ptr_nonnull(strstr(bt_at_str(&r, "qr_svg"), "<svg "));
	const char *p[1] = {bt_at_str(&r, "expires_at")};
	long ttl = bt_super_long("SELECT round(extract(epoch FROM $1::timestamptz - now()))", 1, p);
	ck_assert_msg(ttl >= 290 && ttl <= 300, "expires in %ld s", ttl);
	bt_free(&r);

	snprintf(body, sizeof(body), "{\"pairing_token\":\"%s\",\"device\":{\"name\":\"Tablet\","
	         "\"platform\":\"ios\"}}", token);
	bt_client_new();
	r = bt_json("POST", "/api/v1/auth/pair", NULL, body);
	ck_assert_msg(r.status == 200, "%ld %s", r.status, r.body);
	ck_assert_str_eq(bt_at_str(&r, "user.id"), s.user_id);
	ck_assert_str_eq(bt_at_str(&r, "business.id"), s.business_id);
	ck_assert_str_eq(bt_at_str(&r, "device.name"), "Tablet");
	ck_assert_str_ne(bt_at_str(&r, "device.id"), s.device_id);
	ck_assert_str_eq(bt_at_str(&r, "token_type"), "Bearer");
	ck_assert_int_eq(me_status(bt_at_str(&r, "access_token")), 200);
	bt_free(&r);
	r = bt_json("POST", "/api/v1/auth/pair", NULL, body);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);

	/* an expired one */
	r = bt_json("POST", "/api/v1/devices/pairing", s.access, NULL);
	ck_assert_int_eq(r.status, 201);
	snprintf(token, sizeof(token), "%s", bt_at_str(&r, "pairing_token"));
	bt_free(&r);
	const char *q[1] = {s.business_id};
	ck_assert_int_eq(bt_super_exec("UPDATE pairing_tokens SET expires_at = now() - interval '1 second'"
	                               " WHERE business_id = $1 AND used_at IS NULL", 1, q), 1);
	snprintf(body, sizeof(body), "{\"pairing_token\":\"%s\",\"device\":{\"name\":\"Tablet\","
	         "\"platform\":\"ios\"}}", token);
	r = bt_json("POST", "/api/v1/auth/pair", NULL, body);
	bt_assert_problem(&r, 401, "unauthorized");
	bt_free(&r);
	ck_assert_int_eq(bt_super_long("SELECT count(*) FROM devices WHERE business_id = $1", 1, q), 2);
}
END_TEST

/* ------------------------------------------------------------ activity */

START_TEST(activity_lists_what_happened_newest_first)
{
	bt_session s;
	char addr[24];
	bt_signup(&s);
	snprintf(addr, sizeof(addr), "%s", bt_client_new());
	/* the address logged is the peer's, whatever the request claims */
	char body[256];
	const char *spoof[2] = {"X-Forwarded-For: 203.0.113.7", NULL};
	snprintf(body, sizeof(body), "{\"phone\":\"%s\",\"password\":\"not the password\","
	         "\"device\":{\"name\":\"Phone\",\"platform\":\"web\"}}", s.phone);
	bt_resp r = bt_jsonx("POST", "/api/v1/auth/login", NULL, spoof, body);
	ck_assert_int_eq(r.status, 401);
	bt_free(&r);
	r = bt_json("PATCH", "/api/v1/business", s.access, "{\"name\":\"Renamed\"}");
	ck_assert_int_eq(r.status, 200);
	bt_free(&r);
	r = bt_json("GET", "/api/v1/activity", s.access, NULL);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(items_count(&r), 3);
	ck_assert_str_eq(bt_at_str(&r, "items.0.action"), "settings_changed");
	ck_assert_str_eq(bt_at_str(&r, "items.0.ip"), addr);
	ck_assert_str_eq(bt_at_str(&r, "items.0.user_id"), s.user_id);
	ck_assert_str_eq(bt_at_str(&r, "items.1.action"), "signin_failed");
	ck_assert_str_eq(bt_at_str(&r, "items.1.ip"), addr);
	ck_assert_str_eq(bt_at_str(&r, "items.2.action"), "signup");
	ck_assert_str_eq(bt_at_str(&r, "items.2.ip"), s.client);
	ck_assert(cJSON_IsNull(bt_at(&r, "next_cursor")));
	bt_free(&r);
}
END_TEST

/* Every test speaks from addresses of its own (nginx limits sign-ins per address). */
static void
fresh_client(void)
{
	bt_client_new();
}

int
main(void)
{
	bt_start();
	Suite *s = suite_create("auth");
	TCase *t = tcase_create("auth");
	tcase_set_timeout(t, 60);
	tcase_add_checked_fixture(t, fresh_client, NULL);
	tcase_add_test(t, signup_full_flow);
	tcase_add_test(t, signup_business_settings_and_their_validation);
	tcase_add_test(t, signup_validation_failed);
	tcase_add_test(t, signup_phone_taken);
	tcase_add_test(t, signup_idempotency_key);
	tcase_add_test(t, otp_five_wrong_tries_kill_the_code);
	tcase_add_test(t, otp_expired);
	tcase_add_test(t, otp_is_bound_to_its_purpose);
	tcase_add_test(t, otp_fourth_send_in_an_hour_is_rate_limited);
	tcase_add_test(t, concurrent_signups_with_one_code_make_one_business);
	tcase_add_test(t, concurrent_otp_sends_respect_the_hourly_limit);
	tcase_add_test(t, reset_code_for_unknown_phone_is_not_sent);
	tcase_add_test(t, login_and_invalid_credentials);
	tcase_add_test(t, refresh_rotates_the_pair);
	tcase_add_test(t, logout_ends_only_that_device);
	tcase_add_test(t, password_change_ends_every_session);
	tcase_add_test(t, password_reset_with_otp);
	tcase_add_test(t, business_get_and_patch);
	tcase_add_test(t, me_follows_the_user_and_business_at_once);
	tcase_add_test(t, request_format_errors);
	tcase_add_test(t, one_address_gets_rate_limited);
	tcase_add_test(t, refresh_reuse_after_grace_revokes_the_family);
	tcase_add_test(t, refresh_retry_within_grace_is_not_reuse);
	tcase_add_test(t, concurrent_refresh_does_not_lock_out);
	tcase_add_test(t, device_cap_under_fifty_concurrent_logins);
	tcase_add_test(t, device_cap_one_signs_the_other_device_out);
	tcase_add_test(t, users_are_created_and_listed);
	tcase_add_test(t, users_are_changed_and_deleted);
	tcase_add_test(t, devices_are_listed_and_revoked_at_once);
	tcase_add_test(t, device_id_of_another_user_is_refused);
	tcase_add_test(t, pairing_adds_a_device_once);
	tcase_add_test(t, activity_lists_what_happened_newest_first);
	suite_add_tcase(s, t);
	return bahi_check_run(s);
}
