{{%AUTOESCAPE context="HTML"}}{{>SUBNAV}}
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<div class="table-wrap users-list">
<table class="list">
<thead><tr><th>[[Name]]</th><th>[[Phone number]]</th><th>[[Role]]</th><th></th></tr></thead>
<tbody>
{{#ROW}}<tr><td>{{name}}{{#YOU}} <span class="muted">([[you]])</span>{{/YOU}}</td><td dir="ltr">{{phone}}</td><td>{{role}}</td><td>{{#EDIT}}<a href="/admin/settings/users/{{id}}">[[Edit]]</a>{{/EDIT}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
<section class="card">
<h2>[[Add a user]]</h2>
<p class="muted">[[Staff sign in with their own phone number and password. A clerk sells and records payments; an admin can also change settings and users.]]</p>
<form method="post" action="/admin/settings/users">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="idem" value="{{idem}}">
<label for="phone">[[Phone number]]</label>
<input id="phone" name="phone" type="tel" required maxlength="32" value="{{v_phone}}" placeholder="+923001234567">
<label for="name">[[Name]]</label>
<input id="name" name="name" required maxlength="200" value="{{v_name}}">
<label for="role">[[Role]]</label>
<select id="role" name="role">
{{#ROLE_OPTION}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/ROLE_OPTION}}</select>
<label for="password">[[Password]]</label>
<input id="password" name="password" type="password" required minlength="8" maxlength="128" autocomplete="new-password" aria-describedby="password-help">
<p id="password-help" class="hint">[[At least 8 characters; give it to the person in private.]]</p>
<button type="submit" class="primary">[[Add user]]</button>
</form>
</section>
<section class="card">
<h2>[[What each role may do]]</h2>
<div class="table-wrap">
<table class="list roles">
<thead><tr><th>[[Permission]]</th>{{#ROLE_HEAD}}<th>{{label}}</th>{{/ROLE_HEAD}}</tr></thead>
<tbody>
{{#PERM}}<tr><td>{{what}} <code class="muted">{{perm}}</code></td>{{#ROLE}}<td><span aria-hidden="true">{{mark}}</span><span class="visually-hidden">{{held}}</span></td>{{/ROLE}}</tr>
{{/PERM}}
</tbody>
</table>
</div>
</section>
