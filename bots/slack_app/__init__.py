"""The Slack adapter: slack-bolt listeners over the one command layer (docs/SLACK.md)."""
