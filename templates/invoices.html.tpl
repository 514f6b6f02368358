{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<form method="get" action="/admin/invoices" class="filters">
<label>[[From]] <input type="date" name="from" value="{{from}}"></label>
<label>[[To]] <input type="date" name="to" value="{{to}}"></label>
<label>[[Customer]] <input name="customer" value="{{customer}}" placeholder="[[name or phone]]" maxlength="100"></label>
<label>[[Status]] <select name="status"><option value="">[[Any]]</option>{{#STATUS_OPTION}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>{{/STATUS_OPTION}}</select></label>
<button type="submit">[[Filter]]</button>
<a href="/admin/invoices">[[Clear]]</a>
</form>
<p class="list-actions"><a class="button primary" href="/admin/sales/new">[[New sale]]</a> <a href="/admin/sales/incomplete">[[Incomplete sales]]</a></p>
{{#NOCUSTOMER}}<p class="empty">[[No customer matches that name or phone.]]</p>{{/NOCUSTOMER}}
{{#CHOOSE}}<p>[[Several customers match; choose one:]]</p>
<ul>{{#CHOICE}}<li><a href="{{href}}">{{name}}</a> <span class="muted">{{phone}}</span></li>{{/CHOICE}}</ul>{{/CHOOSE}}
{{#EMPTY}}<p class="empty">[[No invoices yet. Make a sale to issue the first one.]] <a href="/admin/sales/new">[[New sale]]</a></p>{{/EMPTY}}
{{#NOMATCH}}<p class="empty">[[No invoices match these filters. Change or clear them.]]</p>{{/NOMATCH}}
{{#LIST}}<div class="table-wrap">
<table class="list">
<thead><tr><th>[[Number]]</th><th>[[Date]]</th><th>[[Customer]]</th><th>[[Status]]</th><th>[[Due date]]</th><th class="num">[[Total]]</th><th class="num">[[Balance due]]</th></tr></thead>
<tbody>
{{#ROW}}<tr><td><a href="/admin/invoices/{{id}}">{{number}}</a></td><td>{{issued}}</td><td>{{customer}}</td><td><span class="status status-{{status}}">{{status_label}}</span></td><td>{{due_date}}</td><td class="num">{{total}}</td><td class="num">{{balance_due}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>{{/LIST}}
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
