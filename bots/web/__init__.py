"""The web dashboard: a page per campaign for its leads and liaisons, reached by a one-time
link from chat. A thin adapter like the chat ones: it renders what the domain returns."""
