// e2e.mjs: the admin panel in a real browser (Debian's chromium, headless, driven by playwright-core): sign up a shop, sell on credit, take a payment, switch to Urdu.
//
// Run it with `./dev e2e`, which installs chromium, node and npm when they are
// missing, runs `npm ci` here, starts a private stack (a temporary BAHI_VAR
// and a free port), runs this file against it and stops the stack. By hand,
// against a stack you started yourself:
//
//   cd t/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci
//   BAHI_URL=http://127.0.0.1:8080 BAHI_VAR=/path/to/var E2E_SHOTS=/tmp/shots node e2e.mjs
//
// BAHI_VAR is the stack's ./dev folder: the sign-up code is read from its SMS
// outbox with `./dev outbox PHONE`. E2E_SHOTS (default ./shots) receives a
// full-page screenshot of every page visited (NN-name.png), phone-sized
// (390x844) ones of the dashboard and the sale page, and the README's two
// (readme-dashboard.png, readme-sale.png: 1280 wide, the demo business that
// `./dev up` seeds; E2E_DEMO=0 skips them), and failed.png when a check fails.
//
// The run fails (exit 1, with what and where) on any console error (a CSP
// violation is one), any uncaught page error, any page (main document) answered
// with a status other than 2xx/3xx, a page without its Content-Security-Policy,
// or an expected text missing. It never downloads a browser: it launches
// /usr/bin/chromium (or $CHROMIUM).
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const BASE = (process.env.BAHI_URL || '').replace(/\/$/, '');
const SHOTS = path.resolve(process.env.E2E_SHOTS || path.join(HERE, 'shots'));
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const DEMO = { phone: '+923000000001', password: 'demo-shop-2026' };

if (!BASE || !process.env.BAHI_VAR) {
	console.error('e2e: set BAHI_URL (the stack, http://127.0.0.1:PORT) and BAHI_VAR (its ./dev folder); ./dev e2e does both');
	process.exit(2);
}
fs.mkdirSync(SHOTS, { recursive: true });
for (const f of fs.readdirSync(SHOTS))
	if (f.endsWith('.png'))
		fs.rmSync(path.join(SHOTS, f));

// ---------------------------------------------------------------- checking

let step = 'start';
const problems = [];
let shotNo = 0;
const started = Date.now();

function log(msg) {
	console.log(`e2e: [${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

// A failed check (as opposed to a crash, whose stack is worth printing).
class CheckFailed extends Error {}

function fail(msg) {
	throw new CheckFailed(`${step}: ${msg}`);
}

// Listens to everything a page reports; problems fail the run at the next check.
function watch(page) {
	page.on('console', (m) => {
		if (m.type() !== 'error')
			return;
		const where = m.location() && m.location().url ? m.location().url : '';
		problems.push(`${step}: console error on ${page.url()}: ${m.text()}${where ? ` (${where})` : ''}`);
	});
	page.on('pageerror', (e) => problems.push(`${step}: uncaught error on ${page.url()}: ${e.message}`));
	page.on('response', (r) => {
		if (!r.request().isNavigationRequest() || r.frame() !== page.mainFrame())
			return;
		const s = r.status();
		if (s < 200 || s >= 400)
			problems.push(`${step}: ${r.request().method()} ${r.url()} answered ${s}`);
		else if (s < 300 && !/default-src 'self'/.test(r.headers()['content-security-policy'] || ''))
			problems.push(`${step}: ${r.url()} came without the admin Content-Security-Policy`);
	});
	// belt and braces: a CSP violation also logs a console error
	page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile || ''}:${e.lineNumber || 0})`);
		});
	});
}

function checkProblems() {
	if (problems.length > 0)
		throw new CheckFailed(problems.join('\n'));
}

// The page's visible text, whitespace folded.
async function text(page, selector = 'body') {
	const t = await page.locator(selector).first().innerText({ timeout: 5000 }).catch(() => null);
	if (t === null)
		fail(`nothing matches ${selector} on ${page.url()}`);
	return t.replace(/\s+/g, ' ');
}

// Waits (up to timeout ms) until the element's text holds every wanted string.
async function expectText(page, want, selector = 'body', timeout = 3000) {
	const end = Date.now() + timeout;
	for (;;) {
		const got = await text(page, selector);
		const missing = [].concat(want).filter((w) => !got.includes(w));
		if (missing.length === 0)
			return;
		if (Date.now() > end)
			fail(`expected "${missing[0]}" in ${selector} on ${page.url()}; it shows: ${got.slice(0, 600)}`);
		await page.waitForTimeout(100);
	}
}

// Waits until the element's text is exactly want (the sale page's live totals).
async function expectExact(page, selector, want, timeout = 5000) {
	const end = Date.now() + timeout;
	let got = null;
	while (Date.now() < end) {
		got = await page.locator(selector).first().textContent().catch(() => null);
		if (got !== null && got.trim() === want)
			return;
		await page.waitForTimeout(50);
	}
	fail(`expected ${selector} to read "${want}", it reads "${got === null ? '(missing)' : got.trim()}"`);
}

async function shot(page, name, opts = {}) {
	if (!opts.file)
		shotNo += 1;
	const file = path.join(SHOTS, opts.file || `${String(shotNo).padStart(2, '0')}-${name}.png`);
	await page.screenshot({ path: file, fullPage: opts.fullPage !== false });
	return file;
}

// The page must not scroll sideways (usable on a phone).
async function expectNoSideScroll(page) {
	const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	if (w[0] > w[1] + 1)
		fail(`${page.url()} is ${w[0]} px wide in a ${w[1]} px window (it scrolls sideways)`);
}

async function visit(page, name, url, want) {
	step = name;
	const r = await page.goto(BASE + url, { waitUntil: 'load' });
	if (r === null)
		fail(`no response for ${url}`);
	if (r.status() >= 400)
		fail(`GET ${url} answered ${r.status()}: ${(await text(page)).slice(0, 300)}`);
	await expectText(page, want || []);
	checkProblems();
	await shot(page, name);
}

// Clicks a form's submit button and waits for the page it leads to (the next
// navigation: waitForURL would return at once when the form posts to its own page).
async function submit(page, button, urlPattern) {
	await Promise.all([
		page.waitForNavigation({ url: urlPattern, waitUntil: 'load' }),
		page.locator(button).first().click(),
	]);
	const errs = await page.locator('.form-error').allInnerTexts();
	if (errs.length > 0)
		fail(`the form was refused: ${errs.join(' / ').replace(/\s+/g, ' ')}`);
	checkProblems();
}

// The newest SMS to phone in the stack's outbox.
function outbox(phone) {
	return execFileSync(path.join(ROOT, 'dev'), ['outbox', phone], { encoding: 'utf8' }).trim();
}

// ---------------------------------------------------------------- the flow

const stamp = String(Date.now()).slice(-7);
const shop = {
	phone: `+92321${stamp}`,
	password: `e2e-pass-${stamp}`,
	owner: 'Sana Rauf',
	name: 'Rauf Auto Parts',
};
const customer = { phone: `+92333${stamp}`, name: 'Bilal Traders' };
const product = { name: 'Osaka 12V battery', sku: `BAT-${stamp}`, price: '4,250.00', cost: '3,600', stock: '10' };

// Every figure below is worked out by hand from the sale's input:
// 2 x Rs 4,250.00 = 8,500.00; 10% off = 850.00; tax 2.5% of 7,650.00 = 191.25;
// fee 150.00; total 7,991.25; paid 1,000.00 now, so 6,991.25 is owed; a
// payment of 2,000.00 leaves 4,991.25.
const money = {
	line1: 'Rs 4,250.00', line2: 'Rs 8,500.00', discount: 'Rs 850.00', tax: 'Rs 191.25',
	fee: 'Rs 150.00', total: 'Rs 7,991.25', paid: 'Rs 1,000.00', owed: 'Rs 6,991.25',
	payment: 'Rs 2,000.00', left: 'Rs 4,991.25',
};

async function signUp(page) {
	await visit(page, 'signup', '/admin/signup', ['Create an account']);
	await page.fill('#phone', shop.phone);
	await submit(page, 'form[action="/admin/signup"] button.primary', /\/admin\/signup/);
	step = 'signup-code';
	await expectText(page, shop.phone);
	const sms = outbox(shop.phone);
	const code = (sms.match(/\b(\d{6})\b/) || [])[1];
	if (!code)
		fail(`no six-digit code in the SMS sent to ${shop.phone}: "${sms}"`);
	await shot(page, 'signup-code');
	await page.fill('#otp', code);
	await page.fill('#name', shop.owner);
	await page.fill('#password', shop.password);
	await page.fill('#business_name', shop.name);
	await page.fill('#currency', 'PKR');
	await page.fill('#timezone', 'Asia/Karachi');
	step = 'signup-create';
	await submit(page, 'form[action="/admin/signup"] button.primary', (u) => !u.pathname.startsWith('/admin/signup'));
	if (new URL(page.url()).pathname !== '/admin/')
		fail(`after sign-up the browser is at ${page.url()}, not /admin/`);
	await expectText(page, shop.name, 'header.topbar');
}

async function addCategoryAndProduct(page) {
	await visit(page, 'categories', '/admin/categories', ['Add a category']);
	await page.fill('form[action="/admin/categories"] input[name="name"]', 'Batteries');
	await page.fill('form[action="/admin/categories"] input[name="sku_prefix"]', 'BAT');
	step = 'category-add';
	await submit(page, 'form[action="/admin/categories"] button[type="submit"]', /\/admin\/categories/);
	await expectText(page, ['Batteries', 'BAT'], 'table.list');
	await shot(page, 'category-added');

	await visit(page, 'product-new', '/admin/products/new', ['Details']);
	await page.fill('#name', product.name);
	await page.fill('#sku', product.sku);
	await page.selectOption('#category_id', { label: 'Batteries' });
	await page.fill('#price', product.price);
	await page.fill('#cost', product.cost);
	await page.fill('#min_stock', '2');
	step = 'product-create';
	await submit(page, 'form[action="/admin/products"] button.primary', /\/admin\/products\/[0-9a-f-]{36}/);
	await expectText(page, [product.name, 'In stock']);
	step = 'product-stock-in';
	await page.selectOption('form[action$="/stock"] select[name="kind"]', 'in');
	await page.fill('form[action$="/stock"] input[name="qty"]', product.stock);
	await page.fill('form[action$="/stock"] input[name="unit_cost"]', product.cost);
	await submit(page, 'form[action$="/stock"] button.primary', /\/admin\/products\/[0-9a-f-]{36}/);
	const summary = await text(page, '.product-summary');
	if (!new RegExp(`In stock: ${product.stock}(\\.0+)? `).test(summary + ' '))
		fail(`after stock in of ${product.stock} the product reads "${summary}"`);
	await shot(page, 'product-stocked');

	await visit(page, 'products', `/admin/products?q=${encodeURIComponent('Osaka')}`, [product.name, product.sku, 'Rs 4,250.00']);
	await expectExact(page, 'table.list tbody tr td.num >> nth=1', `${product.stock} pcs`);
}

// Fills the sale page; the live totals are checked after each change.
async function fillSale(page, cust) {
	const q = page.locator('#sale-q');
	await q.click();
	await q.pressSequentially('Osaka', { delay: 30 });
	const pick = page.locator('#sale-results button', { hasText: product.name });
	await pick.first().waitFor({ state: 'visible', timeout: 5000 }).catch(() => fail('typing "Osaka" showed no search result'));
	await pick.first().click();
	await expectExact(page, '#sale-rows tr[data-line] [data-out="line"]', money.line1);
	await expectExact(page, '[data-out="subtotal"]', money.line1);
	await page.locator('#sale-rows [data-field="qty"]').first().fill('2');
	await expectExact(page, '[data-out="subtotal"]', money.line2);
	await page.fill('input[name="discount"]', '10');
	await page.selectOption('select[name="discount_kind"]', 'percent');
	await expectExact(page, '[data-out="discount"]', money.discount);
	await page.fill('input[name="tax_rate_bp"]', '2.5');
	await expectExact(page, '[data-out="tax"]', money.tax);
	await page.fill('input[name="fee"]', '150');
	await expectExact(page, '[data-out="total"]', money.total);
	if (cust) {
		await page.locator('#sale-phone').pressSequentially(cust.phone, { delay: 10 });
		await page.fill('#sale-customer-name', cust.name);
		await page.check('input[name="payment_mode"][value="credit"]');
		await page.fill('input[name="paid_amount"]', '1,000');
		await expectExact(page, '[data-out="paid"]', money.paid);
		await expectExact(page, '[data-out="balance_due"]', money.owed);
	}
}

async function sell(page) {
	await visit(page, 'sale-new', '/admin/sales/new', ['Items', 'Totals']);
	step = 'sale-typing';
	await fillSale(page, customer);
	// what the page's JavaScript shows before saving...
	const figures = ['subtotal', 'discount', 'tax', 'fee', 'total', 'paid', 'balance_due'];
	const shown = {};
	for (const f of figures)
		shown[f] = (await page.locator(`[data-out="${f}"]`).textContent()).trim();
	await shot(page, 'sale-filled');
	step = 'sale-save';
	await submit(page, 'button[name="op"][value="save"]', /\/admin\/invoices\/[0-9a-f-]{36}/);
	// ...is what the server worked out and the invoice says
	for (const f of figures) {
		const saved = (await text(page, `[data-total="${f}"]`)).trim();
		if (saved !== shown[f])
			fail(`the sale page showed ${f} ${shown[f]} before saving, the invoice says ${saved}`);
	}
	await expectText(page, [customer.name, product.name]);
	await expectExact(page, '[data-total="total"]', money.total);
	await expectExact(page, '[data-total="balance_due"]', money.owed);
	await shot(page, 'invoice');
	// the sale took 2 out of stock
	await visit(page, 'products-after-sale', `/admin/products?q=${encodeURIComponent('Osaka')}`, [product.name]);
	await expectExact(page, 'table.list tbody tr td.num >> nth=1', `${Number(product.stock) - 2} pcs`);
}

// A dashboard figure: the value of the stat card with that label.
function stat(label) {
	return `.stat:has(.label:text-is("${label}")) .value`;
}

async function dashboard(page, name, owed) {
	await visit(page, name, '/admin/', ['Open debt', customer.name]);
	await expectExact(page, stat('Open debt'), owed);
	await expectExact(page, stat('Today\'s sales'), money.total);
}

async function takePayment(page) {
	await visit(page, 'customers', `/admin/customers?q=${encodeURIComponent(customer.name)}`, [customer.name, money.owed]);
	step = 'customer-card';
	await Promise.all([page.waitForNavigation({ url: /\/admin\/customers\/[0-9a-f-]{36}/ }), page.click(`a:has-text("${customer.name}")`)]);
	await expectText(page, ['Open debt', money.owed, 'Record a payment']);
	checkProblems();
	await shot(page, 'customer');
	await page.fill('#p-amount', '2,000');
	await page.selectOption('#p-method', 'cash');
	step = 'customer-payment';
	await submit(page, 'form[action$="/payments"] button.primary', /\/admin\/customers\/[0-9a-f-]{36}/);
	const card = await text(page, '.cards');
	if (!card.includes(`Open debt ${money.left}`))
		fail(`after a payment of ${money.payment} the card reads "${card}"`);
	await expectText(page, money.payment, 'table.payments');
	await shot(page, 'customer-paid');
}

async function phoneShots(context) {
	const page = await context.newPage();
	watch(page);
	await page.setViewportSize(PHONE);
	await visit(page, 'phone-dashboard', '/admin/', ['Open debt']);
	await expectNoSideScroll(page);
	await visit(page, 'phone-sale', '/admin/sales/new', ['Items']);
	step = 'phone-sale-typing';
	await fillSale(page, null);
	await expectNoSideScroll(page);
	await shot(page, 'phone-sale-filled');
	await page.close();
}

async function urdu(page) {
	await visit(page, 'dashboard-en', '/admin/', ['Dashboard']);
	step = 'switch-to-urdu';
	await submit(page, 'form.lang-switch button', (u) => u.pathname === '/admin/');
	const html = await page.evaluate(() => ({
		lang: document.documentElement.lang,
		dir: document.documentElement.dir,
		css: getComputedStyle(document.body).direction,
		urdu: (document.body.innerText.match(/[\u0600-\u06ff]/g) || []).length,
	}));
	if (html.lang !== 'ur' || html.dir !== 'rtl' || html.css !== 'rtl')
		fail(`after switching to Urdu the page is lang=${html.lang} dir=${html.dir} (CSS direction ${html.css})`);
	if (html.urdu < 20)
		fail(`after switching to Urdu the page shows only ${html.urdu} Urdu letters`);
	const fonts = await page.evaluate(async () => {
		await document.fonts.ready;
		return [...document.fonts].map((f) => `${f.family.replace(/"/g, '')}:${f.status}`);
	});
	if (!fonts.some((f) => /(Nastaliq|Naskh).*:loaded$/.test(f)))
		fail(`the Urdu page loaded no Nastaliq or Naskh font (fonts: ${fonts.join(', ') || 'none'})`);
	await expectText(page, money.left);
	await shot(page, 'dashboard-ur');
	await visit(page, 'sale-ur', '/admin/sales/new', []);
	step = 'sale-ur-typing';
	await fillSale(page, null);
	await shot(page, 'sale-ur-filled');
	await visit(page, 'customer-ur', `/admin/customers?q=${encodeURIComponent(customer.name)}`, [customer.name, money.left]);
	// back to English, so that the switch works both ways
	step = 'switch-to-english';
	await submit(page, 'form.lang-switch button', /\/admin\/customers/);
	if (await page.evaluate(() => document.documentElement.dir) !== 'ltr')
		fail('switching back to English left the page right-to-left');
	await expectText(page, 'Open debt');
}

// The README's screenshots: the demo business of ./dev up, desktop width.
async function readmeShots(browserContext) {
	const page = await browserContext.newPage();
	watch(page);
	await visit(page, 'demo-signin', '/admin/login', ['Sign in']);
	await page.fill('#phone', DEMO.phone);
	await page.fill('#password', DEMO.password);
	step = 'demo-signin-submit';
	await submit(page, 'form[action="/admin/login"] button.primary', (u) => u.pathname === '/admin/');
	await visit(page, 'demo-dashboard', '/admin/', ['Open debt']);
	await shot(page, '', { file: 'readme-dashboard.png' });
	await visit(page, 'demo-sale', '/admin/sales/new', ['Items']);
	const q = page.locator('#sale-q');
	await q.click();
	for (const [search, name] of [['Brake', 'Brake pad set'], ['Oil', 'Oil filter']]) {
		await q.pressSequentially(search, { delay: 30 });
		await page.locator('#sale-results button', { hasText: name }).first().click();
	}
	await page.locator('#sale-rows [data-field="qty"]').last().fill('2');
	await page.locator('#sale-phone').pressSequentially('+923001234567', { delay: 10 });
	await page.check('input[name="payment_mode"][value="credit"]');
	// the seed's prices: 3,500.00 + 2 x 850.00, tax 19%; the phone is Ali Khan's
	await expectExact(page, '[data-out="total"]', 'Rs 6,188.00');
	await expectText(page, 'Ali Khan', '#sale-customer-info');
	checkProblems();
	await shot(page, '', { file: 'readme-sale.png' });
	await page.close();
}

// Debian's chromium with a fresh profile; close() also removes the profile.
async function launch() {
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bahi-e2e-profile-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		viewport: DESKTOP,
		locale: 'en-GB',
	});
	context.setDefaultTimeout(15000);
	return {
		context,
		async close() {
			await context.close().catch(() => {});
			fs.rmSync(profile, { recursive: true, force: true });
		},
	};
}

// The page a check failed on, as failed.png.
async function shotFailure(context) {
	const pages = context.pages();
	if (pages.length > 0)
		await pages[pages.length - 1].screenshot({ path: path.join(SHOTS, 'failed.png'), fullPage: true }).catch(() => {});
}

async function main() {
	if (!fs.existsSync(CHROMIUM))
		throw new Error(`no browser at ${CHROMIUM} (apt-get install chromium)`);
	const shopBrowser = await launch();
	const context = shopBrowser.context;
	try {
		const page = context.pages()[0] || await context.newPage();
		watch(page);
		log(`chromium ${context.browser() ? context.browser().version() : ''} against ${BASE}`);
		await signUp(page);
		log(`signed up ${shop.name} (${shop.phone})`);
		await addCategoryAndProduct(page);
		log('added a category and a product with stock');
		await sell(page);
		log(`sold on credit to a new customer: total ${money.total}, owed ${money.owed}`);
		await dashboard(page, 'dashboard', money.owed);
		log(`the dashboard shows open debt ${money.owed}`);
		await takePayment(page);
		log(`recorded a payment of ${money.payment}: ${money.left} left`);
		await dashboard(page, 'dashboard-after-payment', money.left);
		await phoneShots(context);
		log('phone-sized dashboard and sale page');
		await urdu(page);
		log('Urdu pages are right-to-left; back to English');
	} catch (e) {
		await shotFailure(context);
		throw e;
	} finally {
		await shopBrowser.close();
	}
	if (process.env.E2E_DEMO === '0')
		return;
	// a second browser: the demo business of ./dev up, for the README
	const demoBrowser = await launch();
	try {
		await readmeShots(demoBrowser.context);
		log('README screenshots of the demo business');
	} catch (e) {
		await shotFailure(demoBrowser.context);
		throw e;
	} finally {
		await demoBrowser.close();
	}
}

try {
	await main();
} catch (e) {
	// stdout only, so that the lines keep their order in a log
	console.log(`e2e: FAILED at ${step}\n${e instanceof CheckFailed ? e.message : e.stack}`);
	const extra = problems.filter((p) => !e.message.includes(p));
	if (extra.length > 0)
		console.log(extra.join('\n'));
	console.log(`e2e: screenshots so far in ${SHOTS}`);
	console.log('e2e: 0 passed, 1 failed');
	process.exitCode = 1;
}
if (process.exitCode !== 1) {
	log(`${shotNo} screenshots in ${SHOTS}`);
	console.log('e2e: 1 passed, 0 failed');
}
