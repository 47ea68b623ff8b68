//! SPDX element IDs: derived from names, checked for shape, allocated without collisions.

use std::collections::HashSet;

/// `prefix` + `value` with every run of characters outside `[A-Za-z0-9.-]` replaced by `-`.
pub fn spdx_id(prefix: &str, value: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + value.len());
    out.push_str(prefix);
    let mut in_run = false;
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('-');
            in_run = true;
        }
    }
    out
}

/// True for a well-formed SPDX element ID: `SPDXRef-` and then letters, digits, `.` or `-`
/// (and not the document's own ID).
pub fn is_element_id(s: &str) -> bool {
    is_ref_id(s, "SPDXRef-") && s != crate::model::DOCUMENT_ID
}

/// True for `prefix` followed by one or more letters, digits, `.` or `-`: the shape of SPDX
/// element IDs (`SPDXRef-`) and license references (`LicenseRef-`).
pub fn is_ref_id(s: &str, prefix: &str) -> bool {
    s.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    })
}

/// Hands out document-unique IDs: the first claim of an ID gets it as is, later colliding
/// claims get `-2`, `-3`, ... (the first suffix not yet taken). Deterministic for a given order.
#[derive(Debug, Default)]
pub struct IdAllocator {
    taken: HashSet<String>,
}

impl IdAllocator {
    /// Reserves an ID exactly (an ID that came from an input document). False if taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_owned())
    }

    /// A unique ID based on `wanted`.
    pub fn allocate(&mut self, wanted: String) -> String {
        if self.taken.insert(wanted.clone()) {
            return wanted;
        }
        (2u64..)
            .map(|n| format!("{wanted}-{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(wanted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spdx_ids() {
        assert_eq!(
            spdx_id("SPDXRef-FILE-", "Lib/a b/c_d.py"),
            "SPDXRef-FILE-Lib-a-b-c-d.py"
        );
        assert_eq!(spdx_id("SPDXRef-FILE-", "a//__b"), "SPDXRef-FILE-a-b");
        let mut ids = IdAllocator::default();
        assert_eq!(ids.allocate("X-a".into()), "X-a");
        assert_eq!(ids.allocate("X-a".into()), "X-a-2");
        assert!(ids.reserve("X-a-3"));
        assert_eq!(ids.allocate("X-a".into()), "X-a-4");
    }
}
