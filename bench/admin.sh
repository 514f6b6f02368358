# bench/admin.sh: the admin suite of bench/run: the product list page (50 rows) and the dashboard of a business with 100,000 invoices, against the admin worker's health in the same run.
#
# Sourced by bench/run after bench/lib.sh. admin_setup loads
# bench/dashboard-data.sql (a business with a year of sales: 100,000
# invoices, 2,000 products, 3,000 customers; skipped when the stack holds it
# already), gives it an owner who signs in through the sign-in page like a
# browser (its CSRF cookie, then the form) and checks both pages; admin_run
# measures and reports.
# shellcheck shell=bash disable=SC2153

ADMIN_GOAL_LIST=0.15
ADMIN_GOAL_DASHBOARD=0.10
ADMIN_TARGETS=(adm_products adm_dashboard adm_health)
ADMIN_INVOICES=100000
ADMIN_PHONE=+923000000071
ADMIN_COOKIE=""

target adm_products "admin product list" "/admin/products (50 rows)" admin_measure_page
target adm_dashboard "admin dashboard" "/admin/ (100,000 invoices)" admin_measure_page
target adm_health "admin health" /api/v1/admin/health admin_measure_health

# Loads the business unless it is there; its owner has the demo owner's
# password (its Argon2id hash is copied), demo-shop-2026.
admin_data() {
	local bid start
	bid=$(bench_sql_value "SELECT id FROM businesses WHERE name = 'Dashboard Bench'")
	if [ -z "$bid" ]; then
		bid=$(bench_sql_value "SELECT gen_random_uuid()")
		start=$SECONDS
		bench_psql -v bid="$bid" -v invoices="$ADMIN_INVOICES" \
			-f "$ROOT/bench/dashboard-data.sql" >/dev/null || die "bench/dashboard-data.sql failed"
		say "admin data: $ADMIN_INVOICES invoices loaded in $((SECONDS - start))s"
	else
		say "admin data: reusing business $bid"
	fi
	bench_psql -v bid="$bid" -v phone="$ADMIN_PHONE" >/dev/null <<-'SQL'
		INSERT INTO users (business_id, id, phone, name, role, password_hash)
		SELECT :'bid', gen_random_uuid(), :'phone', 'Bench Owner', 'owner', password_hash
		  FROM users WHERE phone = '+923000000001'
		ON CONFLICT DO NOTHING;
		UPDATE businesses SET device_cap = 50 WHERE id = :'bid';
	SQL
}

# Signs in through the form as a browser does; sets ADMIN_COOKIE.
admin_signin() {
	local csrf headers
	csrf=$(curl -s -D - -o /dev/null "http://127.0.0.1:$PORT/admin/login" |
		sed -n 's/^Set-Cookie: __Host-bahi_csrf=\([^;]*\);.*/\1/p')
	[ -n "$csrf" ] || die "the sign-in page set no CSRF cookie"
	headers=$(curl -s -D - -o /dev/null -H "Cookie: __Host-bahi_csrf=$csrf" \
		--data-urlencode "csrf=$csrf" --data-urlencode "phone=$ADMIN_PHONE" \
		--data-urlencode "password=demo-shop-2026" "http://127.0.0.1:$PORT/admin/login")
	ADMIN_COOKIE=$(sed -n 's/^Set-Cookie: __Host-bahi_session=\([^;]*\);.*/\1/p' <<<"$headers")
	[ -n "$ADMIN_COOKIE" ] || die "signing in to the admin panel failed: $headers"
}

admin_setup() {
	admin_data
	admin_signin
	local page rows
	page=$(curl -sf -H "Cookie: __Host-bahi_session=$ADMIN_COOKIE" "http://127.0.0.1:$PORT/admin/products") ||
		die "/admin/products does not answer 200"
	rows=$(grep -c '<tr' <<<"$page")
	[ "$rows" -ge 51 ] || die "/admin/products shows $rows table rows, not 50 products and a header"
	page=$(curl -sf -H "Cookie: __Host-bahi_session=$ADMIN_COOKIE" "http://127.0.0.1:$PORT/admin/") ||
		die "/admin/ does not answer 200"
	grep -q 'id="stat-month"' <<<"$page" || die "/admin/ shows no figures"
	wait_200 /api/v1/admin/health
}

admin_measure_page() {
	local path=/admin/products
	[ "$1" = adm_dashboard ] && path=/admin/
	BENCH_STRICT=1 wrk_measure "$path" "$2" "$CONNECTIONS" \
		-H "Cookie: __Host-bahi_session=$ADMIN_COOKIE"
}

admin_measure_health() { BENCH_STRICT=1 wrk_measure /api/v1/admin/health "$2" "$CONNECTIONS"; }

admin_run() {
	say "bahi admin benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (warm-up $WARMUP)," \
		"$(worker_processes admin) admin worker processes, best of $ROUNDS rounds, $(nproc) CPUs"
	run_rounds "${ADMIN_TARGETS[@]}"
	report_table "${ADMIN_TARGETS[@]}"
	report_ratio "product list page/health" adm_products adm_health "$ADMIN_GOAL_LIST"
	report_ratio "dashboard/health" adm_dashboard adm_health "$ADMIN_GOAL_DASHBOARD"
}
