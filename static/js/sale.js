/* sale.js: the new-sale page's live totals (the rules of common/bahi_totals.c, in integers), product search and customer look-up. The page works without it; the server's figures are the truth. */
(function () {
	'use strict';

	var MONEY_MAX = 1000000000000000n;   /* BAHI_MONEY_MAX, 10^15 minor units */
	var QTY_MAX = 99999999999999n;       /* BAHI_QTY_MAX, thousandths */
	var QTY_SCALE = 1000n;

	/* n / d rounded half away from zero (d > 0), as bahi_round_div. */
	function roundDiv(n, d) {
		var q = n / d, r = n % d, ar = r < 0n ? -r : r;
		if (ar !== 0n && 2n * ar >= d) {
			q += n < 0n ? -1n : 1n;
		}
		return q;
	}

	/* amount x num / den rounded once; null beyond +-10^15 (bahi_money_mul_ratio). */
	function mulRatio(amount, num, den) {
		var v = roundDiv(amount * num, den);
		return v > MONEY_MAX || v < -MONEY_MAX ? null : v;
	}

	/* amount x bp / 10000 (bahi_money_apply_bp). */
	function applyBp(amount, bp) {
		return mulRatio(amount, bp, 10000n);
	}

	/* a + b within +-10^15, else null (bahi_money_add). */
	function add(a, b) {
		var v = a + b;
		return v > MONEY_MAX || v < -MONEY_MAX ? null : v;
	}

	/* "2", "1.5", "0.125" into thousandths, or null (bahi_qty_parse). */
	function parseQty(s) {
		var m = /^([0-9]+)(?:\.([0-9]{1,3}))?$/.exec(String(s));
		if (!m) {
			return null;
		}
		var v = BigInt(m[1]) * QTY_SCALE + BigInt(((m[2] || '') + '000').slice(0, 3));
		return v > QTY_MAX ? null : v;
	}

	/* A non-negative decimal with at most `decimals` fraction digits in
	 * units of 10^-decimals, or null (bahi_money_parse without the sign). */
	function parseDecimal(s, decimals) {
		var m = /^([0-9]+)(?:\.([0-9]+))?$/.exec(s);
		if (!m || (m[2] !== undefined && m[2].length > decimals)) {
			return null;
		}
		var frac = (m[2] || '');
		while (frac.length < decimals) {
			frac += '0';
		}
		var v = BigInt(m[1] + frac);
		return v > MONEY_MAX ? null : v;
	}

	/* An amount as typed in a form ("1,250.50", spaces and commas ignored)
	 * into minor units, or null. */
	function parseMoney(s, decimals) {
		return parseDecimal(String(s).replace(/[, ]/g, ''), decimals);
	}

	/* A percentage ("17.5", "10%") into basis points, or null. */
	function parsePercent(s) {
		var t = String(s);
		if (t.slice(-1) === '%') {
			t = t.slice(0, -1);
		}
		return parseDecimal(t, 2);
	}

	/* The unit price after a line discount: price x (100% - discount). */
	function discountedPrice(price, bp) {
		return bp === 0n ? price : applyBp(price, 10000n - bp);
	}

	/* One line's total: qty x unit price / 1000, rounded once. */
	function lineTotal(qty, price) {
		return mulRatio(price, qty, QTY_SCALE);
	}

	/*
	 * bahi_totals_compute: in = {lines: [{qty, unit_price}], discount_kind:
	 * "none" | "bp" | "amount", discount, tax_rate_bp, fee} (BigInts). Returns
	 * {line_totals, subtotal, discount, taxable, tax, fee, total}, or
	 * {error: field} when the server would refuse the input.
	 */
	function computeTotals(input) {
		var lines = input.lines || [], t = {line_totals: []}, i;
		if (lines.length === 0) {
			return {error: 'lines'};
		}
		if (input.tax_rate_bp < 0n || input.tax_rate_bp > 10000n) {
			return {error: 'tax_rate_bp'};
		}
		if (input.fee < 0n || input.fee > MONEY_MAX) {
			return {error: 'fee'};
		}
		t.subtotal = 0n;
		for (i = 0; i < lines.length; i++) {
			var l = lines[i];
			if (l.qty <= 0n || l.qty > QTY_MAX) {
				return {error: 'lines[' + i + '].qty'};
			}
			if (l.unit_price < 0n || l.unit_price > MONEY_MAX) {
				return {error: 'lines[' + i + '].unit_price'};
			}
			var lt = lineTotal(l.qty, l.unit_price);
			if (lt === null || (t.subtotal = add(t.subtotal, lt)) === null) {
				return {error: 'lines'};
			}
			t.line_totals.push(lt);
		}
		if (input.discount_kind === 'bp') {
			if (input.discount < 0n || input.discount > 10000n) {
				return {error: 'discount_bp'};
			}
			t.discount = applyBp(t.subtotal, input.discount);
		} else if (input.discount_kind === 'amount') {
			if (input.discount < 0n || input.discount > t.subtotal) {
				return {error: 'discount_amount'};
			}
			t.discount = input.discount;
		} else {
			t.discount = 0n;
		}
		t.taxable = t.subtotal - t.discount;
		t.tax = applyBp(t.taxable, input.tax_rate_bp);
		t.fee = input.fee;
		t.total = add(t.taxable, t.tax);
		if (t.total === null || (t.total = add(t.total, t.fee)) === null) {
			return {error: 'total'};
		}
		return t;
	}

	/* bahi_totals_settle: the customer's credit first, then cash or credit. */
	function settle(total, credit, mode, tendered) {
		var s = {outcome: 'invoice', change_given: 0n};
		if (tendered < 0n || tendered > MONEY_MAX) {
			return {error: 'paid_amount'};
		}
		s.credit_applied = credit < total ? credit : total;
		s.amount_due = total - s.credit_applied;
		if (mode === 'cash') {
			if (tendered < s.amount_due) {
				s.outcome = 'incomplete';
				s.paid = tendered;
			} else {
				s.paid = s.amount_due;
				s.change_given = tendered - s.amount_due;
			}
		} else {
			if (tendered > s.amount_due) {
				return {error: 'paid_amount'};
			}
			s.paid = tendered;
		}
		s.balance_due = s.amount_due - s.paid;
		return s;
	}

	/* 1 when a separator goes before the integer digit at pos (0 = units). */
	function separatorBefore(grouping, pos) {
		if (grouping === 'thousands') {
			return pos > 0 && pos % 3 === 0;
		}
		if (grouping === 'lakh') {
			return pos === 3 || (pos > 3 && (pos - 3) % 2 === 0);
		}
		return false;
	}

	/* Minor units as the server prints them: "Rs 1,234.56", "-Rs 5.00"
	 * (bahi_money_format_grouped). */
	function formatMoney(minor, decimals, symbol, grouping) {
		var neg = minor < 0n, u = neg ? -minor : minor;
		var digits = u.toString();
		while (digits.length <= decimals) {
			digits = '0' + digits;
		}
		var ip = digits.slice(0, digits.length - decimals), fp = digits.slice(digits.length - decimals);
		var out = '', pos = 0;
		for (var i = ip.length - 1; i >= 0; i--, pos++) {
			if (separatorBefore(grouping, pos)) {
				out = ',' + out;
			}
			out = ip[i] + out;
		}
		var sym = symbol || '';
		var space = /[A-Za-z.]$/.test(sym) ? ' ' : '';
		return (neg ? '-' : '') + sym + space + out + (decimals > 0 ? '.' + fp : '');
	}

	/* Minor units for a form field, without symbol or grouping ("1250.50"). */
	function plainAmount(minor, decimals) {
		return formatMoney(minor, decimals, '', 'none');
	}

	var api = {
		roundDiv: roundDiv, applyBp: applyBp, parseQty: parseQty, parseMoney: parseMoney,
		parsePercent: parsePercent, discountedPrice: discountedPrice, lineTotal: lineTotal,
		computeTotals: computeTotals, settle: settle, formatMoney: formatMoney,
		plainAmount: plainAmount
	};
	if (typeof module === 'object' && module && module.exports) {
		module.exports = api;
	}
	if (typeof document === 'undefined') {
		return;
	}

	/* ---- the page */

	var form, cfg, rowsBody, template, searchTimer, phoneTimer, customers = {};

	function $(sel, root) {
		return (root || document).querySelector(sel);
	}

	function money(v) {
		return v === null || v === undefined ? '—' : formatMoney(v, cfg.decimals, cfg.symbol, cfg.grouping);
	}

	function fieldValue(name) {
		var f = form.elements[name];
		return f ? String(f.value).trim() : '';
	}

	/* Each line's values: {qty, unit_price} or null when one cannot be read. */
	function readLine(tr) {
		var qty = parseQty(($('[data-field="qty"]', tr) || {}).value || '');
		var priceInput = $('[data-field="price"]', tr), discInput = $('[data-field="disc"]', tr);
		var price = priceInput && priceInput.value.trim() !== '' ?
			parseMoney(priceInput.value.trim(), cfg.decimals) : BigInt(tr.getAttribute('data-price') || '0');
		var dt = discInput ? discInput.value.trim() : '';
		var disc = dt === '' ? 0n : parsePercent(dt);
		if (qty === null || price === null || disc === null || disc > 10000n) {
			return null;
		}
		var p = discountedPrice(price, disc);
		return p === null ? null : {qty: qty, unit_price: p};
	}

	/* The discount, tax and fee as typed, or null. */
	function readCharges() {
		var c = {discount_kind: 'none', discount: 0n, fee: 0n};
		var d = fieldValue('discount'), kind = fieldValue('discount_kind');
		if (d !== '') {
			c.discount_kind = kind === 'amount' ? 'amount' : 'bp';
			c.discount = kind === 'amount' ? parseMoney(d, cfg.decimals) : parsePercent(d);
		}
		var tax = fieldValue('tax_rate_bp');
		var taxInput = form.elements.tax_rate_bp;
		c.tax_rate_bp = parsePercent(tax !== '' ? tax : (taxInput ? taxInput.getAttribute('data-default') : '0'));
		var fee = fieldValue('fee');
		if (fee !== '') {
			c.fee = parseMoney(fee, cfg.decimals);
		}
		if (c.discount === null || c.tax_rate_bp === null || c.fee === null) {
			return null;
		}
		return c;
	}

	function out(name, text) {
		var el = form.querySelector('[data-out="' + name + '"]');
		if (el) {
			el.textContent = text;
		}
	}

	/* Works every figure out again, as the server will. */
	function recompute() {
		var trs = rowsBody.querySelectorAll('tr[data-line]'), lines = [], ok = trs.length > 0;
		for (var i = 0; i < trs.length; i++) {
			var l = readLine(trs[i]);
			var lt = l && l.qty > 0n ? lineTotal(l.qty, l.unit_price) : null;
			$('[data-out="line"]', trs[i]).textContent = money(lt);
			if (!l) {
				ok = false;
			} else {
				lines.push(l);
			}
		}
		var c = ok ? readCharges() : null, t = null, s = null;
		if (c) {
			c.lines = lines;
			t = computeTotals(c);
			if (t.error) {
				t = null;
			}
		}
		var mode = fieldValue('payment_mode') === 'credit' ? 'credit' : 'cash';
		if (t) {
			var paidText = fieldValue('paid_amount'), paid;
			if (paidText !== '') {
				paid = parseMoney(paidText, cfg.decimals);
			} else {
				paid = mode === 'cash' ? settle(t.total, cfg.credit, 'cash', 0n).amount_due : 0n;
			}
			s = paid === null ? null : settle(t.total, cfg.credit, mode, paid);
			if (s && s.error) {
				s = null;
			}
		}
		['subtotal', 'discount', 'tax', 'fee', 'total'].forEach(function (k) {
			out(k, money(t ? t[k] : null));
		});
		out('credit_applied', money(s ? s.credit_applied : null));
		out('amount_due', money(s ? s.amount_due : null));
		out('paid', money(s ? s.paid : null));
		out('balance_due', money(s ? s.balance_due : null));
		out('change', money(s ? s.change_given : null));
		var shortEl = $('#sale-short');
		if (shortEl) {
			shortEl.textContent = s && mode === 'cash' && s.outcome === 'incomplete' ?
				shortEl.getAttribute('data-message') : '';
		}
	}

	/* A row for product p (a /admin/sales/products item), or one more of it. */
	function addProduct(p) {
		var existing = rowsBody.querySelector('input[type="hidden"][value="' + p.id + '"]');
		if (existing) {
			var qtyInput = $('[data-field="qty"]', existing.closest('tr'));
			var q = parseQty(qtyInput.value.trim());
			if (q !== null) {
				qtyInput.value = plainAmount(q + QTY_SCALE, 3).replace(/\.?0+$/, '');
			}
		} else {
			var linesField = form.elements.lines, idx = parseInt(linesField.value, 10) || 0;
			var tr = template.content.firstElementChild.cloneNode(true);
			tr.setAttribute('data-line', String(idx));
			tr.setAttribute('data-price', String(p.price));
			tr.querySelectorAll('[data-name]').forEach(function (el) {
				el.name = el.getAttribute('data-name') + '_' + idx;
			});
			$('[data-name="product"]', tr).value = p.id;
			$('.sale-name', tr).textContent = p.name;
			$('.sale-sku', tr).textContent = p.sku;
			var price = $('[data-name="price"]', tr), fixed = $('.sale-price', tr);
			if (price) {
				price.value = p.price_text;
			}
			if (fixed) {
				fixed.textContent = p.price_money;
			}
			rowsBody.appendChild(tr);
			linesField.value = String(idx + 1);
			var empty = $('#sale-empty');
			if (empty) {
				empty.hidden = true;
			}
		}
		var q = $('#sale-q');
		q.value = '';
		showResults([]);
		q.focus();
		recompute();
	}

	/* The search's answer as buttons that add a line. */
	function showResults(items) {
		var ul = $('#sale-results');
		ul.textContent = '';
		items.forEach(function (p) {
			var li = document.createElement('li'), b = document.createElement('button');
			b.type = 'button';
			b.textContent = p.name + ' · ' + p.sku + ' · ' + p.price_money;
			b.addEventListener('click', function () {
				addProduct(p);
			});
			li.appendChild(b);
			ul.appendChild(li);
		});
		ul.hidden = items.length === 0;
	}

	function getJSON(url) {
		return fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
			.then(function (r) {
				if (!r.ok) {
					throw new Error('HTTP ' + r.status);
				}
				return r.json();
			});
	}

	function search(q) {
		return getJSON(form.getAttribute('data-products') + '?q=' + encodeURIComponent(q))
			.then(function (body) {
				return body.items || [];
			});
	}

	/* Enter in the search box (a scanner ends with Enter): the product whose
	 * SKU or barcode it is, or the only match, is added at once. */
	function searchEnter(e) {
		if (e.key !== 'Enter') {
			return;
		}
		e.preventDefault();
		var q = e.target.value.trim();
		if (q === '') {
			return;
		}
		search(q).then(function (items) {
			var lq = q.toLowerCase(), one = null;
			items.forEach(function (p) {
				if (!one && ((p.sku || '').toLowerCase() === lq || (p.barcode || '').toLowerCase() === lq)) {
					one = p;
				}
			});
			if (!one && items.length === 1) {
				one = items[0];
			}
			if (one) {
				addProduct(one);
			} else {
				showResults(items);
			}
		}).catch(function () {
			/* the server's search instead (the page comes back with the line) */
			$('#sale-add').click();
		});
	}

	function searchInput(e) {
		var q = e.target.value.trim();
		window.clearTimeout(searchTimer);
		if (q.length < 2) {
			showResults([]);
			return;
		}
		searchTimer = window.setTimeout(function () {
			search(q).then(showResults).catch(function () { showResults([]); });
		}, 200);
	}

	function digits(s) {
		return String(s || '').replace(/[^0-9]/g, '').replace(/^0+/, '');
	}

	/* The customer the typed phone belongs to (from the last look-up). */
	function phoneMatch(typed) {
		var want = digits(typed), found = null;
		Object.keys(customers).forEach(function (k) {
			var c = customers[k], have = digits(c.phone);
			if (want.length >= 7 && have.length >= want.length && have.slice(-want.length) === want) {
				found = c;
			}
		});
		return found;
	}

	function showCustomer() {
		var info = $('#sale-customer-info'), phone = $('#sale-phone');
		if (!info || !phone) {
			return;
		}
		var c = phoneMatch(phone.value);
		cfg.credit = c ? BigInt(c.credit_balance) : 0n;
		info.textContent = c ? c.name + ' · ' + info.getAttribute('data-label') + ' ' + c.credit_text : '';
		recompute();
	}

	function phoneInput(e) {
		var q = e.target.value.trim();
		window.clearTimeout(phoneTimer);
		if (digits(q).length < 3) {
			showCustomer();
			return;
		}
		phoneTimer = window.setTimeout(function () {
			getJSON(form.getAttribute('data-customers') + '?q=' + encodeURIComponent(q)).then(function (body) {
				var list = $('#sale-customers');
				list.textContent = '';
				(body.items || []).forEach(function (c) {
					customers[c.id] = c;
					var o = document.createElement('option');
					o.value = c.phone;
					o.label = c.name;
					list.appendChild(o);
				});
				showCustomer();
			}).catch(function () {});
		}, 250);
	}

	function init() {
		form = document.getElementById('sale-form');
		if (!form) {
			return;
		}
		cfg = {
			decimals: parseInt(form.getAttribute('data-decimals'), 10) || 0,
			symbol: form.getAttribute('data-symbol') || '',
			grouping: form.getAttribute('data-grouping') || 'thousands',
			credit: BigInt(form.getAttribute('data-credit') || '0')
		};
		rowsBody = $('#sale-rows');
		template = $('#sale-row-template');
		form.addEventListener('input', recompute);
		form.addEventListener('change', recompute);
		rowsBody.addEventListener('click', function (e) {
			var b = e.target.closest('.sale-remove');
			if (b) {
				e.preventDefault();
				b.closest('tr').remove();
				recompute();
			}
		});
		/* Enter in a field does not send the form; the buttons do */
		form.addEventListener('keydown', function (e) {
			if (e.key === 'Enter' && e.target.tagName === 'INPUT' && e.target.id !== 'sale-q') {
				e.preventDefault();
			}
		});
		var q = $('#sale-q');
		q.addEventListener('keydown', searchEnter);
		q.addEventListener('input', searchInput);
		var phone = $('#sale-phone');
		if (phone) {
			phone.addEventListener('input', phoneInput);
		}
		recompute();
	}

	if (document.readyState === 'loading') {
		document.addEventListener('DOMContentLoaded', init);
	} else {
		init();
	}
}());
