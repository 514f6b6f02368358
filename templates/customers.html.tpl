{{%AUTOESCAPE context="HTML"}}<details class="card add-form"{{#ERRORS}} open{{/ERRORS}}{{#EMPTY}} open{{/EMPTY}}>
<summary>[[Add a customer]]</summary>
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="post" action="/admin/customers">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="idem" value="{{idem}}">
<label for="c-name">[[Name]]</label>
<input id="c-name" name="name" required maxlength="200" value="{{v_name}}">
<label for="c-phone">[[Phone number]]</label>
<input id="c-phone" name="phone" type="tel" maxlength="32" value="{{v_phone}}" placeholder="0300 1234567">
<label for="c-address">[[Address]]</label>
<input id="c-address" name="address" maxlength="500" value="{{v_address}}" placeholder="[[optional]]">
<label for="c-opening">[[Opening balance]]</label>
<input id="c-opening" name="opening_balance" inputmode="decimal" value="{{v_opening_balance}}" placeholder="0.00">
<p class="muted">[[What the customer already owed you before you started using bahi.]]</p>
<button type="submit" class="primary">[[Add customer]]</button>
</form>
</details>
<form method="get" action="/admin/customers" class="filters" role="search">
<label>[[Name or phone number]] <input type="search" name="q" maxlength="100" value="{{q}}"></label>
<button type="submit">[[Search]]</button>
</form>
{{#EMPTY}}<p class="empty">[[No customers yet. Add the first one above, or add one while making a credit sale.]]</p>{{/EMPTY}}
{{#EMPTY_SEARCH}}<p class="empty">[[No customer matches this search. Check the spelling, or search by phone number.]] <a href="/admin/customers">[[Show every customer]]</a></p>{{/EMPTY_SEARCH}}
{{#TABLE}}<div class="table-wrap">
<table class="list customers">
<thead><tr><th>[[Name]]</th><th>[[Phone number]]</th><th class="num">[[Open debt]]</th><th class="num">[[Credit balance]]</th></tr></thead>
<tbody>
{{#ROW}}<tr><td><a href="/admin/customers/{{id}}">{{name}}</a></td><td><bdi dir="ltr">{{phone}}</bdi></td><td class="num{{#OWES}} owes{{/OWES}}">{{open_debt}}</td><td class="num">{{credit_balance}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>{{/TABLE}}
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
