// Convene: taking part in a dialogue. Makes voting instant (the vote goes to the JSON API and the next
// statement is swapped in without a reload) and switches between a translation and its original in place.
// Every page works without this script: plain forms, POST then 303.
(function () {
  'use strict';

  function toggle(a) {
    var fig = a.closest('figure');
    var tr = fig && fig.querySelector('[data-variant="translation"]');
    var or = fig && fig.querySelector('[data-variant="original"]');
    if (!tr || !or) return false;
    var toOriginal = or.hidden;
    or.hidden = !toOriginal;
    tr.hidden = toOriginal;
    a.textContent = toOriginal ? a.getAttribute('data-show-translation') : a.getAttribute('data-show-original');
    return true;
  }

  document.addEventListener('click', function (e) {
    var a = e.target && e.target.closest && e.target.closest('a[data-toggle]');
    if (a && toggle(a)) e.preventDefault();
  });

  var main = document.getElementById('main');
  var form = document.querySelector('form[data-vote]');
  if (!main || !form || !main.getAttribute('data-invite') || !window.fetch || !window.Intl) return;

  var d = main.dataset;
  var api = '/api/participate/' + d.invite;
  var names = JSON.parse(d.languageNames || '{}');
  var nf = new Intl.NumberFormat(d.intl);
  var busy = false;
  var clicked = null;

  function fill(s, vars) {
    return s.replace(/\{\{(\w+)\}\}/g, function (_, k) {
      return vars[k];
    });
  }

  function el(tag, cls) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    return n;
  }

  function quote(text, lang, variant) {
    var q = el('blockquote', 'text');
    q.dir = 'auto';
    if (lang === 'en' || lang === 'he' || lang === 'ar') q.lang = lang;
    q.setAttribute('data-variant', variant);
    text.split(/\n\s*\n/).forEach(function (para) {
      var p = el('p');
      para.trim().split('\n').forEach(function (line, i) {
        if (i) p.appendChild(el('br'));
        p.appendChild(document.createTextNode(line));
      });
      q.appendChild(p);
    });
    return q;
  }

  function figure(s) {
    var fig = el('figure', 'statement');
    var orig = quote(s.original.body, s.original.language, 'original');
    var from = names[s.original.language] || names.other;
    var cap = el('figcaption', 'note');
    if (!s.translation) {
      fig.appendChild(orig);
      if (s.original.language !== d.lang) {
        cap.className = 'note untranslated';
        cap.textContent = fill(d.tUntranslated, { language: from });
        fig.appendChild(cap);
      }
      return fig;
    }
    orig.hidden = true;
    fig.appendChild(quote(s.translation.body, s.translation.language, 'translation'));
    fig.appendChild(orig);
    cap.textContent = fill(s.translation.source === 'ai' ? d.tMachine : d.tTranslated, { language: from }) + ' · ';
    var a = el('a');
    a.href = location.pathname + '?s=' + encodeURIComponent(s.id) + '&show=original';
    a.setAttribute('data-toggle', '');
    a.setAttribute('data-show-original', d.tShowOriginal);
    a.setAttribute('data-show-translation', d.tShowTranslation);
    a.textContent = d.tShowOriginal;
    cap.appendChild(a);
    fig.appendChild(cap);
    return fig;
  }

  function show(next) {
    var s = next.item.statement;
    main.querySelector('[data-prompt]').textContent = next.item.prompt;
    form.querySelector('[data-statement-id]').value = s.id;
    var holder = main.querySelector('[data-statement]');
    while (holder.firstChild) holder.removeChild(holder.firstChild);
    holder.appendChild(figure(s));
    var p = next.progress;
    main.querySelector('[data-progress]').textContent = fill(d.tProgress, { done: nf.format(p.done), total: nf.format(p.total) });
    var bar = main.querySelector('[data-progress-bar]');
    bar.max = Math.max(1, p.total);
    bar.value = p.done;
  }

  // anything but a network failure (slow down, a closed session, a lost cookie): let the server's page say it
  function postTheForm(value) {
    var input = el('input');
    input.type = 'hidden';
    input.name = 'value';
    input.value = value;
    form.appendChild(input);
    HTMLFormElement.prototype.submit.call(form);
  }

  form.addEventListener('click', function (e) {
    var b = e.target && e.target.closest && e.target.closest('button[name="value"]');
    if (b) clicked = b.value;
  });

  form.addEventListener('submit', function (e) {
    var value = e.submitter ? e.submitter.value : clicked;
    if (value === null || value === undefined || value === '') return;
    e.preventDefault();
    if (busy) return;
    busy = true;
    var error = form.querySelector('[data-vote-error]');
    var id = form.querySelector('[data-statement-id]').value;
    fetch(api + '/votes', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ statementId: id, value: Number(value) }),
    })
      .then(function (res) {
        if (!res.ok) throw res;
        return fetch(api + '/next?language=' + encodeURIComponent(d.lang), { credentials: 'same-origin', headers: { accept: 'application/json' } });
      })
      .then(function (res) {
        if (!res.ok) throw res;
        return res.json();
      })
      .then(function (next) {
        error.hidden = true;
        if (next.item.kind !== 'statement') return location.assign(location.pathname);
        show(next);
        busy = false;
      })
      .catch(function (x) {
        if (x && typeof x.status === 'number') return postTheForm(value);
        error.hidden = false;
        busy = false;
      });
  });
})();
