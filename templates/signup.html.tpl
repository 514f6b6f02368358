{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{lang}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>[[Create an account]] · bahi</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/bahi.css">
</head>
<body class="signin-page lang-{{lang}}">
<main>
<p class="brand">bahi</p>
<h1>[[Create an account for your shop]]</h1>
{{#ERRORS}}<div class="form-error" role="alert"><p>{{title}}</p><ul>{{#ERROR}}<li>{{message}}</li>{{/ERROR}}</ul></div>{{/ERRORS}}
{{#STEP1}}<p>[[Enter your mobile number. We send a six-digit code to it by SMS.]]</p>
<form method="post" action="/admin/signup">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="lang" value="{{lang}}">
<input type="hidden" name="step" value="send">
<label for="phone">[[Phone number]]</label>
<input id="phone" name="phone" type="tel" autocomplete="tel" required maxlength="32" value="{{phone}}" placeholder="+923001234567">
<button type="submit" class="primary">[[Send the code]]</button>
</form>{{/STEP1}}
{{#STEP2}}<p>[[We sent a six-digit code by SMS to this number:]] <strong dir="ltr">{{phone}}</strong></p>
<form method="post" action="/admin/signup">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="lang" value="{{lang}}">
<input type="hidden" name="step" value="verify">
<input type="hidden" name="phone" value="{{phone}}">
<label for="otp">[[Code]]</label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required pattern="[0-9]{6}" maxlength="6">
<label for="name">[[Your name]]</label>
<input id="name" name="name" autocomplete="name" required maxlength="200" value="{{name}}">
<label for="password">[[Password]]</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="8" maxlength="128">
<label for="business_name">[[Shop name]]</label>
<input id="business_name" name="business_name" required maxlength="200" value="{{business_name}}">
<label for="currency">[[Currency]]</label>
<input id="currency" name="currency" maxlength="3" value="{{currency}}" placeholder="PKR" list="currencies">
<datalist id="currencies"><option value="PKR"><option value="INR"><option value="USD"><option value="EUR"><option value="GBP"><option value="AED"><option value="SAR"></datalist>
<label for="timezone">[[Time zone]]</label>
<input id="timezone" name="timezone" maxlength="64" value="{{timezone}}" placeholder="Asia/Karachi" list="timezones">
<datalist id="timezones"><option value="Asia/Karachi"><option value="Asia/Kolkata"><option value="Asia/Dubai"><option value="Asia/Riyadh"><option value="Europe/London"><option value="UTC"></datalist>
<button type="submit" class="primary">[[Create the account]]</button>
</form>
<form method="post" action="/admin/signup" class="resend">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="lang" value="{{lang}}">
<input type="hidden" name="step" value="send">
<input type="hidden" name="phone" value="{{phone}}">
<button type="submit">[[Send a new code]]</button>
</form>
<p><a href="/admin/signup?lang={{lang}}">[[Use another phone number]]</a></p>{{/STEP2}}
<p><a href="/admin/login?lang={{lang}}">[[Already have an account? Sign in]]</a></p>
<p class="lang-links"><a href="/admin/signup?lang=en" lang="en">English</a> · <a href="/admin/signup?lang=ur" lang="ur">اردو</a></p>
</main>
</body>
</html>
