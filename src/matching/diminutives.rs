//! Spanish diminutives and augmentatives: "la tarjetita", "un papelito", "una filota", "pega un
//! solazo". Mexican Spanish puts them on almost any noun, the Snowball stemmer leaves them apart
//! from the plain word, and a typo correction two letters away would be a guess. `bases` gives
//! the plain words a form may come from; the scorer looks them up in the vocabulary, so a guess
//! only counts when the knowledge base uses that word.

/// Endings with the vowels the plain word may have ended in ("" for "papel" from "papelito").
const ENDINGS: &[(&str, &[&str])] = &[
    ("citos", &["", "s"]),
    ("citas", &["", "s"]),
    ("cito", &[""]),
    ("cita", &[""]),
    ("itos", &["os", "es", "s"]),
    ("itas", &["as", "es", "s"]),
    ("ito", &["o", "e", ""]),
    ("ita", &["a", "e", ""]),
    ("azos", &["os", "s"]),
    ("azas", &["as", "s"]),
    ("azo", &["o", ""]),
    ("aza", &["a", ""]),
    ("otas", &["as"]),
    ("ota", &["a"]),
    ("otes", &["es", "os"]),
    ("ote", &["e", "o", ""]),
];

/// The shortest root a form may have: "cita" is not a diminutive of "ca".
const MIN_ROOT: usize = 3;

/// Plain words `word` may be a diminutive or augmentative of, nearest guesses first.
pub(super) fn bases(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !word.is_ascii() {
        return out;
    }
    for &(ending, plains) in ENDINGS {
        let Some(root) = word.strip_suffix(ending) else {
            continue;
        };
        if root.len() < MIN_ROOT {
            continue;
        }
        for plain in plains {
            out.push(format!("{root}{plain}"));
        }
    }
    out.retain(|f| f != word);
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diminutives_and_augmentatives_lead_to_the_plain_word() {
        for (form, plain) in [
            ("tarjetita", "tarjeta"),
            ("papelito", "papel"),
            ("papelitos", "papeles"),
            ("fotitos", "fotos"),
            ("cafecito", "cafe"),
            ("filota", "fila"),
            ("solazo", "sol"),
            ("citita", "cita"),
        ] {
            assert!(bases(form).contains(&plain.to_string()), "{form}: {:?}", bases(form));
        }
    }

    #[test]
    fn short_words_have_no_base() {
        assert!(bases("cita").is_empty());
        assert!(bases("nota").is_empty());
        assert!(bases("año").is_empty());
    }
}
