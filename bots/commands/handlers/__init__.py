"""Command handlers: each translates an Invocation into a use-case call and a Reply."""
