//! The demo library: four AG folders and a realistic workshop board.

use anyhow::Result;
use stellwand_board::{Author, ItemId, ItemKind, NewItem};
use stellwand_library::BoardSession;
use stellwand_store::{BoardFilter, Library};

/// Title of the demo workshop board.
pub const WORKSHOP_TITLE: &str = "AG Technik – Sitzung 3: Digitale Antragsverfahren";

const FOLDERS: &[&str] = &[
    "AG Strategie",
    "AG Technik",
    "AG Recht & Datenschutz",
    "AG Organisation & Personal",
];

/// A note of the demo: text, who wrote it, tags.
type DemoNote = (&'static str, &'static str, &'static [&'static str]);

/// (frame title, colour of its notes, notes)
const SECTIONS: &[(&str, &str, &[DemoNote])] = &[
    (
        "Hemmnisse",
        "pink",
        &[
            (
                "Fachverfahren haben keine offenen Schnittstellen",
                "Kerstin Vogel (Landkreis Nordheide)",
                &["Technik"],
            ),
            (
                "Medienbrüche: Anträge kommen digital, werden aber ausgedruckt",
                "Jörg Albers (Stadt Lindau)",
                &["Prozess"],
            ),
            (
                "Unklare Zuständigkeit zwischen Land und Kommune beim OZG-Betrieb",
                "Sabine Kühn (Gemeinde Oberweiler)",
                &["Organisation"],
            ),
            (
                "Zu wenig IT-Personal in kleinen Gemeinden",
                "Mehmet Yıldız (Amt Seeland)",
                &["Personal"],
            ),
            (
                "Elektronische Akte nicht überall eingeführt",
                "Kerstin Vogel (Landkreis Nordheide)",
                &["Technik"],
            ),
            (
                "Schriftformerfordernisse in Satzungen",
                "Dr. Ulrike Brandt (Stadt Lindau)",
                &["Recht"],
            ),
            (
                "Bezahlfunktion (ePayBL) fehlt in vielen Diensten",
                "Jörg Albers (Stadt Lindau)",
                &["Technik"],
            ),
            (
                "Bürgerinnen finden die Online-Dienste nicht",
                "Sabine Kühn (Gemeinde Oberweiler)",
                &["Kommunikation"],
            ),
            (
                "Datenschutz-Folgenabschätzung dauert Monate",
                "Dr. Ulrike Brandt (Stadt Lindau)",
                &["Recht", "Datenschutz"],
            ),
            (
                "Keine gemeinsame Testumgebung",
                "Mehmet Yıldız (Amt Seeland)",
                &["Technik"],
            ),
            (
                "Förderlogik belohnt Einzellösungen statt „Einer für Alle“",
                "Thomas Becker (Landesprogramm)",
                &["Strategie"],
            ),
            (
                "Wissen hängt an einzelnen Personen",
                "Anna Schmidt (Moderation)",
                &["Personal"],
            ),
        ],
    ),
    (
        "Lösungsansätze",
        "green",
        &[
            (
                "Landesweiter Schnittstellen-Katalog (XÖV-Standards zuerst)",
                "Kerstin Vogel (Landkreis Nordheide)",
                &["Technik"],
            ),
            (
                "Musterprozesse für die 10 häufigsten Anträge",
                "Jörg Albers (Stadt Lindau)",
                &["Prozess"],
            ),
            (
                "Interkommunale IT-Kooperation: ein Team für mehrere Ämter",
                "Mehmet Yıldız (Amt Seeland)",
                &["Organisation", "Personal"],
            ),
            (
                "Mustersatzung ohne Schriftform, abgestimmt mit dem Innenministerium",
                "Dr. Ulrike Brandt (Stadt Lindau)",
                &["Recht"],
            ),
            (
                "Zentrale Test- und Abnahmeumgebung beim Landesrechenzentrum",
                "Kerstin Vogel (Landkreis Nordheide)",
                &["Technik"],
            ),
            (
                "ePayBL als Basisdienst für alle Kommunen",
                "Thomas Becker (Landesprogramm)",
                &["Technik"],
            ),
            (
                "Vorlage DSFA für EfA-Dienste nachnutzen",
                "Dr. Ulrike Brandt (Stadt Lindau)",
                &["Datenschutz"],
            ),
            (
                "Kampagne „Amt online“ mit Plakaten im Bürgerbüro",
                "Sabine Kühn (Gemeinde Oberweiler)",
                &["Kommunikation"],
            ),
            (
                "Schulungsreihe für Sachbearbeitung: digitale Akte im Alltag",
                "Anna Schmidt (Moderation)",
                &["Personal"],
            ),
            (
                "Wiki der AGs: Ergebnisse und Ansprechpartner",
                "Mehmet Yıldız (Amt Seeland)",
                &["Organisation"],
            ),
            (
                "Fördermittel an Nachnutzbarkeit knüpfen",
                "Thomas Becker (Landesprogramm)",
                &["Strategie"],
            ),
            (
                "Pilotkommunen je Landkreis benennen",
                "Jörg Albers (Stadt Lindau)",
                &["Organisation"],
            ),
        ],
    ),
    (
        "Nächste Schritte",
        "yellow",
        &[
            (
                "Schnittstellen-Umfrage an alle 51 Kommunen – bis 15.01. (Frau Vogel)",
                "Kerstin Vogel (Landkreis Nordheide)",
                &["Aufgabe"],
            ),
            (
                "Entwurf Mustersatzung in AG Recht vorstellen – Sitzung 4 (Dr. Brandt)",
                "Dr. Ulrike Brandt (Stadt Lindau)",
                &["Aufgabe"],
            ),
            (
                "Gespräch mit Landesrechenzentrum zur Testumgebung (Herr Becker)",
                "Thomas Becker (Landesprogramm)",
                &["Aufgabe"],
            ),
            (
                "Pilotkommunen für Musterprozesse sammeln (Herr Albers)",
                "Jörg Albers (Stadt Lindau)",
                &["Aufgabe"],
            ),
            (
                "Schulungsbedarf in AG Organisation abfragen (Herr Yıldız)",
                "Mehmet Yıldız (Amt Seeland)",
                &["Aufgabe"],
            ),
            (
                "Ergebnisprotokoll bis Freitag verschicken (Moderation)",
                "Anna Schmidt (Moderation)",
                &["Aufgabe"],
            ),
        ],
    ),
    (
        "Parkplatz",
        "blue",
        &[
            (
                "KI-Assistent für Antragsprüfung? → AG Strategie",
                "Sabine Kühn (Gemeinde Oberweiler)",
                &["Strategie"],
            ),
            (
                "Barrierefreiheit der Formulare prüfen (BITV 2.0)",
                "Anna Schmidt (Moderation)",
                &["Recht"],
            ),
            (
                "Open Source bei Neubeschaffungen bevorzugen?",
                "Mehmet Yıldız (Amt Seeland)",
                &["Strategie"],
            ),
            (
                "Wie messen wir Nutzung der Online-Dienste?",
                "Thomas Becker (Landesprogramm)",
                &["Strategie"],
            ),
        ],
    ),
];

/// Creates the demo folders and boards. Returns the workshop board's id, or
/// `None` if a board with its title exists already.
///
/// # Errors
/// Database errors.
pub fn create(library: &Library, author: &Author, now: i64) -> Result<Option<String>> {
    let existing = library.list_boards(&BoardFilter::everything())?;
    if existing.iter().any(|b| b.title == WORKSHOP_TITLE) {
        return Ok(None);
    }
    let mut folders = Vec::new();
    for name in FOLDERS {
        let folder = match library.folder_by_name(name)? {
            Some(folder) => folder,
            None => library.create_folder(name, now)?,
        };
        folders.push(folder.id);
    }
    let (meta, mut session) = BoardSession::create(
        library,
        WORKSHOP_TITLE,
        Some(folders[1]),
        author.clone(),
        now,
    )?;
    session.edit(library, now, |e| {
        let mut frame_notes: Vec<Vec<ItemId>> = Vec::new();
        let title = e.create(
            NewItem::new(
                ItemKind::Label,
                0.0,
                -140.0,
                "Digitale Antragsverfahren: Was hält uns auf, was hilft?",
            )
            .with_size(1400.0, 60.0),
        )?;
        let _ = title;
        for (index, (frame_title, color, notes)) in SECTIONS.iter().enumerate() {
            let rows = notes.len().div_ceil(3);
            let frame_x = (index as f64) * 820.0;
            let frame_h = 120.0 + rows as f64 * 190.0;
            let frame = e.create(NewItem::frame(frame_x, 0.0, 760.0, frame_h, *frame_title))?;
            let mut ids = Vec::new();
            for (n, (text, who, tags)) in notes.iter().enumerate() {
                let x = frame_x + 30.0 + (n % 3) as f64 * 240.0;
                let y = 90.0 + (n / 3) as f64 * 190.0;
                let id = e.create(
                    NewItem::note(x, y, *text)
                        .with_color(*color)
                        .with_tags(tags.iter().copied())
                        .in_frame(frame),
                )?;
                ids.push(id);
                // Notes carry the workshop participant who wrote them.
                e.set_author(id, who, "")?;
            }
            frame_notes.push(ids);
        }
        let links = [
            (0, 0, 1, 0, "Standards"),
            (0, 3, 1, 2, "Kooperation"),
            (0, 5, 1, 3, ""),
            (0, 9, 1, 4, ""),
            (1, 0, 2, 0, "Umfrage"),
            (1, 3, 2, 1, ""),
        ];
        for (fa, na, fb, nb, label) in links {
            e.create(NewItem::connector(
                frame_notes[fa][na],
                frame_notes[fb][nb],
                label,
            ))?;
        }
        Ok(())
    })?;
    let (_, mut strategy) = BoardSession::create(
        library,
        "AG Strategie – Leitbild 2030",
        Some(folders[0]),
        author.clone(),
        now,
    )?;
    strategy.edit(library, now, |e| {
        let frame = e.create(NewItem::frame(0.0, 0.0, 760.0, 500.0, "Leitbild-Entwurf"))?;
        for (n, text) in [
            "Digital zuerst, aber niemand wird zurückgelassen",
            "Einer für Alle: nachnutzen statt neu bauen",
            "Offene Standards und Schnittstellen",
        ]
        .iter()
        .enumerate()
        {
            e.create(NewItem::note(30.0 + n as f64 * 240.0, 90.0, *text).in_frame(frame))?;
        }
        Ok(())
    })?;
    let (_, law) = BoardSession::create(
        library,
        "AG Recht – Schriftform",
        Some(folders[2]),
        author.clone(),
        now,
    )?;
    // The start screen shows these pictures.
    for board in [&session, &strategy, &law] {
        board.store_preview(library, now)?;
    }
    Ok(Some(meta.id.to_string()))
}
