// Convene check-in: the volunteers' door app (/checkin). Pairs the phone (a pairing code scanned or typed), holds
// the event's ticket list and public key, scans QR codes with the camera (BarcodeDetector) or takes a typed code or a
// search by name, and decides each scan: online the server decides (POST /api/checkin/scans); offline the phone
// verifies the code's Ed25519 signature with WebCrypto against the event's public key, checks the list it holds,
// admits, and queues the scan (IndexedDB: it survives a reload or a closed tab) until the network returns. Every scan
// carries a nonce made here and keeps it until the server has answered for it, so a retried upload changes nothing
// on the server.
(() => {
  'use strict';
  const data = JSON.parse(document.getElementById('checkin-data').textContent);
  const S = data.strings;
  const $ = (id) => document.getElementById(id);
  const t = (key, vars) => (S[key] || key).replace(/\{\{(\w+)\}\}/g, (_, k) => (vars && vars[k] !== undefined ? `\u2068${vars[k]}\u2069` : ''));
  const KEY = 'convene-checkin';
  const MAX_BATCH = 1000;

  const load = (k, d) => {
    try {
      const v = localStorage.getItem(`${KEY}:${k}`);
      return v ? JSON.parse(v) : d;
    } catch {
      return d;
    }
  };
  const save = (k, v) => localStorage.setItem(`${KEY}:${k}`, JSON.stringify(v));

  let pairing = load('pairing', null); // { token, device, event }
  let list = load('list', null); // the ticket list
  let queue = []; // scans not yet sent (a copy of the queue kept in IndexedDB, in the order they were made)
  let local = load('local', {}); // ticketId -> { at, gate, device }: admitted on this phone while offline
  let conflicts = load('conflicts', 0);
  let byId = new Map();
  let key = null; // the event's public key (CryptoKey) or false when WebCrypto has no Ed25519
  let online = navigator.onLine;

  const b64u = (s) => {
    const b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
    return Uint8Array.from(b, (c) => c.charCodeAt(0));
  };
  const hex = (bytes) => Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join('');
  const uuid = (bytes) => {
    const h = hex(bytes);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
  const nonce = () => (crypto.randomUUID ? crypto.randomUUID() : hex(crypto.getRandomValues(new Uint8Array(16))));

  // the same folding as Network's name search (src/server/features/network/names.ts)
  const fold = (text) =>
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036F\u0591-\u05C7\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g, '')
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u0622\u0623\u0625\u0671]/g, '\u0627')
      .replace(/\u0649/g, '\u064A')
      .replace(/\u0629/g, '\u0647')
      .replace(/\u0624/g, '\u0648')
      .replace(/\u0626/g, '\u064A')
      .replace(/\u06CC/g, '\u064A')
      .replace(/\u06A9/g, '\u0643')
      .replace(/\u05DA/g, '\u05DB')
      .replace(/\u05DD/g, '\u05DE')
      .replace(/\u05DF/g, '\u05E0')
      .replace(/\u05E3/g, '\u05E4')
      .replace(/\u05E5/g, '\u05E6')
      .replace(/[\u05F3\u05F4'"`´‘’“”]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();

  const timeOf = (iso) =>
    new Intl.DateTimeFormat(data.intl, { hour: '2-digit', minute: '2-digit', timeZone: pairing?.event.timeZone || undefined }).format(new Date(iso));
  const titleOf = (text) => text[data.lang] || text.en || text.he || text.ar || Object.values(text)[0] || '';

  async function api(path, init = {}) {
    const headers = { ...(init.headers || {}) };
    if (pairing) headers.authorization = `Bearer ${pairing.token}`;
    if (init.body) headers['content-type'] = 'application/json';
    const res = await fetch(path, { ...init, headers, credentials: 'omit' });
    if (res.status === 401 && pairing) {
      forget(t('revoked'));
      throw new Error('revoked');
    }
    return res;
  }

  // ---------- the scan queue (IndexedDB) ----------

  // One object store of scans keyed by nonce; each scan is written before its result is shown and removed only once
  // the server has answered for its nonce. Where IndexedDB cannot be opened (some private modes), localStorage.
  let seq = 0;
  const idb = () =>
    new Promise((resolve, reject) => {
      const req = indexedDB.open(KEY, 1);
      req.onupgradeneeded = () => req.result.createObjectStore('scans', { keyPath: 'nonce' });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('blocked'));
    });
  const done = (tx) =>
    new Promise((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error || new Error('aborted'));
    });
  const store = {
    db: null,
    async open() {
      try {
        this.db = await idb();
      } catch {
        this.db = null;
      }
      // scans queued in localStorage by an earlier version of this app move into IndexedDB
      const old = load('queue', []).map((x, i) => ({ ...x, seq: x.seq || i + 1 }));
      if (this.db && old.length) {
        await this.put(...old);
        localStorage.removeItem(`${KEY}:queue`);
      }
    },
    async all() {
      if (!this.db) return load('queue', []);
      const tx = this.db.transaction('scans', 'readonly');
      const req = tx.objectStore('scans').getAll();
      await done(tx);
      return req.result.sort((x, y) => x.seq - y.seq);
    },
    async put(...scans) {
      if (!this.db) return save('queue', queue);
      const tx = this.db.transaction('scans', 'readwrite');
      for (const sc of scans) tx.objectStore('scans').put(sc);
      await done(tx);
    },
    async remove(nonces) {
      if (!this.db) {
        const gone = new Set(nonces);
        return save('queue', queue.filter((x) => !gone.has(x.nonce)));
      }
      const tx = this.db.transaction('scans', 'readwrite');
      for (const n of nonces) tx.objectStore('scans').delete(n);
      await done(tx);
    },
    async clear() {
      if (!this.db) return save('queue', []);
      const tx = this.db.transaction('scans', 'readwrite');
      tx.objectStore('scans').clear();
      await done(tx);
    },
  };
  const ready = store.open().then(async () => {
    queue = await store.all().catch(() => []);
    seq = queue.reduce((m, x) => Math.max(m, x.seq || 0), 0);
  });

  // ---------- pairing ----------

  async function pair(code) {
    $('pair-error').textContent = '';
    try {
      const res = await fetch('/api/checkin/pair', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }), credentials: 'omit' });
      if (!res.ok) {
        $('pair-error').textContent = t(res.status === 429 ? 'pairTooMany' : 'pairFailed');
        return;
      }
      pairing = await res.json();
      save('pairing', pairing);
      list = null; // another event's list (and its cursor) is no use here
      save('list', null);
      queue = [];
      local = {};
      conflicts = 0;
      await store.clear();
      save('local', local);
      save('conflicts', 0);
      await prepare();
      await refreshList();
      show();
    } catch {
      $('pair-error').textContent = t('pairFailed');
    }
  }

  function forget(message) {
    pairing = null;
    list = null;
    byId = new Map();
    localStorage.removeItem(`${KEY}:pairing`);
    localStorage.removeItem(`${KEY}:list`);
    show();
    if (message) $('pair-error').textContent = message;
  }

  // ---------- the ticket list and the key ----------

  async function prepare() {
    if (!pairing) return;
    try {
      key = await crypto.subtle.importKey('raw', b64u(pairing.event.publicKey), { name: 'Ed25519' }, false, ['verify']);
    } catch {
      key = false;
    }
    index();
  }

  function index() {
    byId = new Map((list?.tickets || []).map((x) => [x.id, x]));
  }

  /** The ticket list: whole the first time, then only what changed since the list held (merged by ticket id). */
  async function refreshList() {
    if (!pairing) return;
    try {
      const since = list && list.cursor ? `?since=${encodeURIComponent(list.cursor)}` : '';
      const res = await api(`/api/checkin/tickets${since}`);
      if (!res.ok) return;
      const got = await res.json();
      if (got.changesOnly && list) {
        const merged = new Map(list.tickets.map((x) => [x.id, x]));
        for (const x of got.tickets) merged.set(x.id, x);
        list = { ...got, tickets: [...merged.values()] };
      } else {
        list = got;
      }
      save('list', list);
      index();
      setOnline(true);
    } catch {
      setOnline(false);
    }
    counts();
  }

  /** What the code claims, if its signature verifies: { eventId, ticketId, version } or a refusal. */
  async function verify(code) {
    const m = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(code);
    if (!m) return { result: 'invalid' };
    let payload;
    let sig;
    try {
      payload = b64u(m[1]);
      sig = b64u(m[2]);
    } catch {
      return { result: 'invalid' };
    }
    if (payload.length !== 37 || payload[0] !== 1 || sig.length !== 64) return { result: 'invalid' };
    const eventId = uuid(payload.subarray(1, 17));
    const ticketId = uuid(payload.subarray(17, 33));
    const version = new DataView(payload.buffer, payload.byteOffset).getUint32(33);
    if (eventId !== pairing.event.id) return { result: 'wrong_event' };
    if (key) {
      const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, sig, payload).catch(() => false);
      if (!ok) return { result: 'invalid' };
    }
    return { ticketId, version };
  }

  /** The phone's own decision, offline. */
  async function decideOffline(scan) {
    let ticketId = scan.ticketId;
    let version = null;
    if (scan.code !== undefined) {
      const v = await verify(scan.code);
      if (v.result) return { result: v.result, ticketId: null };
      ticketId = v.ticketId;
      version = v.version;
    }
    const tk = byId.get(ticketId);
    if (!tk || (version !== null && version !== tk.version)) return { result: 'invalid', ticketId: null };
    if (tk.status !== 'valid') return { result: 'cancelled', ticketId, name: tk.name };
    const first = local[ticketId] || (tk.admittedAt ? { at: tk.admittedAt, gate: '', device: null } : null);
    if (first) return { result: 'already_admitted', ticketId, name: tk.name, admitted: first };
    local[ticketId] = { at: scan.scannedAt, gate: scan.gate, device: pairing.device.label };
    save('local', local);
    return { result: 'admitted', ticketId, name: tk.name };
  }

  // ---------- scanning ----------

  let busy = false;
  async function handle(input) {
    if (!pairing || busy) return;
    busy = true;
    await ready;
    const scan = { nonce: nonce(), ...input, scannedAt: new Date().toISOString(), gate: pairing.device.gate, offline: false };
    let outcome = null;
    if (online && !queue.length) {
      try {
        const res = await api('/api/checkin/scans', { method: 'POST', body: JSON.stringify({ scans: [scan] }) });
        if (res.ok) {
          outcome = (await res.json()).results[0];
          if (outcome.result === 'admitted' && outcome.ticketId) {
            const tk = byId.get(outcome.ticketId);
            if (tk) tk.admittedAt = scan.scannedAt;
          }
        }
      } catch (err) {
        if (err && err.message === 'revoked') {
          busy = false;
          return;
        }
        setOnline(false);
      }
    }
    if (!outcome) {
      scan.offline = true;
      outcome = await decideOffline(scan);
      scan.seq = ++seq;
      queue.push(scan);
      await store.put(scan).catch(() => {});
      counts();
    }
    busy = false;
    showResult(outcome);
  }

  let uploading = false;
  async function upload() {
    await ready;
    if (!pairing || !queue.length || uploading) return;
    uploading = true;
    const batch = queue.slice(0, MAX_BATCH).map(({ seq: _, ...scan }) => scan);
    try {
      const res = await api('/api/checkin/scans', { method: 'POST', body: JSON.stringify({ scans: batch }) });
      if (!res.ok) return;
      const { results } = await res.json();
      const sent = new Set(results.map((r) => r.nonce));
      conflicts += results.filter((r) => r.result === 'conflict').length;
      save('conflicts', conflicts);
      // forgotten only once the server has answered for them: a batch lost on the way is sent again, the same nonces
      await store.remove([...sent]);
      queue = queue.filter((s) => !sent.has(s.nonce));
      setOnline(true);
      if (!queue.length) await refreshList();
    } catch {
      setOnline(false);
    } finally {
      uploading = false;
    }
    counts();
  }

  // ---------- screens ----------

  function setOnline(v) {
    online = v;
    $('net').textContent = v ? t('online') : t('offline');
    $('net').className = v ? 'net on' : 'net off';
  }

  function counts() {
    const parts = [t('held', { n: list ? list.tickets.length : 0 })];
    if (queue.length) parts.push(t('queued', { n: queue.length }));
    if (conflicts) parts.push(t('conflicts', { n: conflicts }));
    $('counts').textContent = parts.join(' · ');
  }

  function showResult(r) {
    const ok = r.result === 'admitted';
    const box = $('result');
    box.className = `result ${ok ? 'ok' : 'bad'}`;
    box.dataset.result = r.result;
    $('result-title').textContent = t(r.result);
    $('result-name').firstElementChild.textContent = r.name || '';
    const a = r.admitted;
    $('result-detail').textContent = a && a.gate ? t('alreadyDetail', { time: timeOf(a.at), gate: a.gate, device: a.device || '' }) : '';
    box.hidden = false;
    box.focus();
    if (navigator.vibrate) navigator.vibrate(ok ? 120 : [250, 100, 250]);
  }

  function show() {
    $('pair').hidden = !!pairing;
    $('door').hidden = !pairing;
    if (pairing) {
      $('event-title').textContent = titleOf(pairing.event.title);
      $('where').textContent = t('gate', { gate: pairing.device.gate, device: pairing.device.label });
      counts();
    }
  }

  function search(q) {
    const ul = $('found');
    ul.textContent = '';
    const f = fold(q);
    if (f.length < 2) return;
    const found = (list?.tickets || []).filter((x) => x.search.includes(f)).slice(0, 20);
    if (!found.length) {
      const li = document.createElement('li');
      li.textContent = t('searchNone');
      ul.append(li);
      return;
    }
    for (const x of found) {
      const li = document.createElement('li');
      const name = document.createElement('bdi');
      name.textContent = x.name;
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = t('admit');
      b.addEventListener('click', () => handle({ ticketId: x.id }));
      li.append(name, ' ', b);
      ul.append(li);
    }
  }

  // ---------- the camera ----------

  // The browser's BarcodeDetector where it reads QR codes (Chrome on Android, Safari); otherwise ZXing's WebAssembly
  // reader (zxing-wasm), fetched from this server only then, its .wasm from this server too (never the CDN it
  // defaults to), and kept by the service worker for offline use.
  let zxing = null;
  function loadZxing() {
    if (!zxing) {
      zxing = new Promise((resolve, reject) => {
        const s = document.createElement('script');
        s.src = data.zxing.js;
        s.onload = () => {
          const Z = window.ZXingWASM;
          Promise.resolve(Z.prepareZXingModule({ overrides: { locateFile: (file, prefix) => (file.endsWith('.wasm') ? data.zxing.wasm : prefix + file) }, fireImmediately: true }))
            .then(() => resolve(Z), reject);
        };
        s.onerror = reject;
        document.head.append(s);
      }).catch((err) => {
        zxing = null;
        throw err;
      });
    }
    return zxing;
  }

  /** A function that answers the text of the QR code in the video's current frame, or ''. */
  async function makeDetector() {
    if ('BarcodeDetector' in window) {
      const formats = await window.BarcodeDetector.getSupportedFormats().catch(() => []);
      if (formats.includes('qr_code')) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return async (video) => ((await detector.detect(video).catch(() => []))[0] || {}).rawValue || '';
      }
    }
    const Z = await loadZxing();
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    return async (video) => {
      const w = video.videoWidth;
      const h = video.videoHeight;
      if (!w || !h) return '';
      const scale = Math.min(1, 800 / Math.max(w, h));
      canvas.width = Math.round(w * scale);
      canvas.height = Math.round(h * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      const found = await Z.readBarcodes(ctx.getImageData(0, 0, canvas.width, canvas.height), { formats: ['QRCode'], maxNumberOfSymbols: 1, tryHarder: true }).catch(() => []);
      return found[0] && found[0].isValid ? found[0].text : '';
    };
  }

  let stream = null;
  let timer = null;
  async function startCamera(mode) {
    $('camera-note').textContent = '';
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      $('camera-note').textContent = t('noCamera');
      return;
    }
    stopCamera();
    let detect;
    try {
      detect = await makeDetector();
    } catch {
      $('camera-note').textContent = t('noCamera');
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      const video = $('video');
      video.srcObject = stream;
      await video.play();
      $('camera').hidden = false;
      $('camera').dataset.state = 'on';
      // a code is taken once while it stays in front of the camera (the result screen, then "next", and the same
      // ticket still held up is not scanned again); it counts again once it has been out of view for a moment
      let last = '';
      let lastSeen = 0;
      let reading = false;
      timer = setInterval(async () => {
        if (busy || reading || !stream) return;
        reading = true;
        const value = await detect(video).catch(() => '');
        reading = false;
        if (!value || !stream) return;
        const now = Date.now();
        const again = value === last && now - lastSeen < 1500;
        lastSeen = now;
        last = value;
        if (again || !$('result').hidden) return;
        if (mode === 'pair') {
          const m = /#pair=([0-9A-Za-z-]+)/.exec(value);
          stopCamera();
          await pair(m ? m[1] : value);
        } else {
          await handle({ code: value });
        }
      }, 150);
    } catch {
      stopCamera();
      $('camera-note').textContent = t('cameraFailed');
    }
  }

  function stopCamera() {
    clearInterval(timer);
    timer = null;
    if (stream) for (const tr of stream.getTracks()) tr.stop();
    stream = null;
    $('camera').hidden = true;
    delete $('camera').dataset.state;
  }

  // ---------- wiring ----------

  $('pair-form').addEventListener('submit', (e) => {
    e.preventDefault();
    pair($('pair-code').value);
  });
  $('code-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const v = $('ticket-code').value.trim();
    $('ticket-code').value = '';
    if (v) handle({ code: v });
  });
  $('search').addEventListener('input', (e) => search(e.target.value));
  $('result-next').addEventListener('click', () => {
    $('result').hidden = true;
    $('search').value = '';
    $('found').textContent = '';
  });
  for (const b of document.querySelectorAll('[data-scan]')) b.addEventListener('click', () => startCamera(b.dataset.scan));
  $('camera-stop').addEventListener('click', stopCamera);
  $('unpair').addEventListener('click', () => {
    if (queue.length) upload();
    forget('');
  });
  window.addEventListener('online', () => {
    setOnline(true);
    upload();
  });
  window.addEventListener('offline', () => setOnline(false));
  setInterval(() => {
    if (queue.length) upload();
  }, 3000);
  // only the changes travel, so the list is asked for often
  setInterval(() => {
    if (online && !queue.length) refreshList();
  }, 15000);

  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/checkin/sw.js', { scope: '/checkin' }).catch(() => {});
    // without a BarcodeDetector that reads QR codes, the decoder is kept for offline use (not fetched by the page)
    const qr = 'BarcodeDetector' in window ? window.BarcodeDetector.getSupportedFormats().then((f) => f.includes('qr_code'), () => false) : Promise.resolve(false);
    qr.then((has) => {
      if (!has) navigator.serviceWorker.ready.then((reg) => reg.active && reg.active.postMessage({ keep: [data.zxing.js, data.zxing.wasm] }));
    });
  }

  setOnline(online);
  const hash = /#pair=([0-9A-Za-z-]+)/.exec(location.hash);
  show();
  Promise.all([prepare(), ready]).then(() => {
    if (hash) {
      history.replaceState(null, '', location.pathname + location.search);
      pair(hash[1]);
    } else if (pairing) {
      refreshList();
      upload();
    }
  });
  // for the door journey test: the same path the camera feeds
  window.conveneCheckin = { scanned: (value) => handle({ code: value }), upload, state: () => ({ queue: queue.length, conflicts, tickets: byId.size }), ready: () => ready.then(() => true) };
})();
