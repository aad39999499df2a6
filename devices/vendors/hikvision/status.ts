import { byteLength, toBytes, utf8Strict } from '../bytes.js';
import { rejectHik, type HikRejection } from './reasons.js';
import { child, isObject, parseXml, text, type XmlValue } from './xml.js';

/**
 * What the camera answers to ISAPI calls. The answer to a barrier command is a
 * `ResponseStatus`; `statusCode` 1 means the request was accepted, not that the
 * arm moved: a locked barrier answers 1 and stays down (field note in fixture
 * `isapi-barriergate.http.txt`). Only `barrierGateStatus` 2 (开到位, fully open)
 * proves an open.
 */

export type ArmStatus = 'no-signal' | 'closed' | 'open';

export interface BarrierGateStatus {
  ok: true;
  /** 0 无信号 (no limit-switch signal: the arm is moving, or the status wire is not connected), 1 关到位, 2 开到位. */
  code: 0 | 1 | 2;
  status: ArmStatus;
  /** The contract arm state it proves, when it proves one. */
  armState?: 'open' | 'closed';
}

const ARM: Record<string, ArmStatus> = { '0': 'no-signal', '1': 'closed', '2': 'open' };

/** `GET /ISAPI/Parking/channels/{ch}/barrierGate/barrierGateStatus` → the arm. */
export function decodeBarrierGateStatus(xml: Uint8Array | string): BarrierGateStatus | HikRejection {
  const doc = parseXml(xml);
  if ('ok' in doc) return doc;
  // The element sits under a BarrierGateStatus root in the samples; accept it as the root too.
  const value = doc.root === 'barrierGateStatus' ? (typeof doc.value === 'string' ? doc.value : undefined) : text(doc.value, 'barrierGateStatus');
  const field = `${doc.root}.barrierGateStatus`;
  if (value === undefined) return rejectHik('schema', field, 'required');
  const status = ARM[value];
  if (!status) return rejectHik('schema', field, `"${value.slice(0, 16)}" is not 0 (no signal), 1 (closed) or 2 (open)`);
  const code = Number(value) as 0 | 1 | 2;
  return { ok: true, code, status, ...(status === 'no-signal' ? {} : { armState: status }) };
}

export interface IsapiResponseStatus {
  ok: true;
  /** ISAPI statusCode 1 = OK; 2 device busy, 3 device error, 4 invalid operation, 5 invalid XML/JSON format, 6 invalid content, 7 reboot required. */
  accepted: boolean;
  statusCode: number;
  statusString?: string;
  subStatusCode?: string;
  errorMsg?: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** A `ResponseStatus` answer, XML or JSON (`?format=json` calls answer JSON). */
export function decodeResponseStatus(body: Uint8Array | string): IsapiResponseStatus | HikRejection {
  const size = byteLength(body);
  if (size > MAX_RESPONSE_BYTES) return rejectHik('too-large', '', `${size} bytes is over the ${MAX_RESPONSE_BYTES}-byte limit`);
  const textBody = typeof body === 'string' ? body : utf8Strict(toBytes(body), '');
  if (typeof textBody !== 'string') return textBody;
  const trimmed = textBody.replace(/^\uFEFF/, '').trim();
  let fields: { statusCode?: unknown; statusString?: unknown; subStatusCode?: unknown; errorMsg?: unknown };
  if (trimmed.startsWith('{')) {
    try {
      const json = JSON.parse(trimmed) as unknown;
      const inner = (json as { ResponseStatus?: unknown })?.ResponseStatus ?? json;
      fields = typeof inner === 'object' && inner !== null ? (inner as typeof fields) : {};
    } catch (err) {
      return rejectHik('not-json', '', (err as Error).message.slice(0, 80));
    }
  } else {
    const doc = parseXml(trimmed);
    if ('ok' in doc) return doc;
    if (doc.root !== 'ResponseStatus') return rejectHik('unknown-message', '', `root element ${doc.root.slice(0, 40)} is not ResponseStatus`);
    fields = {
      statusCode: text(doc.value, 'statusCode'),
      statusString: text(doc.value, 'statusString'),
      subStatusCode: text(doc.value, 'subStatusCode'),
      errorMsg: text(doc.value, 'errorMsg'),
    };
  }
  const code = Number(fields.statusCode);
  if (!Number.isInteger(code)) return rejectHik('schema', 'ResponseStatus.statusCode', 'required (an integer)');
  const str = (v: unknown) => (typeof v === 'string' && v ? v.slice(0, 120) : undefined);
  const statusString = str(fields.statusString);
  const subStatusCode = str(fields.subStatusCode);
  const errorMsg = str(fields.errorMsg);
  return {
    ok: true,
    accepted: code === 1,
    statusCode: code,
    ...(statusString ? { statusString } : {}),
    ...(subStatusCode ? { subStatusCode } : {}),
    ...(errorMsg ? { errorMsg } : {}),
  };
}

export interface WhitelistPage {
  ok: true;
  plates: string[];
  /** `responseStatusStrg` MORE: ask for the next page. */
  more: boolean;
}

/**
 * An answer to `searchLPListAudit`: every `LicensePlate`/`licensePlate` under the
 * answer, and whether more follow. Read tolerantly (no sample of the answer
 * was found beside the integrator code that reads its `id` elements).
 */
export function decodeWhitelistPage(xml: Uint8Array | string): WhitelistPage | HikRejection {
  const doc = parseXml(xml);
  if ('ok' in doc) return doc;
  const plates: string[] = [];
  const walk = (v: XmlValue, depth: number): void => {
    if (depth > 8 || !isObject(v)) return;
    for (const [key, val] of Object.entries(v)) {
      if (key === 'LicensePlate' || key === 'licensePlate') {
        for (const p of Array.isArray(val) ? val : [val]) if (typeof p === 'string' && p) plates.push(p);
      } else for (const c of Array.isArray(val) ? val : [val]) walk(c, depth + 1);
    }
  };
  walk(doc.value, 0);
  const status = text(doc.value, 'responseStatusStrg') ?? text(child(doc.value, 'LPListAuditSearchResult'), 'responseStatusStrg');
  return { ok: true, plates, more: (status ?? '').toUpperCase() === 'MORE' };
}

