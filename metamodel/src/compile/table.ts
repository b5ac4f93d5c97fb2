import { DATASET_CODE } from '../validate/dataset';

/** The table of a dataset: `ds_<code>`. Rejects codes that are not safe SQL identifiers. */
export function tableNameOf(datasetCode: string): string {
  if (typeof datasetCode !== 'string' || !DATASET_CODE.test(datasetCode)) {
    throw new Error(
      `invalid dataset code "${String(datasetCode)}" (expected ${DATASET_CODE.source})`,
    );
  }
  return `ds_${datasetCode}`;
}
