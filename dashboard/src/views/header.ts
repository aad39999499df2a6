import { h } from '../dom.js';
import { lang, roleLabel, setLang, t } from '../i18n.js';
import type { User } from '../types.js';

/** The bar on every page: name, language switch, and who is signed in with a way out. */
export function header(user: User | undefined, onLogout: () => void): HTMLElement {
  const toggle = h(
    'button',
    {
      type: 'button',
      testid: 'lang-toggle',
      class: 'btn btn--ghost',
      attrs: { 'aria-label': t('lang.switchLabel'), lang: lang() === 'zh' ? 'en' : 'zh-CN' },
      on: { click: () => setLang(lang() === 'zh' ? 'en' : 'zh') },
    },
    t('lang.switch'),
  );
  const who = user
    ? h(
        'div',
        { class: 'header__user' },
        h('span', { testid: 'current-user', class: 'header__name', title: t('header.user') }, user.displayName || user.username),
        h('span', { class: 'header__role' }, roleLabel(user.role)),
        h('button', { type: 'button', testid: 'logout', class: 'btn btn--ghost', on: { click: () => onLogout() } }, t('header.logout')),
      )
    : undefined;
  return h(
    'header',
    { class: 'header' },
    h('div', { class: 'header__brand' }, h('span', { class: 'header__logo', attrs: { 'aria-hidden': 'true' } }, '邻'), t('appName')),
    h('div', { class: 'header__actions' }, who, toggle),
  );
}
