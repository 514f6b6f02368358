{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<p class="product-summary"><strong>{{title_name}}</strong>{{#CAN_RECEIVE}} · <a href="/admin/supplier-invoices/new?supplier_id={{id}}">[[Receive an invoice from this supplier]]</a>{{/CAN_RECEIVE}}</p>
<section class="card catalog-form">
<h2>[[Details]]</h2>
<form method="post" action="/admin/suppliers/{{id}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<label for="name">[[Name]]</label>
<input id="name" name="name" required maxlength="200" value="{{name}}">
<label for="batch_prefix">[[Batch prefix]]</label>
<input id="batch_prefix" name="batch_prefix" maxlength="20" value="{{batch_prefix}}">
<label for="phone">[[Phone]]</label>
<input id="phone" name="phone" type="tel" maxlength="32" value="{{phone}}">
<label for="email">[[Email]]</label>
<input id="email" name="email" type="email" maxlength="254" value="{{email}}">
<label for="address">[[Address]]</label>
<textarea id="address" name="address" maxlength="500" rows="2">{{address:pre_escape}}</textarea>
<label for="notes">[[Notes]]</label>
<textarea id="notes" name="notes" maxlength="1000" rows="2">{{notes:pre_escape}}</textarea>
{{#CAN_EDIT}}<button type="submit" class="primary">[[Save]]</button>{{/CAN_EDIT}}
</form>
</section>
{{#BATCH_FORM}}<section class="card">
<h2>[[Record a batch]]</h2>
<form method="post" action="/admin/suppliers/{{id}}/batches" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="idem" value="{{idem}}">
<label>[[Product SKU or barcode]] <input name="product" list="product-skus" required maxlength="100" value="{{v_product}}"></label>
<datalist id="product-skus">
{{#SKU}}<option value="{{sku}}">{{name}}</option>
{{/SKU}}</datalist>
<label>[[Quantity]] <input name="qty" inputmode="decimal" required value="{{v_qty}}"></label>
<label>[[Unit cost]] <input name="cost" inputmode="decimal" required value="{{v_cost}}"></label>
<label>[[Expiry]] <input name="expiry" type="date" value="{{v_expiry}}"></label>
<label>[[Batch number]] <input name="batch_no" maxlength="64" value="{{v_batch_no}}" placeholder="[[generated when empty]]"></label>
<label>[[Invoice number]] <input name="supplier_invoice_no" maxlength="64" value="{{v_supplier_invoice_no}}" placeholder="[[optional]]"></label>
<button type="submit" class="primary">[[Record]]</button>
</form>
</section>{{/BATCH_FORM}}
{{#BATCHES}}<section>
<h2>[[Batches]]</h2>
{{#NO_BATCHES}}<p class="empty">[[No batches from this supplier yet. Record one above or upload the supplier's invoice.]]</p>{{/NO_BATCHES}}
<div class="table-wrap">
<table class="list">
<thead><tr><th>[[Batch number]]</th><th>[[Product]]</th><th class="num">[[Received]]</th><th class="num">[[Remaining]]</th><th class="num">[[Unit cost]]</th><th>[[Expiry]]</th><th>[[Invoice number]]</th><th>[[Date]]</th></tr></thead>
<tbody>
{{#BATCH}}<tr><td>{{batch_no}}</td><td><a href="/admin/products/{{product_id}}">{{product}}</a></td><td class="num">{{qty_received}}</td><td class="num">{{qty_remaining}}</td><td class="num">{{cost}}</td><td>{{expiry}}</td><td>{{supplier_invoice_no}}</td><td>{{received}}</td></tr>
{{/BATCH}}
</tbody>
</table>
</div>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
</section>{{/BATCHES}}
{{#CAN_DELETE}}<form method="post" action="/admin/suppliers/{{id}}/delete" class="danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<button type="submit" class="danger" data-confirm="[[Delete this supplier?]]">[[Delete]]</button>
</form>{{/CAN_DELETE}}
<p><a href="/admin/suppliers">[[Back to suppliers]]</a></p>
