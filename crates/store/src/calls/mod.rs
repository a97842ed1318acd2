//! The calls context's storage: legs ([`legs`]), and what moves them — operators' claims and
//! activity, hold queues, timers, the simulator's devices ([`operators`]).

pub(crate) mod legs;
pub(crate) mod operators;
