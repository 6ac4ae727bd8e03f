import type { CallerService } from '../caller-service';

export interface CallsDeps {
  callerService: Pick<CallerService, 'resume'>;
}

/**
 * Calls: the calls of the last run resume at once (a lookup cut short by the worker stopping is
 * done again). The messages about calls are in background/messages.ts.
 */
export function registerCalls({ callerService }: CallsDeps): void {
  void callerService.resume();
}
