/* live.js: an open panel page learns within a second that the shop's data changed (GET /api/v1/events with the session cookie) and offers to reload. */
(function () {
	'use strict';
	var bar = document.getElementById('live');
	if (!bar || !window.EventSource) {
		return;
	}
	var src = new EventSource('/api/v1/events');
	var ready = false;
	var leaving = false;
	src.addEventListener('ready', function () { ready = true; });
	src.addEventListener('change', function () {
		if (!ready) {
			return;
		}
		// a page being filled in, or left by a form it sent (whose own answer
		// is on its way: a reload would cancel it), is never reloaded
		if (leaving) {
			return;
		}
		if (document.body.classList.contains('live-reload') && !document.querySelector('form.dirty')) {
			window.location.reload();
			return;
		}
		bar.hidden = false;
	});
	src.addEventListener('end', function () { src.close(); });
	document.addEventListener('submit', function (e) { leaving = leaving || !e.defaultPrevented; });
	document.addEventListener('input', function (e) {
		var f = e.target.form;
		if (f) {
			f.classList.add('dirty');
		}
	});
}());
