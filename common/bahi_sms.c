/* bahi_sms: delivers text messages through the outbox table or an HTTP gateway. */
#include "bahi_sms.h"

#include <string.h>

#include <curl/curl.h>

#include "bahi_config.h"
#include "bahi_db.h"
#include "bahi_log.h"
#include "bahi_req.h"

static BAHI_STMT(sms_record,
	"INSERT INTO sms_outbox (phone, body, provider, status) VALUES ($1, $2, $3, $4)");

static size_t
discard(char *p, size_t size, size_t n, void *u)
{
	(void)p;
	(void)u;
	return size * n;
}

/* Expands the URL template, percent-encoding the values. */
static char *
expand_url(bahi_req *req, CURL *c, const char *tpl, const char *phone, const char *text)
{
	char *ep = curl_easy_escape(c, phone, 0), *et = curl_easy_escape(c, text, 0);
	bahi_buf b;
	bahi_buf_init(&b, 8192);
	for (const char *p = tpl; *p; ) {
		if (strncmp(p, "{phone}", 7) == 0) {
			bahi_buf_puts(&b, ep);
			p += 7;
		} else if (strncmp(p, "{text}", 6) == 0) {
			bahi_buf_puts(&b, et);
			p += 6;
		} else {
			bahi_buf_putc(&b, *p++);
		}
	}
	curl_free(ep);
	curl_free(et);
	char *url = b.overflow ? NULL : bahi_pool_strdup(req->pool, b.data);
	bahi_buf_free(&b);
	return url;
}

static int
send_http(bahi_req *req, const char *phone, const char *text)
{
	CURL *c = curl_easy_init();
	if (c == NULL)
		return -1;
	char *url = expand_url(req, c, bahi_config_get("sms_http_url"), phone, text);
	struct curl_slist *h = NULL;
	const char *auth = bahi_config_get("sms_http_auth");
	if (auth != NULL && *auth)
		h = curl_slist_append(h, bahi_pool_printf(req->pool, "Authorization: %s", auth));
	long status = 0;
	CURLcode rc = CURLE_URL_MALFORMAT;
	if (url != NULL) {
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK || status < 200 || status > 299) {
		bahi_log_error(req, "SMS gateway failed: %s, HTTP %ld", curl_easy_strerror(rc), status);
		return -1;
	}
	return 0;
}

int
bahi_sms_send(bahi_req *req, const char *phone, const char *text)
{
	const char *provider = bahi_config_get("sms_provider");
	const char *status = "queued";
	if (strcmp(provider, "http") == 0) {
		if (send_http(req, phone, text) != 0)
			return bahi_fail(req, "service_unavailable", "The SMS could not be sent; try again.");
		status = "sent";
	} else if (strcmp(provider, "outbox") == 0) {
		bahi_log_info("sms outbox: to %s: %s", phone, text);
	} else {
		return bahi_fail(req, "internal_error", "Unknown sms_provider '%s'.", provider);
	}
	const char *p[4] = {phone, text, provider, status};
	return bahi_db_exec(req, &sms_record, 4, p) == NULL ? -1 : 0;
}
