{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="{{lang}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{status}} {{title}} · bahi</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/css/bahi.css">
</head>
<body class="error-page lang-{{lang}}">
<main>
<p class="status">{{status}}</p>
<h1>{{title}}</h1>
<p>{{detail}}</p>
<p><a href="/admin/">[[Back to the dashboard]]</a></p>
</main>
</body>
</html>
