import type { IvrAnswer } from './ivr-lookup';

/**
 * `format=flat`: the answer as one level of string values, `""` for none. Amazon Connect's Invoke
 * AWS Lambda function block, with response validation `STRING_MAP`, expects "a flat object of
 * key/value pairs of the string type"
 * (https://docs.aws.amazon.com/connect/latest/APIReference/interactions-invokelambdafunction.html),
 * and several flow designers read nothing deeper. Booleans are `"true"` / `"false"`.
 */
export type FlatIvrAnswer = Record<(typeof FLAT_KEYS)[number], string>;

export const FLAT_KEYS = [
  'known',
  'matches',
  'firstName',
  'displayName',
  'language',
  'latestCaseNumber',
  'latestCaseTitle',
  'latestCaseStatus',
  'ownManagerId',
  'ownManagerName',
  'ownManagerEmail',
  'ownManagerAvailable',
  'ownManagerState',
  'routeTo',
  'routeAgent',
  'routeAgentId',
  'routeAgentEmail',
  'routeQueue',
  'routeReason',
  'intent',
  'partial',
] as const;

export function flattenIvrAnswer(answer: IvrAnswer): FlatIvrAnswer {
  const text = (value: string | number | boolean | null | undefined) =>
    value === null || value === undefined ? '' : String(value);
  const manager = answer.ownManager;
  const { route } = answer;
  return {
    known: text(answer.known),
    matches: text(answer.matches),
    firstName: text(answer.firstName),
    displayName: text(answer.displayName),
    language: text(answer.language),
    latestCaseNumber: text(answer.latestCase?.number),
    latestCaseTitle: text(answer.latestCase?.title),
    latestCaseStatus: text(answer.latestCase?.status),
    ownManagerId: text(manager?.id),
    ownManagerName: text(manager?.name),
    ownManagerEmail: text(manager?.email),
    ownManagerAvailable: manager ? text(manager.available) : '',
    ownManagerState: text(manager?.state),
    routeTo: route.to,
    routeAgent: text(route.agent?.name),
    routeAgentId: text(route.agent?.id),
    routeAgentEmail: text(route.agent?.email),
    routeQueue: text(route.queue),
    routeReason: route.reason,
    intent: text(answer.intent?.kind),
    partial: text(answer.partial),
  };
}
