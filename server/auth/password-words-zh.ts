/**
 * What Chinese users pick that zxcvbn's common and English lists miss: favourites
 * of the published analyses of the CSDN and 天涯 leaks (woaini1314, dearbook …),
 * the pinyin they are built from, words of an estate, and the commonest names in
 * pinyin (a name plus a birthday is the classic one). zxcvbn ranks a list by its
 * order, so the likelier come first. A short hand-kept supplement, not a list of
 * its own: the maintained lists stay zxcvbn's.
 */
export const ZH_PASSWORDS = [
  'woaini1314', '5201314', '1314520', 'woaini520', 'aini1314', 'woaini', 'iloveyou', 'dearbook', 'wodemima', 'mima',
  'qq123456', 'woaini123', 'woainima', 'woaiwojia', 'nihao', 'nihao123', 'aini', 'aini520', 'baobao', 'laogong',
  'laopo', 'xiaozhu', 'tiantian', 'kuaile', 'xingfu', 'pingan', 'zhongguo', 'beijing', 'shanghai', 'wuhan',
  'qiche', 'xiaoqu', 'menwei', 'baoan', 'wuye', 'shequ', 'tingche', 'chongdian', 'dianti',
];

/** The commonest surnames in pinyin, then the commonest full names (张伟, 王伟, 王芳 …), roughly most common first. */
export const ZH_SURNAMES = [
  'wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'gao', 'luo',
  'zheng', 'liang', 'xie', 'song', 'tang', 'han', 'feng', 'deng', 'cao', 'peng', 'zeng', 'xiao', 'tian', 'dong', 'pan', 'yuan', 'cai', 'jiang', 'yu', 'du',
  'ye', 'cheng', 'wei', 'su', 'lu', 'ding', 'ren', 'shen', 'yao', 'zhong', 'cui', 'tan', 'fan', 'jin', 'shi', 'liao', 'jia', 'xia', 'fu',
  'zhangwei', 'wangwei', 'wangfang', 'liwei', 'wangxiuying', 'lixiuying', 'lina', 'zhangxiuying', 'liuwei', 'zhangmin', 'lijing', 'zhangli', 'wangjing', 'wangli',
];
