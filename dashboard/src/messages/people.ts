import { dictionary } from '../lang.js';

/** The words of 账号, the committee's page of people's logins; they load with the page. Kept short: the page is. */
const zh = {
  add: '添加账号',
  name: '姓名',
  role: '角色',
  all: '全部小区',
  off: '已停用',
  reset: '重置密码',
  disable: '停用',
  enable: '启用',
  ask: '{what}：{who}？',
  pw: '{who} 的密码：',
  once: '只显示这一次，请当面告知本人，登录后须修改。',
  copy: '复制',
} as const;

export type PeopleKey = keyof typeof zh;

const en: Record<PeopleKey, string> = {
  add: 'Add account',
  name: 'Name',
  role: 'Role',
  all: 'All estates',
  off: 'Disabled',
  reset: 'Reset password',
  disable: 'Disable',
  enable: 'Enable',
  ask: '{what}: {who}?',
  pw: 'Password of {who}:',
  once: 'Shown once only: tell them in person; they change it at sign-in.',
  copy: 'Copy',
};

export const tp = dictionary<PeopleKey>(zh, en);
