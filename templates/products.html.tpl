{{%AUTOESCAPE context="HTML"}}<form method="get" action="/admin/products" class="filters" role="search">
<label>[[Search]] <input name="q" type="search" maxlength="100" value="{{q}}" placeholder="[[Name, SKU or barcode]]"></label>
<label>[[Category]] <select name="category_id">
<option value="">[[All categories]]</option>
{{#OPTION}}<option value="{{id}}"{{#SELECTED}} selected{{/SELECTED}}>{{name}}</option>
{{/OPTION}}</select></label>
<label><input type="checkbox" name="low_stock" value="true"{{#LOW_CHECKED}} checked{{/LOW_CHECKED}}> [[Low stock only]]</label>
<button type="submit">[[Filter]]</button>
<a href="/admin/products?low_stock=true">[[Low stock]]</a>
</form>
{{#CAN_ADD}}<p class="actions"><a class="button primary" href="/admin/products/new">[[Add a product]]</a> <a class="button" href="/admin/suppliers">[[Suppliers and batches]]</a></p>{{/CAN_ADD}}
{{#EMPTY}}<p class="empty">[[No products yet. Add the first one with “Add a product”, or receive a supplier invoice.]]</p>{{/EMPTY}}
{{#NO_MATCH}}<p class="empty">[[No products match. Try another search or clear the filters.]]</p>{{/NO_MATCH}}
<div class="table-wrap">
<table class="list products">
<thead><tr><th>[[Name]]</th><th>[[SKU]]</th><th>[[Category]]</th><th class="num">[[Price]]</th><th class="num">[[Stock]]</th></tr></thead>
<tbody>
{{#ROW}}<tr><td><a href="/admin/products/{{id}}">{{name}}</a></td><td>{{sku}}</td><td>{{category}}</td><td class="num">{{price}}</td><td class="num">{{stock}} {{unit}}{{#LOW}} <span class="status status-red">[[Low stock]]</span>{{/LOW}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
