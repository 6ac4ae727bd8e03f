import type { DetectionRule } from './config';

/** How one admin rule stands for a page (the options page shows it). */
export interface RuleStatus {
  /** 1-based position among the valid rules in `detectionRules`. */
  rule: number;
  matches: string[];
  /** The rule's `matches` name the page. */
  applies: boolean;
  /**
   * `declared`: the extension's own content script covers the page; `granted`: the admin's
   * origins were granted and the script registered for them; `needed`: grant them in the options
   * page first.
   */
  access: 'declared' | 'granted' | 'needed';
}

/** Which detectors and rules read a page, and what is wrong with the configured rules. */
export interface DetectionStatus {
  url: string;
  /** Ids of the built-in detectors that read this page. */
  detectors: string[];
  rules: RuleStatus[];
  /** Rules that were refused, each with its position and why. */
  problems: string[];
  /** What detectors and rules read lately, newest first: the number as the page showed it. */
  seen?: SeenCall[];
}

export interface SeenCall {
  detector: string;
  raw: string;
  state: string;
  at: string;
  /** Why the number could not be read, when it could not. */
  problem?: string;
}

/** The rules a page's content script applies, as the background hands them over. */
export interface PageRules {
  rules: DetectionRule[];
}
