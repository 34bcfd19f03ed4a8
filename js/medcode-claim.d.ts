// Types of medcode/claim (js/medcode-claim.js).
import type { CodeSet } from './index.js';

/** A code of a claim: the code as a string, or an object carrying it. */
export type ClaimCode = string | { code: string };

/** The patient's sex: F or M, `female` or `male`, in any case (read after trimming). */
export type Sex = 'F' | 'M' | 'f' | 'm' | 'female' | 'male' | 'Female' | 'Male' | 'FEMALE' | 'MALE';

/** A claim: diagnoses first = principal; each code a string or `{code}`; sex F/M; age in years; date of service. */
export interface Claim {
  diagnoses?: readonly ClaimCode[] | null;
  procedures?: readonly ClaimCode[] | null;
  sex?: Sex | null;
  /** Age in years, 0 to 124 (the MCE's valid ages). */
  age?: number | null;
  /** Date of service, `YYYY-MM-DD` or a `Date` (none: the newest release answers, with a `no-date` finding). */
  date?: string | Date | null;
}

/** One finding; errors first, then warnings, then information, each in claim order. */
export interface Finding {
  severity: 'error' | 'warning' | 'information';
  /** e.g. `header`, `excludes1`, `age-conflict`, `deleted` (README "Checking a claim" lists them all). */
  type: string;
  /** The codes involved, normalized. */
  codes: string[];
  /** The finding in plain words (put together when first read). */
  readonly reason: string;
  /** Where the rule comes from (MCE list, tabular note, code set). */
  source: string;
  /** Codes to report instead (a header's billable codes, a mistyped code's neighbours). */
  suggestions?: string[];
  /** A plain object with the reason, for JSON. */
  toJSON(): object;
}

/** MCE age ranges, inclusive, in years. */
export declare const MCE_AGES: Readonly<Record<'newborn' | 'pediatric' | 'maternity' | 'adult', readonly [number, number]>>;
/** Most codes a list may hold. */
export declare const MAX_CODES: number;
/**
 * Checks a claim with the ICD-10-CM set (opened with `{notes: true}` for the
 * note checks) and the ICD-10-PCS set. Never throws: any other value (an
 * unchecked JSON body passed `as Claim`) gets `malformed-claim` or
 * `invalid-sex`/`invalid-age` findings.
 */
export declare function checkClaim(claim: Claim, sets: { cm?: CodeSet; pcs?: CodeSet }): Finding[];
