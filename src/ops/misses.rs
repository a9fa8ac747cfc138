//! What users ask that the bot cannot answer: recorded questions grouped by wording, most
//! frequent first, so that authors know which topics or keywords to add (`inm-bot misses`).

use std::collections::HashMap;

use serde::Serialize;

use crate::matching::Matcher;
use crate::ops::store::Miss;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// The content words the questions share.
    pub key: String,
    pub count: usize,
    /// Up to three distinct wordings, most recent first.
    pub examples: Vec<String>,
    pub last_seen: String,
    /// How many of them got "Did you mean" suggestions rather than nothing.
    pub suggested: usize,
}

/// Groups misses whose content words are the same, most frequent (then most recent) first.
pub fn group(matcher: &Matcher, misses: &[Miss]) -> Vec<Group> {
    let mut groups: HashMap<String, Group> = HashMap::new();
    for m in misses.iter().rev() {
        let key = matcher.key(&m.text);
        let key = if key.is_empty() { m.text.clone() } else { key };
        let g = groups.entry(key.clone()).or_insert_with(|| Group {
            key,
            count: 0,
            examples: Vec::new(),
            last_seen: m.at.clone(),
            suggested: 0,
        });
        g.count += 1;
        if m.outcome == "suggested" {
            g.suggested += 1;
        }
        if g.examples.len() < 3 && !g.examples.contains(&m.text) {
            g.examples.push(m.text.clone());
        }
    }
    let mut out: Vec<Group> = groups.into_values().collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.last_seen.cmp(&a.last_seen))
            .then(a.key.cmp(&b.key))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn miss(text: &str, at: &str) -> Miss {
        Miss {
            text: text.into(),
            outcome: "none".into(),
            at: at.into(),
        }
    }

    #[test]
    fn similar_wordings_are_grouped_most_frequent_first() {
        let e = crate::load(None).unwrap();
        let misses = vec![
            miss("where can i buy a sim card", "2026-11-01T10:00:00Z"),
            miss("how much is a flight to cancun", "2026-11-02T10:00:00Z"),
            miss("sim card where buy", "2026-11-03T10:00:00Z"),
            miss("where can i buy a sim card", "2026-11-04T10:00:00Z"),
        ];
        let groups = group(&e.matcher, &misses);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].count, 3);
        assert_eq!(groups[0].last_seen, "2026-11-04T10:00:00Z");
        assert_eq!(groups[0].examples.len(), 2, "distinct wordings only");
        assert_eq!(groups[1].count, 1);
    }
}
