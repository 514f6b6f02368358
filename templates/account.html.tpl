{{%AUTOESCAPE context="HTML"}}{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<div class="grid-2">
<section class="card">
<h2>[[About me]]</h2>
<dl class="facts">
<dt>[[Name]]</dt><dd>{{name}}</dd>
<dt>[[Phone number]]</dt><dd dir="ltr">{{phone}}</dd>
<dt>[[Role]]</dt><dd>{{role}}</dd>
</dl>
<form method="post" action="/admin/language" class="inline-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="language">[[My language]]
<select id="language" name="language">
{{#LANGUAGE}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/LANGUAGE}}</select></label>
<button type="submit">[[Change language]]</button>
</form>
</section>
<section class="card">
<h2>[[Change my password]]</h2>
<p class="muted">[[After the change you are signed out on every device, this one too; sign in again with the new password.]]</p>
<form method="post" action="/admin/account/password">
<input type="hidden" name="csrf" value="{{csrf}}">
<label for="current_password">[[Current password]]</label>
<input id="current_password" name="current_password" type="password" required autocomplete="current-password">
<label for="new_password">[[New password]]</label>
<input id="new_password" name="new_password" type="password" required minlength="8" maxlength="128" autocomplete="new-password">
<label for="new_password_again">[[New password again]]</label>
<input id="new_password_again" name="new_password_again" type="password" required minlength="8" maxlength="128" autocomplete="new-password">
<button type="submit" class="primary">[[Change password]]</button>
</form>
</section>
</div>
