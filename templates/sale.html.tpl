{{%AUTOESCAPE context="HTML"}}<script src="/static/js/sale.js" defer></script>
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="post" action="/admin/sales" id="sale-form" class="sale-form" data-decimals="{{decimals}}" data-symbol="{{symbol}}" data-grouping="{{grouping}}" data-credit="{{credit_raw}}" data-products="/admin/sales/products" data-customers="/admin/sales/customers">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="idem" value="{{idem}}">
<input type="hidden" name="lines" value="{{nlines}}" id="sale-lines">
<section class="card">
<h2>[[Items]]</h2>
<div class="inline-form sale-search">
<label for="sale-q">[[Search by name, scan a barcode or type a SKU]]</label>
<input id="sale-q" name="q" value="{{q}}" autocomplete="off" maxlength="200" autofocus>
<button type="submit" name="op" value="add" id="sale-add">[[Add item]]</button>
</div>
<ul id="sale-results" class="sale-results" hidden></ul>
{{#NOMATCH}}<p class="field-error">[[No product matches this search.]]</p>{{/NOMATCH}}
{{#PICKS}}<p>[[Several products match; choose one:]]</p>{{/PICKS}}
<ul class="sale-results">{{#PICK}}<li><button type="submit" name="pick" value="{{id}}">{{name}} · {{sku}} · {{price}}</button></li>{{/PICK}}</ul>
<div class="table-wrap">
<table class="list sale-lines" id="sale-table">
<thead><tr><th>[[Item]]</th><th class="num">[[Quantity]]</th><th class="num">[[Unit price]]</th><th class="num">[[Line discount (%)]]</th><th class="num">[[Line total]]</th><th></th></tr></thead>
<tbody id="sale-rows">
{{#ROW}}<tr data-line="{{i}}" data-price="{{list_price_raw}}">
<td><input type="hidden" name="product_{{i}}" value="{{product_id}}"><span class="sale-name">{{name}}</span> <span class="muted sale-sku">{{sku}}</span>{{#STOCK}} <span class="muted">([[in stock]] {{available}})</span>{{/STOCK}}{{#ROW_ERROR}}<div class="field-error">{{message}}</div>{{/ROW_ERROR}}</td>
<td class="num"><input name="qty_{{i}}" value="{{qty}}" inputmode="decimal" size="6" aria-label="[[Quantity]]" data-field="qty"></td>
<td class="num">{{#PRICE_EDIT}}<input name="price_{{i}}" value="{{price}}" inputmode="decimal" size="9" aria-label="[[Unit price]]" data-field="price">{{/PRICE_EDIT}}{{#PRICE_FIXED}}{{price}}{{/PRICE_FIXED}}</td>
<td class="num"><input name="disc_{{i}}" value="{{disc}}" inputmode="decimal" size="5" aria-label="[[Line discount (%)]]" data-field="disc"></td>
<td class="num" data-out="line">{{line_total}}</td>
<td><button type="submit" name="remove" value="{{i}}" class="sale-remove">[[Remove]]</button></td>
</tr>
{{/ROW}}
</tbody>
</table>
</div>
{{#NOLINES}}<p class="empty" id="sale-empty">[[No items yet. Search for a product above, scan its barcode or type its SKU, then press Add item.]]</p>{{/NOLINES}}
<template id="sale-row-template"><tr data-line="" data-price="0">
<td><input type="hidden" data-name="product" value=""><span class="sale-name"></span> <span class="muted sale-sku"></span></td>
<td class="num"><input data-name="qty" value="1" inputmode="decimal" size="6" aria-label="[[Quantity]]" data-field="qty"></td>
<td class="num">{{#CAN_PRICE}}<input data-name="price" value="" inputmode="decimal" size="9" aria-label="[[Unit price]]" data-field="price">{{/CAN_PRICE}}{{#FIXED_PRICE}}<span class="sale-price"></span>{{/FIXED_PRICE}}</td>
<td class="num"><input data-name="disc" value="" inputmode="decimal" size="5" aria-label="[[Line discount (%)]]" data-field="disc"></td>
<td class="num" data-out="line"></td>
<td><button type="button" class="sale-remove">[[Remove]]</button></td>
</tr></template>
</section>

<section class="card">
<h2>[[Customer]]</h2>
{{#CUSTOMER_ID}}<input type="hidden" name="customer_id" value="{{customer_id}}">
<p>{{customer_label}} <span class="muted">{{customer_phone}}</span> <button type="submit" name="op" value="nocustomer">[[Another customer]]</button></p>{{/CUSTOMER_ID}}
{{#CUSTOMER_FIELDS}}<div class="inline-form">
<label>[[Phone number]] <input name="customer_phone" id="sale-phone" type="tel" value="{{customer_phone}}" list="sale-customers" autocomplete="off" maxlength="32"></label>
<label>[[Name]] <input name="customer_name" id="sale-customer-name" value="{{customer_name}}" maxlength="200" placeholder="[[for a new customer]]"></label>
</div>
<datalist id="sale-customers"></datalist>
<p class="muted">[[Optional for a cash sale, needed for credit. A phone number the shop does not know yet adds the customer.]]</p>{{/CUSTOMER_FIELDS}}
<p id="sale-customer-info" data-label="[[Credit balance]]"{{#FOUND}} data-found="1"{{/FOUND}}>{{#FOUND}}{{found_name}} · [[Credit balance]] {{found_credit}}{{/FOUND}}</p>
</section>

<section class="card">
<h2>[[Discount, tax and fee]]</h2>
<div class="inline-form">
<label>[[Discount]] <input name="discount" value="{{discount}}" inputmode="decimal" size="9"></label>
<label>[[The discount is]] <select name="discount_kind"><option value="percent"{{#DK_PERCENT}} selected{{/DK_PERCENT}}>[[a percentage]]</option><option value="amount"{{#DK_AMOUNT}} selected{{/DK_AMOUNT}}>[[an amount]]</option></select></label>
<label>[[Tax (%)]] <input name="tax_rate_bp" value="{{tax}}" inputmode="decimal" size="6" placeholder="{{tax_default}}" data-default="{{tax_default}}"></label>
<label>[[Fee]] <input name="fee" value="{{fee}}" inputmode="decimal" size="9"></label>
</div>
</section>

<section class="card">
<h2>[[Payment]]</h2>
<div class="inline-form">
<label><input type="radio" name="payment_mode" value="cash"{{#CASH}} checked{{/CASH}}> [[Cash]]</label>
<label><input type="radio" name="payment_mode" value="credit"{{#CREDIT}} checked{{/CREDIT}}> [[Credit]]</label>
<label>[[Paid now]] <input name="paid_amount" value="{{paid_amount}}" inputmode="decimal" size="10"></label>
</div>
<p class="muted">[[Leave Paid now empty when a cash sale is paid in full. A cash sale paid short is kept as an incomplete sale; on credit, what is not paid now becomes the customer's debt.]]</p>
<label for="sale-note">[[Note]]</label>
<textarea id="sale-note" name="note" maxlength="500" rows="2">{{note}}</textarea>
</section>

<section class="card sale-totals" aria-live="polite">
<h2>[[Totals]]</h2>
<dl class="totals" id="sale-totals">
<dt>[[Subtotal]]</dt><dd data-out="subtotal">{{t_subtotal}}</dd>
<dt>[[Discount]]</dt><dd data-out="discount">{{t_discount}}</dd>
<dt>[[Tax]]</dt><dd data-out="tax">{{t_tax}}</dd>
<dt>[[Fee]]</dt><dd data-out="fee">{{t_fee}}</dd>
<dt>[[Total]]</dt><dd class="grand" data-out="total">{{t_total}}</dd>
<dt>[[Customer credit applied]]</dt><dd data-out="credit_applied">{{t_credit}}</dd>
<dt>[[Amount due]]</dt><dd data-out="amount_due">{{t_due}}</dd>
<dt>[[Paid now]]</dt><dd data-out="paid">{{t_paid}}</dd>
<dt>[[Balance due]]</dt><dd data-out="balance_due">{{t_balance}}</dd>
<dt>[[Change to give]]</dt><dd data-out="change">{{t_change}}</dd>
</dl>
<p class="field-error" id="sale-short" data-message="[[Paid short: this cash sale will be kept as an incomplete sale.]]">{{#SHORT}}[[Paid short: this cash sale will be kept as an incomplete sale.]]{{/SHORT}}</p>
<p class="muted">[[The server works the totals out again when the sale is saved; the invoice shows its figures.]]</p>
<button type="submit" name="op" value="recalc">[[Update totals]]</button>
<button type="submit" name="op" value="save" class="primary">[[Save sale]]</button>
</section>
</form>
<p><a href="/admin/sales/incomplete">[[Incomplete sales]]</a> · <a href="/admin/invoices">[[Invoices]]</a></p>
