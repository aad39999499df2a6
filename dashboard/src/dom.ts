/**
 * A tiny element builder: `h('button', { testid: 'logout', onclick }, t('header.logout'))`.
 * Text goes in as text nodes, never as HTML, so a device name cannot inject markup.
 */
type Child = Node | string | number | false | null | undefined;

type Props = {
  testid?: string;
  class?: string;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (ev: HTMLElementEventMap[K]) => void }>;
  attrs?: Record<string, string | number | boolean | undefined>;
} & Record<string, unknown>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  const { testid, class: className, on, attrs, ...fields } = props;
  if (testid) el.dataset.testid = testid;
  if (className) el.className = className;
  for (const [name, listener] of Object.entries(on ?? {})) el.addEventListener(name, listener as EventListener);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === true) el.setAttribute(name, '');
    else if (value !== false && value !== undefined) el.setAttribute(name, String(value));
  }
  Object.assign(el, fields);
  append(el, children);
  return el;
}

export function append(el: Element, children: Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}
