/**
 * `text` as a LIKE pattern's literal part, for SQL written with `ESCAPE '\'`:
 * a `%`, `_` or `\` someone types is searched for, not taken as a wildcard
 * (`?name=_` finds names with an underscore, not every name).
 */
export const likeLiteral = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
