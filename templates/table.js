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

  // Identifiers and lists. The other identifiers of each gene (NCBI Gene, Ensembl, UniProt,
  // OMIM) are in ids.js, loaded only when a query looks like one of them or is a list, so
  // the keystroke path of a plain search does not pay for them.
  var IDS = null, idsLoading = false, IX = null, IDX = null;
  var ID_LIKE = /^(\d+|ensg\d+(\.\d+)?|(ncbigene|geneid|entrez|omim|mim):\s*\d+|[opq][0-9][a-z0-9]{3}[0-9]|[a-nr-z][0-9]([a-z][a-z0-9]{2}[0-9]){1,2})$/;
  // A key's genes: one index (most keys), or an array of them (few): fewer small objects.
  function push(m, key, i) {
    if (!key) { return; }
    var l = m[key];
    if (l === undefined) { m[key] = i; } else if (typeof l === 'number') { if (l !== i) { m[key] = [l, i]; } } else if (l[l.length - 1] !== i) { l.push(i); }
  }
  // Symbols, previous symbols, aliases and HGNC numbers -> gene indices (built at the first
  // list or identifier query).
  function index() {
    if (IX) { return IX; }
    IX = { sym: Object.create(null), prev: Object.create(null), alias: Object.create(null),
      hgnc: Object.create(null) };
    for (var i = 0; i < G.length; i++) {
      push(IX.sym, K[i].sym, i);
      push(IX.hgnc, String(G[i][HGNC]), i);
      splitList(G[i][PREV]).forEach(function (p) { push(IX.prev, p, i); });
      splitList(G[i][ALIAS]).forEach(function (a) { push(IX.alias, a, i); });
    }
    return IX;
  }
  function idIndex() {
    if (IDX || !IDS) { return IDX; }
    IDX = { entrez: Object.create(null), ensembl: Object.create(null),
      uniprot: Object.create(null), omim: Object.create(null) };
    IDS.g.forEach(function (r, i) {
      push(IDX.entrez, r[0], i);
      push(IDX.ensembl, lower(r[1]), i);
      splitList(r[2]).forEach(function (u) { push(IDX.uniprot, u, i); });
      splitList(r[3]).forEach(function (o) { push(IDX.omim, o, i); });
    });
    return IDX;
  }
  function needIds() {
    if (IDS || idsLoading) { return; }
    if (window.KGDB_IDS) { IDS = window.KGDB_IDS; return; }
    idsLoading = true;
    var s = document.createElement('script');
    s.src = 'ids.js';
    s.onload = function () {
      if (window.KGDB_IDS) { IDS = window.KGDB_IDS; parsed = null; render(); }
    };
    s.onerror = function () {
      status.textContent = 'The gene identifiers (ids.js) could not be loaded.';
    };
    document.head.appendChild(s);
  }
  // One name of a list (lower case) -> {how, genes}: the best kind of match, as `kgdb gene`
  // resolves (HGNC ID, NCBI Gene ID for a bare number, Ensembl ID, else approved symbol,
  // previous symbol, alias), plus UniProt accessions and OMIM numbers from HGNC.
  function resolve(t) {
    var ix = index(), ids = idIndex(), m;
    function hit(how, l) { return l === undefined ? null : { how: how, genes: typeof l === 'number' ? [l] : l }; }
    if ((m = /^hgnc:\s*(\d+)$/.exec(t))) { return hit('HGNC ID', ix.hgnc[m[1]]); }
    if ((m = /^(ensg\d+)(\.\d+)?$/.exec(t))) { return ids && hit('Ensembl ID', ids.ensembl[m[1]]); }
    if ((m = /^(?:ncbigene|geneid|entrez):\s*(\d+)$/.exec(t))) { return ids && hit('NCBI Gene ID', ids.entrez[m[1]]); }
    if ((m = /^(?:omim|mim):\s*(\d+)$/.exec(t))) { return ids && hit('OMIM number', ids.omim[m[1]]); }
    if (/^\d+$/.test(t)) {
      return ids && (hit('NCBI Gene ID', ids.entrez[t]) || hit('OMIM number', ids.omim[t]));
    }
    return hit('symbol', ix.sym[t]) || hit('previous symbol', ix.prev[t]) ||
      hit('alias', ix.alias[t]) || (ids && hit('UniProt accession', ids.uniprot[t])) || null;
  }
  // The query, parsed once per distinct text: a plain search (`text`, with the genes an
  // identifier names in `ids`) or a list (several names, separated by spaces, commas,
  // semicolons or line breaks, when the whole text is not found as such in any gene).
  var parsed = null;
  function textHit(q) {
    for (var i = 0; i < K.length; i++) { if (K[i].all.indexOf(q) >= 0) { return true; } }
    return false;
  }
  function parse(raw) {
    if (parsed && parsed.raw === raw) { return parsed; }
    var q = lower(raw.trim());
    var names = q.split(/[\s,;]+/).filter(function (t) { return t !== ''; });
    var p = { raw: raw, text: q, list: null, ids: null };
    if (names.length === 1) { p.text = names[0]; }
    if (names.length > 1 && !textHit(q)) {
      if (!IDS) { needIds(); }
      p.list = resolveList(raw, names);
    } else if (p.text && ID_LIKE.test(p.text)) {
      if (!IDS) { needIds(); }
      var r = resolve(p.text);
      if (r) { p.ids = new Uint8Array(G.length); r.genes.forEach(function (i) { p.ids[i] = 1; }); }
    }
    parsed = p;
    return p;
  }
  function resolveList(raw, names) {
    // Typed arrays, not objects, for the genes: the filter loop reads them for every gene.
    var seen = Object.create(null), genes = new Uint8Array(G.length);
    var out = { n: 0, genes: genes, count: 0, missing: [], several: [], pending: !IDS };
    var orig = raw.trim().split(/[\s,;]+/).filter(function (t) { return t !== ''; });
    names.forEach(function (t, k) {
      if (seen[t]) { return; }
      seen[t] = 1;
      out.n++;
      var r = resolve(t);
      if (!r) { out.missing.push(orig[k]); return; }
      if (r.genes.length > 1) {
        out.several.push({ name: orig[k], how: r.how, genes: r.genes });
        return;
      }
      if (!genes[r.genes[0]]) { genes[r.genes[0]] = 1; out.count++; }
    });
    return out;
  }
  function listNote(l) {
    if (!l) { return ''; }
    var s = fmt(l.n) + ' names matched ' + fmt(l.count) + ' genes.';
    if (l.pending) { return s + ' Looking up identifiers…'; }
    if (l.missing.length) {
      s += ' No gene in this table for ' + fmt(l.missing.length) + ': ' + l.missing.join(', ') + '.';
    }
    if (l.several.length) {
      s += ' Several genes for ' + fmt(l.several.length) + ': ' + l.several.map(function (x) {
        return x.name + ' (' + x.how + ': ' + x.genes.map(function (i) { return G[i][SYM]; }).join(', ') + ')';
      }).join('; ') + '.';
    }
    return s;
  }

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
    var z = p.get('qz');
    if (z && !s.q) { unzipQuery(z); }
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
    if (s.q && zipped.q === s.q && zipped.z) {
      p.set('qz', zipped.z);
    } else if (s.q && (s.q.length <= LONG || !window.CompressionStream)) {
      p.set('q', s.q);
    }
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

  // A long query (a pasted list) is kept in the URL compressed: deflate-raw, base64url, as
  // `qz=`. Compression is asynchronous: the address is written again once it is done, and
  // not at all while a compressed query from the address is still being read.
  var LONG = 200, zipped = { q: null, z: null }, unzipping = false;
  function b64url(bytes) {
    var bin = '';
    for (var i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  function unb64url(s) {
    var bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out;
  }
  function through(stream, bytes) {
    var w = stream.writable.getWriter();
    w.write(bytes);
    w.close();
    return new Response(stream.readable).arrayBuffer().then(function (b) { return new Uint8Array(b); });
  }
  function zipQuery(q) {
    if (zipped.q === q || !window.CompressionStream) { return; }
    zipped = { q: q, z: null };
    through(new CompressionStream('deflate-raw'), new TextEncoder().encode(q)).then(function (b) {
      if (zipped.q !== q) { return; }
      zipped.z = b64url(b);
      writeHash();
    });
  }
  function unzipQuery(z) {
    if (!window.DecompressionStream) {
      status.textContent = 'This browser cannot read the compressed gene list in the address.';
      return;
    }
    unzipping = true;
    var bytes;
    try { bytes = unb64url(z); } catch (e) { unzipping = false; return; }
    through(new DecompressionStream('deflate-raw'), bytes).then(function (b) {
      var q = new TextDecoder().decode(b);
      unzipping = false;
      zipped = { q: q, z: z };
      state.q = q;
      toControls();
      render();
    }, function () {
      unzipping = false;
      status.textContent = 'The gene list in the address could not be read.';
    });
  }

  function writeHash() {
    if (unzipping) { return; }
    if (state.q.length > LONG) { zipQuery(state.q); }
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
    var p = parse(state.q);
    var q = p.list ? '' : p.text, list = p.list ? p.list.genes : null, idHits = p.ids;
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
      if (list && !list[i]) { continue; }
      var rk = idHits && idHits[i] ? 1 : (q ? rank(i, q) : 3);
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
    var note = listNote(parse(state.q).list);
    $('listnote').textContent = note;
    $('listnote').hidden = !note;
    view = rows;
    $('pageinfo').textContent = 'Page ' + state.page + ' of ' + pages;
    // The network page takes the filtered genes (HGNC numbers) from its address.
    var net = $('to-network');
    if (net) {
      net.href = 'network.html' + (rows.length && rows.length < G.length
        ? '#genes=' + rows.map(function (x) { return G[x.i][HGNC]; }).join(',') : '');
    }
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

  // Taking the view away: the genes the table shows (all pages), as genes.csv's columns in
  // CSV or TSV, as a BED file of their reference transcript spans, or as a list of symbols.
  // The rows and spans come from export.js, loaded at the first export.
  var view = [], EXP = null, expLoading = [];
  function withExport(then) {
    if (EXP || window.KGDB_EXPORT) { EXP = EXP || window.KGDB_EXPORT; then(); return; }
    expLoading.push(then);
    if (expLoading.length > 1) { return; }
    var s = document.createElement('script');
    s.src = 'export.js';
    s.onload = function () {
      EXP = window.KGDB_EXPORT;
      var todo = expLoading;
      expLoading = [];
      if (EXP) { todo.forEach(function (f) { f(); }); }
    };
    s.onerror = function () {
      expLoading = [];
      say('The export data (export.js) could not be loaded.');
    };
    document.head.appendChild(s);
  }
  function say(text) { $('exportnote').textContent = text; }
  function labels(list, all) { return list.map(function (i) { return all[i] ? all[i][1] : ''; }); }
  // The view in words (a file's header line) and as a short file-name part.
  function describe() {
    var words = [], slug = [], p = parse(state.q);
    if (p.list) {
      words.push('list of ' + p.list.n + ' names');
      slug.push('list-' + p.list.n);
    } else if (p.text) {
      words.push('search "' + state.q.trim() + '"');
      slug.push('search-' + p.text);
    }
    if (state.tier.length) {
      words.push('tier: ' + labels(state.tier, D.tiers).join(' or '));
      slug.push('tier-' + state.tier.map(function (t) { return D.tiers[t][0]; }).join('-'));
    }
    if (state.group !== '') {
      words.push('group: ' + D.groups[Number(state.group)][1]);
      slug.push(D.groups[Number(state.group)][0]);
    }
    if (state.src.length) {
      words.push((state.mode === 's' ? 'supported by: ' : 'evidence in: ') + labels(state.src, D.src).join(' and '));
      slug.push('src-' + state.src.map(function (i) { return D.src[i][0]; }).join('-'));
    }
    if (state.cc) { words.push('classic count ≥ ' + state.cc); slug.push('classic' + state.cc); }
    if (state.min !== '' || state.max !== '') {
      words.push('score ' + (state.min || '0') + '–' + (state.max || '100'));
      slug.push('score-' + (state.min || '0') + '-' + (state.max || '100'));
    }
    var name = slug.join('_').toLowerCase().replace(/[^a-z0-9_]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
    return { words: words.length ? words.join('; ') : 'all genes', slug: name || 'all-genes' };
  }
  function header(d, what) {
    return '# kgdb release ' + D.release + '; view: ' + d.words + '; ' + fmt(view.length) +
      ' genes; ' + what + '\n';
  }
  function csvField(f) {
    return /[",\n\r]/.test(f) ? '"' + f.replace(/"/g, '""') + '"' : f;
  }
  function tsvField(f) { return f.replace(/[\t\n\r]/g, ' '); }
  function save(text, ext, type) {
    var d = describe();
    var a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: type }));
    a.download = 'kgdb-' + D.release + '-' + d.slug + '.' + ext;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    say('Saved ' + a.download + ' (' + fmt(view.length) + ' genes).');
  }
  function delimitedFile(sep) {
    withExport(function () {
      var field = sep === ',' ? csvField : tsvField;
      var lines = [header(describe(), 'columns of downloads/genes.' + (sep === ',' ? 'csv' : 'tsv')),
        EXP.header.map(field).join(sep) + '\n'];
      view.forEach(function (x) { lines.push(EXP.rows[x.i].map(field).join(sep) + '\n'); });
      save(lines.join(''), sep === ',' ? 'csv' : 'tsv',
        sep === ',' ? 'text/csv;charset=utf-8' : 'text/tab-separated-values;charset=utf-8');
    });
  }
  var CHROMS = {};
  ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11', '12', '13', '14', '15', '16', '17', '18',
    '19', '20', '21', '22', 'X', 'Y', 'M'].forEach(function (c, k) { CHROMS['chr' + c] = k; });
  function bed() {
    withExport(function () {
      var sp = EXP.span;
      if (!sp) { say('This build has no transcript spans to export.'); return; }
      var pad = sp.padding || 0, spans = [], none = [];
      view.forEach(function (x) {
        var s = sp.g[x.i];
        if (s) { spans.push([s[0], Math.max(0, s[1] - 1 - pad), s[2] + pad, G[x.i][SYM], s[3] || '.']); } else { none.push(G[x.i][SYM]); }
      });
      spans.sort(function (a, b) {
        var ca = CHROMS[a[0]], cb = CHROMS[b[0]];
        return ca !== cb ? ca - cb : (a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : 1));
      });
      var out = header(describe(), 'BED6');
      out += '# ' + sp.label + (sp.version ? ' ' + sp.version : '') + ' on GRCh38; 0-based starts, ends inclusive-exclusive; padding ' +
        pad + ' bp on each side\n';
      out += '# genes without a span (' + none.length + '): ' + (none.length ? none.join(', ') : 'none') + '\n';
      spans.forEach(function (b) { out += b[0] + '\t' + b[1] + '\t' + b[2] + '\t' + b[3] + '\t0\t' + b[4] + '\n'; });
      save(out, 'bed', 'text/plain;charset=utf-8');
    });
  }
  function copySymbols() {
    var text = view.map(function (x) { return G[x.i][SYM]; }).join('\n');
    var done = function () { say('Copied ' + fmt(view.length) + ' symbols to the clipboard.'); };
    var fallback = function () {
      var t = el('textarea', 'sr-only');
      t.value = text;
      document.body.appendChild(t);
      t.select();
      var ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      t.remove();
      if (ok) { done(); } else { say('The browser did not allow copying.'); }
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
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

  $('dl-csv').addEventListener('click', function () { delimitedFile(','); });
  $('dl-tsv').addEventListener('click', function () { delimitedFile('\t'); });
  $('dl-bed').addEventListener('click', bed);
  $('copy-syms').addEventListener('click', copySymbols);
  // Line breaks and tabs in a pasted list would be dropped by the one-line search box: they
  // are pasted as commas.
  $('q').addEventListener('paste', function (e) {
    var text = e.clipboardData && e.clipboardData.getData('text');
    if (!text || !/[\r\n\t]/.test(text)) { return; }
    e.preventDefault();
    var box = $('q');
    box.setRangeText(text.trim().replace(/\s*[\r\n\t]+\s*/g, ', '), box.selectionStart, box.selectionEnd, 'end');
    box.dispatchEvent(new Event('input', { bubbles: true }));
  });

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
