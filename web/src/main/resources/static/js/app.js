// Claude Code Tracer pages: charts, live updates, "load more", the analytics form, jobs.
// No inline scripts (the Content-Security-Policy allows only this origin's files).
(function () {
  'use strict';

  var HEADERS = { 'X-Requested-By': 'cctracer-dashboard', 'Content-Type': 'application/json', 'Accept': 'application/json' };

  function isDark() { return document.documentElement.getAttribute('data-theme') === 'dark'; }

  // ---- theme and time zone ----
  function setupPrefs() {
    var toggle = document.getElementById('theme-toggle');
    if (toggle) {
      toggle.addEventListener('click', function () {
        var next = isDark() ? 'light' : 'dark';
        document.documentElement.setAttribute('data-theme', next);
        try { localStorage.setItem('cctracer-theme', next); } catch (e) { /* storage off */ }
        renderCharts(document);
      });
    }
    var tz = document.getElementById('tz-select');
    if (tz) {
      tz.addEventListener('change', function () {
        document.cookie = 'tz=' + tz.value + '; path=/; max-age=31536000; SameSite=Lax';
        location.reload();
      });
      if (document.cookie.indexOf('tz=') < 0) {
        // first visit: the browser's zone from the next page on (no surprise reload now)
        var browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (browser) { document.cookie = 'tz=' + browser + '; path=/; max-age=31536000; SameSite=Lax'; }
      }
    }
  }

  // ---- charts ----
  var charts = [];

  function money(v) { return '$' + Number(v).toFixed(2); }

  function option(spec) {
    var stacked = spec.kind === 'stacked-bar';
    var fmt = spec.unit === '$' ? money : function (v) { return String(v); };
    return {
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis', valueFormatter: fmt },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 60, right: 20, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: spec.x, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', axisLabel: { formatter: fmt } },
      series: spec.series.map(function (s) {
        return { name: s.name, type: 'bar', stack: stacked ? 'total' : undefined, data: s.data, emphasis: { focus: 'series' } };
      })
    };
  }

  function draw(el, spec) {
    if (!window.echarts) { return; }
    var old = window.echarts.getInstanceByDom(el);
    if (old) { old.dispose(); }
    var chart = window.echarts.init(el, isDark() ? 'dark' : null);
    chart.setOption(option(spec));
    el.setAttribute('data-rendered', String(spec.x.length));
    charts.push(chart);
  }

  function renderCharts(root) {
    root.querySelectorAll('[data-chart]').forEach(function (el) {
      draw(el, JSON.parse(el.getAttribute('data-chart')));
    });
    root.querySelectorAll('[data-job-chart]').forEach(function (el) {
      if (el.getAttribute('data-loaded')) { return; }
      el.setAttribute('data-loaded', 'pending');
      var status = el.querySelector('.job-status');
      resultOf(fetch(el.getAttribute('data-job-chart'), { headers: { 'Accept': 'application/json' } }),
        function (p) { if (status) { status.textContent = 'Counting tool calls… ' + p + '%'; } })
        .then(function (result) {
          var tools = (result.tools || []).slice(0, 20);
          if (!tools.length) { el.innerHTML = '<p class="muted">No tool calls.</p>'; return; }
          draw(el, { kind: 'stacked-bar', unit: '', x: tools.map(function (t) { return t.name; }),
            series: [{ name: 'calls', data: tools.map(function (t) { return t.calls - t.errors; }) },
                     { name: 'errors', data: tools.map(function (t) { return t.errors; }) }] });
          el.setAttribute('data-loaded', 'done');
        })
        .catch(function (err) { if (status) { status.textContent = 'Tool statistics failed: ' + err.message; } });
    });
  }

  window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });

  // ---- jobs: 200 is the answer, 202 is polled to its result ----
  function resultOf(request, onProgress) {
    return request.then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 200) { return body; }
        if (response.status !== 202) { throw new Error(body.detail || body.title || ('HTTP ' + response.status)); }
        return poll(body.status_url, onProgress).then(function (job) {
          return fetch(job.result_url, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); });
        });
      });
    });
  }

  function poll(url, onProgress) {
    return new Promise(function (resolve, reject) {
      function tick() {
        fetch(url, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (job) {
          if (onProgress) { onProgress(job.progress || 0, job.state); }
          if (job.state === 'succeeded') { resolve(job); }
          else if (job.state === 'failed' || job.state === 'deleted') { reject(new Error(job.error || job.state)); }
          else { setTimeout(tick, 400); }
        }).catch(reject);
      }
      tick();
    });
  }

  // ---- live updates: sections marked data-live follow the data version ----
  var version = null;  // the data version the page was rendered at (body's data-version)

  function replaceFrom(html, selector) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    document.querySelectorAll(selector).forEach(function (el) {
      if (!el.id) { return; }
      var fresh = doc.getElementById(el.id);
      if (fresh) {
        el.replaceWith(fresh);
        renderCharts(fresh.parentNode || document);
      }
    });
  }

  function watchData() {
    if (!document.querySelector('[data-live]')) { return; }
    version = document.body.getAttribute('data-version');
    version = (version === null || version === '') ? null : Number(version);
    setInterval(function () {
      if (document.hidden) { return; }
      fetch('/api/index/status', { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (s) {
        if (version !== null && s.data_version !== version) {
          fetch(location.href, { headers: { 'Accept': 'text/html' } }).then(function (r) { return r.text(); })
            .then(function (html) { replaceFrom(html, '[data-live]'); });
        }
        version = s.data_version;
      }).catch(function () { /* server restarting: try again next time */ });
    }, 2000);
  }

  function watchRefresh() {
    document.querySelectorAll('[data-refresh]').forEach(function (el) {
      var every = parseInt(el.getAttribute('data-refresh'), 10) || 2000;
      var id = el.id;
      var timer = setInterval(function () {
        fetch(location.pathname + location.search, { headers: { 'Accept': 'text/html' } }).then(function (r) { return r.text(); }).then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var fresh = doc.getElementById(id);
          var current = document.getElementById(id);
          if (fresh && current) { current.replaceWith(fresh); }
          if (!fresh || !fresh.hasAttribute('data-refresh')) { clearInterval(timer); }
        });
      }, every);
    });
  }

  // ---- the timeline's "load more" ----
  function setupLoadMore() {
    document.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a.load-more');
      if (!link || !link.getAttribute('data-fragment')) { return; }
      event.preventDefault();
      link.textContent = 'Loading…';
      fetch(link.getAttribute('data-fragment'), { headers: { 'Accept': 'text/html' } }).then(function (r) {
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      }).then(function (html) {
        var template = document.createElement('template');
        template.innerHTML = '<table><tbody>' + html + '</tbody></table>';
        var row = link.closest('tr');
        var body = row.parentNode;
        template.content.querySelectorAll('tbody > tr').forEach(function (tr) { body.insertBefore(tr, row); });
        row.remove();
      }).catch(function (err) { link.textContent = 'Load more (failed: ' + err.message + ')'; });
    });
  }

  // ---- analytics ----
  function cell(v) { var td = document.createElement('td'); td.textContent = (v === null || v === undefined) ? '' : String(v); return td; }

  function renderTable(target, result) {
    var table = document.createElement('table');
    table.className = 'grid';
    table.id = 'result-table';
    var head = document.createElement('tr');
    result.columns.forEach(function (c) { var th = document.createElement('th'); th.textContent = c; head.appendChild(th); });
    var thead = document.createElement('thead'); thead.appendChild(head); table.appendChild(thead);
    var tbody = document.createElement('tbody');
    result.rows.forEach(function (row) {
      var tr = document.createElement('tr');
      result.columns.forEach(function (c) {
        var v = row[c];
        var td = cell(typeof v === 'number' && c.indexOf('cost') === 0 ? money(v) : v);
        if (typeof v === 'number') { td.className = 'num'; }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.appendChild(tbody);
    target.replaceChildren(table);
  }

  function renderResultChart(el, result, dims) {
    var x = [], xi = {}, series = {}, names = [];
    result.rows.forEach(function (row) {
      var key = String(row[dims[0]]);
      if (!(key in xi)) { xi[key] = x.length; x.push(key); }
    });
    result.rows.forEach(function (row) {
      var name = dims.length > 1 ? String(row[dims[1]]) : 'cost';
      if (!series[name]) { series[name] = x.map(function () { return 0; }); names.push(name); }
      series[name][xi[String(row[dims[0]])]] += row.cost;
    });
    el.hidden = false;
    draw(el, { kind: 'stacked-bar', unit: '$', x: x, series: names.map(function (n) {
      return { name: n, data: series[n].map(function (v) { return Math.round(v * 10000) / 10000; }) };
    }) });
  }

  function setupAnalytics() {
    var form = document.getElementById('query-form');
    if (!form) { return; }
    var status = document.getElementById('query-status');
    var bar = document.getElementById('query-progress');
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var dims = [];
      form.querySelectorAll('select[name=group_by]').forEach(function (s) { if (s.value && dims.indexOf(s.value) < 0) { dims.push(s.value); } });
      var body = { group_by: dims, tz: form.getAttribute('data-tz') };
      ['from', 'to', 'project', 'model'].forEach(function (name) {
        var input = form.querySelector('[name=' + name + ']');
        if (input && input.value) { body[name] = input.value; }
      });
      status.textContent = 'Running…';
      bar.hidden = false;
      bar.firstElementChild.style.width = '0%';
      resultOf(fetch('/api/queries', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) }), function (p, state) {
        status.textContent = 'Job ' + state + ', ' + p + '%';
        bar.firstElementChild.style.width = p + '%';
      }).then(function (result) {
        bar.hidden = true;
        status.textContent = result.rows.length + ' rows' + (result.note ? ' · ' + result.note : '');
        renderResultChart(document.getElementById('query-chart'), result, dims);
        renderTable(document.getElementById('query-table'), result);
      }).catch(function (err) {
        bar.hidden = true;
        status.textContent = 'The query failed: ' + err.message;
      });
    });
    document.querySelectorAll('button.export-job').forEach(function (button) {
      button.addEventListener('click', function () {
        var out = document.getElementById('export-status');
        out.textContent = 'Exporting…';
        fetch('/api/exports', { method: 'POST', headers: HEADERS, body: JSON.stringify({ format: button.getAttribute('data-format') }) })
          .then(function (r) { return r.json(); })
          .then(function (job) {
            if (!job.status_url) { throw new Error(job.detail || 'no job'); }
            return poll(job.status_url, function (p) { out.textContent = 'Exporting… ' + p + '%'; }).then(function () { return job; });
          })
          .then(function (job) {
            var a = document.createElement('a');
            a.href = '/api/jobs/' + job.job_id + '/download';
            a.textContent = 'Download the ' + button.getAttribute('data-format') + ' export';
            out.replaceChildren(a);
          })
          .catch(function (err) { out.textContent = 'The export failed: ' + err.message; });
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupPrefs();
    renderCharts(document);
    watchData();
    watchRefresh();
    setupLoadMore();
    setupAnalytics();
  });
})();

// ---- overview and reports (issue 17, items 1 and 2): sortable tables, a job that reloads its panel ----
(function () {
  'use strict';

  function sortValue(row, index, kind) {
    var td = row.cells[index];
    if (!td) { return kind === 'number' ? 0 : ''; }
    var v = td.hasAttribute('data-value') ? td.getAttribute('data-value') : td.textContent.trim();
    return kind === 'number' ? (parseFloat(v) || 0) : v;
  }

  // a header's button sorts its table's body (the totals row is in tfoot and stays last);
  // delegated, so tables a live update replaces keep working
  function setupSortable() {
    document.addEventListener('click', function (event) {
      var button = event.target.closest('table.sortable th[data-sort] > button.sort');
      if (!button) { return; }
      var th = button.parentNode;
      var table = th.closest('table');
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var kind = th.getAttribute('data-sort');
      var ascending = th.getAttribute('aria-sort') !== 'ascending';
      table.querySelectorAll('thead th[data-sort]').forEach(function (h) { h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = sortValue(a, index, kind);
        var y = sortValue(b, index, kind);
        var c = (x < y) ? -1 : (x > y ? 1 : 0);
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  }

  // a panel waiting for a job ([data-job-start] = the URL that answers 200 with the
  // result, or 202 with the job it started): the job is polled, then the panel is
  // fetched again, now with the cached result
  function setupJobPanels() {
    document.querySelectorAll('[data-job-start]').forEach(function (el) {
      var panel = el.closest('section[id]');
      var status = el.querySelector('.job-status');
      function say(text) { if (status) { status.textContent = text; } }
      function reload() {
        return fetch(location.href, { headers: { 'Accept': 'text/html' } }).then(function (r) { return r.text(); }).then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(panel.id);
          if (fresh && !fresh.querySelector('[data-job-start]')) { panel.replaceWith(fresh); }
          else { say('Tool statistics are ready: reload the page.'); }
        });
      }
      function tick(url) {
        fetch(url, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (job) {
          if (job.state === 'succeeded') { return reload(); }
          if (job.state === 'failed' || job.state === 'deleted') { say('Tool statistics failed: ' + (job.error || job.state)); return null; }
          say('Computing tool statistics… ' + (job.progress || 0) + '%');
          setTimeout(function () { tick(url); }, 1000);
          return null;
        }).catch(function (err) { say('Tool statistics failed: ' + err.message); });
      }
      if (!panel) { return; }
      fetch(el.getAttribute('data-job-start'), { headers: { 'Accept': 'application/json' } }).then(function (r) {
        return r.json().then(function (body) {
          if (r.status === 200) { return reload(); }
          if (r.status === 202 && body.status_url) { tick(body.status_url); return null; }
          say('Tool statistics failed: ' + (body.detail || r.status));
          return null;
        });
      }).catch(function (err) { say('Tool statistics failed: ' + err.message); });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupSortable();
    setupJobPanels();
  });
})();
