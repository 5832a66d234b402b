/**
 * Labels set inside a generated sentence. Code lists label categories in title position
 * ("Torture", "Жестокое обращение"); inside a sentence a common noun starts in lower case
 * ("Чаще всего — жестокое обращение"), while abbreviations (NPM, ИВС, ҰАТ) and proper names
 * (institutions) keep their capitals.
 */

/** True when the first word is an abbreviation: its second letter is a capital (or it is one letter long and so is the next). */
function startsWithAbbreviation(text: string): boolean {
	const first = text.split(/[\s(,]/)[0];
	return first.length > 1 && first[1] !== first[1].toLowerCase();
}

/** `text` as it stands inside a sentence: first letter in lower case unless it is a proper name or starts with an abbreviation. */
export function inSentence(text: string, properName = false): string {
	if (!text || properName || startsWithAbbreviation(text)) return text;
	return text[0].toLowerCase() + text.slice(1);
}

/**
 * Whether an English label names an institution: two or more words, every word of four letters
 * or more capitalised ("National Security Committee", "Anti-Corruption Agency").
 */
export function isProperName(english: string): boolean {
	const words = english.split(/[\s-]+/).filter((w) => w.length >= 4);
	return english.trim().includes(' ') && words.length >= 2 && words.every((w) => w[0] !== w[0].toLowerCase());
}
