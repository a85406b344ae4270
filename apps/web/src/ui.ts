/** Tiny DOM helpers (no framework: three pages of forms and tables do not need one). */

type Child = Node | string | null | undefined | false;

/** Create an element with attributes (strings; `on*` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number | boolean | ((ev: Event) => void) | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

/** A number as the CLI prints it: fixed decimals (6 by default), no `-0`. */
export function fmt(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return String(x);
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** A result value carrying its test id. */
export function out(testid: string, text: string): HTMLElement {
  return h('span', { 'data-testid': testid, class: 'value' }, text);
}

/** A labelled form control. */
export function field(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, h('span', {}, label), control);
}

export function select(name: string, options: readonly string[], value: string): HTMLSelectElement {
  const s = h(
    'select',
    { name, 'data-testid': `input-${name}` },
    ...options.map((o) => h('option', { value: o }, o)),
  );
  s.value = options.includes(value) ? value : options[0]!;
  return s;
}

export function input(name: string, value: string, attrs: Record<string, string> = {}): HTMLInputElement {
  const el = h('input', { name, 'data-testid': `input-${name}`, ...attrs });
  el.value = value;
  return el;
}

/** A drop zone + file picker; `onFiles` gets every file dropped or picked. */
export function dropZone(
  testid: string,
  text: string,
  onFiles: (files: File[]) => void,
  opts: { multiple?: boolean; directory?: boolean } = {},
): HTMLElement {
  const picker = h('input', { type: 'file', 'data-testid': testid, multiple: opts.multiple ?? false });
  picker.addEventListener('change', () => onFiles(Array.from(picker.files ?? [])));
  const zone = h('div', { class: 'drop' }, h('span', {}, text + ' '), picker);
  if (opts.directory) {
    const dir = h('input', { type: 'file', 'data-testid': `${testid}-dir`, webkitdirectory: true });
    dir.addEventListener('change', () => onFiles(Array.from(dir.files ?? [])));
    zone.append(h('span', {}, ' or a folder '), dir);
  }
  zone.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (ev) => {
    ev.preventDefault();
    zone.classList.remove('over');
    onFiles(Array.from(ev.dataTransfer?.files ?? []));
  });
  return zone;
}

/** The error box: one line, the MechlabError's message (it names the field, as the CLI's `error:` does). */
export function errorBox(message: string): HTMLElement {
  return h('p', { class: 'error', 'data-testid': 'error', role: 'alert' }, `error: ${message}`);
}

/** Page parameters from the hash: `#/ccs?example=ccs-small&algo=gcs` → `{page: 'ccs', params}`. */
export function parseHash(hash: string): { page: string; params: URLSearchParams } {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  return {
    page: (q < 0 ? body : body.slice(0, q)) || 'ccs',
    params: new URLSearchParams(q < 0 ? '' : body.slice(q + 1)),
  };
}

/** Point the hash at a page with parameters; returns whether it changed (a change re-renders). */
export function setHash(page: string, params: Record<string, string>): boolean {
  const next = `#/${page}?${new URLSearchParams(params).toString()}`;
  if (location.hash === next) return false;
  location.hash = next;
  return true;
}
