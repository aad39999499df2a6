import type { Api } from './api.js';
import type { PublishedMonth } from '../../server/accounts/types.js';

/** GET …/notice-board: a month put on the notice board (公示); who published it comes to the committee only. */
export type NoticeItem = Omit<PublishedMonth, 'publishedBy'> & { publishedBy?: string };

/** 公示栏 (server/http/routes/notice-board.ts), every signed-in person's; paths built here only. */
export function noticeBoardApi(api: Api, estateId: string) {
  const B = `/api/estates/${encodeURIComponent(estateId)}/notice-board`;
  return {
    list: () => api.call<{ items: NoticeItem[] }>('GET', B),
    /** The CSV as published, byte for byte: shown as a table, and saved as it is (its digest still checks). */
    csv: (assetId: string, month: string) => api.download(`${B}/${encodeURIComponent(assetId)}/${encodeURIComponent(month)}`),
  };
}

export type NoticeBoardApi = ReturnType<typeof noticeBoardApi>;
