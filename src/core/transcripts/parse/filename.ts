/**
 * The participant a transcript's file name names, if it names one: a participant id (P04,
 * interview_P04, R12-transcript) or a person's name ("Maria Lopez.docx"). A suggestion shown in the
 * import preview with its reason; the user keeps or changes it.
 */
export interface ParticipantGuess {
  name: string;
  reason: string;
}

const ID = /(?:^|[^\p{L}\p{N}])((?:P|R|ID|S)[-_ ]?\d{1,4})(?=$|[^\p{L}\p{N}])/iu;
const WORDS_OF_A_TOOL = /^(interview|transcript|recording|zoom|teams|meeting|audio|video|session|focus|group|notes|final|draft|copy|captions?|subtitles?|otter|gmt\d*)$/i;

export function participantFromFileName(baseName: string): ParticipantGuess | null {
  const stem = baseName.replace(/\.[^.]+$/, '');
  const id = ID.exec(stem);
  if (id?.[1]) {
    const name = id[1].replace(/[-_ ]/g, '').toUpperCase();
    return { name, reason: `the file name "${baseName}" has the participant id ${name} in it` };
  }
  // Two or three capitalised words and nothing else: a person's name.
  const words = stem.split(/[\s_]+/).filter(Boolean);
  if (words.length >= 2 && words.length <= 3 && words.every((w) => /^\p{Lu}[\p{Ll}'’-]+$/u.test(w) && !WORDS_OF_A_TOOL.test(w))) {
    const name = words.join(' ');
    return { name, reason: `the file name "${baseName}" is a person's name` };
  }
  return null;
}
