//! Small talk: a message made only of greetings, thanks, goodbyes or acknowledgements ("ok",
//! "va", "sale", "👍"), alone or with a few friendly words around them, is not a question.

use super::words::normalize;

/// What a message made only of small talk is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmallTalk {
    Greeting,
    Thanks,
    Goodbye,
    /// "ok", "va", "sale", "got it", "👍": the person has what they needed.
    Ack,
    /// "are you a bot?", "¿quién te programó?": what the bot is.
    AboutBot,
}

/// Questions about the bot itself.
const ABOUT_BOT: &[&[&str]] = &[
    &["are", "you", "a", "bot"],
    &["are", "you", "a", "robot"],
    &["are", "you", "a", "real"],
    &["are", "you", "human"],
    &["are", "you", "a", "person"],
    &["are", "you", "real"],
    &["are", "you", "ai"],
    &["is", "this", "a", "bot"],
    &["who", "are", "you"],
    &["what", "are", "you"],
    &["who", "made", "you"],
    &["who", "built", "you"],
    &["who", "created", "you"],
    &["who", "programmed", "you"],
    &["who", "wrote", "you"],
    &["eres", "un", "bot"],
    &["eres", "un", "robot"],
    &["eres", "bot"],
    &["eres", "humano"],
    &["eres", "una", "persona"],
    &["eres", "real"],
    &["eres", "ia"],
    &["es", "un", "bot"],
    &["quien", "eres"],
    &["que", "eres"],
    &["quien", "te", "hizo"],
    &["quien", "te", "creo"],
    &["quien", "te", "programo"],
    &["quien", "te", "desarrollo"],
    &["con", "quien", "hablo"],
];
/// Words that may come with a question about the bot ("are you a bot or a real person?").
const ABOUT_BOT_WORDS: &[&str] = &[
    "or", "o", "a", "an", "un", "una", "real", "person", "persona", "human", "humano", "robot", "bot", "chatbot",
    "machine", "maquina", "ai", "ia", "just", "solo", "program", "programa", "actually", "de", "verdad", "neta",
];

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
    "saludos",
    "que",
    "tal",
    "onda",
    "holi",
    "hii",
    "hallo",
    "yo",
];
const THANKS: &[&str] = &[
    "thanks",
    "thank",
    "thx",
    "ty",
    "tysm",
    "gracias",
    "grax",
    "gracis",
    "merci",
    "cheers",
    "agradezco",
    "agradecido",
    "agradecida",
];
const GOODBYES: &[&str] = &[
    "bye", "goodbye", "byebye", "adios", "ciao", "chao", "chau", "later", "cya", "luego", "vemos", "nos", "hasta",
    "pronto", "night", "bai",
];
const ACKS: &[&str] = &[
    "ok",
    "okay",
    "okey",
    "oki",
    "okis",
    "k",
    "kk",
    "va",
    "vale",
    "sale",
    "perfect",
    "perfecto",
    "perfecta",
    "great",
    "genial",
    "cool",
    "chido",
    "chida",
    "got",
    "entendido",
    "entiendo",
    "listo",
    "claro",
    "sure",
    "excellent",
    "excelente",
    "nice",
    "super",
    "awesome",
    "fine",
    "alright",
    "understood",
    "gotcha",
    "noted",
    "orale",
    "ya",
    "bueno",
    "sounds",
    "de",
    "acuerdo",
    // "ni modo": oh well.
    "ni",
    "modo",
];
/// Friendly words that may come with small talk and change nothing.
const FILLERS: &[&str] = &[
    "you",
    "so",
    "much",
    "very",
    "a",
    "lot",
    "that",
    "this",
    "it",
    "is",
    "was",
    "helps",
    "help",
    "helped",
    "helpful",
    "really",
    "for",
    "the",
    "info",
    "information",
    "informations",
    "your",
    "all",
    "everyone",
    "guys",
    "there",
    "again",
    "man",
    "bro",
    "buddy",
    "friend",
    "mate",
    "and",
    "oh",
    "ah",
    "yes",
    "yeah",
    "i",
    "me",
    "now",
    "muchas",
    "muchisimas",
    "mil",
    "muy",
    "amable",
    "mucho",
    "por",
    "todo",
    "la",
    "el",
    "informacion",
    "ayuda",
    "ayudo",
    "sirve",
    "sirvio",
    "de",
    "nada",
    "te",
    "le",
    "amigo",
    "amiga",
    "wey",
    "pues",
    "si",
    "y",
    "gente",
    "a",
    "todos",
    "tu",
    "su",
    "lo",
    "bien",
    "muy",
    "entonces",
    "see",
    "soon",
    "take",
    "care",
    "have",
    "day",
    "nice",
    "un",
    "una",
    "abrazo",
    "bendiciones",
    // Wishes that come with thanks ("gracias, feliz año", "thanks, happy holidays").
    "happy",
    "merry",
    "christmas",
    "xmas",
    "holidays",
    "new",
    "year",
    "weekend",
    "best",
    "luck",
    "feliz",
    "felices",
    "fiestas",
    "navidad",
    "ano",
    "nuevo",
    "prospero",
    "suerte",
    "buena",
    "excelente",
    "fin",
    "semana",
    // Forms of address ("gracias carnal", "thanks dude").
    "dude",
    "sir",
    "maam",
    "carnal",
    "compa",
    "jefe",
    "jefa",
    "hermano",
    "joven",
    "senor",
    "senora",
    "senorita",
];
/// Greetings that are questions ("how are you?", "¿cómo están?", "qué onda"): the only
/// questions small talk may hold, and only with nothing but small talk around them.
const HOW_ARE_YOU: &[&[&str]] = &[
    &["how", "are", "you"],
    &["how", "r", "u"],
    &["how", "are", "u"],
    &["how", "is", "it", "going"],
    &["hows", "it", "going"],
    &["how", "s", "it", "going"],
    &["how", "you", "doing"],
    &["how", "are", "things"],
    &["whats", "up"],
    &["what", "s", "up"],
    &["sup"],
    &["como", "estas"],
    &["como", "esta"],
    &["como", "estan"],
    &["como", "te", "va"],
    &["como", "le", "va"],
    &["como", "les", "va"],
    &["como", "amanecio"],
    &["como", "amaneciste"],
    &["que", "tal"],
    &["que", "onda"],
    &["que", "hubo"],
    &["quiubo"],
    &["quihubo"],
];
/// Words that may come with a "how are you" and change nothing ("hi, how are you today?").
const HOW_ARE_YOU_FILLERS: &[&str] = &["today", "hoy", "doing", "going", "ustedes", "usted", "todo"];

/// Emoji that say "thanks" or "ok" on their own (emoji are dropped by `normalize`).
const ACK_EMOJI: &[char] = &[
    '👍', '👌', '🙏', '🙂', '😊', '✅', '🙌', '👏', '❤', '😀', '😁', '🤝', '💯',
];

/// Words of a thanks or a goodbye that may be none of the listed ones ("gracias carnal",
/// "thanks, legend"), as long as they are not words of the knowledge base.
const OTHER_WORDS: usize = 2;

/// Reads a message made only of small talk ("hola!", "thank you so much, that helps a lot 🙏",
/// "va, muchas gracias, muy amable", "👍").
pub fn small_talk(text: &str) -> Option<SmallTalk> {
    small_talk_in(text, &normalize(text), |_| true)
}

/// `small_talk` for a message already split into `words` (`normalize`). `telling` says whether a
/// word is one the knowledge base uses: a thanks may carry up to `OTHER_WORDS` words of no
/// list that are not ("ok gracias carnal"), never one that is ("gracias, y el canje").
pub fn small_talk_in(text: &str, words: &[String], telling: impl Fn(&str) -> bool) -> Option<SmallTalk> {
    if words.len() > 12 {
        return None;
    }
    if let Some((at, len)) = ABOUT_BOT
        .iter()
        .find_map(|p| super::words::position(words, p).map(|i| (i, p.len())))
    {
        let rest_fits = words.iter().enumerate().all(|(i, w)| {
            let w = w.as_str();
            (at..at + len).contains(&i)
                || ABOUT_BOT_WORDS.contains(&w)
                || GREETINGS.contains(&w)
                || super::words::is_interjection(w)
        });
        return rest_fits.then_some(SmallTalk::AboutBot);
    }
    let in_greeting = greeting_questions(words);
    let asks_how = in_greeting.iter().any(|&b| b);
    if text.contains('?') && !asks_how {
        return None;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let listed = |w: &String| {
        let w = w.as_str();
        [GREETINGS, THANKS, GOODBYES, ACKS, FILLERS]
            .iter()
            .any(|l| l.contains(&w))
            || super::words::is_interjection(w)
            || (asks_how && HOW_ARE_YOU_FILLERS.contains(&w))
    };
    let mut others = words
        .iter()
        .zip(&in_greeting)
        .filter(|&(w, &greeting)| !greeting && !listed(w))
        .map(|(w, _)| w);
    let parting = has(THANKS) || has(GOODBYES);
    // Only a thanks or a goodbye may carry other words: most questions stop at their first.
    if asks_how || !parting {
        if others.next().is_some() {
            return None;
        }
    } else {
        let others: Vec<&String> = others.collect();
        if !others.is_empty()
            && (others.len() > OTHER_WORDS || others.len() * 2 > words.len() || others.iter().any(|w| telling(w)))
        {
            return None;
        }
    }
    if has(THANKS) {
        Some(SmallTalk::Thanks)
    } else if has(GOODBYES) {
        Some(SmallTalk::Goodbye)
    } else if asks_how {
        Some(SmallTalk::Greeting)
    } else if has(ACKS) || (words.is_empty() && text.chars().any(|c| ACK_EMOJI.contains(&c))) {
        Some(SmallTalk::Ack)
    } else if has(GREETINGS) {
        Some(SmallTalk::Greeting)
    } else {
        None
    }
}

/// Which of `words` belong to a "how are you" (`HOW_ARE_YOU`).
fn greeting_questions(words: &[String]) -> Vec<bool> {
    let mut covered = vec![false; words.len()];
    for phrase in HOW_ARE_YOU {
        for (start, window) in words.windows(phrase.len()).enumerate() {
            if window.iter().zip(*phrase).all(|(w, p)| w == p) {
                covered[start..start + phrase.len()].fill(true);
            }
        }
    }
    covered
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_talk_in_any_form() {
        assert_eq!(small_talk("Hola!!"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("buenos días 🙂"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("hi there"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("thank you so much"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("muchas gracias"), Some(SmallTalk::Thanks));
        assert_eq!(
            small_talk("thank you so much, that helps a lot 🙏"),
            Some(SmallTalk::Thanks)
        );
        assert_eq!(small_talk("va, muchas gracias, muy amable"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("ok"), Some(SmallTalk::Ack));
        assert_eq!(small_talk("sale"), Some(SmallTalk::Ack));
        assert_eq!(small_talk("👍"), Some(SmallTalk::Ack));
        assert_eq!(small_talk("got it, perfect"), Some(SmallTalk::Ack));
        assert_eq!(small_talk("bye!"), Some(SmallTalk::Goodbye));
        assert_eq!(small_talk("adios, nos vemos"), Some(SmallTalk::Goodbye));
        assert_eq!(small_talk("jaja ok gracias"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("ok gracias, feliz año!!"), Some(SmallTalk::Thanks));
        assert_eq!(
            small_talk("Thank you very much, happy holidays!"),
            Some(SmallTalk::Thanks)
        );
        assert_eq!(small_talk("va gracias carnal"), Some(SmallTalk::Thanks));
        assert_eq!(small_talk("ni modo"), Some(SmallTalk::Ack));
        assert_eq!(small_talk("bueno, ni modo. gracias!"), Some(SmallTalk::Thanks));
    }

    #[test]
    fn a_thanks_may_carry_a_word_of_no_list_but_not_a_subject() {
        let none = |_: &str| false;
        let canje = |w: &str| w == "canje";
        assert_eq!(
            small_talk_in("gracias crack", &normalize("gracias crack"), none),
            Some(SmallTalk::Thanks)
        );
        assert_eq!(
            small_talk_in("gracias, y el canje", &normalize("gracias, y el canje"), canje),
            None
        );
        // Without a thanks or a goodbye, an unlisted word makes it a question.
        assert_eq!(small_talk_in("hola tacos", &normalize("hola tacos"), none), None);
        // A form of address is no such word: "hola crack" is a greeting.
        assert_eq!(small_talk("hola crack"), Some(SmallTalk::Greeting));
        // Mostly words of no list: a message, not a thanks.
        assert_eq!(
            small_talk_in("thanks tacos burritos", &normalize("thanks tacos burritos"), none),
            None
        );
    }

    #[test]
    fn questions_are_not_small_talk() {
        assert_eq!(small_talk("hola, a que hora abren"), None);
        assert_eq!(small_talk("thanks, where is the office?"), None);
        assert_eq!(small_talk("ok and on saturday?"), None);
        assert_eq!(small_talk("ok where do i park"), None);
        assert_eq!(small_talk(""), None);
        assert_eq!(small_talk("🤔"), None);
        assert_eq!(small_talk("hi, how are you? what time do you open?"), None);
        assert_eq!(small_talk("como estan los requisitos?"), None);
        assert_eq!(small_talk("que tal el servicio en ingles?"), None);
    }

    #[test]
    fn how_are_you_is_a_greeting() {
        assert_eq!(small_talk("hi how are you today"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("Hello! How are you?"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("buenos dias, como estan?"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("que onda"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("hola que tal, como te va?"), Some(SmallTalk::Greeting));
        assert_eq!(small_talk("thanks, how are you?"), Some(SmallTalk::Thanks));
    }
}
