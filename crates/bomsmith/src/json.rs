//! Canonical JSON output, and small helpers for JSON pointers and messages.
//!
//! Documents are written the way Python's `json.dumps(value, indent=2, sort_keys=True)` writes
//! them: two-space indent, `": "` between key and value, non-ASCII escaped as `\uXXXX`, no
//! trailing newline. That makes a regenerated CPython `Misc/sbom.spdx.json` byte-identical to the
//! one CPython's own tooling writes, and gives every output one canonical byte form.

use serde_json::Value;
use std::cmp::Ordering;

/// Writes `value` as indented, key-sorted, ASCII-only JSON.
pub fn to_canonical_string(value: &Value) -> String {
    let mut out = String::with_capacity(4096);
    write_value(&mut out, value, 0);
    out
}

/// Writes `value` on one line with Python's default separators (`", "` and `": "`), keys sorted.
/// This is the sort key CPython's tooling uses for array elements.
pub fn to_compact_string(value: &Value) -> String {
    let mut out = String::new();
    write_compact(&mut out, value);
    out
}

/// Sorts every array in `value`, depth first, by the compact form of its elements, so that
/// the order of list items never depends on the order in which they were found.
pub fn sort_arrays(value: &mut Value) {
    match value {
        Value::Array(items) => {
            for item in items.iter_mut() {
                sort_arrays(item);
            }
            let mut keyed: Vec<(String, Value)> = items
                .drain(..)
                .map(|v| (to_compact_string(&v), v))
                .collect();
            keyed.sort_by(|a, b| cmp_python_str(&a.0, &b.0));
            items.extend(keyed.into_iter().map(|(_, v)| v));
        }
        Value::Object(map) => {
            for v in map.values_mut() {
                sort_arrays(v);
            }
        }
        _ => {}
    }
}

/// Python compares `str` by code point; UTF-8 byte order is the same order.
fn cmp_python_str(a: &str, b: &str) -> Ordering {
    a.as_bytes().cmp(b.as_bytes())
}

fn indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

fn sorted_entries(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| cmp_python_str(a.0, b.0));
    entries
}

fn write_value(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, level + 1);
                write_value(out, item, level + 1);
            }
            indent(out, level);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, v)) in sorted_entries(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, level + 1);
                write_string(out, k);
                out.push_str(": ");
                write_value(out, v, level + 1);
            }
            indent(out, level);
            out.push('}');
        }
        other => write_scalar(out, other),
    }
}

fn write_compact(out: &mut String, value: &Value) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, v)) in sorted_entries(map).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, k);
                out.push_str(": ");
                write_compact(out, v);
            }
            out.push('}');
        }
        other => write_scalar(out, other),
    }
}

fn write_scalar(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_string(out, s),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn write_string(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7f => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `/key` to a JSON pointer, escaped as RFC 6901 says (`~` → `~0`, `/` → `~1`).
pub fn push_pointer_token(pointer: &mut String, key: &str) {
    pointer.push('/');
    for c in key.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

/// `pointer` + `/key`, escaped.
pub fn pointer_child(pointer: &str, key: &str) -> String {
    let mut p = String::with_capacity(pointer.len() + key.len() + 1);
    p.push_str(pointer);
    push_pointer_token(&mut p, key);
    p
}

/// What kind of JSON value `v` is, for messages: `a string`, `an array`, ...
pub fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn matches_python_indent_and_escapes() {
        let v = json!({"b": [1, {"z": "é\u{1F600}\n", "a": []}], "a": {}, "c": null});
        let s = to_canonical_string(&v);
        let expected = "{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"a\": [],\n      \"z\": \"\\u00e9\\ud83d\\ude00\\n\"\n    }\n  ],\n  \"c\": null\n}";
        assert_eq!(s, expected);
    }

    #[test]
    fn delete_char_is_not_escaped() {
        assert_eq!(to_canonical_string(&json!("a\u{7f}")), "\"a\u{7f}\"");
    }

    #[test]
    fn compact_uses_python_default_separators() {
        let v = json!({"b": 1, "a": [true, "x"]});
        assert_eq!(to_compact_string(&v), "{\"a\": [true, \"x\"], \"b\": 1}");
    }

    #[test]
    fn arrays_are_sorted_depth_first() {
        let mut v = json!([{"k": [3, 1, 2]}, {"a": 1}]);
        sort_arrays(&mut v);
        assert_eq!(v, json!([{"a": 1}, {"k": [1, 2, 3]}]));
    }
}
