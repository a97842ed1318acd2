//! OAuth2: apps, authorization codes with PKCE, access and refresh tokens. Not built yet; they go
//! here.
