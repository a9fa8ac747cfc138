//! The fixed words of the user interface, in both languages, in one table: what every front end
//! says besides the knowledge base's answers, and the one list of commands from which the Telegram
//! menus, `/help` and the console's help are made.
//!
//! Texts with a `{}` take one value, filled with [`fill`].

use crate::knowledge::{Bilingual, Lang};

/// A fixed text of the interface.
pub type Ui = Bilingual<&'static str>;

const fn ui(en: &'static str, es: &'static str) -> Ui {
    Bilingual { en, es }
}

/// Puts `value` where the text has `{}`.
pub fn fill(text: &str, value: &str) -> String {
    text.replacen("{}", value, 1)
}

// Answers the core decides.
pub const UNKNOWN: Ui = ui(
    "Sorry, I don't know about that. 🤔 I can help with the INM immigration office in Mexico City: opening hours, the address, appointments, what to bring, and procedures such as the canje, renewals, permanent residency or a lost card. Try \"what time do you open?\" or /help.",
    "Perdón, no sé de eso. 🤔 Puedo ayudarte con la oficina del INM en la Ciudad de México: horario, dirección, citas, qué documentos llevar y trámites como el canje, la renovación, la residencia permanente o la reposición de tarjeta. Prueba \"¿a qué hora abren?\" o /help.",
);
pub const DID_YOU_MEAN: Ui = ui(
    "I'm not sure I understood. Did you mean:",
    "No estoy seguro de haber entendido. ¿Quisiste decir:",
);
pub const GREETING: Ui = ui(
    "Hi! 👋 Ask me anything about the INM office in Mexico City: opening hours, the address, appointments, what to bring or a procedure.",
    "¡Hola! 👋 Pregúntame lo que quieras sobre la oficina del INM en la Ciudad de México: horario, dirección, citas, qué llevar o un trámite.",
);
pub const ABOUT_BOT: Ui = ui(
    "🤖 I'm a bot, not a person and not the INM itself: an automated assistant for the INM office in Mexico City (Polanco), answering from notes written from public sources. The official INM pages (gob.mx/inm) are the final word. Ask me about the hours, the address, appointments, what to bring or a procedure.",
    "🤖 Soy un bot, no una persona ni el INM: un asistente automático para la oficina del INM en la Ciudad de México (Polanco), que responde con notas escritas a partir de fuentes públicas. Las páginas oficiales del INM (gob.mx/inm) tienen la última palabra. Pregúntame por el horario, la dirección, las citas, qué llevar o un trámite.",
);
pub const THANKS: Ui = ui(
    "You're welcome! Good luck with your procedure. 🍀",
    "¡De nada! Mucha suerte con tu trámite. 🍀",
);
pub const REFERRAL_TAIL: Ui = ui(
    "For the INM office in Mexico City I can help with opening hours, the address, appointments, what to bring and procedures.",
    "Sobre la oficina del INM en la Ciudad de México te ayudo con el horario, la dirección, las citas, qué llevar y los trámites.",
);
pub const GOODBYE: Ui = ui(
    "Goodbye, and good luck! 👋 Come back whenever you need the hours, the address or a checklist.",
    "¡Hasta luego y mucha suerte! 👋 Vuelve cuando necesites el horario, la dirección o una lista de requisitos.",
);
pub const ACK: Ui = ui(
    "👍 Anything else? Ask me about the hours, what to bring or any procedure.",
    "👍 ¿Algo más? Pregúntame por el horario, qué llevar o cualquier trámite.",
);
pub const NONE_OF_THESE: Ui = ui("None of these", "Ninguna de estas");
// One fact of a procedure.
pub const FACT_UNKNOWN: Ui = ui(
    "My sources don't give the {} for this ({}). Check the official pages before you go: https://www.gob.mx/inm",
    "Mis fuentes no dan {} de este trámite ({}). Revisa las páginas oficiales antes de ir: https://www.gob.mx/inm",
);
pub const FACT_FEE: Ui = ui("fee", "el costo");
pub const FACT_DEADLINE: Ui = ui("deadline", "el plazo");
pub const FACT_DOCUMENTS: Ui = ui("document list", "la lista de documentos");
pub const FACT_FORM: Ui = ui("form", "el formato");
pub const FACT_VALIDITY: Ui = ui("validity", "la vigencia");
pub const FACT_WHO: Ui = ui("who can apply", "quién puede solicitarlo");
pub const FACT_WHERE: Ui = ui("place", "el lugar");
pub const FACT_DURATION: Ui = ui("processing time", "el tiempo que tarda");
pub const WHAT_TO_BRING: Ui = ui("What to bring ({}):", "Qué llevar ({}):");
pub const IF_DATE: Ui = ui("If that was {}:", "Si fue el {}:");
pub const DEADLINE_BY: Ui = ui("by {}.", "a más tardar el {}.");
pub const WINDOW_FROM: Ui = ui("you can apply from {}.", "puedes solicitarla desde el {}.");
pub const CHECKLIST_HEADING: Ui = ui("Checklist:", "Lista de requisitos:");

// Calendar pieces.
pub const OPEN_NOW: Ui = ui("🟢 Open now, closes at {}.", "🟢 Abierto ahora; cierra a las {}.");
pub const CLOSED_WEEKEND: Ui = ui("Closed today (weekend)", "Cerrado hoy (fin de semana)");
pub const CLOSED_CUSTOMARY: Ui = ui(
    "Closed today ({}, a customary closure: check before going)",
    "Cerrado hoy ({}, cierre habitual: confirma antes de ir)",
);
pub const CLOSED_HOLIDAY: Ui = ui("Closed today ({})", "Cerrado hoy ({})");
pub const CLOSED_TODAY: Ui = ui("Closed today", "Cerrado hoy");
pub const CLOSED_NOW: Ui = ui("Closed now", "Cerrado ahora");
pub const CLOSED_FOR_THE_DAY: Ui = ui("Closed now (closed for the day)", "Cerrado ahora (ya cerró por hoy)");
pub const OPENS: Ui = ui("🔴 {}; opens ", "🔴 {}; abre ");
pub const TODAY_AT: Ui = ui("today at {}", "hoy a las {}");
pub const TOMORROW_AT: Ui = ui("tomorrow, {}, at ", "mañana, {}, a las ");
pub const DAY_AT: Ui = ui("{} at ", "el {} a las ");
pub const RANGE_JOIN: Ui = ui(" and ", " y ");
pub const NO_CLOSURES: Ui = ui("• none in the coming year", "• ninguno en el próximo año");
pub const DATE_RANGE_TO: Ui = ui("to", "al");
pub const CUSTOMARY_MARK: Ui = ui(" (customary, check)", " (habitual, confirma)");

// The verdict for the moment a question asks about ("Saturday 28 Nov: closed…"). Texts with two
// values are filled twice, in order.
pub const V_CLOSED_WEEKDAY: Ui = ui("{}: closed (the office opens {}).", "{}: cerrado (la oficina abre {}).");
pub const V_CLOSED_HOLIDAY: Ui = ui("{}: closed, {}.", "{}: cerrado, {}.");
pub const V_CUSTOMARY: Ui = ui(
    "{}: usually closed ({}) — check before you go.",
    "{}: normalmente cerrado ({}) — confirma antes de ir.",
);
pub const V_NEXT_OPENING: Ui = ui(" Next opening: {}.", " Próxima apertura: {}.");
pub const V_OPEN_DAY: Ui = ui("{}: open, {}.", "{}: abierto, {}.");
pub const V_OPEN_AT: Ui = ui("{}: open ({}).", "{}: abierto ({}).");
pub const V_AT: Ui = ui("at {}", "a las {}");
pub const V_AFTER_CLOSING: Ui = ui(
    "{} is after closing time ({}).",
    "{} es después de la hora de cierre ({}).",
);
pub const V_BEFORE_OPENING: Ui = ui(
    "{} is before opening time ({}).",
    "{} es antes de la hora de apertura ({}).",
);
pub const V_MORNING: Ui = ui("in the morning", "por la mañana");
pub const V_AFTERNOON: Ui = ui("in the afternoon", "por la tarde");
pub const V_EVENING: Ui = ui("in the evening", "por la noche");
pub const V_EARLY: Ui = ui("early", "temprano");
pub const V_PART_OPEN_FROM: Ui = ui("{}: open from {}.", "{}: abierto desde las {}.");
pub const V_PART_OPEN_UNTIL: Ui = ui("{}: open only until {}.", "{}: abierto sólo hasta las {}.");
pub const V_PART_OPEN: Ui = ui("{}: open, {}.", "{}: abierto, {}.");
pub const V_PART_CLOSED: Ui = ui(
    "{}: closed (the office closes at {}).",
    "{}: cerrado (la oficina cierra a las {}).",
);
pub const V_OPENS_AT: Ui = ui("{}: the office opens at {}.", "{}: la oficina abre a las {}.");
pub const V_SPAN_CLOSED: Ui = ui("closed {}", "cerrado el {}");
pub const V_SPAN_CUSTOMARY: Ui = ui(
    "usually closed {} — check before you go",
    "normalmente cerrado el {} — confirma antes de ir",
);
pub const V_SPAN_OPEN_REST: Ui = ui("open the other weekdays, {}", "abierto los demás días hábiles, {}");
pub const V_SPAN_AND: Ui = ui(" and ", " y ");
pub const V_YEAR: Ui = ui(" {}", " de {}");

// Checklists.
pub const PROGRESS: Ui = ui("{} ready", "{} listos");
pub const PROGRESS_DONE: Ui = ui("{} ready: all set! 🎉", "{} listos: ¡todo listo! 🎉");
pub const OF: Ui = ui(" of ", " de ");
pub const MY_CHECKLIST: Ui = ui("📋 My checklist", "📋 Mi lista");
pub const TAP_ITEMS: Ui = ui(
    "Tap an item when you have it ready.",
    "Toca cada punto cuando lo tengas listo.",
);
pub const START_OVER: Ui = ui("↺ Start over", "↺ Empezar de nuevo");
pub const WHICH_PROCEDURE: Ui = ui("Which procedure?", "¿Qué trámite?");
pub const WHICH_PROCEDURE_NUMBER: Ui = ui("Which procedure? Type its number:", "¿Qué trámite? Escribe su número:");
pub const CHECKLISTS_PRIVATE: Ui = ui(
    "Checklists are personal: I'll open yours in a private chat.",
    "Las listas son personales: abro la tuya en un chat privado.",
);
pub const TICK_HINT: Ui = ui("   (/tick N to tick an item)", "   (/tick N para marcar un punto)");
pub const TICK_FIRST: Ui = ui(
    "Open a checklist first (/checklist), then /tick a number from it.",
    "Primero abre una lista (/checklist) y luego /tick con un número.",
);

// Language.
pub const LANGUAGE_SET: Ui = ui(
    "✅ I'll answer in English. (I still reply in the language of each question.)",
    "✅ Te responderé en español. (Igual contesto en el idioma de cada pregunta.)",
);
pub const LANGUAGE_USAGE: Ui = ui("Use /language en or /language es", "Usa /language en o /language es");
pub const LANGUAGE_CHOOSE: &str = "English or Spanish? / ¿Inglés o español?";

// Front ends.
pub const WELCOME: Ui = ui(
    "👋 Hi! I answer questions about the INM immigration office in Mexico City (Polanco): opening hours, address, appointments, what to bring and procedures. Ask in English or Spanish, in your own words, or pick a topic.",
    "👋 ¡Hola! Respondo preguntas sobre la oficina del INM en la Ciudad de México (Polanco): horario, dirección, citas, qué llevar y trámites. Pregunta en español o inglés, con tus palabras, o elige un tema.",
);
pub const HELP_INTRO: Ui = ui(
    "Ask me a question, for example \"what time do you open?\", \"how do I renew my card?\" or \"donde esta la oficina\".",
    "Hazme una pregunta, por ejemplo \"¿a qué hora abren?\", \"¿cómo renuevo mi tarjeta?\" o \"where is the office\".",
);
pub const HELP_INLINE: Ui = ui(
    "In any chat you can also type @ and my name followed by a question.",
    "En cualquier chat también puedes escribir @ y mi nombre seguido de una pregunta.",
);
pub const CONSOLE_GREETING: Ui = ui(
    "inm-bot console. Ask about the INM office in Mexico City (/help for commands, /quit to leave).",
    "Consola de inm-bot. Pregunta sobre la oficina del INM en la CDMX (/help para comandos, /quit para salir).",
);
pub const CONSOLE_INTRO: Ui = ui(
    "Ask me anything about the INM office in Mexico City, in English or Spanish.",
    "Pregúntame lo que quieras sobre la oficina del INM en la Ciudad de México, en español o inglés.",
);
pub const UNKNOWN_COMMAND: Ui = ui(
    "I don't know that command. /help lists what I can do.",
    "No conozco ese comando. /help muestra lo que puedo hacer.",
);
pub const ONLY_TEXT: Ui = ui(
    "I can only read text: type your question. 🙂",
    "Sólo leo texto: escribe tu pregunta. 🙂",
);
pub const STALE_BUTTON: Ui = ui(
    "This button is out of date. Send /start for a fresh menu.",
    "Este botón ya no es válido. Envía /start para ver el menú.",
);
pub const SOMETHING_FAILED: Ui = ui(
    "Sorry, something went wrong. Please try again.",
    "Perdón, algo falló. Inténtalo de nuevo.",
);
pub const FLOOD_NOTICE: Ui = ui(
    "You're sending messages very fast. 🙂 I'll read your next ones in a minute.",
    "Estás enviando mensajes muy rápido. 🙂 Leeré los siguientes en un minuto.",
);
pub const CHECKLISTS_UNSAVED: Ui = ui(
    "⚠️ I can't save checklists right now: your ticks are kept only until I restart. Everything else works as usual.",
    "⚠️ Ahora no puedo guardar las listas: tus marcas se conservan solo hasta que me reinicie. Todo lo demás funciona como siempre.",
);
pub const APPROXIMATE_PIN: Ui = ui(" (approximate pin)", " (ubicación aproximada)");

/// Which front ends offer a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    Both,
    Telegram,
    Console,
}

/// One command of the bot, as users see it.
#[derive(Debug, Clone, Copy)]
pub struct CommandInfo {
    pub name: &'static str,
    /// How its argument is written in help, if it takes one.
    pub arg: Option<Ui>,
    pub about: Ui,
    pub offered: Where,
}

const fn command(name: &'static str, arg: Option<Ui>, about: Ui, offered: Where) -> CommandInfo {
    CommandInfo {
        name,
        arg,
        about,
        offered,
    }
}

/// Every command, in the order menus and help list them.
pub const COMMANDS: &[CommandInfo] = &[
    command(
        "start",
        None,
        ui("Welcome and main topics", "Bienvenida y temas principales"),
        Where::Telegram,
    ),
    command(
        "hours",
        None,
        ui("Opening hours, open right now?", "Horario, ¿está abierto ahora?"),
        Where::Both,
    ),
    command("address", None, ui("Address and map", "Dirección y mapa"), Where::Both),
    command(
        "procedures",
        None,
        ui("Procedures at this office", "Trámites en esta oficina"),
        Where::Both,
    ),
    command(
        "checklist",
        Some(ui("procedure", "trámite")),
        ui("Your checklist for a procedure", "Tu lista de requisitos de un trámite"),
        Where::Both,
    ),
    command("advice", None, ui("Practical tips", "Consejos prácticos"), Where::Both),
    command(
        "language",
        Some(ui("en|es", "en|es")),
        ui("English or Spanish", "Inglés o español"),
        Where::Both,
    ),
    command(
        "tick",
        Some(ui("N", "N")),
        ui("Tick item N of the checklist shown", "Marca el punto N de la lista"),
        Where::Console,
    ),
    command("help", None, ui("What I can do", "Qué puedo hacer"), Where::Both),
    command("quit", None, ui("Leave", "Salir"), Where::Console),
];

/// The commands one front end offers.
pub fn commands(front: Where) -> impl Iterator<Item = &'static CommandInfo> {
    COMMANDS
        .iter()
        .filter(move |c| c.offered == Where::Both || c.offered == front)
}

/// The help text of a front end: an introduction, then one line per command.
pub fn help(front: Where, lang: Lang) -> String {
    let intro = match front {
        Where::Console => CONSOLE_INTRO,
        _ => HELP_INTRO,
    };
    let mut out = intro.get(lang).to_string();
    out.push('\n');
    for c in commands(front).filter(|c| c.name != "start" && c.name != "help") {
        out.push('\n');
        out.push('/');
        out.push_str(c.name);
        if let Some(arg) = c.arg {
            out.push(' ');
            out.push_str(arg.get(lang));
        }
        out.push_str(": ");
        out.push_str(c.about.get(lang));
    }
    if front == Where::Telegram {
        out.push_str("\n\n");
        out.push_str(HELP_INLINE.get(lang));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_lists_every_command_of_its_front_end() {
        let tg = help(Where::Telegram, Lang::En);
        assert!(tg.contains("/hours: Opening hours"), "{tg}");
        assert!(!tg.contains("/tick"), "{tg}");
        let console = help(Where::Console, Lang::Es);
        assert!(console.contains("/tick N: Marca"), "{console}");
        assert!(console.contains("/quit"), "{console}");
    }

    #[test]
    fn fill_puts_the_value_in_place() {
        assert_eq!(fill(OPEN_NOW.en, "15:00"), "🟢 Open now, closes at 15:00.");
    }
}
