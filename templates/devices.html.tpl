{{%AUTOESCAPE context="HTML"}}{{>SUBNAV}}
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<p class="muted">[[Phones, tablets and browsers signed in to the shop. Sign out a lost phone here: it is signed out at once.]]</p>
<div class="table-wrap">
<table class="list">
<thead><tr><th>[[Device]]</th><th>[[Kind]]</th><th>[[User]]</th><th>[[Last seen]]</th><th></th></tr></thead>
<tbody>
{{#ROW}}<tr><td>{{name}}{{#CURRENT}} <span class="status status-green">[[This browser]]</span>{{/CURRENT}}</td><td>{{platform}}</td><td>{{user}}</td><td>{{last_seen}}</td><td><form method="post" action="/admin/settings/devices/{{id}}/revoke" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit" class="danger"{{#CURRENT}} data-confirm="[[Sign out this browser? You will need to sign in again.]]"{{/CURRENT}}>[[Sign out]]</button>
</form></td></tr>
{{/ROW}}
</tbody>
</table>
</div>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
