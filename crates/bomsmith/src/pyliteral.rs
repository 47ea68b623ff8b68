//! Python literals read as data, never run: the subset a build script's table of file rules is
//! written in (CPython's `PACKAGE_TO_FILES` in `Tools/build/generate_sbom.py`).
//!
//! Understood: string literals (single, double and triple quotes; `r`/`u` prefixes; the usual
//! backslash escapes; neighbours concatenated implicitly), `None`, `True`, `False`, decimal
//! integers, lists, tuples, dicts, calls of a (dotted) name with positional and keyword
//! arguments, comments, line continuations and trailing commas. Anything else (f-strings, bytes,
//! operators, comprehensions, names used as values) makes the literal unreadable: the error
//! names the line and column. Input size, nesting and element count are bounded, so hostile
//! text costs little and never panics.

use std::fmt;

/// Deepest nesting of brackets taken.
pub const MAX_DEPTH: usize = 64;
/// Most values in one literal.
pub const MAX_NODES: usize = 100_000;
/// Largest text examined (bytes).
pub const MAX_TEXT: usize = 4 << 20;

/// A value with the byte offset where it starts in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Byte offset of the value's first character.
    pub offset: usize,
    /// The value.
    pub value: Value,
}

/// A Python literal value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string (implicit concatenation joined).
    Str(String),
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// A decimal integer, as written.
    Int(String),
    /// `[...]`.
    List(Vec<Node>),
    /// `(...)` with a comma, or `()`.
    Tuple(Vec<Node>),
    /// `{key: value, ...}`.
    Dict(Vec<(Node, Node)>),
    /// `name(args, key=value)`.
    Call {
        /// The called name, dots included.
        name: String,
        /// Positional arguments.
        args: Vec<Node>,
        /// Keyword arguments, in order.
        kwargs: Vec<(String, Node)>,
    },
}

/// Why a literal could not be read: 1-based line and column (in characters) and what was
/// found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

/// 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// The value assigned to `variable` at module level (a line starting `VARIABLE =` or
/// `VARIABLE: annotation =`). `Ok(None)` when no such assignment exists; an error when it
/// exists twice or its value is not a literal of the subset.
pub fn assignment(text: &str, variable: &str) -> Result<Option<Node>, Unreadable> {
    if text.len() > MAX_TEXT {
        return Err(Unreadable {
            line: 1,
            column: 1,
            message: format!("larger than the {MAX_TEXT} bytes read"),
        });
    }
    let mut found: Option<usize> = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(variable) {
            let rest_trim = rest.trim_start_matches([' ', '\t']);
            let value_at = if let Some(after) = rest_trim.strip_prefix(':') {
                // An annotation runs to the first `=` (annotations of such tables have none).
                after
                    .find('=')
                    .filter(|&i| !after[i + 1..].starts_with('='))
                    .map(|i| line.len() - after.len() + i + 1)
            } else if rest_trim.starts_with('=') && !rest_trim.starts_with("==") {
                Some(line.len() - rest_trim.len() + 1)
            } else {
                None
            };
            if let Some(at) = value_at {
                if found.is_some() {
                    let (line, column) = line_col(text, line_start);
                    return Err(Unreadable {
                        line,
                        column,
                        message: format!("{variable} is assigned more than once"),
                    });
                }
                found = Some(line_start + at);
            }
        }
        line_start += line.len();
    }
    let Some(start) = found else {
        return Ok(None);
    };
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: start,
        depth: 0,
        nodes: 0,
    };
    p.skip(false);
    let node = p.value()?;
    p.skip(false);
    match p.peek() {
        None | Some(b'\n') | Some(b';') => Ok(Some(node)),
        Some(_) => Err(p.error_here("unexpected text after the literal")),
    }
}

/// Parses `text` as one literal (for tests and fuzzing): the whole text must be the value.
pub fn parse(text: &str) -> Result<Node, Unreadable> {
    if text.len() > MAX_TEXT {
        return Err(Unreadable {
            line: 1,
            column: 1,
            message: format!("larger than the {MAX_TEXT} bytes read"),
        });
    }
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        nodes: 0,
    };
    p.skip(true);
    let node = p.value()?;
    p.skip(true);
    if p.pos < p.bytes.len() {
        return Err(p.error_here("unexpected text after the literal"));
    }
    Ok(node)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    nodes: usize,
}

impl Parser<'_> {
    fn error_at(&self, offset: usize, message: impl Into<String>) -> Unreadable {
        let (line, column) = line_col(self.text, offset);
        Unreadable {
            line,
            column,
            message: message.into(),
        }
    }

    fn error_here(&self, message: &str) -> Unreadable {
        let found = match self.text.get(self.pos..).and_then(|r| r.chars().next()) {
            None => "the end of the text".to_owned(),
            Some(c) if c.is_control() => format!("{:?}", c),
            Some(c) => format!("`{c}`"),
        };
        self.error_at(self.pos, format!("{message} (found {found})"))
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips blanks, comments and line continuations; newlines too when `newlines` (inside
    /// brackets, where Python ignores them).
    fn skip(&mut self, newlines: bool) {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\x0c' | b'\r' => self.pos += 1,
                b'\n' if newlines => self.pos += 1,
                b'#' => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                b'\\' if self.bytes.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                b'\\' if self.bytes.get(self.pos + 1..self.pos + 3) == Some(b"\r\n") => {
                    self.pos += 3
                }
                _ => break,
            }
        }
    }

    fn count(&mut self) -> Result<(), Unreadable> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.error_at(self.pos, format!("more than {MAX_NODES} values")));
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Node, Unreadable> {
        self.count()?;
        let start = self.pos;
        let Some(b) = self.peek() else {
            return Err(self.error_here("expected a value"));
        };
        let value = match b {
            b'[' => Value::List(self.sequence(b']')?.0),
            b'(' => {
                let (items, comma) = self.sequence(b')')?;
                if items.len() == 1 && !comma {
                    // Parentheses around one value group it.
                    return Ok(items.into_iter().next().unwrap_or(Node {
                        offset: start,
                        value: Value::None,
                    }));
                }
                Value::Tuple(items)
            }
            b'{' => self.dict()?,
            b'"' | b'\'' => self.strings()?,
            b'0'..=b'9' => {
                let end = self.bytes[start..]
                    .iter()
                    .position(|c| !c.is_ascii_digit() && *c != b'_')
                    .map_or(self.bytes.len(), |n| start + n);
                self.pos = end;
                if self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.')
                {
                    return Err(self.error_here("only decimal integers are read"));
                }
                Value::Int(self.text[start..end].to_owned())
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.name();
                if matches!(self.peek(), Some(b'"' | b'\'')) {
                    return self.prefixed_string(start, &name);
                }
                match name.as_str() {
                    "None" => Value::None,
                    "True" => Value::Bool(true),
                    "False" => Value::Bool(false),
                    _ => {
                        self.skip(self.depth > 0);
                        if self.peek() != Some(b'(') {
                            return Err(self.error_at(
                                start,
                                format!("`{name}` is a name, not a literal; it is not evaluated"),
                            ));
                        }
                        self.call(name)?
                    }
                }
            }
            _ => return Err(self.error_here("expected a value")),
        };
        Ok(Node {
            offset: start,
            value,
        })
    }

    /// An identifier, with `.`-joined parts.
    fn name(&mut self) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'.' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.text[start..self.pos].to_owned()
    }

    fn enter(&mut self) -> Result<(), Unreadable> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(self.pos, format!("nested more than {MAX_DEPTH} deep")));
        }
        self.pos += 1;
        Ok(())
    }

    /// `[a, b]` or `(a, b)`: the items, and whether a comma was seen.
    fn sequence(&mut self, close: u8) -> Result<(Vec<Node>, bool), Unreadable> {
        self.enter()?;
        let mut items = Vec::new();
        let mut comma = false;
        loop {
            self.skip(true);
            if self.peek() == Some(close) {
                self.pos += 1;
                break;
            }
            items.push(self.value()?);
            self.skip(true);
            match self.peek() {
                Some(b',') => {
                    comma = true;
                    self.pos += 1;
                }
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                _ => {
                    return Err(self.error_here(&format!("expected `,` or `{}`", close as char)));
                }
            }
        }
        self.depth -= 1;
        Ok((items, comma))
    }

    fn dict(&mut self) -> Result<Value, Unreadable> {
        self.enter()?;
        let mut items = Vec::new();
        loop {
            self.skip(true);
            if self.peek() == Some(b'}') {
                self.pos += 1;
                break;
            }
            let key = self.value()?;
            self.skip(true);
            if self.peek() != Some(b':') {
                return Err(self.error_here("expected `:` after a dict key"));
            }
            self.pos += 1;
            self.skip(true);
            let value = self.value()?;
            items.push((key, value));
            self.skip(true);
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error_here("expected `,` or `}`")),
            }
        }
        self.depth -= 1;
        Ok(Value::Dict(items))
    }

    fn call(&mut self, name: String) -> Result<Value, Unreadable> {
        self.enter()?;
        let mut args = Vec::new();
        let mut kwargs: Vec<(String, Node)> = Vec::new();
        loop {
            self.skip(true);
            if self.peek() == Some(b')') {
                self.pos += 1;
                break;
            }
            let at = self.pos;
            // A keyword argument: a plain name, then `=` (not `==`).
            let keyword = {
                let mut end = at;
                while self
                    .bytes
                    .get(end)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    end += 1;
                }
                let mut after = end;
                while matches!(self.bytes.get(after), Some(b' ' | b'\t')) {
                    after += 1;
                }
                (end > at
                    && !self.bytes[at].is_ascii_digit()
                    && self.bytes.get(after) == Some(&b'=')
                    && self.bytes.get(after + 1) != Some(&b'='))
                .then(|| (self.text[at..end].to_owned(), after + 1))
            };
            match keyword {
                Some((key, value_at)) => {
                    if kwargs.iter().any(|(k, _)| *k == key) {
                        return Err(self.error_at(at, format!("keyword `{key}` given twice")));
                    }
                    self.pos = value_at;
                    self.skip(true);
                    let value = self.value()?;
                    kwargs.push((key, value));
                }
                None if !kwargs.is_empty() => {
                    return Err(self.error_at(at, "a positional argument after a keyword one"));
                }
                None => args.push(self.value()?),
            }
            self.skip(true);
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b')') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error_here("expected `,` or `)`")),
            }
        }
        self.depth -= 1;
        Ok(Value::Call { name, args, kwargs })
    }

    /// A string with a prefix letter (`r"..."`, `u'...'`); the others are refused.
    fn prefixed_string(&mut self, start: usize, prefix: &str) -> Result<Node, Unreadable> {
        match prefix.to_ascii_lowercase().as_str() {
            "r" | "u" => {}
            _ => {
                return Err(self.error_at(
                    start,
                    format!("`{prefix}` strings are not read (only plain, r and u strings)"),
                ));
            }
        }
        self.pos = start;
        let value = self.strings()?;
        Ok(Node {
            offset: start,
            value,
        })
    }

    /// One or more string literals side by side (implicit concatenation).
    fn strings(&mut self) -> Result<Value, Unreadable> {
        let mut out = String::new();
        loop {
            let start = self.pos;
            let raw = match self.peek() {
                Some(b'"' | b'\'') => false,
                Some(c) if c.is_ascii_alphabetic() => {
                    let name = self.name();
                    if !matches!(self.peek(), Some(b'"' | b'\'')) {
                        return Err(self.error_at(start, "expected a string"));
                    }
                    match name.to_ascii_lowercase().as_str() {
                        "r" => true,
                        "u" => false,
                        _ => {
                            return Err(self.error_at(
                                start,
                                format!(
                                    "`{name}` strings are not read (only plain, r and u strings)"
                                ),
                            ));
                        }
                    }
                }
                _ => return Err(self.error_here("expected a string")),
            };
            self.one_string(raw, &mut out)?;
            self.count()?;
            // Another literal may follow, on the same line or, inside brackets, on the next.
            let before = self.pos;
            self.skip(self.depth > 0);
            // A quote, or a short prefix and a quote (checked when read).
            let rest = &self.bytes[self.pos..];
            let letters = rest
                .iter()
                .take(3)
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            if letters <= 2 && matches!(rest.get(letters), Some(b'"' | b'\'')) {
                continue;
            }
            self.pos = before;
            return Ok(Value::Str(out));
        }
    }

    /// The literal at `pos` (after any prefix), appended to `out`.
    fn one_string(&mut self, raw: bool, out: &mut String) -> Result<(), Unreadable> {
        let open = self.pos;
        let quote = self.bytes[open];
        let triple = self.bytes.get(open..open + 3) == Some(&[quote, quote, quote][..]);
        self.pos += if triple { 3 } else { 1 };
        loop {
            let Some(c) = self.text.get(self.pos..).and_then(|r| r.chars().next()) else {
                return Err(self.error_at(open, "a string that is never closed"));
            };
            match c {
                '\n' if !triple => {
                    return Err(self.error_at(open, "a string that is never closed"));
                }
                _ if c as u32 == u32::from(quote) => {
                    if !triple {
                        self.pos += 1;
                        return Ok(());
                    }
                    if self.bytes.get(self.pos..self.pos + 3) == Some(&[quote, quote, quote][..]) {
                        self.pos += 3;
                        return Ok(());
                    }
                    out.push(c);
                    self.pos += 1;
                }
                '\\' => {
                    let Some(next) = self.text.get(self.pos + 1..).and_then(|r| r.chars().next())
                    else {
                        return Err(self.error_at(open, "a string that is never closed"));
                    };
                    if raw {
                        out.push('\\');
                        out.push(next);
                        self.pos += 1 + next.len_utf8();
                        continue;
                    }
                    self.escape(next, out)?;
                }
                c => {
                    out.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
    }

    /// A backslash escape at `pos` whose second character is `next`.
    fn escape(&mut self, next: char, out: &mut String) -> Result<(), Unreadable> {
        let at = self.pos;
        let simple = match next {
            '\n' => Some(None),
            '\\' => Some(Some('\\')),
            '\'' => Some(Some('\'')),
            '"' => Some(Some('"')),
            'a' => Some(Some('\x07')),
            'b' => Some(Some('\x08')),
            'f' => Some(Some('\x0c')),
            'n' => Some(Some('\n')),
            'r' => Some(Some('\r')),
            't' => Some(Some('\t')),
            'v' => Some(Some('\x0b')),
            _ => None,
        };
        if let Some(c) = simple {
            out.extend(c);
            self.pos += 2;
            return Ok(());
        }
        let digits = match next {
            'x' => 2,
            'u' => 4,
            'U' => 8,
            '0'..='7' => {
                let mut end = self.pos + 1;
                while end < self.pos + 4 && matches!(self.bytes.get(end), Some(b'0'..=b'7')) {
                    end += 1;
                }
                let n = u32::from_str_radix(&self.text[self.pos + 1..end], 8).unwrap_or(0);
                out.push(char::from_u32(n).unwrap_or('\u{fffd}'));
                self.pos = end;
                return Ok(());
            }
            _ => {
                // Python keeps an unknown escape as it is.
                out.push('\\');
                out.push(next);
                self.pos += 1 + next.len_utf8();
                return Ok(());
            }
        };
        let hex = self
            .text
            .get(self.pos + 2..self.pos + 2 + digits)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error_at(at, format!("`\\{next}` needs {digits} hex digits")))?;
        let c = u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| self.error_at(at, format!("`\\{next}{hex}` is not a character")))?;
        out.push(c);
        self.pos += 2 + digits;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(node: &Node) -> Vec<String> {
        match &node.value {
            Value::List(items) | Value::Tuple(items) => items
                .iter()
                .map(|n| match &n.value {
                    Value::Str(s) => s.clone(),
                    other => panic!("not a string: {other:?}"),
                })
                .collect(),
            other => panic!("not a list: {other:?}"),
        }
    }

    #[test]
    fn reads_the_table_shape() {
        let text = "X = 1\nTABLE: dict[str, P] = {\n    # comment\n    \"a\": P(\n        include=[\"x/**\", 'y'  # why\n        ],\n        exclude=(\n            \"x/\" \"z\",\n            r\"\\d\",\n        ),\n    ),\n    'b': P([\"q\"]),\n}\n\ndef f(): pass\n";
        let node = assignment(text, "TABLE").expect("reads").expect("present");
        let Value::Dict(items) = &node.value else {
            panic!("{node:?}")
        };
        assert_eq!(items.len(), 2);
        let Value::Call { name, args, kwargs } = &items[0].1.value else {
            panic!()
        };
        assert_eq!(name, "P");
        assert!(args.is_empty());
        assert_eq!(kwargs[0].0, "include");
        assert_eq!(strs(&kwargs[0].1), ["x/**", "y"]);
        assert_eq!(strs(&kwargs[1].1), ["x/z", "\\d"]);
        assert_eq!(line_col(text, kwargs[1].1.offset), (7, 17));
        let Value::Call { args, .. } = &items[1].1.value else {
            panic!()
        };
        assert_eq!(strs(&args[0]), ["q"]);
        assert_eq!(assignment(text, "NOPE"), Ok(None));
    }

    #[test]
    fn escapes_and_quotes() {
        let n = parse(r#"["a\tb", 'it\'s', """tri"ple""", "\x41\u00e9\101", u"u"]"#).expect("ok");
        assert_eq!(strs(&n), ["a\tb", "it's", "tri\"ple", "Aé\u{41}", "u"]);
    }

    #[test]
    fn refuses_what_is_not_a_literal() {
        for (text, line, column, what) in [
            ("[f\"{x}\"]", 1, 2, "`f` strings"),
            ("[b\"x\"]", 1, 2, "`b` strings"),
            ("[\n  x]", 2, 3, "`x` is a name"),
            ("[1 + 2]", 1, 4, "expected `,` or `]`"),
            ("['a'", 1, 5, "expected `,` or `]`"),
            ("['a", 1, 2, "never closed"),
            ("[p(a=1, 2)]", 1, 9, "positional argument after a keyword"),
            ("[p(a=1, a=2)]", 1, 9, "given twice"),
            ("[0x1]", 1, 3, "decimal integers"),
            ("[x for x in y]", 1, 2, "`x` is a name"),
            ("{'a' 'b'}", 1, 9, "expected `:`"),
        ] {
            let e = parse(text).expect_err(text);
            assert_eq!((e.line, e.column), (line, column), "{text}: {e}");
            assert!(e.message.contains(what), "{text}: {e}");
        }
    }

    #[test]
    fn bounds_hold() {
        let deep = "[".repeat(MAX_DEPTH + 5);
        let e = parse(&deep).expect_err("too deep");
        assert!(e.message.contains("nested more than"), "{e}");
        let many = format!("[{}]", "None,".repeat(MAX_NODES + 1));
        let e = parse(&many).expect_err("too many");
        assert!(e.message.contains("more than"), "{e}");
    }

    #[test]
    fn assigned_twice_is_unreadable() {
        let e = assignment("A = []\nA = [1]\n", "A").expect_err("twice");
        assert_eq!((e.line, e.column), (2, 1));
        // `A == 1` and `AB = 1` are not assignments of A.
        assert_eq!(
            assignment("A == 1\nAB = 2\nA = None\n", "A")
                .expect("ok")
                .map(|n| n.value),
            Some(Value::None)
        );
    }
}
