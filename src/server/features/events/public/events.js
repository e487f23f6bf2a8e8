// Convene event pages: the only script. Nothing needs it; it keeps a form from being sent twice by a double tap.
document.addEventListener('submit', (e) => {
  const form = e.target;
  if (form.dataset.sent) {
    e.preventDefault();
    return;
  }
  form.dataset.sent = '1';
  for (const b of form.querySelectorAll('button[type="submit"]')) b.setAttribute('aria-disabled', 'true');
});
