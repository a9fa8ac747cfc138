//! Typo correction: an unknown word is corrected to a vocabulary word at a small edit distance
//! (SymSpell-style: every word and its deletions are hashed once at load, so a lookup hashes the
//! question word's deletions instead of comparing it with the whole vocabulary).

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasherDefault, Hasher};

use rustc_hash::FxHashMap;

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
    ids: FxHashMap<String, u32>,
    /// Per deletion hash, the first and the last link of its surfaces in `links`. Nearly every
    /// hash has one surface only: lists linked in one vector spare a vector for each.
    deletes: IdMap<(u32, u32)>,
    /// (surface id, next link or `END`), each list in the order its surfaces were added.
    links: Vec<(u32, u32)>,
}

const END: u32 = u32::MAX;

fn fnv(hash: u64, c: char) -> u64 {
    (hash ^ u64::from(c as u32)).wrapping_mul(0x100_0000_01b3)
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Calls `f` with the hash of the word and of every variant with up to `max` characters deleted.
fn for_each_deletion(word: &[char], max: usize, f: &mut impl FnMut(u64)) {
    let hash_from = |h: u64, rest: &[char]| rest.iter().fold(h, |h, &c| fnv(h, c));
    f(hash_from(FNV_START, word));
    if max >= 1 {
        // The hash of the characters before `i`, and, for two deletions, of those before `j`
        // but `i`: each variant hashes only what follows its last deletion.
        let mut before_i = FNV_START;
        for i in 0..word.len() {
            f(hash_from(before_i, &word[i + 1..]));
            if max >= 2 {
                let mut before_j = before_i;
                for j in i + 1..word.len() {
                    f(hash_from(before_j, &word[j + 1..]));
                    before_j = fnv(before_j, word[j]);
                }
            }
            before_i = fnv(before_i, word[i]);
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
        let id = match self.ids.get(word) {
            Some(&id) => id,
            None => {
                let id = self.surfaces.len() as u32;
                self.ids.insert(word.to_string(), id);
                self.surfaces.push(Surface {
                    word: word.to_string(),
                    en: false,
                    es: false,
                });
                id
            }
        };
        let s = &mut self.surfaces[id as usize];
        match lang {
            Lang::En => s.en = true,
            Lang::Es => s.es = true,
        }
    }

    /// Builds the deletion index once every word is added.
    pub(super) fn build(&mut self) {
        let mut chars = Vec::new();
        let variants: usize = self
            .surfaces
            .iter()
            .map(|s| {
                let n = s.word.chars().count();
                match allowed_distance(n) {
                    0 => 1,
                    1 => 1 + n,
                    _ => 1 + n + n * (n - 1) / 2,
                }
            })
            .sum();
        self.deletes.reserve(variants);
        self.links.reserve(variants);
        let (deletes, links) = (&mut self.deletes, &mut self.links);
        for (sid, s) in self.surfaces.iter().enumerate() {
            let sid = sid as u32;
            chars.clear();
            chars.extend(s.word.chars());
            for_each_deletion(&chars, allowed_distance(chars.len()), &mut |h| {
                let next = links.len() as u32;
                match deletes.entry(h) {
                    Entry::Vacant(e) => {
                        e.insert((next, next));
                        links.push((sid, END));
                    }
                    Entry::Occupied(mut e) => {
                        let (_, last) = e.get_mut();
                        if links[*last as usize].0 != sid {
                            links[*last as usize].1 = next;
                            *last = next;
                            links.push((sid, END));
                        }
                    }
                }
            });
        }
    }

    /// The surfaces of one deletion hash, in the order they were added.
    fn surfaces_of(&self, h: u64) -> impl Iterator<Item = u32> + '_ {
        let mut at = self.deletes.get(&h).map_or(END, |&(first, _)| first);
        std::iter::from_fn(move || {
            let (sid, next) = *self.links.get(at as usize)?;
            at = next;
            Some(sid)
        })
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
            for sid in self.surfaces_of(h) {
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
