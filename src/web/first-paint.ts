// The first paint the server sends with the page (server/http/first-paint.ts) lies over the page until the React page
// has rendered the same text beneath it: that page removes it in the same frame (useFirstPaintGone), and the router
// removes it as soon as it settles on another page (a redirect) or fails, so it never hides the app.

const element = () => (typeof document === 'undefined' ? null : document.getElementById('first-paint'));

/** Removes the server's first paint, if it is still there; a field of it that had focus hands it to the app's own. */
export function dismissFirstPaint(): void {
  const el = element();
  if (!el) return;
  const focused = firstPaintFocus();
  el.remove();
  if (focused) document.querySelector<HTMLInputElement>(`#root input[autocomplete="${focused}"]`)?.focus();
}

/** The page the first paint stands for ("/sign-in", "/network"), if there is one. */
export function firstPaintPath(): string | null {
  return element()?.dataset.path ?? null;
}

/** The `autocomplete` of the first paint's field that has focus, if one has (the app's form focuses its own instead). */
export function firstPaintFocus(): string | null {
  const el = element();
  const active = typeof document === 'undefined' ? null : document.activeElement;
  return el && active instanceof HTMLInputElement && el.contains(active) ? active.autocomplete : null;
}

/** What someone typed into the first paint's field before the app arrived (the sign-in form), so it is kept. */
export function firstPaintValue(name: string): string {
  const input = element()?.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  return input?.value ?? '';
}

let signInAsked = false;

/**
 * Remembers "Sign in" pressed on the first paint (its button, or Enter in a field) before the app has arrived; the
 * sign-in page then sends the form as it appears (signInAskedEarly). Called by the page's first script.
 */
export function listenForEarlySignIn(): void {
  const el = element();
  if (!el || el.dataset.path !== '/sign-in') return;
  el.addEventListener('click', (e) => {
    if ((e.target as Element | null)?.closest('button')) signInAsked = true;
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.target as Element | null)?.tagName === 'INPUT') signInAsked = true;
  });
  el.dataset.listening = '';
}

/** Whether "Sign in" was pressed on the first paint (once: the answer is then forgotten). */
export function signInAskedEarly(): boolean {
  const asked = signInAsked;
  signInAsked = false;
  return asked;
}
