{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
{{#EXISTING}}<p class="product-summary"><strong>{{title_name}}</strong> · [[In stock]]: <span class="num">{{stock_qty}} {{unit_code}}</span>{{#LOW}} <span class="status status-red">[[Low stock]]</span>{{/LOW}}</p>
{{#COMPOSITE}}<p class="muted">[[This product is made of other products: its stock is what its parts allow.]]</p>{{/COMPOSITE}}{{/EXISTING}}
<div class="grid-2">
<section class="card">
<h2>[[Details]]</h2>
<form method="post" action="{{action}}">
<input type="hidden" name="csrf" value="{{csrf}}">
{{#NEW}}<input type="hidden" name="idem" value="{{idem}}">{{/NEW}}
{{#EXISTING}}<input type="hidden" name="version" value="{{version}}">{{/EXISTING}}
<label for="name">[[Name]]</label>
<input id="name" name="name" required maxlength="200" value="{{name}}">
<label for="sku">[[SKU]]</label>
<input id="sku" name="sku" maxlength="64" value="{{sku}}" placeholder="[[Made from the category when empty]]">
<label for="barcode">[[Barcode]]</label>
<input id="barcode" name="barcode" maxlength="64" value="{{barcode}}" placeholder="[[optional]]">
<label for="category_id">[[Category]]</label>
<select id="category_id" name="category_id">
<option value="">[[No category]]</option>
{{#OPTION}}<option value="{{id}}"{{#SELECTED}} selected{{/SELECTED}}>{{name}}</option>
{{/OPTION}}</select>
<label for="unit">[[Unit]]</label>
<select id="unit" name="unit">
{{#UNIT}}<option value="{{code}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/UNIT}}</select>
{{#PRICE_EDIT}}<label for="price">[[Sale price]]</label>
<input id="price" name="price" inputmode="decimal" value="{{price}}" placeholder="0.00">
<label for="cost">[[Cost price]]</label>
<input id="cost" name="cost" inputmode="decimal" value="{{cost}}" placeholder="0.00">{{/PRICE_EDIT}}
{{#PRICE_READONLY}}<label for="price">[[Sale price]]</label>
<input id="price" value="{{price_money}}" disabled>
<label for="cost">[[Cost price]]</label>
<input id="cost" value="{{cost_money}}" disabled>
<p class="muted">[[Only the owner or an admin can change prices.]]</p>{{/PRICE_READONLY}}
<label for="min_stock">[[Low-stock level]]</label>
<input id="min_stock" name="min_stock" inputmode="decimal" value="{{min_stock}}" placeholder="5">
<button type="submit" class="primary">[[Save]]</button>
</form>
</section>
{{#EXISTING}}<section class="card">
<h2>[[Image]]</h2>
{{#IMAGE}}<p><img class="product-image" src="{{image_url}}" alt="{{name}}"></p>
{{#CAN_REMOVE}}<form method="post" action="/admin/products/{{id}}/image/delete">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit" class="danger" data-confirm="[[Remove the image?]]">[[Remove the image]]</button>
</form>{{/CAN_REMOVE}}{{/IMAGE}}
{{#NO_IMAGE}}<p class="muted">[[No image yet.]]</p>{{/NO_IMAGE}}
{{#IMAGE_FORM}}<form method="post" action="/admin/uploads/products/{{id}}/image" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="image">[[JPEG, PNG or WebP, at most 5 MB]]</label>
<input id="image" name="image" type="file" accept="image/jpeg,image/png,image/webp" required>
<button type="submit" class="primary">[[Upload]]</button>
</form>{{/IMAGE_FORM}}
</section>{{/EXISTING}}
</div>
{{#EXISTING}}{{#STOCK_FORM}}<section class="card">
<h2>[[Stock in, out or adjust]]</h2>
<form method="post" action="/admin/products/{{id}}/stock" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>[[Movement]] <select name="kind">
{{#KIND}}<option value="{{code}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/KIND}}</select></label>
<label>[[Quantity]] <input name="qty" inputmode="decimal" required value="{{v_qty}}"></label>
<label>[[Unit cost]] <input name="unit_cost" inputmode="decimal" value="{{v_unit_cost}}" placeholder="[[optional]]"></label>
<label>[[Note]] <input name="note" maxlength="500" value="{{v_note}}" placeholder="[[optional]]"></label>
<button type="submit" class="primary">[[Record]]</button>
</form>
</section>{{/STOCK_FORM}}
{{#MOVEMENTS}}<section>
<h2>[[Recent stock movements]]</h2>
{{#NO_MOVEMENTS}}<p class="empty">[[No stock movements yet. Record stock received with the form above.]]</p>{{/NO_MOVEMENTS}}
<div class="table-wrap">
<table class="list">
<thead><tr><th>[[Date]]</th><th>[[Movement]]</th><th class="num">[[Quantity]]</th><th class="num">[[Stock after]]</th><th class="num">[[Unit cost]]</th><th>[[Note]]</th></tr></thead>
<tbody>
{{#MOVEMENT}}<tr><td>{{when}}</td><td>{{kind}}</td><td class="num">{{qty}}</td><td class="num">{{stock_after}}</td><td class="num">{{unit_cost}}</td><td>{{note}}</td></tr>
{{/MOVEMENT}}
</tbody>
</table>
</div>
</section>{{/MOVEMENTS}}
{{#CAN_DELETE}}<form method="post" action="/admin/products/{{id}}/delete" class="danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<button type="submit" class="danger" data-confirm="[[Delete this product?]]">[[Delete]]</button>
</form>{{/CAN_DELETE}}{{/EXISTING}}
<p><a href="/admin/products">[[Back to products]]</a></p>
