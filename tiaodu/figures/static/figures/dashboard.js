/* The dashboard's charts (vendored ECharts). Data come from the page's json_script "chart-data";
   clicking a bar or a segment opens the drill-down list behind it (the URL given with the data). */
(function () {
  "use strict";

  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  var palette = ["#b3261e", "#0d6efd", "#fd7e14", "#198754", "#6f42c1", "#20c997", "#6c757d", "#d63384", "#0dcaf0"];

  function numbers(values) {
    return values.map(function (v) {
      return v === null || v === undefined ? null : Number(v);
    });
  }

  function wan(value) {
    return Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function make(id, option, links, seriesIndex) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    option.color = option.color || palette;
    option.animationDuration = 400;
    chart.setOption(option);
    if (links) {
      chart.on("click", function (params) {
        if (seriesIndex !== undefined && params.seriesIndex !== seriesIndex) {
          return;
        }
        var url = links[params.dataIndex];
        if (url) {
          window.location.href = url;
        }
      });
      chart.getZr().on("mousemove", function () {
        element.style.cursor = "pointer";
      });
    }
    charts.push(chart);
  }

  var investment = data.investment;
  make(
    "chart-investment",
    {
      tooltip: {
        trigger: "axis",
        valueFormatter: function (value) {
          return value === null || value === undefined ? "—" : wan(value);
        },
      },
      legend: { top: 0, textStyle: { fontSize: narrow ? 11 : 12 } },
      grid: { left: 8, right: 12, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: investment.labels, axisLabel: { fontSize: narrow ? 10 : 12 } },
      yAxis: {
        type: "value",
        axisLabel: {
          fontSize: narrow ? 10 : 12,
          formatter: function (value) {
            return value >= 10000 ? value / 10000 + "亿" : value;
          },
        },
      },
      series: [
        { name: investment.actual_name, type: "bar", data: numbers(investment.actual), barMaxWidth: 28 },
        {
          name: investment.plan_name,
          type: "line",
          data: numbers(investment.plan),
          symbol: "circle",
          symbolSize: 5,
          lineStyle: { type: "dashed", width: 2 },
          color: "#6c757d",
        },
      ],
    },
    investment.links,
    0
  );

  var funnel = data.funnel;
  make(
    "chart-funnel",
    {
      tooltip: { trigger: "item", formatter: "{b}：{c}" },
      series: [
        {
          type: "funnel",
          sort: "none",
          left: "8%",
          right: "8%",
          top: 8,
          bottom: 8,
          minSize: "25%",
          gap: 3,
          label: { position: "inside", formatter: "{b}  {c}", color: "#fff", fontSize: narrow ? 12 : 13 },
          data: funnel.labels.map(function (label, index) {
            return { name: label, value: funnel.values[index] };
          }),
        },
      ],
      color: ["#6c757d", "#0d6efd", "#fd7e14", "#198754"],
    },
    funnel.links
  );

  var ranking = data.ranking;
  make(
    "chart-ranking",
    {
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          var value = params.value === null || params.value === undefined ? "—" : params.value.toFixed(1) + "%";
          return params.name + "：" + value + "<br>" + ranking.details[params.dataIndex];
        },
      },
      grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: "{value}%", fontSize: narrow ? 10 : 12 } },
      yAxis: { type: "category", inverse: true, data: ranking.labels, axisLabel: { fontSize: narrow ? 11 : 12 } },
      series: [
        {
          type: "bar",
          data: numbers(ranking.values),
          barMaxWidth: 22,
          label: {
            show: true,
            position: "right",
            formatter: function (params) {
              return params.value === null || params.value === undefined ? "—" : params.value.toFixed(1) + "%";
            },
          },
          itemStyle: { color: "#b3261e" },
        },
      ],
    },
    ranking.links
  );

  var sectors = data.sectors;
  make(
    "chart-sectors",
    {
      tooltip: {
        trigger: "item",
        formatter: function (params) {
          return params.name + "：" + wan(params.value) + "（" + params.percent + "%）";
        },
      },
      series: [
        {
          type: "pie",
          radius: narrow ? ["30%", "55%"] : ["35%", "65%"],
          center: ["50%", "52%"],
          avoidLabelOverlap: true,
          label: { formatter: "{b}\n{d}%", fontSize: narrow ? 10 : 12 },
          data: sectors.labels.map(function (label, index) {
            return { name: label, value: Number(sectors.values[index]) };
          }),
        },
      ],
    },
    sectors.links
  );

  window.addEventListener("resize", function () {
    charts.forEach(function (chart) {
      chart.resize();
    });
  });
})();
