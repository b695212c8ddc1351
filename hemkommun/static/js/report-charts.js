// Draws the follow-up report's charts from the data the page carries in #chart-data. The tables
// beside them hold the same figures, for screen readers and for printing.
(function () {
  "use strict";
  var source = document.getElementById("chart-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var colour = "#1f5c99";
  var statuses = document.getElementById("status-chart");
  if (statuses && data.statuses.values.length) {
    new Chart(statuses, {
      type: "bar",
      data: { labels: data.statuses.labels, datasets: [{ data: data.statuses.values, backgroundColor: colour }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { ticks: { precision: 0 } } } },
    });
  }
  data.indicators.forEach(function (indicator, index) {
    var canvas = document.getElementById("indicator-chart-" + index);
    if (!canvas) {
      return;
    }
    new Chart(canvas, {
      type: "line",
      data: {
        labels: indicator.years,
        datasets: [{ label: indicator.name, data: indicator.values, borderColor: colour, backgroundColor: colour, spanGaps: false }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: { beginAtZero: true } } },
    });
  });
})();
