/* bahi_remind: the daily reminder job: walks the businesses, finds debts turning red or overdue, queues one SMS and WhatsApp link per customer per day. */
#include "bahi_remind.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "bahi_changelog.h"
#include "bahi_db.h"
#include "bahi_log.h"
#include "bahi_money.h"
#include "bahi_num.h"
#include "bahi_pdf.h"
#include "bahi_req.h"
#include "bahi_sms.h"
#include "bahi_uuid.h"
#include "bahi_worker.h"

/* Businesses listed per transaction of the scan. */
#define SCAN_BATCH 200
#define STR(x) #x
#define XSTR(x) STR(x)
#define NIL_UUID "00000000-0000-0000-0000-000000000000"

static const bahi_worker_def remind_def = {.name = "remind"};

/* Only with app.job = 'reminders' (policy businesses_reminder_scan). */
static BAHI_STMT(remind_scan,
	"SELECT id, name, language, currency, timezone FROM businesses"
	" WHERE deleted_at IS NULL AND id > $1::uuid ORDER BY id LIMIT " XSTR(SCAN_BATCH));
/*
 * Per customer not yet reminded today ($4), the most urgent open debt that
 * is red or overdue (due on or before $2, the end of the red range) and has
 * no reminder for the status it has now (overdue when due on or before $3,
 * the end of the overdue range; else red). The ranges are
 * bahi_debt_due_range's.
 */
static BAHI_STMT(remind_candidates,
	"SELECT DISTINCT ON (b.customer_id) b.customer_id, b.invoice_id, b.number::text,"
	" b.due_date - date '1970-01-01', b.balance_due, c.phone"
	" FROM invoice_balances b"
	" JOIN customers c ON c.business_id = b.business_id AND c.id = b.customer_id"
	" WHERE b.business_id = $1 AND b.balance_due > 0 AND b.due_date <= $2::date"
	" AND NOT EXISTS (SELECT 1 FROM debt_reminders r WHERE r.business_id = $1"
	"  AND r.invoice_id = b.invoice_id"
	"  AND r.debt_status = CASE WHEN b.due_date <= $3::date THEN 'overdue' ELSE 'red' END)"
	" AND NOT EXISTS (SELECT 1 FROM debt_reminders r WHERE r.business_id = $1"
	"  AND r.customer_id = b.customer_id AND r.sent_on = $4::date)"
	" ORDER BY b.customer_id, b.due_date, b.number");
/* No row when the customer got a reminder today meanwhile (another run). */
static BAHI_STMT(remind_insert,
	"INSERT INTO debt_reminders (business_id, id, customer_id, invoice_id, debt_status,"
	" sent_on, phone, sms_text, whatsapp_url) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
	" ON CONFLICT (business_id, customer_id, sent_on) DO NOTHING RETURNING id");
static BAHI_STMT(remind_drop,
	"DELETE FROM debt_reminders WHERE business_id = $1 AND id = $2");

char *
bahi_remind_text(bahi_pool *pool, const bahi_remind_business *b, int64_t amount, bahi_date due,
                 const char *number, bahi_debt_status status)
{
	char money[64], date[16];
	bahi_money_format(amount, bahi_currency_decimals(b->currency),
	                  bahi_pdf_currency_symbol(b->currency), ',', money, sizeof(money));
	bahi_date_format(due, date, sizeof(date));
	int overdue = status == BAHI_DEBT_OVERDUE;
	if (b->language != NULL && strcmp(b->language, "ur") == 0)
		return overdue ?
		    bahi_pool_printf(pool, "%s: انوائس نمبر %s کی رقم %s کی آخری تاریخ %s تھی۔"
		                     " براہ کرم جلد ادائیگی کریں۔ شکریہ۔", b->name, number, money, date) :
		    bahi_pool_printf(pool, "%s: انوائس نمبر %s کی رقم %s کی آخری تاریخ %s ہے۔ شکریہ۔",
		                     b->name, number, money, date);
	return overdue ?
	    bahi_pool_printf(pool, "%s: %s was due on %s for invoice %s. Please pay soon. Thank you.",
	                     b->name, money, date, number) :
	    bahi_pool_printf(pool, "%s: %s is due on %s for invoice %s. Thank you.",
	                     b->name, money, date, number);
}

char *
bahi_whatsapp_url(bahi_pool *pool, const char *phone, const char *text)
{
	char digits[32];
	size_t n = 0;
	for (const char *p = phone; p != NULL && *p != '\0' && n + 1 < sizeof(digits); p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	digits[n] = '\0';
	char *enc = curl_easy_escape(NULL, text, 0);
	if (enc == NULL)
		return NULL;
	char *url = bahi_pool_printf(pool, "https://wa.me/%s?text=%s", digits, enc);
	curl_free(enc);
	return url;
}

/* One candidate row of remind_candidates. */
typedef struct remind_row {
	const char *customer_id, *invoice_id, *number, *phone;
	bahi_date due;
	int64_t amount;
} remind_row;

/* Sends the reminder's SMS. 1 when sent, 0 when the gateway failed (the
 * reminder is dropped again, the problem cleared), -1 with a problem. */
static int
remind_sms(bahi_req *req, const char *id, const char *phone, const char *text)
{
	if (bahi_sms_send(req, phone, text) == 0)
		return 1;
	if (req->problem.code == NULL || strcmp(req->problem.code, "service_unavailable") != 0)
		return -1;
	memset(&req->problem, 0, sizeof(req->problem));
	const char *p[2] = {req->tx_business, id};
	return bahi_db_exec(req, &remind_drop, 2, p) == NULL ? -1 : 0;
}

/* Queues the reminder of one candidate. 0, or -1 with a problem. */
static int
remind_one(bahi_req *req, const bahi_remind_business *b, const remind_row *row, bahi_date today,
           bahi_remind_counts *c)
{
	char id[BAHI_UUID_LEN + 1], sent_on[16];
	bahi_debt_status status = bahi_debt_classify(row->due, today).status;
	char *text = bahi_remind_text(req->pool, b, row->amount, row->due, row->number, status);
	char *url = row->phone != NULL ? bahi_whatsapp_url(req->pool, row->phone, text) : NULL;
	bahi_uuid_v7(id);
	bahi_date_format(today, sent_on, sizeof(sent_on));
	const char *p[9] = {
		req->tx_business, id, row->customer_id, row->invoice_id,
		bahi_debt_status_name(status), sent_on, row->phone, text, url,
	};
	PGresult *res = bahi_db_exec(req, &remind_insert, 9, p);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	if (row->phone != NULL) {
		int sent = remind_sms(req, id, row->phone, text);
		if (sent < 0)
			return -1;
		if (sent == 0) {
			c->sms_failed++;
			return 0;
		}
		c->sms_sent++;
	}
	c->queued++;
	bahi_changelog_add(req, "debt_reminder", id, "upsert", 1);
	return 0;
}

/* Reads row r of remind_candidates. 0, or -1 with a problem. */
static int
read_row(bahi_req *req, const PGresult *res, int r, remind_row *row)
{
	int64_t day;
	row->customer_id = bahi_db_get(res, r, 0);
	row->invoice_id = bahi_db_get(res, r, 1);
	row->number = bahi_db_get(res, r, 2);
	row->phone = bahi_db_isnull(res, r, 5) ? NULL : bahi_db_get(res, r, 5);
	if (bahi_num_parse(bahi_db_get(res, r, 3), INT32_MIN, INT32_MAX, &day, NULL) != 0 ||
	    bahi_num_parse(bahi_db_get(res, r, 4), 1, BAHI_MONEY_MAX, &row->amount, NULL) != 0)
		return bahi_fail(req, "internal_error", "A debt could not be read.");
	row->due = bahi_date_from_days(day);
	return 0;
}

int
bahi_remind_business_run(bahi_req *req, const bahi_remind_business *b, time_t now,
                         bahi_remind_counts *c)
{
	bahi_date today;
	char red_end[16], overdue_end[16], day[16];
	if (bahi_date_local(b->timezone, now, &today) != 0)
		return bahi_fail(req, "internal_error", "Unknown time zone '%s'.", b->timezone);
	bahi_date_format(bahi_debt_due_range(BAHI_DEBT_RED, today).max, red_end, sizeof(red_end));
	bahi_date_format(bahi_debt_due_range(BAHI_DEBT_OVERDUE, today).max, overdue_end,
	                 sizeof(overdue_end));
	bahi_date_format(today, day, sizeof(day));
	const char *p[4] = {req->tx_business, red_end, overdue_end, day};
	PGresult *res = bahi_db_exec(req, &remind_candidates, 4, p);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		remind_row row;
		if (read_row(req, res, r, &row) != 0 || remind_one(req, b, &row, today, c) != 0)
			return -1;
	}
	return 0;
}

/* One business, row r of a scan page, in its own request and transaction. */
static void
remind_business(const PGresult *scan, int r, time_t now, bahi_remind_counts *c)
{
	bahi_req req;
	bahi_remind_counts one = {0};
	bahi_req_local(&req, &remind_def);
	const char *bid = bahi_pool_strdup(req.pool, bahi_db_get(scan, r, 0));
	bahi_remind_business b = {
		.name = bahi_db_get(scan, r, 1), .language = bahi_db_get(scan, r, 2),
		.currency = bahi_db_get(scan, r, 3), .timezone = bahi_db_get(scan, r, 4),
	};
	req.auth.business_id = bid;
	int rc = bahi_tx_begin(&req, bid);
	if (rc == 0)
		rc = bahi_remind_business_run(&req, &b, now, &one);
	if (rc == 0)
		rc = bahi_tx_commit(&req);
	c->businesses++;
	if (rc != 0) {
		bahi_tx_rollback(&req);
		bahi_log_error(&req, "reminders for business %s failed: %s: %s", bid,
		               req.problem.code ? req.problem.code : "error",
		               req.problem.detail ? req.problem.detail : "-");
		c->failed++;
	} else {
		c->queued += one.queued;
		c->sms_sent += one.sms_sent;
		c->sms_failed += one.sms_failed;
	}
	bahi_req_local_free(&req);
}

/* Lists the businesses after id `after` in scan's own transaction. NULL
 * with a problem. */
static PGresult *
scan_page(bahi_req *scan, const char *after)
{
	const char *p[1] = {after};
	PGresult *res;
	if (bahi_tx_begin(scan, NULL) != 0 || bahi_tx_set_lookup(scan, "app.job", "reminders") != 0 ||
	    (res = bahi_db_exec(scan, &remind_scan, 1, p)) == NULL || bahi_tx_commit(scan) != 0) {
		bahi_tx_rollback(scan);
		return NULL;
	}
	return res;
}

int
bahi_remind_run(time_t now, bahi_remind_counts *c)
{
	char after[BAHI_UUID_LEN + 1] = NIL_UUID;
	int rows;
	memset(c, 0, sizeof(*c));
	do {
		bahi_req scan;
		bahi_req_local(&scan, &remind_def);
		PGresult *res = scan_page(&scan, after);
		if (res == NULL) {
			bahi_log_error(&scan, "reminders: the businesses could not be listed: %s",
			               scan.problem.detail ? scan.problem.detail : "-");
			bahi_req_local_free(&scan);
			return -1;
		}
		rows = PQntuples(res);
		for (int r = 0; r < rows; r++)
			remind_business(res, r, now, c);
		if (rows > 0)
			snprintf(after, sizeof(after), "%s", bahi_db_get(res, rows - 1, 0));
		bahi_req_local_free(&scan);
	} while (rows == SCAN_BATCH);
	return c->failed > 0 ? -1 : 0;
}
