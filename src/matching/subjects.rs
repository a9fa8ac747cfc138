//! What a question is about, read from its grammar.
//!
//! Whose opening it asks about: "What time does BBVA open?", "¿a qué hora cierra Antara?" and
//! "horario del museo" ask about another place, and the office's hours are no answer to them;
//! "what time do you open?", "¿a qué hora abre migración?" and "is it open on Saturday?" ask
//! about the office. Read from the grammar of the few ways people ask, so that any name (a mall,
//! a bank, a museum nobody wrote down) is recognised as someone else's. Likewise the thing a
//! question seeks a price or a place for ("how much is a torta?"), a term it asks defined, and
//! whether it asks when to arrive for an appointment.

use super::words::{DOMAIN, frequency, normalize, position, sounds};

/// Verbs and adjectives of opening and closing.
const OPENING_EN: &[&str] = &["open", "opens", "close", "closes", "closed", "shut", "shuts"];
const OPENING_ES: &[&str] = &[
    "abre", "abren", "habre", "habren", "cierra", "cierran", "abierto", "abierta", "abiertos", "abiertas", "cerrado",
    "cerrada", "cerrados", "cerradas", "atiende", "atienden",
];
/// The auxiliary that comes before an English subject: "what time DOES the bank open".
const AUX_EN: &[&str] = &["does", "do", "did", "will", "would", "is", "are", "was"];
/// Nouns of a timetable, followed by whose it is: "hours of", "horario del".
const TIMETABLE: &[&str] = &["hours", "schedule", "timetable", "horario", "horarios"];
const OF: &[&str] = &["of", "de", "del"];

/// The office, its parts, and the ways of naming it without its name ("you", "they", "the place").
const OFFICE: &[&str] = &[
    "it",
    "they",
    "you",
    "u",
    "ya",
    "guys",
    "ustedes",
    "ellos",
    "uds",
    "polanco",
    "building",
    "edificio",
    "branch",
    "sucursal",
    "sede",
    "delegacion",
    "place",
    "lugar",
    "doors",
    "door",
    "puertas",
    "puerta",
    "ventanilla",
    "ventanillas",
    "window",
    "windows",
    "caja",
    "cajas",
    "cashier",
    "modulo",
    "modulos",
    "desk",
    "reception",
    "recepcion",
    "area",
    "citas",
    "cita",
    "appointments",
    "appointment",
    "sistema",
    "system",
    "pagina",
    "page",
    "site",
    "website",
    "portal",
    "turnos",
    "fichas",
    "line",
    "fila",
    "queue",
    "gobierno",
    "government",
    "oficial",
    "official",
    "institute",
    "instituto",
    "cash",
    "security",
    "guard",
    "guards",
    "seguridad",
    "vigilancia",
    "guardia",
    "staff",
    "officers",
    "personal",
    "ejercito",
    "nacional",
    "offices",
];

/// Words a subject is read through: articles, possessives and the linking "of", "in".
const THROUGH: &[&str] = &[
    "the",
    "a",
    "an",
    "el",
    "la",
    "los",
    "las",
    "lo",
    "un",
    "una",
    "your",
    "their",
    "its",
    "this",
    "that",
    "su",
    "sus",
    "tu",
    "tus",
    "este",
    "esta",
    "ese",
    "esa",
    "of",
    "de",
    "del",
    "in",
    "en",
    "at",
    "mero",
    "still",
    "usually",
    "normally",
    "also",
    "tambien",
    "si",
    "ya",
    "even",
    "really",
    "there",
    "here",
    "aqui",
    "aki",
    "alla",
    "everything",
    "anything",
    "todo",
    "todos",
    "todas",
    "every",
    "all",
    "diario",
    "temprano",
    "tarde",
    "early",
    "late",
    "now",
    "ahora",
    "ahorita",
    "orita",
    "hoy",
    "todavia",
    "aun",
    "siempre",
    "nunca",
    "mas",
    "menos",
    "more",
    "less",
    "dia",
    "dias",
    "semana",
    "fin",
    "weekend",
    "weekends",
    "santa",
    "navidad",
    "christmas",
    "holiday",
    "holidays",
    "festivo",
    "festivos",
    "feriado",
    "feriados",
    "puente",
    "vacaciones",
    "no",
    "not",
    "nomas",
    "solo",
    "only",
    "right",
    "just",
    "be",
    "being",
    "been",
    "gonna",
    "going",
    "definitely",
    "probably",
];

/// The articles before a Spanish subject.
const ARTICLES: &[&str] = &["el", "la", "los", "las", "un", "una", "su", "sus"];

/// What may stand between a Spanish verb and its subject: "¿abre TAMBIÉN el banco?".
const ADVERBS: &[&str] = &[
    "tambien", "todavia", "aun", "hoy", "ahorita", "ahora", "orita", "mas", "temprano", "si", "ya",
];

/// Words that end the search for a subject: prepositions and conjunctions that begin something
/// else ("a qué hora abren PARA el canje", "do I need TO go").
const STOP: &[&str] = &[
    "for", "to", "on", "with", "and", "or", "before", "after", "until", "till", "from", "by", "para", "por", "a", "al",
    "con", "y", "o", "antes", "despues", "hasta", "desde", "que", "k", "q", "if", "when", "cuando", "pa", "i", "we",
    "yo", "me", "nosotros", "my", "mi",
];

/// Kinds of places other than the office, which "it" or "they" may point back at.
const PLACES: &[&str] = &[
    "museum",
    "museums",
    "mall",
    "malls",
    "bank",
    "banks",
    "store",
    "stores",
    "shop",
    "shops",
    "restaurant",
    "restaurants",
    "cafe",
    "park",
    "supermarket",
    "pharmacy",
    "gallery",
    "church",
    "market",
    "gym",
];

/// Whether the message asks when some place other than the office opens or closes, naming it.
/// `words` as `normalize` makes them; `is_moment` tells date and time words ("saturday", "8am"),
/// which are not subjects.
pub fn asks_others_opening(words: &[String], is_moment: impl Fn(&str) -> bool) -> bool {
    let others = |w: &str| !is_office(w) && !is_moment(w) && !w.bytes().all(|b| b.is_ascii_digit());
    // The first word after `from` that is neither a linking word nor a moment: a stop ends it.
    let subject_after = |from: usize| -> Option<&str> {
        words
            .get(from..)?
            .iter()
            .take(5)
            .map(String::as_str)
            .find(|w| !THROUGH.contains(w) && !is_moment(w) && !w.bytes().all(|b| b.is_ascii_digit()))
            .filter(|w| !STOP.contains(w))
    };
    words.iter().enumerate().any(|(i, w)| {
        let w = w.as_str();
        if OPENING_EN.contains(&w) {
            // "what time does the bank open", "is Antara open": the words since the auxiliary.
            let Some(aux) = (i.saturating_sub(7)..i)
                .rev()
                .find(|&j| AUX_EN.contains(&words[j].as_str()))
            else {
                return false;
            };
            let between = &words[aux + 1..i];
            if let [pronoun] = between
                && matches!(pronoun.as_str(), "it" | "they")
            {
                // "…we want to see the Soumaya museum, is it open on mondays?": the pronoun is
                // the place last named, if that is a place of another kind than the office.
                return words[..aux]
                    .iter()
                    .rev()
                    .map(String::as_str)
                    .find(|w| PLACES.contains(w) || (is_office(w) && !matches!(*w, "it" | "they")))
                    .is_some_and(|w| PLACES.contains(&w));
            }
            !between.iter().any(|b| STOP.contains(&b.as_str()))
                && between
                    .iter()
                    .map(String::as_str)
                    .any(|b| !THROUGH.contains(&b) && others(b))
        } else if OPENING_ES.contains(&w) {
            // "a qué hora abre EL BANCO", "cierra Antara", and "EL MUSEO abre…": a noun with its
            // article, or a name no dictionary knows, next to the verb. "¿abren el sábado?" and
            // "abren? salgo a las 4" name nobody.
            let next = words
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .map(String::as_str)
                .find(|w| !ADVERBS.contains(w) && !is_moment(w));
            let after = match next {
                Some(a) if ARTICLES.contains(&a) => words
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .map(String::as_str)
                    .skip_while(|w| *w != a)
                    .nth(1)
                    .is_some_and(|n| others(n) && !THROUGH.contains(&n)),
                Some(n) => is_name(n) && others(n),
                None => false,
            };
            // "la tienda de la esquina abre" is the shop's; "el día de la Revolución abren" a
            // day's, whose noun is the subject.
            let head = match i.checked_sub(3).map(|j| words[j].as_str()) {
                Some("de" | "del") => i.checked_sub(4).map(|j| words[j].as_str()),
                _ => None,
            };
            let before = i >= 2
                && ARTICLES.contains(&words[i - 2].as_str())
                && others(&words[i - 1])
                && !THROUGH.contains(&words[i - 1].as_str())
                && head.is_none_or(|h| others(h) && !THROUGH.contains(&h));
            // "el museo Soumaya abre": a noun and its name after the article.
            let named_before = i >= 3
                && ARTICLES.contains(&words[i - 3].as_str())
                && words[i - 2..i]
                    .iter()
                    .all(|w| others(w) && !THROUGH.contains(&w.as_str()) && !STOP.contains(&w.as_str()))
                && is_name(&words[i - 1]);
            after || before || named_before
        } else if TIMETABLE.contains(&w) && words.get(i + 1).is_some_and(|n| OF.contains(&n.as_str())) {
            subject_after(i + 2).is_some_and(|s| others(s) && !TIMETABLE_KINDS.contains(&s))
        } else if TIMETABLE.contains(&w)
            || (matches!(w, "time" | "times") && i > 0 && matches!(words[i - 1].as_str(), "closing" | "opening"))
        {
            // "Antara mall's opening hours", "Soumaya hours", "Antara closing time?": a name
            // before the hours.
            words[i.saturating_sub(3)..i]
                .iter()
                .rev()
                .map(String::as_str)
                .take_while(|b| !STOP.contains(b) && !is_office(b))
                .any(|b| is_name(b) && others(b))
        } else {
            false
        }
    })
}

/// What follows "horario de" without naming a place: "horario de atención", "de verano".
const TIMETABLE_KINDS: &[&str] = &[
    "atencion",
    "servicio",
    "apertura",
    "cierre",
    "verano",
    "invierno",
    "operation",
    "operations",
    "business",
    "work",
    "trabajo",
    "oficina",
    "oficinas",
    "opening",
    "service",
    "pagos",
    "pago",
    "payments",
    "citas",
];

/// A name no dictionary of everyday words knows ("Antara", "BBVA"), read with the informal k
/// for qu and c undone, so that "kiero" is "quiero".
fn is_name(w: &str) -> bool {
    let known = |w: &str| frequency(w) > 0.0;
    w.len() >= 3
        && !known(w)
        && !w
            .strip_prefix('k')
            .is_some_and(|rest| known(&format!("qu{rest}")) || known(&format!("c{rest}")))
}

/// The office by any of its names, spelled as it sounds ("ofisina", "migrasion").
fn is_office(w: &str) -> bool {
    OFFICE.contains(&w)
        || DOMAIN.contains(&w)
        || (w.len() >= 5 && {
            let s = sounds(w);
            DOMAIN.iter().any(|d| d.len() >= 5 && sounds(d) == s)
        })
}

/// What a question asks to have explained, when it asks what a thing is: "what is a canje,
/// everyone keeps saying it" → "canje", "¿qué es el FMM?" → "fmm", "what does NUT mean?". A
/// short noun phrase ending its clause; a longer one ("what is the best way to get there") is
/// a question of another kind.
pub fn defined_term(text: &str) -> Option<String> {
    const ASKS_EN: &[&[&str]] = &[&["what", "is"], &["what", "are"], &["whats"]];
    const ASKS_ES: &[&[&str]] = &[
        &["que", "es"],
        &["q", "es"],
        &["k", "es"],
        &["que", "son"],
        &["que", "significa"],
        &["q", "significa"],
        &["que", "quiere", "decir"],
        &["q", "quiere", "decir"],
    ];
    const DETERMINERS: &[&str] = &[
        "a", "an", "the", "this", "that", "el", "la", "los", "las", "un", "una", "eso", "ese", "esa",
    ];
    text.split(['?', '¿', ',', '.', '!', '¡', ';', ':', '\n'])
        .find_map(|clause| {
            let words = normalize(clause);
            let rest = ASKS_EN.iter().chain(ASKS_ES).find_map(|ask| {
                let at = position(&words, ask)?;
                Some(&words[at + ask.len()..])
            });
            // "what does NUT mean?"
            let rest = rest.or_else(|| {
                let does = words.windows(2).position(|w| w[0] == "what" && w[1] == "does")?;
                let mean = words.iter().rposition(|w| w == "mean")?;
                (mean == words.len() - 1 && mean > does + 2).then(|| &words[does + 2..mean])
            })?;
            let term: Vec<&str> = rest
                .iter()
                .map(String::as_str)
                .skip_while(|w| DETERMINERS.contains(w))
                .collect();
            (1..=3).contains(&term.len()).then(|| term.join(" "))
        })
}

/// Whether a message asks what time to arrive for an appointment it names: "I have an
/// appointment at 10:30, what time should I get there?", "tengo cita a las 11, ¿a qué hora
/// llego?". That is the day of the visit (come a little early), not the opening hours.
pub fn asks_when_to_arrive(words: &[String]) -> bool {
    const APPOINTMENT: &[&str] = &["appointment", "appt", "appointments", "slot", "cita", "citas"];
    const WHEN_EN: &[&[&str]] = &[&["what", "time"], &["when"], &["how", "early"]];
    const ARRIVE_EN: &[&[&str]] = &[
        &["arrive"],
        &["get", "there"],
        &["be", "there"],
        &["show", "up"],
        &["come"],
        &["go"],
    ];
    const WHEN_ES: &[&[&str]] = &[
        &["a", "que", "hora"],
        &["a", "q", "hora"],
        &["a", "k", "hora"],
        &["cuando"],
    ];
    const ARRIVE_ES: &[&[&str]] = &[
        &["llego"],
        &["llegar"],
        &["llegamos"],
        &["presento"],
        &["presentarme"],
        &["estar", "ahi"],
        &["voy"],
    ];
    let at = |phrase: &[&str], from: usize| position(words.get(from..)?, phrase).map(|p| p + from);
    // The asking words, then within a few words the arriving ones: "what time should I
    // actually arrive", "a qué hora debo llegar".
    let asks = |whens: &[&[&str]], arrives: &[&[&str]]| {
        whens.iter().any(|when| {
            at(when, 0).is_some_and(|w| {
                let from = w + when.len();
                arrives.iter().any(|a| at(a, from).is_some_and(|p| p - from <= 4))
            })
        })
    };
    // "si no tengo cita", "without an appointment": the queue, not an appointment's time.
    const NOT: &[&str] = &["no", "sin", "without", "not", "dont", "don", "t"];
    let has_appointment = words.iter().enumerate().any(|(i, w)| {
        APPOINTMENT.contains(&w.as_str()) && !words[i.saturating_sub(3)..i].iter().any(|b| NOT.contains(&b.as_str()))
    });
    has_appointment && (asks(WHEN_EN, ARRIVE_EN) || asks(WHEN_ES, ARRIVE_ES))
}

/// Whether a message asks if something is done at this office or at another one: "¿ahí mismo
/// se hace la reposición o es en otra oficina?", "or do they send me to a different office?".
/// That is what the overview of this office's procedures answers, whichever procedure is named.
pub fn asks_if_done_here(words: &[String]) -> bool {
    const OTHER: &[&str] = &["another", "other", "different", "otra", "otro", "distinta", "diferente"];
    const PLACE: &[&str] = &["office", "oficina", "oficinas", "offices", "sede"];
    const OR: &[&str] = &["or", "o", "u"];
    const SENT: &[&str] = &["mandan", "envian", "send", "sent", "go", "ir", "voy", "tengo", "have"];
    // The other place asked as the alternative ("…or another office?"), or gone to ("do I have
    // to go to another office?"); "I went to another office and…" tells, it does not ask.
    words.iter().enumerate().any(|(i, w)| {
        OTHER.contains(&w.as_str())
            && words.get(i + 1).is_some_and(|n| PLACE.contains(&n.as_str()))
            && words[i.saturating_sub(5)..i]
                .iter()
                .any(|b| OR.contains(&b.as_str()) || SENT.contains(&b.as_str()))
    })
}

/// Whether a message asks how long the walk is: "how long is the walk from there", "cuánto se
/// hace caminando desde el metro". The address says how far the office is from the metro, not
/// the day of the visit or the wait, whose "how long" it would otherwise be.
pub fn asks_walking_time(words: &[String]) -> bool {
    const HOW: &[&[&str]] = &[
        &["how", "long"],
        &["how", "far"],
        &["how", "many", "minutes"],
        &["cuanto", "tiempo"],
        &["cuanto", "se", "hace"],
        &["cuantos", "minutos"],
        &["que", "tan", "lejos"],
    ];
    const WALK: &[&str] = &[
        "walk",
        "walking",
        "walks",
        "walkable",
        "caminar",
        "caminando",
        "caminata",
    ];
    // "walk in" is coming without an appointment, not a walk.
    let walking = words
        .iter()
        .enumerate()
        .any(|(i, w)| WALK.contains(&w.as_str()) && !words.get(i + 1).is_some_and(|n| n == "in" || n == "ins"))
        || position(words, &["a", "pie"]).is_some();
    walking && HOW.iter().any(|how| position(words, how).is_some())
}

/// The ways of asking for a thing (see `sought`).
const SOUGHT_ASKS: &[&[&str]] = &[
    &["how", "much", "is"],
    &["how", "much", "are"],
    &["how", "much", "does"],
    &["how", "much", "do"],
    &["how", "much", "for"],
    &["price", "of"],
    &["price", "for"],
    &["cost", "of"],
    &["where", "can", "i", "buy"],
    &["where", "can", "i", "find"],
    &["where", "can", "i", "get"],
    &["where", "can", "i", "rent"],
    &["where", "do", "i", "buy"],
    &["where", "to", "buy"],
    &["recommend"],
    &["suggest"],
    &["any", "good"],
    &["a", "good"],
    &["cuanto", "cuesta"],
    &["cuanto", "cuestan"],
    &["cuanto", "vale"],
    &["cuanto", "valen"],
    &["cuanto", "cobran", "por"],
    &["precio", "de"],
    &["precio", "del"],
    &["costo", "de"],
    &["costo", "del"],
    &["donde", "compro"],
    &["donde", "consigo"],
    &["donde", "venden"],
    &["donde", "puedo", "comprar"],
    &["donde", "rento"],
    &["recomienden"],
    &["recomiendan"],
    &["recomiendas"],
    &["recomiendame"],
    &["recomiendenme"],
    &["busco"],
];

/// Whether a word begins one of `SOUGHT_ASKS`: every message is read, and a `match` keeps the
/// look at each word cheap.
fn begins_asking(w: &str) -> bool {
    matches!(
        w,
        "how"
            | "price"
            | "cost"
            | "where"
            | "recommend"
            | "suggest"
            | "any"
            | "a"
            | "cuanto"
            | "precio"
            | "costo"
            | "donde"
            | "recomienden"
            | "recomiendan"
            | "recomiendas"
            | "recomiendame"
            | "recomiendenme"
            | "busco"
    )
}

/// The words naming what a question asks a price for, or asks where to find, buy or get, or
/// asks to have recommended, as a range of `words`: "how much is a PIZZA", "¿cuánto cuesta el
/// BOLETO del metro?", "where can I buy a SIM CARD", "recommend a good INTERNATIONAL SCHOOL for my
/// kids", "busco DEPA en renta". At most `SOUGHT_WORDS` words after the asking ones and their
/// articles, up to a word that begins something else ("for", "near", "para", "cerca"). Stop words
/// among them are the caller's to skip.
pub fn sought(words: &[String]) -> std::ops::Range<usize> {
    /// Articles and quantifiers between the asking words and the thing: skipped.
    const LEADING: &[&str] = &[
        "a", "an", "the", "some", "any", "one", "me", "good", "nice", "cheap", "un", "una", "unos", "unas", "el", "la",
        "los", "las", "algun", "alguna", "algunos", "buen", "buena", "buenos", "buenas", "mejor",
    ];
    /// Words that begin something else: a place, a person, a purpose, the asking verb again ("how
    /// much does the renewal COST"), a word pointing back ("how much does THAT cost"); or a quantity
    /// ("for 2 years").
    const ENDS: &[&str] = &[
        "for",
        "near",
        "around",
        "close",
        "in",
        "at",
        "by",
        "to",
        "with",
        "from",
        "on",
        "and",
        "or",
        "if",
        "para",
        "pa",
        "cerca",
        "en",
        "por",
        "con",
        "de",
        "del",
        "y",
        "o",
        "que",
        "q",
        "k",
        "si",
        "alrededor",
        "junto",
        "cost",
        "costs",
        "charge",
        "it",
        "that",
        "this",
        "eso",
        "esto",
    ];
    const SOUGHT_WORDS: usize = 2;
    // "good school near polanco?", "escuela para mis hijos cerca de polanco": a message that
    // begins with what it seeks.
    const NEAR: &[&str] = &["near", "nearby", "around", "cerca", "alrededor"];
    let first = (words
        .first()
        .is_some_and(|w| matches!(w.as_str(), "good" | "best" | "cheap" | "any"))
        || words
            .get(1)
            .is_some_and(|w| NEAR.contains(&w.as_str()) || matches!(w.as_str(), "for" | "in" | "para" | "en" | "de"))
            && words.iter().any(|w| NEAR.contains(&w.as_str())))
    .then_some(0);
    let asked_at = |i: usize| {
        SOUGHT_ASKS
            .iter()
            .find(|a| a.len() <= words.len() - i && a.iter().zip(&words[i..]).all(|(x, w)| *x == w))
            .map(|a| i + a.len())
    };
    let Some(end) = first.or_else(|| {
        (0..words.len())
            .filter(|&i| begins_asking(&words[i]))
            .find_map(asked_at)
    }) else {
        return 0..0;
    };
    let from = end
        + words[end..]
            .iter()
            .take_while(|w| LEADING.contains(&w.as_str()))
            .count();
    // "¿cuánto cuesta renovar?" seeks a price for doing something: a procedure, not a thing.
    let infinitive = |w: &str| w.len() >= 5 && (w.ends_with("ar") || w.ends_with("er") || w.ends_with("ir"));
    if from == end && words.get(from).is_some_and(|w| infinitive(w)) {
        return 0..0;
    }
    let len = words[from..]
        .iter()
        .take(SOUGHT_WORDS)
        .take_while(|w| !ENDS.contains(&w.as_str()) && !w.bytes().any(|b| b.is_ascii_digit()))
        .count();
    from..from + len
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::normalize;

    #[test]
    fn when_to_arrive_for_an_appointment() {
        for q in [
            "my appointment is at 10:30, what time should I actually arrive?",
            "what time should I be there for a 9 am appointment",
            "tengo cita el jueves a las 12, a que hora llego?",
            "a q hora debo llegar a mi cita",
        ] {
            assert!(asks_when_to_arrive(&normalize(q)), "{q}");
        }
        for q in [
            "what time should I arrive",
            "what time does the office open? my appointment is at 10",
            "a que hora abren? tengo cita",
            "can I change my appointment time",
            "a que hora llego si no tengo cita",
            "what time should I get there if I don't have an appointment",
        ] {
            assert!(!asks_when_to_arrive(&normalize(q)), "{q}");
        }
    }

    #[test]
    fn how_long_the_walk_is() {
        for q in [
            "how long is the walk from there",
            "how long walking from the metro",
            "how far is it walking from metro polanco?",
            "cuanto se hace caminando desde el metro",
            "y a pie cuanto tiempo es?",
        ] {
            assert!(asks_walking_time(&normalize(q)), "{q}");
        }
        for q in [
            "how long is the wait if I walk in",
            "can I walk there from the metro?",
            "how long does the renewal take",
            "cuanto tiempo tarda la renovacion",
        ] {
            assert!(!asks_walking_time(&normalize(q)), "{q}");
        }
    }

    #[test]
    fn every_way_of_asking_for_a_thing_is_looked_at() {
        for ask in SOUGHT_ASKS {
            assert!(begins_asking(ask[0]), "{ask:?}");
        }
    }

    #[test]
    fn the_thing_a_question_seeks() {
        let sought_in = |q: &str| {
            let words = normalize(q);
            words[sought(&words)].join(" ")
        };
        for (q, thing) in [
            ("how much is a pizza around here", "pizza"),
            ("cuanto cuesta una pizza", "pizza"),
            ("¿cuánto cuesta el boleto del metro?", "boleto"),
            ("where can I buy a sim card near the office", "sim card"),
            (
                "can you recommend a good international school for my kids",
                "international school",
            ),
            ("busco depa en renta cerca de polanco", "depa"),
            ("good dentist near polanco?", "dentist"),
            ("escuela para mis hijos cerca de polanco", "escuela"),
            ("cool, and can I park nearby?", ""),
            ("how much does the renewal cost?", "renewal"),
            ("i want to renew for 2 more years, how much does that cost", ""),
            ("and how much for 1 more year?", ""),
            ("cuanto cuesta renovar la temporal", ""),
            ("where is the office", ""),
            ("que documentos necesito", ""),
        ] {
            assert_eq!(sought_in(q), thing, "{q}");
        }
    }

    #[test]
    fn a_thing_asked_to_be_explained() {
        for (q, term) in [
            ("what is a canje? my coworkers keep talking about it", Some("canje")),
            ("¿Qué es el FMM?", Some("fmm")),
            ("oye y q es la regularizacion", Some("regularizacion")),
            ("what does NUT mean?", Some("nut")),
            ("What is the best way to get there from Roma Norte?", None),
            ("where is the office", None),
        ] {
            assert_eq!(defined_term(q).as_deref(), term, "{q}");
        }
    }

    fn others(text: &str) -> bool {
        asks_others_opening(&normalize(text), crate::dates::is_date_word)
    }

    #[test]
    fn another_place_named_in_any_form() {
        for q in [
            "what time does BBVA open on saturdays",
            "what time does Antara mall close tonight?",
            "is the bank open today?",
            "What are the opening hours of Museo Soumaya?",
            "a que hora cierra antara",
            "abre el banco el sabado pa pagar la luz?",
            "el museo abre los lunes?",
            "la tienda de la esquina abre los domingos?",
            "horario del registro civil",
            "a que hora cierra soumaya",
            "What are Antara mall's opening hours?",
            "soumaya hours on sunday",
            "Antara closing time?",
            "el museo Soumaya abre los lunes?",
            "¿la plaza Antara cierra tarde?",
            "after the appointment we want to see the Soumaya museum, is it open on mondays?",
            "there is a bank across the street, is it open on saturday?",
        ] {
            assert!(others(q), "{q}");
        }
    }

    #[test]
    fn the_office_by_any_name_or_none() {
        for q in [
            "what time does the office open",
            "what time do you open on saturday?",
            "is it open now?",
            "what time does the immigration office in polanco open?",
            "a que hora abre migracion",
            "a que hora abren el sabado?",
            "a que hora abren para el canje",
            "a que hora cierra la ofisina",
            "horario de atencion",
            "horario del inm",
            "hours of the immigration office",
            "do i need to get there before it opens?",
            "a que hora abren manana",
            "is polanco open on sundays",
            "opening hours",
            "¿abren el jueves santo?",
            "will the office be open on christmas eve?",
            "cierran el dia de la independencia?",
            "el dia de la revolucion abren?",
            "abren los domingos?? trabajo de lunes a sabado",
            "el 1 de mayo abren? es dia del trabajo",
            "abren a las 8 en punto? kiero ser la primera",
            "cierran? keda lejos y no kiero ir en balde",
            "me dijeron q abren a las 10, es cierto?",
            "atienden en la manana? entro a trabajar a las 11",
            "could I go on Good Friday, will they even be open?",
            "closing time?",
            "what's the opening time on monday",
            "la oficina de migracion abre los lunes?",
            "el inm polanco abre el sabado?",
            "I have my appointment at the INM, is it open on monday?",
            "I paid at the bank, now the office: is it open on friday?",
            "my friend went yesterday, are they open today?",
        ] {
            assert!(!others(q), "{q}");
        }
    }
}
