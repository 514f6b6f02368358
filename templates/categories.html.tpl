{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<section class="card">
<h2>[[Add a category]]</h2>
<form method="post" action="/admin/categories" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>[[Name]] <input name="name" required maxlength="100" value="{{v_name}}"></label>
<label>[[SKU prefix]] <input name="sku_prefix" maxlength="20" value="{{v_sku_prefix}}" placeholder="[[optional]]"></label>
<button type="submit" class="primary">[[Add]]</button>
</form>
</section>
{{#EMPTY}}<p class="empty">[[No categories yet. Add the first one above, for example “Drinks”.]]</p>{{/EMPTY}}
<table class="list">
<thead><tr><th>[[Name]]</th><th>[[SKU prefix]]</th><th></th></tr></thead>
<tbody>
{{#ROW}}<tr><td>{{name}}</td><td>{{sku_prefix}}</td><td><a href="/admin/categories/{{id}}">[[Edit]]</a></td></tr>
{{/ROW}}
</tbody>
</table>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
