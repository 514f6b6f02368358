{{%AUTOESCAPE context="HTML"}}{{#START}}<section class="card">
<h2>[[What would you like to do?]]</h2>
<p class="quick-actions"><a class="button primary" href="/admin/sales/new">[[New sale]]</a> <a class="button" href="/admin/customers">[[Customers]]</a> <a class="button" href="/admin/debts">[[Debts]]</a> <a class="button" href="/admin/products">[[Products]]</a></p>
</section>{{/START}}
{{#FIGURES}}<p class="quick-actions"><a class="button primary" href="/admin/sales/new">[[New sale]]</a> <a class="button" href="/admin/customers">[[Record a payment]]</a></p>
<div class="cards">
<div class="stat"><div class="label">[[Today's sales]]</div><div class="value" id="stat-today">{{today_total}}</div><div class="muted">[[Cash]] {{today_cash}} · [[Credit]] {{today_credit}}</div></div>
<div class="stat"><div class="label">[[This month's sales]]</div><div class="value" id="stat-month">{{month_total}}</div><div class="muted">[[Cash]] {{month_cash}} · [[Credit]] {{month_credit}}</div></div>
<a class="stat" href="/admin/debts"><div class="label">[[Open debt]]</div><div class="value" id="stat-debt">{{open_debt}}</div><div class="muted">[[Customers who owe]]: {{debtors}}</div></a>
<a class="stat" href="/admin/customers"><div class="label">[[Customers]]</div><div class="value">{{customers}}</div></a>
<a class="stat" href="/admin/products"><div class="label">[[Products]]</div><div class="value">{{products}}</div><div class="muted">[[Low on stock]]: {{low_count}}</div></a>
</div>
<div class="grid-2">
<section class="card chart"><h2>[[Sales of the last 14 days]]</h2>{{chart_days:none}}</section>
<section class="card chart"><h2>[[Cash and credit this month]]</h2>{{chart_split:none}}</section>
<section class="card chart"><h2>[[Sales by category this month]]</h2>{{chart_categories:none}}</section>
<section class="card chart"><h2>[[Top 5 customers, last 30 days]]</h2>{{chart_top:none}}</section>
</div>
<div class="grid-2">
<section class="card">
<h2>[[Debts turning red]] <span class="muted">({{red_count}} · {{red_total}})</span></h2>
{{#NO_RED}}<p class="empty">[[No debt is due within 3 days. Credit sales appear here as their due dates come near.]]</p>{{/NO_RED}}
<table class="list"><tbody>
{{#RED}}<tr><td><a href="/admin/customers/{{customer_id}}">{{customer_name}}</a></td><td><a href="/admin/invoices/{{invoice_id}}">#{{number}}</a></td><td class="num">{{balance_due}}</td><td>{{>STATUS}}</td></tr>
{{/RED}}
</tbody></table>
</section>
<section class="card">
<h2>[[Low stock]]</h2>
{{#NO_LOW}}<p class="empty">[[Every product is above its minimum stock.]]</p>{{/NO_LOW}}
<table class="list"><tbody>
{{#LOW}}<tr><td><a href="/admin/products/{{id}}">{{name}}</a></td><td class="num">{{stock}} / {{threshold}}</td></tr>
{{/LOW}}
</tbody></table>
</section>
</div>
<section class="card">
<h2>[[Recent invoices]]</h2>
{{#NO_RECENT}}<p class="empty">[[No invoices yet. Your first sale starts at New sale.]]</p>{{/NO_RECENT}}
<div class="table-wrap"><table class="list"><tbody>
{{#RECENT}}<tr><td><a href="/admin/invoices/{{id}}">#{{number}}</a></td><td>{{customer}}</td><td>{{mode}}</td><td><bdi dir="ltr">{{time}}</bdi></td><td class="num">{{total}}</td></tr>
{{/RECENT}}
</tbody></table></div>
</section>{{/FIGURES}}
