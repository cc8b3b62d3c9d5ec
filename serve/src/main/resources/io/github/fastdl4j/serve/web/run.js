'use strict';
// One run: fastai's fit table, the loss chart, config and provenance, and what the model can do:
// collab (biases, PCA map, similar, recommendations, you as a new user), tabular (a prediction
// form from the model's columns), vision (upload a picture, draw a digit, the confusion matrix
// and top losses on the validation images).

const id = new URLSearchParams(location.search).get('id') || '';
const base = '/api/models/' + encodeURIComponent(id);

function section(title, ...children) {
  const s = el('section', {}, el('h2', {}, title), ...children);
  $('#module').append(s);
  return s;
}

function fitTable(report) {
  const epochs = report.epochs || [];
  if (!epochs.length) { $('#fit').replaceChildren(el('p', {class: 'muted'}, 'no per-epoch record')); return; }
  const names = Object.keys(epochs[0].metrics || {});
  $('#fit').replaceChildren(table(['epoch', 'train_loss', 'valid_loss', ...names, 'time'],
    epochs.map(e => [e.epoch, e.train_loss, e.valid_loss, ...names.map(n => e.metrics[n]), fmt(e.seconds) + ' s']), {id: 'fit-table'}));
  const x = epochs.map(e => e.epoch);
  lineChart($('#loss'), 'loss', 'epoch', x, [
    {label: 'train_loss', values: epochs.map(e => e.train_loss)},
    {label: 'valid_loss', values: epochs.map(e => e.valid_loss)}]);
}

// ---- collab

function listForm(label, placeholder, run) {
  const input = el('input', {type: 'text', placeholder: placeholder, 'aria-label': label});
  const out = el('div', {class: 'out'});
  const go = async () => { try { out.replaceChildren(await run(input.value)); } catch (e) { showError(out, e); } };
  const form = el('form', {}, input, el('button', {type: 'submit'}, label), out);
  form.addEventListener('submit', ev => { ev.preventDefault(); go(); });
  return form;
}

async function biases() {
  const s = section('Movie biases');
  try {
    const b = await api(base + '/biases?k=10');
    s.append(el('div', {class: 'cols', id: 'biases'},
      el('div', {}, el('h3', {}, 'lowest (rated low even by users whose tastes match)'), itemList(b.lowest)),
      el('div', {}, el('h3', {}, 'highest (rated high even by users whose tastes do not match)'), itemList(b.highest))));
  } catch (e) { s.append(el('p', {class: 'muted'}, e.message)); }
}

async function pcaMap() {
  const canvas = el('canvas', {id: 'pca', width: 760, height: 480});
  const tip = el('div', {id: 'pca-tip'});
  const search = el('input', {type: 'search', id: 'pca-search', placeholder: 'highlight titles containing...', 'aria-label': 'highlight'});
  const note = el('p', {class: 'muted'}, 'hover a point for its title; scroll to zoom, double-click to reset');
  const s = section('PCA of the movie factors', search, note, el('div', {id: 'pca-wrap'}, canvas, tip));
  let data;
  try { data = await api(base + '/pca?n=1000'); } catch (e) { showError(s, e); return; }
  note.textContent = 'PC1 ' + (100 * data.explained[0]).toFixed(1) + '%, PC2 ' + (100 * data.explained[1]).toFixed(1)
    + '% of the variance of the ' + data.points.length + ' most-rated movies; hover a point for its title; scroll to zoom, double-click to reset';
  const pts = data.points;
  const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
  const full = {x0: Math.min(...xs), x1: Math.max(...xs), y0: Math.min(...ys), y1: Math.max(...ys)};
  let view = Object.assign({}, full);
  const ctx = canvas.getContext('2d');
  const pad = 20;
  const px = p => pad + (p.x - view.x0) / ((view.x1 - view.x0) || 1) * (canvas.width - 2 * pad);
  const py = p => canvas.height - pad - (p.y - view.y0) / ((view.y1 - view.y0) || 1) * (canvas.height - 2 * pad);
  function draw() {
    const q = search.value.trim().toLowerCase();
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    const screen = [];
    for (const p of pts) {
      const hit = q && p.title.toLowerCase().includes(q);
      ctx.fillStyle = hit ? '#d62728' : 'rgba(31,119,180,0.55)';
      const r = hit ? 5 : 3;
      const x = px(p), y = py(p);
      ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI); ctx.fill();
      screen.push({x: x, y: y, title: p.title, id: p.id});
    }
    window.fastdl4jPca = screen; // for tests: where each point is drawn
  }
  canvas.addEventListener('mousemove', ev => {
    const rect = canvas.getBoundingClientRect();
    const mx = (ev.clientX - rect.left) * canvas.width / rect.width, my = (ev.clientY - rect.top) * canvas.height / rect.height;
    let best = null, bestD = 64;
    for (const p of pts) {
      const d = (px(p) - mx) ** 2 + (py(p) - my) ** 2;
      if (d < bestD) { bestD = d; best = p; }
    }
    if (!best) { tip.style.display = 'none'; return; }
    tip.textContent = best.title + ' (' + best.ratings + ' ratings)';
    tip.style.left = (px(best) * rect.width / canvas.width + 10) + 'px';
    tip.style.top = (py(best) * rect.height / canvas.height - 10) + 'px';
    tip.style.display = 'block';
  });
  canvas.addEventListener('mouseleave', () => { tip.style.display = 'none'; });
  canvas.addEventListener('wheel', ev => {
    ev.preventDefault();
    const rect = canvas.getBoundingClientRect();
    const fx = (ev.clientX - rect.left) / rect.width, fy = 1 - (ev.clientY - rect.top) / rect.height;
    const k = ev.deltaY < 0 ? 0.8 : 1.25;
    const cx = view.x0 + fx * (view.x1 - view.x0), cy = view.y0 + fy * (view.y1 - view.y0);
    view = {x0: cx - (cx - view.x0) * k, x1: cx + (view.x1 - cx) * k, y0: cy - (cy - view.y0) * k, y1: cy + (view.y1 - cy) * k};
    draw();
  }, {passive: false});
  canvas.addEventListener('dblclick', () => { view = Object.assign({}, full); draw(); });
  search.addEventListener('input', draw);
  draw();
}

function similar() {
  section('Similar movies', listForm('find similar', 'a title or part of one',
    async q => itemList((await api(base + '/similar?k=10&movie=' + encodeURIComponent(q))).items, 'items similar')));
}

function recommend() {
  section('Recommendations for a user', listForm('recommend', 'user id, e.g. 42',
    async u => itemList((await api(base + '/recommend?k=10&user=' + encodeURIComponent(u))).items, 'items recs')));
}

function newUser(model) {
  if (!model.fold_in) return;
  const rated = new Map(); // movie id -> {title, rating}
  const search = el('input', {type: 'search', id: 'nu-search', placeholder: 'find a movie to rate', 'aria-label': 'find a movie'});
  const found = el('ul', {id: 'nu-found'});
  const mine = el('ul', {id: 'nu-rated'});
  const recs = el('div', {id: 'nu-recs'});
  section('You as a new user', el('p', {class: 'muted'}, 'rate a few movies: the model folds you in (no retraining) and recommends'),
    search, found, el('h3', {}, 'your ratings'), mine, el('h3', {}, 'recommended for you'), recs);
  async function update() {
    mine.replaceChildren(...[...rated.entries()].map(([mid, r]) => el('li', {}, r.title + ': ' + r.rating)));
    if (!rated.size) { recs.replaceChildren(); return; }
    const body = {rated: {}, k: 10};
    rated.forEach((r, mid) => { body.rated[mid] = r.rating; });
    try { recs.replaceChildren(itemList((await postJson(base + '/recommend', body)).items, 'items nu')); } catch (e) { showError(recs, e); }
  }
  let timer = null;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = search.value.trim();
      if (!q) { found.replaceChildren(); return; }
      try {
        const r = await api(base + '/movies?limit=8&q=' + encodeURIComponent(q));
        found.replaceChildren(...r.movies.map(m => el('li', {'data-id': m.id}, el('span', {class: 'title'}, m.title), ' ',
          el('span', {class: 'rate'}, ...[1, 2, 3, 4, 5].map(v => el('button', {type: 'button', 'data-rating': String(v),
            onclick: () => { rated.set(m.id, {title: m.title, rating: v}); update(); }}, String(v)))))));
      } catch (e) { showError(found, e); }
    }, 150);
  });
}

// ---- tabular

function tabularForm(model) {
  const inputs = {};
  const rows = (model.fields || []).map(f => {
    let input;
    if (f.type === 'category') {
      input = el('select', {name: f.name}, el('option', {value: ''}, '(missing)'), ...f.choices.map(c => el('option', {value: c}, c)));
      if (f.choices.length) input.value = f.choices[0];
    } else {
      input = el('input', {name: f.name, type: f.type === 'number' ? 'number' : 'text', step: 'any',
        placeholder: f.type === 'date' ? 'a date, e.g. 2015-07-31' : ''});
    }
    inputs[f.name] = {input: input, type: f.type};
    return el('tr', {}, el('th', {}, f.name), el('td', {}, input));
  });
  const out = el('div', {id: 'tab-out'});
  const form = el('form', {id: 'tab-form'}, el('table', {}, el('tbody', {}, ...rows)), el('button', {type: 'submit'}, 'predict'), out);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const row = {};
    for (const [name, i] of Object.entries(inputs)) {
      const v = i.input.value;
      row[name] = v === '' ? null : (i.type === 'number' ? Number(v) : v);
    }
    try {
      const p = (await postJson(base + '/predict', {rows: [row]})).predictions[0];
      const parts = [el('p', {class: 'prediction'}, model.target ? model.target + ': ' : '', typeof p.prediction === 'number' ? fmt(p.prediction) : p.prediction)];
      if (p.probabilities) parts.push(table(['class', 'probability'], Object.entries(p.probabilities)));
      out.replaceChildren(...parts);
    } catch (e) { showError(out, e); }
  });
  section('Predict a row', form);
}

// ---- vision

function showLabels(out, r) {
  const best = r.predictions[0];
  out.replaceChildren(el('p', {class: 'prediction'}, best.label + ' (' + (100 * best.probability).toFixed(1) + '%)'),
    table(['class', 'probability'], r.predictions.slice(0, 5).map(p => [p.label, p.probability])),
    ...(r.notes || []).map(n => el('p', {class: 'muted'}, n)));
}

function visionUpload() {
  const file = el('input', {type: 'file', id: 'upload', accept: 'image/png,image/jpeg'});
  const out = el('div', {id: 'upload-out'});
  file.addEventListener('change', async () => {
    const f = file.files[0];
    if (!f) return;
    try {
      showLabels(out, await api(base + '/predict', {method: 'POST', headers: {'Content-Type': f.type || 'application/octet-stream'}, body: f}));
    } catch (e) { showError(out, e); }
  });
  section('Classify a picture', file, out);
}

function drawDigit(model) {
  if (!model.mnist) return;
  const canvas = el('canvas', {id: 'draw', width: 280, height: 280});
  const out = el('div', {id: 'draw-out'});
  const clear = el('button', {type: 'button'}, 'clear');
  section('Draw a digit', el('p', {class: 'muted'}, 'draw with the mouse; the model predicts as you draw'), canvas, el('div', {}, clear), out);
  const ctx = canvas.getContext('2d');
  function reset() { ctx.fillStyle = '#000'; ctx.fillRect(0, 0, 280, 280); out.replaceChildren(); }
  reset();
  let drawing = false, last = null, pending = false, again = false;
  async function predict() {
    if (pending) { again = true; return; }
    pending = true;
    const small = document.createElement('canvas');
    small.width = 28; small.height = 28;
    const s = small.getContext('2d');
    s.imageSmoothingEnabled = true;
    s.drawImage(canvas, 0, 0, 28, 28);
    const blob = await new Promise(res => small.toBlob(res, 'image/png'));
    try {
      showLabels(out, await api(base + '/predict', {method: 'POST', headers: {'Content-Type': 'image/png'}, body: blob}));
    } catch (e) { showError(out, e); }
    pending = false;
    if (again) { again = false; predict(); }
  }
  const pos = ev => { const r = canvas.getBoundingClientRect(); return [(ev.clientX - r.left) * 280 / r.width, (ev.clientY - r.top) * 280 / r.height]; };
  canvas.addEventListener('pointerdown', ev => { drawing = true; last = pos(ev); });
  canvas.addEventListener('pointermove', ev => {
    if (!drawing) return;
    const p = pos(ev);
    ctx.strokeStyle = '#fff'; ctx.lineWidth = 22; ctx.lineCap = 'round';
    ctx.beginPath(); ctx.moveTo(last[0], last[1]); ctx.lineTo(p[0], p[1]); ctx.stroke();
    last = p;
    predict();
  });
  const stop = () => { if (drawing) { drawing = false; predict(); } };
  canvas.addEventListener('pointerup', stop);
  canvas.addEventListener('pointerleave', stop);
  clear.addEventListener('click', reset);
}

/** The API answer, asking again while the server is still computing it (503). */
async function patiently(path) {
  for (let i = 0; ; i++) {
    try { return await api(path); } catch (e) {
      if (e.status !== 503 || i >= 20) throw e;
      await new Promise(res => setTimeout(res, 3000));
    }
  }
}

async function confusion() {
  const s = section('Confusion matrix and top losses');
  s.id = 'interpretation';
  const note = el('p', {class: 'muted'}, 'computing on the validation images the run recorded...');
  s.append(note);
  let c;
  try { c = await patiently(base + '/confusion'); } catch (e) { note.textContent = e.message; return; }
  note.textContent = c.images + ' validation images (' + c.validation + '): accuracy ' + fmt(c.accuracy) + ', loss ' + fmt(c.loss)
    + (c.warning ? '; ' + c.warning : '');
  let max = 1;
  c.matrix.forEach(row => row.forEach(v => { max = Math.max(max, v); }));
  const head = el('tr', {}, el('th', {}, 'actual \\ predicted'), ...c.classes.map(k => el('th', {}, k)));
  const rows = c.matrix.map((row, a) => el('tr', {}, el('th', {}, c.classes[a]), ...row.map((v, p) => {
    const td = el('td', {class: a === p ? 'cm diag' : 'cm'}, String(v));
    td.style.backgroundColor = 'rgba(31,119,180,' + (0.85 * v / max).toFixed(3) + ')'; // CSSOM: allowed by the CSP
    if (v / max > 0.5) td.style.color = '#fff';
    return td;
  })));
  s.append(el('table', {id: 'confusion'}, el('thead', {}, head), el('tbody', {}, ...rows)));
  try {
    const t = await patiently(base + '/top-losses?k=9');
    s.append(el('h3', {}, 'top losses (predicted / actual / loss / probability)'),
      el('div', {id: 'top-losses', class: 'tiles'}, ...t.items.map(i => el('figure', {class: i.predicted === i.actual ? '' : 'wrong'},
        apiImage(i.png, {alt: i.image, class: 'tile', width: 84, height: 84}),
        el('figcaption', {}, i.predicted + ' / ' + i.actual + ' / ' + fmt(i.loss) + ' / ' + fmt(i.probability)),
        el('figcaption', {class: 'muted'}, i.image)))));
  } catch (e) { s.append(el('p', {class: 'muted'}, e.message)); }
}

async function load() {
  let m;
  try { m = await api(base); } catch (e) { showError($('#fit'), e); $('#title').textContent = 'run ' + id; return; }
  $('#title').textContent = m.id;
  document.title = 'fastdl4j: ' + m.id;
  $('#summary').textContent = m.module + ' ' + m.kind + ', trained ' + ((m.provenance && m.provenance.created) || '?')
    + ', loaded ' + m.loaded_at;
  fitTable(m.report || {});
  if (m.summary) $('#config').before(el('h3', {}, 'summary'), el('pre', {id: 'model-summary'}, m.summary));
  if (m.charts && m.charts.length) {
    const charts = section('Charts of the run', ...m.charts.map(c => el('figure', {},
      apiImage(base + '/charts/' + encodeURIComponent(c), {alt: c, loading: 'lazy', class: 'chart'}), el('figcaption', {}, c))));
    charts.id = 'charts';
  }
  $('#config').textContent = JSON.stringify({config: (m.report || {}).config, final: m.metrics, provenance: m.provenance}, null, 2);
  if (m.module === 'collab') {
    await biases();
    await pcaMap();
    similar();
    recommend();
    newUser(m);
  } else if (m.module === 'tabular') {
    tabularForm(m);
  } else if (m.module === 'vision') {
    drawDigit(m);
    visionUpload();
    await confusion();
  }
  document.body.setAttribute('data-ready', 'true');
}

document.addEventListener('DOMContentLoaded', () => withToken(load));
