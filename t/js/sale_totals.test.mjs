// sale_totals.test.mjs: static/js/sale.js works out a sale exactly as common/bahi_totals.c does (the seed's worked examples, rounding, limits, formatting). Run: node --test t/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

// sale.js is a classic browser script: run it with a CommonJS-style module object.
const src = readFileSync(fileURLToPath(new URL('../../static/js/sale.js', import.meta.url)), 'utf8');
const ctx = { module: { exports: {} } };
vm.runInNewContext(src, ctx);
const S = ctx.module.exports;

// The totals of lines [[qty thousandths, unit price], ...] with the other inputs.
function totals(lines, discount_kind, discount, tax_rate_bp, fee) {
	return S.computeTotals({
		lines: lines.map(([q, p]) => ({ qty: BigInt(q), unit_price: BigInt(p) })),
		discount_kind, discount: BigInt(discount), tax_rate_bp: BigInt(tax_rate_bp), fee: BigInt(fee),
	});
}

function figures(t) {
	return {
		line_totals: Array.from(t.line_totals, Number), subtotal: Number(t.subtotal),
		discount: Number(t.discount), taxable: Number(t.taxable), tax: Number(t.tax),
		fee: Number(t.fee), total: Number(t.total),
	};
}

test('seed 04: 2 x 100.00, 10% discount, 19% tax, 5.00 fee = 219.20', () => {
	assert.deepEqual(figures(totals([[2000, 10000]], 'bp', 1000, 1900, 500)), {
		line_totals: [20000], subtotal: 20000, discount: 2000, taxable: 18000, tax: 3420,
		fee: 500, total: 21920,
	});
});

test('the same invoice as two lines and a 20.00 discount amount', () => {
	assert.deepEqual(figures(totals([[1000, 10000], [1000, 10000]], 'amount', 2000, 1900, 500)), {
		line_totals: [10000, 10000], subtotal: 20000, discount: 2000, taxable: 18000, tax: 3420,
		fee: 500, total: 21920,
	});
});

test('three-decimal quantities round each line half away from zero', () => {
	// 1.5 x 99.99 = 149.985 -> 149.99; 0.125 x 3.33 = 0.41625 -> 0.42; 2.345 x 1.00 -> 2.35
	assert.deepEqual(figures(totals([[1500, 9999], [125, 333], [2345, 100]], 'none', 0, 1900, 0)), {
		line_totals: [14999, 42, 235], subtotal: 15276, discount: 0, taxable: 15276, tax: 2902,
		fee: 0, total: 18178,
	});
});

test('half a minor unit rounds up, less rounds down', () => {
	assert.equal(Number(totals([[1, 500]], 'none', 0, 0, 0).total), 1);     // 0.005 -> 0.01
	assert.equal(Number(totals([[1, 499]], 'none', 0, 0, 0).total), 0);     // 0.00499 -> 0
	assert.equal(Number(totals([[1000, 50]], 'none', 0, 100, 0).tax), 1);   // 0.50 x 1%
	assert.equal(Number(totals([[1000, 49]], 'none', 0, 100, 0).tax), 0);
	const t = totals([[1000, 150]], 'bp', 100, 1900, 0);                    // 1.50, 1%, 19%
	assert.deepEqual([t.discount, t.taxable, t.tax, t.total].map(Number), [2, 148, 28, 176]);
});

test('what the server refuses, the page does not total', () => {
	assert.equal(totals([], 'none', 0, 1900, 0).error, 'lines');
	assert.equal(totals([[2000, 10000]], 'amount', 20001, 1900, 500).error, 'discount_amount');
	assert.equal(totals([[2000, 10000]], 'bp', 10001, 1900, 500).error, 'discount_bp');
	assert.equal(totals([[0, 10000]], 'none', 0, 1900, 0).error, 'lines[0].qty');
	assert.equal(totals([[1000, 100]], 'none', 0, 10001, 0).error, 'tax_rate_bp');
	assert.equal(totals([[1000, 10n ** 15n]], 'none', 0, 0, 1).error, 'total');
	const all = totals([[2000, 10000]], 'amount', 20000, 1900, 500);    // the whole subtotal off
	assert.deepEqual([all.discount, all.tax, all.total].map(Number), [20000, 0, 500]);
});

test('settling: credit balance first, then cash or credit (bahi_totals_settle)', () => {
	const num = (s) => ({ outcome: s.outcome, credit_applied: Number(s.credit_applied),
		amount_due: Number(s.amount_due), paid: Number(s.paid), change_given: Number(s.change_given),
		balance_due: Number(s.balance_due) });
	// cash paid in full, short (incomplete sale) and over (change)
	assert.deepEqual(num(S.settle(21920n, 0n, 'cash', 21920n)), { outcome: 'invoice',
		credit_applied: 0, amount_due: 21920, paid: 21920, change_given: 0, balance_due: 0 });
	assert.deepEqual(num(S.settle(21920n, 0n, 'cash', 20000n)), { outcome: 'incomplete',
		credit_applied: 0, amount_due: 21920, paid: 20000, change_given: 0, balance_due: 1920 });
	assert.deepEqual(num(S.settle(21920n, 0n, 'cash', 50000n)), { outcome: 'invoice',
		credit_applied: 0, amount_due: 21920, paid: 21920, change_given: 28080, balance_due: 0 });
	// seed 04: an invoice of 500 to a customer with 100 of credit owes 400
	assert.deepEqual(num(S.settle(50000n, 10000n, 'credit', 0n)), { outcome: 'invoice',
		credit_applied: 10000, amount_due: 40000, paid: 0, change_given: 0, balance_due: 40000 });
	assert.equal(S.settle(21920n, 0n, 'credit', 21921n).error, 'paid_amount');
});

test('line discounts make the unit price, rounded once', () => {
	assert.equal(S.discountedPrice(10000n, 1000n), 9000n);
	assert.equal(S.discountedPrice(1n, 5000n), 1n);      // 0.005 -> 0.01
	assert.equal(S.discountedPrice(999n, 0n), 999n);
	assert.equal(S.lineTotal(1500n, S.discountedPrice(9999n, 1000n)), 13499n);   // 1.5 x 89.99
});

test('typed values are read as the server reads them', () => {
	assert.equal(S.parseQty('1.5'), 1500n);
	assert.equal(S.parseQty('2'), 2000n);
	assert.equal(S.parseQty('0.125'), 125n);
	for (const bad of ['abc', '1.2345', '-1', '1.', '', '1e3']) {
		assert.equal(S.parseQty(bad), null, bad);
	}
	assert.equal(S.parseMoney('1,250.50', 2), 125050n);
	assert.equal(S.parseMoney('100', 2), 10000n);
	assert.equal(S.parseMoney('5', 0), 5n);
	for (const bad of ['12x', '1.234', '-5', '']) {
		assert.equal(S.parseMoney(bad, 2), null, bad);
	}
	assert.equal(S.parsePercent('17.5'), 1750n);
	assert.equal(S.parsePercent('10%'), 1000n);
	assert.equal(S.parsePercent('12.345'), null);
});

test('amounts are printed as the admin pages print them', () => {
	assert.equal(S.formatMoney(21920n, 2, 'Rs', 'lakh'), 'Rs 219.20');
	assert.equal(S.formatMoney(125000n, 2, 'Rs', 'thousands'), 'Rs 1,250.00');
	assert.equal(S.formatMoney(123456789n, 2, 'Rs', 'lakh'), 'Rs 12,34,567.89');
	assert.equal(S.formatMoney(123456789n, 2, 'Rs', 'thousands'), 'Rs 1,234,567.89');
	assert.equal(S.formatMoney(123456789n, 2, 'Rs', 'none'), 'Rs 1234567.89');
	assert.equal(S.formatMoney(-500n, 2, 'Rs', 'lakh'), '-Rs 5.00');
	assert.equal(S.formatMoney(5n, 2, '$', 'thousands'), '$0.05');
	assert.equal(S.formatMoney(1234n, 0, '¥', 'thousands'), '¥1,234');
	assert.equal(S.plainAmount(125050n, 2), '1250.50');
});
