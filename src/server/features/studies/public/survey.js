// Convene survey: keeps a second tap from sending a form twice on a slow network. Everything works without it.
(() => {
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.sent) return e.preventDefault();
    form.dataset.sent = '1';
    for (const b of form.querySelectorAll('button[data-sending]')) {
      b.dataset.label = b.textContent;
      b.textContent = b.dataset.sending;
      b.setAttribute('aria-disabled', 'true');
    }
  });
  // back to a page kept in memory: its forms can be sent again
  addEventListener('pageshow', (e) => {
    if (!e.persisted) return;
    for (const form of document.forms) delete form.dataset.sent;
    for (const b of document.querySelectorAll('button[data-label]')) {
      b.textContent = b.dataset.label;
      b.removeAttribute('aria-disabled');
    }
  });
})();
