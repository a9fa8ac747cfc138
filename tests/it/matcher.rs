//! The matcher on realistic input: typos, missing accents, both languages, off-topic questions,
//! the evaluation thresholds, and arbitrary strings (property tests) that must never panic.

use std::path::Path;

use inm_bot::knowledge::Lang;
use inm_bot::matching::Confidence;
use inm_bot::{Engine, eval};
use proptest::prelude::*;

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| inm_bot::load(None).expect("built-in knowledge base"))
}

/// The confident topic id for a question, or None.
fn topic(q: &str) -> Option<&'static str> {
    let e = engine();
    e.matcher.find(q, None).topic().map(|t| e.topic_id(t))
}

fn lang(q: &str, hint: Option<Lang>) -> Lang {
    engine().matcher.find(q, hint).lang
}

#[test]
fn typos_are_tolerated() {
    assert_eq!(topic("wat are the openning hours"), Some("hours"));
    assert_eq!(topic("how do i renwe my residencey"), Some("renewal"));
    assert_eq!(
        topic("requisitos para la recidencia permanete"),
        Some("permanent_residency")
    );
    assert_eq!(topic("estacionamieto cerca"), Some("parking"));
    assert_eq!(topic("where can i make fotocopies"), Some("copies"));
}

#[test]
fn short_words_do_not_collide() {
    // "vida" is one letter from "visa", but 4-letter words get no typo tolerance.
    let e = engine();
    let m = e.matcher.find("vida", None);
    assert!(m.best.is_none_or(|b| e.topic_id(b.topic) != "canje"), "{m:?}");
    assert_eq!(m.confidence, Confidence::None);
}

#[test]
fn accents_are_optional() {
    assert_eq!(topic("¿Cuál es la dirección?"), Some("address"));
    assert_eq!(topic("cual es la direccion"), Some("address"));
    assert_eq!(topic("reposición de tarjeta"), topic("reposicion de tarjeta"));
    assert_eq!(topic("REPOSICION DE TARJETA"), Some("card_replacement"));
}

#[test]
fn spanish_and_english_reach_the_same_topics() {
    for (en, es, id) in [
        ("what time do you open", "a que hora abren", "hours"),
        (
            "how do I exchange my visa for a card",
            "canje de visa por tarjeta",
            "canje",
        ),
        ("can I use my phone inside", "puedo usar el celular adentro", "phones"),
        ("where can I park my car", "donde estaciono el carro", "parking"),
    ] {
        assert_eq!(topic(en), Some(id), "{en}");
        assert_eq!(topic(es), Some(id), "{es}");
        assert_eq!(lang(en, Some(Lang::Es)), Lang::En, "{en}");
        assert_eq!(lang(es, Some(Lang::En)), Lang::Es, "{es}");
    }
}

#[test]
fn language_falls_back_to_the_hint() {
    // A single word shared by both languages gives no signal.
    assert_eq!(lang("canje", Some(Lang::Es)), Lang::Es);
    assert_eq!(lang("canje", Some(Lang::En)), Lang::En);
    assert_eq!(lang("canje", None), Lang::En);
    // An accent is a Spanish signal.
    assert_eq!(lang("¿canje?", Some(Lang::En)), Lang::Es);
}

#[test]
fn out_of_scope_questions_get_no_confident_answer() {
    for q in [
        "what is the weather tomorrow",
        "tell me a joke",
        "how do I get a US visa",
        "how much is a flight to Cancun",
        "cual es el tipo de cambio del dolar hoy",
        "recomiendame una pelicula",
        "asdfghjkl",
        "",
        "🙂🙂🙂",
    ] {
        // A referral ("not this office; try the embassy") is not an answer from a topic.
        let e = engine();
        let m = e.matcher.find(q, None);
        let answered = m.topic().filter(|_| m.referral.is_none()).map(|t| e.topic_id(t));
        assert_eq!(answered, None, "{q:?} must not get a confident answer: {m:?}");
    }
}

#[test]
fn weak_matches_offer_suggestions() {
    let e = engine();
    let m = e.matcher.find("card", None);
    assert_eq!(m.confidence, Confidence::Weak, "{m:?}");
    let answer = e.answer("card", &inm_bot::Context::new(None, chrono::Utc::now()));
    match answer.reply {
        inm_bot::Reply::Suggestions { topics } => assert!(topics.len() >= 2 && topics.len() <= 3),
        other => panic!("expected suggestions, got {other:?}"),
    }
}

fn run_eval(path: &Path) -> eval::Report {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eval::run(engine(), &eval::parse(&text).unwrap())
}

#[test]
fn development_questions_meet_the_targets() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/questions.tsv");
    let report = run_eval(&path);
    let t = &report.overall;
    assert!(
        t.in_scope >= 80 && t.out_of_scope >= 5,
        "the file looks truncated: {t:?}"
    );
    assert!(
        t.accuracy() >= 0.95,
        "in-scope accuracy {:.3}\n{}",
        t.accuracy(),
        eval::format_report(&report)
    );
    assert!(
        t.rejection() >= 0.90,
        "rejection {:.3}\n{}",
        t.rejection(),
        eval::format_report(&report)
    );
}

#[test]
fn our_own_questions_meet_the_targets() {
    // Written for this project, with other wordings than the development set.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/more_questions.tsv");
    let report = run_eval(&path);
    assert!(report.overall.accuracy() >= 0.95, "{}", eval::format_report(&report));
    assert!(report.overall.rejection() >= 0.90, "{}", eval::format_report(&report));
}

#[test]
fn chatty_messages_from_the_queue_are_understood() {
    // Common words the knowledge base does not use ("tried", "keeps") and numbers are filler.
    assert_eq!(
        topic("hi, i tried to book an appointment but the system keeps failing"),
        Some("appointment")
    );
    assert_eq!(
        topic("mi tarjeta vence el proximo mes, como la renuevo"),
        Some("renewal")
    );
    assert_eq!(
        topic("i renewed 2 times already, how do i renew again"),
        Some("renewal")
    );
    assert_eq!(
        topic("my spanish is really bad, will they help me in english?"),
        Some("language")
    );
    // Off-topic content words still count.
    assert_eq!(topic("what is the weather like in polanco today"), None);
}

#[test]
fn chatty_question_set_does_not_regress() {
    // Long messages are the hardest case; this floor guards what the matcher reaches today.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/chatty_questions.tsv");
    let report = run_eval(&path);
    assert!(
        report.overall.in_scope_correct >= 37,
        "{}",
        eval::format_report(&report)
    );
    assert_eq!(report.overall.rejection(), 1.0, "{}", eval::format_report(&report));
}

#[test]
fn very_long_input_is_bounded_and_still_matched() {
    let q = format!("{} where is the office {}", "hola ".repeat(2), "x".repeat(10_000));
    let e = engine();
    let m = e.matcher.find(&q, None);
    assert!(m.best.is_some());
    let spam = "opening hours ".repeat(2_000);
    assert_eq!(topic(&spam), Some("hours"));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn any_string_is_matched_without_panicking(s in any::<String>()) {
        let m = engine().matcher.find(&s, None);
        prop_assert!(m.score() >= 0.0 && m.score() <= 1.0);
        prop_assert!(m.runner_ups.len() <= 3);
    }

    #[test]
    fn mixed_scripts_emoji_and_controls(s in "[a-zñáé \\x00-\\x1f😀-🙏漢字кириллица\\u{200B}\\u{FEFF}¿?!]{0,300}") {
        let e = engine();
        let answer = e.answer(&s, &inm_bot::Context::new(Some(Lang::Es), chrono::Utc::now()));
        let text = inm_bot::render::answer(e, &answer, chrono::Utc::now(), inm_bot::render::Format::Html);
        prop_assert!(inm_bot::render::html_visible_len(&text) <= 4096);
    }

    #[test]
    fn long_strings(s in proptest::collection::vec(any::<char>(), 0..10_000)) {
        let text: String = s.into_iter().collect();
        let _ = engine().matcher.find(&text, None);
    }
}
