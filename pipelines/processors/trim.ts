import { stringTransform } from './string-transform.ts';

export const trim = stringTransform('Removes leading and trailing whitespace from a string field (or each string of an array).', (text) => text.trim());
