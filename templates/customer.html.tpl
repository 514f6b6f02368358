{{%AUTOESCAPE context="HTML"}}<p class="muted customer-contact"><bdi dir="ltr">{{phone}}</bdi> {{address}}</p>
<div class="cards">
<div class="stat"><div class="label">[[Open debt]]</div><div class="value{{#OWES}} owes{{/OWES}}">{{open_debt}}</div></div>
<div class="stat"><div class="label">[[Credit balance]]</div><div class="value">{{credit_balance}}</div></div>
<div class="stat"><div class="label">[[Opening balance]]</div><div class="value">{{opening_balance}}</div></div>
<div class="stat"><div class="label">[[Invoiced]]</div><div class="value">{{invoiced}}</div><div class="muted">[[Invoices]]: {{invoice_count}}</div></div>
<div class="stat"><div class="label">[[Paid]]</div><div class="value">{{paid}}</div><div class="muted">[[Payments]]: {{payment_count}}</div></div>
<div class="stat"><div class="label">[[Average sale]]</div><div class="value">{{average_basket}}</div><div class="muted">{{#LAST_VISIT}}[[Last visit]] <bdi dir="ltr">{{last_visit}}</bdi>{{/LAST_VISIT}}</div></div>
</div>
<div class="grid-2">
{{#PAY_FORM}}<section class="card" id="pay">
<h2>[[Record a payment]]</h2>
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="post" action="/admin/customers/{{id}}/payments">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="idem" value="{{idem}}">
<label for="p-amount">[[Amount]]</label>
<input id="p-amount" name="amount" inputmode="decimal" required value="{{v_amount}}" placeholder="1,000.00">
<label for="p-method">[[Method]]</label>
<select id="p-method" name="method">
{{#METHOD_OPTION}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/METHOD_OPTION}}
</select>
{{#INVOICE_CHOICE}}<label for="p-invoice">[[Pay towards]]</label>
<select id="p-invoice" name="invoice_id">
<option value="">[[The oldest invoices first]]</option>
{{#INVOICE_OPTION}}<option value="{{invoice_id}}"{{#SELECTED}} selected{{/SELECTED}}>#{{number}} · {{balance_due}}</option>
{{/INVOICE_OPTION}}
</select>{{/INVOICE_CHOICE}}
<label for="p-note">[[Note]]</label>
<input id="p-note" name="note" maxlength="500" value="{{v_note}}" placeholder="[[optional]]">
<button type="submit" class="primary">[[Record payment]]</button>
</form>
<p class="muted">[[A payment pays the invoice chosen, else the oldest invoices first, then the opening balance; anything left over becomes the customer's credit.]]</p>
</section>{{/PAY_FORM}}
<section class="card">
<h2>[[Open debts]]</h2>
{{#DEBTS_EMPTY}}<p class="empty">[[No invoice of this customer is waiting for payment.]]</p>{{/DEBTS_EMPTY}}
{{#DEBTS}}<div class="table-wrap">
<table class="list debts">
<thead><tr><th>[[Invoice]]</th><th>[[Due date]]</th><th class="num">[[Balance due]]</th><th>[[Status]]</th></tr></thead>
<tbody>
{{#DEBT_ROW}}<tr class="debt-{{debt_status}}"><td><a href="/admin/invoices/{{invoice_id}}">#{{number}}</a></td><td>{{due_date}}</td><td class="num">{{balance_due}}</td><td>{{>STATUS}}</td></tr>
{{/DEBT_ROW}}
</tbody>
</table>
</div>
{{#MORE_DEBTS}}<p><a href="/admin/debts?customer_id={{id}}">[[Every open debt of this customer]]</a></p>{{/MORE_DEBTS}}{{/DEBTS}}
</section>
</div>
<section class="card">
<h2>[[History]]</h2>
{{#HISTORY_EMPTY}}<p class="empty">[[No invoices or payments yet. Sell to this customer from New sale.]]</p>{{/HISTORY_EMPTY}}
{{#HISTORY}}<div class="table-wrap">
<table class="list history">
<thead><tr><th>[[Date]]</th><th>[[What]]</th><th class="num">[[Amount]]</th><th class="num">[[Paid]]</th><th class="num">[[Balance due]]</th><th>[[Status]]</th></tr></thead>
<tbody>
{{#HISTORY_ROW}}<tr><td><bdi dir="ltr">{{at}}</bdi></td>{{#INVOICE}}<td><a href="/admin/invoices/{{id}}">[[Invoice]] #{{number}}</a></td><td class="num">{{total}}</td><td class="num">{{paid}}</td><td class="num">{{balance_due}}</td><td><span class="status status-{{status}}">{{status_label}}</span></td>{{/INVOICE}}{{#PAYMENT}}<td>[[Payment]] · {{method}}</td><td class="num">{{amount}}</td><td></td><td></td><td></td>{{/PAYMENT}}</tr>
{{/HISTORY_ROW}}
</tbody>
</table>
</div>{{/HISTORY}}
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Older history]]</a></p>{{/NEXT}}
</section>
{{#PAYMENTS}}<section class="card">
<h2>[[Recent payments]]</h2>
<div class="table-wrap">
<table class="list payments">
<thead><tr><th>[[Date]]</th><th class="num">[[Amount]]</th><th>[[Method]]</th><th>[[Applied to]]</th><th>[[Note]]</th></tr></thead>
<tbody>
{{#PAYMENT_ROW}}<tr><td>{{received_on}}</td><td class="num">{{amount}}</td><td>{{method}}</td><td>{{#ALLOCATION}}<a href="/admin/invoices/{{invoice_id}}">#{{number}}</a> {{amount}}<br>{{/ALLOCATION}}{{#REDUCED}}[[Opening balance]] {{amount}}<br>{{/REDUCED}}{{#CREDIT}}[[Credit]] {{amount}}{{/CREDIT}}</td><td>{{note}}</td></tr>
{{/PAYMENT_ROW}}
</tbody>
</table>
</div>
</section>{{/PAYMENTS}}
{{#EDIT_FORM}}<section class="card">
<h2>[[Edit details]]</h2>
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="post" action="/admin/customers/{{id}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<label for="e-name">[[Name]]</label>
<input id="e-name" name="name" required maxlength="200" value="{{name}}">
<label for="e-phone">[[Phone number]]</label>
<input id="e-phone" name="phone" type="tel" maxlength="32" value="{{phone}}">
<label for="e-address">[[Address]]</label>
<input id="e-address" name="address" maxlength="500" value="{{address}}">
<label for="e-opening">[[Opening balance]]</label>
<input id="e-opening" name="opening_balance" inputmode="decimal" value="{{opening_amount}}">
<button type="submit" class="primary">[[Save]]</button>
</form>
</section>{{/EDIT_FORM}}
{{#DELETE_FORM}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="post" action="/admin/customers/{{id}}/delete" class="danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<button type="submit" class="danger" data-confirm="[[Delete this customer?]]">[[Delete customer]]</button>
</form>{{/DELETE_FORM}}
<p><a href="/admin/customers">[[Back to customers]]</a></p>
