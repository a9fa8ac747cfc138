use inm_bot::{Engine, eval};
fn main() {
    let engine = Engine::embedded().unwrap_or_else(|e| { eprintln!("{e}"); std::process::exit(1) });
    let arg = std::env::args().nth(1).unwrap();
    if arg == "x" {
        let q = std::env::args().nth(2).unwrap();
        let (_, t) = engine.matcher.explain(&q, None, &engine.kb);
        for l in t { println!("{l}"); }
        return;
    }
    if arg == "dist" {
        let text = std::fs::read_to_string(std::env::args().nth(2).unwrap()).unwrap();
        for c in eval::parse(&text).unwrap() {
            let m = engine.matcher.find(&c.question, None);
            let best = m.best.map(|b| engine.topic_id(b.topic).to_string()).unwrap_or_default();
            let second = m.runner_ups.first().map(|b| format!("{} {:.2}", engine.topic_id(b.topic), b.score)).unwrap_or_default();
            println!("{:.2}\t{:?}\t{}\t{}\t{}\t{}", m.score(), m.confidence, c.expected.as_deref().unwrap_or("none"), best, second, c.question);
        }
        return;
    }
    let text = std::fs::read_to_string(arg).unwrap();
    let cases = eval::parse(&text).unwrap();
    print!("{}", eval::format_report(&eval::run(&engine, &cases)));
}
