{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{lang}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{business_name}} · bahi</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/bahi.css">
<script src="/static/js/bahi.js" defer></script>
<script src="/static/js/live.js" defer></script>
</head>
<body class="panel lang-{{lang}}{{#LIVE_RELOAD}} live-reload{{/LIVE_RELOAD}}">
<header class="topbar">
<a class="brand" href="/admin/">bahi</a>
<span class="business">{{business_name}}</span>
<form class="lang-switch" method="post" action="/admin/language">
<input type="hidden" name="csrf" value="{{csrf}}">
<input type="hidden" name="language" value="{{other_lang}}">
<button type="submit" lang="{{other_lang}}">{{other_lang_name}}</button>
</form>
<span class="user">{{user_name}}</span>
<form class="signout" method="post" action="/admin/logout">
<input type="hidden" name="csrf" value="{{csrf}}">
<button type="submit">[[Sign out]]</button>
</form>
</header>
<nav class="sidebar" aria-label="[[Main menu]]">
{{#NAV}}<a href="{{href}}"{{#CURRENT}} class="current" aria-current="page"{{/CURRENT}}>{{label}}</a>
{{/NAV}}
</nav>
<main class="content">
<p id="live" class="live" role="status" hidden>[[This page has changed since it was opened.]] <a href="">[[Reload]]</a></p>
{{#FLASH}}<p class="flash" role="status">{{message}}</p>{{/FLASH}}
<h1>{{title}}</h1>
{{>BODY}}
</main>
</body>
</html>
