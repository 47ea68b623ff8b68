//! Finds where JSON pointers point in a document's text: one pass over the bytes that only
//! descends into values on the way to a wanted pointer and skips everything else, so locating
//! a handful of diagnostics in a large document stays linear and cheap. Used only once there is
//! something to report.

use std::collections::{HashMap, HashSet};

/// Line and column (1-based, columns in characters) of each wanted pointer that exists in
/// `text`. A pointer that names a missing member maps to its parent's position.
pub fn locate(text: &[u8], wanted: &[&str]) -> HashMap<String, (usize, usize)> {
    let mut prefixes: HashSet<&str> = HashSet::new();
    for w in wanted {
        let mut end = w.len();
        loop {
            prefixes.insert(&w[..end]);
            match w[..end].rfind('/') {
                Some(i) => end = i,
                None => break,
            }
        }
    }
    let mut found = HashMap::new();
    let mut scanner = Scanner {
        text,
        pos: 0,
        prefixes: &prefixes,
        found: &mut found,
    };
    scanner.skip_ws();
    let mut path = String::new();
    scanner.value(&mut path, 0);
    // Pointers to absent members fall back to the nearest present ancestor.
    let mut hits: Vec<(usize, &str)> = Vec::with_capacity(wanted.len());
    for w in wanted {
        let mut end = w.len();
        loop {
            if let Some(&o) = found.get(&w[..end]) {
                hits.push((o, w));
                break;
            }
            match w[..end].rfind('/') {
                Some(i) => end = i,
                None => break,
            }
        }
    }
    // One pass over the text for all of them, in offset order.
    hits.sort_unstable();
    let mut out = HashMap::with_capacity(hits.len());
    let (mut line, mut at, mut column) = (1, 0, 1);
    for (offset, w) in hits {
        let offset = offset.min(text.len());
        let newlines = memchr::memchr_iter(b'\n', &text[at..offset]);
        let (count, last) = newlines.fold((0, None), |(n, _), i| (n + 1, Some(at + i)));
        if let Some(last) = last {
            line += count;
            column = 1;
            at = last + 1;
        }
        column += String::from_utf8_lossy(&text[at..offset]).chars().count();
        at = offset;
        out.insert(w.to_owned(), (line, column));
    }
    out
}

const MAX_DEPTH: usize = 512;

struct Scanner<'a> {
    text: &'a [u8],
    pos: usize,
    prefixes: &'a HashSet<&'a str>,
    found: &'a mut HashMap<String, usize>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// The value at `pos`, whose pointer is `path`. Records it when wanted; descends only
    /// when some wanted pointer lies below.
    fn value(&mut self, path: &mut String, depth: usize) {
        let wanted = self.prefixes.contains(path.as_str());
        if wanted {
            self.found.insert(path.clone(), self.pos);
        }
        if !wanted || depth > MAX_DEPTH {
            self.skip_value();
            return;
        }
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b'"') => {}
                        Some(b'}') | None => {
                            self.pos += 1;
                            return;
                        }
                        _ => {
                            self.pos += 1;
                            continue;
                        }
                    }
                    let key = self.string();
                    self.skip_ws();
                    if self.peek() == Some(b':') {
                        self.pos += 1;
                    }
                    self.skip_ws();
                    let len = path.len();
                    crate::json::push_pointer_token(path, &key);
                    self.value(path, depth + 1);
                    path.truncate(len);
                    self.skip_ws();
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut index = 0usize;
                loop {
                    self.skip_ws();
                    match self.peek() {
                        Some(b']') | None => {
                            self.pos += 1;
                            return;
                        }
                        _ => {}
                    }
                    let len = path.len();
                    path.push('/');
                    path.push_str(&index.to_string());
                    let before = self.pos;
                    self.value(path, depth + 1);
                    path.truncate(len);
                    if self.pos == before {
                        self.pos += 1;
                    }
                    index += 1;
                    self.skip_ws();
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    }
                }
            }
            _ => self.skip_value(),
        }
    }

    /// Reads a string at `pos` (on its opening quote), decoding escapes well enough to
    /// compare member names.
    fn string(&mut self) -> String {
        self.pos += 1;
        let mut out = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b't' => out.push(b'\t'),
                        b'r' => out.push(b'\r'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'u' => {
                            let hex = self.text.get(self.pos..self.pos + 4).unwrap_or(b"");
                            self.pos += hex.len();
                            let c = std::str::from_utf8(hex)
                                .ok()
                                .and_then(|h| u32::from_str_radix(h, 16).ok())
                                .and_then(char::from_u32)
                                .unwrap_or('\u{fffd}');
                            out.extend_from_slice(c.to_string().as_bytes());
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(b),
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Moves past the value at `pos` without looking inside.
    fn skip_value(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.pos += 1;
                    loop {
                        let rest = self.text.get(self.pos..).unwrap_or_default();
                        let Some(i) = memchr::memchr2(b'"', b'\\', rest) else {
                            self.pos = self.text.len();
                            break;
                        };
                        let at = self.pos + i;
                        if self.text[at] == b'"' {
                            self.pos = at + 1;
                            break;
                        }
                        // An escape: skip it, even at the very end of the text.
                        self.pos = (at + 2).min(self.text.len());
                    }
                    if depth == 0 {
                        return;
                    }
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                b',' | b':' if depth == 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_pointers_and_falls_back_to_parents() {
        let text = br#"{
  "a": [1, {"b/c": "x\"y", "d": {"e": true}}],
  "f": "g"
}"#;
        let got = locate(text, &["/a/1/d/e", "/a/1/b~1c", "/f", "/a/1/missing", ""]);
        assert_eq!(got["/a/1/d/e"], (2, 39));
        assert_eq!(got["/a/1/b~1c"], (2, 20));
        assert_eq!(got["/f"], (3, 8));
        assert_eq!(got["/a/1/missing"], (2, 12));
        assert_eq!(got[""], (1, 1));
    }

    #[test]
    fn survives_truncated_and_garbage_input() {
        for text in [
            &b"{\"a\": [1, "[..],
            b"[[[[",
            b"\"abc",
            b"{\"a\"",
            b"}}}",
            b"",
        ] {
            let _ = locate(text, &["/a/0", "/0/0/0"]);
        }
    }
}
