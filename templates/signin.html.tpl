{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{lang}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>[[Sign in]] · bahi</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/bahi.css">
</head>
<body class="signin-page lang-{{lang}}">
<main>
<p class="brand">bahi</p>
<h1>[[Sign in to your shop]]</h1>
{{#ERROR}}<p class="form-error" role="alert">{{message}}</p>{{/ERROR}}
{{#NOTICE}}<p class="flash" role="status">{{message}}</p>{{/NOTICE}}
<form method="post" action="/admin/login">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="next" value="{{next}}">
<label for="phone">[[Phone number]]</label>
<input id="phone" name="phone" type="tel" autocomplete="username" required value="{{phone}}" placeholder="+923001234567">
<label for="password">[[Password]]</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" class="primary">[[Sign in]]</button>
</form>
<p><a href="/admin/signup">[[New shop? Create an account]]</a></p>
<p class="lang-links"><a href="/admin/login?lang=en" lang="en">English</a> · <a href="/admin/login?lang=ur" lang="ur">اردو</a></p>
</main>
</body>
</html>
