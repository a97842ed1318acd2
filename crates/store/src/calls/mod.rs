//! The calls context's storage: legs ([`legs`]), and what moves them — operators' claims and
//! activity, hold queues, timers, the simulator's devices ([`operators`]); the routing index
//! the strategies read ([`slots`]); the reads behind outbound calls ([`outbound`]); share
//! links ([`share_links`]).

pub(crate) mod legs;
pub(crate) mod operators;
pub(crate) mod outbound;
pub(crate) mod reads;
pub(crate) mod share_links;
pub(crate) mod slots;
