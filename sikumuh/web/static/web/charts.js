// sikumuh: the trend charts (Chart.js). Data come from a json_script element named by the
// canvas's data-chart attribute; colours from the class variables of app.css.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") { return; }

  var CLASS_VARS = {
    kumuh_berat: "--berat", kumuh_sedang: "--sedang", kumuh_ringan: "--ringan", tidak_kumuh: "--tidak"
  };

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function formatter() {
    var lang = document.documentElement.lang || "id";
    return new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var fmt = formatter();
    var datasets = data.series.map(function (series) {
      return {
        label: series.label,
        data: series.data,
        backgroundColor: cssVar(CLASS_VARS[series.klass] || "--none", "#9aa5b1"),
        borderColor: "#ffffff",
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
