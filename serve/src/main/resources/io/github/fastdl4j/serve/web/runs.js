'use strict';
// The runs list: every served model, sortable and filterable; checked runs' loss curves overlaid.

let models = [];
let sortKey = 'id';
let sortUp = true;

function mainMetric(m) {
  const f = m.metrics || {};
  return f.valid_loss !== undefined ? f.valid_loss : NaN;
}

function metricsText(m) {
  const f = m.metrics || {};
  return Object.keys(f).filter(k => typeof f[k] === 'number' && k !== 'epoch' && k !== 'samples_per_sec')
    .map(k => k + ' ' + fmt(f[k])).join(', ');
}

function value(m, key) {
  if (key === 'date') return (m.provenance && m.provenance.created) || '';
  if (key === 'metric') return mainMetric(m);
  return m[key] || '';
}

function render() {
  const q = $('#filter').value.trim().toLowerCase();
  const shown = models.filter(m => !q || [m.id, m.module, m.kind, metricsText(m)].join(' ').toLowerCase().includes(q));
  shown.sort((a, b) => {
    const x = value(a, sortKey), y = value(b, sortKey);
    const c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sortUp ? c : -c;
  });
  const head = [['', null], ['run', 'id'], ['module', 'module'], ['model', 'kind'], ['trained', 'date'], ['final metrics', 'metric']];
  const t = el('table', {id: 'runs-table'},
    el('thead', {}, el('tr', {}, ...head.map(([label, key]) => {
      const th = el('th', key ? {'data-key': key} : {}, label);
      if (key === sortKey) th.className = 'sorted';
      if (key) th.addEventListener('click', () => { sortUp = key === sortKey ? !sortUp : true; sortKey = key; render(); });
      return th;
    }))),
    el('tbody', {}, ...shown.map(m => el('tr', {'data-id': m.id},
      el('td', {}, el('input', {type: 'checkbox', class: 'pick', value: m.id, 'aria-label': 'overlay ' + m.id})),
      el('td', {}, el('a', {href: '/run.html?id=' + encodeURIComponent(m.id)}, m.id)),
      el('td', {}, m.module), el('td', {}, m.kind),
      el('td', {}, ((m.provenance && m.provenance.created) || '').replace('T', ' ').slice(0, 19)),
      el('td', {}, metricsText(m))))));
  $('#runs').replaceChildren(shown.length ? t : el('p', {class: 'muted'}, 'no runs'));
}

async function overlay() {
  const ids = [...document.querySelectorAll('.pick:checked')].map(c => c.value);
  const chart = $('#chart');
  if (!ids.length) { chart.replaceChildren(el('p', {class: 'muted'}, 'check one or more runs first')); return; }
  try {
    const reports = await Promise.all(ids.map(id => api('/api/models/' + encodeURIComponent(id))));
    let n = 0;
    reports.forEach(r => { n = Math.max(n, ((r.report || {}).epochs || []).length); });
    const x = Array.from({length: n}, (_, i) => i + 1);
    const series = [];
    reports.forEach(r => {
      const epochs = (r.report || {}).epochs || [];
      series.push({label: r.id + ' valid', values: x.map((_, i) => epochs[i] ? epochs[i].valid_loss : null)});
      series.push({label: r.id + ' train', values: x.map((_, i) => epochs[i] ? epochs[i].train_loss : null)});
    });
    lineChart(chart, 'loss by epoch', 'epoch', x, series);
  } catch (e) { showError(chart, e); }
}

async function load() {
  try {
    const r = await api('/api/models');
    models = r.models;
    render();
    if (r.skipped && r.skipped.length) {
      $('#skipped').replaceChildren(el('h2', {}, 'not loaded'),
        el('ul', {}, ...r.skipped.map(s => el('li', {}, s.id + ': ' + s.error))));
    }
  } catch (e) { showError($('#runs'), e); }
}

document.addEventListener('DOMContentLoaded', () => {
  $('#filter').addEventListener('input', render);
  $('#overlay').addEventListener('click', overlay);
  withToken(load);
});
