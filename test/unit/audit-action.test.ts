import { describe, expect, it } from 'vitest';
import { actionOf } from '../../server/http/audit.js';

describe('audit action names', () => {
  it.each([
    ['POST', '/api/estates/:estateId/charter/versions', 'charter.versions.create'],
    ['POST', '/api/estates/:estateId/gates/:gateId/open', 'gates.open'],
    ['POST', '/api/estates/:estateId/parking/stays/:stayId/waive', 'parking.stays.waive'],
    ['PATCH', '/api/estates/:estateId/vehicles/:plate', 'vehicles.update'],
    ['DELETE', '/api/estates/:estateId/households/:householdId', 'households.delete'],
    ['POST', '/api/estates/:estateId/devices/:deviceId/decommission', 'devices.decommission'],
    ['PUT', '/api/estates/:estateId/roster', 'roster.replace'],
    ['POST', '/api/estates', 'estates.create'],
  ])('%s %s → %s', (method, route, action) => {
    expect(actionOf(method, route)).toBe(action);
  });
});
