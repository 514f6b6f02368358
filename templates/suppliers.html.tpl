{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
{{#CAN_RECEIVE}}<p class="actions"><a class="button primary" href="/admin/supplier-invoices/new">[[Receive a supplier invoice]]</a></p>{{/CAN_RECEIVE}}
{{#ADD_FORM}}<section class="card">
<h2>[[Add a supplier]]</h2>
<form method="post" action="/admin/suppliers" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<label>[[Name]] <input name="name" required maxlength="200" value="{{v_name}}"></label>
<label>[[Batch prefix]] <input name="batch_prefix" maxlength="20" value="{{v_batch_prefix}}" placeholder="[[optional]]"></label>
<label>[[Phone]] <input name="phone" type="tel" maxlength="32" value="{{v_phone}}" placeholder="[[optional]]"></label>
<label>[[Email]] <input name="email" type="email" maxlength="254" value="{{v_email}}" placeholder="[[optional]]"></label>
<label>[[Address]] <input name="address" maxlength="500" value="{{v_address}}" placeholder="[[optional]]"></label>
<label>[[Notes]] <input name="notes" maxlength="1000" value="{{v_notes}}" placeholder="[[optional]]"></label>
<button type="submit" class="primary">[[Add]]</button>
</form>
</section>{{/ADD_FORM}}
{{#EMPTY}}<p class="empty">[[No suppliers yet. Add the first one above; then record their batches or upload their invoices.]]</p>{{/EMPTY}}
<div class="table-wrap">
<table class="list">
<thead><tr><th>[[Name]]</th><th>[[Batch prefix]]</th><th>[[Phone]]</th><th>[[Email]]</th></tr></thead>
<tbody>
{{#ROW}}<tr><td><a href="/admin/suppliers/{{id}}">{{name}}</a></td><td>{{batch_prefix}}</td><td>{{phone}}</td><td>{{email}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
