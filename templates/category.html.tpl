{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<section class="card">
<form method="post" action="/admin/categories/{{id}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<label for="name">[[Name]]</label>
<input id="name" name="name" required maxlength="100" value="{{name}}">
<label for="sku_prefix">[[SKU prefix]]</label>
<input id="sku_prefix" name="sku_prefix" maxlength="20" value="{{sku_prefix}}">
<button type="submit" class="primary">[[Save]]</button>
</form>
</section>
<form method="post" action="/admin/categories/{{id}}/delete" class="danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<button type="submit" class="danger" data-confirm="[[Delete this category?]]">[[Delete]]</button>
</form>
<p><a href="/admin/categories">[[Back to categories]]</a></p>
