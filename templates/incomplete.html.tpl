{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<p class="muted">[[A cash sale paid short is kept here: no invoice number, no stock taken. Complete it when the rest is paid, or on credit, or discard it.]]</p>
{{#EMPTY}}<p class="empty">[[No incomplete sales. Cash sales paid short appear here.]] <a href="/admin/sales/new">[[New sale]]</a></p>{{/EMPTY}}
{{#ROW}}<section class="card incomplete-sale">
<h2>{{customer}} <span class="muted">{{created}}</span></h2>
<p>{{items}}</p>
<dl class="totals">
<dt>[[Total]]</dt><dd>{{total}}</dd>
<dt>[[Paid]]</dt><dd>{{paid}}</dd>
<dt>[[Short by]]</dt><dd>{{short}}</dd>
</dl>
<form method="post" action="/admin/sales/incomplete/{{id}}/complete" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<label><input type="radio" name="payment_mode" value="cash"{{#CASH}} checked{{/CASH}}> [[Cash]]</label>
<label><input type="radio" name="payment_mode" value="credit"{{#CREDIT}} checked{{/CREDIT}}> [[Credit]]</label>
<label>[[Paid now]] <input name="paid_amount" value="{{paid_amount}}" inputmode="decimal" size="10" required></label>
<button type="submit" class="primary">[[Complete the sale]]</button>
</form>
<form method="post" action="/admin/sales/incomplete/{{id}}/delete" class="danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit" class="danger" data-confirm="[[Discard this incomplete sale?]]">[[Discard]]</button>
</form>
</section>
{{/ROW}}
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
