{{%AUTOESCAPE context="HTML"}}<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{status}} {{title}} · bahi</title>
<link rel="stylesheet" href="/static/css/bahi.css">
</head>
<body class="error-page">
<main>
<h1>{{title}}</h1>
<p>{{detail}}</p>
<p><a href="/admin/">Back to the dashboard</a></p>
</main>
</body>
</html>
