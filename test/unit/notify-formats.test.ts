import { describe, expect, it } from 'vitest';
import { clipUtf8, formatMessage } from '../../server/notify/formats.js';
import type { NotifyMessage } from '../../server/notify/types.js';

const trapped: NotifyMessage = {
  title: '3号楼2单元电梯困人',
  text: '轿厢停在 4–5 层之间\n困人按钮已按下\n',
  severity: 'critical',
  url: 'https://linli.example.cn/alerts/alert-1',
  atAll: true,
};
const lowBattery: NotifyMessage = { title: '东门车牌相机时钟偏差', text: '偏差 7 分钟', severity: 'medium' };

describe('DingTalk custom robot', () => {
  it('critical: markdown with title, paragraphs, link and @所有人', () => {
    expect(formatMessage('dingtalk', trapped).body).toEqual({
      msgtype: 'markdown',
      markdown: {
        title: '【紧急】3号楼2单元电梯困人',
        text: '### 【紧急】3号楼2单元电梯困人\n\n轿厢停在 4–5 层之间\n\n困人按钮已按下\n\n[打开看板](https://linli.example.cn/alerts/alert-1)\n\n—— 邻里',
      },
      at: { isAtAll: true },
    });
  });

  it('not critical: no link when none is given, nobody @', () => {
    expect(formatMessage('dingtalk', lowBattery).body).toEqual({
      msgtype: 'markdown',
      markdown: { title: '【一般】东门车牌相机时钟偏差', text: '### 【一般】东门车牌相机时钟偏差\n\n偏差 7 分钟\n\n—— 邻里' },
      at: { isAtAll: false },
    });
  });
});

describe('WeCom group robot', () => {
  it('@all: text with mentioned_list, because markdown cannot @ anyone', () => {
    expect(formatMessage('wecom', trapped).body).toEqual({
      msgtype: 'text',
      text: {
        content: '【紧急】3号楼2单元电梯困人\n轿厢停在 4–5 层之间\n困人按钮已按下\n打开看板:https://linli.example.cn/alerts/alert-1\n—— 邻里',
        mentioned_list: ['@all'],
      },
    });
  });

  it('otherwise markdown, with a built-in colour for the severity', () => {
    expect(formatMessage('wecom', { ...trapped, severity: 'high', atAll: false }).body).toEqual({
      msgtype: 'markdown',
      markdown: {
        content:
          '### <font color="warning">【重要】</font>3号楼2单元电梯困人\n> 轿厢停在 4–5 层之间\n> 困人按钮已按下\n[打开看板](https://linli.example.cn/alerts/alert-1)\n<font color="comment">—— 邻里</font>',
      },
    });
    expect(formatMessage('wecom', lowBattery).body).toEqual({
      msgtype: 'markdown',
      markdown: { content: '### <font color="comment">【一般】</font>东门车牌相机时钟偏差\n> 偏差 7 分钟\n<font color="comment">—— 邻里</font>' },
    });
  });

  it('stays inside WeCom byte limits (text 2048, markdown 4096) and keeps the link', () => {
    const long = Array.from({ length: 400 }, (_, i) => `第${i}行：电梯门反复开关`).join('\n');
    const text = formatMessage('wecom', { ...trapped, text: long }).body as { text: { content: string } };
    const md = formatMessage('wecom', { ...trapped, text: long, atAll: false }).body as { markdown: { content: string } };
    expect(Buffer.byteLength(text.text.content)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(md.markdown.content)).toBeLessThanOrEqual(4096);
    expect(text.text.content).toContain('…\n打开看板:https://linli.example.cn/alerts/alert-1\n—— 邻里');
    expect(md.markdown.content).toContain('[打开看板](https://linli.example.cn/alerts/alert-1)');
  });
});

describe('plain JSON', () => {
  it('is the message with the alert id', () => {
    expect(formatMessage('json', trapped, { alertId: 'alert-1' }).body).toEqual({
      alertId: 'alert-1',
      severity: 'critical',
      title: '3号楼2单元电梯困人',
      text: '轿厢停在 4–5 层之间\n困人按钮已按下\n',
      url: 'https://linli.example.cn/alerts/alert-1',
      atAll: true,
    });
    expect(formatMessage('json', lowBattery).body).toEqual({ severity: 'medium', title: '东门车牌相机时钟偏差', text: '偏差 7 分钟', atAll: false });
  });
});

describe('clipUtf8', () => {
  it('never splits a character and marks the cut', () => {
    expect(clipUtf8('电梯困人', 100)).toBe('电梯困人');
    expect(clipUtf8('电梯困人', 10)).toBe('电梯…'); // 3 bytes each: 电梯 (6) + … (3) = 9
    expect(Buffer.byteLength(clipUtf8('电梯困人', 10))).toBeLessThanOrEqual(10);
    expect(clipUtf8('电梯困人', 2)).toBe('');
  });
});
