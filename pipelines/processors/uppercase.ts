import { stringTransform } from './string-transform.ts';

export const uppercase = stringTransform('Converts a string field (or each string of an array) to upper case.', (text) => text.toUpperCase());
