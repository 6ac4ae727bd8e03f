import { describe, expect, it } from 'vitest';
import { registerCalls } from './calls';

describe('calls registration', () => {
  it('resumes the calls of the last run as the worker starts', () => {
    let resumed = 0;
    registerCalls({ callerService: { resume: async () => void resumed++ } });
    expect(resumed).toBe(1);
  });
});
