{{%AUTOESCAPE context="HTML"}}<nav class="subnav" aria-label="[[Settings]]">
{{#ITEM}}<a href="{{href}}"{{#CURRENT}} class="current" aria-current="page"{{/CURRENT}}>{{label}}</a>
{{/ITEM}}</nav>
