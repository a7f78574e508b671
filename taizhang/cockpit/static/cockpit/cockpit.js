/* The cockpit's indicator chart (ECharts, loaded from static/vendor — never a CDN). */
window.tzCockpitChart = function (el, data, dark) {
  if (!el || !window.echarts || !data) return null;
  const old = echarts.getInstanceByDom(el);
  if (old) old.dispose();
  const chart = echarts.init(el, dark ? "dark" : null, {renderer: "canvas"});
  const text = dark ? "#cfd8e3" : "#333";
  chart.setOption({
    backgroundColor: "transparent",
    tooltip: {trigger: "axis"},
    legend: {textStyle: {color: text}},
    grid: {left: 50, right: 50, bottom: 80, top: 40},
    xAxis: {type: "category", data: data.names, axisLabel: {rotate: 35, color: text, interval: 0}},
    yAxis: [{type: "value", name: "%", axisLabel: {color: text}}, {type: "value", name: "%", axisLabel: {color: text}}],
    series: [
      {name: data.labels.completion, type: "bar", data: data.completion, itemStyle: {color: "#d9534f"}},
      {name: data.labels.time_progress, type: "line", step: "middle", data: data.time_progress, symbol: "none", lineStyle: {type: "dashed"}},
      {name: data.labels.growth, type: "line", yAxisIndex: 1, data: data.growth, itemStyle: {color: "#5bc0de"}},
      {name: data.labels.city, type: "line", yAxisIndex: 1, data: data.city, lineStyle: {type: "dotted"}, itemStyle: {color: "#f0ad4e"}},
    ],
  });
  chart.on("click", function (p) { if (data.urls[p.dataIndex]) window.location = data.urls[p.dataIndex]; });
  window.addEventListener("resize", function () { chart.resize(); });
  return chart;
};
