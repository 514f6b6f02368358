{{%AUTOESCAPE context="HTML"}}{{>SUBNAV}}
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
<section class="card">
<h2>[[Business settings]]</h2>
<form method="post" action="/admin/settings" class="settings-form">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="version" value="{{version}}">
<label for="name">[[Business name]]</label>
<input id="name" name="name" required maxlength="200" value="{{name}}">
<label for="currency">[[Currency]]</label>
<input id="currency" name="currency" required maxlength="3" value="{{currency}}" list="currencies" autocapitalize="characters" aria-describedby="currency-help">
<p id="currency-help" class="hint">[[A three-letter code such as PKR, INR or USD.]]</p>
<datalist id="currencies"><option value="PKR"><option value="INR"><option value="USD"><option value="EUR"><option value="GBP"><option value="AED"><option value="SAR"></datalist>
<label for="timezone">[[Time zone]]</label>
<input id="timezone" name="timezone" required maxlength="64" value="{{timezone}}" list="timezones" aria-describedby="timezone-help">
<p id="timezone-help" class="hint">[[Dates and “today” on every page and invoice follow this zone.]]</p>
<datalist id="timezones"><option value="Asia/Karachi"><option value="Asia/Kolkata"><option value="Asia/Dubai"><option value="Asia/Riyadh"><option value="Europe/London"><option value="UTC"></datalist>
<label for="tax_rate_bp">[[Tax rate (%)]]</label>
<input id="tax_rate_bp" name="tax_rate_bp" required inputmode="decimal" value="{{tax_rate_bp}}" aria-describedby="tax-help">
<p id="tax-help" class="hint">[[The default sales tax on new invoices, for example 17 or 17.5.]]</p>
<label for="credit_term_days">[[Credit term (days)]]</label>
<input id="credit_term_days" name="credit_term_days" required type="number" min="0" max="365" value="{{credit_term_days}}" aria-describedby="term-help">
<p id="term-help" class="hint">[[How many days a customer has to pay a credit sale.]]</p>
<label for="device_cap">[[Device limit]]</label>
<input id="device_cap" name="device_cap" required type="number" min="1" max="50" value="{{device_cap}}" aria-describedby="cap-help">
<p id="cap-help" class="hint">[[How many phones, tablets and browsers may be signed in to the shop at once. Signing in on one more signs out the one least recently used.]]</p>
<label for="language">[[Language]]</label>
<select id="language" name="language" aria-describedby="language-help">
{{#LANGUAGE}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/LANGUAGE}}</select>
<p id="language-help" class="hint">[[For users who have not chosen their own language.]]</p>
<label for="number_grouping">[[Number grouping]]</label>
<select id="number_grouping" name="number_grouping">
{{#GROUPING}}<option value="{{value}}"{{#SELECTED}} selected{{/SELECTED}}>{{label}}</option>
{{/GROUPING}}</select>
<button type="submit" class="primary">[[Save]]</button>
</form>
</section>
