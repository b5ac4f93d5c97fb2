import type { EnumeratedValueDomain } from '@lingshu/metamodel';
import { enumeratedDomain, values } from './common';

/**
 * National code tables (namespace ws). Codes and meanings are those of the standards; where a
 * table is only partly reproduced, the definition says "subset".
 */

export const SEX = 'GB/T 2261.1-2003';
export const MARITAL_STATUS = 'GB/T 2261.2-2003';
export const NATIONALITY = 'GB 3304-1991';
export const ID_DOCUMENT_TYPE = 'CV02.01.101';
export const ABO_BLOOD_GROUP = 'CV04.50.005';
export const RH_BLOOD_GROUP = 'CV04.50.020';
export const INSTITUTION_CATEGORY = 'WS 218-2002';
export const DISCHARGE_DISPOSITION = 'CV06.00.226';
export const ADMISSION_ROUTE = 'CV09.00.403';
export const PATIENT_TYPE = 'CV09.00.404';
export const ADMINISTRATION_ROUTE = 'CV06.00.102';

export const SEX_VALUES = [
  ['0', '未知的性别'],
  ['1', '男性'],
  ['2', '女性'],
  ['5', '女性改(变)为男性'],
  ['6', '男性改(变)为女性'],
  ['9', '未说明的性别'],
] as const;

export const MARITAL_VALUES = [
  ['10', '未婚'],
  ['20', '已婚'],
  ['21', '初婚'],
  ['22', '再婚'],
  ['23', '复婚'],
  ['30', '丧偶'],
  ['40', '离婚'],
  ['90', '未说明的婚姻状况'],
] as const;

/** GB 3304-1991: the 56 nationalities in the standard's order (code = order). */
export const NATIONALITY_NAMES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族',
  '满族', '侗族', '瑶族', '白族', '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族',
  '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族', '景颇族', '柯尔克孜族', '土族',
  '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族', '普米族',
  '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

export const ID_DOCUMENT_VALUES = [
  ['01', '居民身份证'],
  ['02', '居民户口簿'],
  ['03', '护照'],
  ['04', '军官证'],
  ['05', '驾驶证'],
  ['06', '港澳居民来往内地通行证'],
  ['07', '台湾居民来往内地通行证'],
  ['99', '其他法定有效证件'],
] as const;

export const ABO_VALUES = [
  ['1', 'A型'],
  ['2', 'B型'],
  ['3', 'O型'],
  ['4', 'AB型'],
  ['5', '不详'],
] as const;

export const RH_VALUES = [
  ['1', '阴性'],
  ['2', '阳性'],
  ['3', '不详'],
] as const;

/**
 * WS 218-2002 卫生机构(组织)类别, a representative subset: only categories whose codes are
 * well established are listed (see UNVERIFIED_IDENTIFIERS for G110).
 */
export const INSTITUTION_CATEGORY_VALUES = [
  ['A100', '综合医院'],
  ['A210', '中医(综合)医院'],
  ['A220', '中医专科医院'],
  ['A300', '中西医结合医院'],
  ['B100', '社区卫生服务中心'],
  ['B200', '社区卫生服务站'],
  ['C100', '街道卫生院'],
  ['C210', '中心卫生院'],
  ['C220', '乡卫生院'],
  ['D600', '村卫生室'],
  ['G110', '妇幼保健院'],
] as const;

/** WS 445 住院病案首页 离院方式. */
export const DISCHARGE_VALUES = [
  ['1', '医嘱离院'],
  ['2', '医嘱转院'],
  ['3', '医嘱转社区卫生服务机构/乡镇卫生院'],
  ['4', '非医嘱离院'],
  ['5', '死亡'],
  ['9', '其他'],
] as const;

/** WS 445 住院病案首页 入院途径. */
export const ADMISSION_ROUTE_VALUES = [
  ['1', '门诊'],
  ['2', '急诊'],
  ['3', '其他医疗机构转入'],
  ['9', '其他'],
] as const;

export const PATIENT_TYPE_VALUES = [
  ['1', '门诊'],
  ['2', '急诊'],
  ['3', '住院'],
  ['9', '其他'],
] as const;

/** 用药途径 subset: the top-level routes and the injection sub-routes. */
export const ADMINISTRATION_ROUTE_VALUES = [
  ['1', '口服'],
  ['2', '直肠用药'],
  ['3', '舌下用药'],
  ['4', '注射用药'],
  ['401', '皮下注射'],
  ['402', '皮内注射'],
  ['403', '肌肉注射'],
  ['404', '静脉注射或静脉滴注'],
  ['5', '吸入用药'],
  ['6', '局部用药'],
  ['9', '其他用药途径'],
] as const;

export function nationalValueDomains(): EnumeratedValueDomain[] {
  return [
    enumeratedDomain({
      identifier: SEX,
      name: '人的性别代码',
      definition: '人的性别(生理性别)的代码，GB/T 2261.1-2003《个人基本信息分类与代码 第1部分：人的性别代码》。',
      oid: '2.16.156.10011.2.3.3.4',
      origin: 'GB/T 2261.1-2003',
      values: values(SEX_VALUES),
    }),
    enumeratedDomain({
      identifier: MARITAL_STATUS,
      name: '婚姻状况代码',
      definition: '个人婚姻状况的代码，GB/T 2261.2-2003《个人基本信息分类与代码 第2部分：婚姻状况代码》。',
      oid: '2.16.156.10011.2.3.3.5',
      origin: 'GB/T 2261.2-2003',
      values: values(MARITAL_VALUES),
    }),
    enumeratedDomain({
      identifier: NATIONALITY,
      name: '中国各民族名称代码',
      definition: '中国56个民族的名称代码，GB 3304-1991《中国各民族名称的罗马字母拼写法和代码》(数字代码)。',
      oid: '2.16.156.10011.2.3.3.3',
      origin: 'GB 3304-1991',
      values: NATIONALITY_NAMES.map((meaning, i) => ({
        code: String(i + 1).padStart(2, '0'),
        meaning,
        order: i + 1,
      })),
    }),
    enumeratedDomain({
      identifier: ID_DOCUMENT_TYPE,
      name: '身份证件类别代码表',
      definition: '个体身份证件所属类别的代码(WS 364 卫生信息数据元值域代码)。',
      origin: 'WS 364',
      values: values(ID_DOCUMENT_VALUES),
    }),
    enumeratedDomain({
      identifier: ABO_BLOOD_GROUP,
      name: 'ABO血型代码表',
      definition: '个体ABO血型类别的代码(WS 364)。',
      origin: 'WS 364',
      values: values(ABO_VALUES),
    }),
    enumeratedDomain({
      identifier: RH_BLOOD_GROUP,
      name: 'Rh(D)血型代码表',
      definition: '个体Rh(D)血型类别的代码(WS 364)。',
      origin: 'WS 364',
      values: values(RH_VALUES),
    }),
    enumeratedDomain({
      identifier: INSTITUTION_CATEGORY,
      name: '卫生机构(组织)类别代码',
      definition: '卫生机构(组织)类别的代码，WS 218-2002《卫生机构(组织)分类与代码》，本表为常用类别子集。',
      origin: 'WS 218-2002',
      comments: '子集：仅列出达州演示数据用到且代码可靠的类别。',
      values: values(INSTITUTION_CATEGORY_VALUES),
    }),
    enumeratedDomain({
      identifier: DISCHARGE_DISPOSITION,
      name: '离院方式代码表',
      definition: '患者本次住院离开医院的方式的代码(WS 445 住院病案首页)。',
      origin: 'WS 364 / WS 445',
      values: values(DISCHARGE_VALUES),
    }),
    enumeratedDomain({
      identifier: ADMISSION_ROUTE,
      name: '入院途径代码表',
      definition: '患者收治入院治疗的来源分类的代码(WS 445 住院病案首页)。',
      origin: 'WS 364 / WS 445',
      values: values(ADMISSION_ROUTE_VALUES),
    }),
    enumeratedDomain({
      identifier: PATIENT_TYPE,
      name: '患者类型代码表',
      definition: '患者就诊类型的分类代码。',
      origin: 'WS 364',
      values: values(PATIENT_TYPE_VALUES),
    }),
    enumeratedDomain({
      identifier: ADMINISTRATION_ROUTE,
      name: '用药途径代码表',
      definition: '药物使用途径的代码，本表为常用途径子集。',
      origin: 'WS 364',
      comments: '子集：局部用药的细分代码(6xx)未列出。',
      values: values(ADMINISTRATION_ROUTE_VALUES),
    }),
  ];
}
