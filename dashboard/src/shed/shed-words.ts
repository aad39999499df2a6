import { dictionary } from '../lang.js';

/**
 * The public shed page's own words, apart from the dashboard's dictionary so
 * the page stays a few kilobytes. Read at the shed on a phone, often in the
 * sun: short, and every state in words, never by colour alone.
 */
const zh = {
  brand: '邻里',
  title: '充电棚',
  'lang.switch': 'English',
  'lang.switchLabel': '切换到英文',
  loading: '正在加载…',
  free: '空闲 {n} 个',
  of: '共 {n} 个充电口',
  none: '暂无空位',
  next: '预计 {n} 分钟后有空位',
  nextSoon: '马上就有空位',
  ports: '充电口',
  port: '{n}号',
  'state.free': '空闲',
  'state.charging': '充电中',
  'state.full': '已充满',
  'state.occupied': '占用',
  'state.fault': '故障',
  'state.disabled': '停用',
  leftPre: '剩约',
  leftMin: '{n}分钟',
  'live.connecting': '正在连接…',
  'live.live': '实时更新',
  'live.reconnecting': '连接中断，正在重连…',
  updated: '更新于 {time}',
  notFound: '没有找到这个充电棚，请核对二维码。',
  network: '连不上服务器，请检查网络；正在重试…',
  signIn: '居民登录：停止充电、有空位时通知我',
  alarm: '安全报警：{title}，充电已停止',
  maintenance: '维修中（至 {time}）：{reason}',
} as const;

type Key = keyof typeof zh;

const en: Record<Key, string> = {
  brand: 'Linli',
  title: 'Charging shed',
  'lang.switch': '中文',
  'lang.switchLabel': 'Switch to Chinese',
  loading: 'Loading…',
  free: '{n} free',
  of: 'of {n} ports',
  none: 'No free port',
  next: 'A port should be free in about {n} min',
  nextSoon: 'A port should be free any minute',
  ports: 'Ports',
  port: 'Port {n}',
  'state.free': 'Free',
  'state.charging': 'Charging',
  'state.full': 'Full',
  'state.occupied': 'In use',
  'state.fault': 'Fault',
  'state.disabled': 'Out of service',
  leftPre: 'about',
  leftMin: '{n} min left',
  'live.connecting': 'Connecting…',
  'live.live': 'Live',
  'live.reconnecting': 'Disconnected, reconnecting…',
  updated: 'Updated {time}',
  notFound: 'No such charging shed. Please check the QR code.',
  network: 'Cannot reach the server. Check the network; retrying…',
  signIn: 'Residents: sign in to stop a charge or be told when a port frees up',
  alarm: 'Safety alarm: {title}. Charging stopped.',
  maintenance: 'Under maintenance (until {time}): {reason}',
};

export const ts = dictionary<Key>(zh, en);
