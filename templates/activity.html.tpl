{{%AUTOESCAPE context="HTML"}}{{>SUBNAV}}
{{#EMPTY}}<p class="empty">[[Nothing has been recorded yet. Sign-ins, settings changes and other important actions appear here.]]</p>{{/EMPTY}}
<div class="table-wrap">
<table class="list">
<thead><tr><th>[[When]]</th><th>[[Who]]</th><th>[[Action]]</th><th>[[Details]]</th><th>[[IP address]]</th></tr></thead>
<tbody>
{{#ROW}}<tr><td>{{at}}</td><td>{{user}}</td><td>{{what}}</td><td>{{detail}}</td><td dir="ltr">{{ip}}</td></tr>
{{/ROW}}
</tbody>
</table>
</div>
{{#NEXT}}<p class="pager"><a href="{{next_href}}" rel="next">[[Next page]]</a></p>{{/NEXT}}
