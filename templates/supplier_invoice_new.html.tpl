{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<section class="card catalog-form">
<p>[[Upload the supplier's invoice as a CSV file (or paste its rows) with the columns name, buy_price, sell_price, qty and, optionally, part_no. Each line is matched to a product by the supplier's part number or by its name; you confirm or change each match before anything is received.]]</p>
{{#NO_SUPPLIERS}}<p class="empty">[[No suppliers yet.]] <a href="/admin/suppliers">[[Add a supplier first.]]</a></p>{{/NO_SUPPLIERS}}
<form method="post" action="/admin/uploads/supplier-invoices" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="supplier_id">[[Supplier]]</label>
<select id="supplier_id" name="supplier_id" required>
<option value="">[[Choose a supplier]]</option>
{{#SUPPLIER}}<option value="{{id}}"{{#SELECTED}} selected{{/SELECTED}}>{{name}}</option>
{{/SUPPLIER}}</select>
<label for="invoice_no">[[Invoice number]]</label>
<input id="invoice_no" name="invoice_no" required maxlength="64" value="{{v_invoice_no}}">
<label for="file">[[CSV file]]</label>
<input id="file" name="file" type="file" accept=".csv,text/csv,text/plain">
<label for="csv">[[Or paste the rows]]</label>
<textarea id="csv" name="csv" rows="8" placeholder="name,buy_price,sell_price,qty,part_no">{{v_csv:pre_escape}}</textarea>
<button type="submit" class="primary">[[Match the lines]]</button>
</form>
</section>
<p><a href="/admin/suppliers">[[Back to suppliers]]</a></p>
