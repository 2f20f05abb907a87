// Minimal Chrome DevTools Protocol driver (node --experimental-websocket): open a page, run JS, screenshot.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export async function browser(port) {
  const chrome = spawn('chromium', ['--headless=new', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
    `--explicitly-allowed-ports=${port}`, '--remote-debugging-port=0', 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const wsUrl = await new Promise((resolve, reject) => {
    let err = '';
    chrome.stderr.on('data', d => { err += d; const m = /DevTools listening on (ws:\S+)/.exec(err); if (m) resolve(m[1]); });
    chrome.on('exit', c => reject(new Error(`chromium exited ${c}`)));
  });
  const ws = new WebSocket(wsUrl);
  await new Promise(r => ws.addEventListener('open', r));
  let id = 0; const pending = new Map();
  ws.addEventListener('message', e => { const m = JSON.parse(e.data); if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); } });
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const n = ++id; pending.set(n, m => m.error ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result));
    ws.send(JSON.stringify({ id: n, method, params, sessionId }));
  });
  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const page = (method, params) => send(method, params, sessionId);
  await page('Emulation.setDeviceMetricsOverride', { width: 1600, height: 1000, deviceScaleFactor: 1, mobile: false });
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const api = {
    async go(u) { await page('Page.navigate', { url: u }); },
    async js(expr) {
      const r = await page('Runtime.evaluate', { expression: expr, awaitPromise: true, returnByValue: true });
      if (r.exceptionDetails) throw new Error(`${expr}: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
      return r.result.value;
    },
    async until(expr, what, ms = 30000) {
      for (const end = Date.now() + ms; Date.now() < end; await sleep(250)) if (await api.js(expr).catch(() => false)) return;
      throw new Error(`timed out waiting for ${what}`);
    },
    async drag(x, y, dx) {
      const mouse = (type, at, extra = {}) => page('Input.dispatchMouseEvent', { type, x: at, y, button: 'left', ...extra });
      await mouse('mouseMoved', x, { button: 'none' }); await sleep(100);
      await mouse('mousePressed', x, { buttons: 1, clickCount: 1 }); await sleep(100);
      for (let i = 1; i <= 10; i++) { await mouse('mouseMoved', x + dx * i / 10, { buttons: 1 }); await sleep(30); }
      await mouse('mouseReleased', x + dx, { buttons: 0, clickCount: 1 }); await sleep(100);
    },
    async type(text) { await page('Input.insertText', { text }); },
    async key(key, code, keyCode) {
      for (const type of ['keyDown', 'keyUp']) await page('Input.dispatchKeyEvent', { type, key, code, windowsVirtualKeyCode: keyCode });
    },
    async shot(file) {
      const { data } = await page('Page.captureScreenshot', { format: 'png' });
      writeFileSync(file, Buffer.from(data, 'base64'));
      console.log(file);
    },
    sleep,
    close() { ws.close(); chrome.kill(); },
  };
  return api;
}
