use inm_bot::{Engine, eval};
fn main() {
    let engine = Engine::embedded().unwrap_or_else(|e| { eprintln!("{e}"); std::process::exit(1) });
    let text = std::fs::read_to_string(std::env::args().nth(1).unwrap()).unwrap();
    let cases = eval::parse(&text).unwrap();
    print!("{}", eval::format_report(&eval::run(&engine, &cases)));
}
