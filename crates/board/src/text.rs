//! Text positions in UTF-16 code units, as JavaScript clients count them.

/// Length of `s` in UTF-16 code units.
pub fn utf16_len(s: &str) -> u32 {
    let units: usize = s.chars().map(char::len_utf16).sum();
    u32::try_from(units).unwrap_or(u32::MAX)
}

/// Whether a UTF-16 offset falls between two characters of `s` (not inside a
/// surrogate pair and not past the end).
pub fn is_utf16_boundary(s: &str, offset: u32) -> bool {
    let mut at = 0u32;
    for c in s.chars() {
        if at == offset {
            return true;
        }
        if at > offset {
            return false;
        }
        at += c.len_utf16() as u32;
    }
    at == offset
}

/// The smallest single edit that turns `old` into `new`: `(index, delete, insert)`,
/// with `index` and `delete` in UTF-16 code units. Keeping the edit small keeps
/// concurrent edits of other parts of the same text intact when both merge.
pub fn minimal_edit<'a>(old: &str, new: &'a str) -> Option<(u32, u32, &'a str)> {
    if old == new {
        return None;
    }
    let prefix_bytes = old
        .char_indices()
        .zip(new.chars())
        .find(|((_, a), b)| a != b)
        .map(|((i, _), _)| i)
        .unwrap_or_else(|| old.len().min(new.len()));
    // `prefix_bytes` is a char boundary in `old`; the same bytes are equal in `new`.
    let old_rest = &old[prefix_bytes..];
    let new_rest = &new[prefix_bytes..];
    let suffix_bytes = old_rest
        .chars()
        .rev()
        .zip(new_rest.chars().rev())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a.len_utf8())
        .sum::<usize>();
    let deleted = &old_rest[..old_rest.len() - suffix_bytes];
    let inserted = &new_rest[..new_rest.len() - suffix_bytes];
    Some((
        utf16_len(&old[..prefix_bytes]),
        utf16_len(deleted),
        inserted,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &str, edit: (u32, u32, &str)) -> String {
        let units: Vec<u16> = old.encode_utf16().collect();
        let (i, d, ins) = edit;
        let mut out: Vec<u16> = units[..i as usize].to_vec();
        out.extend(ins.encode_utf16());
        out.extend(&units[(i + d) as usize..]);
        String::from_utf16(&out).unwrap()
    }

    #[test]
    fn minimal_edit_counts_in_utf16_units() {
        let old = "Grüße 👋 aus Köln";
        let new = "Grüße 👋👋 aus Kiel";
        let edit = minimal_edit(old, new).unwrap();
        assert_eq!(apply(old, edit), new);
        assert_eq!(edit.0, 8, "the emoji takes two UTF-16 units");
    }

    #[test]
    fn minimal_edit_handles_repeated_characters_and_empty_texts() {
        for (a, b) in [
            ("aaa", "aa"),
            ("", "neu"),
            ("alt", ""),
            ("abcabc", "abc"),
            ("ß", "ßß"),
        ] {
            let edit = minimal_edit(a, b).unwrap();
            assert_eq!(apply(a, edit), b, "{a:?} -> {b:?}");
        }
        assert_eq!(minimal_edit("gleich", "gleich"), None);
    }

    #[test]
    fn boundaries_inside_surrogate_pairs_are_rejected() {
        let s = "a👋b";
        assert!(is_utf16_boundary(s, 0));
        assert!(is_utf16_boundary(s, 1));
        assert!(!is_utf16_boundary(s, 2));
        assert!(is_utf16_boundary(s, 3));
        assert!(is_utf16_boundary(s, 4));
        assert!(!is_utf16_boundary(s, 5));
        assert_eq!(utf16_len(s), 4);
    }
}
