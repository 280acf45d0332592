// sikumuh: small behaviours shared by every page. No inline scripts (Content Security Policy).
(function () {
  "use strict";
  // htmx needs the CSRF token on its POSTs.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
