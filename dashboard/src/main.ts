import { Api } from './api.js';
import { applyDocumentLang, onLangChange } from './i18n.js';
import { LiveSocket } from './live.js';
import { clearSession, loadSession, saveSession, type Session } from './session.js';
import type { LoginAnswer } from './types.js';
import { devicesView, type DevicesView } from './views/devices.js';
import type { Problem } from './views/errors.js';
import { header } from './views/header.js';
import { loginView } from './views/login.js';
import { passwordView } from './views/password.js';

/**
 * The dashboard's one piece of state: who is signed in. It picks the page
 * (sign in → change password → devices) and owns the live feed, which lives as
 * long as the session does.
 */
const root = document.getElementById('app')!;
const api = new Api();
let session: Session | undefined = loadSession();
let live: LiveSocket | undefined;
let devices: DevicesView | undefined;
let notice: Problem | undefined;

function render(): void {
  devices?.destroy();
  devices = undefined;
  if (!session) {
    root.replaceChildren(header(undefined, logout), loginView({ api, notice, onSignedIn: signedIn }));
    return;
  }
  if (session.user.mustChangePassword) {
    root.replaceChildren(header(session.user, logout), passwordView({ api, username: session.user.username, onChanged: passwordChanged }));
    return;
  }
  live ??= startLive(session.token);
  devices = devicesView({ api, live });
  root.replaceChildren(header(session.user, logout), devices.el);
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
  if (devices && session) {
    // Keep the list and the socket; only the words change.
    root.firstElementChild?.replaceWith(header(session.user, logout));
    devices.relabel();
  } else {
    render();
  }
});

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
