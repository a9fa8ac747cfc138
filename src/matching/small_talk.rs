//! Small talk: a message made only of greetings, thanks or goodbyes is not a question.

use super::words::normalize;

/// Greetings, thanks and goodbyes: a message made only of these is small talk, not a question.
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hola",
    "buenas",
    "buenos",
    "buen",
    "dias",
    "tardes",
    "noches",
    "good",
    "morning",
    "afternoon",
    "evening",
    "there",
    "guys",
    "everyone",
    "all",
    "bye",
    "adios",
    "hasta",
    "luego",
    "ciao",
    "chao",
    "saludos",
    "que",
    "tal",
    "onda",
];
const THANKS: &[&str] = &[
    "thanks", "thank", "you", "thx", "ty", "gracias", "muchas", "mil", "much", "so", "very",
];

/// What a message made only of greetings or thanks is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmallTalk {
    Greeting,
    Thanks,
}

/// Reads a message made only of greetings or thanks ("hola!", "thank you so much").
pub fn small_talk(text: &str) -> Option<SmallTalk> {
    let words = normalize(text);
    if words.is_empty() {
        return None;
    }
    let thanks = words
        .iter()
        .any(|w| matches!(w.as_str(), "thanks" | "thank" | "thx" | "ty" | "gracias"));
    let all = |list: &[&str]| {
        words
            .iter()
            .all(|w| list.contains(&w.as_str()) || GREETINGS.contains(&w.as_str()))
    };
    if thanks && all(THANKS) {
        Some(SmallTalk::Thanks)
    } else if words.iter().all(|w| GREETINGS.contains(&w.as_str())) {
        Some(SmallTalk::Greeting)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_talk_is_only_greetings_or_thanks() {
        assert_eq!(small_talk("Hola!!"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("buenos días 🙂"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("hi there"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("thank you so much"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("muchas gracias"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("hola, a que hora abren"), None);
        assert_eq!(small_talk("thanks, where is the office?"), None);
        assert_eq!(small_talk(""), None);
        assert_eq!(small_talk("🙂"), None);
    }
}
