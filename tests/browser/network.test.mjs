// Browser test of the network page (network.html) on the full site the real pipeline builds
// from the mirror (scripts/browser_site.sh DIR), over file:// (and its loading over http://):
// drawing, colouring, finding a gene and its neighbours, opening a cluster, a pasted gene
// list's subnetwork with its clusters and enrichment, the table view, the gene table's link.
// Expected values are computed here from the page's own data files (network-data.js,
// data.js, genesets-*.js), independently of network.js; the enrichment p-values with a
// second implementation of the hypergeometric tail.
//
// Run: KGDB_SITE=target/browser-site node --test tests/browser/network.test.mjs
// The time of each interaction on the full network is printed (docs/benchmarks.md), not
// asserted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launchBrowser, startServer } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const site = path.resolve(repo, process.env.KGDB_SITE || 'target/browser-site');
const shots = path.resolve(repo, process.env.KGDB_SCREENSHOTS || 'target/browser-screenshots');
const fileBase = pathToFileURL(site + path.sep).href;

let browser;
let server;
let httpBase;

/** The value a data script assigns to window.NAME. */
function loadScript(rel, name) {
  const sandbox = { window: {} };
  vm.runInNewContext(fs.readFileSync(path.join(site, rel), 'utf8'), sandbox);
  // Through JSON: objects made in the vm context have that context's prototypes.
  return JSON.parse(JSON.stringify(sandbox.window[name]));
}
const NET = loadScript('network/network-data.js', 'KGDB_NETWORK');
const KG = loadScript('data.js', 'KGDB');
const N = NET.nodes;
const idx = Object.fromEntries(N.symbol.map((s, i) => [s, i]));
function neighbours(i) {
  const out = new Set();
  for (let e = 0; e < NET.edges.length; e += 2) {
    if (NET.edges[e] === i) { out.add(NET.edges[e + 1]); }
    if (NET.edges[e + 1] === i) { out.add(NET.edges[e]); }
  }
  return out;
}

before(async () => {
  assert.ok(fs.existsSync(path.join(site, 'network.html')), `no network page in ${site}: run scripts/browser_site.sh ${site}`);
  fs.mkdirSync(shots, { recursive: true });
  browser = await launchBrowser();
  const s = await startServer(site);
  server = s.proc;
  httpBase = s.base;
});

after(async () => {
  if (browser) { await browser.close(); }
  if (server) { server.kill(); }
});

/** A fresh page that records console errors, page errors, requests to other hosts and the
 *  site's own files it requested. */
async function open(base, rel, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...opts });
  const page = await context.newPage();
  const problems = [];
  const loaded = [];
  page.on('console', (m) => { if (m.type() === 'error') { problems.push('console: ' + m.text()); } });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith(fileBase) || (httpBase && u.startsWith(httpBase))) {
      loaded.push(u.replace(fileBase, '').replace(httpBase, ''));
    } else if (!u.startsWith('data:')) {
      problems.push('request to another host: ' + u);
    }
  });
  await page.goto(new URL(rel, base).href);
  return { page, context, problems, loaded };
}

async function ready(page) {
  await page.waitForFunction(() => window.KGDB_NETWORK_VIEW && /genes/.test(document.getElementById('net-status').textContent));
}

/** Non-white pixels of the canvas (what was drawn). */
function inked(page) {
  return page.evaluate(() => {
    const c = document.getElementById('net');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } }
    return n;
  });
}

for (const mode of ['file', 'http']) {
  test(`${mode}: the network page loads its data and draws the kidney network`, async () => {
    const base = mode === 'file' ? fileBase : httpBase;
    const { page, context, problems, loaded } = await open(base, 'index.html');
    await page.click('header nav a:has-text("Network")');
    await page.waitForURL(/network\.html/);
    loaded.splice(0, loaded.indexOf('network.html'));
    await ready(page);
    const nodes = N.hgnc.length, edges = NET.edges.length / 2;
    const fmt = (n) => n.toLocaleString('en-US');
    assert.equal(await page.textContent('#net-status'),
      `${fmt(nodes)} of ${fmt(nodes)} genes and ${fmt(edges)} of ${fmt(edges)} interactions shown; ${fmt(NET.clusters.length)} clusters.`);
    assert.ok(await inked(page) > 2000, 'the canvas is (nearly) empty');
    assert.equal(await page.locator('#clusters li').count(), NET.clusters.length);
    assert.equal(await page.getAttribute('header nav a[aria-current="page"]', 'href'), 'network.html');
    // The gene-set libraries and the gene names are not loaded until asked for.
    assert.ok(!loaded.some((u) => /genesets-|^data\.js/.test(u)), loaded.join(" "));
    if (mode === 'file') { await page.screenshot({ path: path.join(shots, 'network.png'), fullPage: true }); }
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('file: colour by cluster, clinical group, onset and syndromic class, with a legend', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html');
  await ready(page);
  const gene = 'NPHP1';
  const byCluster = await page.evaluate((g) => window.KGDB_NETWORK_VIEW.color(g), gene);
  assert.match(await page.textContent('#legend'), /Cluster \d+/);
  await page.selectOption('#color', 'clinical_group');
  const i = idx[gene];
  const group = NET.clinical_groups[N.clinical_group[i]];
  assert.ok(group, `${gene} has a clinical group`);
  const labels = JSON.parse(await page.getAttribute('#net-labels', 'data-labels'));
  assert.equal(labels.cyst_cilio, 'Cyst/ciliopathy');
  const legend = await page.$$eval('#legend li', (lis) => lis.map((li) => li.textContent));
  for (const g of NET.clinical_groups) {
    const count = N.clinical_group.filter((c) => NET.clinical_groups[c] === g).length;
    const l = labels[g] || g;
    assert.ok(legend.includes(`${l} (${count.toLocaleString('en-US')})`), `legend ${JSON.stringify(legend)} lacks ${l} (${count})`);
  }
  const byGroup = await page.evaluate((g) => window.KGDB_NETWORK_VIEW.color(g), gene);
  assert.notEqual(byGroup, byCluster);
  assert.match(page.url(), /#color=clinical_group$/);
  await page.selectOption('#color', 'onset_group');
  assert.match(await page.textContent('#legend'), new RegExp(labels[NET.onset_groups[0]]));
  await page.selectOption('#color', 'syndromic');
  assert.match(await page.textContent('#legend'), /Syndromic \(/);
  // Filters: leave out the second tier.
  await page.uncheck('#tiers input[value="1"]');
  const kept = N.tier.filter((t) => t !== 1).length;
  assert.match(await page.textContent('#net-status'), new RegExp(`^${kept.toLocaleString('en-US')} of `));
  assert.deepEqual(problems, []);
  await context.close();
});

test('file: finding a gene highlights it and its neighbours (1–3 hops)', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html');
  await ready(page);
  const i = idx.NPHP1;
  const one = new Set([i, ...neighbours(i)]);
  await page.fill('#gq', 'nphp1');
  await page.click('#find');
  await page.waitForSelector('#neighbours');
  const hl = await page.evaluate(() => window.KGDB_NETWORK_VIEW.highlighted());
  assert.deepEqual(hl.sort(), [...one].map((v) => N.symbol[v]).sort());
  assert.deepEqual((await page.$$eval('#neighbours a', (as) => as.map((a) => a.textContent))).sort(),
    [...neighbours(i)].map((v) => N.symbol[v]).sort());
  assert.match(page.url(), /#q=nphp1$/);
  // Two hops: the neighbours' neighbours too.
  const two = new Set(one);
  for (const v of one) { for (const w of neighbours(v)) { two.add(w); } }
  await page.selectOption('#hops', '2');
  await page.waitForFunction((n) => window.KGDB_NETWORK_VIEW.highlighted().length === n, two.size);
  // An alias (through data.js, loaded for it): TRPP1 is PKD1's.
  const pkd1 = idx.PKD1;
  if (pkd1 !== undefined) {
    await page.selectOption('#hops', '1');
    await page.fill('#gq', 'TRPP1');
    await page.press('#gq', 'Enter');
    await page.waitForFunction(() => /^PKD1 and/.test(document.getElementById('net-status').textContent));
  }
  await page.click('#clear');
  assert.deepEqual(await page.evaluate(() => window.KGDB_NETWORK_VIEW.highlighted()), []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('file: a cluster opens from the list and from the drawing, with its genes and enrichment', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html');
  await ready(page);
  const i = idx.NPHP1;
  const cid = N.cluster[i];
  const c = NET.clusters.find((x) => x.id === cid);
  const want = c.nodes.map((v) => N.symbol[v]).sort();
  // The nephronophthisis/Joubert landmark of issue 13 (the real data's).
  for (const g of ['NPHP1', 'NPHP4', 'RPGRIP1L', 'TMEM67', 'CEP290']) { assert.ok(want.includes(g), `${g} not in NPHP1's cluster ${want}`); }
  await page.click(`#clusters button[data-cluster="${cid}"]`);
  await page.waitForSelector('#cluster-genes');
  assert.deepEqual(await page.$$eval('#cluster-genes a', (as) => as.map((a) => a.textContent)), want);
  assert.match(page.url(), new RegExp(`#cluster=${cid}$`));
  const tables = await page.$$eval('#cluster-detail table caption', (cs) => cs.map((x) => x.textContent));
  assert.equal(tables.length, 3, tables.join(' | '));
  const hrefs = await page.$$eval('#cluster-detail table a', (as) => as.map((a) => a.href));
  if (c.enrichment.kegg.length) { assert.ok(hrefs.some((h) => /^https:\/\/www\.kegg\.jp\//.test(h)), hrefs.join(' ')); }
  assert.ok(hrefs.every((h) => /^https:\/\//.test(h)));
  const firstGo = c.enrichment.go_bp[0];
  assert.match(await page.textContent('#cluster-detail'), new RegExp(firstGo.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  // From the drawing: clear, then click NPHP1 where it is drawn.
  await page.click('#clear');
  await page.click('#fit');
  const at = await page.evaluate(() => window.KGDB_NETWORK_VIEW.screen('NPHP1'));
  const box = await page.locator('#net').boundingBox();
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await page.waitForSelector('#cluster-genes');
  const got = await page.$$eval('#cluster-genes a', (as) => as.map((a) => a.textContent));
  const picked = await page.textContent('#net-result');
  const pickedSym = picked.split(':')[0];
  const pc = N.cluster[idx[pickedSym]];
  assert.deepEqual(got, NET.clusters.find((x) => x.id === pc).nodes.map((v) => N.symbol[v]).sort());
  // The gene pages link here with #cluster=N.
  const { page: p2, context: c2, problems: pr2 } = await open(fileBase, `network.html#cluster=${cid}`);
  await p2.waitForSelector('#cluster-genes');
  assert.deepEqual(await p2.$$eval('#cluster-genes a', (as) => as.map((a) => a.textContent)), want);
  // A cluster with KEGG pathways links them to kegg.jp.
  const kc = NET.clusters.find((x) => x.enrichment.kegg.length);
  if (kc) {
    await p2.click(`#clusters button[data-cluster="${kc.id}"]`);
    await p2.waitForFunction((id) => /^Cluster /.test(document.querySelector('#cluster-detail h2').textContent) &&
      document.querySelector('#cluster-detail h2').textContent.startsWith('Cluster ' + id), kc.id);
    const kegg = await p2.$$eval('#cluster-detail a[href*="kegg.jp"]', (as) => as.map((a) => [a.textContent, a.href]));
    assert.deepEqual(kegg[0], [kc.enrichment.kegg[0].name, kc.enrichment.kegg[0].url]);
    assert.match(kegg[0][1], /^https:\/\/www\.kegg\.jp\//);
  }
  assert.deepEqual(pr2, []);
  await c2.close();
  assert.deepEqual(problems, []);
  await context.close();
});

// An alias of two or more scored genes that is nobody's symbol (ambiguous).
function ambiguousAlias() {
  const syms = new Set(KG.g.map((r) => r[1].toLowerCase()));
  const owners = {};
  for (const r of KG.g) {
    for (const a of [...(r[3] ? r[3].split('|') : []), ...(r[4] ? r[4].split('|') : [])]) {
      const k = a.toLowerCase();
      if (!k || syms.has(k)) { continue; }
      (owners[k] ||= new Set()).add(r[1]);
    }
  }
  return Object.entries(owners).find(([, s]) => s.size > 1);
}

// ln C(n, k) as a sum of ln((n−i)/(i+1)): a second implementation for the check.
function lnC(n, k) {
  let s = 0;
  for (let i = 0; i < k; i++) { s += Math.log((n - i) / (i + 1)); }
  return s;
}
function tail(k, N, K, n) {
  let p = 0;
  for (let x = k; x <= Math.min(n, K); x++) { p += Math.exp(lnC(K, x) + lnC(N - K, n - x) - lnC(N, n)); }
  return Math.min(1, p);
}
function near(a, b, tol = 1e-9) { return Math.abs(a - b) <= tol * Math.max(Math.abs(b), 1e-300); }

test('file: a pasted gene list gets its subnetwork, clusters and enrichment', async () => {
  const { page, context, problems, loaded } = await open(fileBase, 'network.html');
  await ready(page);
  const [alias, owners] = ambiguousAlias();
  const cilia = ['NPHP1', 'nphp4', 'RPGRIP1L', 'TMEM67', 'CEP290', 'IQCB1', 'INVS', 'NPHP3', 'HGNC:9008', 'TRPP1',
    'PKD2', 'PKHD1', 'COL4A3', 'COL4A4', 'COL4A5', 'NPHS1', 'NPHS2', 'WT1', 'NOTAGENE1', alias];
  await page.fill('#genes', cilia.join('\n'));
  await page.click('#sub-build');
  await page.waitForSelector('#sub-summary');
  assert.match(await page.textContent('#sub-unmatched'), /NOTAGENE1/);
  assert.match(await page.textContent('#sub-ambiguous'), new RegExp(alias, 'i'));
  for (const o of owners) { assert.match(await page.textContent('#sub-ambiguous'), new RegExp(o)); }
  // Expected subnetwork: the resolved genes that are in the network, and their edges.
  const want = new Set(['NPHP1', 'NPHP4', 'RPGRIP1L', 'TMEM67', 'CEP290', 'IQCB1', 'INVS', 'NPHP3', 'PKD1', 'PKD2', 'PKHD1',
    'COL4A3', 'COL4A4', 'COL4A5', 'NPHS1', 'NPHS2', 'WT1'].filter((s) => idx[s] !== undefined).map((s) => idx[s]));
  let e = 0;
  for (let j = 0; j < NET.edges.length; j += 2) { if (want.has(NET.edges[j]) && want.has(NET.edges[j + 1])) { e++; } }
  const g = await page.evaluate(() => window.KGDB_NETWORK_VIEW.graph());
  assert.equal(g.sub, true);
  assert.equal(g.nodes, want.size);
  assert.equal(g.edges, e);
  assert.ok(g.clusters >= 2, `clusters: ${g.clusters}`);
  assert.match(page.url(), /#genes=/);
  // The cluster list is the subnetwork's; NPHP1 and NPHP4 share one.
  const nphp = await page.evaluate(() => {
    const out = [];
    document.querySelectorAll('#clusters button').forEach((b) => out.push(b.getAttribute('data-cluster')));
    return out;
  });
  assert.equal(nphp.length, g.clusters);
  await page.click('#clusters button[data-cluster="0"]');
  await page.waitForSelector('#cluster-genes');
  // Enrichment, computed in the browser after loading the gene sets.
  assert.ok(!loaded.some((u) => /genesets-/.test(u)));
  await page.click('#enrich');
  await page.waitForSelector('#sub-enrichment table');
  assert.ok(loaded.some((u) => /genesets-go\.js/.test(u)) && loaded.some((u) => /genesets-hpo\.js/.test(u)));
  assert.equal(await page.locator('#sub-enrichment table').count(), 2);
  assert.ok(await page.locator('#cluster-detail table').count() >= 2);
  // The numbers, checked against a second implementation on the gene-set file.
  const GO = loadScript('network/genesets-go.js', 'KGDB_GENESETS_GO');
  const list = [...want].map((v) => N.hgnc[v]);
  const rows = await page.evaluate((l) => window.KGDB_NETWORK_VIEW.enrich(l, 'go_bp'), list);
  // The background: the network's genes with a GO term (as the build's cluster tables).
  const inNet = new Set(N.hgnc);
  const bg = new Set(GO.terms.flatMap((t) => t[1]).filter((h) => inNet.has(h)));
  const n = list.filter((x) => bg.has(x)).length;
  assert.equal(rows[0].N, bg.size);
  assert.equal(rows[0].n, n);
  for (const r of rows.slice(0, 10)) {
    const term = GO.terms[r.term];
    const K = new Set(term[1].filter((h) => inNet.has(h))).size;
    const k = term[1].filter((x, ix, a) => a.indexOf(x) === ix && list.includes(x)).length;
    assert.equal(r.K, K);
    assert.equal(r.k, k);
    assert.ok(near(r.p, tail(k, bg.size, K, n)), `${term[0]}: p ${r.p} vs ${tail(k, bg.size, K, n)}`);
  }
  // BH: the smallest p's FDR is p × m / 1 capped by the later ones.
  const m = rows.length;
  let running = 1;
  const q = rows.map((r) => r.p).map((p, ix, ps) => ps.length - ix).map(() => 0);
  for (let r = m - 1; r >= 0; r--) { running = Math.min(running, rows[r].p * m / (r + 1)); q[r] = Math.min(running, 1); }
  rows.slice(0, 10).forEach((r, ix) => assert.ok(near(r.fdr, q[ix]), `fdr ${r.fdr} vs ${q[ix]}`));
  await page.screenshot({ path: path.join(shots, 'network-subnetwork.png'), fullPage: true });
  // Back to the whole network.
  await page.click('#sub-reset');
  assert.equal((await page.evaluate(() => window.KGDB_NETWORK_VIEW.graph())).nodes, N.hgnc.length);
  assert.deepEqual(problems, []);
  await context.close();
});

// The build's cluster tables at full precision (downloads/cluster_enrichment.tsv; the
// page's data file carries 4 significant digits).
function buildTables() {
  const lines = fs.readFileSync(path.join(site, 'downloads', 'cluster_enrichment.tsv'), 'utf8').trim().split('\n');
  const head = lines[0].split('\t');
  const out = {};
  for (const line of lines.slice(1)) {
    const r = Object.fromEntries(line.split('\t').map((v, i) => [head[i], v]));
    (out[`${r.cluster}/${r.library}`] ||= []).push(r);
  }
  return out;
}
// `shown` is `x` rounded to 4 significant digits.
function rounded(x, shown) {
  return Math.abs(x - shown) <= 0.5 * Math.pow(10, Math.floor(Math.log10(Math.abs(shown))) - 3) * (1 + 1e-9);
}

test('file: the in-browser enrichment of a build cluster equals the build\'s own table', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html');
  await ready(page);
  await page.fill('#genes', 'NPHP1');
  await page.click('#sub-build');
  await page.waitForSelector('#sub-summary');
  await page.click('#enrich');
  await page.waitForSelector('#sub-enrichment table');
  const tables = buildTables();
  const checked = [];
  for (const c of NET.clusters.filter((x) => x.size >= 10).slice(0, 3).concat(NET.clusters.filter((x) => x.id === N.cluster[idx.NPHP1]))) {
    const list = c.nodes.map((v) => N.hgnc[v]);
    for (const lib of ['go_bp', 'hpo']) {
      const want = tables[`${c.id}/${lib}`] || [];
      const got = (await page.evaluate(([l, k]) => window.KGDB_NETWORK_VIEW.enrich(l, k), [list, lib])).slice(0, want.length);
      assert.equal(got.length, want.length, `cluster ${c.id} ${lib}`);
      assert.equal(want.length, c.enrichment[lib].length);
      got.forEach((r, ix) => {
        const w = want[ix];
        const what = `cluster ${c.id} ${lib} ${w.term_id}`;
        assert.equal(r.id, w.term_id, `${what} (row ${ix})`);
        assert.deepEqual([r.k, r.n, r.K, r.N], [Number(w.k), Number(w.n), Number(w.K), Number(w.N)], what);
        assert.ok(near(r.p, Number(w.p_value)), `${what}: p ${r.p} vs ${w.p_value}`);
        assert.ok(near(r.fdr, Number(w.fdr)), `${what}: fdr ${r.fdr} vs ${w.fdr}`);
        assert.ok(near(r.odds_ratio, Number(w.odds_ratio)), `${what}: odds ratio ${r.odds_ratio} vs ${w.odds_ratio}`);
        // And the page's data file shows the same numbers, rounded.
        const shown = c.enrichment[lib][ix];
        assert.ok(rounded(r.p, shown.p) && rounded(r.fdr, shown.fdr), `${what}: shown ${shown.p} ${shown.fdr}`);
      });
      checked.push(`${c.id}/${lib}`);
    }
  }
  assert.ok(checked.length >= 6, checked.join(' '));
  assert.deepEqual(problems, []);
  await context.close();
});

test('file: the gene table links its current filter to the network', async () => {
  const { page, context, problems } = await open(fileBase, 'index.html#q=nphp');
  await page.waitForFunction(() => /genes=/.test(document.getElementById('to-network').getAttribute('href')));
  const href = await page.getAttribute('#to-network', 'href');
  const listed = href.split('#genes=')[1].split(',').map(Number);
  const want = KG.g.filter((r) => [r[1], r[2], r[3], r[4]].join('\n').toLowerCase().includes('nphp')).map((r) => r[0]);
  assert.deepEqual(listed.sort((a, b) => a - b), want.sort((a, b) => a - b));
  await page.click('#to-network');
  await page.waitForSelector('#sub-summary');
  const inNet = listed.filter((h) => N.hgnc.includes(h)).length;
  assert.equal((await page.evaluate(() => window.KGDB_NETWORK_VIEW.graph())).nodes, inNet);
  assert.match(await page.inputValue('#genes'), /HGNC:\d+/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('file: the table view lists the same genes and clusters; the keyboard pans and zooms', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html');
  await ready(page);
  await page.click('#tableview summary');
  await page.waitForSelector('#nodes-table');
  assert.equal(await page.locator('#nodes-table tbody tr').count(), N.hgnc.length);
  assert.equal(await page.locator('#clusters-table tbody tr').count(), NET.clusters.length);
  const row = await page.$$eval('#nodes-table tbody tr', (trs) => trs.map((tr) => Array.from(tr.children).map((c) => c.textContent))
    .find((cells) => cells[0] === 'NPHP1'));
  const i = idx.NPHP1;
  assert.deepEqual(row.slice(0, 4), ['NPHP1', `HGNC:${N.hgnc[i]}`, String(N.cluster[i]), String(neighbours(i).size)]);
  // Keyboard: Tab reaches the drawing; + zooms, arrows pan, 0 fits.
  await page.focus('#net');
  const before = await page.evaluate(() => window.KGDB_NETWORK_VIEW.screen('NPHP1'));
  await page.keyboard.press('ArrowLeft');
  const panned = await page.evaluate(() => window.KGDB_NETWORK_VIEW.screen('NPHP1'));
  assert.ok(panned.x > before.x);
  await page.keyboard.press('+');
  await page.keyboard.press('0');
  const fitted = await page.evaluate(() => window.KGDB_NETWORK_VIEW.screen('NPHP1'));
  assert.ok(Math.abs(fitted.x - before.x) < 1e-6 && Math.abs(fitted.y - before.y) < 1e-6);
  assert.deepEqual(problems, []);
  await context.close();
});

test('file: on a phone the page fits and a tap on a gene opens its cluster', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html', { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true });
  await ready(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `page is ${overflow}px wider than the phone`);
  await page.locator('#net').scrollIntoViewIfNeeded();
  const at = await page.evaluate(() => window.KGDB_NETWORK_VIEW.screen('CEP290'));
  const box = await page.locator('#net').boundingBox();
  await page.touchscreen.tap(box.x + at.x, box.y + at.y);
  await page.waitForSelector('#cluster-genes');
  const tapped = (await page.textContent('#net-status')).split(':')[0];
  const c = NET.clusters.find((x) => x.id === N.cluster[idx[tapped]]);
  assert.deepEqual(await page.$$eval('#cluster-genes a', (as) => as.map((a) => a.textContent)), c.nodes.map((v) => N.symbol[v]).sort());
  await page.screenshot({ path: path.join(shots, 'network-phone.png'), fullPage: false });
  assert.deepEqual(problems, []);
  await context.close();
});

test('file: each interaction on the full network is timed (docs/benchmarks.md)', async () => {
  const { page, context, problems } = await open(fileBase, 'network.html');
  await ready(page);
  const cid = N.cluster[idx.NPHP1];
  // Each step dispatches the event its control fires (the handler redraws synchronously),
  // then reads a pixel back so the canvas work is included.
  const times = await page.evaluate((cid) => {
    const c = document.getElementById('net');
    const flush = () => c.getContext('2d').getImageData(0, 0, 1, 1);
    const out = {};
    const time = (name, fn) => {
      const runs = [];
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        fn(r);
        flush();
        runs.push(performance.now() - t);
      }
      runs.sort((a, b) => a - b);
      out[name] = { median: runs[2], worst: runs[4] };
    };
    const color = document.getElementById('color');
    const keys = ['clinical_group', 'onset_group', 'syndromic', 'cluster'];
    time('colour switch', (r) => { color.value = keys[r % 4]; color.dispatchEvent(new Event('change')); });
    const box = document.querySelector('#tiers input[value="1"]');
    time('tier filter', () => { box.checked = !box.checked; box.dispatchEvent(new Event('change', { bubbles: true })); });
    const min = document.getElementById('min');
    time('score filter', (r) => { min.value = r % 2 ? '' : '40'; min.dispatchEvent(new Event('input')); });
    const q = document.getElementById('gq');
    const form = document.getElementById('net-controls');
    time('find a gene (2 hops)', () => { q.value = 'NPHP1'; document.getElementById('hops').value = '2'; form.requestSubmit(); });
    time('open a cluster', () => { document.querySelector(`#clusters button[data-cluster="${cid}"]`).click(); });
    const canvas = document.getElementById('net');
    // Zoom and pan from the whole network, fitted, nothing highlighted.
    document.getElementById('clear').click();
    document.getElementById('fit').click();
    time('zoom (wheel)', (r) => {
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaY: r % 2 ? 120 : -120, clientX: 300, clientY: 300, bubbles: true, cancelable: true }));
      // The wheel redraws on the next frame; force it now for the measurement.
      document.getElementById('zoom-in').click();
    });
    time('pan (keyboard)', () => { canvas.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true })); });
    return out;
  }, cid);
  for (const [name, t] of Object.entries(times)) {
    console.log(`network interaction: ${name}: median ${t.median.toFixed(1)} ms, worst ${t.worst.toFixed(1)} ms (${N.hgnc.length} genes, ${NET.edges.length / 2} edges)`);
  }
  assert.equal(Object.keys(times).length, 7);
  // The subnetwork of every gene in the network (the largest list a reader can paste).
  await page.evaluate((hgncs) => {
    document.getElementById('genes').value = hgncs.map((h) => 'HGNC:' + h).join(' ');
    document.getElementById('sub-form').requestSubmit();
  }, N.hgnc);
  await page.waitForSelector('#sub-summary');
  const g = await page.evaluate(() => window.KGDB_NETWORK_VIEW.graph());
  assert.equal(g.nodes, N.hgnc.length);
  console.log(`network interaction: pasted list of all ${g.nodes} genes: names resolved, subnetwork and Louvain clusters in ${g.ms.toFixed(1)} ms (${g.clusters} clusters)`);
  assert.deepEqual(problems, []);
  await context.close();
});
