{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<p class="product-summary">[[Supplier]]: <a href="/admin/suppliers/{{supplier_id}}">{{supplier_name}}</a> · [[Invoice number]]: <strong>{{invoice_no}}</strong>{{#CONFIRMED}} · [[Batches]]: {{batch_stem}}-L…{{/CONFIRMED}}</p>
{{#PROPOSED}}<p>[[Check each line's match. Unmatched lines come first: choose “New item” to add the product to the catalog, another product's SKU, or skip the line.]]</p>{{/PROPOSED}}
{{#CAN_CONFIRM}}<form method="post" action="/admin/supplier-invoices/{{id}}/confirm">
<input type="hidden" name="csrf" value="{{csrf}}">{{/CAN_CONFIRM}}
<div class="table-wrap">
<table class="list invoice-lines">
<thead><tr><th class="num">[[Row]]</th><th>[[Item name]]</th><th class="num">[[Buy]]</th><th class="num">[[Sell]]</th><th class="num">[[Quantity]]</th><th>[[Supplier part number]]</th><th>[[Match]]</th></tr></thead>
<tbody>
{{#LINE}}<tr><td class="num">{{row}}</td><td>{{name}}</td><td class="num">{{buy_price}}</td><td class="num">{{sell_price}}</td><td class="num">{{qty}}</td><td>{{part_no}}</td><td>
{{#PICK}}{{#UNMATCHED}}<span class="status status-yellow">[[No match]]</span>{{/UNMATCHED}}
<select name="pick_{{row}}" aria-label="[[Match]]">
{{#MATCH}}<option value="match"{{#SELECTED}} selected{{/SELECTED}}>{{match_name}}</option>{{/MATCH}}
<option value="new"{{#NEW_SELECTED}} selected{{/NEW_SELECTED}}>[[New item]]</option>
<option value="skip"{{#SKIP_SELECTED}} selected{{/SKIP_SELECTED}}>[[Skip this line]]</option>
</select>
<input name="other_{{row}}" maxlength="100" value="{{other}}" placeholder="[[or another product's SKU]]" aria-label="[[or another product's SKU]]">{{/PICK}}
{{#RESULT}}{{action}}{{#PRODUCT}} · <a href="/admin/products/{{product_id}}">[[Product]]</a>{{/PRODUCT}} {{batch_no}}{{/RESULT}}
</td></tr>
{{/LINE}}
</tbody>
</table>
</div>
{{#CAN_CONFIRM}}<label for="category_id">[[Category of new items]]</label>
<select id="category_id" name="category_id">
<option value="">[[No category]]</option>
{{#OPTION}}<option value="{{id}}"{{#SELECTED}} selected{{/SELECTED}}>{{name}}</option>
{{/OPTION}}</select>
{{#PRICES_CHECKED}}<label><input type="checkbox" name="update_prices" value="1" checked> [[Set the products' buy and sell prices from this invoice]]</label>{{/PRICES_CHECKED}}
{{#PRICES}}<label><input type="checkbox" name="update_prices" value="1"> [[Set the products' buy and sell prices from this invoice]]</label>{{/PRICES}}
<button type="submit" class="primary">[[Confirm and receive the stock]]</button>
</form>{{/CAN_CONFIRM}}
<p><a href="/admin/suppliers/{{supplier_id}}">[[Back to the supplier]]</a></p>
