{{%AUTOESCAPE context="HTML"}}<div class="cards">
<div class="stat"><div class="label">[[Open debt]]</div><div class="value">{{total_due}}</div><div class="muted">[[Invoices]]: {{debt_count}}</div></div>
{{#BY_STATUS}}<a class="stat debt-stat" href="/admin/debts?status={{status}}"><span class="status status-{{status}}">{{label}}</span><span class="value">{{amount}}</span><span class="muted">[[Invoices]]: {{count}}</span></a>
{{/BY_STATUS}}
</div>
<form method="get" action="/admin/debts" class="filters">
{{#CUSTOMER_FILTER}}<input type="hidden" name="customer_id" value="{{customer_id}}">{{/CUSTOMER_FILTER}}
<label>[[Status]] <select name="status">
<option value="">[[All statuses]]</option>
{{#STATUS_OPTION}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/STATUS_OPTION}}
</select></label>
<button type="submit">[[Show]]</button>
{{#CUSTOMER_FILTER}}<a href="/admin/debts">[[Show every customer]]</a>{{/CUSTOMER_FILTER}}
</form>
<p class="muted">[[Days are counted to the due date from today:]] {{as_of}}</p>
{{#EMPTY}}<p class="empty">[[No open debts. A credit sale shows here until it is paid; make one from New sale.]]</p>{{/EMPTY}}
{{#EMPTY_STATUS}}<p class="empty">[[No debts with this status. Choose All statuses to see every open debt.]]</p>{{/EMPTY_STATUS}}
{{#TABLE}}<div class="table-wrap">
<table class="list debts">
<thead><tr><th>[[Invoice]]</th><th>[[Customer]]</th><th>[[Issued]]</th><th>[[Due date]]</th><th class="num">[[Total]]</th><th class="num">[[Balance due]]</th><th>[[Status]]</th></tr></thead>
<tbody>
{{#ROW}}<tr class="debt-{{debt_status}}"><td><a href="/admin/invoices/{{invoice_id}}">#{{number}}</a></td><td><a href="/admin/customers/{{customer_id}}">{{customer_name}}</a> <bdi class="muted" dir="ltr">{{customer_phone}}</bdi></td><td>{{issued_on}}</td><td>{{due_date}}</td><td class="num">{{total}}</td><td class="num">{{balance_due}}</td><td>{{>STATUS}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>{{/TABLE}}
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
