// Formula injection (CSV injection): a spreadsheet opening a CSV runs a cell that starts with =, +, -, @ (and,
// in some, a tab or carriage return) as a formula, so `=HYPERLINK("http://evil", "click")` written by an anonymous
// participant becomes a live link in a staff member's spreadsheet. Every CSV Convene writes goes through
// `defuse` (csv.ts csvCell), and every CSV Convene reads goes through `undefuse`, its exact inverse, so that
// Convene's own exports import back unchanged:
//
//   defuse: a cell whose first character is one of  = + - @ TAB CR  gets a leading apostrophe (which spreadsheets
//     take as "this is text"), EXCEPT a value that is plainly a number (-12.5) or a phone number
//     (+970 59 123 4567, +1 (202) 555-0100; several separated by ";"): digits and separators only, no letters,
//     no function, no cell reference, nothing a spreadsheet can run. A value that already starts with one or
//     more apostrophes followed by one of those characters gets one more, so that undefuse never takes away an
//     apostrophe that was really there.
//   undefuse: a cell that starts with an apostrophe followed (after any further apostrophes) by one of those
//     characters loses its first apostrophe. Nothing else changes.
//
// So undefuse(defuse(s)) === s for every string s (the property test in csv-defuse.test.ts), and a file
// written by an older Convene, which put an apostrophe before phone numbers too ('+970 …), reads back as the
// phone number.

const RISKY = /^[=+\-@\t\r]/;

/** A plain decimal number: optional minus, digits, optional fraction and exponent (-12.5, -3, -1e-7). */
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** An international phone number: + then digits, spaces, dots, dashes and brackets, 7 to 15 digits. */
const PHONE = /^\+[0-9 ().-]+$/;

function isPhone(s: string): boolean {
  if (!PHONE.test(s)) return false;
  const digits = s.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

/** A number, a phone number, or a list of phone numbers separated by ";" (as the exports join lists). */
export function isNumberOrPhone(s: string): boolean {
  return NUMBER.test(s) || s.split(';').every((part, i) => isPhone(i === 0 ? part : part.trimStart()));
}

/** What follows the leading apostrophes would be run by a spreadsheet, or is a number or phone behind them. */
function risky(s: string): boolean {
  return RISKY.test(s.replace(/^'+/, ''));
}

/** The cell as written to a CSV: defused when a spreadsheet would run it as a formula (see the top of the file). */
export function defuse(s: string): string {
  if (!risky(s)) return s;
  if (s[0] !== "'" && isNumberOrPhone(s)) return s;
  return `'${s}`;
}

/** The value a cell of a CSV Convene wrote stands for: exactly what `defuse` did, undone. */
export function undefuse(s: string): string {
  return s[0] === "'" && risky(s) ? s.slice(1) : s;
}
