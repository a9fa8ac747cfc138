//! Benchmarks: the time to answer one question through the decision every front end uses, and
//! to match one (over the evaluation questions), to answer one that names a date, and the
//! time to load, validate and index the built-in knowledge base.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use inm_bot::eval;

fn questions() -> Vec<String> {
    let dev = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/questions.tsv");
    let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/more_questions.tsv");
    let mut qs = Vec::new();
    for f in [dev, own] {
        if let Ok(text) = std::fs::read_to_string(&f) {
            qs.extend(
                eval::parse(&text)
                    .expect("questions file")
                    .into_iter()
                    .map(|c| c.question),
            );
        }
    }
    assert!(!qs.is_empty(), "no questions found");
    qs
}

fn bench(c: &mut Criterion) {
    let engine = inm_bot::load(None).expect("built-in knowledge base");
    let qs = questions();
    let mut i = 0;
    let ctx = inm_bot::Context::new(None, chrono::Utc::now());
    c.bench_function("answer one question", |b| {
        b.iter(|| {
            i = (i + 1) % qs.len();
            black_box(engine.answer(black_box(&qs[i]), &ctx))
        })
    });
    // The questions of our own development conversations: nearly all name a day or a time.
    let dated: Vec<String> =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/conversations.jsonl"))
            .ok()
            .and_then(|t| inm_bot::conversations::parse(&t).ok())
            .map(|cs| cs.into_iter().flat_map(|c| c.turns).map(|t| t.text).collect())
            .unwrap_or_else(|| {
                vec![
                    "is it open this Saturday?".to_string(),
                    "¿puedo ir a las 4 de la tarde?".to_string(),
                ]
            });
    let mut j = 0;
    c.bench_function("answer one question with a date", |b| {
        b.iter(|| {
            j = (j + 1) % dated.len();
            black_box(engine.answer(black_box(&dated[j]), &ctx))
        })
    });
    c.bench_function("match one question (matcher only)", |b| {
        b.iter(|| {
            i = (i + 1) % qs.len();
            black_box(engine.matcher.find(black_box(&qs[i]), None))
        })
    });
    c.bench_function("load and index the knowledge base", |b| {
        b.iter(|| black_box(inm_bot::load(None).expect("valid")))
    });
    let kb = inm_bot::knowledge::load_embedded().unwrap();
    c.bench_function("index only (matcher build)", |b| {
        b.iter(|| black_box(inm_bot::matching::Matcher::new(&kb)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
