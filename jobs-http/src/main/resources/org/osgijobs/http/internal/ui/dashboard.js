// The dashboard: polls the API (relative to this page: ../pipelines) once a second, draws the pipelines, two
// charts of the last five minutes and the jobs waiting in one pipeline (the dead letters by default), and sends
// pause, resume, destroy, push and run-again with the bearer token typed in above (kept for this browser tab only).
// No library, nothing loaded from elsewhere.
(function () {
  'use strict';
  var API = new URL('..', window.location.href).href.replace(/\/$/, '');
  var POLL_MS = 1000;
  var HISTORY = 300; // samples: five minutes at one a second
  var history = []; // {t, processed, meanRunMs}
  var known = '';

  var tokenInput = document.getElementById('token');
  tokenInput.value = sessionStorage.getItem('jobs.token') || '';
  tokenInput.addEventListener('change', function () { sessionStorage.setItem('jobs.token', tokenInput.value); });

  function headers(json) {
    var h = {};
    if (json) { h['Content-Type'] = 'application/json'; }
    if (tokenInput.value) { h['Authorization'] = 'Bearer ' + tokenInput.value; }
    return h;
  }

  function show(el, text, isError) {
    el.textContent = text;
    el.className = 'result' + (isError ? ' error' : '');
  }

  function errorText(response, body) {
    if (body && body.error) {
      return response.status + ' ' + body.error.kind + ': ' + body.error.message
        + (body.error.field ? ' (' + body.error.field + ')' : '');
    }
    return response.status + ' ' + response.statusText;
  }

  function send(method, path, payload, resultEl, done) {
    fetch(API + path, { method: method, headers: headers(payload !== undefined),
        body: payload === undefined ? undefined : JSON.stringify(payload) })
      .then(function (r) {
        return r.text().then(function (t) {
          var body = null;
          try { body = t ? JSON.parse(t) : null; } catch (e) { body = null; }
          if (!r.ok) { show(resultEl, errorText(r, body), true); return; }
          show(resultEl, done(body), false);
          poll();
        });
      })
      .catch(function (e) { show(resultEl, String(e), true); });
  }

  function stateOf(p) {
    if (p.error) { return 'error'; }
    return p.ready ? 'consuming' : 'paused';
  }

  function cell(text, cls) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) { td.className = cls; }
    return td;
  }

  function button(label, cls, action) {
    var b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.className = cls;
    b.addEventListener('click', action);
    return b;
  }

  var drawn = '';
  function render(pipelines) {
    // redraw only what changed: a button under the mouse is not replaced while nothing happens
    var now = JSON.stringify(pipelines);
    if (now === drawn) { return; }
    drawn = now;
    var tbody = document.querySelector('#pipelines tbody');
    var result = document.getElementById('action-result');
    tbody.textContent = '';
    pipelines.forEach(function (p) {
      var s = p.stats || {};
      var tr = document.createElement('tr');
      tr.setAttribute('data-pipeline', p.pipeline);
      var state = stateOf(p);
      tr.appendChild(cell(p.pipeline, 'name'));
      tr.appendChild(cell(p.driver, 'driver'));
      var st = cell(state, 'state ' + state);
      if (p.error) { st.title = p.error; }
      tr.appendChild(st);
      tr.appendChild(cell(p.priority, 'priority'));
      tr.appendChild(cell(s.queued, 'queued'));
      tr.appendChild(cell(s.delayed, 'delayed'));
      tr.appendChild(cell(s.in_flight, 'in-flight'));
      tr.appendChild(cell(s.pushed, 'pushed'));
      tr.appendChild(cell(s.processed, 'processed'));
      tr.appendChild(cell(s.failed, 'failed'));
      tr.appendChild(cell(s.dead_lettered, 'dead-lettered'));
      var actions = cell('', 'actions');
      var name = encodeURIComponent(p.pipeline);
      if (p.ready) {
        actions.appendChild(button('Pause', 'pause', function () {
          send('POST', '/pipelines/' + name + '/pause', undefined, result, function () { return p.pipeline + ' paused'; });
        }));
      } else {
        actions.appendChild(button('Resume', 'resume', function () {
          send('POST', '/pipelines/' + name + '/resume', undefined, result, function () { return p.pipeline + ' resumed'; });
        }));
      }
      actions.appendChild(button('Destroy', 'destroy', function () {
        if (window.confirm('Destroy pipeline ' + p.pipeline + '? Jobs an in-process driver holds are discarded.')) {
          send('DELETE', '/pipelines/' + name, undefined, result, function () { return p.pipeline + ' destroyed'; });
        }
      }));
      tr.appendChild(actions);
      tbody.appendChild(tr);
    });
    var names = pipelines.map(function (p) { return p.pipeline; }).join('\n');
    if (names !== known) {
      known = names;
      fillSelect(document.getElementById('push-pipeline'), pipelines, null);
      fillSelect(document.getElementById('waiting-pipeline'), pipelines, 'failed');
    }
  }

  // keeps the choice when it still exists; else the preferred pipeline when there is one
  function fillSelect(select, pipelines, preferred) {
    var names = pipelines.map(function (p) { return p.pipeline; });
    var chosen = select.value;
    select.textContent = '';
    names.forEach(function (n) {
      var o = document.createElement('option');
      o.value = o.textContent = n;
      select.appendChild(o);
    });
    if (chosen && names.indexOf(chosen) >= 0) {
      select.value = chosen;
    } else if (preferred && names.indexOf(preferred) >= 0) {
      select.value = preferred;
    }
  }

  function first(headers, name) {
    var values = headers && headers[name];
    return values && values.length ? values[0] : '';
  }

  var waitingDrawn = '';
  function renderWaiting(pipeline, jobs, problem) {
    var now = pipeline + '|' + (problem || '') + '|' + JSON.stringify(jobs);
    if (now === waitingDrawn) { return; }
    waitingDrawn = now;
    var tbody = document.querySelector('#waiting tbody');
    var result = document.getElementById('waiting-result');
    tbody.textContent = '';
    if (problem) {
      var tr = document.createElement('tr');
      var td = cell(problem, 'problem');
      td.colSpan = 7;
      tr.appendChild(td);
      tbody.appendChild(tr);
      return;
    }
    jobs.forEach(function (j) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-job', j.id);
      var from = first(j.headers, 'x-jobs-dead-letter-from');
      tr.appendChild(cell(j.id, 'id'));
      tr.appendChild(cell(j.name, 'job'));
      tr.appendChild(cell(from, 'from'));
      tr.appendChild(cell(first(j.headers, 'x-jobs-attempt'), 'attempts'));
      tr.appendChild(cell(first(j.headers, 'x-jobs-error'), 'error'));
      var payload = j.payload_encoding === 'base64' ? '(' + j.payload.length + ' base64 chars)' : j.payload;
      tr.appendChild(cell(payload.length > 60 ? payload.substring(0, 60) + '…' : payload, 'payload'));
      var actions = cell('', 'actions');
      if (from) {
        actions.appendChild(button('Run again', 'run-again', function () {
          send('POST', '/pipelines/' + encodeURIComponent(pipeline) + '/jobs/' + encodeURIComponent(j.id)
            + '/run-again', undefined, result, function (body) { return j.id + ' runs again in ' + body.pipeline; });
        }));
      }
      tr.appendChild(actions);
      tbody.appendChild(tr);
    });
  }

  function pollWaiting() {
    var pipeline = document.getElementById('waiting-pipeline').value;
    if (!pipeline) { return; }
    fetch(API + '/pipelines/' + encodeURIComponent(pipeline) + '/jobs?limit=50', { headers: headers(false) })
      .then(function (r) {
        return r.json().then(function (body) {
          if (!r.ok) { renderWaiting(pipeline, [], errorText(r, body)); return; }
          renderWaiting(pipeline, body.jobs, null);
        });
      })
      .catch(function (e) { renderWaiting(pipeline, [], String(e)); });
  }
  document.getElementById('waiting-pipeline').addEventListener('change', pollWaiting);

  function record(pipelines) {
    var processed = 0, runs = 0, weighted = 0;
    pipelines.forEach(function (p) {
      var s = p.stats || {};
      processed += s.processed || 0;
      var n = (s.processed || 0) + (s.failed || 0);
      runs += n;
      weighted += n * (s.mean_run_micros || 0);
    });
    history.push({ t: Date.now(), processed: processed, meanRunMs: runs ? weighted / runs / 1000 : 0 });
    if (history.length > HISTORY) { history.shift(); }
  }

  function draw(canvasId, values) {
    var c = document.getElementById(canvasId);
    var g = c.getContext('2d');
    g.clearRect(0, 0, c.width, c.height);
    var max = Math.max.apply(null, values.concat([1]));
    g.fillStyle = '#6b7280';
    g.font = '11px system-ui, sans-serif';
    g.fillText(max.toFixed(max < 10 ? 1 : 0), 4, 12);
    g.strokeStyle = '#2563eb';
    g.lineWidth = 1.5;
    g.beginPath();
    values.forEach(function (v, i) {
      var x = c.width * i / Math.max(1, HISTORY - 1);
      var y = c.height - 4 - (c.height - 20) * v / max;
      if (i === 0) { g.moveTo(x, y); } else { g.lineTo(x, y); }
    });
    g.stroke();
  }

  function charts() {
    var rates = [];
    for (var i = 1; i < history.length; i++) {
      var dt = (history[i].t - history[i - 1].t) / 1000;
      rates.push(dt > 0 ? Math.max(0, history[i].processed - history[i - 1].processed) / dt : 0);
    }
    draw('throughput', rates);
    draw('latency', history.map(function (h) { return h.meanRunMs; }));
  }

  var polling = false;
  function poll() {
    if (polling) { return; }
    polling = true;
    fetch(API + '/pipelines', { headers: headers(false) })
      .then(function (r) { if (!r.ok) { throw new Error(r.status + ' ' + r.statusText); } return r.json(); })
      .then(function (body) {
        var status = document.getElementById('status');
        status.textContent = 'live · ' + new Date().toLocaleTimeString();
        status.className = 'status';
        render(body.pipelines);
        record(body.pipelines);
        charts();
        pollWaiting();
      })
      .catch(function (e) {
        var status = document.getElementById('status');
        status.textContent = 'unreachable: ' + e.message;
        status.className = 'status down';
      })
      .then(function () { polling = false; });
  }

  document.getElementById('push-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var pipeline = document.getElementById('push-pipeline').value;
    var job = {
      name: document.getElementById('push-name').value,
      payload: document.getElementById('push-payload').value,
      priority: parseInt(document.getElementById('push-priority').value || '0', 10),
      delay: parseInt(document.getElementById('push-delay').value || '0', 10)
    };
    send('POST', '/pipelines/' + encodeURIComponent(pipeline) + '/jobs', job, document.getElementById('push-result'),
      function (body) { return 'pushed ' + body.id + ' into ' + pipeline; });
  });

  poll();
  window.setInterval(poll, POLL_MS);
}());
