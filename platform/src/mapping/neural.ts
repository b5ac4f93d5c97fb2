/**
 * The mapping suggester's optional neural-similarity stage, configured by
 * LINGSHU_MAPPING_MODEL (model.onnx), LINGSHU_MAPPING_MODEL_VOCAB (vocab.txt; default beside the
 * model) and LINGSHU_MAPPING_MODEL_MAX_TOKENS. Opened and checked at start: a bad path or a model
 * without the expected inputs/outputs stops the start with one message naming the setting.
 */
import * as path from 'node:path';
import { NeuralModelError, OnnxNeuralStage, type NeuralSetting } from '@lingshu/mapping';

export interface MappingModelSettings {
  /** Path of model.onnx. */
  model: string;
  /** Path of vocab.txt (default: vocab.txt beside the model). */
  vocab?: string;
  /** Longest input in tokens (default 64). */
  maxTokens?: number;
  /** Folder for the vocabulary name vectors (default: `<dataDir>/mapping-vectors`; none for an in-memory database). */
  cacheDir?: string;
}

export const MODEL_SETTINGS: Readonly<Record<NeuralSetting, string>> = {
  model: 'LINGSHU_MAPPING_MODEL',
  vocab: 'LINGSHU_MAPPING_MODEL_VOCAB',
  maxTokens: 'LINGSHU_MAPPING_MODEL_MAX_TOKENS',
};

/** A start-up configuration error: the message names the setting; no stack trace is worth printing. */
export class MappingModelConfigError extends Error {
  constructor(readonly setting: string, message: string) {
    super(`${setting}: ${message}`);
    this.name = 'MappingModelConfigError';
  }
}

/** The settings from the environment; undefined when LINGSHU_MAPPING_MODEL is not set. */
export function mappingModelFromEnv(env: NodeJS.ProcessEnv = process.env): MappingModelSettings | undefined {
  const model = env.LINGSHU_MAPPING_MODEL?.trim();
  const vocab = env.LINGSHU_MAPPING_MODEL_VOCAB?.trim();
  const max = env.LINGSHU_MAPPING_MODEL_MAX_TOKENS?.trim();
  if (!model) {
    if (vocab || max) throw new MappingModelConfigError(MODEL_SETTINGS.model, `not set, but ${vocab ? MODEL_SETTINGS.vocab : MODEL_SETTINGS.maxTokens} is: set the path of model.onnx`);
    return undefined;
  }
  let maxTokens: number | undefined;
  if (max) {
    maxTokens = Number(max);
    if (!/^\d+$/.test(max) || maxTokens < 3 || maxTokens > 4096) throw new MappingModelConfigError(MODEL_SETTINGS.maxTokens, `must be a whole number from 3 to 4096, not ${max.slice(0, 20)}`);
  }
  return { model, ...(vocab ? { vocab } : {}), ...(maxTokens ? { maxTokens } : {}) };
}

/** Opens the model and the stage; every failure is a MappingModelConfigError naming the setting. */
export async function openMappingModel(settings: MappingModelSettings, dataDir?: string): Promise<OnnxNeuralStage> {
  const cacheDir = settings.cacheDir ?? (dataDir && dataDir !== 'memory' ? path.join(dataDir, 'mapping-vectors') : undefined);
  try {
    return await OnnxNeuralStage.open({ model: settings.model, vocab: settings.vocab, maxTokens: settings.maxTokens, cacheDir });
  } catch (err) {
    if (err instanceof NeuralModelError) throw new MappingModelConfigError(MODEL_SETTINGS[err.setting], err.message);
    throw new MappingModelConfigError(MODEL_SETTINGS.model, `the neural stage could not start: ${String((err as Error)?.message ?? err).split('\n')[0].slice(0, 300)}`);
  }
}
