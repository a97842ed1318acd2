//! Messaging: SMS and its opt-outs. Not built yet; its model, service and storage traits go here.
