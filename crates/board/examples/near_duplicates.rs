//! How long finding near-duplicate notes takes for 1,000 and 10,000 notes
//! of workshop-like text (run with `--release`).

use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use stellwand_board::similar::near_duplicates;
use stellwand_board::ItemId;

const WORDS: &[&str] = &[
    "Schnittstelle",
    "Fachverfahren",
    "fehlt",
    "fehlende",
    "Personal",
    "Budget",
    "Fortbildung",
    "Prüfung",
    "Antrag",
    "Anträge",
    "Bearbeitung",
    "dauert",
    "lange",
    "Medienbruch",
    "E-Akte",
    "Datenschutz",
    "klären",
    "Zuständigkeit",
    "unklar",
    "Kommunikation",
    "Abstimmung",
    "Verwaltung",
    "Bürger",
    "Portal",
    "Online",
    "Formular",
    "Papier",
    "Drucker",
    "Software",
    "Lizenz",
    "Kosten",
    "Server",
    "Ausfall",
    "Netzwerk",
    "langsam",
    "Support",
    "Hotline",
    "Schulung",
    "Mitarbeitende",
    "Führung",
    "Entscheidung",
    "Prozess",
    "Dokumentation",
    "Vorlage",
    "Termin",
    "Sitzung",
    "Protokoll",
    "Beschluss",
    "Aufgabe",
    "Verantwortung",
];

/// Second parts of compounds ("Schnittstellenamtliste").
const PARTS: &[&str] = &["amt", "plan", "team", "liste", "frist", "stelle", "portal"];

fn main() {
    let seed: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(7);
    println!("seed {seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    // A small vocabulary (every word in many notes) and a wide one (2,450
    // words: each base word in 49 compounds, as German notes have).
    for (vocabulary, wide) in [("50 words", false), ("2,450 words", true)] {
        for count in [1_000usize, 10_000] {
            run(&mut rng, vocabulary, wide, count);
        }
    }
}

fn run(rng: &mut StdRng, vocabulary: &str, wide: bool, count: usize) {
    {
        let notes: Vec<(ItemId, String)> = (0..count)
            .map(|i| {
                let words = rng.random_range(2..8);
                let mut text: Vec<String> = (0..words)
                    .filter_map(|_| {
                        let word = WORDS.choose(rng)?;
                        Some(if wide {
                            let a = rng.random_range(0..PARTS.len());
                            let b = rng.random_range(0..PARTS.len());
                            format!("{word}{}{}", PARTS[a], PARTS[b])
                        } else {
                            (*word).to_owned()
                        })
                    })
                    .collect();
                // Some free text of each note's own, as real notes have.
                text.push(format!("Punkt{}", i % 500));
                (ItemId::new(), text.join(" "))
            })
            .collect();
        let started = Instant::now();
        let groups = near_duplicates(notes.iter().map(|(id, t)| (*id, t.as_str())));
        let elapsed = started.elapsed();
        let grouped: usize = groups.iter().map(Vec::len).sum();
        println!(
            "{vocabulary:>12}, {count:>6} notes: {:>8.1} ms, {} groups, {grouped} notes in groups",
            elapsed.as_secs_f64() * 1000.0,
            groups.len()
        );
    }
}
