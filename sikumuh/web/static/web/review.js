// sikumuh review pages: ask before a form marked data-confirm is sent (locking a year).
// A static file, not an inline handler: the Content Security Policy allows no inline script.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });
})();
