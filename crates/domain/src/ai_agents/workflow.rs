//! An agent's workflow: a graph of nodes and edges, both maps keyed by id.
//!
//! Nodes have a `type` (`start`, `end`, `override_agent` = a subagent, `standalone_agent`,
//! `phone_number`, `tool`); edges name a `source` and a `target` node and may carry a
//! `forwardCondition` and a `backwardCondition` (an edge with a backward condition can also be
//! taken from target to source). With `preventSubagentLoops` set, no cycle may pass through a
//! subagent node. In a write, a node or edge sent as `null` is removed.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::json::JsonObject;
use crate::{DomainError, Result};

/// Node types.
pub const NODE_TYPES: &[&str] = &[
    "start",
    "end",
    "override_agent",
    "standalone_agent",
    "phone_number",
    "tool",
];
/// The node type of a subagent.
pub const SUBAGENT: &str = "override_agent";
/// Edge condition types.
pub const CONDITION_TYPES: &[&str] = &["unconditional", "llm", "result", "expression"];

/// The workflow of an agent that has none.
pub fn empty() -> Value {
    json!({"edges": {}, "nodes": {}, "preventSubagentLoops": false})
}

fn invalid(message: impl Into<String>) -> DomainError {
    DomainError::invalid(message)
}

/// Checks the shape of a workflow in a write, before it is merged into the stored one.
pub fn check_partial(value: &Value) -> Result<()> {
    let Value::Object(map) = value else {
        return Err(invalid("workflow must be an object"));
    };
    for key in ["nodes", "edges"] {
        match map.get(key) {
            None => {}
            Some(Value::Object(items)) => {
                for (id, item) in items {
                    if !(item.is_object() || item.is_null()) {
                        return Err(invalid(format!(
                            "workflow.{key}.{id} must be an object (or null to remove it)"
                        )));
                    }
                }
            }
            Some(_) => {
                return Err(invalid(format!(
                    "workflow.{key} must be an object keyed by id"
                )))
            }
        }
    }
    match map.get("preventSubagentLoops") {
        None | Some(Value::Bool(_)) => Ok(()),
        Some(_) => Err(invalid("workflow.preventSubagentLoops must be a boolean")),
    }
}

/// Makes a merged workflow final: drops nodes and edges set to `null`, then checks node types,
/// that every edge names existing nodes, and the subagent-loop rule.
pub fn finalize(value: &mut Value) -> Result<()> {
    check_partial(value)?;
    let Value::Object(map) = value else {
        unreachable!("checked above")
    };
    for key in ["nodes", "edges"] {
        if let Some(Value::Object(items)) = map.get_mut(key) {
            items.retain(|_, v| !v.is_null());
        }
    }
    let empty = JsonObject::new();
    let nodes = map
        .get("nodes")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let edges = map
        .get("edges")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut kinds = BTreeMap::new();
    for (id, node) in nodes {
        let kind = node.get("type").and_then(Value::as_str).unwrap_or_default();
        if !NODE_TYPES.contains(&kind) {
            return Err(invalid(format!(
                "workflow.nodes.{id}.type must be one of {}",
                NODE_TYPES.join(", ")
            )));
        }
        kinds.insert(id.as_str(), kind);
    }
    let mut next: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (id, edge) in edges {
        let end = |key: &str| -> Result<&str> {
            match edge.get(key) {
                Some(Value::String(n)) if kinds.contains_key(n.as_str()) => Ok(n.as_str()),
                Some(Value::String(n)) => Err(invalid(format!(
                    "workflow.edges.{id}.{key} names node '{n}', which does not exist"
                ))),
                _ => Err(invalid(format!(
                    "workflow.edges.{id}.{key} is required and must be a node id"
                ))),
            }
        };
        let (source, target) = (end("source")?, end("target")?);
        for key in ["forwardCondition", "backwardCondition"] {
            match edge.get(key) {
                None | Some(Value::Null) => {}
                Some(c) => {
                    let kind = c.get("type").and_then(Value::as_str).unwrap_or_default();
                    if !CONDITION_TYPES.contains(&kind) {
                        return Err(invalid(format!(
                            "workflow.edges.{id}.{key}.type must be one of {}",
                            CONDITION_TYPES.join(", ")
                        )));
                    }
                }
            }
        }
        next.entry(source).or_default().insert(target);
        if edge.get("backwardCondition").is_some_and(|c| !c.is_null()) {
            next.entry(target).or_default().insert(source);
        }
    }
    let prevent = map.get("preventSubagentLoops") == Some(&Value::Bool(true));
    if prevent {
        for (id, kind) in &kinds {
            if *kind == SUBAGENT && reaches(&next, id, id) {
                return Err(invalid(format!(
                    "workflow has a loop through subagent node '{id}' while preventSubagentLoops is true"
                )));
            }
        }
    }
    Ok(())
}

/// Whether `to` can be reached from `from` by one or more steps.
fn reaches(next: &BTreeMap<&str, BTreeSet<&str>>, from: &str, to: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = next.get(from).into_iter().flatten().copied().collect();
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n) {
            stack.extend(next.get(n).into_iter().flatten().copied());
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(prevent: bool, edges: Value) -> Value {
        json!({
            "nodes": {
                "start": {"type": "start"},
                "sub": {"type": "override_agent", "label": "Billing"},
                "tool": {"type": "tool", "tools": []},
                "end": {"type": "end"}
            },
            "edges": edges,
            "preventSubagentLoops": prevent
        })
    }

    #[test]
    fn edges_must_name_existing_nodes() {
        let mut w = graph(
            false,
            json!({"e1": {"source": "start", "target": "nowhere"}}),
        );
        let err = finalize(&mut w).unwrap_err().to_string();
        assert!(err.contains("nowhere"), "{err}");
        let mut w = graph(false, json!({"e1": {"target": "end"}}));
        assert!(finalize(&mut w).is_err());
    }

    #[test]
    fn subagent_loops_are_refused_only_when_prevented() {
        let looped = json!({
            "e1": {"source": "start", "target": "sub"},
            "e2": {"source": "sub", "target": "tool"},
            "e3": {"source": "tool", "target": "sub"}
        });
        assert!(finalize(&mut graph(false, looped.clone())).is_ok());
        let err = finalize(&mut graph(true, looped)).unwrap_err().to_string();
        assert!(err.contains("sub"), "{err}");
        // A loop that avoids the subagent is allowed.
        let tool_loop = json!({
            "e1": {"source": "start", "target": "tool"},
            "e2": {"source": "tool", "target": "tool"},
            "e3": {"source": "tool", "target": "sub"}
        });
        assert!(finalize(&mut graph(true, tool_loop)).is_ok());
        // A backward condition makes the edge usable both ways.
        let back = json!({"e1": {"source": "start", "target": "sub",
            "backwardCondition": {"type": "llm", "condition": "user wants to restart"}}});
        assert!(finalize(&mut graph(true, back)).is_err());
    }

    #[test]
    fn null_entries_are_removed_and_types_checked() {
        let mut w = graph(false, json!({"e1": {"source": "start", "target": "end"}}));
        w["nodes"]["tool"] = Value::Null;
        finalize(&mut w).unwrap();
        assert!(w["nodes"].get("tool").is_none());
        let mut w = json!({"nodes": {"x": {"type": "teleport"}}});
        assert!(finalize(&mut w).is_err());
        let mut w = graph(
            false,
            json!({"e": {"source": "start", "target": "end", "forwardCondition": {"type": "maybe"}}}),
        );
        assert!(finalize(&mut w).is_err());
        assert!(check_partial(&json!({"nodes": []})).is_err());
        assert!(check_partial(&json!({"preventSubagentLoops": "yes"})).is_err());
    }
}
