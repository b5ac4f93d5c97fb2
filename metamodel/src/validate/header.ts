import { ItemHeader, RegistrationStatus, WorkflowStatus } from '../kinds';
import { isIsoDate } from '../format/calendar';
import { IssueList, isNonEmptyString, isObject, requireText } from './issues';

const WORKFLOW: readonly WorkflowStatus[] = [
  'draft',
  'review',
  'published',
  'superseded',
  'retired',
];

export function checkHeader(item: ItemHeader, list: IssueList): void {
  requireText(list, item, 'id');
  requireText(list, item, 'namespace');
  requireText(list, item, 'identifier');
  requireText(list, item, 'name');
  if (!Number.isInteger(item.version) || item.version < 1) {
    list.add(
      'version',
      'version',
      `version must be a positive integer (got ${String(item.version)})`,
    );
  }
  if (!WORKFLOW.includes(item.workflowStatus)) {
    list.add(
      'workflowStatus',
      'workflow-status',
      `workflowStatus must be one of ${WORKFLOW.join(', ')} (got ${String(item.workflowStatus)})`,
    );
  }
  checkRegistrations(item.registrations, list);
}

function checkRegistrations(registrations: unknown, list: IssueList): void {
  if (registrations === undefined) return;
  if (!Array.isArray(registrations)) {
    list.add('registrations', 'type', 'registrations must be an array');
    return;
  }
  registrations.forEach((registration: unknown, i) => {
    const at = list.at(`registrations/${i}`);
    if (!isObject(registration)) return at.add('', 'type', 'a registration must be an object');
    if (!isNonEmptyString(registration.authority)) {
      at.add('authority', 'required', 'authority must be a non-empty string');
    }
    const status = registration.status as number;
    if (
      !Number.isInteger(status) ||
      status < RegistrationStatus.NotProgressed ||
      status > RegistrationStatus.Retired
    ) {
      at.add(
        'status',
        'registration-status',
        `status must be an integer from 0 to 8 (got ${String(status)})`,
      );
    }
    if (registration.effectiveDate !== undefined && !isIsoDate(registration.effectiveDate)) {
      at.add(
        'effectiveDate',
        'date',
        `effectiveDate must be a real date as YYYY-MM-DD (got ${String(
          registration.effectiveDate,
        )})`,
      );
    }
  });
}
