/**
 * Attributes every registered item carries (ISO/IEC 11179 administered item).
 * `id` is stable across versions and renames; `identifier` is the human scoped identifier.
 */
export type ItemKind = 'data-element' | 'value-domain' | 'dataset' | 'screen';

/** Workflow axis (METeOR / Aristotle style), separate from the registration status. */
export type WorkflowStatus = 'draft' | 'review' | 'published' | 'superseded' | 'retired';

/** ISO/IEC 11179 registration status, ordered 0–8. */
export enum RegistrationStatus {
  NotProgressed = 0,
  Incomplete = 1,
  Candidate = 2,
  Recorded = 3,
  Qualified = 4,
  Standard = 5,
  PreferredStandard = 6,
  Superseded = 7,
  Retired = 8,
}

export interface Registration {
  authority: string;
  status: RegistrationStatus;
  effectiveDate?: string; // YYYY-MM-DD
}

export interface ItemHeader {
  /** Stable internal id (uuid), never reused, unchanged by renames or new versions. */
  id: string;
  kind: ItemKind;
  namespace: string;
  identifier: string;
  version: number;
  name: string;
  definition?: string;
  steward?: string;
  submitter?: string;
  comments?: string;
  origin?: string;
  registrations?: Registration[];
  workflowStatus: WorkflowStatus;
  /** ids of the items this one supersedes. */
  supersedes?: string[];
}
