// What both browser tests share: the headless Chromium they drive, and a static HTTP server
// over the built site (python3's http.server on a free loopback port), so each page is also
// tried as a static host serves it.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export function startServer(site) {
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error('http.server did not start: ' + out)), 10000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc: p, base: `http://127.0.0.1:${m[1]}/` });
      }
    });
    p.on('exit', (code) => reject(new Error('http.server exited ' + code + ': ' + out)));
  });
}
