// Draws the statistics charts from #statistics-chart-data. Each chart has a table beside it with
// the same figures (and the suppressed ones as markers): the chart is never the only carrier.
// A suppressed figure is a gap in the chart, never a guess.
(function () {
  "use strict";
  var source = document.getElementById("statistics-chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var colours = ["#1f5c99", "#b35900", "#2e7d32", "#6a1b9a"];
  JSON.parse(source.textContent).forEach(function (chart) {
    var canvas = document.getElementById(chart.id);
    if (!canvas) {
      return;
    }
    var datasets = chart.datasets.map(function (dataset, index) {
      var colour = colours[index % colours.length];
      return { label: dataset.label, data: dataset.values, backgroundColor: colour, borderColor: colour };
    });
    new Chart(canvas, {
      type: "bar",
      data: { labels: chart.labels, datasets: datasets },
      options: {
        indexAxis: "y",
        animation: false,
        plugins: { legend: { display: datasets.length > 1 } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
