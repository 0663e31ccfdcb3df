/** One lint finding: the rule, the file and JSON pointer it is about, and what is wrong. */
export interface Finding {
  rule: string;
  file: string;
  pointer: string;
  message: string;
}
