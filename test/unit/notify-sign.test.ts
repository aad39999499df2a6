import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dingtalkSign, dingtalkSignedUrl, jsonSignature, maskUrl, scrub } from '../../server/notify/sign.js';

const SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';

describe('DingTalk 加签', () => {
  // Vector from the documented Python sample (hmac.new(secret, f"{ts}\n{secret}", sha256), base64, quote_plus),
  // run outside this code base. This timestamp's signature has '+', '/' and '=' in it, so the URL-encoding is tested too.
  it('matches the documented algorithm on a known vector', () => {
    expect(dingtalkSign(SECRET, 1700000000015)).toBe('WkhwWv%2Fd9lDN%2BiQSL1g%2Bx4dWEUFe%2F9%2BW28zhERrfbFU%3D');
    expect(dingtalkSign(SECRET, 1700000000000)).toBe('8SZas7RY4E7wuOlgLfjLwHSKZpyUEdXdLvFYSDZiiFw%3D');
  });

  it('matches node:crypto following the documented steps', () => {
    for (const ts of [1, 1700000000015, Date.now()]) {
      const expected = encodeURIComponent(createHmac('sha256', SECRET).update(`${ts}\n${SECRET}`).digest('base64'));
      expect(dingtalkSign(SECRET, ts)).toBe(expected);
    }
  });

  it('appends &timestamp=…&sign=… to the access_token URL', () => {
    const url = dingtalkSignedUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', SECRET, 1700000000015);
    expect(url).toBe(`https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000015&sign=${dingtalkSign(SECRET, 1700000000015)}`);
    const u = new URL(url);
    expect(u.searchParams.get('access_token')).toBe('abc');
    expect(Buffer.from(u.searchParams.get('sign')!, 'base64')).toHaveLength(32);
    expect(dingtalkSignedUrl('http://127.0.0.1:9/hook', SECRET, 5)).toMatch(/^http:\/\/127\.0\.0\.1:9\/hook\?timestamp=5&sign=/);
  });
});

describe('plain JSON X-Linli-Signature', () => {
  const body = '{"alertId":"alert-1","severity":"critical","title":"3号楼电梯困人","text":"轿厢停在 4–5 层之间","atAll":true}';

  const AT = 1_763_683_200_000;

  it('is sha256= and the hex HMAC of "<timestamp>.<raw UTF-8 body>"', () => {
    // Python: 'sha256=' + hmac.new(b'json-channel-secret', f'{ts}.{body}'.encode('utf-8'), hashlib.sha256).hexdigest()
    expect(jsonSignature('json-channel-secret', AT, body)).toBe('sha256=7b7c5432dac0727a38b48a33d6611300eaa48a4186939573b8506c84aebc2231');
    expect(jsonSignature('json-channel-secret', AT, body)).toBe('sha256=' + createHmac('sha256', 'json-channel-secret').update(Buffer.from(`${AT}.${body}`, 'utf8')).digest('hex'));
  });

  it('changes with one byte of the body, the secret or the timestamp (a replayed request with a new timestamp fails)', () => {
    const sig = jsonSignature('json-channel-secret', AT, body);
    expect(jsonSignature('json-channel-secret', AT, body + ' ')).not.toBe(sig);
    expect(jsonSignature('other', AT, body)).not.toBe(sig);
    expect(jsonSignature('json-channel-secret', AT + 1, body)).not.toBe(sig);
  });
});

describe('maskUrl', () => {
  it.each([
    ['https://oapi.dingtalk.com/robot/send?access_token=0a1b2c3d4e5f', 'https://oapi.dingtalk.com/robot/send?access_token=***'],
    ['https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa', 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***'],
    ['https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1&sign=abc%2B', 'https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=***&sign=***'],
    ['https://hooks.example.cn/in/9f8e7d6c5b4a39281706/alerts', 'https://hooks.example.cn/in/***/alerts'],
    ['http://user:pw@10.0.0.5:8080/linli', 'http://10.0.0.5:8080/linli'],
    ['not a url', '[invalid url]'],
  ])('%s → %s', (raw, masked) => {
    expect(maskUrl(raw)).toBe(masked);
  });

  it('scrubs URLs and secrets out of free text', () => {
    const url = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=sekrit-key-value';
    expect(scrub(`Failed to parse URL from ${url} with s3cr3t`, [url, 's3cr3t'])).toBe(
      'Failed to parse URL from https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=*** with ***',
    );
  });
});
