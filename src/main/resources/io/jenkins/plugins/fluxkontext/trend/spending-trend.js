/* global echarts */
/*
 * The FLUX.1 Kontext trend on a job page: cost (left axis) and images, moderated and failed tasks (right axis) per
 * build, from the job's flux-kontext-trend/api/json. The ECharts library comes from the ECharts API plugin's adjunct,
 * loaded before this file. Clicking a build's point opens that build.
 */
(function () {
    function textColor() {
        return getComputedStyle(document.body).getPropertyValue('--text-color') || '#333';
    }

    function draw(holder, builds) {
        const d = holder.dataset;
        const chart = echarts.init(holder);
        const color = textColor();
        chart.setOption({
            tooltip: {
                trigger: 'axis',
                formatter: function (points) {
                    const build = builds[points[0].dataIndex];
                    return '#' + build.number + '<br/>'
                        + d.costLabel + ': ' + build.costText + '<br/>'
                        + d.imagesLabel + ': ' + build.images + '<br/>'
                        + d.moderatedLabel + ': ' + build.moderated + '<br/>'
                        + d.failedLabel + ': ' + build.failed;
                }
            },
            legend: {data: [d.costLabel, d.imagesLabel, d.moderatedLabel, d.failedLabel], textStyle: {color: color}},
            grid: {left: 50, right: 40, top: 40, bottom: 30},
            xAxis: {type: 'category', data: builds.map(b => '#' + b.number), axisLabel: {color: color}},
            yAxis: [
                {type: 'value', name: '$', axisLabel: {color: color}},
                {type: 'value', minInterval: 1, axisLabel: {color: color}}
            ],
            series: [
                {name: d.costLabel, type: 'line', yAxisIndex: 0, data: builds.map(b => b.cost)},
                {name: d.imagesLabel, type: 'bar', yAxisIndex: 1, data: builds.map(b => b.images)},
                {name: d.moderatedLabel, type: 'bar', yAxisIndex: 1, data: builds.map(b => b.moderated)},
                {name: d.failedLabel, type: 'bar', yAxisIndex: 1, data: builds.map(b => b.failed)}
            ]
        });
        chart.on('click', function (point) {
            window.location.href = d.buildsUrl + builds[point.dataIndex].number + '/';
        });
        window.addEventListener('resize', function () {
            chart.resize();
        });
    }

    function load(holder) {
        fetch(holder.dataset.url, {credentials: 'same-origin'})
            .then(function (response) {
                if (!response.ok) {
                    throw new Error('HTTP ' + response.status);
                }
                return response.json();
            })
            .then(function (json) {
                draw(holder, json.builds || []);
            })
            .catch(function (e) {
                holder.textContent = e.message;
            });
    }

    function start() {
        document.querySelectorAll('.flux-kontext-trend').forEach(load);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
})();
