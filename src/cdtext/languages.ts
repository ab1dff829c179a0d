// CD-Text language codes: the manifest's `language` (an ISO 639 tag) ⇄ the byte in the size
// information (formats.md, CDTEXT.BIN, size info [28..35]). The byte values are the EBU language
// codes of EBU Tech 3264, Appendix 3: 0x01–0x2B European languages, 0x45–0x7F others, 0x00 unknown.
// Tags are ISO 639-1 where the language has one; the few EBU languages without an ISO 639-1 code
// use their ISO 639-2/639-3 code. Where two tags name one EBU language, the first is canonical.

/** ISO 639 tag → EBU Tech 3264 language code, as written in CD-Text size information. */
export const LANGUAGE_CODES: ReadonlyMap<string, number> = new Map<string, number>([
  // EBU 0x00 "unknown / not applicable"; ISO 639-2 `und` is "undetermined".
  ['und', 0x00],
  ['sq', 0x01], // Albanian
  ['br', 0x02], // Breton
  ['ca', 0x03], // Catalan
  ['hr', 0x04], // Croatian
  ['cy', 0x05], // Welsh
  ['cs', 0x06], // Czech
  ['da', 0x07], // Danish
  ['de', 0x08], // German
  ['en', 0x09], // English
  ['es', 0x0a], // Spanish
  ['eo', 0x0b], // Esperanto
  ['et', 0x0c], // Estonian
  ['eu', 0x0d], // Basque
  ['fo', 0x0e], // Faroese
  ['fr', 0x0f], // French
  ['fy', 0x10], // Frisian
  ['ga', 0x11], // Irish
  ['gd', 0x12], // Gaelic
  ['gl', 0x13], // Galician
  ['is', 0x14], // Icelandic
  ['it', 0x15], // Italian
  ['se', 0x16], // Lappish (Northern Sami)
  ['la', 0x17], // Latin
  ['lv', 0x18], // Latvian
  ['lb', 0x19], // Luxembourgian
  ['lt', 0x1a], // Lithuanian
  ['hu', 0x1b], // Hungarian
  ['mt', 0x1c], // Maltese
  ['nl', 0x1d], // Dutch
  ['no', 0x1e], // Norwegian
  ['nb', 0x1e], // Norwegian Bokmål
  ['nn', 0x1e], // Norwegian Nynorsk
  ['oc', 0x1f], // Occitan
  ['pl', 0x20], // Polish
  ['pt', 0x21], // Portuguese
  ['ro', 0x22], // Romanian
  ['rm', 0x23], // Romansh
  ['sr', 0x24], // Serbian
  ['sk', 0x25], // Slovak
  ['sl', 0x26], // Slovenian
  ['fi', 0x27], // Finnish
  ['sv', 0x28], // Swedish
  ['tr', 0x29], // Turkish
  ['vls', 0x2a], // Flemish (ISO 639-3; no ISO 639-1 code)
  ['wa', 0x2b], // Walloon
  // 0x2C–0x44 are reserved in EBU Tech 3264.
  ['zu', 0x45], // Zulu
  ['vi', 0x46], // Vietnamese
  ['uz', 0x47], // Uzbek
  ['ur', 0x48], // Urdu
  ['uk', 0x49], // Ukrainian
  ['th', 0x4a], // Thai
  ['te', 0x4b], // Telugu
  ['tt', 0x4c], // Tatar
  ['ta', 0x4d], // Tamil
  ['tg', 0x4e], // Tajik ("Tadzhik")
  ['sw', 0x4f], // Swahili
  ['srn', 0x50], // Sranan Tongo (ISO 639-2)
  ['so', 0x51], // Somali
  ['si', 0x52], // Sinhalese
  ['sn', 0x53], // Shona
  ['sh', 0x54], // Serbo-Croat (withdrawn ISO 639-1 code, still the only one)
  ['rue', 0x55], // Ruthenian (Rusyn, ISO 639-3)
  ['ru', 0x56], // Russian
  ['qu', 0x57], // Quechua
  ['ps', 0x58], // Pushtu
  ['pa', 0x59], // Punjabi
  ['fa', 0x5a], // Persian
  ['pap', 0x5b], // Papiamento (ISO 639-2)
  ['or', 0x5c], // Oriya
  ['ne', 0x5d], // Nepali
  ['nd', 0x5e], // Ndebele
  ['mr', 0x5f], // Marathi
  ['mo', 0x60], // Moldavian (withdrawn ISO 639-1 code)
  ['ms', 0x61], // Malay ("Malaysian")
  ['mg', 0x62], // Malagasy
  ['mk', 0x63], // Macedonian
  ['lo', 0x64], // Lao
  ['ko', 0x65], // Korean
  ['km', 0x66], // Khmer
  ['kk', 0x67], // Kazakh
  ['kn', 0x68], // Kannada
  ['ja', 0x69], // Japanese
  ['id', 0x6a], // Indonesian
  ['hi', 0x6b], // Hindi
  ['he', 0x6c], // Hebrew
  ['ha', 0x6d], // Hausa
  ['gn', 0x6e], // Guarani ("Gurani")
  ['gu', 0x6f], // Gujarati
  ['el', 0x70], // Greek
  ['ka', 0x71], // Georgian
  ['ff', 0x72], // Fulani
  ['prs', 0x73], // Dari (ISO 639-3)
  ['cv', 0x74], // Chuvash ("Churash")
  ['zh', 0x75], // Chinese
  ['my', 0x76], // Burmese
  ['bg', 0x77], // Bulgarian
  ['bn', 0x78], // Bengali
  ['be', 0x79], // Belarusian ("Bielorussian")
  ['bm', 0x7a], // Bambara ("Bambora")
  ['az', 0x7b], // Azerbaijani
  ['as', 0x7c], // Assamese
  ['hy', 0x7d], // Armenian
  ['ar', 0x7e], // Arabic
  ['am', 0x7f], // Amharic
]);

/** EBU code → canonical tag; built once so decoding a language byte needs no search. */
const TAGS: ReadonlyMap<number, string> = (() => {
  const tags = new Map<number, string>();
  for (const [tag, code] of LANGUAGE_CODES) if (!tags.has(code)) tags.set(code, tag);
  return tags;
})();

/** The CD-Text language byte for a manifest language tag (case-insensitive), or undefined if unknown. */
export function languageCode(lang: string): number | undefined {
  return LANGUAGE_CODES.get(lang.toLowerCase());
}

/** The manifest language tag for a CD-Text language byte, or undefined for a reserved or unknown code. */
export function languageTag(code: number): string | undefined {
  return TAGS.get(code);
}
