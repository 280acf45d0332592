// The kecamatan → desa filters of the long tables (web/_table_controls.html): choosing a
// kecamatan narrows the desa list to its desa. The server narrows again (without script too).
(function () {
  "use strict";
  function narrow(kecamatan, desa) {
    var chosen = kecamatan.value;
    Array.prototype.forEach.call(desa.options, function (option) {
      if (!option.value) return;
      var outside = chosen !== "" && option.getAttribute("data-kecamatan") !== chosen;
      option.hidden = outside;
      option.disabled = outside;
      if (outside && option.selected) desa.value = "";
    });
  }
  document.querySelectorAll("[data-table-controls]").forEach(function (box) {
    var kecamatan = box.querySelector("[data-kecamatan-select]");
    var desa = box.querySelector("[data-desa-select]");
    if (!kecamatan || !desa) return;
    kecamatan.addEventListener("change", function () { narrow(kecamatan, desa); });
    narrow(kecamatan, desa);
  });
})();
