//! JSON object helpers: the two merge rules and the field-level diff.

use serde_json::{Map, Value};

/// A JSON object.
pub type JsonObject = Map<String, Value>;

/// Deep partial update: objects merge key by key at every level, anything else replaces.
/// A `null` in the patch sets the field to `null` (it does not delete it).
pub fn deep_merge(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                match t.get_mut(k) {
                    Some(existing) if existing.is_object() && v.is_object() => {
                        deep_merge(existing, v)
                    }
                    _ => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// One changed leaf between two JSON documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Dotted path, e.g. `settings.language`; array elements are compared whole.
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Field-level differences from `before` to `after`, descending into objects.
pub fn diff(before: &Value, after: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    diff_into(&mut out, String::new(), before, after);
    out
}

fn diff_into(out: &mut Vec<Change>, path: String, before: &Value, after: &Value) {
    match (before, after) {
        (Value::Object(b), Value::Object(a)) => {
            for (k, bv) in b {
                let p = join(&path, k);
                match a.get(k) {
                    Some(av) => diff_into(out, p, bv, av),
                    None => out.push(Change {
                        path: p,
                        before: Some(bv.clone()),
                        after: None,
                    }),
                }
            }
            for (k, av) in a.iter().filter(|(k, _)| !b.contains_key(*k)) {
                out.push(Change {
                    path: join(&path, k),
                    before: None,
                    after: Some(av.clone()),
                });
            }
        }
        (b, a) if b != a => out.push(Change {
            path,
            before: Some(b.clone()),
            after: Some(a.clone()),
        }),
        _ => {}
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn deep_merge_keeps_omitted_fields_at_every_level() {
        let mut t = json!({"a": {"b": 1, "c": {"d": 2, "e": 3}}, "f": [1, 2]});
        deep_merge(&mut t, &json!({"a": {"c": {"d": 9}}, "f": [3]}));
        assert_eq!(t, json!({"a": {"b": 1, "c": {"d": 9, "e": 3}}, "f": [3]}));
    }

    #[test]
    fn diff_reports_added_removed_and_changed_leaves() {
        let changes = diff(
            &json!({"name": "a", "settings": {"x": 1, "y": 2}}),
            &json!({"name": "b", "settings": {"x": 1, "z": 3}}),
        );
        let paths: Vec<_> = changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(paths, ["name", "settings.y", "settings.z"]);
        assert_eq!(changes[1].after, None);
        assert_eq!(changes[2].before, None);
    }
}
