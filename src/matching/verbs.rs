//! Spanish verb forms the Snowball stemmer does not bring together. It leaves short verbs apart
//! ("abre", "abren", "abrió", "abrieron" get four different stems), so a question in the past
//! tense or the plural would miss a keyword written in another form. `forms` guesses, from the
//! ending, the infinitive and the present forms a word may be a form of; the scorer looks them up
//! in the vocabulary, so a guess only counts when the knowledge base uses that verb.

/// Endings of conjugated forms, longest first, with the infinitive endings they may come from.
const ENDINGS: &[(&str, &[&str])] = &[
    ("ieron", &["ir", "er"]),
    ("ieran", &["ir", "er"]),
    ("iendo", &["ir", "er"]),
    ("aron", &["ar"]),
    ("aban", &["ar"]),
    ("aran", &["ar"]),
    ("ando", &["ar"]),
    ("aste", &["ar"]),
    ("iste", &["ir", "er"]),
    ("amos", &["ar"]),
    ("emos", &["er"]),
    ("imos", &["ir"]),
    ("iera", &["ir", "er"]),
    ("aba", &["ar"]),
    ("ara", &["ar"]),
    ("ado", &["ar"]),
    ("ada", &["ar"]),
    ("ido", &["ir", "er"]),
    ("ida", &["ir", "er"]),
    ("ian", &["ir", "er"]),
    ("io", &["ir", "er"]),
    ("ia", &["ir", "er"]),
    ("an", &["ar"]),
    ("en", &["er", "ir"]),
    ("as", &["ar"]),
    ("es", &["er", "ir"]),
    ("e", &["ar", "er", "ir"]),
    ("o", &["ar", "er", "ir"]),
    ("a", &["ar"]),
];

/// The shortest root a form may have ("ir" is not a form of anything useful).
const MIN_ROOT: usize = 2;

/// Forms `word` may be another form of: for each ending it has, the infinitive and the present
/// forms, with the root's vowel changed as in "cerrar"/"cierra" and "poder"/"puede". Nearest
/// guesses first; the word itself is not included.
pub(super) fn forms(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    if !word.is_ascii() {
        return out;
    }
    for &(ending, infinitives) in ENDINGS {
        let Some(root) = word.strip_suffix(ending) else {
            continue;
        };
        if root.len() < MIN_ROOT {
            continue;
        }
        for root in roots(root) {
            for inf in infinitives {
                out.push(format!("{root}{inf}"));
                let (one, many) = if *inf == "ar" { ("a", "an") } else { ("e", "en") };
                out.push(format!("{root}{one}"));
                out.push(format!("{root}{many}"));
            }
        }
    }
    out.retain(|f| f != word);
    out.dedup();
    out
}

/// The root as written, and with its last vowel changed the way stem-changing verbs change it
/// ("cierr" and "cerr", "pued" and "pod").
fn roots(root: &str) -> Vec<String> {
    let mut out = vec![root.to_string()];
    for (a, b) in [("ie", "e"), ("ue", "o"), ("e", "ie"), ("o", "ue")] {
        if let Some(i) = root.rfind(a) {
            // Only the root's last vowel changes; "ie" found inside "iei" would be another one.
            if root[i + a.len()..].chars().all(|c| !"aeiou".contains(c)) {
                out.push(format!("{}{b}{}", &root[..i], &root[i + a.len()..]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn past_and_plural_forms_lead_to_the_present_and_the_infinitive() {
        assert!(forms("abrieron").contains(&"abren".to_string()));
        assert!(forms("abrio").contains(&"abre".to_string()));
        assert!(forms("abrio").contains(&"abrir".to_string()));
        assert!(forms("cerraron").contains(&"cierran".to_string()));
        assert!(forms("cerro").contains(&"cierra".to_string()));
        assert!(forms("atendieron").contains(&"atienden".to_string()));
        assert!(forms("pagaste").contains(&"pagar".to_string()));
    }

    #[test]
    fn short_or_foreign_words_have_no_forms() {
        assert!(forms("es").is_empty());
        assert!(forms("ño").is_empty());
        assert!(!forms("abre").contains(&"abre".to_string()));
    }
}
