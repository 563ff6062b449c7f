/** "1 turn", "2 turns": counts in answers read as written English ("(1 turns)" did not). */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
