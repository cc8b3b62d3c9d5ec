'use strict';
// Shared helpers of the pages. Data only ever reaches the page as text (textContent, text nodes),
// never as HTML.

const $ = (sel, root = document) => root.querySelector(sel);

/** An element with attributes and children (strings become text nodes). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

// ---- the token of a server started with --token-file: asked once per tab, kept in sessionStorage
// (never in a URL), sent as Authorization: Bearer on every request

const TOKEN_KEY = 'fastdl4j-token';

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** fetch with the token, if one is set. */
function authFetch(path, opts) {
  const o = Object.assign({}, opts || {});
  const t = token();
  if (t) o.headers = Object.assign({}, o.headers || {}, {'Authorization': 'Bearer ' + t});
  return fetch(path, o);
}

/** Whether the server wants a token and the stored one (if any) is right: /api/auth always answers 200. */
async function authState() {
  const r = await authFetch('/api/auth');
  return r.json();
}

/**
 * Runs the page's load once the server accepts us: at once without a token, else after a small
 * form took a token the server accepts (a wrong one shows an error line and the form again).
 */
async function withToken(load) {
  let state;
  try { state = await authState(); } catch (e) { document.body.append(el('p', {class: 'error'}, 'the server does not answer')); return; }
  if (!state.token_required || state.valid) { load(); return; }
  const hadToken = token() !== null;
  sessionStorage.removeItem(TOKEN_KEY);
  const input = el('input', {type: 'password', id: 'token', autocomplete: 'off', 'aria-label': 'token'});
  const msg = el('p', {id: 'token-error', class: 'error'}, hadToken ? 'the stored token is not accepted: enter it again' : '');
  const form = el('form', {id: 'token-form'}, el('p', {}, 'This server needs its access token (the contents of its --token-file).'),
    input, el('button', {type: 'submit'}, 'use token'), msg);
  document.body.prepend(form);
  form.addEventListener('submit', async ev => {
    ev.preventDefault();
    const t = input.value.trim();
    if (!t) { msg.textContent = 'enter the token'; return; }
    sessionStorage.setItem(TOKEN_KEY, t);
    let ok = false;
    try { ok = (await authState()).valid; } catch (e) { /* below */ }
    if (!ok) {
      sessionStorage.removeItem(TOKEN_KEY);
      msg.textContent = 'wrong token';
      input.value = '';
      return;
    }
    form.remove();
    load();
  });
}

/**
 * An image from the API: with a token, fetched with the header and shown from a blob URL (an
 * <img src> cannot send a header); without one, loaded directly.
 */
function apiImage(path, attrs) {
  const img = el('img', attrs);
  if (!token()) { img.src = path; return img; }
  authFetch(path).then(r => r.ok ? r.blob() : Promise.reject(new Error('HTTP ' + r.status)))
    .then(b => { img.src = URL.createObjectURL(b); })
    .catch(e => { img.alt = (attrs.alt || 'image') + ': ' + e.message; img.classList.add('broken'); });
  return img;
}

/** Calls the JSON API; a non-2xx answer throws its {"error": ...} message. */
async function api(path, opts) {
  const r = await authFetch(path, opts);
  let body;
  try {
    body = await r.json();
  } catch (e) {
    throw new Error('HTTP ' + r.status);
  }
  if (!r.ok) {
    const e = new Error(body.error || ('HTTP ' + r.status));
    e.status = r.status;
    throw e;
  }
  return body;
}

function postJson(path, value) {
  return api(path, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(value)});
}

function fmt(v) {
  if (typeof v !== 'number') return String(v);
  if (!isFinite(v)) return String(v);
  if (Math.abs(v) >= 1000) return v.toFixed(0);
  return Number(v.toPrecision(4)).toString();
}

/** Shows an error in place of a section's content. */
function showError(where, e) {
  where.replaceChildren(el('p', {class: 'error'}, e.message || String(e)));
}

/** A table from a header and rows of cells (strings, numbers or nodes). */
function table(header, rows, attrs) {
  return el('table', attrs || {},
    el('thead', {}, el('tr', {}, ...header.map(h => el('th', {}, h)))),
    el('tbody', {}, ...rows.map(r => el('tr', {}, ...r.map(c => el('td', {}, typeof c === 'number' ? fmt(c) : c))))));
}

/** A ranked list of {id, title, score}. */
function itemList(items, cls) {
  return el('ol', {class: cls || 'items'}, ...items.map(i => el('li', {'data-id': i.id}, el('span', {class: 'title'}, i.title),
    ' ', el('span', {class: 'score'}, fmt(i.score)))));
}

/** A uPlot line chart of series over x; series: [{label, values}]. */
function lineChart(target, title, xLabel, x, series) {
  const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
  const opts = {
    title: title, width: Math.min(760, target.clientWidth || 760), height: 300,
    // whole epochs on the axis; one epoch alone gets some room around it
    scales: {x: {time: false, range: (u, lo, hi) => lo === hi ? [lo - 1, hi + 1] : [lo, hi]}},
    axes: [{label: xLabel, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500]}, {}],
    series: [{label: xLabel}].concat(series.map((s, i) => ({label: s.label, stroke: colours[i % colours.length], width: 2,
      points: {show: true}}))),
  };
  target.replaceChildren();
  return new uPlot(opts, [x].concat(series.map(s => s.values)), target);
}
