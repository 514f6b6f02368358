{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<section class="card invoice-head">
<p><span class="status status-{{status}}">{{status_label}}</span>{{#DEBT}} <span class="status status-{{debt_status}}">{{days}}</span>{{/DEBT}}</p>
<dl class="invoice-facts">
<dt>[[Number]]</dt><dd>{{number}}</dd>
<dt>[[Date]]</dt><dd>{{issued}}</dd>
<dt>[[Customer]]</dt><dd>{{#CUSTOMER}}<a href="/admin/customers/{{customer_id}}">{{customer_name}}</a>{{/CUSTOMER}}{{#WALKIN}}[[Walk-in customer]]{{/WALKIN}}</dd>
<dt>[[Payment]]</dt><dd>{{mode}}</dd>
{{#DUE}}<dt>[[Due date]]</dt><dd>{{due_date}}</dd>{{/DUE}}
{{#NOTE}}<dt>[[Note]]</dt><dd>{{note}}</dd>{{/NOTE}}
{{#VOIDED}}<dt>[[Void]]</dt><dd data-void="created_at">{{voided}}</dd>
{{#VOID_REASON}}<dt>[[Reason]]</dt><dd data-void="reason">{{reason}}</dd>{{/VOID_REASON}}
<dt>[[Refunded]]</dt><dd data-void="refunded">{{refunded}} ({{refund_to}})</dd>{{/VOIDED}}
</dl>
<p class="invoice-links">
<a class="button" href="/admin/invoices/{{id}}/pdf?format=a4">[[PDF (A4)]]</a>
<a class="button" href="/admin/invoices/{{id}}/pdf?format=receipt">[[Receipt PDF]]</a>
{{#SHARE}}<a class="button" href="{{whatsapp_url}}" rel="noopener noreferrer" target="_blank">[[Send on WhatsApp]]</a>{{/SHARE}}
</p>
</section>

<div class="table-wrap">
<table class="list">
<thead><tr><th>[[Item]]</th><th class="num">[[Quantity]]</th><th class="num">[[Unit price]]</th><th class="num">[[Line total]]</th></tr></thead>
<tbody>
{{#LINE}}<tr><td>{{name}}</td><td class="num">{{qty}}</td><td class="num">{{unit_price}}</td><td class="num">{{line_total}}</td></tr>
{{/LINE}}
</tbody>
</table>
</div>

<section class="card">
<dl class="totals invoice-totals">
<dt>[[Subtotal]]</dt><dd data-total="subtotal">{{subtotal}}</dd>
{{#HAS_DISCOUNT}}<dt>[[Discount]]{{#DISCOUNT_RATE}} ({{rate}}%){{/DISCOUNT_RATE}}</dt><dd data-total="discount">{{discount}}</dd>{{/HAS_DISCOUNT}}
<dt>[[Tax]] ({{tax_rate}}%)</dt><dd data-total="tax">{{tax}}</dd>
{{#HAS_FEE}}<dt>[[Fee]]</dt><dd data-total="fee">{{fee}}</dd>{{/HAS_FEE}}
<dt>[[Total]]</dt><dd class="grand" data-total="total">{{total}}</dd>
{{#HAS_CREDIT}}<dt>[[Customer credit applied]]</dt><dd data-total="credit_applied">{{credit_applied}}</dd>{{/HAS_CREDIT}}
<dt>[[Paid]]</dt><dd data-total="paid">{{paid}}</dd>
{{#HAS_RETURNED}}<dt>[[Returned]]</dt><dd data-total="returned">{{returned}}</dd>{{/HAS_RETURNED}}
<dt>[[Balance due]]</dt><dd data-total="balance_due">{{balance_due}}</dd>
{{#HAS_CHANGE}}<dt>[[Change given]]</dt><dd data-total="change_given">{{change_given}}</dd>{{/HAS_CHANGE}}
</dl>
</section>

<section class="card">
<h2>[[Payments]]</h2>
{{#PAYMENTS}}<table class="list">
<thead><tr><th>[[Date]]</th><th>[[Method]]</th><th class="num">[[Amount]]</th></tr></thead>
<tbody>
{{#PAYMENT}}<tr><td>{{date}}</td><td>{{method}}</td><td class="num">{{amount}}</td></tr>
{{/PAYMENT}}
</tbody>
</table>{{/PAYMENTS}}
<p class="muted">[[What was paid at the sale is in the totals above; later payments are listed here.]]</p>
{{#PAY}}<form method="post" action="/admin/invoices/{{id}}/payments" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="customer_id" value="{{customer_id}}">
<label>[[Amount]] <input name="amount" value="{{amount}}" inputmode="decimal" required size="10"></label>
<label>[[Method]] <select name="method"><option value="cash">[[Cash]]</option><option value="bank">[[Bank]]</option></select></label>
<button type="submit" class="primary">[[Record a payment]]</button>
</form>{{/PAY}}
</section>

<section class="card">
<h2>[[Credit notes]]</h2>
{{#NOTES}}<table class="list">
<thead><tr><th>[[Number]]</th><th>[[Date]]</th><th>[[Reason]]</th><th>[[Refund to]]</th><th class="num">[[Refunded]]</th><th class="num">[[Total]]</th></tr></thead>
<tbody>
{{#NOTE_ROW}}<tr><td>{{number}}</td><td>{{date}}</td><td>{{reason}}</td><td>{{refund_to}}</td><td class="num">{{refunded}}</td><td class="num">{{total}}</td></tr>
{{/NOTE_ROW}}
</tbody>
</table>{{/NOTES}}
{{#NO_NOTES}}<p class="muted">[[No goods returned on this invoice.]]</p>{{/NO_NOTES}}
{{#RETURN}}<form method="post" action="/admin/invoices/{{id}}/credit-notes">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="returns" value="{{nreturns}}">
<h3>[[Return goods]]</h3>
<table class="list">
<thead><tr><th>[[Item]]</th><th class="num">[[Sold]]</th><th class="num">[[Quantity returned]]</th></tr></thead>
<tbody>
{{#RET}}<tr><td>{{name}}<input type="hidden" name="ret_product_{{k}}" value="{{product_id}}"></td><td class="num">{{sold}}</td><td class="num"><input name="ret_{{k}}" value="{{value}}" inputmode="decimal" size="6" aria-label="[[Quantity returned]]"></td></tr>
{{/RET}}
</tbody>
</table>
<div class="inline-form">
<label>[[Reason]] <input name="reason" value="{{reason}}" maxlength="500"></label>
<label>[[Refund to]] <select name="refund_to"><option value="">[[the usual way]]</option><option value="cash">[[Cash]]</option><option value="credit">[[Customer credit]]</option></select></label>
<button type="submit" class="primary">[[Issue a credit note]]</button>
</div>
</form>{{/RETURN}}
</section>

{{#VOID}}<form method="post" action="/admin/invoices/{{id}}/void" class="card danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<h2>[[Void this invoice]]</h2>
<p class="muted">[[Voiding puts the stock back, cancels the debt and refunds what was paid. It cannot be undone.]]</p>
<label for="void-reason">[[Reason]]</label>
<input id="void-reason" name="reason" value="{{reason}}" maxlength="500">
<label for="void-refund">[[Refund to]]</label>
<select id="void-refund" name="refund_to"><option value="">[[the usual way]]</option><option value="cash">[[Cash]]</option><option value="credit">[[Customer credit]]</option></select>
<button type="submit" class="danger" data-confirm="[[Void this invoice?]]">[[Void]]</button>
</form>{{/VOID}}
<p><a href="/admin/invoices">[[Back to invoices]]</a> · <a href="/admin/sales/new">[[New sale]]</a></p>
