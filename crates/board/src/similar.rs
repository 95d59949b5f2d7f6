//! Near-duplicate notes: notes that say the same in other words, found
//! locally so that a facilitator can merge them.
//!
//! A note's text is reduced to word stems, German first: lower case, umlauts
//! folded (`ä` → `ae`, `ß` → `ss`, so "Prüfung" and "Pruefung" agree),
//! punctuation dropped, German and English stopwords dropped, and common
//! German suffixes cut off ("Schnittstellen" and "Schnittstelle" both become
//! `schnittstell`, "fehlende" and "fehlt" both `fehl`). Two notes are similar
//! when the mean of the Jaccard index of their stem sets and of the character
//! trigrams of their stems reaches [`THRESHOLD`]; the trigrams catch typos and
//! compounds. Similarity is transitive here: the groups are the connected
//! parts of the "similar" relation.
//!
//! Only pairs that share a stem, a stem's first letters or their whole stem
//! set are compared, so a board of 10,000 notes is checked in well under a
//! second (`cargo run --release -p stellwand-board --example near_duplicates`).

use std::collections::HashMap;

use crate::{Board, ItemId, ItemKind};

/// Lowest similarity (0 to 1) at which two notes count as near-duplicates.
pub const THRESHOLD: f64 = 0.5;

/// Keys shared by more notes than this are not used to find candidates
/// (words almost every note contains); whole stem sets always are.
const MAX_POSTING: usize = 400;

/// Length of the stem prefix that finds compounds and typos as candidates.
const PREFIX_CHARS: usize = 5;

/// Shortest stem a suffix may leave.
const MIN_STEM_CHARS: usize = 4;

/// Words that say nothing about a note's subject (after umlaut folding).
const STOPWORDS: &[&str] = &[
    // German
    "aber", "alle", "allen", "aller", "alles", "als", "also", "am", "an", "auch", "auf", "aus",
    "bei", "beim", "bin", "bis", "bzw", "da", "damit", "dann", "das", "dass", "dem", "den", "denn",
    "der", "des", "dem", "die", "dies", "diese", "diesem", "diesen", "dieser", "dieses", "doch",
    "dort", "du", "durch", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "etc",
    "etwas", "euch", "fuer", "gegen", "gibt", "hat", "hatte", "haben", "hier", "ich", "ihr",
    "ihre", "im", "immer", "in", "ins", "ist", "ja", "je", "jede", "jeder", "kann", "kein",
    "keine", "keinen", "keiner", "man", "mehr", "mit", "muss", "muessen", "nach", "nicht", "noch",
    "nur", "ob", "oder", "ohne", "sehr", "sein", "seine", "sich", "sie", "sind", "so", "soll",
    "sollen", "sollte", "ueber", "um", "und", "uns", "unser", "unsere", "unter", "viel", "viele",
    "vom", "von", "vor", "war", "waren", "was", "weil", "wenn", "wer", "werden", "wie", "wir",
    "wird", "wo", "wurde", "wurden", "zu", "zum", "zur", "zwischen", "zb", "ua",
    // English
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "is", "of", "on",
    "or", "our", "the", "this", "that", "to", "was", "we", "with", "not", "no",
];

/// German (and a few English) endings cut off a word, longest first.
const SUFFIXES: &[&str] = &[
    "ungen", "heiten", "keiten", "ende", "heit", "keit", "ing", "ung", "end", "ern", "em", "en",
    "er", "es", "et", "e", "n", "s", "t",
];

/// The stems of a note's text, sorted and without repeats.
pub fn stems(text: &str) -> Vec<String> {
    let mut folded = String::with_capacity(text.len() + 8);
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => folded.push_str("ae"),
            'ö' => folded.push_str("oe"),
            'ü' => folded.push_str("ue"),
            'ß' => folded.push_str("ss"),
            c if c.is_alphanumeric() => folded.push(c),
            _ => folded.push(' '),
        }
    }
    let mut stems: Vec<String> = folded
        .split_whitespace()
        .filter(|w| w.chars().count() >= 2 && !STOPWORDS.contains(w))
        .map(stem)
        .collect();
    stems.sort();
    stems.dedup();
    stems
}

/// Cuts common endings off a folded, lower-case word until none fits.
fn stem(word: &str) -> String {
    let mut word = word;
    loop {
        let cut = SUFFIXES.iter().find_map(|suffix| {
            let rest = word.strip_suffix(suffix)?;
            (rest.chars().count() >= MIN_STEM_CHARS).then_some(rest)
        });
        match cut {
            Some(rest) => word = rest,
            None => return word.to_owned(),
        }
    }
}

/// A note reduced for comparing.
struct Fingerprint {
    /// Interned stems, sorted.
    stems: Vec<u32>,
    /// Hashed character trigrams of the stems, sorted.
    trigrams: Vec<u64>,
}

fn trigrams(stems: &[String]) -> Vec<u64> {
    let mut grams = Vec::new();
    for stem in stems {
        let chars: Vec<char> = std::iter::once(' ')
            .chain(stem.chars())
            .chain(std::iter::once(' '))
            .collect();
        for window in chars.windows(3) {
            let gram = window
                .iter()
                .fold(0u64, |acc, c| (acc << 21) | u64::from(*c));
            grams.push(gram);
        }
    }
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Size of the intersection of two sorted, repeat-free slices.
fn common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let both = common(a, b);
    let either = a.len() + b.len() - both;
    if either == 0 {
        0.0
    } else {
        both as f64 / either as f64
    }
}

fn score(a: &Fingerprint, b: &Fingerprint) -> f64 {
    (jaccard(&a.stems, &b.stems) + jaccard(&a.trigrams, &b.trigrams)) / 2.0
}

/// Whether two notes reach [`THRESHOLD`]; the trigram sets are only
/// compared when their sizes leave a chance (their Jaccard index is at most
/// the smaller size over the larger).
fn similar_enough(a: &Fingerprint, b: &Fingerprint) -> bool {
    let words = jaccard(&a.stems, &b.stems);
    let (x, y) = (a.trigrams.len(), b.trigrams.len());
    let most = x.min(y) as f64 / x.max(y).max(1) as f64;
    if (words + most) / 2.0 < THRESHOLD {
        return false;
    }
    (words + jaccard(&a.trigrams, &b.trigrams)) / 2.0 >= THRESHOLD
}

/// How similar two texts are, from 0 (nothing in common) to 1 (the same
/// stems); texts without any stem are similar to nothing.
pub fn similarity(a: &str, b: &str) -> f64 {
    let mut interner = HashMap::new();
    let a = fingerprint(&mut interner, a);
    let b = fingerprint(&mut interner, b);
    if a.stems.is_empty() || b.stems.is_empty() {
        return 0.0;
    }
    score(&a, &b)
}

fn fingerprint(interner: &mut HashMap<String, u32>, text: &str) -> Fingerprint {
    let words = stems(text);
    let trigrams = trigrams(&words);
    let mut ids: Vec<u32> = words
        .into_iter()
        .map(|w| {
            let next = interner.len() as u32;
            *interner.entry(w).or_insert(next)
        })
        .collect();
    ids.sort_unstable();
    Fingerprint {
        stems: ids,
        trigrams,
    }
}

/// Groups of near-duplicate texts: each group holds two or more ids, in the
/// order they were given; groups are ordered by their first member. Texts
/// without any word that counts (empty, only stopwords) are in no group.
pub fn near_duplicates<'a>(notes: impl IntoIterator<Item = (ItemId, &'a str)>) -> Vec<Vec<ItemId>> {
    let mut interner: HashMap<String, u32> = HashMap::new();
    let mut ids = Vec::new();
    let mut prints = Vec::new();
    for (id, text) in notes {
        let print = fingerprint(&mut interner, text);
        if !print.stems.is_empty() {
            ids.push(id);
            prints.push(print);
        }
    }

    // Candidate keys: each stem, its first letters, and the whole stem set.
    let mut keys: HashMap<String, Vec<u32>> = HashMap::new();
    let mut whole: HashMap<Vec<u32>, Vec<u32>> = HashMap::new();
    let names: HashMap<u32, &str> = interner.iter().map(|(w, i)| (*i, w.as_str())).collect();
    for (index, print) in prints.iter().enumerate() {
        let index = index as u32;
        let mut own: Vec<String> = Vec::with_capacity(print.stems.len() * 2);
        for stem in &print.stems {
            let word = names.get(stem).copied().unwrap_or_default();
            own.push(format!("={word}"));
            if word.chars().count() >= PREFIX_CHARS {
                own.push(format!(
                    "<{}",
                    word.chars().take(PREFIX_CHARS).collect::<String>()
                ));
            }
        }
        own.sort_unstable();
        own.dedup();
        for key in own {
            keys.entry(key).or_default().push(index);
        }
        whole.entry(print.stems.clone()).or_default().push(index);
    }

    let mut groups = Groups::new(prints.len());
    for members in whole.values() {
        for pair in members.windows(2) {
            groups.join(pair[0] as usize, pair[1] as usize);
        }
    }
    let mut seen: Vec<u32> = vec![u32::MAX; prints.len()];
    let mut postings: Vec<&Vec<u32>> = keys.values().filter(|p| p.len() > 1).collect();
    postings.retain(|p| p.len() <= MAX_POSTING);
    let mut by_note: Vec<Vec<u32>> = vec![Vec::new(); prints.len()];
    for (key, posting) in postings.iter().enumerate() {
        for note in posting.iter() {
            by_note[*note as usize].push(key as u32);
        }
    }
    for (a, note_keys) in by_note.iter().enumerate() {
        for key in note_keys {
            for &b in postings[*key as usize].iter() {
                let b = b as usize;
                if b <= a || seen[b] == a as u32 {
                    continue;
                }
                seen[b] = a as u32;
                if groups.same(a, b) {
                    continue;
                }
                if similar_enough(&prints[a], &prints[b]) {
                    groups.join(a, b);
                }
            }
        }
    }

    let mut by_root: HashMap<usize, Vec<ItemId>> = HashMap::new();
    let mut order = Vec::new();
    for (index, id) in ids.iter().enumerate() {
        let root = groups.root(index);
        let members = by_root.entry(root).or_default();
        if members.is_empty() {
            order.push(root);
        }
        members.push(*id);
    }
    order
        .into_iter()
        .filter_map(|root| by_root.remove(&root))
        .filter(|members| members.len() >= 2)
        .collect()
}

/// Union-find over note indexes.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(len: usize) -> Self {
        Groups {
            parent: (0..len).collect(),
        }
    }

    fn root(&mut self, mut index: usize) -> usize {
        while self.parent[index] != index {
            self.parent[index] = self.parent[self.parent[index]];
            index = self.parent[index];
        }
        index
    }

    fn same(&mut self, a: usize, b: usize) -> bool {
        self.root(a) == self.root(b)
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.root(a), self.root(b));
        if a != b {
            self.parent[a.max(b)] = a.min(b);
        }
    }
}

impl Board {
    /// Groups of near-duplicate notes on this board (see the module
    /// documentation), oldest note first in each group.
    pub fn near_duplicates(&self) -> Vec<Vec<ItemId>> {
        let mut notes: Vec<_> = self
            .items()
            .into_iter()
            .filter(|i| i.kind == ItemKind::Note)
            .collect();
        notes.sort_by(|a, b| a.created.cmp(&b.created).then(a.id.cmp(&b.id)));
        near_duplicates(notes.iter().map(|n| (n.id, n.text.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn similar(a: &str, b: &str) -> bool {
        let ids = [ItemId::new(), ItemId::new()];
        let groups = near_duplicates([(ids[0], a), (ids[1], b)]);
        let found = groups.len() == 1;
        assert_eq!(
            found,
            similarity(a, b) >= THRESHOLD,
            "{a:?} / {b:?}: {}",
            similarity(a, b)
        );
        found
    }

    #[test]
    fn umlauts_and_their_spelled_out_forms_agree() {
        assert_eq!(stems("Prüfung"), stems("Pruefung"));
        assert_eq!(stems("Prüfungen"), stems("PRUEFUNG"));
        assert_eq!(stems("Straße"), stems("Strasse"));
        assert_eq!(stems("Größe"), stems("GROESSE"));
    }

    #[test]
    fn german_endings_are_cut_to_the_same_stem() {
        assert_eq!(stems("Schnittstellen"), stems("Schnittstelle"));
        assert_eq!(stems("fehlende"), stems("fehlt"));
        assert_eq!(stems("fehlen"), stems("Fehlender"));
        assert_eq!(stems("Mitarbeitende"), stems("Mitarbeiter"));
        assert_eq!(stems("Möglichkeiten"), stems("Möglichkeit"));
        assert_eq!(stems("Digitalisierung"), stems("digitalisieren"));
        // Short words keep enough letters to stay apart.
        assert_eq!(stems("Akten"), vec!["akte".to_owned()]);
        assert_ne!(stems("Daten"), stems("Datum"));
        assert_ne!(stems("Rat"), stems("Rate"));
    }

    #[test]
    fn stopwords_and_punctuation_do_not_count() {
        assert_eq!(
            stems("Die Schnittstelle zu den Fachverfahren, bitte!"),
            stems("Schnittstelle Fachverfahren bitte")
        );
        assert!(stems("und oder aber ... !!!").is_empty());
        // "IT" is a subject in German workshops, not the English pronoun.
        assert_eq!(stems("mehr IT"), vec!["it".to_owned()]);
    }

    #[test]
    fn the_same_concern_in_other_words_is_found() {
        assert!(similar(
            "Fehlende Schnittstellen zwischen Fachverfahren",
            "Schnittstelle zu den Fachverfahren fehlt"
        ));
        assert!(similar(
            "Prüfung dauert zu lange",
            "Pruefung dauert zu lange!"
        ));
        assert!(similar(
            "Zu wenig Personal in der IT",
            "Personal in der IT fehlt – zu wenig"
        ));
        assert!(similar(
            "Medienbrüche bei der Antragsbearbeitung",
            "Medienbrueche in der Antragsbearbeitung"
        ));
        assert!(similar(
            "Schulungen für Mitarbeitende",
            "Schulung der Mitarbeiter"
        ));
        assert!(similar("E-Akte einführen", "Einführung der E-Akte"));
        assert!(similar("Schnittstellen fehlen", "Fehlende Schnitstellen"));
    }

    #[test]
    fn different_concerns_are_not_merged() {
        assert!(!similar(
            "Fehlende Schnittstellen zwischen Fachverfahren",
            "Fachverfahren sind veraltet"
        ));
        assert!(!similar(
            "Mehr Personal für die IT",
            "Mehr Budget für die IT"
        ));
        assert!(!similar(
            "Datenschutz klären",
            "Datenschutz ist geklärt, Betrieb offen"
        ));
        assert!(!similar("Daten fehlen", "Datum fehlt"));
        assert!(!similar("Prüfung der Anträge", "Genehmigung der Anträge"));
        assert!(!similar(
            "Schnittstelle zum Meldewesen",
            "Schnittstelle zur Kasse"
        ));
        assert!(!similar("und oder", "und oder"));
        assert!(!similar("", ""));
    }

    #[test]
    fn groups_are_connected_notes_in_the_order_given() {
        let ids: Vec<ItemId> = (0..6).map(|_| ItemId::new()).collect();
        let texts = [
            "Fehlende Schnittstellen zwischen Fachverfahren",
            "Budget für Fortbildung",
            "Schnittstelle zu den Fachverfahren fehlt",
            "Fortbildungsbudget",
            "Budget für Fortbildungen",
            "Fachverfahren: Schnittstellen fehlen",
        ];
        let groups = near_duplicates(ids.iter().copied().zip(texts));
        assert_eq!(
            groups,
            vec![vec![ids[0], ids[2], ids[5]], vec![ids[1], ids[4]]]
        );
    }

    #[test]
    fn identical_notes_are_found_even_when_every_note_shares_a_word() {
        let ids: Vec<ItemId> = (0..1000).map(|_| ItemId::new()).collect();
        let texts: Vec<String> = (0..1000)
            .map(|i| match i {
                10 | 900 => "Digitalisierung".to_owned(),
                _ => format!("Digitalisierung Thema{i} Punkt{}", i * 7),
            })
            .collect();
        let groups = near_duplicates(ids.iter().copied().zip(texts.iter().map(String::as_str)));
        assert!(groups.contains(&vec![ids[10], ids[900]]), "{groups:?}");
    }
}
