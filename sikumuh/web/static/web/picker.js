// The purposive picker of the uji petik draw form: a searchable list of checkboxes, showing
// only the group of the chosen population (activities or RTs). The server checks the ids.
(function () {
  "use strict";
  document.querySelectorAll("[data-picker]").forEach(function (box) {
    var search = box.querySelector("[data-picker-search]");
    var count = box.querySelector("[data-picker-count]");
    var kindSelect = document.querySelector(box.getAttribute("data-picker-kind-from"));
    function update() {
      var words = (search.value || "").toLowerCase().split(/\s+/).filter(Boolean);
      var kind = kindSelect ? kindSelect.value : null;
      var ticked = 0;
      box.querySelectorAll("[data-picker-group]").forEach(function (group) {
        var shown = !kind || group.getAttribute("data-picker-group") === kind;
        group.hidden = !shown;
        group.querySelectorAll(".picker-item").forEach(function (item) {
          var input = item.querySelector("input");
          // A hidden group's ticks are not sent: they belong to the other population.
          input.disabled = !shown;
          var text = item.textContent.toLowerCase();
          item.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
          if (shown && input.checked) ticked += 1;
        });
      });
      if (count) count.textContent = ticked ? "✓ " + ticked : "";
    }
    search.addEventListener("input", update);
    if (kindSelect) kindSelect.addEventListener("change", update);
    update();
  });
})();
