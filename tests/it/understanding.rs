//! Understanding real messages and answering the question asked: referrals to other institutions,
//! small talk, informal spelling, one fact of a procedure (given, computed from a date, or plainly
//! missing), follow-ups that use the conversation's subject, and the measured floors on our own
//! blind sets (written from the sources by people who never saw the knowledge base).

use std::path::Path;

use chrono::{DateTime, Utc};
use inm_bot::answer::Memory;
use inm_bot::knowledge::FactKind;
use inm_bot::render::{self, Format};
use inm_bot::{Answer, Context, Engine, eval};

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| inm_bot::load(None).expect("built-in knowledge base"))
}

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

const NOW: &str = "2026-12-02T10:00:00-06:00";

/// A short conversation: each message with the memory the previous answers left.
fn conversation(messages: &[&str]) -> Vec<(Answer, String)> {
    let e = engine();
    let mut memory = Memory::default();
    let mut out = Vec::new();
    for (i, m) in messages.iter().enumerate() {
        let when = at(NOW) + chrono::Duration::minutes(i as i64);
        let answer = e.answer(m, &Context::new(None, when).with_memory(memory));
        memory = answer.remember(memory, when);
        let text = render::answer(e, &answer, when, Format::Plain);
        out.push((answer, text));
    }
    out
}

fn one(message: &str) -> (Answer, String) {
    conversation(&[message]).remove(0)
}

fn topic_of(a: &Answer) -> Option<&'static str> {
    a.topic().map(|t| engine().topic_id(t))
}

#[test]
fn other_institutions_are_named_not_confused_with_this_office() {
    let e = engine();
    for (q, id) in [
        ("what time does the US embassy open?", "us_embassy"),
        ("¿cuánto cuesta el boleto del metro?", "transport_fares"),
        ("where do I renew my mexican passport", "mexican_passport"),
        ("¿qué tiempo hace hoy?", "weather"),
        // Not confident (a holiday and Florida are words of no list), but far ahead of any topic.
        (
            "where do I apply for an american visa for my holiday in florida?",
            "us_embassy",
        ),
        // Named by its phrase, though the office's photos explain the rest as well.
        (
            "de que tamaño es la foto para el pasaporte mexicano?",
            "mexican_passport",
        ),
        // A car is the parking's word, but buying one is no business of this office.
        (
            "I'd like to buy a second-hand car, who do I talk to?",
            "driving_licence",
        ),
        ("quiero comprar un carro usado, con quien voy?", "driving_licence"),
        // INM at an airport or a land border is another office.
        ("does the immigration desk at the airport do renewals?", "other_offices"),
        ("hay oficina de migracion en nogales?", "other_offices"),
        // A visa for another country is its embassy's, though the canje is about visas.
        (
            "do I need a visa for guatemala with my mexican residency?",
            "us_embassy",
        ),
        ("con la residencia mexicana ocupo visa para ir a belice?", "us_embassy"),
        // The moment is the hours' words; the rain, without it, is the weather's.
        ("va a llover mañana en la mañana?", "weather"),
        ("how do I register my business in mexico?", "tax_id"),
        // A loan is the bank's, whatever residency the borrower has.
        ("can I get a mortgage as a permanent resident?", "banks"),
        // School enrolment and renting a flat are asked by new residents, but not of this office.
        ("what do I need to enrol my kid in a public kindergarten?", "schools"),
        ("inscripciones de secundaria para extranjeros, que piden?", "schools"),
        ("how much does a 2 bedroom apartment rent for in Polanco?", "housing"),
        ("el casero me pide aval para rentar, donde lo consigo?", "housing"),
        // The day and the opening are the hours' words; what is asked about is another city's.
        ("la oficina del inm de monterrey abre los sabados?", "other_offices"),
        ("does the Merida office open on saturdays at 10?", "other_offices"),
        // The residency is what is told; the one question is the IMSS's business.
        (
            "I'm a temporary resident and started a new job in Reforma. How do I sign up for the IMSS?",
            "health_insurance",
        ),
    ] {
        let (a, text) = one(q);
        assert_eq!(a.topic(), None, "{q}");
        let r = a
            .referral()
            .unwrap_or_else(|| panic!("{q}: no referral, got {:?}", a.reply));
        assert_eq!(e.kb.referrals[r].id, id, "{q}");
        assert!(!text.contains("gob.mx/inm/") || id == "other_offices", "{text}");
    }
    // Another office's opening, named a few words before "open", is no question about ours;
    // "sat" where a day goes is Saturday.
    assert_eq!(
        topic_of(&one("is the SAT office in Polanco open on Saturdays?").0),
        None
    );
    assert_eq!(topic_of(&one("are you open on sat?").0), Some("hours"));
    // A passport with a nationality is another country's.
    for q in [
        "where can I renew my Canadian passport here in the city?",
        "tengo residencia temporal y mi pasaporte peruano ya se venció, donde lo saco nuevo?",
    ] {
        let (a, _) = one(q);
        assert_eq!(
            a.referral().map(|r| e.kb.referrals[r].id.as_str()),
            Some("mexican_passport"),
            "{q}"
        );
    }
    // The voter ID and the seniors' card are other institutions' cards: not the resident card.
    let (a, _) = one("mi papa quiere la tarjeta de adulto mayor del inapam");
    assert_eq!(a.referral().map(|r| e.kb.referrals[r].id.as_str()), Some("other_ids"));
    for q in [
        "my wife needs to renew her INE, is that here?",
        "se le perdio el INE a mi esposo",
    ] {
        assert_eq!(topic_of(&one(q).0), None, "{q}");
    }
    assert_eq!(
        topic_of(&one("perdí mi tarjeta de residente").0),
        Some("card_replacement")
    );
    // Health insurance is the IMSS's, though residents ask it.
    let (a, _) = one("do I have to sign up for IMSS health insurance?");
    assert_eq!(
        a.referral().map(|r| e.kb.referrals[r].id.as_str()),
        Some("health_insurance")
    );
    // "us" the pronoun is not the country.
    for q in [
        "will they let us in with our kids?",
        "can someone there help us fill in the form?",
    ] {
        assert_eq!(one(q).0.referral(), None, "{q}");
    }
    // The office's own subjects are not referred away.
    for q in [
        "I moved to a new apartment, do I need to tell INM?",
        "me cambie de depa, tengo que avisar a migracion?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("notify_changes"), "{q}");
    }
    assert_eq!(topic_of(&one("where is the immigration office?").0), Some("address"));
    assert_eq!(
        topic_of(&one("how much is the card replacement?").0),
        Some("card_replacement")
    );
    assert_eq!(
        topic_of(&one("what size are the photos for the canje?").0),
        Some("photos")
    );
}

#[test]
fn small_talk_gets_a_short_friendly_reply() {
    for q in [
        "thank you so much, that helps a lot 🙏",
        "va, muchas gracias, muy amable",
        "ok",
        "👍",
        "sale",
        "bye!",
        "jaja ok gracias",
    ] {
        let (a, text) = one(q);
        assert!(matches!(a.reply, inm_bot::Reply::SmallTalk(_)), "{q}: {:?}", a.reply);
        assert!(text.chars().count() < 200, "{q}: {text}");
    }
    // What the bot is, asked in any form, is said plainly; "programar" is not booking here.
    for q in [
        "are you a real person or a bot?",
        "¿quién te programó?",
        "hola, eres un bot?",
    ] {
        let (a, text) = one(q);
        assert!(
            matches!(
                a.reply,
                inm_bot::Reply::SmallTalk(inm_bot::matching::SmallTalk::AboutBot)
            ),
            "{q}: {:?}",
            a.reply
        );
        assert!(text.contains("bot"), "{q}: {text}");
    }
    // A question that only begins like one is answered.
    assert_eq!(topic_of(&one("what are your opening hours?").0), Some("hours"));
}

#[test]
fn mexican_informal_spelling_is_understood() {
    assert_eq!(topic_of(&one("dnd esta la ofisina de migrasion").0), Some("address"));
    assert_eq!(topic_of(&one("donde keda").0), Some("address"));
    assert_eq!(
        topic_of(&one("nesesito renovar mi tarjeta xq ya se vence").0),
        Some("renewal")
    );
    let (a, text) = one("k documentos ocupo pal canje");
    assert_eq!(topic_of(&a), Some("canje"));
    assert_eq!(a.fact, Some(FactKind::Documents));
    assert!(text.contains("FMM"), "the canje's documents: {text}");
}

#[test]
fn forms_of_address_and_contractions_are_no_subject() {
    // "sale" is also leaving (the wait): alone with "how much", it is the price.
    assert_eq!(topic_of(&one("oye bro, cuánto sale?").0), Some("fees"));
    let turns = conversation(&["what do I need for the canje?", "and how much is it, mate?"]);
    assert_eq!(topic_of(&turns[1].0), Some("canje"), "{}", turns[1].1);
    assert_eq!(turns[1].0.fact, Some(FactKind::Fee));
    // Announcing a question is no subject either.
    assert_eq!(topic_of(&one("another question: where do I park?").0), Some("parking"));
    assert_eq!(topic_of(&one("otra pregunta, hay estacionamiento?").0), Some("parking"));
}

#[test]
fn a_place_near_the_office_to_wait_in_is_the_neighbourhood() {
    for q in [
        "is there somewhere nearby with aircon where I can sit after my appointment?",
        "hay algo cerca con aire acondicionado para esperar a mi esposa?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("neighborhood"), "{q}");
    }
}

#[test]
fn signing_the_printed_form_is_what_to_bring_not_printing() {
    for q in [
        "should I sign the printed form or do they do that there?",
        "hay que firmar la solicitud impresa?",
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), Some("documents"), "{q}");
        assert!(text.contains("signed") || text.contains("firmada"), "{text}");
    }
}

#[test]
fn a_card_that_fell_out_or_cannot_be_found_is_lost() {
    for q in [
        "my resident card fell out of my pocket on the metro, what now?",
        "no encuentro mi tarjeta de residente desde la mudanza",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("card_replacement"), "{q}");
    }
}

#[test]
fn ways_of_saying_it_from_cuba_and_spain() {
    for (q, expected) in [
        ("perdí el carnet de residente, qué hago?", "card_replacement"),
        ("asere qué necesito pa renovar?", "renewal"),
        ("¿cómo cojo cita para el canje?", "appointment"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(expected), "{q}");
    }
}

#[test]
fn copies_to_bring_are_what_to_bring_and_a_copy_forgotten_is_the_copy_shops() {
    assert_eq!(topic_of(&one("tengo que llevar copias?").0), Some("documents"));
    assert_eq!(
        topic_of(&one("se me olvidó llevar copia del pasaporte").0),
        Some("copies")
    );
}

#[test]
fn whether_it_is_all_done_here_is_the_procedures() {
    for q in [
        "do I have to go somewhere else for some of my paperwork, or is it all here?",
        "¿todo se tramita aquí o hay que ir a otro lado para algo?",
        // A procedure named, and whether this office does it or another one.
        "¿la renovación se hace en Polanco o me toca ir a otra oficina?",
        "can they do the canje there, or will they send me to a different office?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("procedures"), "{q}");
    }
    // Another office told of is not that question.
    assert_ne!(
        topic_of(&one("I went to another office and they sent me here, what do I need for the canje?").0),
        Some("procedures")
    );
}

#[test]
fn a_moment_alone_does_not_make_a_question_about_the_hours() {
    // The day and the time are the hours' words, but what is asked of them is the weather or
    // the traffic.
    for q in [
        "is it going to be sunny in polanco on friday afternoon",
        "will there be traffic on reforma tomorrow morning",
    ] {
        assert_eq!(topic_of(&one(q).0), None, "{q}");
    }
    // Going there, or asking whether it is open, at that moment is.
    for q in [
        "can I go tomorrow morning with my kids?",
        "can i go to the office on friday afternoon",
        "abren el sabado en la mañana?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("hours"), "{q}");
    }
}

#[test]
fn a_procedure_asked_two_facts_of_is_the_procedure() {
    // The fee and the documents both pull toward their general topics; the canje is asked.
    for q in [
        "whats the fee for the canje and what papers do i bring",
        "precio del canje y que documentos llevo",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("canje"), "{q}");
    }
    // Without a procedure named, the general topic stays.
    assert_eq!(
        topic_of(&one("what documents do I need to bring to the office?").0),
        Some("documents")
    );
}

#[test]
fn checking_that_information_is_current_and_a_crowd_outside_are_understood() {
    for (q, t) in [
        ("how do I verify the requirements are up to date?", "official_info"),
        ("como verifico que la info este actualizada?", "official_info"),
        ("it's so crowded outside, is that normal?", "waiting"),
        ("esta lleno afuera, siempre es asi?", "waiting"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(t), "{q}");
    }
}

#[test]
fn the_walk_the_door_and_the_photo_s_glasses_are_understood() {
    // After the way there, "how long" with a walk is the walk from the metro, not the wait.
    let turns = conversation(&[
        "which metro station is closest to the office?",
        "and how long to walk from it?",
    ]);
    assert_eq!(topic_of(&turns[1].0), Some("address"));
    assert!(turns[1].1.contains("20"), "{}", turns[1].1);
    for (q, t) in [
        ("cuanto tiempo se hace caminando del metro polanco", "address"),
        // The side entrance is the day of the visit's; the queue is waiting at the door.
        ("what door do we go in through?", "on_the_day"),
        ("por cual puerta entramos?", "on_the_day"),
        (
            "my appointment is thursday, how early should I get there before my slot?",
            "on_the_day",
        ),
        ("are eyeglasses ok in the card pics", "photos"),
        ("se puede salir con gafas en la foto", "photos"),
        ("is english spoken at the counter?", "language"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(t), "{q}");
    }
    assert_eq!(topic_of(&one("how long is the wait if we walk in?").0), Some("waiting"));
    assert_eq!(topic_of(&one("thanks a lot for the informations!").0), None);
}

#[test]
fn temp_is_temporary_and_having_no_papers_is_regularization() {
    for (q, t) in [
        ("how do i renew my temp card", "renewal"),
        ("temp resident requirements", "temporary_residency"),
        (
            "my friend has no papers and has lived here 5 years, can he fix it?",
            "regularization",
        ),
        ("llevo años aquí sin papeles, ¿qué puedo hacer?", "regularization"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(t), "{q}");
    }
    // Papers as documents stay the documents.
    assert_eq!(topic_of(&one("what papers do i bring?").0), Some("documents"));
}

#[test]
fn the_office_s_neighbourhood_named_in_passing_does_not_make_the_topic() {
    // "Polanco" and "cerca" are where the thing asked about is, not what is asked.
    assert_eq!(
        topic_of(&one("alquiler de departamento cerca de polanco, alguna recomendacion?").0),
        None
    );
    // What is asked of the neighbourhood, or of a topic near it, still is.
    for (q, t) in [
        ("is polanco safe at night?", "neighborhood"),
        ("que hay cerca de polanco para comer?", "neighborhood"),
        ("cerca de polanco hay copias?", "copies"),
        ("where do I park near the office?", "parking"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(t), "{q}");
    }
}

#[test]
fn a_thing_the_knowledge_base_knows_nothing_of_is_no_topic() {
    // Something sought near the office that no topic is about is not the neighbourhood.
    for q in [
        "good dentist near polanco?",
        "any good gym around polanco",
        "cuánto cuesta una torta por ahí?",
        "colegio para mi hija cerca de polanco",
    ] {
        assert_eq!(topic_of(&one(q).0), None, "{q}");
    }
    // Sought, and a referral's business more than any topic's: the referral.
    let (a, _) = one("how much does a good lawyer cost?");
    assert_eq!(
        a.referral().map(|r| engine().kb.referrals[r].id.as_str()),
        Some("lawyers")
    );
    // What the office's topics are about, sought the same way, is.
    for (q, topic) in [
        ("how much is the renewal?", "renewal"),
        ("where can I get copies near the office?", "copies"),
        ("recomiéndame un lugar para comer cerca", "neighborhood"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(topic), "{q}");
    }
}

#[test]
fn paying_by_card_and_common_mistakes() {
    for (q, expected) in [
        ("can I pay with a visa card?", "fees"),
        ("what do people get wrong at the INM?", "advice"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(expected), "{q}");
    }
}

#[test]
fn chat_short_forms_are_spelled_out() {
    for (q, topic) in [
        ("what docs do i need for my appt", "documents"),
        ("reqs for temp residency 2 yrs", "temporary_residency"),
        ("orita esta abierto?", "hours"),
        ("requisitos pa la perma", "permanent_residency"),
        ("do you take walkins?", "appointment"),
        ("cual es la dir de la ofi", "address"),
        (
            "ocupo saber si con mi chamba puedo pedir la residencia temporal",
            "temporary_residency",
        ),
        // Mexican "checar" is "revisar"; a folio is what many call the application's number.
        ("quiero checar mi tramite", "application_status"),
        ("where do I check my folio", "application_status"),
        ("hrs?", "hours"),
        // Diminutives are the plain word; a card breaks in many words.
        ("se me partio la tarjetita, cuanto cuesta otra?", "card_replacement"),
        ("ocupo unas fotitos?", "photos"),
        ("my card got torn in half", "card_replacement"),
        ("la tarjeta esta toda maltratada", "card_replacement"),
        ("direccion y cp porfa", "address"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(topic), "{q}");
    }
}

#[test]
fn one_fact_is_answered_first() {
    let (a, text) = one("How much is the replacement?");
    assert_eq!((topic_of(&a), a.fact), (Some("card_replacement"), Some(FactKind::Fee)));
    let first_lines: String = text.lines().take(3).collect();
    assert!(first_lines.contains("1,780"), "the fee first: {text}");

    let (a, text) = one("deadline for the canje");
    assert_eq!((topic_of(&a), a.fact), (Some("canje"), Some(FactKind::Deadline)));
    assert!(text.lines().take(3).any(|l| l.contains("30")), "{text}");

    let (a, text) = one("which form for the renewal");
    assert_eq!(a.fact, Some(FactKind::Form));
    assert!(text.contains("INM820"), "{text}");

    // "What happens" and "day" fit the day of the visit; the deadline is the renewal's.
    let (a, text) = one("what happens on my visit day if I'm past the renewal deadline?");
    assert_eq!(topic_of(&a), Some("renewal"), "{text}");
    assert_eq!(a.fact, Some(FactKind::Deadline));
}

#[test]
fn a_fact_the_sources_do_not_give_is_said_plainly() {
    for q in [
        "how much does permanent residency cost?",
        "¿cuánto cuesta la residencia permanente?",
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), Some("permanent_residency"), "{q}");
        assert!(text.contains("gob.mx/inm"), "{q}: {text}");
        assert!(
            !text.contains("MXN") && !text.contains("11,141"),
            "no amount of another procedure: {text}"
        );
    }
    let (_, text) = one("what's the phone number of the office?");
    assert!(text.contains("gob.mx/inm"), "{text}");
}

#[test]
fn a_date_in_the_question_feeds_the_deadline() {
    let (a, text) = one("I arrived on 10 March 2027, by when must I exchange my visa for the canje?");
    assert_eq!(topic_of(&a), Some("canje"), "{text}");
    assert!(text.contains("9 Apr 2027"), "{text}");
    let turns = conversation(&["plazo para el canje", "llegué el 28 de enero de 2027"]);
    assert!(turns[1].1.contains("27 de feb 2027"), "{}", turns[1].1);
}

#[test]
fn follow_ups_use_the_subject_of_the_conversation() {
    let turns = conversation(&["se me perdió la tarjeta de residente", "y cuánto cuesta?"]);
    assert_eq!(topic_of(&turns[1].0), Some("card_replacement"));
    assert!(turns[1].1.contains("1,780"), "{}", turns[1].1);

    let turns = conversation(&["how does the canje work", "and how long do I have?"]);
    assert_eq!(turns[1].0.fact, Some(FactKind::Deadline));
    assert_eq!(topic_of(&turns[1].0), Some("canje"));

    let turns = conversation(&["cuanto cuesta la residencia temporal por 1 año", "y por 2?"]);
    assert!(turns[1].1.contains("16,693"), "{}", turns[1].1);

    // A number in words is the number; paying "there" asks where to pay.
    let turns = conversation(&[
        "price of temporary residency for 1 year?",
        "what about three years",
        "can I pay it there on the day?",
    ]);
    assert_eq!(topic_of(&turns[1].0), Some("temporary_residency"), "{}", turns[1].1);
    assert!(turns[1].1.contains("21,143"), "{}", turns[1].1);
    assert_eq!(topic_of(&turns[2].0), Some("fees"), "{}", turns[2].1);
    let turns = conversation(&["cuánto cuesta la residencia temporal", "¿y por cuatro años?"]);
    assert!(turns[1].1.contains("25,058"), "{}", turns[1].1);

    // "¿Se paga algo?" asks the fee of the subject: notifying a change is free.
    let turns = conversation(&["me casé el mes pasado, tengo que avisar a migración?", "¿se paga algo?"]);
    assert_eq!(topic_of(&turns[1].0), Some("notify_changes"), "{}", turns[1].1);
    assert!(turns[1].1.contains("gratuita"), "{}", turns[1].1);

    // A short follow-up whose words the knowledge base has only in passing names no subject:
    // it is about the one being discussed. A word it does not know at all is a subject.
    for follow_up in ["and after I've landed, what then?", "y eso lo hago en persona?"] {
        let turns = conversation(&["what is the canje?", follow_up]);
        assert_eq!(topic_of(&turns[1].0), Some("canje"), "{follow_up}: {}", turns[1].1);
    }
    // "next" before a day only places the moment: no evidence for the canje's "next step".
    let turns = conversation(&["are you open on friday?", "hmm, what about next thursday then?"]);
    assert_eq!(topic_of(&turns[1].0), Some("hours"), "{}", turns[1].1);
    assert!(turns[1].1.contains("Thursday 10 Dec"), "{}", turns[1].1);
    // A weak match level with its best is the subject already.
    let turns = conversation(&[
        "my tourist permit expired last month",
        "can that be fixed at the Polanco office?",
    ]);
    assert_eq!(topic_of(&turns[1].0), Some("regularization"), "{}", turns[1].1);
    let turns = conversation(&["what is the canje?", "and the football?"]);
    assert_eq!(topic_of(&turns[1].0), None, "{}", turns[1].1);

    // "How long … do I have?" with words between is the time left, the deadline.
    let turns = conversation(&["what is the canje?", "how long after I enter mexico do I have?"]);
    assert_eq!(turns[1].0.fact, Some(FactKind::Deadline), "{}", turns[1].1);
    assert!(turns[1].1.contains("30"), "{}", turns[1].1);

    // A subject of its own starts afresh.
    let turns = conversation(&["documents for the canje", "where can I park?"]);
    assert_eq!(topic_of(&turns[1].0), Some("parking"));
    assert!(!turns[1].1.to_lowercase().contains("canje"), "{}", turns[1].1);
}

#[test]
fn memory_is_forgotten_after_half_an_hour() {
    let e = engine();
    let first = e.answer("how much is the card replacement", &Context::new(None, at(NOW)));
    let memory = first.remember(Memory::default(), at(NOW));
    let later = at(NOW) + chrono::Duration::minutes(45);
    let answer = e.answer("y cuánto cuesta?", &Context::new(None, later).with_memory(memory));
    assert_ne!(topic_of(&answer), Some("card_replacement"));
}

fn measure(path: &str) -> eval::Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    eval::run(engine(), &eval::parse(&text).unwrap())
}

#[test]
fn blind_questions_stay_above_their_floors() {
    // First run of this set, before any tuning: 67.0% in scope, 68.8% rejected (README).
    let r = measure("tests/data/blind/questions.tsv");
    assert!(r.overall.accuracy() >= 0.83, "in scope {:.3}", r.overall.accuracy());
    assert!(r.overall.rejection() >= 0.85, "rejected {:.3}", r.overall.rejection());
    // First run of blind set 3, before any tuning: 86.5% in scope, 84.6% rejected.
    let r = measure("tests/data/blind3/questions.tsv");
    assert!(r.overall.accuracy() >= 0.86, "in scope {:.3}", r.overall.accuracy());
    assert!(r.overall.rejection() >= 0.88, "rejected {:.3}", r.overall.rejection());
    // Blind sets 5 to 9, both halves (the held-out ones are only measured). First runs:
    // set 5 88.2% in scope, 86.7% rejected; set 6 89.4%, 91.3%; set 7 86.3%, 88.9%; set 8
    // 91.2%, 90.0%; set 9 91.2%, 86.0%.
    for (file, in_scope, rejected) in [
        ("blind5/questions", 0.95, 0.96),
        ("blind5/holdout", 0.86, 0.88),
        ("blind6/questions", 0.95, 0.95),
        ("blind6/holdout", 0.89, 0.86),
        ("blind7/questions", 0.89, 0.88),
        ("blind7/holdout", 0.86, 0.80),
        ("blind8/questions", 0.93, 0.96),
        ("blind8/holdout", 0.88, 0.83),
        ("blind9/questions", 0.91, 0.88),
        ("blind9/holdout", 0.87, 0.84),
        ("blind10/questions", 0.88, 0.88),
        ("blind10/holdout", 0.88, 0.80),
        ("blind11/questions", 0.95, 0.90),
        ("blind11/holdout", 0.89, 0.82),
        ("blind12/questions", 0.92, 0.90),
        ("blind12/holdout", 0.88, 0.80),
        // Set 13's first run: 88.3% in scope, 86.7% rejected.
        ("blind13/questions", 0.90, 0.92),
        ("blind13/holdout", 0.87, 0.83),
        // Set 14's first run: 87.9% in scope, 86.7% rejected.
        ("blind14/questions", 0.93, 0.97),
        ("blind14/holdout", 0.86, 0.86),
    ] {
        let r = measure(&format!("tests/data/{file}.tsv"));
        assert!(
            r.overall.accuracy() >= in_scope,
            "{file}: in scope {:.3}",
            r.overall.accuracy()
        );
        assert!(
            r.overall.rejection() >= rejected,
            "{file}: rejected {:.3}",
            r.overall.rejection()
        );
    }
    let r = measure("../shared/eval/questions-2.tsv");
    assert!(r.overall.accuracy() >= 0.90, "in scope {:.3}", r.overall.accuracy());
    assert!(r.overall.rejection() >= 0.90, "rejected {:.3}", r.overall.rejection());
}

#[test]
fn an_example_in_two_topics_is_flagged_with_its_place() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"), dir.path());
    let file = dir.path().join("topics/office.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    // "opening hours" is an example of the hours topic; give a spelling of it to the address topic.
    assert!(text.contains("\"opening hours\""));
    let address = text.find("  - id: address").expect("address topic");
    let examples = address
        + text[address..]
            .find("    examples:\n      en:\n")
            .expect("its examples");
    let insert = examples + "    examples:\n      en:\n".len();
    let edited = format!("{}        - \"Opening Hours!\"\n{}", &text[..insert], &text[insert..]);
    std::fs::write(&file, edited).unwrap();
    let problems = inm_bot::load(Some(dir.path())).err().expect("refused").to_string();
    assert!(problems.contains("also an example of"), "{problems}");
    assert!(problems.contains("office.yaml:"), "with file and line: {problems}");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn going_today_after_a_procedure_asks_whether_the_office_is_open() {
    // 2 Dec 2026 is a Wednesday: open at 10:00.
    let turns = conversation(&["what do I need to renew my temporary residency?", "can i go today?"]);
    assert_eq!(topic_of(&turns[1].0), Some("hours"), "{}", turns[1].1);
    assert!(turns[1].1.to_lowercase().contains("open"), "{}", turns[1].1);
    // The checklist asked before is not repeated as the answer.
    let turns = conversation(&["q papeles llevo pal canje", "y hoy puedo ir?"]);
    assert_eq!(topic_of(&turns[1].0), Some("hours"), "{}", turns[1].1);
}

#[test]
fn spanish_verbs_are_read_in_any_tense() {
    for q in ["ya abrieron?", "ya abrio la oficina?", "a que hora cerraron ayer"] {
        assert_eq!(topic_of(&one(q).0), Some("hours"), "{q}");
    }
}

#[test]
fn thanks_with_wishes_or_a_form_of_address_is_small_talk() {
    for q in [
        "va gracias carnal",
        "ok gracias, feliz año!!",
        "Thank you very much, happy holidays!",
        "gracias jefe 👍",
    ] {
        assert!(matches!(one(q).0.reply, inm_bot::Reply::SmallTalk(_)), "{q}");
    }
    // A subject after the thanks is a question.
    assert!(!matches!(
        one("gracias, y el canje").0.reply,
        inm_bot::Reply::SmallTalk(_)
    ));
}

#[test]
fn documents_for_an_appointment_are_the_documents() {
    // The appointment is the occasion, not a procedure with a checklist of its own.
    for q in [
        "what papers should I bring to my appointment?",
        "que papeles llevo a la cita",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("documents"), "{q}");
    }
    // A procedure named with the documents is still that procedure's checklist.
    assert_eq!(
        topic_of(&one("what documents do I need for the canje?").0),
        Some("canje")
    );
}

#[test]
fn another_institution_with_an_opening_question_is_referred() {
    for (q, id) in [
        ("is the embassy open on saturday?", "us_embassy"),
        ("la embajada abre el sabado?", "us_embassy"),
    ] {
        let (a, text) = one(q);
        let r = a.referral().unwrap_or_else(|| panic!("{q}: {:?}", a.reply));
        assert_eq!(engine().kb.referrals[r].id, id, "{q}");
        // Not the office's own verdict for that day.
        assert!(!text.contains("Next opening") && !text.contains("Próxima"), "{text}");
    }
    // The office's own opening hours on a Saturday stay the office's.
    assert_eq!(topic_of(&one("is the office open on saturday?").0), Some("hours"));
}

#[test]
fn blind_conversations_stay_above_their_floor() {
    // First run of blind set 3's conversations, before any tuning: 80.3% of turns.
    // Blind set 5's, both halves together: first run 85.0% of turns; blind set 6's 90.2%; blind
    // set 7's 88.3%; set 8's 88.3%; set 9's 92.9%.
    for (file, floor) in [
        ("blind3/conversations.jsonl", 0.90),
        ("blind5/conversations.jsonl", 0.90),
        ("blind5/holdout.jsonl", 0.90),
        ("blind6/conversations.jsonl", 0.94),
        ("blind6/holdout.jsonl", 0.90),
        ("blind7/conversations.jsonl", 0.89),
        ("blind7/holdout.jsonl", 0.90),
        ("blind8/conversations.jsonl", 0.92),
        ("blind8/holdout.jsonl", 0.86),
        ("blind9/conversations.jsonl", 0.91),
        ("blind9/holdout.jsonl", 0.89),
        ("blind10/conversations.jsonl", 0.90),
        ("blind10/holdout.jsonl", 0.86),
        ("blind11/conversations.jsonl", 0.92),
        ("blind11/holdout.jsonl", 0.90),
        ("blind12/conversations.jsonl", 0.88),
        ("blind12/holdout.jsonl", 0.83),
        // Set 13's first run: 86.7% of turns.
        ("blind13/conversations.jsonl", 0.94),
        ("blind13/holdout.jsonl", 0.84),
        // Set 14's first run: 88.8% of turns.
        ("blind14/conversations.jsonl", 0.93),
        ("blind14/holdout.jsonl", 0.88),
    ] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(file);
        let text = std::fs::read_to_string(path).unwrap();
        let conversations = inm_bot::conversations::parse(&text).unwrap();
        let r = inm_bot::conversations::run(engine(), &conversations, at(NOW));
        assert!(r.turn_rate() >= floor, "{file}: turns {:.3}", r.turn_rate());
    }
}

#[test]
fn a_dead_heat_is_settled_by_the_nearest_example_question() {
    let e = engine();
    // The words alone fit two topics equally; an example question of one is much nearer.
    let q = "toman huellas";
    let m = e.matcher.find(q, None);
    assert!(m.tied > 0, "{q}: not a dead heat any more ({m:?}); pick another");
    assert_eq!(m.confidence, inm_bot::matching::Confidence::Weak);
    let (a, _) = one(q);
    assert_eq!(topic_of(&a), Some("on_the_day"), "{q}");
}

#[test]
fn a_close_call_is_settled_by_the_nearest_example_question() {
    let e = engine();
    // What to bring fits nearly as well as the photos ("take", "bring"); the photos' examples
    // ask this way.
    let q = "should i bring a photo or do they take it";
    let m = e.matcher.find(q, None);
    let best = m.best.unwrap();
    assert_eq!(
        e.topic_id(best.topic),
        "documents",
        "{q}: the words alone now choose ({m:?}); pick another"
    );
    assert!(m.runner_ups[0].score >= best.score * 0.9, "{m:?}");
    assert_eq!(topic_of(&one(q).0), Some("photos"), "{q}");
}

#[test]
fn a_location_question_is_the_address_whatever_was_asked_before() {
    let turns = conversation(&[
        "I moved house, do I have to tell INM?",
        "does it cost anything?",
        "ok where's the office?",
    ]);
    assert_eq!(topic_of(&turns[2].0), Some("address"), "{}", turns[2].1);
    assert!(turns[2].1.contains("862"), "{}", turns[2].1);
}

#[test]
fn another_institution_in_the_middle_of_a_procedure_is_referred() {
    let turns = conversation(&[
        "what do I need for the canje?",
        "and where do I apply for the american visa for my holiday in florida?",
    ]);
    let e = engine();
    let r = turns[1].0.referral().map(|r| e.kb.referrals[r].id.as_str());
    assert_eq!(r, Some("us_embassy"), "{}", turns[1].1);
}

#[test]
fn a_weekday_is_never_a_referral_subject() {
    let turns = conversation(&["what time do you open tomorrow?", "and on thursday?"]);
    assert_eq!(turns[1].0.referral(), None, "{}", turns[1].1);
    assert!(turns[1].1.contains("9:00"), "{}", turns[1].1);
}

#[test]
fn where_to_pay_after_a_fee_is_the_fees_topic() {
    let turns = conversation(&["how much is the temporary residency for 2 years?", "where do i pay it?"]);
    assert_eq!(topic_of(&turns[1].0), Some("fees"), "{}", turns[1].1);
}

#[test]
fn what_the_question_plainly_asks_outweighs_a_story() {
    let e = engine();
    for (q, expected) in [
        (
            "where exactly is the INM office? the confirmation email only has my folio number",
            "address",
        ),
        ("can I pay right there at the office?", "fees"),
    ] {
        // The words alone do not choose it: the question's form does.
        let m = e.matcher.find(q, None);
        assert_ne!(
            m.topic().map(|t| e.topic_id(t)),
            Some(expected),
            "{q}: {m:?}; pick another"
        );
        assert_eq!(topic_of(&one(q).0), Some(expected), "{q}");
    }
    // A short "how is it paid" is the fees, though paying for a trámite is also the fixers'
    // words; a longer message may be about paying someone.
    assert_eq!(topic_of(&one("como pago el tramite?").0), Some("fees"));
    assert_ne!(
        topic_of(&one("should I pay a gestor to get my appointment faster, or how do I book one myself?").0),
        Some("fees")
    );
    // The way to the office, whatever the trip told around it; not the way to the city.
    for q in [
        "we're coming by bus from Coyoacán with the kids, how do I get to the immigration office?",
        "vivo en Tlalpan y no conozco nada, cómo llego a la oficina del INM?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("address"), "{q}");
    }
    assert_ne!(
        topic_of(&one("how do I get to Mexico City from Cancún?").0),
        Some("address")
    );
    // "The address" asked is the office's; one's own new address is a change to notify.
    assert_eq!(
        topic_of(&one("pásame la dirección porfa, voy con mi suegra").0),
        Some("address")
    );
    assert_eq!(
        topic_of(&one("I moved last month, do I have to report the new address?").0),
        Some("notify_changes")
    );
    // Not when another institution is the subject.
    let (a, text) = one("where is the INM office at the airport?");
    assert_eq!(a.topic(), None, "{text}");
}

#[test]
fn four_years_of_temporary_residency_lead_to_the_permanent() {
    for q in [
        "I've had my temporary card for 4 years now, what should I do?",
        "ya cumplí 4 años de residente temporal, qué hago?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("permanent_residency"), "{q}");
    }
    // A temporary residency granted for 4 years is still the temporary one.
    let q = "how much is temporary residency for 4 years?";
    assert_eq!(topic_of(&one(q).0), Some("temporary_residency"), "{q}");
}

#[test]
fn a_time_on_an_ordinary_day_after_a_holiday_is_the_hours() {
    let turns = conversation(&["¿abren el 16 de septiembre?", "¿y el viernes 17 a las 10?"]);
    assert_eq!(topic_of(&turns[0].0), Some("holidays"), "{}", turns[0].1);
    assert_eq!(topic_of(&turns[1].0), Some("hours"), "{}", turns[1].1);
    // A day named without a time stays a question about closures ("and dec 24?").
    let turns = conversation(&["which holidays is the office closed?", "and dec 24?"]);
    assert_eq!(topic_of(&turns[1].0), Some("holidays"), "{}", turns[1].1);
}

#[test]
fn how_long_it_takes_is_the_wait_unless_a_procedure_is_meant() {
    let (a, text) = one("how long does it normally take when you get there?");
    assert_eq!(topic_of(&a), Some("waiting"), "{text}");
    let (a, text) = one("how long does the renewal take?");
    assert_eq!(topic_of(&a), Some("renewal"), "{text}");
    assert_eq!(a.fact, Some(FactKind::Duration), "{text}");
    // In a conversation about a procedure, it is that procedure's.
    let turns = conversation(&["what do I need for the canje?", "how long does it take?"]);
    assert_eq!(topic_of(&turns[1].0), Some("canje"), "{}", turns[1].1);
}

#[test]
fn another_place_s_opening_hours_are_not_the_office_s() {
    for q in [
        "what time does Sanborns close on sunday?",
        "is the bank open on saturday morning?",
        "what are the opening hours of Museo Jumex?",
        "a que hora cierra el oxxo?",
        "¿el museo abre los lunes?",
        "horario de costco",
        // A named place's closing time, and a named museum, asked of the neighbourhood.
        "Palacio de Hierro closing time?",
        "after our appointment, is the Soumaya museum open on mondays?",
        "after the office we want to visit the Jumex museum, is it open on tuesdays?",
        "el museo Jumex abre los martes?",
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), None, "{q}: {text}");
        assert!(
            !text.contains("Next opening") && !text.contains("Próxima"),
            "{q}: {text}"
        );
    }
    // The office by any of its names, or by none, keeps its hours.
    for q in [
        "what time does the INM in Polanco open?",
        "what time do you close on friday?",
        "a que hora abre migracion?",
        "¿a qué hora cierra la ofisina?",
        "abren el sabado?",
        "horario de atencion",
        "closing time?",
        "la oficina de migracion abre los lunes?",
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), Some("hours"), "{q}: {text}");
    }
}

#[test]
fn what_a_thing_is_is_answered_whatever_the_story_around_it() {
    for (q, topic) in [
        ("what is a canje? my coworkers keep bringing it up", "canje"),
        (
            "oye q es la regularizacion? mi vecina no para de hablar de eso",
            "regularization",
        ),
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), Some(topic), "{q}: {text}");
    }
}

#[test]
fn a_moment_told_in_a_long_message_about_something_else_is_not_an_opening_question() {
    for (q, topic) in [
        (
            "I'm a teacher from Ohio and I keep reading different things online, so step by step, how does the permanent residency work for someone who has lived here 4-5 years?",
            "permanent_residency",
        ),
        (
            "Can I pay the fee with my card at the window or do I need to go to a bank first? my appointment is tomorrow morning",
            "fees",
        ),
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), Some(topic), "{q}: {text}");
        // The moment may be remembered for a later "will it be open then?", but it is not
        // answered as an opening question now.
        assert!(!text.contains("open") && !text.contains("closed"), "{q}: {text}");
    }
    // Asked outright, opening is still the question, however long the message.
    let (a, text) = one(
        "mi cita para la renovacion de mi tarjeta temporal es el 16 de septiembre, van a estar abiertos ese dia o no?",
    );
    assert_eq!(topic_of(&a), Some("holidays"), "{text}");
}

#[test]
fn when_to_arrive_for_an_appointment_is_the_day_of_the_visit() {
    for q in [
        "my appointment is on thursday at 12:15, what time should I get there?",
        "tengo cita el lunes a las 10, a que hora me presento?",
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), Some("on_the_day"), "{q}: {text}");
        assert!(text.contains("10 min"), "{q}: {text}");
    }
}

#[test]
fn a_long_message_like_one_example_above_all_is_answered_by_its_topic() {
    // Spread over story words, the telling words alone are weak; the example questions of one
    // topic are clearly the nearest.
    let q = "my wallet went into the washing machine with the card in it and now it's bent and blurry, will they reissue it for me?";
    let m = engine().matcher.find(q, None);
    assert_eq!(
        m.confidence,
        inm_bot::matching::Confidence::Weak,
        "{q}: confident on words alone now; pick another"
    );
    let (a, text) = one(q);
    assert_eq!(topic_of(&a), Some("card_replacement"), "{q}: {text}");
}

#[test]
fn a_question_sentence_before_a_long_story_is_what_is_asked() {
    let story = "we just flew in from Lima with two kids and three suitcases, the baby cried the whole flight and my husband lost his sunglasses somewhere, total chaos lol";
    for (question, topic) in [
        ("do they speak english there?", "language"),
        ("is parking available?", "parking"),
    ] {
        let q = format!("{question} {story}");
        let m = engine().matcher.find(&q, None);
        assert_eq!(
            m.confidence,
            inm_bot::matching::Confidence::Weak,
            "{q}: confident on words alone now"
        );
        let (a, text) = one(&q);
        assert_eq!(topic_of(&a), Some(topic), "{q}: {text}");
    }
}

#[test]
fn being_served_at_a_time_is_a_question_about_opening() {
    let (a, text) = one("if I make it by 2:50 pm will they still serve me?");
    assert_eq!(topic_of(&a), Some("hours"), "{text}");
    assert!(a.when.is_some_and(|m| m.time.is_some()), "{text}");
    // Seeing one's status online at a time is not.
    let (a, text) = one("can I see my application status online tomorrow?");
    assert_eq!(topic_of(&a), Some("application_status"), "{text}");
}

#[test]
fn a_ticket_at_the_door_is_the_queue_and_a_metro_ticket_is_not() {
    let (a, text) = one("do they give you a ticket with a number at the door?");
    assert_eq!(topic_of(&a), Some("waiting"), "{text}");
    let (a, text) = one("cuanto cuesta el boleto del metro");
    assert!(a.referral().is_some(), "{text}");
}

#[test]
fn being_lost_oneself_asks_the_way_and_until_now_is_so_far() {
    for (q, t) in [
        (
            "the taxi left me on Ejercito Nacional and I'm lost, where is it?",
            "address",
        ),
        (
            "ando perdido, ya pase el centro comercial y no veo migracion",
            "address",
        ),
        // A card lost is still the card's.
        ("i lost my resident card on the bus", "card_replacement"),
        // "Until now" is so far, not a closing time, even with a day named.
        (
            "my card expires on friday and until now I did nothing, what do I do?",
            "renewal",
        ),
        (
            "hasta el momento no me dicen nada de mi tramite, como lo reviso?",
            "application_status",
        ),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(t), "{q}");
    }
    assert_eq!(topic_of(&one("what time are you open until?").0), Some("hours"));
}

#[test]
fn paying_by_card_or_in_cash_is_the_fees() {
    for q in [
        "do they accept cards at the bank?",
        "¿aceptan tarjeta o solo efectivo?",
        "can I pay in cash?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("fees"), "{q}");
    }
    // Taking time to get the card is not paying with one.
    assert_ne!(topic_of(&one("how long does it take to get the card?").0), Some("fees"));
}

#[test]
fn what_it_takes_in_chat_spelling_is_the_procedure_s_checklist() {
    for follow_up in ["q papeles ocupa?", "y k lleva"] {
        let turns = conversation(&["mi esposa se cambio de casa, tiene que avisar a migracion?", follow_up]);
        assert_eq!(
            topic_of(&turns[1].0),
            Some("notify_changes"),
            "{follow_up}: {}",
            turns[1].1
        );
    }
}

#[test]
fn right_now_and_right_there_stress_the_moment_and_the_place() {
    for (q, t) in [
        ("¿puedo ir ahora mismo?", "hours"),
        ("hoy mismo me puedo presentar?", "hours"),
        // The Caribbean "e'" of "es" is no word of any topic or referral.
        ("¿y eso dónde e' que se paga?", "fees"),
    ] {
        assert_eq!(topic_of(&one(q).0), Some(t), "{q}");
    }
    // The same day is still a subject.
    assert_ne!(topic_of(&one("¿me entregan la tarjeta el mismo día?").0), Some("hours"));
}

#[test]
fn turned_away_for_having_no_appointment_asks_for_one() {
    for q in [
        "no me dejaron pasar porque no traia cita, como la consigo?",
        "we had no appointment so the guard sent us back, how does booking work?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("appointment"), "{q}");
    }
}

#[test]
fn how_much_alone_after_a_procedure_is_its_fee() {
    let turns = conversation(&["se me rompio la tarjeta de residente", "cuanto?"]);
    assert_eq!(topic_of(&turns[1].0), Some("card_replacement"), "{}", turns[1].1);
    assert!(turns[1].1.contains("1,780"), "{}", turns[1].1);
}

#[test]
fn where_to_read_the_official_requirements_is_the_official_information() {
    for q in [
        "where can I read the official requirements? the forums all say different things",
        "donde veo los requisitos oficiales, en los foros cada quien dice algo distinto",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("official_info"), "{q}");
    }
}

#[test]
fn the_security_at_the_door_is_the_day_of_the_visit() {
    for q in [
        "is there a security guard checking bags at the entrance?",
        "revisan mochilas en la entrada?",
        "what's the drill on the day?",
    ] {
        assert_eq!(topic_of(&one(q).0), Some("on_the_day"), "{q}");
    }
}

#[test]
fn the_price_of_things_in_polanco_is_not_this_office_s_fee() {
    for q in [
        "how much is a coffee in polanco?",
        "cuanto cuesta una comida en polanco",
    ] {
        let (a, text) = one(q);
        assert_eq!(topic_of(&a), None, "{q}: {text}");
        assert!(!text.contains("11,141"), "{q}: {text}");
    }
    // The office's own fees, and the parking the visit needs, are still answered.
    assert_eq!(
        topic_of(&one("cuanto cuesta la reposicion de tarjeta").0),
        Some("card_replacement")
    );
    assert_eq!(
        topic_of(&one("how much does parking cost near the office?").0),
        Some("parking")
    );
}

#[test]
fn a_procedure_at_a_moment_is_not_another_institution_s() {
    // The moment is the hours'; "renewal" is this office's renewal, not a passport's.
    let (a, text) = one("can I go today at 11 for my renewal?");
    assert_eq!(a.referral(), None, "{text}");
}

#[test]
fn near_misses_of_my_own_stay_rejected() {
    // Not blind: written while tuning, from the kinds of thing people confuse with this office
    // (phone plans, movers, school, rent, visas for other countries, weather at a moment…).
    let r = measure("tests/data/near_misses.tsv");
    assert!(r.overall.rejection() >= 0.95, "{}", eval::format_report(&r));
}
