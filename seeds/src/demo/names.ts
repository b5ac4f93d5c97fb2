import { Rng, Weighted } from './prng';

/**
 * Synthetic Chinese names. Surname weights approximate their frequency in north-eastern Sichuan;
 * given-name characters follow the fashions of the birth decade. Any match with a real person is
 * coincidence: names are drawn independently of every other attribute.
 */

const SURNAMES = new Weighted<string>([
  ['李', 79], ['王', 65], ['张', 60], ['刘', 58], ['陈', 50], ['杨', 40], ['罗', 26], ['何', 22],
  ['黄', 20], ['周', 20], ['吴', 18], ['唐', 18], ['邓', 18], ['赵', 16], ['曾', 14], ['谢', 14],
  ['徐', 13], ['胡', 13], ['冯', 12], ['蒋', 12], ['袁', 11], ['彭', 11], ['廖', 10], ['杜', 10],
  ['向', 10], ['雷', 9], ['余', 9], ['朱', 9], ['付', 8], ['熊', 8], ['郑', 8], ['肖', 8],
  ['高', 8], ['任', 7], ['谭', 7], ['郭', 7], ['马', 7], ['蒲', 6], ['龚', 6], ['文', 6],
  ['许', 6], ['邱', 6], ['孙', 6], ['林', 6], ['冉', 5], ['梁', 5], ['宋', 5], ['程', 5],
  ['魏', 5], ['汪', 5], ['钟', 5], ['石', 5], ['田', 5], ['苟', 4], ['韩', 4], ['严', 4],
  ['侯', 4], ['邹', 4], ['苏', 4], ['姚', 4], ['范', 4], ['江', 4], ['卢', 4], ['蔡', 4],
  ['秦', 3], ['夏', 3], ['贺', 3], ['康', 3], ['陶', 3], ['万', 3], ['汤', 3], ['税', 2],
  ['庞', 2], ['牟', 2],
]);

const MALE: Record<'old' | 'mid' | 'young', string> = {
  old: '国建华明强军平德文忠福富贵成林志勇海洪清学兴云光荣祥树春生良仁义全',
  mid: '伟磊涛斌杰鹏俊超浩亮军波刚辉宇峰龙飞健鑫松川江毅帅阳勇明东',
  young: '子轩浩宇梓睿泽博文晨航铭俊皓逸锦辰阳一煜宸然诚翰瑞铭奕',
};

const FEMALE: Record<'old' | 'mid' | 'young', string> = {
  old: '秀英兰桂芳珍玉华凤琼素淑群菊梅翠莲蓉琴碧香美秋',
  mid: '丽静敏燕艳娟霞婷玲雪琳倩洁晶莉慧红梅芳欢露蓉丹',
  young: '欣怡梓涵诗雨萱可馨思佳悦语彤若汐一心嘉依妍琪沐',
};

function era(birthYear: number): 'old' | 'mid' | 'young' {
  return birthYear < 1970 ? 'old' : birthYear < 2000 ? 'mid' : 'young';
}

/** A full name for a person of the given sex code ('1' male, '2' female) and birth year. */
export function personName(rng: Rng, sexCode: string, birthYear: number): string {
  const surname = SURNAMES.pick(rng);
  const chars = (sexCode === '1' ? MALE : FEMALE)[era(birthYear)];
  const first = chars[rng.int(chars.length)];
  const singleChar = birthYear < 1970 ? 0.2 : birthYear < 2000 ? 0.3 : 0.12;
  if (rng.chance(singleChar)) return surname + first;
  let second = chars[rng.int(chars.length)];
  if (second === first && rng.chance(0.7)) second = chars[rng.int(chars.length)];
  return surname + first + second;
}
