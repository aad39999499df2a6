import { dictionary } from '../lang.js';

/** The words of 公示栏, the published statements every household can read; they load with the page. */
const zh = {
  'nb.intro': '自管委公示的每月账目，与楼道公示栏张贴的相同。姓名和车牌已隐去部分。',
  'nb.none': '还没有公示的账目。',
  'nb.month': '{y}年{m}月',
  'nb.published': '{date} 公示',
  'nb.publishedBy': '{date} 由 {by} 公示',
  'nb.closing': '期末余额 {fee}',
  'nb.back': '← 返回公示栏',
  'nb.csv': '下载 CSV',
  'nb.digest': '校验码 sha256:{hex}',
  'nb.digestHint': '可与纸质公示上的校验码核对；下载的 CSV 文件的 SHA-256 与此相同，即为公示原件，未经改动。',
} as const;

export type NoticeBoardKey = keyof typeof zh;

const en: Record<NoticeBoardKey, string> = {
  'nb.intro': 'The monthly accounts the committee published, the same as the copy on the notice board by the door. Names and plates are partly hidden.',
  'nb.none': 'Nothing has been published yet.',
  'nb.month': '{y}-{mm}',
  'nb.published': 'Published {date}',
  'nb.publishedBy': 'Published {date} by {by}',
  'nb.closing': 'Closing balance {fee}',
  'nb.back': '← Back to the notice board',
  'nb.csv': 'Download CSV',
  'nb.digest': 'Checksum sha256:{hex}',
  'nb.digestHint': 'Compare it with the checksum on the paper copy; a downloaded CSV whose SHA-256 is this one is the statement as published, unchanged.',
};

export const tn = dictionary<NoticeBoardKey>(zh, en);
