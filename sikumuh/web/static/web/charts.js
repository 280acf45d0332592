// sikumuh: the trend charts (Chart.js). Data come from a json_script element named by the
// canvas's data-chart attribute; colours are the class tokens of app.css (through ui.js).
(function () {
  "use strict";
  if (typeof window.Chart === "undefined" || !window.sikumuhUI) { return; }
  var ui = window.sikumuhUI;

  function draw(canvas) {
    var data = ui.jsonOf(canvas.dataset.chart);
    if (!data) { return; }
    var fmt = ui.numberFormat(2);
    var datasets = data.series.map(function (series) {
      return {
        label: series.label,
        data: series.data,
        backgroundColor: ui.classColour(series.klass),
        borderColor: ui.token("surface"),
        borderWidth: 1,
        stack: "ha"
      };
    });
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: data.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: data.unit } }
        },
        plugins: {
          tooltip: {
            callbacks: {
              label: function (ctx) { return ctx.dataset.label + ": " + fmt.format(ctx.parsed.y) + " " + data.unit; }
            }
          }
        }
      }
    });
    canvas.dataset.ready = "true";
  }

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
