import type { Estate } from '../estate.js';
import type { AdminPassword } from './admin-password.js';
import type { ServerProcess } from './server-process.js';

export function banner(o: { server: ServerProcess; admin: AdminPassword; estate: Estate; estateId: string; estateName: string; rateScale: number; logFile: string }): string {
  const { server, admin } = o;
  const ws = server.httpUrl.replace(/^http/, 'ws') + server.health.mqtt.wsPath;
  const password =
    admin.source === 'env' ? '(the one in LINLI_ADMIN_PASSWORD)' : `${admin.password}    (kept in ${admin.file})`;
  const dayMinutes = Math.round(24 / o.rateScale);
  const p = o.estate.parking;
  const reg = p.register;
  // The guard's password is derived from admin's: shown only where admin's is.
  const guard = !p.guardAccount ? 'guards act as admin' : `guard login ${p.guardAccount.username}${admin.source === 'env' ? '' : ` / ${p.guardAccount.password}`}`;
  return [
    '',
    '  邻里 Linli demo is running',
    '',
    `  Dashboard   ${server.httpUrl}/`,
    `  Login       admin / ${password}`,
    `  API docs    ${server.httpUrl}/docs`,
    `  MQTT        ${server.mqttUrl}   (WebSocket ${ws})`,
    `  Estate      ${o.estateId} ${o.estateName}: ${o.estate.devices.length} simulated devices, a day in ~${dayMinutes} min`,
    `  Parking     charter v${p.charterVersion}${p.adopted ? ' (adopted now)' : ''} · ${reg.households.length} households, ${reg.cars.length} cars registered · ${guard}`,
    `  Server log  ${o.logFile}`,
    '',
    '  Ctrl-C stops the devices and the server.',
    '',
  ].join('\n');
}

/** One line every so often: the simulated time and what the day has produced. */
export function statusLine(estate: Estate): string {
  const s = estate.stats();
  const online = estate.devices.filter((d) => d.online).length;
  if (!s) return `  [${estate.clock.label()}] ${online}/${estate.devices.length} devices online`;
  const inside = estate.residents.cars.filter((c) => c.inside).length;
  const offline = s.offlineOpens > 0 ? ` · offline opens ${s.offlineOpens}` : '';
  return (
    `  [${estate.clock.label()}] ${online}/${estate.devices.length} online · cars in ${s.carsIn} out ${s.carsOut} (residents' home ${inside}/${estate.residents.cars.length}) · ` +
    `visitors ${s.visitors} (passes ${s.passes}) · fees ${yuan(s.feesFen)} (${s.payments} paid) · turned away ${s.turnedAway} (${s.denied} denied) · ` +
    `guard opens ${s.guardOpens}${offline} · plug-ins ${s.plugIns} (charging ${s.sessions}) · rides ${s.rides} · incidents ${s.incidents}`
  );
}

function yuan(fen: number): string {
  return `¥${fen % 100 === 0 ? fen / 100 : (fen / 100).toFixed(2)}`;
}
