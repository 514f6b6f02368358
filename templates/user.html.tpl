{{%AUTOESCAPE context="HTML"}}{{>SUBNAV}}
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<section class="card">
<p><span class="muted">[[Phone number]]:</span> <span dir="ltr">{{phone}}</span> · <span class="muted">[[Role]]:</span> {{role_label}}</p>
{{#OWNER_ONLY}}<p>{{name}}</p><p class="muted">[[Only the owner can change the owner's account.]]</p>{{/OWNER_ONLY}}
{{#FORM}}<form method="post" action="/admin/settings/users/{{id}}">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<label for="name">[[Name]]</label>
<input id="name" name="name" required maxlength="200" value="{{name}}">
{{#ROLE}}<label for="role">[[Role]]</label>
<select id="role" name="role">
{{#ROLE_OPTION}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/ROLE_OPTION}}</select>
<p class="hint">[[A new role signs the user out everywhere; they sign in again with it.]]</p>{{/ROLE}}
{{#PASSWORD}}<label for="password">[[New password]]</label>
<input id="password" name="password" type="password" minlength="8" maxlength="128" autocomplete="new-password" aria-describedby="password-help">
<p id="password-help" class="hint">[[Leave empty to keep the password. A new one signs the user out everywhere.]]</p>{{/PASSWORD}}
<button type="submit" class="primary">[[Save]]</button>
</form>{{/FORM}}
</section>
{{#REMOVE}}<form method="post" action="/admin/settings/users/{{id}}/delete" class="danger-zone">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit" class="danger" data-confirm="[[Remove this user? They are signed out at once.]]">[[Remove user]]</button>
</form>{{/REMOVE}}
<p><a href="/admin/settings/users">[[Back to users]]</a></p>
