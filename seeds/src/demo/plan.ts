import { DatasetCode } from '../catalog/datasets';

export interface DemoPlanEntry {
  datasetCode: DatasetCode;
  count: number;
}

/**
 * How many rows of each starter dataset to load, persons first. Counts are chosen so that every
 * cross-reference resolves when rows 0…count-1 are loaded with the default options: encounters
 * refer to persons below personLimit() (small: 200-500 persons, demo: 2,000), prescriptions to
 * outpatient encounters below 0.63·rows, lab and exam reports to outpatient encounters below
 * 2·reports and to admissions below reports/5 and reports/4.
 */
export function demoDataPlan(scale: 'small' | 'demo'): DemoPlanEntry[] {
  if (scale === 'small') {
    return [
      { datasetCode: 'person_basic', count: 500 },
      { datasetCode: 'outpatient_visit', count: 600 },
      { datasetCode: 'inpatient_homepage', count: 100 },
      { datasetCode: 'western_prescription', count: 600 },
      { datasetCode: 'lab_report', count: 600 },
      { datasetCode: 'exam_report', count: 200 },
    ];
  }
  if (scale === 'demo') {
    return [
      { datasetCode: 'person_basic', count: 2000 },
      { datasetCode: 'outpatient_visit', count: 6000 },
      { datasetCode: 'inpatient_homepage', count: 400 },
      { datasetCode: 'western_prescription', count: 9000 },
      { datasetCode: 'lab_report', count: 12000 },
      { datasetCode: 'exam_report', count: 1500 },
    ];
  }
  throw new Error(`unknown demo scale "${String(scale)}" (expected small or demo)`);
}
