/* bahi.js: the panel's progressive enhancements (no framework). Every page works without it. */
(function () {
	'use strict';
	// Buttons with data-confirm ask before their form is sent.
	document.addEventListener('click', function (e) {
		var b = e.target.closest('[data-confirm]');
		if (b && !window.confirm(b.getAttribute('data-confirm'))) {
			e.preventDefault();
		}
	});
	// Forms are sent once: a second click while the first is on its way does nothing.
	document.addEventListener('submit', function (e) {
		var f = e.target;
		if (f.dataset.sent === '1') {
			e.preventDefault();
			return;
		}
		f.dataset.sent = '1';
		window.setTimeout(function () { f.dataset.sent = ''; }, 5000);
	});
}());
