import { Api } from './api.js';
import { h } from './dom.js';
import { applyDocumentLang, onLangChange, t } from './i18n.js';
import { LiveSocket } from './live.js';
import { isShedAddress } from './shed/address.js';
import { clearSession, loadSession, saveSession, type Session } from './session.js';
import type { LoginAnswer } from './types.js';
import type { Problem } from './views/errors.js';
import { header } from './views/header.js';
import { loginView } from './views/login.js';
import type { PageView } from './views/page.js';
import { loadPage, nav, pageFor } from './views/pages.js';
import { passwordView } from './views/password.js';

/**
 * The signed-in dashboard, loaded by main.ts for every address but a shed's
 * public page. Its one piece of state: who is signed in. It picks the page
 * (sign in → change password → the role's pages, named by the URL hash) and
 * owns the live feed, which lives as long as the session does.
 */
const root = document.getElementById('app')!;
const api = new Api();
let session: Session | undefined = loadSession();
let live: LiveSocket | undefined;
let page: PageView | undefined;
/** Counts renders, so a page chunk that arrives after the person moved on is not shown. */
let renders = 0;
let notice: Problem | undefined;

function render(): void {
  renders += 1;
  page?.destroy();
  page = undefined;
  if (!session) {
    root.replaceChildren(header(undefined, logout), loginView({ api, notice, onSignedIn: signedIn }));
    return;
  }
  if (session.user.mustChangePassword) {
    root.replaceChildren(header(session.user, logout), passwordView({ api, username: session.user.username, onChanged: passwordChanged }));
    return;
  }
  live ??= startLive(session.token);
  showPage(session, live);
}

function frame(user: Session['user'], body: HTMLElement): void {
  const id = pageFor(user.role, location.hash);
  root.replaceChildren(...[header(user, logout), nav(user.role, id), body].filter((el) => el !== undefined));
}

/** The role's page named by the hash; its chunk loads on first use (instantly after that). */
function showPage(current: Session, socket: LiveSocket): void {
  const mine = renders;
  const id = pageFor(current.user.role, location.hash);
  frame(current.user, h('main', { class: 'page' }, h('p', { class: 'hint' }, t('list.loading'))));
  loadPage(id).then(
    (create) => {
      if (mine !== renders) return;
      page = create({ api, live: socket, user: current.user });
      frame(current.user, page.el);
    },
    // An old tab after the server was updated asks for chunks that are gone: a reload fetches the new ones.
    () => mine === renders && frame(current.user, h('main', { class: 'page' }, h('p', { testid: 'page-load-error', class: 'form__error', attrs: { role: 'alert' } }, t('err.pageLoad')))),
  );
}

function startLive(token: string): LiveSocket {
  const socket = new LiveSocket(token);
  socket.subscribe({
    // A refused socket may be an expired token: /api/auth/me says, and a 401 there signs out.
    onRefused: () => void api.me().catch(() => {}),
  });
  return socket;
}

function signedIn(answer: LoginAnswer): void {
  session = { token: answer.token, user: answer.user };
  saveSession(session);
  api.setToken(session.token);
  notice = undefined;
  render();
}

/**
 * Signs in again with the new password: the server may end the session the
 * change was made in (it ends the person's other sessions), and a fresh token
 * is right either way. The old one is revoked first, best effort.
 */
async function passwordChanged(newPassword: string): Promise<void> {
  if (!session) return;
  const { username } = session.user;
  await api.logout().catch(() => {});
  try {
    signedIn(await api.login(username, newPassword));
  } catch {
    logout({ key: 'pw.changedSignIn' });
  }
}

function logout(reason?: Problem): void {
  // Best effort: an expired session is already gone, and an offline phone still signs out locally.
  if (session && !reason) void api.logout().catch(() => {});
  live?.close();
  live = undefined;
  session = undefined;
  api.setToken(undefined);
  clearSession();
  notice = reason;
  render();
}

api.onUnauthorized = () => logout({ key: 'err.sessionExpired' });
api.setToken(session?.token);

onLangChange(() => {
  if (page?.relabel && session) {
    // Keep the data and the socket; only the words change.
    frame(session.user, page.el);
    page.relabel();
  } else {
    render();
  }
});

// The nav is plain links to #/page: the back button and a reload keep the page.
// A shed's public page (#/shed/…) is not ours: main.ts loads it instead.
window.addEventListener('hashchange', () => session && !isShedAddress(location.hash) && render());

applyDocumentLang();
render();

// The stored user may be stale (password changed elsewhere, role changed): ask once.
if (session) {
  api
    .me()
    .then((user) => {
      if (!session) return;
      const changed = JSON.stringify(user) !== JSON.stringify(session.user);
      session = { ...session, user };
      saveSession(session);
      if (changed) render();
    })
    .catch(() => {
      /* 401 already signed out; a network error leaves the stored user in place */
    });
}
