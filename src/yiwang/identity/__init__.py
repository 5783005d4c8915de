"""Single sign-on: yiwang as an OpenID Connect provider for department systems."""
