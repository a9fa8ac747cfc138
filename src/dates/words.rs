//! Words of a message as the date readers see them, and the word lists more than one reader
//! shares. Tokens are normalised once here (lower case, accents folded, "8 a.m." joined) so that
//! every reader can compare plain ASCII words.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Only the start of a message is read, like the matcher does.
const MAX_CHARS: usize = 600;
const MAX_TOKENS: usize = 64;

pub(super) const DATE_WORDS: &[&str] = &[
    "today",
    "tonight",
    "tomorrow",
    "tmrw",
    "yesterday",
    "hoy",
    "manana",
    "mananas",
    "pasado",
    "ayer",
    "am",
    "pm",
    "noon",
    "midnight",
    "mediodia",
    "medianoche",
    "oclock",
    "morning",
    "mornings",
    "afternoon",
    "afternoons",
    "evening",
    "evenings",
    "tarde",
    "tardes",
    "noche",
    "temprano",
    "early",
    "hrs",
    "media",
    "cuarto",
    "weekend",
    "finde",
    "xmas",
    "nochebuena",
    "vispera",
    "eve",
];

/// Words that only an English question would use: a "3/4" in one is March 4.
pub(super) const ENGLISH_HINTS: &[&str] = &[
    "is", "the", "on", "open", "will", "what", "can", "it", "you", "are", "be", "at", "do", "does",
];

/// Words after a number that make it a quantity, not an hour ("at 30 days").
pub(super) const UNITS: &[&str] = &[
    "days", "day", "dias", "dia", "years", "year", "anos", "ano", "months", "month", "meses", "mes", "weeks",
    "semanas", "people", "personas", "pesos", "mxn", "copies", "copias", "fotos", "photos", "minutes", "minutos",
    "hours", "horas",
];

/// Lower case, accents folded; letters, digits, and ':' '/' '-' between digits stay in a word.
pub(super) fn tokenize(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    // Most messages are plain ASCII, which has no accents to fold.
    let chars: Vec<char> = if text.is_ascii() {
        text.bytes()
            .take(MAX_CHARS)
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect()
    } else {
        text.chars()
            .take(MAX_CHARS)
            .flat_map(char::to_lowercase)
            .nfd()
            .filter(|c| !is_combining_mark(*c))
            .collect()
    };
    for (k, &c) in chars.iter().enumerate() {
        let digit_around = |c: char| {
            cur.chars().last().is_some_and(|l| l.is_ascii_digit())
                && chars.get(k + 1).is_some_and(|n| n.is_ascii_digit())
                && matches!(c, ':' | '/' | '-' | '.')
        };
        if c.is_alphanumeric() {
            cur.push(c);
        } else if c == '\'' || c == '’' {
            // "o'clock", "new year's": one word.
        } else if digit_around(c) {
            cur.push(if c == '.' { ':' } else { c });
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            if out.len() >= MAX_TOKENS {
                break;
            }
        }
    }
    if !cur.is_empty() && out.len() < MAX_TOKENS {
        out.push(cur);
    }
    // "8 a.m." → "8 am".
    let mut merged: Vec<String> = Vec::with_capacity(out.len());
    for w in out {
        if w == "m"
            && let Some(last) = merged.last_mut()
            && (last == "a" || last == "p")
        {
            last.push('m');
            continue;
        }
        merged.push(w);
    }
    merged
}

/// A word one or two typing slips from a candidate (same first letter; distance 1, or 2 for long
/// words). Cheap: most words fail on the first letter or the length.
pub(super) fn fuzzy<'a>(w: &str, candidates: &[&'a str]) -> Option<&'a str> {
    if w.len() < 5 {
        return None;
    }
    let first = w.as_bytes()[0];
    candidates.iter().copied().find(|c| {
        let max = if c.len() >= 8 { 2 } else { 1 };
        c.as_bytes()[0] == first
            && c.len().abs_diff(w.len()) <= max
            && c.len() >= 6
            && w.bytes().all(|b| b.is_ascii_lowercase())
            && strsim::osa_distance(w, c) <= max
    })
}
