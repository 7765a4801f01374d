/* kgdb gene table: search, filter, sort and page window.KGDB (data.js); the view lives in
   the URL hash so it can be shared. No framework, no network: works from file://. */
(function () {
  'use strict';
  var D = window.KGDB;
  var table = document.getElementById('genes');
  var status = document.getElementById('status');
  if (!D || !table) {
    if (status) { status.textContent = 'The gene data (data.js) could not be loaded.'; }
    return;
  }
  // Row layout (see data.js "cols").
  var HGNC = 0, SYM = 1, NAME = 2, ALIAS = 3, PREV = 4, SCORE = 5, TIER = 6, GROUP = 7,
    SC = 8, CC = 9, PRES = 10, SUP = 11;
  var G = D.g;
  var NSRC = D.src.length;
  var SIZES = [25, 50, 100, 250];
  var DEFAULTS = { q: '', tier: [], group: '', src: [], mode: 'p', cc: 0, min: '', max: '',
    sort: 'score', dir: 'desc', page: 1, size: 50, cols: [] };
  var TEXT_KEYS = { symbol: 1, name: 1 };

  // Optional annotation columns (not part of the score): hidden until switched on; their data
  // (ann.js, columnar) is loaded only then. The choice is kept in the URL (cols=…) and in
  // localStorage.
  var ANN = null, AC = {}, annLoading = false;
  function annReady(a) {
    ANN = a;
    AC = {};
    a.cols.forEach(function (k, i) { AC[k] = i; });
  }
  function groupName(list) {
    return function (v) { return ANN && ANN[list][v] ? ANN[list][v][1] : ''; };
  }
  function fixed(scale, digits) {
    return function (v) { return (v / scale).toFixed(digits); };
  }
  function yesNo(v) { return v ? 'yes' : 'no'; }
  var OPT = {
    pli: { fmt: fixed(100, 2), dir: 'desc' },
    loeuf: { fmt: fixed(1000, 3), dir: 'asc' },
    plp: { fmt: function (v) { return v.toLocaleString('en-US'); }, dir: 'desc' },
    kidney: { fmt: fixed(10, 1), dir: 'desc' },
    mouse: { fmt: yesNo, dir: 'desc' },
    cg: { fmt: groupName('cg'), dir: 'asc', text: true },
    onset: { fmt: groupName('onset'), dir: 'asc', text: true },
    synd: { fmt: yesNo, dir: 'desc' }
  };
  function colBoxes() {
    return Array.prototype.slice.call(document.querySelectorAll('#optcols input[name="col"]'));
  }
  var OPT_KEYS = colBoxes().map(function (b) { return b.value; }).filter(function (k) { return OPT[k]; });
  var STORE = 'kgdb.cols';
  function annValue(key, i) {
    if (!ANN || AC[key] === undefined) { return null; }
    var v = ANN.v[AC[key]][i];
    return v === undefined ? null : v;
  }
  function needAnn() {
    if (ANN || annLoading || !state.cols.length) { return; }
    if (window.KGDB_ANN) { annReady(window.KGDB_ANN); return; }
    annLoading = true;
    var s = document.createElement('script');
    s.src = 'ann.js';
    s.onload = function () {
      if (window.KGDB_ANN) { annReady(window.KGDB_ANN); render(); }
    };
    s.onerror = function () {
      status.textContent = 'The annotation columns (ann.js) could not be loaded.';
    };
    document.head.appendChild(s);
  }
  function validCols(v) {
    var want = v ? v.split(',') : [];
    return OPT_KEYS.filter(function (k) { return want.indexOf(k) >= 0; });
  }
  function storedCols() {
    try { return window.localStorage.getItem(STORE); } catch (e) { return null; }
  }
  function storeCols(cols) {
    try { window.localStorage.setItem(STORE, cols.join(',')); } catch (e) { /* file:// or private mode */ }
  }

  function $(id) { return document.getElementById(id); }
  function lower(s) { return String(s).toLowerCase(); }
  function splitList(s) { return s ? lower(s).split('|') : []; }

  // Search keys, computed once.
  var K = G.map(function (r) {
    var others = splitList(r[ALIAS]).concat(splitList(r[PREV]));
    return {
      sym: lower(r[SYM]),
      id: 'hgnc:' + r[HGNC],
      others: others,
      all: [lower(r[SYM]), 'hgnc:' + r[HGNC], lower(r[NAME])].concat(others).join('\n')
    };
  });

  function copy(s) {
    return { q: s.q, tier: s.tier.slice(), group: s.group, src: s.src.slice(), mode: s.mode,
      cc: s.cc, min: s.min, max: s.max, sort: s.sort, dir: s.dir, page: s.page, size: s.size,
      cols: (s.cols || []).slice() };
  }

  var state = copy(DEFAULTS);

  function ints(v, max) {
    if (!v) { return []; }
    return v.split(',').map(Number).filter(function (n) {
      return n === Math.floor(n) && n >= 0 && n < max;
    }).sort(function (a, b) { return a - b; });
  }
  function num(v) {
    if (v === null || v === '') { return ''; }
    var n = Number(v);
    return isFinite(n) ? String(Math.min(100, Math.max(0, n))) : '';
  }

  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var s = copy(DEFAULTS);
    s.q = p.get('q') || '';
    s.tier = ints(p.get('tier'), D.tiers.length);
    var g = p.get('group');
    s.group = g !== null && ints(g, D.groups.length).length ? String(ints(g, D.groups.length)[0]) : '';
    s.src = ints(p.get('src'), NSRC);
    s.mode = p.get('mode') === 's' ? 's' : 'p';
    s.cc = Math.min(5, Math.max(0, parseInt(p.get('cc'), 10) || 0));
    s.min = num(p.get('min'));
    s.max = num(p.get('max'));
    var cols = p.get('cols');
    s.cols = validCols(cols !== null ? cols : storedCols());
    var sort = p.get('sort');
    s.sort = ['symbol', 'hgnc', 'name', 'score', 'tier', 'group', 'sources', 'classic'].indexOf(sort) >= 0 ||
      s.cols.indexOf(sort) >= 0 ? sort : 'score';
    s.dir = p.get('dir') === 'asc' ? 'asc' : (p.get('dir') === 'desc' ? 'desc' : defaultDir(s.sort));
    s.page = Math.max(1, parseInt(p.get('page'), 10) || 1);
    var size = parseInt(p.get('size'), 10);
    s.size = SIZES.indexOf(size) >= 0 ? size : 50;
    return s;
  }

  function defaultDir(key) {
    if (OPT[key]) { return OPT[key].dir; }
    return TEXT_KEYS[key] || key === 'hgnc' ? 'asc' : 'desc';
  }

  function hashOf(s) {
    var p = new URLSearchParams();
    if (s.q) { p.set('q', s.q); }
    if (s.tier.length) { p.set('tier', s.tier.join(',')); }
    if (s.group !== '') { p.set('group', s.group); }
    if (s.src.length) { p.set('src', s.src.join(',')); }
    if (s.src.length && s.mode !== 'p') { p.set('mode', s.mode); }
    if (s.cc) { p.set('cc', String(s.cc)); }
    if (s.min !== '') { p.set('min', s.min); }
    if (s.max !== '') { p.set('max', s.max); }
    if (s.sort !== 'score' || s.dir !== 'desc') { p.set('sort', s.sort); p.set('dir', s.dir); }
    if (s.page > 1) { p.set('page', String(s.page)); }
    if (s.size !== 50) { p.set('size', String(s.size)); }
    if (s.cols.length) { p.set('cols', s.cols.join(',')); }
    return p.toString();
  }

  function writeHash() {
    var h = hashOf(state);
    var url = location.href.replace(/#.*$/, '') + (h ? '#' + h : '');
    if (url === location.href) { return; }
    try {
      history.replaceState(null, '', url);
    } catch (e) {
      location.hash = h; // some browsers refuse replaceState for file:// pages
    }
  }

  // Search rank: 0 exact symbol, 1 exact HGNC ID, 2 exact alias or previous symbol,
  // 3 symbol starts with the query, 4 the query occurs anywhere; -1 no match.
  function rank(i, q) {
    var k = K[i];
    if (k.sym === q) { return 0; }
    if (k.id === q || 'hgnc:' + q === k.id) { return 1; }
    if (k.others.indexOf(q) >= 0) { return 2; }
    if (k.sym.indexOf(q) === 0) { return 3; }
    return k.all.indexOf(q) >= 0 ? 4 : -1;
  }

  function sortValue(r, key, i) {
    if (OPT[key]) {
      var v = annValue(key, i);
      return v !== null && OPT[key].text ? lower(OPT[key].fmt(v)) : v;
    }
    switch (key) {
      case 'symbol': return lower(r[SYM]);
      case 'hgnc': return r[HGNC];
      case 'name': return lower(r[NAME]);
      case 'score': return r[SCORE];
      case 'tier': return -r[TIER];   // descending = best tier first
      case 'group': return -r[GROUP];
      case 'sources': return r[SC];
      case 'classic': return r[CC];
    }
    return 0;
  }

  function select() {
    var q = lower(state.q.trim());
    var tiers = {}, i;
    state.tier.forEach(function (t) { tiers[t] = 1; });
    var need = 0;
    state.src.forEach(function (s) { need |= 1 << s; });
    var maskCol = state.mode === 's' ? SUP : PRES;
    var min = state.min === '' ? -1 : Math.round(Number(state.min) * 100);
    var max = state.max === '' ? 1e9 : Math.round(Number(state.max) * 100);
    var group = state.group === '' ? -1 : Number(state.group);
    var out = [];
    for (i = 0; i < G.length; i++) {
      var r = G[i];
      if (state.tier.length && !tiers[r[TIER]]) { continue; }
      if (group >= 0 && r[GROUP] !== group) { continue; }
      if ((r[maskCol] & need) !== need) { continue; }
      if (r[CC] < state.cc) { continue; }
      if (r[SCORE] < min || r[SCORE] > max) { continue; }
      var rk = q ? rank(i, q) : 3;
      if (rk < 0) { continue; }
      out.push({ i: i, exact: rk <= 2 ? rk : 3 });
    }
    var key = state.sort, sign = state.dir === 'asc' ? 1 : -1;
    out.sort(function (a, b) {
      if (a.exact !== b.exact) { return a.exact - b.exact; }
      var ra = G[a.i], rb = G[b.i];
      var va = sortValue(ra, key, a.i), vb = sortValue(rb, key, b.i);
      // Genes without a value come last, whichever the direction.
      if (va === null && vb !== null) { return 1; }
      if (vb === null && va !== null) { return -1; }
      if (va < vb) { return -sign; }
      if (va > vb) { return sign; }
      if (ra[SCORE] !== rb[SCORE]) { return rb[SCORE] - ra[SCORE]; }
      return ra[SYM] < rb[SYM] ? -1 : (ra[SYM] > rb[SYM] ? 1 : 0);
    });
    return out;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  var TIER_MARK = ['★★★', '★★', '★', '◆', '◇', '–'];

  function row(r, i) {
    var tr = document.createElement('tr');
    var th = el('th');
    th.scope = 'row';
    var a = el('a', 'sym', r[SYM]);
    a.href = 'genes/HGNC_' + r[HGNC] + '.html';
    th.appendChild(a);
    tr.appendChild(th);
    tr.appendChild(el('td', 'id', 'HGNC:' + r[HGNC]));
    tr.appendChild(el('td', 'wide name', r[NAME]));
    tr.appendChild(el('td', 'num', (r[SCORE] / 100).toFixed(1)));
    var td = el('td');
    var badge = el('span', 'tier t' + r[TIER]);
    var mark = el('span', 'mark', TIER_MARK[r[TIER]] || '');
    mark.setAttribute('aria-hidden', 'true');
    badge.appendChild(mark);
    badge.appendChild(document.createTextNode(' ' + (D.tiers[r[TIER]] ? D.tiers[r[TIER]][1] : '')));
    td.appendChild(badge);
    tr.appendChild(td);
    tr.appendChild(el('td', 'wide', D.groups[r[GROUP]] ? D.groups[r[GROUP]][1] : ''));
    td = el('td', 'srcs');
    td.appendChild(el('span', 'count', r[SC] + '/' + NSRC));
    var names = [];
    for (var s = 0; s < NSRC; s++) {
      var bit = 1 << s;
      if (r[PRES] & bit || r[SUP] & bit) {
        var sup = (r[SUP] & bit) !== 0;
        var chip = el('span', 'chip ' + (sup ? 's' : 'p'), D.src[s][2]);
        chip.title = D.src[s][1] + (sup ? ': supports' : ': evidence, not counted');
        chip.setAttribute('aria-hidden', 'true');
        td.appendChild(chip);
        names.push(D.src[s][1] + (sup ? '' : ' (not counted)'));
      }
    }
    td.appendChild(el('span', 'sr-only', names.length ? ' sources: ' + names.join(', ') : ' no sources'));
    tr.appendChild(td);
    tr.appendChild(el('td', 'num', String(r[CC])));
    state.cols.forEach(function (k) {
      var v = annValue(k, i);
      var td = el('td', OPT[k].text ? 'opt' : 'num opt', v !== null ? OPT[k].fmt(v) : (ANN ? '—' : '…'));
      if (v === null && ANN) { td.title = 'no data'; }
      tr.appendChild(td);
    });
    return tr;
  }

  function fmt(n) { return n.toLocaleString('en-US'); }

  function render() {
    needAnn();
    var rows = select();
    var pages = Math.max(1, Math.ceil(rows.length / state.size));
    if (state.page > pages) { state.page = pages; }
    var start = (state.page - 1) * state.size;
    var slice = rows.slice(start, start + state.size);
    var tbody = table.tBodies[0];
    var frag = document.createDocumentFragment();
    slice.forEach(function (x) { frag.appendChild(row(G[x.i], x.i)); });
    tbody.textContent = '';
    tbody.appendChild(frag);
    if (!rows.length) {
      var tr = el('tr'), td = el('td', 'empty', 'No gene matches these filters.');
      td.colSpan = 8 + state.cols.length;
      tr.appendChild(td);
      tbody.appendChild(tr);
    }
    status.textContent = rows.length
      ? 'Showing ' + fmt(start + 1) + '–' + fmt(start + slice.length) + ' of ' + fmt(rows.length) +
        ' genes' + (rows.length < G.length ? ' (filtered from ' + fmt(G.length) + ')' : '')
      : 'No gene matches (' + fmt(G.length) + ' genes in total).';
    $('pageinfo').textContent = 'Page ' + state.page + ' of ' + pages;
    var active = state.tier.length + state.src.length + (state.group !== '' ? 1 : 0) +
      (state.cc ? 1 : 0) + (state.min !== '' ? 1 : 0) + (state.max !== '' ? 1 : 0);
    $('active').textContent = active ? '(' + active + ' active)' : '';
    $('prev').disabled = state.page <= 1;
    $('next').disabled = state.page >= pages;
    var ths = table.tHead.rows[0].cells;
    for (var i = 0; i < ths.length; i++) {
      var k = ths[i].getAttribute('data-key');
      if (ths[i].getAttribute('data-opt')) { ths[i].hidden = state.cols.indexOf(k) < 0; }
      ths[i].setAttribute('aria-sort', k === state.sort ? (state.dir === 'asc' ? 'ascending' : 'descending') : 'none');
    }
    writeHash();
  }

  // Controls <-> state.
  function boxes(name) {
    return Array.prototype.slice.call(document.querySelectorAll('#filters input[name="' + name + '"]'));
  }
  function toControls() {
    $('q').value = state.q;
    boxes('tier').forEach(function (b) { b.checked = state.tier.indexOf(Number(b.value)) >= 0; });
    boxes('src').forEach(function (b) { b.checked = state.src.indexOf(Number(b.value)) >= 0; });
    $('srcmode').value = state.mode;
    $('group').value = state.group;
    $('cc').value = String(state.cc);
    $('min').value = state.min;
    $('max').value = state.max;
    $('size').value = String(state.size);
    colBoxes().forEach(function (b) { b.checked = state.cols.indexOf(b.value) >= 0; });
  }
  function fromControls() {
    state.q = $('q').value;
    state.tier = boxes('tier').filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); });
    state.src = boxes('src').filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); });
    state.mode = $('srcmode').value === 's' ? 's' : 'p';
    state.group = $('group').value;
    state.cc = parseInt($('cc').value, 10) || 0;
    state.min = num($('min').value);
    state.max = num($('max').value);
    state.page = 1;
  }

  var form = $('filters');
  form.addEventListener('input', function () { fromControls(); render(); });
  form.addEventListener('change', function () { fromControls(); render(); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  $('reset').addEventListener('click', function () {
    var size = state.size, cols = state.cols;
    state = copy(DEFAULTS);
    state.size = size;
    state.cols = cols;
    toControls();
    render();
    $('q').focus();
  });
  var optcols = $('optcols');
  if (optcols) {
    optcols.addEventListener('change', function () {
      var on = colBoxes().filter(function (b) { return b.checked; }).map(function (b) { return b.value; });
      state.cols = OPT_KEYS.filter(function (k) { return on.indexOf(k) >= 0; });
      storeCols(state.cols);
      if (OPT[state.sort] && state.cols.indexOf(state.sort) < 0) { state.sort = 'score'; state.dir = 'desc'; }
      render();
    });
  }
  $('size').addEventListener('change', function () {
    state.size = Number($('size').value) || 50;
    state.page = 1;
    render();
  });
  $('prev').addEventListener('click', function () { if (state.page > 1) { state.page--; render(); } });
  $('next').addEventListener('click', function () { state.page++; render(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var key = th.getAttribute('data-key');
    th.querySelector('button').addEventListener('click', function () {
      if (state.sort === key) {
        state.dir = state.dir === 'asc' ? 'desc' : 'asc';
      } else {
        state.sort = key;
        state.dir = defaultDir(key);
      }
      state.page = 1;
      render();
    });
  });
  window.addEventListener('hashchange', function () {
    state = readHash();
    toControls();
    render();
  });

  // The filters start folded in the HTML (a phone sees the table first, with no layout
  // shift); wider screens show them through CSS (::details-content). Browsers without that
  // selector get them opened here.
  var wide = window.matchMedia && window.matchMedia('(min-width: 40.01rem)').matches;
  var cssOpens = window.CSS && CSS.supports && CSS.supports('selector(::details-content)');
  if (wide && !cssOpens) {
    $('filters-box').open = true;
  }
  state = readHash();
  toControls();
  render();
}());
