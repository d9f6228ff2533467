/* The chain page: the chain map (segments left to right, their enterprises and projects, gaps marked),
   enterprises per segment and role, output against target. Drawn with the vendored ECharts in SVG so
   that every node is an element; clicking an enterprise opens its organisation page, a project its
   project page, a segment or a bar the list of enterprises behind it. */
(function () {
  "use strict";

  if (typeof echarts === "undefined") {
    return;
  }
  var ROLE_COLORS = { master: "#b3261e", core: "#fd7e14", member: "#0d6efd" };
  var ROLE_SYMBOLS = { master: "diamond", core: "triangle", member: "circle" };
  var ROLE_SIZES = { master: 20, core: 16, member: 10 };
  var ROWS = 14; // enterprises per column inside a segment before a new column starts
  var COLUMN = 190;
  var ROW = 26;
  var outputData = JSON.parse(document.getElementById("output-data").textContent);
  var labels = outputData.labels;
  var charts = [];

  function short(text, n) {
    return text.length > n ? text.slice(0, n) + "…" : text;
  }

  function drawMap(element, data) {
    var nodes = [];
    var links = [];
    var x = 0;
    data.segments.forEach(function (segment, index) {
      var items = segment.enterprises.map(function (e) {
        return { kind: "enterprise", item: e };
      }).concat(segment.projects.map(function (p) {
        return { kind: "project", item: p };
      }));
      var columns = Math.max(1, Math.ceil(items.length / ROWS));
      var width = columns * COLUMN;
      var centre = x + width / 2;
      nodes.push({
        id: "s" + segment.id,
        name: segment.name + "（" + segment.member_count + "）",
        x: centre,
        y: 0,
        symbol: "roundRect",
        symbolSize: [Math.min(width - 20, 170), 40],
        itemStyle: segment.is_gap
          ? { color: "#fde2e1", borderColor: "#b3261e", borderType: "dashed", borderWidth: 2 }
          : { color: "#e7f1ff", borderColor: "#0d6efd", borderWidth: 1 },
        label: { show: true, position: "inside", color: segment.is_gap ? "#b3261e" : "#0a3069", fontWeight: "bold" },
        url: data.rows_url ? data.rows_url + "?segment=" + segment.id : null,
        kind: "segment",
        gap: segment.is_gap,
      });
      if (index > 0) {
        links.push({ source: "s" + data.segments[index - 1].id, target: "s" + segment.id });
      }
      items.forEach(function (entry, i) {
        var col = Math.floor(i / ROWS);
        var row = i % ROWS;
        var ex = x + col * COLUMN + 20;
        var ey = 60 + row * ROW;
        if (entry.kind === "enterprise") {
          var e = entry.item;
          nodes.push({
            id: "e" + e.member,
            name: e.name,
            x: ex,
            y: ey,
            symbol: ROLE_SYMBOLS[e.role],
            symbolSize: ROLE_SIZES[e.role],
            itemStyle: { color: ROLE_COLORS[e.role] },
            label: {
              show: true,
              position: "right",
              formatter: short(e.name, 10),
              fontWeight: e.role === "member" ? "normal" : "bold",
            },
            url: e.url,
            kind: "enterprise",
            role: data.roles[e.role],
          });
        } else {
          var p = entry.item;
          nodes.push({
            id: "p" + p.id,
            name: p.name,
            x: ex,
            y: ey,
            symbol: "rect",
            symbolSize: 10,
            itemStyle: { color: "#198754" },
            label: { show: true, position: "right", formatter: short(p.name, 10), color: "#198754" },
            url: p.url,
            kind: "project",
            role: labels.project,
          });
        }
      });
      x += width + 30;
    });
    // Place the nodes one to one (no stretching): the series box is exactly the span of the coordinates.
    var xs = nodes.map(function (n) { return n.x; });
    var ys = nodes.map(function (n) { return n.y; });
    var minX = Math.min.apply(null, xs.concat([0]));
    var spanX = Math.max(Math.max.apply(null, xs.concat([0])) - minX, 1);
    var spanY = Math.max(Math.max.apply(null, ys.concat([0])), 1);
    var left = 95;
    var top = 30;
    element.style.minWidth = left + spanX + 190 + "px";
    element.style.height = top + spanY + 30 + "px";
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: function (params) {
          if (params.dataType !== "node") {
            return "";
          }
          var d = params.data;
          return d.kind === "segment" ? d.name : echarts.format.encodeHTML(d.name) + "<br>" + (d.role || "");
        },
      },
      series: [
        {
          type: "graph",
          layout: "none",
          roam: false,
          left: left,
          top: top,
          width: spanX,
          height: spanY,
          edgeSymbol: ["none", "arrow"],
          edgeSymbolSize: 10,
          lineStyle: { color: "#6c757d", width: 2 },
          label: { fontSize: 12 },
          data: nodes,
          links: links,
        },
      ],
    });
    chart.on("click", function (params) {
      if (params.dataType === "node" && params.data.url) {
        window.location.href = params.data.url;
      }
    });
    element.dataset.rendered = "1";
    element.chainNodes = nodes;
    charts.push(chart);
    return chart;
  }

  function drawSegments(data) {
    var element = document.getElementById("chart-segments");
    if (!element || !data.segments.length) {
      return;
    }
    var roles = Object.keys(data.roles);
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, top: 30, bottom: 50 },
      xAxis: {
        type: "category",
        data: data.segments.map(function (s) { return s.name; }),
        axisLabel: { interval: 0, rotate: data.segments.length > 4 ? 30 : 0 },
      },
      yAxis: { type: "value", minInterval: 1 },
      series: roles.map(function (role) {
        return {
          name: data.roles[role],
          type: "bar",
          stack: "n",
          itemStyle: { color: ROLE_COLORS[role] },
          data: data.segments.map(function (s) {
            return s.enterprises.filter(function (e) { return e.role === role; }).length;
          }),
        };
      }),
    });
    chart.on("click", function (params) {
      var segment = data.segments[params.dataIndex];
      window.location.href = data.rows_url + "?segment=" + segment.id + "&role=" + roles[params.seriesIndex];
    });
    charts.push(chart);
  }

  function drawOutput() {
    var element = document.getElementById("chart-output");
    if (!element) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 70, right: 10, top: 30, bottom: 30 },
      xAxis: { type: "category", data: outputData.years },
      yAxis: { type: "value", name: labels.unit },
      series: [
        { name: labels.actual, type: "bar", itemStyle: { color: "#0d6efd" }, data: outputData.actual.map(function (v) { return v === null ? null : Number(v); }) },
        { name: labels.target, type: "line", itemStyle: { color: "#b3261e" }, data: outputData.target.map(function (v) { return v === null ? null : Number(v); }) },
      ],
    });
    charts.push(chart);
  }

  var map = document.getElementById("chain-map");
  if (map) {
    fetch(map.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.rows_url = outputData.rows_url;
        drawMap(map, data);
        drawSegments(data);
      });
  }
  drawOutput();
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
