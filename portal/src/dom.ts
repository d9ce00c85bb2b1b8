/** The page's elements, by id, and the few ways the portal writes to them. */

/** The element with this id (the page has every id the portal asks for). */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  return document.getElementById(id) as T;
}
export function show(node: HTMLElement | null, on: boolean): void { if (node) node.hidden = !on; }
export function setText(node: HTMLElement | null, value: unknown): void { if (node) node.textContent = value == null ? '' : String(value); }
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: unknown): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text != null) node.textContent = String(text);
  return node;
}

/** Every sentence shown ends properly (server details may come without a final period). */
export function sentence(message: unknown): string {
  const m = String(message || '').trim();
  return m && !/[.!?\u2026\u00bb:)]$/.test(m) ? m + '.' : m;
}
export function notice(node: HTMLElement | null, message?: string, kind?: string): void {
  if (!node) return;
  node.className = 'notice' + (kind ? ' notice--' + kind : '');
  setText(node, sentence(message));
  show(node, Boolean(message));
}
export function statusLine(node: HTMLElement, message: string, kind: string): void {
  node.className = 'status' + (kind ? ' status--' + kind : '');
  setText(node, message);
  show(node, Boolean(message));
}

function legacyCopy(value: string): void {
  const ta = document.createElement('textarea');
  ta.value = value;
  ta.setAttribute('readonly', '');
  ta.style.position = 'fixed';
  ta.style.opacity = '0';
  document.body.appendChild(ta);
  ta.select();
  try { document.execCommand('copy'); } catch { /* nothing else to try */ }
  document.body.removeChild(ta);
}
/** Copies `value` (the clipboard API where the page may use it), then says «Copiado» on `button` for a moment. */
export function copyText(value: string, button: HTMLElement): void {
  const done = () => { setText(button, 'Copiado'); setTimeout(() => { setText(button, 'Copiar'); }, 1500); };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(value).then(done, () => { legacyCopy(value); done(); });
  } else {
    legacyCopy(value);
    done();
  }
}
