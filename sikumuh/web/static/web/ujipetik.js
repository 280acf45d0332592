// sikumuh — uji petik checklist: fill latitude/longitude from the device's position (WGS 84).
(function () {
  "use strict";
  var button = document.getElementById("use-position");
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  if (!button || !lat || !lon || !navigator.geolocation) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
    });
  });
})();
