//! Presence: who is on a board, where their pointer is and what they
//! selected, as Stellwand and y-websocket apps publish it in the awareness
//! protocol (`{"user":{"name","color"},"cursor":{"x","y"},"selection":[..]}`).
//!
//! [`Presence`] is what this user publishes, [`Participant`] is another
//! person as a board shows them. Both are read and written only here, so the
//! desktop, the CLI and a browser host agree on one shape; reading a peer's
//! state is total: anything malformed is dropped or defaulted.

use serde::{Deserialize, Serialize};

/// Longest display name shown or sent, in characters.
pub const MAX_NAME_CHARS: usize = 60;
/// Selected items announced to others: a presence state above the server's
/// 64 KiB cap would be dropped, and the pointer would stop moving for them.
pub const MAX_SHARED_SELECTION: usize = 200;
/// Longest item id kept in a selection.
const MAX_SELECTED_ID_LEN: usize = 64;
/// Most selected ids read from a peer's state.
const MAX_READ_SELECTION: usize = 500;
/// Shown for a peer whose colour is missing or not `#rrggbb`.
const FALLBACK_COLOR: &str = "#607d8b";

/// A board position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    fn finite(self) -> Option<Self> {
        (self.x.is_finite() && self.y.is_finite()).then_some(self)
    }
}

/// The user part of a presence state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresenceUser {
    pub name: String,
    pub color: String,
}

/// What this user publishes about themselves on a board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Presence {
    pub user: PresenceUser,
    pub cursor: Option<Point>,
    pub selection: Vec<String>,
}

impl Presence {
    /// The presence of the user `id` called `name`: the name clipped, a
    /// colour stable for the id, a finite pointer, and at most
    /// [`MAX_SHARED_SELECTION`] selected ids, so the state always fits the
    /// server's cap.
    #[must_use]
    pub fn of(id: &str, name: &str, cursor: Option<Point>, selection: &[String]) -> Self {
        Presence {
            user: PresenceUser {
                name: name.chars().take(MAX_NAME_CHARS).collect(),
                color: user_color(id).to_owned(),
            },
            cursor: cursor.and_then(Point::finite),
            selection: selection
                .iter()
                .take(MAX_SHARED_SELECTION)
                .map(|id| clip_id(id).to_owned())
                .collect(),
        }
    }

    /// The awareness state (JSON text).
    #[must_use]
    pub fn to_state(&self) -> String {
        // A struct of strings, numbers and vectors always serializes.
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}

fn clip_id(id: &str) -> &str {
    let mut end = id.len().min(MAX_SELECTED_ID_LEN);
    while !id.is_char_boundary(end) {
        end -= 1;
    }
    &id[..end]
}

/// Another person on the board, as the board shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Participant {
    /// The awareness client id, as text.
    pub id: String,
    pub name: String,
    pub color: String,
    pub cursor: Option<Point>,
    pub selection: Vec<String>,
}

impl Participant {
    /// Reads a peer's awareness `state`; `None` for states without a user
    /// name (those are not shown). Colours other than `#rrggbb` and
    /// non-finite pointers are replaced, so nothing a peer sends reaches a
    /// style or a drawing unchecked.
    #[must_use]
    pub fn from_state(client_id: u64, state: &str) -> Option<Self> {
        let value: serde_json::Value = serde_json::from_str(state).ok()?;
        let user = value.get("user")?;
        let name: String = user
            .get("name")?
            .as_str()?
            .chars()
            .take(MAX_NAME_CHARS)
            .collect();
        let color = user
            .get("color")
            .and_then(|c| c.as_str())
            .filter(|c| stellwand_board::is_valid_color(c) && c.starts_with('#'))
            .unwrap_or(FALLBACK_COLOR)
            .to_owned();
        let cursor = value
            .get("cursor")
            .and_then(|c| {
                Some(Point {
                    x: c.get("x")?.as_f64()?,
                    y: c.get("y")?.as_f64()?,
                })
            })
            .and_then(Point::finite);
        let selection = value
            .get("selection")
            .and_then(|s| s.as_array())
            .map(|ids| {
                ids.iter()
                    .filter_map(|id| id.as_str().map(str::to_owned))
                    .take(MAX_READ_SELECTION)
                    .collect()
            })
            .unwrap_or_default();
        Some(Participant {
            id: client_id.to_string(),
            name,
            color,
            cursor,
            selection,
        })
    }

    /// The awareness client id, if [`Participant::id`] is one.
    #[must_use]
    pub fn client(&self) -> Option<u64> {
        self.id.parse().ok()
    }
}

/// A colour for the user `id`, the same in every session.
#[must_use]
pub fn user_color(id: &str) -> &'static str {
    const COLORS: [&str; 8] = [
        "#d81b60", "#8e24aa", "#3949ab", "#039be5", "#00897b", "#7cb342", "#f4511e", "#6d4c41",
    ];
    let hash = id
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    COLORS[hash as usize % COLORS.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_of_yjs_apps_is_read_and_bad_values_are_ignored() {
        let p = Participant::from_state(
            7,
            r##"{"user":{"name":"Ana","color":"#e91e63"},"cursor":{"x":1.5,"y":-2},"selection":["a","b"]}"##,
        )
        .unwrap();
        assert_eq!((p.name.as_str(), p.color.as_str()), ("Ana", "#e91e63"));
        assert_eq!(p.cursor, Some(Point { x: 1.5, y: -2.0 }));
        assert_eq!(p.selection, ["a", "b"]);
        assert_eq!(p.client(), Some(7));
        let hostile = Participant::from_state(
            8,
            r#"{"user":{"name":"<img src=x onerror=alert(1)>","color":"red;background:url(x)"},"cursor":{"x":"a"}}"#,
        )
        .unwrap();
        assert_eq!(hostile.color, "#607d8b", "only #rrggbb colours pass");
        assert_eq!(hostile.cursor, None);
        assert!(
            Participant::from_state(9, r#"{"cursor":{"x":1,"y":1}}"#).is_none(),
            "no user, not shown"
        );
        assert!(Participant::from_state(9, "not json").is_none());
        assert!(Participant::from_state(9, r#"{"user":{"name":7}}"#).is_none());
    }

    #[test]
    fn a_presence_state_stays_under_the_servers_cap_whatever_is_selected() {
        let selection: Vec<String> = (0..10_000).map(|i| format!("{i:0100}")).collect();
        let presence = Presence::of(
            "user-1",
            &"N".repeat(500),
            Some(Point {
                x: f64::NAN,
                y: 1.0,
            }),
            &selection,
        );
        let state = presence.to_state();
        assert!(
            state.len() < crate::server::MAX_AWARENESS_STATE_BYTES,
            "{}",
            state.len()
        );
        let shown = Participant::from_state(1, &state).unwrap();
        assert_eq!(shown.selection.len(), MAX_SHARED_SELECTION);
        assert!(shown.selection.iter().all(|id| id.len() == 64));
        assert_eq!(shown.cursor, None);
        assert_eq!(shown.name.chars().count(), MAX_NAME_CHARS);
        assert_eq!(shown.color, user_color("user-1"));
    }

    #[test]
    fn selected_ids_are_clipped_on_character_boundaries() {
        let id = "ä".repeat(40);
        let presence = Presence::of("u", "Ana", None, &[id]);
        assert_eq!(presence.selection[0], "ä".repeat(32));
    }

    #[test]
    fn user_colours_are_stable_and_from_the_palette() {
        assert_eq!(user_color("abc"), user_color("abc"));
        assert!(user_color("x").starts_with('#'));
    }
}
