/* kgdb network page: draws window.KGDB_NETWORK (network/network-data.js, written at build
   time with its layout, clusters and enrichment) on a canvas; pan/zoom, colour, filter, find
   a gene and its neighbours, open a cluster. A pasted gene list (resolved with window.KGDB
   from data.js, loaded on demand) gets its subnetwork, Louvain clusters and HPO/GO enrichment
   computed here, with the gene-set libraries (network/genesets-*.js) loaded only when asked.
   No framework, no network request beyond this site's own files: works from file://. */
(function () {
  'use strict';
  var NET = window.KGDB_NETWORK;
  function $(id) { return document.getElementById(id); }
  var canvas = $('net');
  var statusEl = $('net-status');
  if (!NET || !canvas || !canvas.getContext) {
    if (statusEl) { statusEl.textContent = 'The network data (network/network-data.js) could not be loaded.'; }
    return;
  }
  var ctx = canvas.getContext('2d');
  var ND = NET.nodes;
  var NN = ND.hgnc.length;
  var X = new Float64Array(NN), Y = new Float64Array(NN);
  var byHgnc = {}, bySymbol = {};
  var i;
  for (i = 0; i < NN; i++) {
    X[i] = ND.x[i];
    Y[i] = ND.y[i];
    byHgnc[ND.hgnc[i]] = i;
    bySymbol[String(ND.symbol[i]).toUpperCase()] = i;
  }
  // Labels of the data's category names (tiers, groups, classes), from the page.
  var LABELS = {};
  try { LABELS = JSON.parse($('net-labels').getAttribute('data-labels')) || {}; } catch (e) { LABELS = {}; }
  function label(name) {
    if (name === null || name === undefined) { return ''; }
    if (LABELS[name]) { return LABELS[name]; }
    var s = String(name).replace(/_/g, ' ');
    return s.charAt(0).toUpperCase() + s.slice(1);
  }
  var fmt = new Intl.NumberFormat('en-US');
  function nf(n) { return fmt.format(n); }

  // ---------------------------------------------------------------- small DOM helpers
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }
  function geneLink(idx) {
    var a = el('a', 'sym', ND.symbol[idx]);
    a.href = 'genes/HGNC_' + ND.hgnc[idx] + '.html';
    return a;
  }
  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  // ---------------------------------------------------------------- graphs
  // A graph is the drawn set: the whole kidney network, or a pasted list's subnetwork.
  // nodes: full-network indices; edges: flat pairs of full indices; cl: cluster per full index
  // (-1 = none); clusters: [{id, size, nodes, label, enrichment}].
  function makeGraph(nodes, edges, cl, clusters, sub) {
    var inSet = new Uint8Array(NN), deg = new Int32Array(NN);
    nodes.forEach(function (v) { inSet[v] = 1; });
    for (var e = 0; e < edges.length; e += 2) { deg[edges[e]]++; deg[edges[e + 1]]++; }
    // Adjacency (CSR over full indices).
    var off = new Int32Array(NN + 1);
    for (var v = 0; v < NN; v++) { off[v + 1] = off[v] + deg[v]; }
    var nb = new Int32Array(edges.length), fill = off.slice(0, NN);
    for (e = 0; e < edges.length; e += 2) {
      nb[fill[edges[e]]++] = edges[e + 1];
      nb[fill[edges[e + 1]]++] = edges[e];
    }
    return { nodes: nodes, edges: edges, inSet: inSet, deg: deg, off: off, nb: nb, cl: cl,
      clusters: clusters, sub: sub };
  }
  var fullCl = new Int32Array(NN);
  for (i = 0; i < NN; i++) { fullCl[i] = ND.cluster[i] === null || ND.cluster[i] === undefined ? -1 : ND.cluster[i]; }
  var clusterPos = {};
  NET.clusters.forEach(function (c, k) { clusterPos[c.id] = k; });
  var allNodes = [];
  for (i = 0; i < NN; i++) { allNodes.push(i); }
  var FULL = makeGraph(allNodes, NET.edges, fullCl, NET.clusters, false);
  var cur = FULL;

  // ---------------------------------------------------------------- state and colours
  var TIERS = NET.tiers || [];
  var state = { color: 'cluster', tiers: null, min: '', q: '', hops: 1, cluster: null, genes: '' };
  var PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#b8a200',
    '#332288', '#882255', '#44aa99', '#999933', '#aa4499', '#117733', '#6699cc', '#88ccee',
    '#ddcc77', '#661100', '#cc6677', '#4b0092', '#1a85ff'];
  var NONE = '#aeb6bf';
  var COLOR_KEYS = {
    clinical_group: { list: NET.clinical_groups || [], values: ND.clinical_group, none: 'No clinical group' },
    onset_group: { list: NET.onset_groups || [], values: ND.onset_group, none: 'No onset group' },
    syndromic: { list: NET.syndromic_classes || [], values: ND.syndromic, none: 'Not assessed' }
  };
  // Colour index per node for the current colouring (-1 = grey), and the legend entries.
  var colorIdx = new Int32Array(NN), legendItems = [];
  function computeColors() {
    legendItems = [];
    var counts, k;
    if (state.color === 'cluster') {
      // The 20 largest clusters get a colour each (clusters are listed largest first).
      var rank = {};
      cur.clusters.forEach(function (c, r) { rank[c.id] = r; });
      for (var v = 0; v < NN; v++) {
        var r = cur.cl[v] >= 0 ? rank[cur.cl[v]] : -1;
        colorIdx[v] = r !== undefined && r >= 0 && r < PALETTE.length ? r : -1;
      }
      cur.clusters.slice(0, PALETTE.length).forEach(function (c, r) {
        legendItems.push({ color: PALETTE[r], label: clusterName(c), count: c.size });
      });
      var rest = cur.clusters.length - PALETTE.length;
      if (rest > 0) { legendItems.push({ color: NONE, label: nf(rest) + ' smaller clusters', count: null }); }
      if (cur.nodes.some(function (x) { return cur.cl[x] < 0; })) {
        legendItems.push({ color: NONE, label: 'in no cluster', count: cur.nodes.filter(function (x) { return cur.cl[x] < 0; }).length });
      }
      return;
    }
    var key = COLOR_KEYS[state.color];
    counts = key.list.map(function () { return 0; });
    var none = 0;
    cur.nodes.forEach(function (v) {
      var c = key.values[v];
      if (c === null || c === undefined || c < 0 || c >= key.list.length) { colorIdx[v] = -1; none++; } else { colorIdx[v] = c; counts[c]++; }
    });
    for (k = 0; k < key.list.length; k++) {
      legendItems.push({ color: PALETTE[k % PALETTE.length], label: label(key.list[k]), count: counts[k] });
    }
    legendItems.push({ color: NONE, label: key.none, count: none });
  }
  function colorOf(v) { var c = colorIdx[v]; return c < 0 ? NONE : PALETTE[c]; }
  function clusterName(c) { return 'Cluster ' + c.id + (c.label ? ' · ' + c.label : ''); }

  // Visibility from the tier and score filters.
  var vis = new Uint8Array(NN);
  function computeVisible() {
    var min = state.min === '' ? -Infinity : Number(state.min);
    for (var v = 0; v < NN; v++) {
      var ok = cur.inSet[v] === 1 && ND.score[v] >= min;
      if (ok && state.tiers) {
        var t = ND.tier[v];
        ok = t !== null && t !== undefined && state.tiers.indexOf(t) >= 0;
      }
      vis[v] = ok ? 1 : 0;
    }
  }

  // Highlight: a set of full indices (a gene's neighbourhood or a cluster), and its focus.
  var hl = null, hlFocus = -1, hlEdges = true;

  // ---------------------------------------------------------------- view (pan/zoom)
  var view = { k: 1, x: 0, y: 0 }, cssW = 0, cssH = 0, dpr = 1;
  function resize() {
    var r = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    cssW = Math.max(1, r.width);
    cssH = Math.max(1, r.height);
    canvas.width = Math.round(cssW * dpr);
    canvas.height = Math.round(cssH * dpr);
  }
  function fit(list) {
    var minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    list.forEach(function (v) {
      if (X[v] < minX) { minX = X[v]; }
      if (X[v] > maxX) { maxX = X[v]; }
      if (Y[v] < minY) { minY = Y[v]; }
      if (Y[v] > maxY) { maxY = Y[v]; }
    });
    if (!isFinite(minX)) { view = { k: 1, x: cssW / 2, y: cssH / 2 }; return; }
    var w = Math.max(maxX - minX, 1e-9), h = Math.max(maxY - minY, 1e-9);
    var k = Math.min((cssW - 40) / w, (cssH - 40) / h);
    if (list.length === 1 || !isFinite(k)) { k = view.k > 0 ? Math.max(view.k, 1) : 1; }
    if (fitted) { k = Math.min(k, baseK * 12); }
    view.k = k;
    view.x = cssW / 2 - k * (minX + maxX) / 2;
    view.y = cssH / 2 - k * (minY + maxY) / 2;
  }
  var baseK = 1, fitted = false;
  function zoomAt(factor, px, py) {
    var k = Math.min(Math.max(view.k * factor, baseK / 4), baseK * 60);
    factor = k / view.k;
    view.x = px - (px - view.x) * factor;
    view.y = py - (py - view.y) * factor;
    view.k = k;
  }

  // ---------------------------------------------------------------- drawing
  // Genes are drawn larger in small graphs (a pasted list) and as one zooms in.
  function radius() {
    var n = cur.nodes.length, base = n <= 60 ? 6 : (n <= 400 ? 4 : 2.2);
    return Math.max(2, Math.min(10, base * Math.sqrt(view.k / baseK)));
  }
  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    var k = view.k, tx = view.x, ty = view.y, e, a, b, E = cur.edges;
    var dim = hl !== null;
    // Edges, one path.
    ctx.lineWidth = 0.6;
    ctx.strokeStyle = dim ? 'rgba(110,119,129,0.12)' : 'rgba(87,96,106,0.35)';
    ctx.beginPath();
    for (e = 0; e < E.length; e += 2) {
      a = E[e]; b = E[e + 1];
      if (!vis[a] || !vis[b]) { continue; }
      ctx.moveTo(X[a] * k + tx, Y[a] * k + ty);
      ctx.lineTo(X[b] * k + tx, Y[b] * k + ty);
    }
    ctx.stroke();
    // Nodes, one path per colour.
    var r = radius(), buckets = {}, v, n, sx, sy;
    var nodes = cur.nodes;
    for (n = 0; n < nodes.length; n++) {
      v = nodes[n];
      if (!vis[v]) { continue; }
      var c = colorOf(v);
      (buckets[c] || (buckets[c] = [])).push(v);
    }
    ctx.globalAlpha = dim ? 0.35 : 1;
    Object.keys(buckets).forEach(function (c) {
      ctx.fillStyle = c;
      ctx.beginPath();
      buckets[c].forEach(function (v) {
        var x = X[v] * k + tx, y = Y[v] * k + ty;
        if (x < -r || y < -r || x > cssW + r || y > cssH + r) { return; }
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 6.283185307179586);
      });
      ctx.fill();
    });
    ctx.globalAlpha = 1;
    if (dim) {
      // The highlighted edges and genes on top, with their labels.
      if (hlEdges) {
        ctx.lineWidth = 1.2;
        ctx.strokeStyle = 'rgba(27,31,36,0.7)';
        ctx.beginPath();
        for (e = 0; e < E.length; e += 2) {
          a = E[e]; b = E[e + 1];
          if (!hl[a] || !hl[b] || !vis[a] || !vis[b]) { continue; }
          ctx.moveTo(X[a] * k + tx, Y[a] * k + ty);
          ctx.lineTo(X[b] * k + tx, Y[b] * k + ty);
        }
        ctx.stroke();
      }
      var shown = [];
      for (n = 0; n < nodes.length; n++) {
        v = nodes[n];
        if (hl[v] && vis[v]) { shown.push(v); }
      }
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#1b1f24';
      shown.forEach(function (v) {
        ctx.fillStyle = colorOf(v);
        ctx.beginPath();
        ctx.arc(X[v] * k + tx, Y[v] * k + ty, r + 1.5, 0, 6.283185307179586);
        ctx.fill();
        ctx.stroke();
      });
      if (hlFocus >= 0 && vis[hlFocus]) {
        ctx.lineWidth = 3;
        ctx.strokeStyle = '#bf3989';
        ctx.beginPath();
        ctx.arc(X[hlFocus] * k + tx, Y[hlFocus] * k + ty, r + 5, 0, 6.283185307179586);
        ctx.stroke();
      }
      if (shown.length <= 150) { labels(shown, r); }
    } else if (k / baseK > 3) {
      // Zoomed in: label what is on screen (at most 300 genes).
      var onScreen = [];
      for (n = 0; n < nodes.length && onScreen.length <= 300; n++) {
        v = nodes[n];
        if (!vis[v]) { continue; }
        sx = X[v] * k + tx; sy = Y[v] * k + ty;
        if (sx >= 0 && sy >= 0 && sx <= cssW && sy <= cssH) { onScreen.push(v); }
      }
      if (onScreen.length <= 300) { labels(onScreen, r); }
    }
  }
  function labels(list, r) {
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.lineWidth = 3;
    ctx.strokeStyle = 'rgba(255,255,255,0.9)';
    ctx.fillStyle = '#1b1f24';
    list.forEach(function (v) {
      var x = X[v] * view.k + view.x + r + 3, y = Y[v] * view.k + view.y;
      ctx.strokeText(ND.symbol[v], x, y);
      ctx.fillText(ND.symbol[v], x, y);
    });
  }
  var frame = 0;
  function drawSoon() {
    if (frame) { return; }
    frame = requestAnimationFrame(function () { frame = 0; draw(); });
  }

  // The node under a point (CSS pixels), or -1.
  function pick(px, py) {
    var best = -1, bestD = Math.pow(Math.max(radius() + 4, 8), 2);
    for (var n = 0; n < cur.nodes.length; n++) {
      var v = cur.nodes[n];
      if (!vis[v]) { continue; }
      var dx = X[v] * view.k + view.x - px, dy = Y[v] * view.k + view.y - py, d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = v; }
    }
    return best;
  }

  // ---------------------------------------------------------------- the panels
  var legendEl = $('legend');
  function renderLegend() {
    clear(legendEl);
    legendItems.forEach(function (it) {
      var li = el('li');
      var sw = el('span', 'swatch');
      sw.style.background = it.color;
      sw.setAttribute('aria-hidden', 'true');
      li.appendChild(sw);
      li.appendChild(document.createTextNode(it.label + (it.count !== null ? ' (' + nf(it.count) + ')' : '')));
      legendEl.appendChild(li);
    });
  }

  var clustersEl = $('clusters'), detailEl = $('cluster-detail');
  function renderClusterList() {
    clear(clustersEl);
    var frag = document.createDocumentFragment();
    cur.clusters.forEach(function (c) {
      var li = el('li');
      var bt = el('button', 'linklike', clusterName(c));
      bt.type = 'button';
      bt.setAttribute('data-cluster', String(c.id));
      bt.setAttribute('aria-pressed', state.cluster === c.id ? 'true' : 'false');
      li.appendChild(bt);
      li.appendChild(el('span', 'muted small', ' ' + nf(c.size) + ' genes'));
      frag.appendChild(li);
    });
    clustersEl.appendChild(frag);
  }
  clustersEl.addEventListener('click', function (ev) {
    var bt = ev.target.closest ? ev.target.closest('button[data-cluster]') : null;
    if (!bt) { return; }
    selectCluster(Number(bt.getAttribute('data-cluster')), true);
    detailEl.focus();
  });

  function clusterById(id) {
    if (cur.sub) { return cur.clusters.filter(function (c) { return c.id === id; })[0] || null; }
    var k = clusterPos[id];
    return k === undefined ? null : NET.clusters[k];
  }

  var SUP = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  function fnum(x, digits) {
    if (x === null || x === undefined) { return '—'; }
    if (x === 0) { return '0'; }
    if (x < 1e-3) {
      var m = x.toExponential(digits - 1).split('e');
      return m[0] + ' × 10' + m[1].replace('+', '').replace(/[-0-9]/g, function (ch) { return SUP[ch]; });
    }
    return x.toPrecision(digits);
  }
  function orText(x) {
    if (x === null || x === undefined) { return '—'; }
    if (!isFinite(x)) { return '∞'; }
    return x >= 100 ? x.toFixed(0) : x.toPrecision(3);
  }
  // The enrichment libraries ([key, title]) and their on-demand gene-set scripts
  // ([key, file, variable]), from the page.
  var LIBS = [], FILES = [];
  try {
    JSON.parse($('net-labels').getAttribute('data-libraries')).forEach(function (l) {
      LIBS.push([l.key, l.title]);
      if (l.file && l.var) { FILES.push([l.key, l.file, l.var]); }
    });
  } catch (e) { LIBS = []; FILES = []; }
  /** A table of class `cls` with its caption and a header row of [label, class] columns. */
  function headedTable(cls, caption, headers) {
    var t = el('table', cls);
    t.appendChild(el('caption', null, caption));
    var head = el('tr');
    headers.forEach(function (h) {
      var th = el('th', h[1], h[0]);
      th.scope = 'col';
      head.appendChild(th);
    });
    var thead = el('thead');
    thead.appendChild(head);
    t.appendChild(thead);
    return t;
  }
  function enrichmentTable(rows, title, lib) {
    var wrap = el('div', 'table-wrap');
    var t = headedTable('enrich', title, [['Term', ''], ['Genes k/n', 'num'], ['Term size K/N', 'num'], ['Odds ratio', 'num'], ['p', 'num'], ['FDR', 'num']]);
    var tb = el('tbody');
    rows.forEach(function (r) {
      var tr = el('tr');
      var th = el('th');
      th.scope = 'row';
      // Term links (KEGG to kegg.jp, GO to AmiGO) when the data has them; https only.
      if (r.url && /^https:\/\//.test(r.url)) {
        var a = el('a', null, r.name);
        a.href = r.url;
        a.rel = 'noopener';
        th.appendChild(a);
      } else {
        th.appendChild(document.createTextNode(r.name));
      }
      if (r.id && r.id !== r.name) { th.appendChild(el('span', 'muted small', ' ' + r.id)); }
      tr.appendChild(th);
      tr.appendChild(el('td', 'num', r.k + '/' + r.n));
      tr.appendChild(el('td', 'num', nf(r.K) + '/' + nf(r.N)));
      tr.appendChild(el('td', 'num', orText(r.odds_ratio)));
      tr.appendChild(el('td', 'num', fnum(r.p, 3)));
      tr.appendChild(el('td', 'num', fnum(r.fdr, 3)));
      tb.appendChild(tr);
    });
    if (!rows.length) {
      var tr0 = el('tr'), td0 = el('td', 'muted', 'No term shares a gene with this set.');
      td0.colSpan = 6;
      tr0.appendChild(td0);
      tb.appendChild(tr0);
    }
    t.appendChild(tb);
    wrap.appendChild(t);
    return wrap;
  }

  function renderDetail(c) {
    clear(detailEl);
    if (!c) { detailEl.hidden = true; return; }
    detailEl.hidden = false;
    detailEl.tabIndex = -1;
    var h = el('h2', null, clusterName(c));
    h.id = 'cluster-h';
    detailEl.setAttribute('aria-labelledby', 'cluster-h');
    detailEl.appendChild(h);
    var members = c.nodes.slice().sort(function (a, b) {
      return ND.symbol[a] < ND.symbol[b] ? -1 : (ND.symbol[a] > ND.symbol[b] ? 1 : 0);
    });
    detailEl.appendChild(el('p', null, nf(c.size) + ' genes' + (cur.sub ? ' of your list' : '') + ':'));
    var ul = el('ul', 'gene-list');
    ul.id = 'cluster-genes';
    members.forEach(function (v) {
      var li = el('li');
      li.appendChild(geneLink(v));
      ul.appendChild(li);
    });
    detailEl.appendChild(ul);
    var enr = c.enrichment;
    if (!enr && cur.sub && GENESETS.ready) { enr = c.enrichment = enrichSet(c.nodes); }
    if (enr) {
      LIBS.forEach(function (l) {
        if (enr[l[0]]) {
          detailEl.appendChild(enrichmentTable(enr[l[0]], l[1] + ' (top ' + enr[l[0]].length + ' by p)', l[0]));
        }
      });
      var bg = cur.sub ? GENESETS.background : NET.background;
      if (bg) {
        var p = el('p', 'muted small', 'Background: ' + LIBS.filter(function (l) { return bg[l[0]]; }).map(function (l) { return l[1] + ': ' + bg[l[0]]; }).join('; ') + '.');
        detailEl.appendChild(p);
      }
    } else if (cur.sub) {
      detailEl.appendChild(el('p', 'muted', 'Compute the enrichment (under “Your gene list”) to see this cluster’s HPO and GO terms.'));
    }
  }

  function selectCluster(id, moveView) {
    var c = clusterById(id);
    state.cluster = c ? c.id : null;
    if (c) {
      hl = new Uint8Array(NN);
      c.nodes.forEach(function (v) { hl[v] = 1; });
      hlEdges = true;
      if (moveView) { fit(c.nodes); }
    } else if (!state.q) {
      hl = null;
    }
    renderDetail(c);
    Array.prototype.forEach.call(clustersEl.querySelectorAll('button[data-cluster]'), function (b) {
      b.setAttribute('aria-pressed', c && Number(b.getAttribute('data-cluster')) === c.id ? 'true' : 'false');
    });
    writeHash();
    draw();
  }

  // ---------------------------------------------------------------- find a gene
  var resultEl = $('net-result');
  function neighbourhood(v, hops) {
    var seen = new Uint8Array(NN), frontier = [v], order = [v];
    seen[v] = 1;
    for (var h = 0; h < hops; h++) {
      var next = [];
      frontier.forEach(function (u) {
        for (var p = cur.off[u]; p < cur.off[u + 1]; p++) {
          var w = cur.nb[p];
          if (!seen[w]) { seen[w] = 1; next.push(w); order.push(w); }
        }
      });
      frontier = next;
    }
    return { set: seen, list: order };
  }
  // Resolve one name as the gene table's search does: exact symbol, HGNC ID, then an alias
  // or previous symbol (with data.js). Returns {idx: KGDB row} / {ambiguous: [rows]} / {}.
  var KEYS = null;
  function kgdbKeys() {
    if (KEYS || !window.KGDB) { return KEYS; }
    var G = window.KGDB.g, sym = {}, id = {}, other = {};
    G.forEach(function (r, ix) {
      sym[String(r[1]).toLowerCase()] = ix;
      id[String(r[0])] = ix;
      (r[3] ? r[3].split('|') : []).concat(r[4] ? r[4].split('|') : []).forEach(function (a) {
        var k = a.toLowerCase();
        if (!k) { return; }
        var l = other[k] || (other[k] = []);
        if (l.indexOf(ix) < 0) { l.push(ix); }
      });
    });
    KEYS = { sym: sym, id: id, other: other };
    return KEYS;
  }
  function resolveName(name) {
    var q = name.trim().toLowerCase();
    var K = kgdbKeys();
    if (!q || !K) { return {}; }
    if (K.sym[q] !== undefined) { return { idx: K.sym[q] }; }
    var m = /^(?:hgnc:)?(\d+)$/.exec(q);
    if (m && K.id[m[1]] !== undefined) { return { idx: K.id[m[1]] }; }
    var o = K.other[q];
    if (o && o.length === 1) { return { idx: o[0] }; }
    if (o && o.length > 1) { return { ambiguous: o }; }
    return {};
  }
  var kgdbWaiters = null;
  function withKGDB(fn) {
    if (window.KGDB) { fn(); return; }
    if (kgdbWaiters) { kgdbWaiters.push(fn); return; }
    kgdbWaiters = [fn];
    var s = document.createElement('script');
    s.src = 'data.js';
    s.onload = function () { var w = kgdbWaiters; kgdbWaiters = null; w.forEach(function (f) { f(); }); };
    s.onerror = function () { kgdbWaiters = null; statusEl.textContent = 'The gene names (data.js) could not be loaded.'; };
    document.head.appendChild(s);
  }
  // A network node for a query: exact symbol or HGNC ID in the network first (no data.js
  // needed), then aliases and previous symbols through data.js, then a symbol prefix.
  function findNode(q, done) {
    var s = q.trim(), up = s.toUpperCase(), m = /^(?:HGNC:)?(\d+)$/.exec(up);
    if (bySymbol[up] !== undefined) { done(bySymbol[up]); return; }
    if (m && byHgnc[m[1]] !== undefined) { done(byHgnc[m[1]]); return; }
    withKGDB(function () {
      var r = resolveName(s);
      if (r.idx !== undefined) {
        var hg = window.KGDB.g[r.idx][0];
        done(byHgnc[hg] !== undefined ? byHgnc[hg] : -1, window.KGDB.g[r.idx][1]);
        return;
      }
      if (r.ambiguous) { done(-2, r.ambiguous.map(function (ix) { return window.KGDB.g[ix][1]; }).join(', ')); return; }
      var best = -1;
      for (var v = 0; v < NN; v++) {
        if (String(ND.symbol[v]).toUpperCase().indexOf(up) === 0 && (best < 0 || ND.score[v] > ND.score[best])) { best = v; }
      }
      done(best);
    });
  }
  function highlightGene(v, hops, moveView) {
    var nbh = neighbourhood(v, hops);
    hl = nbh.set;
    hlFocus = v;
    hlEdges = true;
    if (moveView) { fit(nbh.list); }
    clear(resultEl);
    var p = el('p');
    p.appendChild(geneLink(v));
    var inCur = cur.inSet[v] === 1;
    var ci = cur.cl[v];
    p.appendChild(document.createTextNode(inCur
      ? ': ' + nf(cur.deg[v]) + ' direct partners, ' + nf(nbh.list.length - 1) + ' genes within ' + hops + (hops === 1 ? ' hop' : ' hops') +
        (ci >= 0 ? ', in cluster ' + ci + '.' : ', in no cluster.')
      : ' is not in the drawn network.'));
    resultEl.appendChild(p);
    if (nbh.list.length > 1) {
      var ul = el('ul', 'gene-list');
      ul.id = 'neighbours';
      nbh.list.slice(1).sort(function (a, b) { return ND.symbol[a] < ND.symbol[b] ? -1 : 1; }).forEach(function (w) {
        var li = el('li');
        li.appendChild(geneLink(w));
        ul.appendChild(li);
      });
      resultEl.appendChild(ul);
    }
    statusEl.textContent = ND.symbol[v] + ' and ' + nf(nbh.list.length - 1) + ' genes within ' + hops + (hops === 1 ? ' hop' : ' hops') + ' highlighted.';
    draw();
  }
  function runSearch(moveView) {
    var q = state.q;
    if (!q) { clearHighlight(); return; }
    findNode(q, function (v, note) {
      if (v >= 0 && cur.inSet[v]) {
        highlightGene(v, state.hops, moveView);
      } else {
        hl = null;
        hlFocus = -1;
        clear(resultEl);
        var msg = v === -2 ? '“' + q + '” is ambiguous: ' + note + '.'
          : (note ? note + ' is a scored gene without an interaction in the drawn network.'
            : (v >= 0 ? ND.symbol[v] + ' is not in the drawn network.' : 'No gene in the network matches “' + q + '”.'));
        resultEl.appendChild(el('p', null, msg));
        statusEl.textContent = msg;
        draw();
      }
    });
  }
  function clearHighlight() {
    hl = null;
    hlFocus = -1;
    state.q = '';
    $('gq').value = '';
    clear(resultEl);
    if (state.cluster !== null) { selectCluster(state.cluster, false); return; }
    writeHash();
    summary();
    draw();
  }

  // ---------------------------------------------------------------- clustering (Louvain)
  // Deterministic Louvain (modularity, resolution 1): nodes visited in index order, ties
  // kept by the current community then the first neighbour community met; levels aggregate
  // until no node moves. Input: node count and flat local edge pairs.
  function louvain(n, pairs, resolution) {
    var adj = [], k = [], members = [], v;
    for (v = 0; v < n; v++) { adj.push(new Map()); k.push(0); members.push([v]); }
    for (var e = 0; e < pairs.length; e += 2) {
      var a = pairs[e], b = pairs[e + 1];
      if (a === b) { continue; }
      adj[a].set(b, (adj[a].get(b) || 0) + 1);
      adj[b].set(a, (adj[b].get(a) || 0) + 1);
      k[a] += 1; k[b] += 1;
    }
    var m2 = k.reduce(function (s, x) { return s + x; }, 0);
    if (m2 === 0) { return members.map(function (_, ix) { return ix; }); }
    for (var level = 0; level < 50; level++) {
      var size = adj.length, c = new Int32Array(size), tot = new Float64Array(size);
      for (v = 0; v < size; v++) { c[v] = v; tot[v] = k[v]; }
      var wc = new Float64Array(size), movedAny = false;
      for (var pass = 0; pass < 200; pass++) {
        var moved = false;
        for (v = 0; v < size; v++) {
          var ci = c[v], touched = [];
          adj[v].forEach(function (w, u) {
            if (u === v) { return; }
            var cu = c[u];
            if (wc[cu] === 0) { touched.push(cu); }
            wc[cu] += w;
          });
          tot[ci] -= k[v];
          var best = ci, bestGain = wc[ci] - resolution * tot[ci] * k[v] / m2;
          for (var t = 0; t < touched.length; t++) {
            var cc = touched[t], gain = wc[cc] - resolution * tot[cc] * k[v] / m2;
            if (gain > bestGain + 1e-12) { best = cc; bestGain = gain; }
          }
          tot[best] += k[v];
          for (t = 0; t < touched.length; t++) { wc[touched[t]] = 0; }
          if (best !== ci) { c[v] = best; moved = true; movedAny = true; }
        }
        if (!moved) { break; }
      }
      if (!movedAny) { break; }
      var ren = new Int32Array(size).fill(-1), count = 0;
      for (v = 0; v < size; v++) { if (ren[c[v]] < 0) { ren[c[v]] = count++; } }
      var nadj = [], nk = [], nm = [];
      for (v = 0; v < count; v++) { nadj.push(new Map()); nk.push(0); nm.push([]); }
      for (v = 0; v < size; v++) {
        var cv = ren[c[v]];
        nk[cv] += k[v];
        Array.prototype.push.apply(nm[cv], members[v]);
        adj[v].forEach(function (w, u) {
          var cu = ren[c[u]];
          if (cu !== cv) { nadj[cv].set(cu, (nadj[cv].get(cu) || 0) + w); }
        });
      }
      adj = nadj; k = nk; members = nm;
    }
    var out = new Array(n);
    members.forEach(function (mem, ix) { mem.forEach(function (x) { out[x] = ix; }); });
    return out;
  }

  // ---------------------------------------------------------------- enrichment
  // One-sided Fisher exact test and Benjamini–Hochberg FDR, computed as the build computes
  // the cluster tables (src/network/enrich.rs), so a pasted list equal to a cluster gets that
  // cluster's table: the library is restricted to the kidney network's genes, the background
  // is the network genes with at least one term (N), n the list's genes among them, every
  // term sharing a gene with the list is tested, the upper tail is summed from log-factorials
  // (summed in order), the odds ratio capped at 1000.
  var GENESETS = { ready: false, libs: {}, background: null };
  var LF = [0];
  function lnFact(x) {
    for (var i2 = LF.length; i2 <= x; i2++) { LF.push(LF[i2 - 1] + Math.log(i2)); }
    return LF[x];
  }
  function lnChoose(n, k) { return lnFact(n) - lnFact(k) - lnFact(n - k); }
  function upperTail(k, N, K, n) {
    var lo = Math.max(k, n + K - N), hi = Math.min(n, K);
    if (lo > hi) { return 0; }
    var logs = [], max = -Infinity;
    for (var x = lo; x <= hi; x++) {
      var l = lnChoose(K, x) + lnChoose(N - K, n - x) - lnChoose(N, n);
      logs.push(l);
      if (l > max) { max = l; }
    }
    var sum = 0;
    for (x = 0; x < logs.length; x++) { sum += Math.exp(logs[x] - max); }
    return Math.min(1, Math.exp(max + Math.log(sum)));
  }
  function oddsRatio(k, N, K, n) {
    var a = k, b = n - k, c = K - k, d = N + k - n - K;
    if (b * c === 0) { return a * d === 0 ? 0 : 1000; }
    return Math.min(a * d / (b * c), 1000);
  }
  function bh(p) {
    var m = p.length, order = p.map(function (_, ix) { return ix; });
    order.sort(function (a, b) { return p[a] - p[b] || a - b; });
    var out = new Array(m), running = 1;
    for (var r = m - 1; r >= 0; r--) {
      running = Math.min(running, p[order[r]] * m / (r + 1));
      out[order[r]] = Math.min(running, 1);
    }
    return out;
  }
  function prepareLibrary(file) {
    // terms: [["Name (ID)", [hgnc numbers…]], …], kept to the network's genes.
    var ofGene = {}, terms = [], N = 0;
    file.terms.forEach(function (t, ti) {
      var seen = {}, genes = [];
      t[1].forEach(function (g) { if (!seen[g] && byHgnc[g] !== undefined) { seen[g] = 1; genes.push(g); } });
      genes.forEach(function (g) {
        var l = ofGene[g];
        if (!l) { l = ofGene[g] = []; N++; }
        l.push(ti);
      });
      var m = /^(.*) \(([^()]+)\)$/.exec(t[0]);
      terms.push({ name: m ? m[1] : t[0], id: m ? m[2] : '', size: genes.length });
    });
    return { terms: terms, ofGene: ofGene, N: N, library: file.library, background: file.background };
  }
  function enrichLib(lib, hgncs) {
    var seen = {}, genes = [];
    hgncs.forEach(function (g) { if (lib.ofGene[g] && !seen[g]) { seen[g] = 1; genes.push(g); } });
    var n = genes.length;
    if (!n) { return []; }
    var kOf = {};
    genes.forEach(function (g) { lib.ofGene[g].forEach(function (t) { kOf[t] = (kOf[t] || 0) + 1; }); });
    var rows = Object.keys(kOf).map(Number).sort(function (a, b) { return a - b; }).map(function (t) {
      var K = lib.terms[t].size, k = kOf[t];
      return { term: t, id: lib.terms[t].id, name: lib.terms[t].name, k: k, n: n, K: K, N: lib.N,
        odds_ratio: oddsRatio(k, lib.N, K, n), p: upperTail(k, lib.N, K, n), fdr: 0 };
    });
    var q = bh(rows.map(function (r) { return r.p; }));
    rows.forEach(function (r, ix) { r.fdr = q[ix]; });
    rows.sort(function (a, b) { return a.p - b.p || a.term - b.term; });
    return rows;
  }
  var TOP = 10;
  function enrichSet(nodes) {
    var hg = nodes.map(function (v) { return ND.hgnc[v]; });
    var out = {};
    Object.keys(GENESETS.libs).forEach(function (key) { out[key] = enrichLib(GENESETS.libs[key], hg).slice(0, TOP); });
    return out;
  }
  function loadGenesets(done) {
    if (GENESETS.ready) { done(); return; }
    var files = FILES;
    if (!files.length) { done('This build ships no gene-set library.'); return; }
    var left = files.length, failed = false;
    files.forEach(function (f) {
      var s = document.createElement('script');
      s.src = f[1];
      s.onload = function () {
        if (window[f[2]]) { GENESETS.libs[f[0]] = prepareLibrary(window[f[2]]); } else { failed = true; }
        if (--left === 0) { finish(); }
      };
      s.onerror = function () { failed = true; if (--left === 0) { finish(); } };
      document.head.appendChild(s);
    });
    function finish() {
      if (failed) { done('The gene-set libraries (network/genesets-*.js) could not be loaded.'); return; }
      GENESETS.ready = true;
      GENESETS.background = {};
      Object.keys(GENESETS.libs).forEach(function (key) {
        var l = GENESETS.libs[key];
        GENESETS.background[key] = (l.library || key) + ': the ' + nf(l.N) + ' genes of the kidney network with at least one term';
      });
      done();
    }
  }

  // ---------------------------------------------------------------- the pasted list
  var subReport = $('sub-report'), enrichBox = $('sub-enrich-box'), subEnrichment = $('sub-enrichment');
  function buildSubnetwork(text, fromTable) {
    withKGDB(function () {
      var t0 = performance.now();
      var tokens = text.split(/[\s,;]+/).filter(Boolean), seenTok = {}, found = [], seenNode = {};
      var unmatched = [], ambiguous = [], outside = [];
      tokens.forEach(function (tok) {
        var key = tok.toLowerCase();
        if (seenTok[key]) { return; }
        seenTok[key] = 1;
        var r = resolveName(tok);
        if (r.ambiguous) {
          ambiguous.push(tok + ' (' + r.ambiguous.map(function (ix) { return window.KGDB.g[ix][1]; }).join(', ') + ')');
          return;
        }
        if (r.idx === undefined) { unmatched.push(tok); return; }
        var row = window.KGDB.g[r.idx], v = byHgnc[row[0]];
        if (v === undefined) { outside.push(row[1]); return; }
        if (!seenNode[v]) { seenNode[v] = 1; found.push(v); }
      });
      found.sort(function (a, b) { return a - b; });
      // Induced subgraph and its clusters.
      var local = {};
      found.forEach(function (v, ix) { local[v] = ix; });
      var edges = [], lp = [];
      for (var e = 0; e < NET.edges.length; e += 2) {
        var a = NET.edges[e], b = NET.edges[e + 1];
        if (seenNode[a] && seenNode[b]) { edges.push(a, b); lp.push(local[a], local[b]); }
      }
      var part = louvain(found.length, lp, 1);
      var deg = new Int32Array(found.length);
      for (e = 0; e < lp.length; e++) { deg[lp[e]]++; }
      var groups = {};
      found.forEach(function (v, ix) {
        if (!deg[ix]) { return; }
        (groups[part[ix]] || (groups[part[ix]] = [])).push(v);
      });
      var list = Object.keys(groups).map(function (g) { return groups[g]; });
      list.sort(function (x, y) { return y.length - x.length || x[0] - y[0]; });
      var cl = new Int32Array(NN).fill(-1), clusters = [];
      list.forEach(function (mem, ix) {
        if (mem.length < 2) { return; }
        mem.forEach(function (v) { cl[v] = ix; });
        clusters.push({ id: ix, size: mem.length, nodes: mem, label: null, enrichment: null });
      });
      cur = makeGraph(found, edges, cl, clusters, true);
      cur.list = found;
      cur.ms = performance.now() - t0;
      state.genes = fromTable || tokens.join(',');
      state.cluster = null;
      hl = null;
      hlFocus = -1;
      clear(resultEl);
      subReport.textContent = '';
      var p = el('p');
      p.id = 'sub-summary';
      var isolated = found.filter(function (v) { return cur.deg[v] === 0; }).length;
      p.textContent = nf(tokens.length) + ' names read: ' + nf(found.length + outside.length) + ' scored kidney genes, of which ' +
        nf(found.length) + ' are in the network; their subnetwork has ' + nf(edges.length / 2) + ' interactions and ' +
        nf(clusters.length) + (clusters.length === 1 ? ' cluster' : ' clusters') + (isolated ? '; ' + nf(isolated) + ' genes have no partner in the list' : '') + '.';
      subReport.appendChild(p);
      function note(id, label, items) {
        if (!items.length) { return; }
        var q = el('p', 'note');
        q.id = id;
        q.appendChild(el('strong', null, label + ' (' + nf(items.length) + '): '));
        q.appendChild(document.createTextNode(items.join(', ')));
        subReport.appendChild(q);
      }
      note('sub-unmatched', 'Not found among the scored genes', unmatched);
      note('sub-ambiguous', 'Ambiguous (an alias or previous symbol of several genes; use the symbol)', ambiguous);
      note('sub-outside', 'Scored genes without an interaction in the kidney network', outside);
      $('sub-reset').hidden = false;
      enrichBox.hidden = found.length === 0;
      clear(subEnrichment);
      if (GENESETS.ready) { showSubEnrichment(); }
      refreshAll(true);
    });
  }
  function showSubEnrichment() {
    var t0 = performance.now();
    clear(subEnrichment);
    if (!cur.sub) { return; }
    var all = enrichSet(cur.list);
    cur.clusters.forEach(function (c) { c.enrichment = enrichSet(c.nodes); });
    var ms = performance.now() - t0;
    subEnrichment.appendChild(el('h3', null, 'Enrichment of your list (' + nf(cur.list.length) + ' genes in the network)'));
    LIBS.forEach(function (l) {
      if (all[l[0]]) { subEnrichment.appendChild(enrichmentTable(all[l[0]], l[1] + ' (top ' + all[l[0]].length + ' by p)', l[0])); }
    });
    subEnrichment.appendChild(el('p', 'muted small', 'Background: ' + Object.keys(GENESETS.background).map(function (key) { return GENESETS.background[key]; }).join('; ') +
      '. Each cluster’s enrichment is in its panel. KEGG is not computed here: its library may not be redistributed. Computed in ' + Math.round(ms) + ' ms.'));
    if (state.cluster !== null) { renderDetail(clusterById(state.cluster)); }
  }
  $('enrich').addEventListener('click', function () {
    var bt = this;
    bt.disabled = true;
    subEnrichment.textContent = 'Loading the gene-set libraries…';
    loadGenesets(function (err) {
      bt.disabled = false;
      if (err) { subEnrichment.textContent = err; return; }
      showSubEnrichment();
    });
  });
  $('sub-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = $('genes').value;
    if (!text.trim()) { subReport.textContent = 'Paste some gene names first.'; return; }
    buildSubnetwork(text, '');
  });
  $('sub-reset').addEventListener('click', function () {
    cur = FULL;
    state.genes = '';
    state.cluster = null;
    hl = null;
    hlFocus = -1;
    clear(subReport);
    clear(subEnrichment);
    clear(resultEl);
    enrichBox.hidden = true;
    this.hidden = true;
    refreshAll(true);
  });

  // ---------------------------------------------------------------- table view
  var tableview = $('tableview'), tablesEl = $('tables');
  function renderTables() {
    clear(tablesEl);
    if (!tableview.open) { return; }
    var tierLabel = function (t) { return t === null || t === undefined ? '—' : label(TIERS[t] || String(t)); };
    var wrap = el('div', 'table-wrap');
    var t = headedTable('net-nodes', (cur.sub ? 'Genes of your list in the network' : 'Genes in the kidney network') + ' (' + nf(cur.nodes.length) + '), by cluster then degree',
      [['Gene', ''], ['HGNC ID', ''], ['Cluster', 'num'], ['Degree', 'num'], ['Tier', ''], ['Score', 'num']]);
    t.id = 'nodes-table';
    var tb = el('tbody');
    cur.nodes.slice().sort(function (a, b) {
      var ca = cur.cl[a] < 0 ? 1e9 : cur.cl[a], cb = cur.cl[b] < 0 ? 1e9 : cur.cl[b];
      return ca - cb || cur.deg[b] - cur.deg[a] || (ND.symbol[a] < ND.symbol[b] ? -1 : 1);
    }).forEach(function (v) {
      var tr = el('tr'), th = el('th');
      th.scope = 'row';
      th.appendChild(geneLink(v));
      tr.appendChild(th);
      tr.appendChild(el('td', 'id', 'HGNC:' + ND.hgnc[v]));
      tr.appendChild(el('td', 'num', cur.cl[v] < 0 ? '—' : String(cur.cl[v])));
      tr.appendChild(el('td', 'num', String(cur.deg[v])));
      tr.appendChild(el('td', null, tierLabel(ND.tier[v])));
      tr.appendChild(el('td', 'num', Number(ND.score[v]).toFixed(2)));
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    wrap.appendChild(t);
    tablesEl.appendChild(wrap);
    var wrap2 = el('div', 'table-wrap');
    var t2 = headedTable('net-clusters', 'Clusters (' + nf(cur.clusters.length) + ')',
      [['Cluster', 'num'], ['Size', 'num'], ['Most enriched GO process', ''], ['Genes', '']]);
    t2.id = 'clusters-table';
    var tb2 = el('tbody');
    cur.clusters.forEach(function (c) {
      var tr = el('tr'), th = el('th', 'num', String(c.id));
      th.scope = 'row';
      tr.appendChild(th);
      tr.appendChild(el('td', 'num', nf(c.size)));
      var top = c.enrichment && c.enrichment.go_bp && c.enrichment.go_bp[0];
      tr.appendChild(el('td', null, top ? top.name + ' (FDR ' + fnum(top.fdr, 2) + ')' : (c.label || '—')));
      tr.appendChild(el('td', 'small', c.nodes.map(function (v) { return ND.symbol[v]; }).sort().join(', ')));
      tb2.appendChild(tr);
    });
    t2.appendChild(tb2);
    wrap2.appendChild(t2);
    tablesEl.appendChild(wrap2);
  }
  tableview.addEventListener('toggle', renderTables);

  // ---------------------------------------------------------------- URL hash
  function writeHash() {
    var p = new URLSearchParams();
    if (state.color !== 'cluster') { p.set('color', state.color); }
    if (state.tiers) { p.set('tier', state.tiers.join(',')); }
    if (state.min !== '') { p.set('min', state.min); }
    if (state.q) { p.set('q', state.q); if (state.hops !== 1) { p.set('hops', String(state.hops)); } }
    if (state.cluster !== null) { p.set('cluster', String(state.cluster)); }
    if (state.genes) { p.set('genes', state.genes); }
    var h = p.toString().replace(/%2C/g, ',');
    var url = location.href.replace(/#.*$/, '') + (h ? '#' + h : '');
    if (url === location.href) { return; }
    try { history.replaceState(null, '', url); } catch (e) { /* file:// in some browsers */ }
  }
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ''));
    var c = p.get('color');
    state.color = c && (c === 'cluster' || COLOR_KEYS[c]) ? c : 'cluster';
    var t = p.get('tier');
    state.tiers = t === null ? null : t.split(',').map(Number).filter(function (x) { return x === Math.floor(x) && x >= 0 && x < TIERS.length; });
    var min = p.get('min');
    state.min = min !== null && min !== '' && isFinite(Number(min)) ? String(Math.max(0, Math.min(100, Number(min)))) : '';
    state.q = (p.get('q') || '').trim();
    var h = parseInt(p.get('hops'), 10);
    state.hops = h >= 1 && h <= 3 ? h : 1;
    var cl = p.get('cluster');
    state.cluster = cl !== null && cl !== '' && isFinite(Number(cl)) ? Number(cl) : null;
    state.genes = p.get('genes') || '';
  }
  function syncControls() {
    $('color').value = state.color;
    Array.prototype.forEach.call(document.querySelectorAll('#tiers input'), function (b) {
      b.checked = !state.tiers || state.tiers.indexOf(Number(b.value)) >= 0;
    });
    $('min').value = state.min;
    $('gq').value = state.q;
    $('hops').value = String(state.hops);
  }

  // ---------------------------------------------------------------- wiring
  function summary() {
    var shown = 0;
    cur.nodes.forEach(function (v) { shown += vis[v]; });
    var e2 = 0;
    for (var e = 0; e < cur.edges.length; e += 2) { if (vis[cur.edges[e]] && vis[cur.edges[e + 1]]) { e2++; } }
    var text = (cur.sub ? 'Your list: ' : '') + nf(shown) + ' of ' + nf(cur.nodes.length) + ' genes and ' + nf(e2) + ' of ' +
      nf(cur.edges.length / 2) + ' interactions shown; ' + nf(cur.clusters.length) + ' clusters.';
    statusEl.textContent = text;
    canvas.setAttribute('aria-label', (cur.sub ? 'Subnetwork of your gene list: ' : 'The kidney gene network: ') + text + ' The table view below lists the same genes and clusters.');
  }
  function refreshAll(refit) {
    computeVisible();
    computeColors();
    renderLegend();
    renderClusterList();
    if (refit) {
      fitted = false;
      fit(cur.nodes);
      baseK = view.k;
      fitted = true;
    }
    summary();
    if (state.cluster !== null && clusterById(state.cluster)) {
      selectCluster(state.cluster, refit);
    } else {
      state.cluster = null;
      renderDetail(null);
      writeHash();
      draw();
    }
    if (state.q) { runSearch(refit); }
    if (tableview.open) { renderTables(); }
  }

  // The tier boxes are in the HTML (named); their values become the data's tier indices.
  var tiersEl = $('tiers');
  Array.prototype.forEach.call(tiersEl.querySelectorAll('input'), function (b) {
    var ix = TIERS.indexOf(b.getAttribute('data-name'));
    b.value = String(ix);
    if (ix < 0) { b.disabled = true; }
  });

  $('color').addEventListener('change', function () {
    state.color = this.value;
    computeColors();
    renderLegend();
    writeHash();
    draw();
  });
  function filtersChanged() {
    var boxes = Array.prototype.slice.call(document.querySelectorAll('#tiers input'));
    var on = boxes.filter(function (b) { return b.checked; }).map(function (b) { return Number(b.value); });
    state.tiers = on.length === boxes.length ? null : on;
    var min = $('min').value;
    state.min = min !== '' && isFinite(Number(min)) ? String(Math.max(0, Math.min(100, Number(min)))) : '';
    computeVisible();
    summary();
    writeHash();
    draw();
  }
  tiersEl.addEventListener('change', filtersChanged);
  $('min').addEventListener('input', filtersChanged);
  $('net-controls').addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.q = $('gq').value.trim();
    state.hops = Number($('hops').value) || 1;
    writeHash();
    runSearch(true);
  });
  $('hops').addEventListener('change', function () {
    state.hops = Number(this.value) || 1;
    if (state.q) { writeHash(); runSearch(true); }
  });
  $('clear').addEventListener('click', function () {
    state.cluster = null;
    renderDetail(null);
    Array.prototype.forEach.call(clustersEl.querySelectorAll('button[aria-pressed="true"]'), function (b) { b.setAttribute('aria-pressed', 'false'); });
    clearHighlight();
  });
  $('zoom-in').addEventListener('click', function () { zoomAt(1.4, cssW / 2, cssH / 2); draw(); });
  $('zoom-out').addEventListener('click', function () { zoomAt(1 / 1.4, cssW / 2, cssH / 2); draw(); });
  $('fit').addEventListener('click', function () { fit(cur.nodes); draw(); });

  // Pointer: drag to pan, pinch to zoom, a click without a drag picks a gene.
  var pointers = new Map(), dragged = false, pinch = null;
  function local(ev) {
    var r = canvas.getBoundingClientRect();
    return { x: ev.clientX - r.left, y: ev.clientY - r.top };
  }
  canvas.addEventListener('pointerdown', function (ev) {
    canvas.setPointerCapture(ev.pointerId);
    pointers.set(ev.pointerId, local(ev));
    dragged = false;
    pinch = null;
  });
  canvas.addEventListener('pointermove', function (ev) {
    if (!pointers.has(ev.pointerId)) { return; }
    var p = local(ev), prev = pointers.get(ev.pointerId);
    if (pointers.size === 1) {
      var dx = p.x - prev.x, dy = p.y - prev.y;
      if (dragged || Math.abs(dx) + Math.abs(dy) > 3) {
        dragged = true;
        view.x += dx;
        view.y += dy;
        pointers.set(ev.pointerId, p);
        drawSoon();
      }
      return;
    }
    pointers.set(ev.pointerId, p);
    var pts = Array.from(pointers.values()).slice(0, 2);
    var d = Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y);
    var mx = (pts[0].x + pts[1].x) / 2, my = (pts[0].y + pts[1].y) / 2;
    if (pinch && pinch.d > 0) {
      view.x += mx - pinch.x;
      view.y += my - pinch.y;
      zoomAt(d / pinch.d, mx, my);
      drawSoon();
    }
    pinch = { d: d, x: mx, y: my };
    dragged = true;
  });
  function pointerEnd(ev) {
    if (!pointers.has(ev.pointerId)) { return; }
    var p = local(ev);
    var single = pointers.size === 1;
    pointers.delete(ev.pointerId);
    pinch = null;
    if (ev.type === 'pointerup' && single && !dragged) {
      var v = pick(p.x, p.y);
      if (v >= 0) { clickGene(v); }
    }
  }
  canvas.addEventListener('pointerup', pointerEnd);
  canvas.addEventListener('pointercancel', pointerEnd);
  canvas.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var p = local(ev);
    zoomAt(Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)), p.x, p.y);
    drawSoon();
  }, { passive: false });
  canvas.addEventListener('keydown', function (ev) {
    var step = 60, handled = true;
    switch (ev.key) {
      case 'ArrowLeft': view.x += step; break;
      case 'ArrowRight': view.x -= step; break;
      case 'ArrowUp': view.y += step; break;
      case 'ArrowDown': view.y -= step; break;
      case '+': case '=': zoomAt(1.4, cssW / 2, cssH / 2); break;
      case '-': case '_': zoomAt(1 / 1.4, cssW / 2, cssH / 2); break;
      case '0': fit(cur.nodes); break;
      case 'Escape': $('clear').click(); break;
      default: handled = false;
    }
    if (handled) { ev.preventDefault(); draw(); }
  });
  // A gene clicked on the drawing: its cluster opens, the gene is ringed.
  function clickGene(v) {
    hlFocus = v;
    clear(resultEl);
    var p = el('p');
    p.appendChild(geneLink(v));
    p.appendChild(document.createTextNode(': ' + nf(cur.deg[v]) + ' partners' + (cur.cl[v] >= 0 ? ', cluster ' + cur.cl[v] + '.' : ', in no cluster.')));
    resultEl.appendChild(p);
    if (cur.cl[v] >= 0) {
      state.q = '';
      $('gq').value = '';
      selectCluster(cur.cl[v], false);
      statusEl.textContent = ND.symbol[v] + ': cluster ' + cur.cl[v] + ' (' + nf(clusterById(cur.cl[v]).size) + ' genes) opened.';
    } else {
      highlightGene(v, 1, false);
    }
  }

  if (window.ResizeObserver) {
    var lastW = 0, lastH = 0;
    new ResizeObserver(function () {
      var r = canvas.getBoundingClientRect();
      if (Math.abs(r.width - lastW) < 1 && Math.abs(r.height - lastH) < 1) { return; }
      var cx = (cssW / 2 - view.x) / view.k, cy = (cssH / 2 - view.y) / view.k;
      lastW = r.width; lastH = r.height;
      resize();
      view.x = cssW / 2 - cx * view.k;
      view.y = cssH / 2 - cy * view.k;
      draw();
    }).observe(canvas);
  }
  window.addEventListener('hashchange', function () {
    var before = state.genes;
    readHash();
    syncControls();
    if (state.genes && state.genes !== before) { startFromHash(); return; }
    refreshAll(false);
  });

  // Facts about this build, from the data file.
  var st = NET.string || {};
  $('net-meta').textContent = 'This build: STRING v' + st.version + '; minimum combined score in force ' +
    st.threshold_in_force + ' (configured ' + st.min_score_configured + ').';
  var about = $('about');
  [['Genes', NET.selection], ['Layout', NET.layout], ['Clusters', NET.clustering && NET.clustering.text],
    ['Cluster enrichment', NET.enrichment_test]].forEach(function (kv) {
    if (kv[1]) {
      var li = el('li');
      li.appendChild(el('strong', null, kv[0] + ': '));
      li.appendChild(document.createTextNode(kv[1]));
      about.appendChild(li);
    }
  });

  function startFromHash() {
    var g = state.genes;
    // From the gene table: HGNC numbers; pasted lists keep their names.
    $('genes').value = g.split(',').map(function (x) { return /^\d+$/.test(x) ? 'HGNC:' + x : x; }).join('\n');
    buildSubnetwork(g.split(',').map(function (x) { return /^\d+$/.test(x) ? 'HGNC:' + x : x; }).join(','), g);
  }
  resize();
  lastW = canvas.getBoundingClientRect().width;
  lastH = canvas.getBoundingClientRect().height;
  readHash();
  syncControls();
  if (state.genes) {
    refreshAll(true);
    startFromHash();
  } else {
    refreshAll(true);
  }
  // For the browser test and the benchmarks: what is drawn.
  window.KGDB_NETWORK_VIEW = {
    graph: function () { return { nodes: cur.nodes.length, edges: cur.edges.length / 2, clusters: cur.clusters.length, sub: cur.sub, ms: cur.ms || 0 }; },
    highlighted: function () { var out = []; if (hl) { for (var v = 0; v < NN; v++) { if (hl[v]) { out.push(ND.symbol[v]); } } } return out; },
    color: function (symbol) { var v = bySymbol[String(symbol).toUpperCase()]; return v === undefined ? null : colorOf(v); },
    screen: function (symbol) { var v = bySymbol[String(symbol).toUpperCase()]; return v === undefined ? null : { x: X[v] * view.k + view.x, y: Y[v] * view.k + view.y }; },
    enrich: function (hgncs, key) { return GENESETS.libs[key] ? enrichLib(GENESETS.libs[key], hgncs) : null; }
  };
})();
