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
        redrawCharts();
      });
    }
    var tz = document.getElementById('tz-select');
    if (tz) {
      tz.addEventListener('change', function () {
        document.cookie = 'tz=' + tz.value + '; path=/; max-age=31536000; SameSite=Lax';
        location.reload();
      });
      if (document.cookie.indexOf('tz=') < 0) {
        // first visit: the page was rendered in the server's zone; from now on the
        // browser's, this page too when they differ (once: cookies may be off)
        var browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
        var utc = /^(Etc\/)?(UTC|UCT|GMT|GMT0|Universal|Zulu|Greenwich)$/;
        if (browser) {
          document.cookie = 'tz=' + browser + '; path=/; max-age=31536000; SameSite=Lax';
          var same = browser === tz.value || (utc.test(browser) && utc.test(tz.value));
          var reloaded = null;
          try { reloaded = sessionStorage.getItem('cctracer-tz-reload'); } catch (e) { reloaded = '1'; }
          if (!same && !reloaded && document.cookie.indexOf('tz=') >= 0) {
            try { sessionStorage.setItem('cctracer-tz-reload', '1'); } catch (e) { /* storage off */ }
            location.reload();
          }
        }
      }
    }
  }

  // ---- charts ----
  var charts = [];
  // failed calls: a red that reads on the light and the dark theme
  var FAILED = '#d64545';

  // The pages' currency (the layout's data-currency-* from cctracer.display.*): costs come
  // from the API in USD and are shown at the configured rate, as Formats.money shows them.
  var CURRENCY = (function () {
    var d = document.body.dataset;
    var symbol = d.currencySymbol || '$';
    return { symbol: symbol, rate: Number(d.currencyRate || 1), digits: Number(d.currencyDigits || 2),
      space: /[A-Za-z]$/.test(symbol) ? ' ' : '' };
  })();
  function withSymbol(s) {
    return s.charAt(0) === '-' ? '-' + CURRENCY.symbol + CURRENCY.space + s.slice(1) : CURRENCY.symbol + CURRENCY.space + s;
  }

  // an amount already in the pages' currency (a chart's axis and tooltip): its usual digits, and
  // below a hundred of its smallest unit (a dollar) two more where small amounts need them (axis
  // ticks of $0.005 apart read $0.025, $0.02…, not $0.03, $0.03)
  function money(v) {
    var n = Number(v);
    var a = Math.abs(n);
    var digits = CURRENCY.digits;
    var s = n.toFixed(a === 0 || a >= 100 * Math.pow(10, -digits) ? digits : digits + 2);
    if (s.indexOf('.') >= 0) {
      while (s.length > s.indexOf('.') + 1 + digits && s.charAt(s.length - 1) === '0') { s = s.slice(0, -1); }
      if (s.charAt(s.length - 1) === '.') { s = s.slice(0, -1); }
    }
    return withSymbol(s);
  }

  // A series' colour follows its name, so a model is one colour on every chart of every page
  // (the palette's order had made opus blue on one chart and green on the next); on a clash
  // within a chart, the next free colour, names taken in order. Red is the failures' alone.
  var PALETTE = ['#5470c6', '#91cc75', '#fac858', '#73c0de', '#3ba272', '#fc8452', '#9a60b4', '#ea7ccc',
    '#8d6e63', '#26a69a'];
  function colours(series) {
    var used = {};
    var byName = {};
    series.map(function (s) { return s.name || ''; }).filter(function (n, i, all) { return all.indexOf(n) === i; })
      .sort().forEach(function (name) {
        var h = 0;
        for (var i = 0; i < name.length; i++) { h = (h * 31 + name.charCodeAt(i)) | 0; }
        var k = Math.abs(h) % PALETTE.length;
        for (var n = 0; n < PALETTE.length && used[PALETTE[k]]; n++) { k = (k + 1) % PALETTE.length; }
        used[PALETTE[k]] = true;
        byName[name] = PALETTE[k];
      });
    return series.map(function (s) { return s.color || byName[s.name || '']; });
  }

  function option(spec) {
    var stacked = spec.kind === 'stacked-bar';
    var colour = colours(spec.series);
    var fmt = spec.unit === '$' ? money : function (v) { return String(v); };
    return {
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis', valueFormatter: fmt },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 60, right: 20, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: spec.x, axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value', axisLabel: { formatter: fmt } },
      series: spec.series.map(function (s, i) {
        // a series may name its colour (failures red, not the palette's second colour, green)
        return { name: s.name, type: 'bar', stack: stacked ? 'total' : undefined, data: s.data, emphasis: { focus: 'series' },
          itemStyle: { color: colour[i] } };
      })
    };
  }

  function draw(el, spec) {
    if (!window.echarts) { return; }
    // kept as given (costs in USD) to draw again in the other theme
    el.__spec = spec;
    if (spec.unit === '$' && CURRENCY.rate !== 1) {
      // costs come in USD: the chart, its axis and its table in the pages' currency
      spec = Object.assign({}, spec, { series: spec.series.map(function (s) {
        return Object.assign({}, s, { data: s.data.map(function (v) { return v == null ? v : v * CURRENCY.rate; }) });
      }) });
    }
    var old = window.echarts.getInstanceByDom(el);
    if (old) {
      old.dispose();
      charts = charts.filter(function (c) { return c !== old; });
    }
    var chart = window.echarts.init(el, isDark() ? 'dark' : null);
    chart.setOption(option(spec));
    el.setAttribute('data-rendered', String(spec.x.length));
    el.setAttribute('data-drawn-theme', isDark() ? 'dark' : 'light');
    charts.push(chart);
    describe(el, spec);
  }

  // A chart's text alternative: the chart is an image named for its data, and the same
  // numbers follow it as a table (WCAG 1.1.1), folded in a <details>.
  function describe(el, spec) {
    el.setAttribute('role', 'img');
    el.setAttribute('aria-label', (el.getAttribute('data-title') || 'Chart') + ': the numbers are in the table that follows');
    var details = el.nextElementSibling;
    if (!details || !details.classList.contains('chart-data')) {
      details = document.createElement('details');
      details.className = 'chart-data';
      el.parentNode.insertBefore(details, el.nextSibling);
    }
    // a stacked bar's parts are followed by their sum, the bar's height
    var total = spec.kind === 'stacked-bar' && spec.series.length > 1;
    function cell(v) {
      // money as the tables write it ($0.05, $0.0042)
      return '<td class="num">' + (v == null ? '' : escapeHtml(spec.unit === '$' ? amount(v) : String(v))) + '</td>';
    }
    var head = '<tr><th scope="col"></th>' + spec.series.map(function (s) {
      return '<th scope="col" class="num">' + escapeHtml(s.name || '') + '</th>';
    }).join('') + (total ? '<th scope="col" class="num">total</th>' : '') + '</tr>';
    var rows = spec.x.map(function (label, i) {
      var sum = spec.series.reduce(function (acc, s) { return acc + (s.data[i] || 0); }, 0);
      return '<tr><th scope="row">' + escapeHtml(String(label)) + '</th>' + spec.series.map(function (s) {
        return cell(s.data[i]);
      }).join('') + (total ? cell(spec.unit === '$' ? sum : Math.round(sum * 1e6) / 1e6) : '') + '</tr>';
    }).join('');
    details.innerHTML = '<summary>Chart data as a table</summary><table class="grid"><thead>' + head
      + '</thead><tbody>' + rows + '</tbody></table>';
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  // every chart drawn, in the theme now set: those a job drew too (a project's tools chart had
  // kept its dark-on-dark legend until the page was read again)
  function redrawCharts() {
    charts = charts.filter(function (c) { return c.getDom() && c.getDom().isConnected; });
    charts.slice().forEach(function (c) {
      var el = c.getDom();
      if (el.__spec) { draw(el, el.__spec); }
    });
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
        function (p, state, waiting) { if (status) { status.textContent = waiting || ('Counting tool calls… ' + p + '%'); } })
        .then(function (result) {
          var tools = (result.tools || []).slice(0, 20);
          if (!tools.length) { el.innerHTML = '<p class="muted">No tool calls.</p>'; return; }
          draw(el, { kind: 'stacked-bar', unit: '', x: tools.map(function (t) { return t.name; }),
            series: [{ name: 'succeeded', data: tools.map(function (t) { return t.calls - t.errors; }) },
                     { name: 'failed', color: FAILED, data: tools.map(function (t) { return t.errors; }) }] });
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
          if (onProgress) { onProgress(job.progress || 0, job.state, job.waiting); }
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

  function replaceFrom(doc, selector) {
    document.querySelectorAll(selector).forEach(function (el) {
      if (!el.id) { return; }
      var fresh = doc.getElementById(el.id);
      if (fresh) {
        el.replaceWith(fresh);
        renderCharts(fresh.parentNode || document);
        // a panel that now waits for a job (e.g. its transcripts were removed) starts it
        document.dispatchEvent(new CustomEvent('cctracer:replaced', { detail: fresh }));
      }
    });
  }

  // the timeline's filter choices keep what the user picked or typed; only their counts
  // (and tools first seen) follow the data
  function updateFilterCounts(doc) {
    ['filter-type', 'filter-tool'].forEach(function (id) {
      var select = document.getElementById(id), fresh = doc.getElementById(id);
      if (!select || !fresh) { return; }
      var values = {};
      fresh.querySelectorAll('option').forEach(function (o) {
        values[o.value] = true;
        var current = Array.prototype.find.call(select.options, function (c) { return c.value === o.value; });
        if (current) { current.textContent = o.textContent; }
        else { select.appendChild(o.cloneNode(true)); }
      });
      // a tool no longer in the transcript (it was truncated) goes, unless it is the choice
      Array.prototype.slice.call(select.options).forEach(function (c) {
        if (!values[c.value] && !c.selected) { c.remove(); }
      });
    });
    var count = document.getElementById('filter-error-count'), freshCount = doc.getElementById('filter-error-count');
    if (count && freshCount) { count.textContent = freshCount.textContent; }
  }

  // a timeline shown to its end follows the transcript: its tail row names the fragment
  // that reads the last row again and what came after it
  function rowsOf(html) {
    var template = document.createElement('template');
    template.innerHTML = '<table><tbody>' + html + '</tbody></table>';
    return Array.prototype.slice.call(template.content.querySelectorAll('tbody > tr'));
  }

  // a transcript truncated or replaced since the page was read: its rows no longer name
  // its lines, so the page is read again
  function rewrittenRow() {
    var note = document.createElement('tr');
    note.className = 'more';
    note.innerHTML = '<td colspan="8">The transcript was rewritten: <a href="">reload the page</a> to read it again.</td>';
    return note;
  }

  var followAgain = false;  // the data changed while a follow was reading

  function followTimeline() {
    var tail = document.querySelector('#timeline tr.tail');
    if (!tail) { return; }
    if (tail.getAttribute('data-following')) { followAgain = true; return; }
    followAgain = false;
    tail.setAttribute('data-following', 'true');
    fetch(tail.getAttribute('data-fragment'), { headers: { 'Accept': 'text/html' } }).then(function (r) {
      if (r.status === 409) {
        tail.replaceWith(rewrittenRow());
        return;
      }
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.text().then(function (html) {
        var body = tail.parentNode;
        var from = Number(tail.getAttribute('data-from'));
        if (from) {
          body.querySelectorAll('tr.msg').forEach(function (tr) {
            if (Number(tr.getAttribute('data-index')) >= from) { tr.remove(); }
          });
        }
        rowsOf(html).forEach(function (tr) { body.insertBefore(tr, tail); });
        tail.remove();
        // lines committed after this read: read on from the new tail
        if (followAgain) { followTimeline(); }
      });
    }).catch(function () { tail.removeAttribute('data-following'); /* try again at the next change */ });
  }

  function watchData() {
    if (!document.querySelector('[data-live]')) { return; }
    version = document.body.getAttribute('data-version');
    version = (version === null || version === '') ? null : Number(version);
    setInterval(function () {
      if (document.hidden) { return; }
      // /health carries the data version at the cost of one number (the index status reads every file)
      fetch('/health', { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (s) {
        if (s.data_version === undefined) { return; }
        if (version !== null && s.data_version !== version) {
          fetch(location.href, { headers: { 'Accept': 'text/html' } }).then(function (r) { return r.text(); })
            .then(function (html) {
              var doc = new DOMParser().parseFromString(html, 'text/html');
              replaceFrom(doc, '[data-live]');
              updateFilterCounts(doc);
            });
          followTimeline();
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
        if (r.status === 409) { link.closest('tr').replaceWith(rewrittenRow()); return null; }
        if (!r.ok) { throw new Error('HTTP ' + r.status); }
        return r.text();
      }).then(function (html) {
        if (html === null) { return; }
        var row = link.closest('tr');
        var body = row.parentNode;
        var rows = rowsOf(html);
        var hadFocus = document.activeElement === link;
        rows.forEach(function (tr) { body.insertBefore(tr, row); });
        row.remove();
        // the keyboard goes on where it was: at the first row loaded (removing the link
        // had left the focus on the page's body, and the next Tab past the new rows)
        if (hadFocus && rows.length) {
          var first = rows[0].querySelector('a, button');
          if (!first) { first = rows[0]; first.setAttribute('tabindex', '-1'); }
          first.focus();
        }
      }).catch(function (err) { link.textContent = 'Load more (failed: ' + err.message + ')'; });
    });
  }

  // ---- analytics: a sortable result table with totals, links and formatted numbers ----
  var DIMENSIONS = ['hour', 'day', 'week', 'month', 'project', 'session', 'model', 'tool', 'agent'];
  // measures in the order shown: cost first, so it never scrolls out of sight
  var MEASURES = ['cost', 'total_tokens', 'messages', 'tool_calls', 'failed_calls', 'input_tokens', 'output_tokens',
    'cache_creation_5m_input_tokens', 'cache_creation_1h_input_tokens', 'cache_read_input_tokens', 'cost_logged'];
  var LABELS = { hour: 'Hour', day: 'Day', week: 'Week of', month: 'Month', project: 'Project', session: 'Session',
    model: 'Model', tool: 'Tool', agent: 'Agent', cost: 'Cost', total_tokens: 'Total tokens', messages: 'Messages',
    tool_calls: 'Tool calls', failed_calls: 'Failed calls', input_tokens: 'Input tokens', output_tokens: 'Output tokens',
    cache_creation_5m_input_tokens: 'Cache writes 5m', cache_creation_1h_input_tokens: 'Cache writes 1h',
    cache_read_input_tokens: 'Cache reads', cost_logged: 'Logged cost' };

  // the same formats as the pages (Formats.money, Formats.num, Formats.tokens): a cost in USD
  // in the pages' currency
  function cost(v) { return amount(Number(v) * CURRENCY.rate); }
  // an amount already in the pages' currency, as a table shows it
  function amount(v) {
    v = Number(v);
    var digits = CURRENCY.digits;
    var unit = Math.pow(10, -digits);
    // two significant digits below a hundredth of the smallest unit (as DisplayCurrency.format)
    if (v !== 0 && Math.abs(v) < unit / 100) {
      // two significant digits, without the zeros after them (as Java's stripTrailingZeros)
      return withSymbol(v.toFixed(Math.min(20, 1 - Math.floor(Math.log10(Math.abs(v))))).replace(/\.?0+$/, ''));
    }
    if (v !== 0 && Math.abs(v) < unit) { return withSymbol(v.toFixed(digits + 2)); }
    return withSymbol(v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  function num(v) { return Number(v).toLocaleString('en-US'); }
  function tokens(v) {
    var a = Math.abs(v);
    if (a < 1e3) { return String(v); }
    if (a < 1e6) { return (v / 1e3).toFixed(1) + 'K'; }
    if (a < 1e9) { return (v / 1e6).toFixed(2) + 'M'; }
    return (v / 1e9).toFixed(2) + 'B';
  }
  function formatted(column, v) {
    if (column === 'cost' || column === 'cost_logged') { return cost(v); }
    if (column.indexOf('tokens') >= 0) { return tokens(v); }
    return num(v);
  }

  // project dir -> display path, from the form's project choice (the Projects page's paths)
  function projectPaths() {
    var paths = {};
    document.querySelectorAll('#query-project option').forEach(function (o) { if (o.value) { paths[o.value] = o.textContent; } });
    return paths;
  }

  // what a result's dimension values are called: projects by path, sessions by title
  // (else first prompt, the answer's session_titles), else by their id's start
  function labelsOf(result) {
    var titles = result.session_titles || {}, seen = {}, sessions = {};
    Object.keys(titles).forEach(function (id) { seen[titles[id]] = (seen[titles[id]] || 0) + 1; });
    // sessions of the same title stay apart (a chart groups its bars by label)
    Object.keys(titles).forEach(function (id) {
      sessions[id] = seen[titles[id]] > 1 ? titles[id] + ' · ' + id.substring(0, 8) : titles[id];
    });
    return { project: projectPaths(), session: sessions };
  }

  function dimensionText(dim, v, labels) {
    if (v === null || v === undefined || v === '') {
      return dim === 'agent' ? 'main' : '(none)';
    }
    if (dim === 'project') { return labels.project[v] || v; }
    if (dim === 'session') { return labels.session[v] || String(v).substring(0, 8); }
    return String(v);
  }

  function dimensionCell(dim, row, result, paths) {
    var td = document.createElement('td');
    var v = row[dim];
    var text = dimensionText(dim, v, paths);
    var href = null;
    if (dim === 'project' && v) {
      href = '/projects/' + encodeURIComponent(v);
    }
    else if (dim === 'session' && v) {
      var project = row.project || (result.session_projects || {})[v];
      if (project) { href = '/projects/' + encodeURIComponent(project) + '/sessions/' + encodeURIComponent(v); }
    }
    if (href) {
      var a = document.createElement('a');
      a.href = href;
      a.textContent = text;
      if (dim === 'session') { a.title = v; a.className = 'session-link'; } else { a.title = v; a.className = 'project-link'; }
      td.appendChild(a);
    }
    else {
      td.textContent = text;
    }
    return td;
  }

  function measureCell(column, v, tag) {
    var td = document.createElement(tag || 'td');
    td.className = 'num';
    if (v === null || v === undefined) { return td; }
    td.textContent = formatted(column, v);
    td.setAttribute('data-value', String(v));
    if (column.indexOf('tokens') >= 0) { td.title = num(v) + ' tokens'; }
    return td;
  }

  // a cost that is not wholly list prices says so, as the pages' badges do: messages of a model
  // of no known family (their tokens cost 0) and messages priced by their family's newest card
  function costBadges(td, row) {
    [['unpriced_messages', 'unpriced', 'models of no known family: their tokens cost 0'],
      ['estimated_messages', 'estimated', 'models not in the price table, priced by the newest card of their family']]
      .forEach(function (b) {
        var n = Number(row[b[0]]) || 0;
        if (n > 0) {
          var span = document.createElement('span');
          span.className = 'badge warn';
          span.title = b[2];
          span.textContent = num(n) + ' ' + b[1];
          td.appendChild(document.createTextNode(' '));
          td.appendChild(span);
        }
      });
    return td;
  }

  function sortKey(column, row, paths) {
    var v = row[column];
    return typeof v === 'number' ? v : dimensionText(column, v, paths).toLowerCase();
  }

  function sortRows(rows, column, direction, paths) {
    var sign = direction === 'ascending' ? 1 : -1;
    return rows.slice().sort(function (a, b) {
      var x = sortKey(column, a, paths), y = sortKey(column, b, paths);
      return (x < y ? -1 : x > y ? 1 : 0) * sign;
    });
  }

  function isSortedDescending(rows, column) {
    for (var i = 1; i < rows.length; i++) { if (rows[i][column] > rows[i - 1][column]) { return false; } }
    return rows.length > 1;
  }

  function renderTable(target, result, dims) {
    var paths = labelsOf(result);
    var measures = MEASURES.filter(function (c) { return result.columns.indexOf(c) >= 0; });
    var columns = dims.concat(measures);
    var table = document.createElement('table');
    table.className = 'grid result';
    table.id = 'result-table';
    table.setAttribute('data-group-by', dims.join(','));
    var caption = document.createElement('caption');
    caption.className = 'visually-hidden';
    caption.textContent = 'Usage by ' + dims.map(function (d) { return LABELS[d].toLowerCase(); }).join(', ') + '; select a header to sort';
    table.appendChild(caption);
    var head = document.createElement('tr');
    columns.forEach(function (c) {
      var th = document.createElement('th');
      th.scope = 'col';
      th.setAttribute('data-column', c);
      if (measures.indexOf(c) >= 0) { th.className = 'num'; }
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'sort';
      button.textContent = LABELS[c] || c;
      button.title = 'Sort by ' + (LABELS[c] || c).toLowerCase() + ' (' + c + ')';
      th.appendChild(button);
      head.appendChild(th);
    });
    var thead = document.createElement('thead');
    thead.appendChild(head);
    table.appendChild(thead);
    var tbody = document.createElement('tbody');
    table.appendChild(tbody);

    function fill(rows) {
      tbody.replaceChildren();
      rows.forEach(function (row) {
        var tr = document.createElement('tr');
        dims.forEach(function (d) { tr.appendChild(dimensionCell(d, row, result, paths)); });
        measures.forEach(function (c) {
          var td = measureCell(c, row[c]);
          tr.appendChild(c === 'cost' ? costBadges(td, row) : td);
        });
        tbody.appendChild(tr);
      });
    }

    // totals of the rows shown; grouped by tool a message counts once per tool, so its sum means nothing
    var tfoot = document.createElement('tfoot');
    var total = document.createElement('tr');
    total.className = 'totals';
    var label = document.createElement('th');
    label.scope = 'row';
    label.colSpan = dims.length;
    label.textContent = 'Total (' + num(result.rows.length) + (result.rows.length === 1 ? ' row)' : ' rows)');
    total.appendChild(label);
    function sumOf(column) {
      var sum = 0;
      result.rows.forEach(function (row) { sum += Number(row[column]) || 0; });
      return sum;
    }
    measures.forEach(function (c) {
      if (c === 'messages' && dims.indexOf('tool') >= 0) {
        var blank = measureCell(c, null);
        blank.title = 'grouped by tool, a message counts once per tool it called: no total';
        total.appendChild(blank);
        return;
      }
      var sum = sumOf(c);
      if (c === 'cost' || c === 'cost_logged') { sum = Math.round(sum * 1e12) / 1e12; }
      var cell = measureCell(c, sum);
      if (c === 'cost' && dims.indexOf('tool') < 0) {
        costBadges(cell, {
          unpriced_messages: sumOf('unpriced_messages'),
          estimated_messages: sumOf('estimated_messages')
        });
      }
      total.appendChild(cell);
    });
    tfoot.appendChild(total);
    table.appendChild(tfoot);

    var state = { column: null, direction: null };
    if (dims.indexOf('session') >= 0 && isSortedDescending(result.rows, 'cost')) {
      state = { column: 'cost', direction: 'descending' };
    }
    function mark() {
      head.querySelectorAll('th').forEach(function (th) {
        if (th.getAttribute('data-column') === state.column) { th.setAttribute('aria-sort', state.direction); }
        else { th.removeAttribute('aria-sort'); }
      });
    }
    head.addEventListener('click', function (event) {
      var th = event.target.closest && event.target.closest('th');
      if (!th) { return; }
      var c = th.getAttribute('data-column');
      var numeric = measures.indexOf(c) >= 0;
      var direction = state.column === c
        ? (state.direction === 'ascending' ? 'descending' : 'ascending')
        : (numeric ? 'descending' : 'ascending');
      state = { column: c, direction: direction };
      fill(sortRows(result.rows, c, direction, paths));
      mark();
    });
    fill(result.rows);
    mark();
    target.replaceChildren(table);
  }

  // every day (or week) from the first to the last, so days without usage show as zero, not as
  // gaps; null past 1,000 of them (a chart cannot show them: the caller narrows the span)
  function periods(unit, first, last) {
    var out = [];
    var step = unit === 'week' ? 7 : 1;
    var d = new Date(first + 'T00:00:00Z'), end = new Date(last + 'T00:00:00Z');
    while (d <= end) {
      if (out.length === 1000) { return null; }
      out.push(d.toISOString().substring(0, 10));
      d.setUTCDate(d.getUTCDate() + step);
    }
    return out;
  }

  function renderResultChart(el, result, dims, body) {
    var paths = labelsOf(result);
    var x = [], xi = {}, series = {}, names = [];
    if ((dims[0] === 'day' || dims[0] === 'week') && result.rows.length) {
      var days = result.rows.map(function (row) { return String(row[dims[0]]); }).sort();
      var first = days[0], last = days[days.length - 1];
      // the form's whole range when it fits, else the data's own span, else the data's
      // days alone (in order, as the rows come)
      var all = dims[0] === 'day' ? periods('day', body.from && body.from < first ? body.from : first,
        body.to && body.to > last ? body.to : last) : null;
      all = all || periods(dims[0], first, last) || [];
      all.forEach(function (day) { xi[day] = x.length; x.push(day); });
    }
    result.rows.forEach(function (row) {
      var key = dimensionText(dims[0], row[dims[0]], paths);
      if (!(key in xi)) { xi[key] = x.length; x.push(key); }
    });
    result.rows.forEach(function (row) {
      var name = dims.length > 1 ? dimensionText(dims[1], row[dims[1]], paths) : 'Cost';
      if (!series[name]) { series[name] = x.map(function () { return 0; }); names.push(name); }
      series[name][xi[dimensionText(dims[0], row[dims[0]], paths)]] += row.cost;
    });
    el.hidden = false;
    draw(el, { kind: 'stacked-bar', unit: '$', x: x, series: names.map(function (n) {
      return { name: n, data: series[n].map(function (v) { return Math.round(v * 10000) / 10000; }) };
    }) });
  }

  // nothing matched: say so, with the range and filters, instead of an empty axis
  function renderEmpty(el, body) {
    var range = (body.from ? 'from ' + body.from : 'from the first day') + ' to ' + (body.to || 'the last day');
    var filters = [];
    if (body.project) { filters.push('project ' + (projectPaths()[body.project] || body.project)); }
    if (body.model) { filters.push('model ' + body.model); }
    el.textContent = 'Nothing matched ' + range + (filters.length ? ' for ' + filters.join(' and ') : '') +
      '. Widen the range or clear a filter.';
    el.hidden = false;
  }

  // the Analytics page's exports follow the query that ran: the daily report its range,
  // zone and project; the sessions and models reports and the entry export its project
  // (they have no date filter)
  function syncExports(form, body) {
    document.querySelectorAll('a.report-export').forEach(function (a) {
      var q = new URLSearchParams({ format: a.getAttribute('data-format') });
      var names = a.getAttribute('data-dated') === 'true' ? ['tz', 'from', 'to', 'project'] : ['project'];
      names.forEach(function (name) { if (body[name]) { q.set(name, body[name]); } });
      a.setAttribute('href', '/api/exports/' + a.getAttribute('data-report') + '?' + q.toString());
    });
    var select = form.querySelector('[name=project]');
    var label = (select && select.value) ? select.options[select.selectedIndex].text : 'every project';
    document.querySelectorAll('.project-scope').forEach(function (el) { el.textContent = label; });
    var dated = document.getElementById('exports-scope');
    if (dated) { dated.textContent = (body.from || 'the start') + ' to ' + (body.to || 'now') + ', ' + label; }
    document.querySelectorAll('button.export-job').forEach(function (b) {
      if (body.project) { b.setAttribute('data-project', body.project); } else { b.removeAttribute('data-project'); }
    });
    // the note on the default range, only while the range is the default
    var note = document.getElementById('query-default');
    var from = form.querySelector('[name=from]');
    var to = form.querySelector('[name=to]');
    if (note && from && to) { note.hidden = from.value !== from.defaultValue || to.value !== to.defaultValue; }
  }

  function setupAnalytics() {
    var form = document.getElementById('query-form');
    if (!form) { return; }
    var status = document.getElementById('query-status');
    var bar = document.getElementById('query-progress');
    var empty = document.getElementById('query-empty');
    var chart = document.getElementById('query-chart');
    var tableBox = document.getElementById('query-table');
    var latest = 0;  // only the last query asked draws (the first runs on load)
    // the chart hidden with its table of numbers (a <details> after it)
    function clearChart() {
      chart.hidden = true;
      var numbers = chart.nextElementSibling;
      if (numbers && numbers.classList.contains('chart-data')) { numbers.remove(); }
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var asked = ++latest;
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
      resultOf(fetch('/api/queries', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) }), function (p, state, waiting) {
        if (asked !== latest) { return; }
        // a job no worker takes says why it waits (a web-only process without workers)
        status.textContent = waiting || ('Job ' + state + (p > 0 ? ', ' + p + '%' : '…'));
        bar.firstElementChild.style.width = p + '%';
      }).then(function (result) {
        // a result the job computed: asked again (now 200) for its sessions' titles
        if (dims.indexOf('session') < 0 || result.session_titles || asked !== latest) { return result; }
        return fetch('/api/queries', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })
          .then(function (r) { return r.status === 200 ? r.json() : result; })
          .catch(function () { return result; });
      }).then(function (result) {
        if (asked !== latest) { return; }
        bar.hidden = true;
        // the exports follow the query that ran (not one refused)
        syncExports(form, body);
        status.textContent = result.rows.length + (result.rows.length === 1 ? ' row' : ' rows') + (result.note ? ' · ' + result.note : '');
        var shown = dims.filter(function (d) { return DIMENSIONS.indexOf(d) >= 0; });
        if (!result.rows.length) {
          clearChart();
          tableBox.replaceChildren();
          renderEmpty(empty, body);
          return;
        }
        empty.hidden = true;
        renderResultChart(chart, result, shown, body);
        renderTable(tableBox, result, shown);
      }).catch(function (err) {
        if (asked !== latest) { return; }
        bar.hidden = true;
        status.textContent = 'The query failed: ' + err.message;
        // nothing of an earlier query's answer stays under this one's error
        clearChart();
        empty.hidden = true;
        tableBox.replaceChildren();
      });
    });
    if (form.getAttribute('data-autorun') === 'true') {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.dispatchEvent(new Event('submit', { cancelable: true })); }
    }
  }

  // entry-level export buttons (the Analytics page: every project; a session's page: that
  // session, data-project and data-session): the job is polled, then its file linked
  function setupExports() {
    document.querySelectorAll('button.export-job').forEach(function (button) {
      button.addEventListener('click', function () {
        var out = document.getElementById('export-status');
        out.textContent = 'Exporting…';
        var body = { format: button.getAttribute('data-format') };
        ['project', 'session'].forEach(function (name) {
          if (button.getAttribute('data-' + name)) { body[name] = button.getAttribute('data-' + name); }
        });
        fetch('/api/exports', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) })
          .then(function (r) { return r.json(); })
          .then(function (job) {
            if (!job.status_url) { throw new Error(job.detail || 'no job'); }
            return poll(job.status_url, function (p, state, waiting) { out.textContent = waiting || ('Exporting… ' + p + '%'); }).then(function () { return job; });
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
    setupExports();
  });
})();

// A box that scrolls sideways (a wide table on a narrow screen, a wide panel) can be reached
// and scrolled with the keyboard (WCAG 2.1.1; axe's scrollable-region-focusable).
(function () {
  function focusableScrollers() {
    document.querySelectorAll('table.grid, .panel, pre.text').forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 && el.matches('pre.text')) {
        if (!el.hasAttribute('tabindex')) { el.setAttribute('tabindex', '0'); }
      } else if (el.getAttribute('tabindex') === '0') {
        el.removeAttribute('tabindex');
      }
    });
  }
  document.addEventListener('DOMContentLoaded', focusableScrollers);
  window.addEventListener('load', focusableScrollers);
  window.addEventListener('resize', focusableScrollers);
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

  // a header sorts its table's body (the totals row is in tfoot and stays last), the whole
  // cell as its button: a column of numbers largest first, as the analytics table does, text
  // from A, and the sorted column the other way at the next click; delegated, so tables a
  // live update replaces keep working
  function setupSortable() {
    document.addEventListener('click', function (event) {
      var th = event.target.closest('table.sortable th[data-sort]');
      if (!th || !th.querySelector('button.sort')) { return; }
      var table = th.closest('table');
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var kind = th.getAttribute('data-sort');
      var now = th.getAttribute('aria-sort');
      var ascending = (now === 'ascending' || now === 'descending') ? now !== 'ascending' : kind !== 'number';
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

  // a panel waiting for a job: [data-job-start] is the URL that answers 200 with the
  // result, or 202 with the job it started; [data-job-status] the status URL of a job the
  // page's request started. The job is polled, then the panel is fetched again, now with
  // the cached result. data-job-label and data-job-working name the work.
  function setupJobPanels(root) {
    var scope = root || document;
    var found = Array.prototype.slice.call(scope.querySelectorAll('[data-job-start], [data-job-status]'));
    if (scope.matches && scope.matches('[data-job-start], [data-job-status]')) { found.push(scope); }
    found.forEach(function (el) {
      if (el.hasAttribute('data-job-followed')) { return; }
      el.setAttribute('data-job-followed', '');
      var panel = el.closest('section[id]');
      var status = el.querySelector('.job-status');
      var label = el.getAttribute('data-job-label') || 'Tool statistics';
      var working = el.getAttribute('data-job-working') || 'Computing tool statistics…';
      function say(text) { if (status) { status.textContent = text; } }
      // the page again, now with the result; [data-job-reload] names the finished job's
      // own page (the data may have grown since, and with it the current result's key)
      function reload() {
        var url = el.getAttribute('data-job-reload') || location.href;
        return fetch(url, { headers: { 'Accept': 'text/html' } }).then(function (r) { return r.text(); }).then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(panel.id);
          if (fresh && !fresh.querySelector('[data-job-start], [data-job-status]')) { panel.replaceWith(fresh); }
          else { say(label + ': done; reload the page.'); }
        });
      }
      function tick(url) {
        fetch(url, { headers: { 'Accept': 'application/json' } }).then(function (r) { return r.json(); }).then(function (job) {
          if (job.state === 'succeeded') { return reload(); }
          if (job.state === 'failed' || job.state === 'deleted') { say(label + ' failed: ' + (job.error || job.state)); return null; }
          // a job that reports no progress (a search, tool statistics: one query) says no 0 %
          say(job.waiting || (job.progress > 0 ? working + ' ' + job.progress + '%' : working));
          setTimeout(function () { tick(url); }, 1000);
          return null;
        }).catch(function (err) { say(label + ' failed: ' + err.message); });
      }
      if (!panel) { return; }
      if (el.hasAttribute('data-job-status')) { tick(el.getAttribute('data-job-status')); return; }
      fetch(el.getAttribute('data-job-start'), { headers: { 'Accept': 'application/json' } }).then(function (r) {
        return r.json().then(function (body) {
          if (r.status === 200) { return reload(); }
          if (r.status === 202 && body.status_url) { tick(body.status_url); return null; }
          say(label + ' failed: ' + (body.detail || r.status));
          return null;
        });
      }).catch(function (err) { say(label + ' failed: ' + err.message); });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupSortable();
    setupJobPanels(document);
  });
  document.addEventListener('cctracer:replaced', function (e) { setupJobPanels(e.detail); });
})();
