// sikumuh: small behaviours shared by every page. No inline scripts (Content Security Policy).
(function () {
  "use strict";
  // htmx needs the CSRF token on its POSTs.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });

  // A table that scrolls sideways in its own box (a phone, app.css) must be scrollable from the
  // keyboard too (WCAG 2.1.1): the box joins the tab order while it overflows, and leaves it
  // when the screen is wide enough again.
  function scrollBoxes() {
    document.querySelectorAll("main .table-wrap, main table").forEach(function (box) {
      var overflows = box.scrollWidth > box.clientWidth + 1 &&
        getComputedStyle(box).overflowX !== "visible";
      if (overflows && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.scrollBox = "true";
      } else if (!overflows && box.dataset.scrollBox) {
        box.removeAttribute("tabindex");
        delete box.dataset.scrollBox;
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(scrollBoxes, 100);
  });
  document.body.addEventListener("htmx:afterSettle", scrollBoxes);
  scrollBoxes();
})();
