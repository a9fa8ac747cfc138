//! Writes the common words of English and Spanish (the ISO stop-word lists), lower-cased and
//! accent-folded, one per line and sorted, for the matcher to tell filler words ("tried",
//! "really", "próximo") from off-topic content words ("weather", "joke") among the words its
//! knowledge base does not know.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

fn fold(word: &str) -> String {
    word.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let mut words: Vec<String> = ["en", "es"]
        .iter()
        .flat_map(|lang| stop_words::get(*lang))
        .map(|w| fold(&w))
        .filter(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric))
        .collect();
    words.sort();
    words.dedup();
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("common_words.txt"), words.join("\n")).expect("writing common_words.txt");
}
