//! Which single fact of a procedure a question asks for: its fee ("how much", "cuánto cuesta"),
//! deadline ("how long do I have", "plazo"), documents, form, validity, who it is for, where, or
//! how long it takes. Word families in both languages, read from the normalised words.

use std::sync::OnceLock;

use super::Matcher;
use super::words::{DOMAIN, normalize, position};
use crate::knowledge::FactKind;

/// A question that asks for a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FactQuestion {
    pub kind: FactKind,
    /// Nothing else is said: "y cuánto cuesta?", "which form is that?" — a follow-up about the
    /// conversation's subject.
    pub elliptic: bool,
}

/// Single words that name a fact.
const WORDS: &[(FactKind, &[&str])] = &[
    (
        FactKind::Fee,
        &[
            "cost", "costs", "costo", "costos", "cuesta", "cuestan", "price", "prices", "precio", "precios", "fee",
            "fees", "cobran", "cobra", "tarifa", "derechos", "pago", "pagar", "pay", "charge", "kuesta", "paga",
            "pagan", "pagas", "pagos", "cobro", "cobrar", "charges", "paid",
        ],
    ),
    (
        FactKind::Deadline,
        &["deadline", "plazo", "plazos", "limite", "window", "vence", "expira"],
    ),
    (
        FactKind::Documents,
        &[
            "documents",
            "document",
            "docs",
            "papers",
            "paperwork",
            "documentos",
            "documentacion",
            "papeles",
            "requisitos",
            "requirements",
            "requirement",
            "bring",
            "llevar",
            "llevo",
            "checklist",
            "lista",
        ],
    ),
    (
        FactKind::Form,
        &[
            "form",
            "forms",
            "formato",
            "formulario",
            "formularios",
            "sheet",
            "ficha",
            "clave",
        ],
    ),
    (
        FactKind::Validity,
        &["valid", "validity", "vigencia", "vigente", "lasts", "dura"],
    ),
    (
        FactKind::Who,
        &["eligible", "qualify", "elegible", "requisito", "califico"],
    ),
    (FactKind::Duration, &["tarda", "tardan", "demora", "takes"]),
];

/// Word sequences that name a fact ("how much", "how long do i have").
const PHRASES: &[(FactKind, &[&str])] = &[
    (FactKind::Fee, &["how", "much"]),
    (FactKind::Fee, &["cuanto", "sale"]),
    (FactKind::Fee, &["cuanto", "es"]),
    (FactKind::Deadline, &["how", "long", "do", "i", "have"]),
    (FactKind::Deadline, &["how", "many", "days", "do", "i", "have"]),
    (FactKind::Deadline, &["how", "much", "time", "do", "i", "have"]),
    (FactKind::Deadline, &["cuanto", "tiempo", "tengo"]),
    (FactKind::Deadline, &["cuantos", "dias", "tengo"]),
    (FactKind::Deadline, &["by", "when"]),
    (FactKind::Deadline, &["when", "do", "i", "have", "to"]),
    (FactKind::Deadline, &["when", "should", "i", "apply"]),
    (FactKind::Deadline, &["when", "can", "i", "apply"]),
    (FactKind::Deadline, &["cuando", "tengo", "que"]),
    (FactKind::Deadline, &["cuando", "debo"]),
    (FactKind::Deadline, &["cuando", "puedo", "solicitar"]),
    (FactKind::Documents, &["what", "do", "i", "need"]),
    (FactKind::Documents, &["what", "else", "do", "i", "need"]),
    (FactKind::Documents, &["what", "i", "need"]),
    (FactKind::Documents, &["que", "necesito"]),
    (FactKind::Documents, &["que", "mas", "necesito"]),
    (FactKind::Documents, &["que", "ocupo"]),
    (FactKind::Documents, &["que", "ocupa"]),
    (FactKind::Documents, &["que", "necesita"]),
    // "¿y qué lleva?": what it takes, to bring; "cuánto (tiempo) lleva" is how long.
    (FactKind::Documents, &["que", "lleva"]),
    (FactKind::Deadline, &["hasta", "cuando"]),
    (FactKind::Deadline, &["para", "cuando"]),
    (FactKind::Validity, &["how", "long", "is", "it", "valid"]),
    (FactKind::Validity, &["cuanto", "dura"]),
    (FactKind::Validity, &["how", "long", "does", "it", "last"]),
    (FactKind::Who, &["who", "can"]),
    (FactKind::Who, &["quien", "puede"]),
    (FactKind::Who, &["quienes", "pueden"]),
    (FactKind::Where, &["where", "do", "i"]),
    (FactKind::Where, &["where", "can", "i"]),
    (FactKind::Where, &["donde", "se"]),
    (FactKind::Where, &["donde", "hago"]),
    (FactKind::Where, &["donde", "tramito"]),
    (FactKind::Duration, &["how", "long", "does", "it", "take"]),
    (FactKind::Duration, &["how", "long", "will", "it", "take"]),
    (FactKind::Duration, &["cuanto", "tarda"]),
    (FactKind::Duration, &["cuanto", "tiempo", "tarda"]),
];

/// When a price applies, not what it is for: "¿cuánto cuestan los trámites ESTE AÑO?" names no
/// procedure, though a residency is granted for years ("for 2 years" still names it).
const PERIODS: &[&str] = &[
    "this",
    "year",
    "month",
    "ano",
    "este",
    "mes",
    "now",
    "ahora",
    "actual",
    "currently",
    "today",
    "hoy",
];

/// "How long" on its own: how long something takes, when no other fact is named.
const HOW_LONG: &[&[&str]] = &[&["how", "long"], &["cuanto", "tiempo"]];
const TAKE: &[&str] = &["take", "takes", "taking", "tarda", "tardan", "toma", "lleva"];

/// The fact a single word names (`WORDS`; the first list that has it).
fn fact_word(w: &str) -> Option<FactKind> {
    // Sorted once: every message looks up each of its words here, several times.
    static TABLE: OnceLock<Vec<(&str, FactKind)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t: Vec<(&str, FactKind)> = Vec::new();
        for (kind, list) in WORDS {
            for &w in *list {
                if !t.iter().any(|(x, _)| *x == w) {
                    t.push((w, *kind));
                }
            }
        }
        t.sort_unstable_by_key(|(w, _)| *w);
        t
    });
    table.binary_search_by_key(&w, |(x, _)| *x).ok().map(|i| table[i].1)
}

/// Every fact a single word of the message names ("precio", "documentos"), in order.
pub fn facts_named(words: &[String]) -> impl Iterator<Item = FactKind> + '_ {
    words.iter().filter_map(|w| fact_word(w))
}

/// Whether a word begins one of `PHRASES`: most messages have none, and need no phrase search.
fn begins_phrase(w: &str) -> bool {
    static FIRSTS: OnceLock<Vec<&str>> = OnceLock::new();
    let firsts = FIRSTS.get_or_init(|| {
        let mut f: Vec<&str> = PHRASES.iter().map(|(_, p)| p[0]).collect();
        f.sort_unstable();
        f.dedup();
        f
    });
    firsts.binary_search(&w).is_ok() || CHAT_QUE.contains(&w)
}

/// "q necesito", "k ocupo": chat spellings of "que".
const CHAT_QUE: &[&str] = &["q", "k"];

/// Whether a message's word is a phrase's word, "que" in any of its chat spellings.
fn same(word: &str, phrase_word: &str) -> bool {
    word == phrase_word || (phrase_word == "que" && CHAT_QUE.contains(&word))
}

/// The fact a question asks for, if it names one, with the positions of the words that name it.
/// A phrase wins over a single word (the "how long do I have" of a deadline is more than the
/// "have" of anything else).
fn find(words: &[String]) -> Option<(FactKind, Vec<usize>)> {
    // The first of `PHRASES` (in its order) found anywhere, at its first place; looked for only
    // where a word can begin one.
    let mut phrase: Option<(usize, usize)> = None;
    for start in (0..words.len()).filter(|&i| begins_phrase(&words[i])) {
        let rest = &words[start..];
        let found = PHRASES
            .iter()
            .take(phrase.map_or(PHRASES.len(), |(p, _)| p))
            .position(|(_, p)| rest.len() >= p.len() && rest.iter().zip(*p).all(|(a, b)| same(a, b)));
        if let Some(p) = found {
            phrase = Some((p, start));
        }
    }
    let phrase = phrase.map(|(p, start)| {
        let (kind, words) = PHRASES[p];
        (kind, (start..start + words.len()).collect())
    });
    phrase
        .or_else(|| {
            words
                .iter()
                .enumerate()
                .find_map(|(i, w)| fact_word(w).map(|k| (k, vec![i])))
        })
        // "How long does the canje take?", "¿cuánto tiempo es la espera?": with nothing more
        // telling, "how long" asks how long something takes.
        .or_else(|| {
            HOW_LONG.iter().find_map(|p| {
                let start = position(words, p)?;
                // "How long after entering do I have?": the time someone has, with words between.
                if has_time_left(&words[start + p.len()..]) {
                    return Some((FactKind::Deadline, (start..start + p.len()).collect()));
                }
                // "take" is part of the question ("how long does the renewal take"), not a
                // subject: elsewhere it is what to take with you.
                let taking = (start + p.len()..words.len()).filter(|&i| TAKE.contains(&words[i].as_str()));
                Some((FactKind::Duration, (start..start + p.len()).chain(taking).collect()))
            })
        })
        // "¿cuánto?", "y cuánto pues?": alone, "how much" asks the price, as "how much?" does.
        .or_else(|| {
            const AROUND: &[&str] = &["y", "e", "and", "pues", "entonces", "ok", "bueno", "so"];
            let how_much = |w: &String| matches!(w.as_str(), "cuanto" | "cuanta");
            let at = words.iter().position(how_much)?;
            words
                .iter()
                .all(|w| AROUND.contains(&w.as_str()) || how_much(w))
                .then(|| (FactKind::Fee, vec![at]))
        })
        .filter(|(k, _)| !(matches!(k, FactKind::Fee | FactKind::Where) && asks_how_to_pay(words)))
}

/// Whether the words after "how long" say that someone has the time ("…after entering do I
/// have?", "…después de entrar tengo?"), not that they must wait it ("…do I have to wait?").
fn has_time_left(rest: &[String]) -> bool {
    const WHO: &[&str] = &["i", "we", "he", "she", "they", "you"];
    const HAVE: &[&str] = &["have", "has", "got"];
    const HAVE_ES: &[&str] = &["tengo", "tiene", "tenemos", "tienen", "tienes"];
    const WAIT: &[&str] = &["wait", "esperar", "stay", "quedarme"];
    if rest.iter().any(|w| WAIT.contains(&w.as_str())) {
        return false;
    }
    rest.windows(2)
        .any(|p| WHO.contains(&p[0].as_str()) && HAVE.contains(&p[1].as_str()))
        || rest.iter().any(|w| HAVE_ES.contains(&w.as_str()))
}

/// "Where do I pay it?", "¿cómo se paga?", "can I pay by card?": how to pay, which the fees
/// topic answers, not how much. Only when the fee words are forms of paying and nothing asks for
/// an amount. `words` as `normalize` makes them.
pub fn asks_how_to_pay(words: &[String]) -> bool {
    const PAYING: &[&str] = &["pay", "pago", "pagar", "paga", "pagan", "pagas"];
    const HOW: &[&str] = &[
        "where",
        "how",
        "donde",
        "como",
        "card",
        "tarjeta",
        "cash",
        "efectivo",
        "bank",
        "banco",
        "ventanilla",
        "online",
        "linea",
        "before",
        "after",
        "antes",
        "despues",
        // "Do I pay that at the office?": where, by naming the place.
        "office",
        "oficina",
        "there",
        "ahi",
        "alli",
        "caja",
    ];
    const AMOUNT: &[&str] = &["much", "cuanto", "cuanta", "amount", "monto", "total"];
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let fee_words = WORDS
        .iter()
        .find(|(k, _)| *k == FactKind::Fee)
        .map_or(&[][..], |(_, l)| l);
    let other_fee_word = words
        .iter()
        .any(|w| fee_words.contains(&w.as_str()) && !PAYING.contains(&w.as_str()));
    has(PAYING) && !other_fee_word && has(HOW) && !has(AMOUNT)
}

/// Where, and a verb of being somewhere (or "exactly"), in a question about where something is.
const WHERE: &[&str] = &["where", "wheres", "donde", "dnd", "adonde"];
const IS: &[&str] = &[
    "is",
    "s",
    "are",
    "esta",
    "estan",
    "queda",
    "keda",
    "quedan",
    "ubica",
    "ubicada",
    "ubicado",
    "encuentra",
    "located",
    "exactly",
    "exactamente",
    "es",
];

/// "Where is it?", "ok where's the office?", "¿dónde queda?": where something is, not where a
/// procedure is done ("where do I do it?" is the procedure's place). `words` as `normalize`
/// makes them.
pub fn asks_location(words: &[String]) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    has(WHERE) && has(IS) && find(words).is_none()
}

/// "Where exactly is the immigration office?", "¿dónde queda el INM de Polanco?": where the
/// office itself is, whatever story comes with it ("…my appointment email doesn't say"). The
/// question word, then a verb of being somewhere, then the office (or Polanco) as its subject,
/// and no fact asked. `words` as `normalize` makes them.
pub fn asks_office_location(words: &[String]) -> bool {
    // Between the verb and its subject, besides more of `IS` ("where exactly is the office").
    const BETWEEN: &[&str] = &[
        "the", "el", "la", "los", "las", "ubicadas", "ubicados", "this", "that", "esa", "ese", "mero",
    ];
    const OFFICE: &[&str] = &["polanco", "building", "edificio"];
    // A fact asked ("where do I pay?") is the fact's question; looked for last, as the dearest.
    (asks_way_to_office(words)
        || asks_the_address(words)
        || words.iter().enumerate().any(|(i, w)| {
            if !WHERE.contains(&w.as_str()) {
                return false;
            }
            // The verb follows at once, or after "exactly": "where exactly is".
            let Some(verb) = (i + 1..words.len().min(i + 3)).find(|&j| IS.contains(&words[j].as_str())) else {
                return false;
            };
            words[verb + 1..]
                .iter()
                .map(String::as_str)
                .find(|w| !BETWEEN.contains(w) && !IS.contains(w))
                .is_some_and(|w| DOMAIN.contains(&w) || OFFICE.contains(&w))
        }))
        && find(words).is_none()
}

/// "What's the address for the GPS?", "pásame la dirección": the address, with its article, when
/// nothing says it is one's own that changed ("I moved, how do I update my address?").
fn asks_the_address(words: &[String]) -> bool {
    const ADDRESS: &[&str] = &["address", "direccion", "ubicacion", "location"];
    const THE: &[&str] = &["the", "la", "su", "exact", "full", "exacta", "completa", "its", "their"];
    const OWN: &[&str] = &[
        "new",
        "nueva",
        "nuevo",
        "change",
        "changed",
        "changes",
        "cambio",
        "cambiar",
        "cambie",
        "moved",
        "move",
        "moving",
        "mude",
        "mudo",
        "mudanza",
        "update",
        "actualizar",
        "notify",
        "avisar",
        "domicilio",
    ];
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    if !has(ADDRESS) {
        return false;
    }
    // "my address" is one's own; "my mom's appointment… the address" is not.
    let mine = words
        .windows(2)
        .any(|p| matches!(p[0].as_str(), "my" | "mi" | "our" | "nuestra") && ADDRESS.contains(&p[1].as_str()));
    !has(OWN)
        && !mine
        && words
            .windows(2)
            .any(|p| THE.contains(&p[0].as_str()) && ADDRESS.contains(&p[1].as_str()))
}

/// "How do I get to the INM?", "¿cómo llego al INM de Ejército Nacional?": the way to the
/// office itself, whatever the trip told around it ("vengo de Iztapalapa en transporte público").
fn asks_way_to_office(words: &[String]) -> bool {
    const WAY: &[&[&str]] = &[
        &["how", "do", "i", "get", "to"],
        &["how", "to", "get", "to"],
        &["how", "can", "i", "get", "to"],
        &["how", "do", "we", "get", "to"],
        &["best", "way", "to", "get", "to"],
        &["como", "llego", "a"],
        &["como", "llego", "al"],
        &["como", "llegar", "a"],
        &["como", "llegar", "al"],
        &["como", "le", "hago", "para", "llegar"],
    ];
    // The office, not the city ("how do I get to Mexico City?" is a trip, not the address).
    const PLACE: &[&str] = &[
        "inm",
        "instituto",
        "migracion",
        "immigration",
        "migration",
        "office",
        "oficina",
        "oficinas",
        "polanco",
        "building",
        "edificio",
        "ejercito",
    ];
    const BETWEEN: &[&str] = &[
        "the", "el", "la", "a", "al", "las", "los", "this", "that", "esa", "ese", "de",
    ];
    // Every way has one of these: most questions are told apart by one look at each word.
    const VERB: &[&str] = &["get", "llego", "llegar"];
    if !words.iter().any(|w| VERB.contains(&w.as_str())) {
        return false;
    }
    WAY.iter().any(|way| {
        position(words, way).is_some_and(|start| {
            words[start + way.len()..]
                .iter()
                .map(String::as_str)
                .find(|w| !BETWEEN.contains(w))
                .is_some_and(|w| PLACE.contains(&w))
        })
    })
}

/// The fact a question asks for, if it names one.
pub fn fact_asked(text: &str) -> Option<FactKind> {
    find(&normalize(text)).map(|(k, _)| k)
}

impl Matcher {
    /// The topic a fact question names besides its fact words: "how much is the replacement?"
    /// names the replacement. Matched without the fact words, so that they cannot decide.
    pub fn named_besides_fact(&self, text: &str, hint: Option<crate::knowledge::Lang>) -> Option<usize> {
        let words = normalize(text);
        let (_, at) = find(&words)?;
        let rest: Vec<&str> = words
            .iter()
            .enumerate()
            .filter(|(i, w)| {
                let w = w.as_str();
                !at.contains(i) && !ELLIPTIC.contains(&w) && fact_word(w).is_none() && !PERIODS.contains(&w)
            })
            .map(|(_, w)| w.as_str())
            .collect();
        self.find(&rest.join(" "), hint).topic()
    }

    /// The fact a question asks for, and whether it says nothing else (every other word a
    /// function word, a domain word or another fact word).
    pub fn fact_question(&self, text: &str) -> Option<FactQuestion> {
        self.fact_question_in(&normalize(text))
    }

    /// `fact_question` for a message already split into words.
    pub fn fact_question_in(&self, words: &[String]) -> Option<FactQuestion> {
        let (kind, at) = find(words)?;
        let elliptic = words.iter().enumerate().all(|(i, w)| {
            let w = w.as_str();
            at.contains(&i)
                || DOMAIN.contains(&w)
                || self.stop_en.contains(w)
                || self.stop_es.contains(w)
                || fact_word(w).is_some()
                || ELLIPTIC.contains(&w)
                || super::words::is_interjection(w)
        });
        Some(FactQuestion { kind, elliptic })
    }

    /// Whether a message says nothing of its own besides function words, numbers, dates, fact
    /// words and words pointing back ("and for 2 years?", "llegué el 28 de enero"): a follow-up.
    pub fn says_nothing_else(&self, text: &str) -> bool {
        self.says_nothing_else_in(&normalize(text))
    }

    /// Whether a message is small talk (`small_talk_in`), with this vocabulary to tell a word of
    /// no list that names a subject from one that does not ("gracias carnal").
    pub fn small_talk_in(&self, text: &str, words: &[String]) -> Option<super::SmallTalk> {
        super::small_talk_in(text, words, |w| self.knows(w))
    }

    /// `says_nothing_else` for a message already split into words.
    pub fn says_nothing_else_in(&self, words: &[String]) -> bool {
        words.iter().all(|w| {
            let w = w.as_str();
            self.is_filler(w)
                || w.bytes().all(|b| b.is_ascii_digit())
                || crate::dates::is_date_word(w)
                || crate::dates::is_calendar_word(w)
                || ELLIPTIC.contains(&w)
                || ARRIVING.contains(&w)
                || fact_word(w).is_some()
        })
    }
}

/// Saying when something happened: "I arrived on…", "llegué el…", "it expires on…".
const ARRIVING: &[&str] = &[
    "arrived", "arrive", "landed", "entered", "came", "got", "here", "llegue", "llego", "entre", "ingrese", "aterrice",
    "expires", "expired", "vence", "vencio", "expira", "on", "el", "year", "years", "ano", "anos", "por", "for",
];

/// Words that point back at the conversation's subject ("for that", "para eso").
const ELLIPTIC: &[&str] = &[
    "that",
    "it",
    "this",
    "one",
    "eso",
    "ese",
    "esa",
    "esto",
    "ello",
    "entonces",
    "then",
    "and",
    "also",
    "about",
    "much",
    "long",
    "many",
    "days",
    "time",
    "tiempo",
    "dias",
    "cuanto",
    "cuantos",
    "cuantas",
    "which",
    "what",
    "need",
    "necesito",
    "ocupo",
    "tengo",
    "have",
    "bring",
    "traer",
    "necesita",
    "ocupa",
    "ocupan",
    "necesitan",
    "lleva",
    "q",
    "k",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_ups_say_nothing_else() {
        let m = Matcher::new(&crate::knowledge::load_embedded().unwrap());
        let fq = |t: &str| m.fact_question(t).map(|f| (f.kind, f.elliptic));
        assert_eq!(fq("y cuánto cuesta?"), Some((FactKind::Fee, true)));
        assert_eq!(fq("what documents for that?"), Some((FactKind::Documents, true)));
        assert_eq!(fq("and how long do I have?"), Some((FactKind::Deadline, true)));
        assert_eq!(fq("how much is the replacement?"), Some((FactKind::Fee, false)));
        assert_eq!(fq("where can I park?"), Some((FactKind::Where, false)));
        assert_eq!(fq("hola"), None);
        // Chat spellings and the third person: "what does it need?"
        assert_eq!(fq("q papeles ocupa"), Some((FactKind::Documents, true)));
        assert_eq!(fq("y q lleva?"), Some((FactKind::Documents, true)));
        assert_eq!(fq("k necesito"), Some((FactKind::Documents, true)));
        assert_ne!(fq("cuanto tiempo lleva?").map(|f| f.0), Some(FactKind::Documents));
        assert_eq!(fq("cuanto?"), Some((FactKind::Fee, true)));
        assert_eq!(fq("y cuánto pues?"), Some((FactKind::Fee, true)));
        assert_eq!(fq("cuanto tiempo?").map(|f| f.0), Some(FactKind::Duration));
        // How to pay is the fees topic's own answer, not the amount or the place of a procedure.
        assert_eq!(fq("where do i pay it?"), None);
        assert_eq!(fq("como se paga el tramite"), None);
        assert_eq!(fq("how much do I pay at the bank?"), Some((FactKind::Fee, false)));
    }

    #[test]
    fn where_it_is_is_not_where_it_is_done() {
        let loc = |t: &str| asks_location(&normalize(t));
        assert!(loc("ok where's the office?"));
        assert!(loc("and where exactly is it?"));
        assert!(loc("y donde queda?"));
        assert!(!loc("where do I do it?"));
        assert!(!loc("donde se hace el tramite?"));
        assert!(!loc("where can I park?"));
        assert!(!loc("what time is it open?"));
    }

    #[test]
    fn where_the_office_itself_is() {
        let office = |t: &str| asks_office_location(&normalize(t));
        assert!(office("Where exactly is the immigration office? my email doesn't say"));
        assert!(office("¿Dónde queda el INM de Polanco? vengo desde Ecatepec"));
        assert!(office("dnd esta migracion"));
        assert!(!office("where is the nearest metro station to the office?"));
        assert!(!office("where can I park near the office?"));
        assert!(!office("where is the office? how much is the canje?"));
        assert!(!office("donde esta el banco para pagar"));
    }

    #[test]
    fn facts_in_both_languages() {
        assert_eq!(fact_asked("How much is the replacement?"), Some(FactKind::Fee));
        assert_eq!(fact_asked("y cuánto cuesta?"), Some(FactKind::Fee));
        assert_eq!(fact_asked("and how long do I have?"), Some(FactKind::Deadline));
        assert_eq!(fact_asked("¿cuántos días tengo?"), Some(FactKind::Deadline));
        assert_eq!(fact_asked("deadline for the canje"), Some(FactKind::Deadline));
        assert_eq!(fact_asked("documents for the canje"), Some(FactKind::Documents));
        assert_eq!(fact_asked("which form is that?"), Some(FactKind::Form));
        assert_eq!(
            fact_asked("how long is temporary residency valid"),
            Some(FactKind::Validity)
        );
        assert_eq!(fact_asked("how long does it take"), Some(FactKind::Duration));
        assert_eq!(fact_asked("hola"), None);
        assert_eq!(fact_asked("what are the opening hours"), None);
    }
}
