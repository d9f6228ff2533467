// 落地企业数 over time, drawn with the vendored ECharts from the JSON the page carries.
(function () {
  var holder = document.getElementById("landed-series");
  var data = document.getElementById("series-data");
  if (!holder || !data || typeof echarts === "undefined") return;
  var rows = JSON.parse(data.textContent);
  var chart = echarts.init(holder);
  chart.setOption({
    grid: { left: 40, right: 16, top: 24, bottom: 32 },
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: rows.map(function (r) { return r.month; }) },
    yAxis: { type: "value", minInterval: 1 },
    series: [{ type: "line", data: rows.map(function (r) { return r.count; }), areaStyle: { opacity: 0.15 }, color: "#c0392b" }],
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
