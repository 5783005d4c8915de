"""SMS and in-site messages: templates, an outbox, backends chosen by setting."""
