/**
 * What the client files' problems say, in plain words: zod's and the YAML parser's own wording (and their regular
 * expressions) never reach the engineer. Every schema field that needs more than this says it itself.
 */
import type * as z from 'zod';
import type { ErrorCode } from 'yaml';

/**
 * Invisible and text-direction characters, as the inside of a regular expression's class: a file or a value holding
 * one reads differently from what it holds.
 */
export const INVISIBLE_CHARACTERS = '\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';

/** A character as a message names it: `U+200B`. */
export function codePoint(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A value as a message shows it: quoted, on one line, short, with no control character to reach the terminal. */
export function quoted(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const short = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return JSON.stringify(short).replace(
    /[\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** What a YAML value is, in words: "the number 12", "a list", "nothing (an empty value)". */
export function describeValue(value: unknown): string {
  if (value === undefined || value === null) return 'nothing (an empty value)';
  if (typeof value === 'string') return `the text ${quoted(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value === 'number' ? 'the number' : ''} ${value}`.trim();
  if (Array.isArray(value)) return 'a list';
  if (Object.getPrototypeOf(value) === Object.prototype) return 'a mapping (key: value lines)';
  return 'a value of a kind client files do not use';
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value lines)',
};

/**
 * The error map of every client and agency file: zod's issues in plain words. Fields whose shape needs explaining
 * ("an OVH nichandle like ...") carry their own message, which wins over this one.
 */
export const plainMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': {
      const expected = KINDS[issue.expected] ?? issue.expected;
      if (issue.input === undefined) return `is required: expected ${expected}`;
      const hint =
        issue.expected === 'string' && (typeof issue.input === 'number' || typeof issue.input === 'boolean') ? ' (put it in quotes)' : '';
      return `expected ${expected}, got ${describeValue(issue.input)}${hint}`;
    }
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1 ? 'must not be empty' : `must be at least ${issue.minimum} characters long`;
      if (issue.origin === 'array') return `must list at least ${issue.minimum} item(s)`;
      return `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
    case 'too_big':
      if (issue.origin === 'string') return `is too long: at most ${issue.maximum} characters`;
      if (issue.origin === 'array') return `lists too many items: at most ${issue.maximum}`;
      return `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => quoted(value)).join(' or ')}, got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return `is not in the expected form (got ${describeValue(issue.input)})`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return 'unknown key (check its spelling and its place in the file)';
    case 'invalid_union':
      return `is not one of the accepted forms (got ${describeValue(issue.input)})`;
    default:
      return `is not valid here (got ${describeValue(issue.input)})`;
  }
};

/** The YAML parser's errors, by code, in plain words; a problem is always about one place in the file. */
const YAML_ERRORS: Partial<Record<ErrorCode, string>> = {
  DUPLICATE_KEY: 'a key appears twice in the same mapping: keep one',
  TAB_AS_INDENT: 'is indented with a tab: YAML indents with spaces only',
  BAD_INDENT: 'is not indented like the lines around it (or a bracket or quote is not closed)',
  MISSING_CHAR: 'a quote or bracket opened here is not closed',
  BLOCK_AS_IMPLICIT_KEY: 'a key here is followed by a nested block on the same line: put the nested lines below it, indented',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines: a key is one line, followed by ":"',
  KEY_OVER_1024_CHARS: 'a key is longer than 1,024 characters',
  RESOURCE_EXHAUSTION: 'nests lists or mappings too deeply to be read',
  BAD_ALIAS: 'an alias (*name) here names no anchor (&name) above it',
  MULTIPLE_ANCHORS: 'a value has two anchors (&name): keep one',
  MULTIPLE_TAGS: 'a value has two tags (!tag): client files use none',
  BAD_DQ_ESCAPE: 'a "\\" escape in double quotes is not one YAML knows',
  NON_STRING_KEY: 'a key here is a list or mapping: keys are plain words',
  BAD_DIRECTIVE: 'a "%" directive here is not one YAML knows: client files need none',
  UNEXPECTED_TOKEN: 'has something YAML does not expect here (a stray character, or a missing ":" or "-")',
  BAD_SCALAR_START: 'a value starts with a character YAML reserves (such as @, ` or |): put the value in quotes',
  BLOCK_IN_FLOW: 'a block (lines starting with "-" or "key:") sits inside brackets: use one style or the other',
  BAD_PROP_ORDER: 'an anchor or tag is placed where YAML does not allow it',
  ALIAS_PROPS: 'an alias (*name) carries an anchor or tag',
  TAG_RESOLVE_FAILED: 'uses a YAML tag (!tag) that client files do not use: remove it',
  BAD_COLLECTION_TYPE: 'uses a YAML tag (!tag) that client files do not use: remove it',
};

export function yamlProblem(code: ErrorCode): string {
  return `is not valid YAML: ${YAML_ERRORS[code] ?? 'the text here cannot be read as YAML'}`;
}
