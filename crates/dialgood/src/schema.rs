//! Request-body schemas for the OpenAPI document only. Handlers read bodies as JSON values and
//! the domain checks them, so every mistake gets a message naming the field; these types tell
//! clients and generators what to send.

#![allow(dead_code)]

use serde_json::Value;
use utoipa::ToSchema;

/// `metadata` of a write: `commit_message` (or `commitMessage`) labels the resulting version;
/// other keys are merged into the agent's metadata.
#[derive(ToSchema)]
pub struct WriteMetadata {
    pub commit_message: Option<String>,
    #[schema(rename = "commitMessage")]
    pub commit_message_camel: Option<String>,
    /// Any other key is stored in the agent's metadata.
    #[schema(ignore)]
    pub other: Option<Value>,
}

/// An agent to create: `agentName` is required.
#[derive(ToSchema)]
pub struct AgentCreate {
    #[schema(
        rename = "agentName",
        min_length = 1,
        max_length = 200,
        pattern = r"\S"
    )]
    pub agent_name: String,
    #[schema(value_type = Option<Object>, nullable = false)]
    pub settings: Option<Value>,
    /// Phone numbers, as strings (E.164) or objects.
    #[schema(rename = "phoneNumbers", nullable = false)]
    pub phone_numbers: Option<Vec<Value>>,
    #[schema(nullable = false)]
    pub metadata: Option<WriteMetadata>,
}

/// Fields to change; omitted fields stay, an included nested object replaces the stored one
/// whole, protected fields are ignored. Also the overrides of a clone.
#[derive(ToSchema)]
pub struct AgentUpdate {
    #[schema(
        rename = "agentName",
        min_length = 1,
        max_length = 200,
        pattern = r"\S",
        nullable = false
    )]
    pub agent_name: Option<String>,
    #[schema(value_type = Option<Object>, nullable = false)]
    pub settings: Option<Value>,
    /// Phone numbers, as strings (E.164) or objects.
    #[schema(rename = "phoneNumbers", nullable = false)]
    pub phone_numbers: Option<Vec<Value>>,
    #[schema(nullable = false)]
    pub metadata: Option<WriteMetadata>,
}

/// `{"settings": {…}, "metadata": {…}}`; a bare settings object is accepted too.
#[derive(ToSchema)]
pub struct SettingsWrite {
    #[schema(value_type = Object)]
    pub settings: Value,
    #[schema(nullable = false)]
    pub metadata: Option<WriteMetadata>,
}

/// One credential to write; in a PATCH a `null` value removes the key.
#[derive(ToSchema)]
pub struct CredentialIn {
    #[schema(min_length = 1, max_length = 200)]
    pub key: String,
    pub value: Option<String>,
}

/// `{"credentials": [{"key", "value"}], "metadata": {…}}`; a bare array is accepted too.
#[derive(ToSchema)]
pub struct CredentialsWrite {
    pub credentials: Vec<CredentialIn>,
    #[schema(nullable = false)]
    pub metadata: Option<WriteMetadata>,
}

/// Optional body of a restore: the label of the new version.
#[derive(ToSchema)]
pub struct RestoreIn {
    #[schema(nullable = false)]
    pub metadata: Option<WriteMetadata>,
}
