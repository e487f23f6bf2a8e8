// Convene news site: the only script. Nothing needs it; "Copy link" copies the post's address instead of opening it.
document.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a[data-copy]');
  if (!a || !navigator.clipboard) return;
  e.preventDefault();
  navigator.clipboard.writeText(a.href).then(() => {
    const note = a.parentElement.querySelector('.copied') || document.createElement('span');
    note.className = 'copied';
    note.setAttribute('role', 'status');
    note.textContent = a.dataset.copied || '';
    a.after(note);
  });
});
