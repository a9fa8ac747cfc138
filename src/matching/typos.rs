//! Typo correction: an unknown word is corrected to a vocabulary word at a small edit distance
//! (SymSpell-style: every word and its deletions are hashed once at load, so a lookup hashes the
//! question word's deletions instead of comparing it with the whole vocabulary).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::knowledge::Lang;

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// The keys are already hashes: hashing them again would only cost time.
type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// A word of the vocabulary that typos can be corrected to.
struct Surface {
    word: String,
    en: bool,
    es: bool,
}

/// The words typos are corrected to, with their deletion index.
#[derive(Default)]
pub(super) struct Typos {
    surfaces: Vec<Surface>,
    ids: HashMap<String, u32>,
    deletes: IdMap<Vec<u32>>,
}

fn fnv(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(c as u32)).wrapping_mul(0x100_0000_01b3)
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Calls `f` with the hash of the word and of every variant with up to `max` characters deleted.
fn for_each_deletion(word: &[char], max: usize, f: &mut impl FnMut(u64)) {
    let hash_skipping = |skip: &[usize]| {
        let mut h = FNV_START;
        for (i, &c) in word.iter().enumerate() {
            if !skip.contains(&i) {
                h = fnv(h, c);
            }
        }
        h
    };
    f(hash_skipping(&[]));
    if max >= 1 {
        for i in 0..word.len() {
            f(hash_skipping(&[i]));
            if max >= 2 {
                for j in i + 1..word.len() {
                    f(hash_skipping(&[i, j]));
                }
            }
        }
    }
}

/// The edit distance allowed between two words, from the shorter one's length: short words get
/// none, so "vida" never becomes "visa".
pub(super) fn allowed_distance(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=7 => 1,
        _ => 2,
    }
}

impl Typos {
    /// Adds a word of a language's vocabulary (keywords and titles, 5 letters or more).
    pub(super) fn add(&mut self, word: &str, lang: Lang) {
        let next = self.surfaces.len() as u32;
        let id = *self.ids.entry(word.to_string()).or_insert(next);
        if id == next {
            self.surfaces.push(Surface {
                word: word.to_string(),
                en: false,
                es: false,
            });
        }
        let s = &mut self.surfaces[id as usize];
        match lang {
            Lang::En => s.en = true,
            Lang::Es => s.es = true,
        }
    }

    /// Builds the deletion index once every word is added.
    pub(super) fn build(&mut self) {
        let mut chars = Vec::new();
        for (sid, s) in self.surfaces.iter().enumerate() {
            chars.clear();
            chars.extend(s.word.chars());
            for_each_deletion(&chars, allowed_distance(chars.len()), &mut |h| {
                let list = self.deletes.entry(h).or_default();
                if list.last() != Some(&(sid as u32)) {
                    list.push(sid as u32);
                }
            });
        }
    }

    /// Whether the word is itself a vocabulary word.
    pub(super) fn knows(&self, word: &str) -> bool {
        self.ids.contains_key(word)
    }

    /// The vocabulary words closest to `word` within the allowed edit distance: the best English
    /// one and the best Spanish one (only those at the smallest distance found).
    pub(super) fn correct(&self, word: &str) -> (Option<&str>, Option<&str>) {
        let chars: Vec<char> = word.chars().collect();
        let max = allowed_distance(chars.len());
        if max == 0 {
            return (None, None);
        }
        // (distance, surface id) of the best candidate per language.
        let mut best_en: Option<(usize, u32)> = None;
        let mut best_es: Option<(usize, u32)> = None;
        for_each_deletion(&chars, max, &mut |h| {
            let Some(list) = self.deletes.get(&h) else { return };
            for &sid in list {
                let s = &self.surfaces[sid as usize];
                let limit = allowed_distance(chars.len().min(s.word.chars().count()));
                let d = strsim::damerau_levenshtein(word, &s.word);
                if d > limit {
                    continue;
                }
                for (has, best) in [(s.en, &mut best_en), (s.es, &mut best_es)] {
                    if has && best.is_none_or(|(bd, bs)| d < bd || (d == bd && sid < bs)) {
                        *best = Some((d, sid));
                    }
                }
            }
        });
        let min = best_en.iter().chain(&best_es).map(|(d, _)| *d).min();
        let pick = |b: Option<(usize, u32)>| {
            b.filter(|(d, _)| Some(*d) == min)
                .map(|(_, sid)| self.surfaces[sid as usize].word.as_str())
        };
        (pick(best_en), pick(best_es))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_rules() {
        assert_eq!(allowed_distance(4), 0);
        assert_eq!(allowed_distance(5), 1);
        assert_eq!(allowed_distance(8), 2);
    }

    #[test]
    fn corrects_within_the_distance_per_language() {
        let mut t = Typos::default();
        t.add("residencia", Lang::Es);
        t.add("residency", Lang::En);
        t.add("renewal", Lang::En);
        t.build();
        assert_eq!(t.correct("recidencia"), (None, Some("residencia")));
        assert_eq!(t.correct("renwal").0, Some("renewal"));
        assert_eq!(t.correct("banana"), (None, None));
        assert!(t.knows("renewal") && !t.knows("renwal"));
    }
}
